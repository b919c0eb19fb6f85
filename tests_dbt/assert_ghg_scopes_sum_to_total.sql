-- Scope 1 + 2 + 3 = total, in every report that states all four for a year, within the rounding
-- the report prints (half a step of each figure). SSV 2023 note 4 admits that its 2023 scopes add up
-- to 0.1 t more than the printed total: that is within rounding, so no warn-level exception is needed.
with r as (
    select report_id, fiscal_year, basis, metric_code, value, precision_step
    from {{ ref('fct_reported_values') }}
    where dimension = 'total' and metric_code in ('ghg_total', 'ghg_scope1', 'ghg_scope2', 'ghg_scope3')
),

parts as (
    select report_id, fiscal_year, basis, sum(value) as sum_of_scopes, sum(precision_step) / 2 as tolerance, count(*) as n
    from r
    where metric_code <> 'ghg_total'
    group by 1, 2, 3
)

select t.report_id, t.fiscal_year, t.value as total, p.sum_of_scopes, p.tolerance + t.precision_step / 2 as tolerance
from parts as p
inner join r as t
    on t.metric_code = 'ghg_total' and t.report_id = p.report_id and t.fiscal_year = p.fiscal_year and t.basis = p.basis
where p.n = 3
  and abs(cast(t.value - p.sum_of_scopes as double precision)) > p.tolerance + t.precision_step / 2 + 1e-6
