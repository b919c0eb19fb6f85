-- One row per series and fiscal year, for every year the reports state (no window): the current
-- figure, its change from the year before with the like-for-like flag, and where it is printed.
-- What `esgwh show` prints, and the long table a BI tool pivots.
select
    v.company,
    r.company_id,
    v.metric_code,
    v.dimension,
    v.member,
    v.basis,
    v.fiscal_year,
    m.name_en,
    m.family,
    v.value,
    v.unit,
    v.precision_step,
    v.value_as_printed,
    v.is_restated,
    y.prior_fiscal_year,
    y.prior_value,
    y.pct_change,
    y.like_for_like,
    y.lfl_pct_change,
    y.comparability_note,
    v.report_id,
    v.source_file,
    v.page_number,
    v.line_number
from {{ ref('fct_metric_values') }} as v
inner join {{ ref('dim_metric') }} as m
    on m.metric_code = v.metric_code
inner join {{ ref('dim_report') }} as r
    on r.report_id = v.report_id
left join {{ ref('mart_yoy_comparison') }} as y
    on {{ same_series('y', 'v') }}
