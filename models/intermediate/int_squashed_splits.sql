-- The refused splits of squashed rows (raw.quarantine ambiguous_split, numbered split_row) and the
-- candidate dbt chooses for each, if any. The loaders keep every close call as figures of method
-- kpi_table_squashed_split (split_row, split_candidate); parsing never chooses.
--
-- Each candidate's values meet the checks available for them:
--   corroboration  a figure the company prints with one reading (exact, not a candidate; in this
--                  report or another) under the same metric, split, basis and year: agrees within
--                  printed rounding (macro agrees_within_rounding), or differs;
--   members_sum    a member of a count (canonical unit persons or count): with the other members the
--                  same table prints for that year, it makes exactly the total the table prints
--                  (agrees), or not (differs) — a shortfall contradicts only when no other member of
--                  that split is itself an open candidate row (as marts test assert_splits_sum_to_totals
--                  holds a complete table's members to its total); no check where a member stands
--                  twice in the table.
-- A candidate is consistent when no check differs. The row takes the candidate when it is the only
-- consistent one and at least one check agrees with it; otherwise none is chosen, and the row stays
-- in marts.mart_extraction_issues. split_evidence says which checks decided, and where.
with figures as (
    select * from {{ ref('int_figures_mapped') }}
),

candidates as (
    select * from figures where split_row is not null
),

candidate_list as (
    select document_id, split_row, split_candidate, min(report_id) as report_id,
           {{ ordered_string_agg('value_text', ' / ', 'fiscal_year') }} as printed_values
    from candidates
    group by document_id, split_row, split_candidate
),

settled as (
    -- Figures printed with one reading: every mapped, dated, exact figure that is not a candidate
    -- (a bound, `more than 1,000`, checks nothing).
    select * from figures
    where split_row is null and mapping_status = 'mapped' and fiscal_year is not null and qualifier = 'exact'
),

corroboration_pairs as (
    select
        c.document_id, c.split_row, c.split_candidate, c.figure_id, c.fiscal_year, c.value_text,
        s.report_id as by_report, s.line_start as by_line,
        {{ agrees_within_rounding('c.value_canonical', 's.value_canonical', 'c.precision_step', 's.precision_step') }} as agrees
    from candidates as c
    inner join settled as s
        on {{ same_series('c', 's') }}
    where c.mapping_status = 'mapped'
),

corroboration as (
    select
        document_id, split_row, split_candidate, figure_id,
        max(case when agrees then 1 else 0 end) as agrees,
        min(case when agrees then cast(fiscal_year as {{ text_type() }}) || ' ' || value_text || ' as ' || by_report
                 || ' line ' || cast(by_line as {{ text_type() }}) || ' prints it' end) as evidence
    from corroboration_pairs
    group by document_id, split_row, split_candidate, figure_id
),

member_totals as (
    -- For a member of a count: the total its report prints for that year, and the other members.
    select
        c.document_id, c.split_row, c.split_candidate, c.figure_id, c.fiscal_year, c.value_text,
        c.value_canonical,
        t.value_canonical as total,
        t.value_text as total_text,
        t.line_start as total_line,
        (select sum(o.value_canonical) from settled as o
         where o.document_id = c.document_id and o.table_seq = c.table_seq and o.metric_code = c.metric_code
           and o.basis = c.basis and o.fiscal_year = c.fiscal_year and o.dimension = c.dimension
           and o.member <> c.member) as others,
        exists(
            -- a member printed twice in the table: no sum to trust
            select 1 from settled as o
            where o.document_id = c.document_id and o.table_seq = c.table_seq and o.metric_code = c.metric_code
              and o.basis = c.basis and o.fiscal_year = c.fiscal_year and o.dimension = c.dimension
            group by o.member having count(*) > 1
        ) as members_repeat,
        exists(
            select 1 from candidates as o
            where o.document_id = c.document_id and o.split_row <> c.split_row and o.metric_code = c.metric_code
              and o.basis = c.basis and o.fiscal_year = c.fiscal_year and o.dimension = c.dimension
              and o.member <> c.member
        ) as sibling_open
    from candidates as c
    inner join {{ ref('metric_dictionary') }} as d
        on d.metric_code = c.metric_code and d.canonical_unit in ('persons', 'count')
    inner join settled as t
        on t.document_id = c.document_id and t.table_seq = c.table_seq and t.metric_code = c.metric_code
       and t.basis = c.basis and t.fiscal_year = c.fiscal_year and t.dimension = 'total'
    where c.mapping_status = 'mapped' and c.dimension <> 'total'
),

members_sum as (
    select
        document_id, split_row, split_candidate, figure_id,
        case when coalesce(others, 0) + value_canonical = total then 1 else 0 end as agrees,
        case when coalesce(others, 0) + value_canonical = total
            then cast(fiscal_year as {{ text_type() }}) || ' ' || value_text || ' makes the members sum to the total '
                 || total_text || ' (line ' || cast(total_line as {{ text_type() }}) || ')' end as evidence
    from member_totals
    -- with every other member settled, the members must make the total; with another member still
    -- open, only exceeding the total contradicts
    where not members_repeat and (not sibling_open or coalesce(others, 0) + value_canonical > total)
),

checks as (
    select * from corroboration
    union all
    select * from members_sum
),

tallies as (
    select
        l.document_id, l.split_row, l.split_candidate, l.report_id, l.printed_values,
        coalesce(sum(k.agrees), 0) as n_agree,
        coalesce(sum(1 - k.agrees), 0) as n_differ,
        {{ ordered_string_agg('k.evidence', '; ', 'k.evidence') }} as evidence
    from candidate_list as l
    left join checks as k
        on k.document_id = l.document_id and k.split_row = l.split_row and k.split_candidate = l.split_candidate
    group by l.document_id, l.split_row, l.split_candidate, l.report_id, l.printed_values
),

per_row as (
    select
        document_id, split_row, min(report_id) as report_id,
        count(*) as n_candidates,
        sum(case when n_differ = 0 then 1 else 0 end) as n_consistent
    from tallies
    group by document_id, split_row
)

select
    r.document_id,
    r.split_row,
    r.report_id,
    cast(r.n_candidates as integer) as n_candidates,
    t.split_candidate as chosen_candidate,
    case when t.split_candidate is not null then
        'candidate ' || cast(t.split_candidate as {{ text_type() }}) || ' of ' || cast(r.n_candidates as {{ text_type() }})
        || ' (' || t.printed_values || '): ' || t.evidence || '; every other candidate differs from a check'
    end as split_evidence
from per_row as r
left join tallies as t
    on t.document_id = r.document_id and t.split_row = r.split_row
   and r.n_consistent = 1 and t.n_differ = 0 and t.n_agree >= 1
