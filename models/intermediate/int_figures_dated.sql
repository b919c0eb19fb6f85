{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ drop_companies_changed(ref('int_figures_mapped'), ['report_id', 'source_file', 'publication_date']) }}",
    )
}}
-- Every figure of int_figures_mapped with its fiscal year (a refused squashed split's candidates only
-- where intermediate.int_squashed_splits chose one, with split_evidence): the year its table or sentence prints,
-- or, for a table that prints no year anywhere (the loaders leave fiscal_year null), the one year
-- the company's other figures corroborate. The year is never assumed from the report's title.
--
-- A table without a year is dated as a whole. Candidates are the fiscal years the report covers
-- (manifest fiscal_year_start .. fiscal_year_end), each with a basis. For each candidate, each
-- mapped figure of the table is compared with the figures the company's reports print for that
-- year under the same metric and split, on that basis (a figure of the table whose basis nothing
-- names, as_reported, is compared on any): it agrees when one of them is the same value within
-- printed rounding (macro agrees_within_rounding), it differs when there are some and none agrees.
-- Zero equal to zero is no evidence (it matches any year) and is not counted. The table takes the
-- candidate with at least two agreeing figures, more agreeing than differing, when no other
-- candidate has as many, and when no series appears twice in it (two columns of one metric are
-- two periods or scenarios the header does not name: Current / Previous, Budget / Actual).
-- A figure that differs from the candidate's stays undated (it is not the figure printed for that
-- year, whatever it is). A figure with no basis of its own takes the candidate's basis when it was
-- compared on it or could not be compared at all (Rio Tinto's product-group table prints no basis:
-- its totals are the equity-basis figures); one the company prints on other bases only keeps its own.
-- year_evidence says how many agreed and differed, and which lines agreed. A table no candidate
-- settles keeps a null year: marts.mart_extraction_issues reports its figures.
with splits as (
    select * from {{ ref('int_squashed_splits') }} where chosen_candidate is not null
),

