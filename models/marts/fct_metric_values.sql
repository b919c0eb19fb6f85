-- The current figure per (company, metric, dimension, member, basis, fiscal year).
--
-- The newest report wins, except that a figure equal to the newest one at the newest one's printed
-- precision is a rounding, not a restatement: then the most precise of those figures is kept
-- (12.37 % stays 12.37 when a later report prints 12.4). is_restated: some report states a value
-- that differs from the current one by more than the rounding of the coarser of the two.
with reported as (
    select
        *,
        row_number() over (
            partition by {{ series_key() }}, fiscal_year
            order by publication_date desc, report_id desc
        ) as newest_rank,
        row_number() over (
            partition by {{ series_key() }}, fiscal_year
            order by publication_date, report_id
        ) as first_rank
    from {{ ref('fct_reported_values') }}
),

newest as (
    select * from reported where newest_rank = 1
),

consistent as (
    -- Figures the newest one merely rounds.
    select
        r.*,
        row_number() over (
            partition by {{ series_key('r.') }}, r.fiscal_year
            order by r.precision_step,
                     -- a split dbt settled (kpi_table_squashed_split) after a figure printed with one reading
                     case when r.extraction_method = 'kpi_table_squashed_split' then 1 else 0 end,
                     r.publication_date desc, r.report_id desc
        ) as precise_rank
    from reported as r
    inner join newest as n
        on {{ same_series('r', 'n') }}
    where {{ agrees_within_rounding('r.value', 'n.value', 'r.precision_step', 'n.precision_step') }}
),

current_value as (
    select * from consistent where precise_rank = 1
),

history as (
    select
        r.company,
        r.metric_code,
        r.dimension,
        r.member,
        r.basis,
        r.fiscal_year,
        count(distinct r.report_id) as n_reports,
        bool_or(not {{ agrees_within_rounding('r.value', 'c.value', 'r.precision_step', 'c.precision_step') }}) as is_restated
    from reported as r
    inner join current_value as c
        on {{ same_series('r', 'c') }}
    group by 1, 2, 3, 4, 5, 6
)

select
    c.company,
    c.metric_code,
    c.dimension,
    c.member,
    c.basis,
    c.fiscal_year,
    c.value,
    c.unit,
    c.precision_step,
    c.qualifier,
    c.report_id,
    c.source_file,
    c.line_number,
    c.page_number,
    c.raw_text,
    c.value_as_printed,
    c.figure_id,
    h.is_restated,
    f.value as first_reported_value,
    f.report_id as first_report_id,
    f.source_file as first_source_file,
    cast(h.n_reports as integer) as n_reports
from current_value as c
inner join history as h
    on {{ same_series('c', 'h') }}
inner join reported as f
    on {{ same_series('c', 'f') }} and f.first_rank = 1
