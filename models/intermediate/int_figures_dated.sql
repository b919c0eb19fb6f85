-- Every figure of int_figures_mapped with its fiscal year: the year its table or sentence prints,
-- or, for a table that prints no year anywhere (the loaders leave fiscal_year null), the one year
-- the company's other figures corroborate. The year is never assumed from the report's title.
--
-- A table without a year is dated as a whole. Candidates are the fiscal years the report covers
-- (manifest fiscal_year_start .. fiscal_year_end), each with a basis. For each candidate, each
-- mapped figure of the table is compared with the figures the company's reports print for that
-- year under the same metric and split, on that basis (a figure of the table whose basis nothing
-- names, as_reported, is compared on any): it agrees when one of them is the same value within
-- printed rounding (macro agrees_within_rounding), it differs when there are some and none agrees.
-- The table takes the candidate with at least two agreeing figures, more agreeing than differing,
-- when no other candidate has as many; its as_reported figures take the candidate's basis too
-- (Rio Tinto's product-group table prints no basis: its totals are the equity-basis figures).
-- year_evidence says how many agreed and differed, and which lines agreed. A table no candidate
-- settles keeps a null year: marts.mart_extraction_issues reports its figures.
with figures as (
    select * from {{ ref('int_figures_mapped') }}
),

documents as (
    select document_id, fiscal_year_start, fiscal_year_end from {{ ref('stg_raw__documents') }}
),

undated as (
    select f.*, d.fiscal_year_start, d.fiscal_year_end
    from figures as f
    inner join documents as d
        on f.document_id = d.document_id
    where f.fiscal_year is null and f.mapping_status = 'mapped' and f.table_seq is not null
),

comparisons as (
    -- One row per (undated figure, candidate year) with a dated figure of the same series.
    select
        u.document_id,
        u.table_seq,
        p.fiscal_year as candidate_year,
        p.basis as candidate_basis,
        u.figure_id,
        max(case when {{ agrees_within_rounding('u.value_canonical', 'p.value_canonical', 'u.precision_step', 'p.precision_step') }}
            then 1 else 0 end) as agrees,
        min(case when {{ agrees_within_rounding('u.value_canonical', 'p.value_canonical', 'u.precision_step', 'p.precision_step') }}
            then p.report_id || ' line ' || cast(p.line_start as varchar) end) as agreeing_line
    from undated as u
    inner join figures as p
        on u.company = p.company and u.metric_code = p.metric_code
       and u.dimension = p.dimension and u.member = p.member
       and (u.basis = p.basis or u.basis = 'as_reported')
       and p.fiscal_year between u.fiscal_year_start and u.fiscal_year_end
       and p.mapping_status = 'mapped'
    group by u.document_id, u.table_seq, p.fiscal_year, p.basis, u.figure_id
),

tallies as (
    select
        document_id,
        table_seq,
        candidate_year,
        candidate_basis,
        sum(agrees) as n_agree,
        sum(1 - agrees) as n_differ,
        string_agg(agreeing_line, ', ' order by agreeing_line) as agreeing_lines
    from comparisons
    group by document_id, table_seq, candidate_year, candidate_basis
),

chosen as (
    select
        t.document_id,
        t.table_seq,
        t.candidate_year,
        t.candidate_basis,
        cast(t.n_agree as varchar) || ' of ' || cast(t.n_agree + t.n_differ as varchar)
            || ' figures agree with those printed for ' || cast(t.candidate_year as varchar)
            || ' on basis ' || t.candidate_basis || ' (' || t.agreeing_lines || ')' as year_evidence
    from tallies as t
    where t.n_agree >= 2
      and t.n_agree > t.n_differ
      and not exists (
          select 1 from tallies as o
          where o.document_id = t.document_id and o.table_seq = t.table_seq
            and (o.candidate_year <> t.candidate_year or o.candidate_basis <> t.candidate_basis)
            and o.n_agree >= t.n_agree
      )
)

select
    f.figure_id,
    f.document_id,
    f.report_id,
    f.company,
    f.source_file,
    f.publication_date,
    f.extraction_method,
    f.table_seq,
    f.page,
    f.line_start,
    f.raw_text,
    f.label_path,
    f.label_key,
    f.group_key,
    f.column_member,
    f.table_title,
    cast(coalesce(f.fiscal_year, c.candidate_year) as integer) as fiscal_year,
    case
        when f.fiscal_year is not null then 'printed'
        when c.candidate_year is not null then 'corroborated'
    end as year_source,
    c.year_evidence,
    f.value_text,
    f.value,
    f.unit_text,
    f.unit_key,
    f.label_footnotes,
    f.value_footnotes,
    f.qualifier,
    f.printed_decimals,
    f.metric_code,
    f.dimension,
    f.member,
    case when c.candidate_basis is not null and f.basis = 'as_reported' then c.candidate_basis else f.basis end as basis,
    f.canonical_unit,
    f.unit_factor,
    f.value_canonical,
    f.precision_step,
    f.mapping_status
from figures as f
left join chosen as c
    on f.fiscal_year is null and f.document_id = c.document_id and f.table_seq = c.table_seq
