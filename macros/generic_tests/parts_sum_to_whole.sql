{# Fails with the report-years where a whole and its parts, all stated by one report on one basis,
   do not add up within printed rounding (half a step of each figure): scope 1 + 2 + 3 = total,
   direct + indirect energy = total energy. With missing_parts=true it fails instead with the
   report-years that state the whole but not every part, so that a check that could not run is
   said, not passed in silence (configure it with severity warn: reports do leave parts out).
   PUDL's expect_subcomponents_sum_to_total is the model. #}
{% test parts_sum_to_whole(model, whole, parts, missing_parts=false) %}
with r as (
    select report_id, fiscal_year, basis, metric_code, value, precision_step
    from {{ model }}
    where dimension = 'total' and metric_code in ('{{ whole }}', '{{ parts | join("', '") }}')
),

p as (
    select report_id, fiscal_year, basis, sum(value) as sum_of_parts, sum(precision_step) / 2 as tolerance,
           count(distinct metric_code) as n_parts,
           {{ ordered_string_agg('metric_code', ', ', 'metric_code') }} as parts_present
    from r
    where metric_code <> '{{ whole }}'
    group by report_id, fiscal_year, basis
)

select
    '{{ whole }}' as whole,
    w.report_id,
    w.fiscal_year,
    w.basis,
    w.value as whole_value,
    p.sum_of_parts,
    coalesce(p.n_parts, 0) as parts_stated,
    {{ parts | length }} as parts_expected,
    p.parts_present
from r as w
left join p
    on w.report_id = p.report_id and w.fiscal_year = p.fiscal_year and w.basis = p.basis
where w.metric_code = '{{ whole }}'
{% if missing_parts %}
  and coalesce(p.n_parts, 0) < {{ parts | length }}
{% else %}
  and p.n_parts = {{ parts | length }}
  and abs(cast(w.value - p.sum_of_parts as {{ float_type() }})) > p.tolerance + w.precision_step / 2 + 1e-6
{% endif %}
{% endtest %}
