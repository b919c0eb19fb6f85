-- One row per (company, metric, dimension, member, basis) with the current figure of each fiscal year
-- from var wide_first_year to var wide_last_year (2019-2023 unless a run says otherwise): the sheet a
-- BI tool or a spreadsheet user wants. mart_metric_series has every year.
select
    v.company,
    v.metric_code,
    v.dimension,
    v.member,
    v.basis,
    m.name_en,
    m.name_zh_hans,
    m.family,
    m.esg_pillar,
    v.unit,
    {% for year in range(var('wide_first_year') | int, (var('wide_last_year') | int) + 1) %}
    max(case when v.fiscal_year = {{ year }} then v.value end) as fy{{ year }},
    {% endfor %}
    bool_or(v.is_restated) as any_restated
from {{ ref('fct_metric_values') }} as v
inner join {{ ref('dim_metric') }} as m
    on v.metric_code = m.metric_code
group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
