-- Every intensity a report prints equals its total divided by revenue (CNY million), within the
-- rounding of the three printed figures. The total comes from the same report; revenue from the
-- same report where it prints one (ESG 2021 does not: then the current revenue figure).
{% set pairs = [
    ('ghg_intensity', 'ghg_total'),
    ('energy_intensity', 'energy_total'),
    ('water_intensity', 'water'),
    ('waste_hazardous_intensity', 'waste_hazardous'),
    ('waste_non_hazardous_intensity', 'waste_non_hazardous'),
] %}
with r as (
    select report_id, fiscal_year, basis, metric_code, value, precision_step
    from {{ ref('fct_reported_values') }}
    where dimension = 'total'
),

revenue as (
    select
        d.report_id,
        v.fiscal_year,
        coalesce(own.value, v.value) as value,
        coalesce(own.precision_step, v.precision_step) as precision_step
    from {{ ref('fct_metric_values') }} as v
    inner join {{ ref('dim_report') }} as d
        on d.company = v.company
    left join r as own
        on own.metric_code = 'revenue' and own.report_id = d.report_id and own.fiscal_year = v.fiscal_year
    where v.metric_code = 'revenue' and v.dimension = 'total'
),

checks as (
    {% for intensity, total in pairs %}
    {% if not loop.first %}union all{% endif %}
    select
        '{{ intensity }}' as intensity_metric,
        i.report_id,
        i.fiscal_year,
        cast(i.value as {{ float_type() }}) as printed,
        cast(t.value as {{ float_type() }}) / (cast(rv.value as {{ float_type() }}) / 1000000) as computed,
        i.precision_step / 2
          + cast(t.value as {{ float_type() }}) / (cast(rv.value as {{ float_type() }}) / 1000000)
            * (t.precision_step / 2 / cast(t.value as {{ float_type() }}) + rv.precision_step / 2 / cast(rv.value as {{ float_type() }}))
          as tolerance
    from r as i
    inner join r as t
        on t.metric_code = '{{ total }}' and t.report_id = i.report_id and t.fiscal_year = i.fiscal_year and t.basis = i.basis
    inner join revenue as rv
        on rv.report_id = i.report_id and rv.fiscal_year = i.fiscal_year
    where i.metric_code = '{{ intensity }}'
    {% endfor %}
)

select * from checks where abs(printed - computed) > tolerance + 1e-9
