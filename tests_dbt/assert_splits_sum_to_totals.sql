-- Every split of a count (headcount by gender, age band, region, management level, employment
-- type; suppliers by region) adds up to the total the same report states for that year. Where the
-- report's table had a row quarantined (a split the text alone could not settle), the members
-- present must still not exceed the total.
with r as (
    select v.report_id, v.metric_code, v.basis, v.fiscal_year, v.dimension, v.member, v.value, f.table_seq
    from {{ ref('fct_reported_values') }} as v
    inner join {{ ref('int_figures_current') }} as f
        on v.figure_id = f.figure_id
    where v.metric_code in ('headcount', 'suppliers')
),

incomplete as (
    select distinct report_id, table_seq
    from {{ ref('int_quarantine_current') }} as q
    inner join {{ ref('extraction_methods') }} as m
        on q.extraction_method = m.extraction_method
    where m.kind = 'table'
),

splits as (
    select r.report_id, r.metric_code, r.basis, r.fiscal_year, r.dimension, sum(r.value) as sum_of_members,
           count(*) as n_members, bool_or(i.report_id is not null) as table_incomplete
    from r
    left join incomplete as i
        on i.report_id = r.report_id and i.table_seq = r.table_seq
    where r.dimension <> 'total'
    group by 1, 2, 3, 4, 5
)

select s.*, t.value as total
from splits as s
inner join r as t
    on t.dimension = 'total' and t.report_id = s.report_id and t.metric_code = s.metric_code
   and t.fiscal_year = s.fiscal_year and t.basis = s.basis
where s.n_members > 1
  and (
      (not s.table_incomplete and s.sum_of_members <> t.value)
      or s.sum_of_members > t.value
  )
