-- Every split of a count (headcount by gender, age band, region, management level, employment
-- type; suppliers by region) adds up to the total the same report states for that year.
with r as (
    select report_id, metric_code, fiscal_year, dimension, member, value
    from {{ ref('fct_reported_values') }}
    where metric_code in ('headcount', 'suppliers')
),

splits as (
    select report_id, metric_code, fiscal_year, dimension, sum(value) as sum_of_members, count(*) as n_members
    from r
    where dimension <> 'total'
    group by 1, 2, 3, 4
)

select s.*, t.value as total
from splits as s
inner join r as t
    on t.dimension = 'total' and t.report_id = s.report_id and t.metric_code = s.metric_code
   and t.fiscal_year = s.fiscal_year
where s.n_members > 1
  and s.sum_of_members <> t.value
