-- Year-over-year comparison of the current figures, with an honest like-for-like flag.
--
-- like_for_like: one report states both years, with these current values, and no known
-- methodology or boundary change (seeds/methodology_changes.csv) falls between the two years.
-- lfl_pct_change: the change as stated by the newest report that gives both years on one basis:
-- no basis change (seeds/methodology_changes.csv kind basis) falls between the two years, nor a
-- restatement published by then. A restatement a later report makes does not touch an older
-- report's own pair: ESG 2021 prints 2021 scope 2 and 2020 revised to the same boundary, and that
-- change stands even though SSV 2023 later restated 2021 on another grid factor. So lfl_pct_change
-- can be set while like_for_like, which is about the current values, is false. comparability_note
-- says why a pair is not like-for-like.
with current_values as (
    select * from {{ ref('fct_metric_values') }}
),

pairs as (
    select
        c.company,
        c.metric_code,
        c.dimension,
        c.member,
        c.basis,
        c.fiscal_year,
        cast(c.fiscal_year - 1 as integer) as prior_fiscal_year,
        c.value,
        p.value as prior_value,
        c.unit,
        c.precision_step,
        p.precision_step as prior_precision_step,
        c.report_id,
        p.report_id as prior_report_id,
        c.figure_id,
        p.figure_id as prior_figure_id
    from current_values as c
    inner join current_values as p
        on {{ same_series('c', 'p', fiscal_year=false) }} and p.fiscal_year = c.fiscal_year - 1
),

breaks as (
    select
        {{ series_key('pr.') }}, pr.fiscal_year,
        {{ ordered_string_agg('m.description', '; ', 'm.change_fiscal_year') }} as break_note
    from pairs as pr
    inner join {{ ref('dim_methodology_change') }} as m
        on m.company = pr.company
       and m.metric_code = pr.metric_code
       and m.change_fiscal_year > pr.prior_fiscal_year
       and m.change_fiscal_year <= pr.fiscal_year
    group by 1, 2, 3, 4, 5, 6
),

both_years as (
    -- Reports that state both years of a pair, with the values they state.
    select
        {{ series_key('a.') }}, a.fiscal_year, a.report_id, a.publication_date,
        a.value as value_in_report,
        b.value as prior_value_in_report,
        a.precision_step as step_in_report,
        b.precision_step as prior_step_in_report
    from {{ ref('fct_reported_values') }} as a
    inner join {{ ref('fct_reported_values') }} as b
        on {{ same_series('a', 'b', fiscal_year=false) }} and a.report_id = b.report_id and b.fiscal_year = a.fiscal_year - 1
),

same_values as (
    select distinct {{ series_key('bo.') }}, bo.fiscal_year
    from both_years as bo
    inner join pairs as pr
        on {{ same_series('bo', 'pr') }}
    where {{ agrees_within_rounding('bo.value_in_report', 'pr.value', 'bo.step_in_report', 'pr.precision_step') }}
      and {{ agrees_within_rounding('bo.prior_value_in_report', 'pr.prior_value', 'bo.prior_step_in_report', 'pr.prior_precision_step') }}
),

same_basis_in_report as (
    -- Pairs a report states on one basis: no change known at its publication falls between the years.
    select bo.*
    from both_years as bo
    where not exists (
        select 1
        from {{ ref('dim_methodology_change') }} as m
        where m.company = bo.company
          and m.metric_code = bo.metric_code
          and m.change_fiscal_year > bo.fiscal_year - 1
          and m.change_fiscal_year <= bo.fiscal_year
          and (m.kind <> 'restatement' or m.publication_date <= bo.publication_date)
    )
),

notes as (
    -- The footnotes a figure's markers point at (intermediate.int_figure_notes), as printed.
    select figure_id, {{ ordered_string_agg("marker || '. ' || note_text", ' | ', 'marker') }} as notes
    from (select distinct figure_id, marker, note_text from {{ ref('int_figure_notes') }}) as n
    group by 1
),

newest_basis as (
    select
        *,
        row_number() over (
            partition by {{ series_key() }}, fiscal_year
            order by publication_date desc, report_id desc
        ) as rank_
    from same_basis_in_report
)

select
    pr.company,
    pr.metric_code,
    pr.dimension,
    pr.member,
    pr.basis,
    pr.fiscal_year,
    pr.prior_fiscal_year,
    pr.value,
    pr.prior_value,
    pr.unit,
    cast(pr.value - pr.prior_value as decimal(38, 10)) as abs_change,
    case when pr.prior_value <> 0
        then {{ round_float('cast((pr.value - pr.prior_value) / abs(pr.prior_value) * 100 as ' ~ float_type() ~ ')', 4) }}
    end as pct_change,
    (sv.metric_code is not null and br.metric_code is null) as like_for_like,
    case when nb.prior_value_in_report <> 0
        then {{ round_float('cast((nb.value_in_report - nb.prior_value_in_report) / abs(nb.prior_value_in_report) * 100 as ' ~ float_type() ~ ')', 4) }}
    end as lfl_pct_change,
    nb.report_id as lfl_basis_report,
    case
        when br.metric_code is not null then br.break_note
        when sv.metric_code is null and nb.report_id is null then
            'no single report states both years: ' || cast(pr.fiscal_year as {{ text_type() }}) || ' from ' || pr.report_id
            || ', ' || cast(pr.prior_fiscal_year as {{ text_type() }}) || ' from ' || pr.prior_report_id
        when sv.metric_code is null then
            'no single report states both years with the current figures: ' || cast(pr.fiscal_year as {{ text_type() }})
            || ' from ' || pr.report_id || ', ' || cast(pr.prior_fiscal_year as {{ text_type() }}) || ' from '
            || pr.prior_report_id || ' (a later report restated one of them)'
    end as comparability_note,
    pr.report_id,
    pr.prior_report_id,
    -- what the reports' footnotes say about either figure (SSV 2023 note 1 on the 2023 complaints)
    nullif(
        coalesce(cast(pr.fiscal_year as {{ text_type() }}) || ': ' || cn.notes, '')
        || case when cn.notes is not null and pn.notes is not null then ' | ' else '' end
        || coalesce(cast(pr.prior_fiscal_year as {{ text_type() }}) || ': ' || pn.notes, ''), '') as footnotes
from pairs as pr
left join notes as cn
    on cn.figure_id = pr.figure_id
left join notes as pn
    on pn.figure_id = pr.prior_figure_id
left join breaks as br
    on {{ same_series('pr', 'br') }}
left join same_values as sv
    on {{ same_series('pr', 'sv') }}
left join newest_basis as nb
    on {{ same_series('pr', 'nb') }} and nb.rank_ = 1
