-- Every figure as each report states it: one row per (company, metric, dimension, member, basis,
-- fiscal year, report). When a report states the same figure more than once (a table cell and a
-- highlight, two highlights), the most authoritative statement is kept: one whose year is printed
-- before one whose year is corroborated; then by seeds/extraction_methods.csv (a table cell, then a
-- table footnote, a highlight, prose); an exact figure before a bound; the
-- value stated most often; the earliest line. n_statements and has_conflict say what was set aside.
-- year_source says whether the fiscal year is printed with the figure or, for a table that prints
-- none, corroborated by the company's other figures (intermediate.int_figures_dated). split_evidence:
-- a squashed row the segmenter refused, split as the checks of intermediate.int_squashed_splits chose.
with mapped as (
    select
        f.*,
        em.authority_rank as method_rank,
        count(*) over (
            partition by f.company, f.metric_code, f.dimension, f.member, f.basis, f.fiscal_year, f.report_id,
                         f.value_canonical
        ) as same_value_statements
    from {{ ref('int_figures_dated') }} as f
    inner join {{ ref('extraction_methods') }} as em
        on f.extraction_method = em.extraction_method
    where f.mapping_status = 'mapped' and f.fiscal_year is not null
),

value_counts as (
    select company, metric_code, dimension, member, basis, fiscal_year, report_id,
           count(distinct value_canonical) as n_values
    from mapped
    group by 1, 2, 3, 4, 5, 6, 7
),

ranked as (
    select
        m.*,
        v.n_values,
        row_number() over (
            partition by m.company, m.metric_code, m.dimension, m.member, m.basis, m.fiscal_year, m.report_id
            order by case when m.year_source = 'printed' then 0 else 1 end, m.method_rank,
                     case when m.qualifier = 'exact' then 0 else 1 end,
                     m.same_value_statements desc, m.line_start, m.figure_id
        ) as rank_,
        count(*) over (
            partition by m.company, m.metric_code, m.dimension, m.member, m.basis, m.fiscal_year, m.report_id
        ) as n_statements
    from mapped as m
    inner join value_counts as v
        on {{ same_series('m', 'v') }} and m.report_id = v.report_id
)

select
    company,
    metric_code,
    dimension,
    member,
    basis,
    fiscal_year,
    report_id,
    value_canonical as value,
    canonical_unit as unit,
    precision_step,
    source_file,
    publication_date,
    page as page_number,
    line_start as line_number,
    raw_text,
    value_text as value_as_printed,
    unit_text as unit_as_printed,
    label_path as label_as_printed,
    column_member as column_as_printed,
    table_title,
    label_footnotes,
    value_footnotes,
    qualifier,
    extraction_method,
    year_source,
    year_evidence,
    split_evidence,
    cast(n_statements as integer) as n_statements,
    n_values > 1 as has_conflict,
    figure_id
from ranked
where rank_ = 1