figures as (
    -- A refused squashed split's candidates (kpi_table_squashed_split) only where dbt chose one.
    select f.*, s.split_evidence
    from {{ ref('int_figures_mapped') }} as f
    left join splits as s
        on f.document_id = s.document_id and f.split_row = s.split_row
    where (f.split_row is null or f.split_candidate = s.chosen_candidate)
    -- a company's tables are dated by all its reports: it is read again whole when one changes
    {{ not_held('company', 'f.company', 'and') }}
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

pairs as (
    -- An undated figure beside each dated figure of its series in the report's period.
    select
        u.document_id,
        u.table_seq,
        u.figure_id,
        u.basis as own_basis,
        p.fiscal_year as candidate_year,
        p.basis as candidate_basis,
        p.report_id as agreeing_report,
        p.line_start as agreeing_line,
        {{ agrees_within_rounding('u.value_canonical', 'p.value_canonical', 'u.precision_step', 'p.precision_step') }} as agrees,
        u.value_canonical = 0 as is_zero
    from undated as u
    inner join figures as p
        on u.company = p.company and u.metric_code = p.metric_code
       and u.dimension = p.dimension and u.member = p.member
       and (u.basis = p.basis or u.basis = 'as_reported')
       and p.fiscal_year between u.fiscal_year_start and u.fiscal_year_end
       and p.mapping_status = 'mapped'
),

comparisons as (
    -- One row per (undated figure, candidate): agrees (1), differs (0); zero against zero left out.
    select
        document_id, table_seq, candidate_year, candidate_basis, figure_id,
        max(case when agrees then 1 else 0 end) as agrees
    from pairs
    where not (agrees and is_zero)
    group by document_id, table_seq, candidate_year, candidate_basis, figure_id
),

agreeing_lines as (
    select distinct document_id, table_seq, candidate_year, candidate_basis, agreeing_report, agreeing_line
    from pairs
    where agrees and not is_zero
),

tallies as (
    select
        document_id,
        table_seq,
        candidate_year,
        candidate_basis,
        sum(agrees) as n_agree,
        sum(1 - agrees) as n_differ
    from comparisons
    group by document_id, table_seq, candidate_year, candidate_basis
),

repeated_series as (
    select document_id, table_seq
    from undated
    group by document_id, table_seq, metric_code, dimension, member, basis
    having count(*) > 1
),

chosen as (
    select
        t.document_id,
        t.table_seq,
        t.candidate_year,
        t.candidate_basis,
        cast(t.n_agree as {{ text_type() }}) || ' of ' || cast(t.n_agree + t.n_differ as {{ text_type() }})
            || ' figures agree with those printed for ' || cast(t.candidate_year as {{ text_type() }})
            || ' on basis ' || t.candidate_basis || ' ('
            || (select {{ ordered_string_agg("a.agreeing_report || ' line ' || cast(a.agreeing_line as " ~ text_type() ~ ")", ', ',
                                                 'a.agreeing_report, a.agreeing_line') }}
                from agreeing_lines as a
                where a.document_id = t.document_id and a.table_seq = t.table_seq
                  and a.candidate_year = t.candidate_year and a.candidate_basis = t.candidate_basis)
            || ')' as year_evidence
    from tallies as t
    where t.n_agree >= 2
      and t.n_agree > t.n_differ
      and not exists (
          select 1 from tallies as o
          where o.document_id = t.document_id and o.table_seq = t.table_seq
            and (o.candidate_year <> t.candidate_year or o.candidate_basis <> t.candidate_basis)
            and o.n_agree >= t.n_agree
      )
      and not exists (
          select 1 from repeated_series as r
          where r.document_id = t.document_id and r.table_seq = t.table_seq
      )
),

dated as (
    -- The figures of a chosen table that take its year (those that differ do not), and their basis.
    select
        f.figure_id,
        c.candidate_year,
        c.year_evidence,
        case
            when f.basis <> 'as_reported' or f.mapping_status <> 'mapped' then f.basis
            when exists (select 1 from comparisons as k where k.figure_id = f.figure_id
                         and k.candidate_year = c.candidate_year and k.candidate_basis = c.candidate_basis)
                or not exists (select 1 from comparisons as k where k.figure_id = f.figure_id
                               and k.candidate_year = c.candidate_year)
                then c.candidate_basis
            else f.basis
        end as basis
    from figures as f
    inner join chosen as c
        on f.document_id = c.document_id and f.table_seq = c.table_seq
    where f.fiscal_year is null
      and not exists (
          select 1 from comparisons as k
          where k.figure_id = f.figure_id and k.candidate_year = c.candidate_year
            and k.candidate_basis = c.candidate_basis and k.agrees = 0
      )
),

differing as (
    select
        f.figure_id,
        'its table is dated ' || cast(c.candidate_year as {{ text_type() }}) || ', but this figure differs from the one printed for '
            || cast(c.candidate_year as {{ text_type() }}) || ': ' || c.year_evidence as year_evidence
    from figures as f
    inner join chosen as c
        on f.document_id = c.document_id and f.table_seq = c.table_seq
    where f.fiscal_year is null
      and exists (
          select 1 from comparisons as k
          where k.figure_id = f.figure_id and k.candidate_year = c.candidate_year
            and k.candidate_basis = c.candidate_basis and k.agrees = 0
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
    cast(coalesce(f.fiscal_year, dt.candidate_year) as integer) as fiscal_year,
    case
        when f.fiscal_year is not null then 'printed'
        when dt.candidate_year is not null then 'corroborated'
    end as year_source,
    coalesce(dt.year_evidence, df.year_evidence) as year_evidence,
    f.split_evidence,
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
    coalesce(dt.basis, f.basis) as basis,
    f.canonical_unit,
    f.unit_factor,
    f.value_canonical,
    f.precision_step,
    f.mapping_status
from figures as f
left join dated as dt
    on f.figure_id = dt.figure_id
left join differing as df
    on f.figure_id = df.figure_id
