-- Direct + indirect energy = total energy; electricity + other indirect energy = indirect energy:
-- in every report that states the parts and the whole for a year, within printed rounding.
{% set checks = [
    ('energy_total', ['energy_direct', 'energy_indirect']),
    ('energy_indirect', ['electricity_total', 'energy_indirect_other']),
] %}
with r as (
    select report_id, fiscal_year, basis, metric_code, value, precision_step
    from {{ ref('fct_reported_values') }}
    where dimension = 'total'
)
{% for whole, parts in checks %}
{% if not loop.first %}union all{% endif %}
select '{{ whole }}' as whole, w.report_id, w.fiscal_year, w.value, p.sum_of_parts
from r as w
inner join (
    select report_id, fiscal_year, basis, sum(value) as sum_of_parts, sum(precision_step) / 2 as tolerance, count(*) as n
    from r
    where metric_code in ('{{ parts | join("', '") }}')
    group by 1, 2, 3
) as p
    on w.report_id = p.report_id and w.fiscal_year = p.fiscal_year and w.basis = p.basis
where w.metric_code = '{{ whole }}'
  and p.n = {{ parts | length }}
  and abs(cast(w.value - p.sum_of_parts as double precision)) > p.tolerance + w.precision_step / 2 + 1e-6
{% endfor %}
