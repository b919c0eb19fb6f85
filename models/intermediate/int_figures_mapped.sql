-- Each reported figure with the metric its label maps to (seeds/label_aliases.csv) and its value
-- in the metric's canonical unit (seeds/unit_conversions.csv).
--
-- An alias matches by the label printed in tables and highlights (exact, or as the end of a label
-- a squashed table glued its category onto), or by a phrase the label contains (footnotes, prose);
-- an optional context must be the figure's group, category or section, and an optional text must
-- stand in the label or the source line. Only aliases whose metric the printed unit converts to
-- count. The most specific wins: exact > suffix > contains, then a context, then a text, then the
-- longer label. Splits come from tables only. Two equally specific aliases leave the figure
-- 'ambiguous_label': it is reported in
-- marts.mart_extraction_issues, never guessed.
with figures as (
    select
        *,
        label_key || ' ' || {{ normalise_label('raw_text') }} as text_key
    from {{ ref('stg_raw__figures') }}
    where is_reported
),

aliases as (
    select
        label_key as alias_label,
        coalesce(context_key, '') as alias_context,
        coalesce(match, 'exact') as alias_match,
        coalesce(text_contains, '') as alias_text,
        metric_code,
        dimension,
        member
    from {{ ref('label_aliases') }}
),

units as (
    select {{ normalise_label('unit_printed') }} as unit_key, canonical_unit, factor
    from {{ ref('unit_conversions') }}
),

candidates as (
    select
        f.figure_id,
        a.metric_code,
        a.dimension,
        a.member,
        m.canonical_unit,
        u.factor,
        (case a.alias_match when 'exact' then 3000 when 'suffix' then 2000 else 1000 end)
        + (case
               when a.alias_context = '' then 0
               when a.alias_context = f.group_key or f.group_key like '%' || a.alias_context then 300
               when a.alias_context = f.category_key then 200
               else 100
           end)
        + (case when a.alias_text = '' then 0 else 50 end)
        + length(a.alias_label) as score
    from figures as f
    inner join aliases as a
        on (
            (a.alias_match = 'exact' and f.label_key = a.alias_label
                and f.extraction_method in ('kpi_table', 'kpi_table_squashed', 'highlight'))
            or (a.alias_match = 'suffix' and f.label_key like '%' || a.alias_label
                and f.extraction_method in ('kpi_table', 'kpi_table_squashed', 'highlight'))
            or (a.alias_match = 'contains' and f.label_key like '%' || a.alias_label || '%')
        )
       and (a.alias_context = '' or a.alias_context in (f.group_key, f.category_key, f.section_key)
            or f.group_key like '%' || a.alias_context)
       and (a.alias_text = '' or f.text_key like '%' || a.alias_text || '%')
       -- Splits (男性, 其他国家及地区…) are read from tables only: outside a table a member label
       -- has no block to say what it splits.
       and (a.dimension = 'total' or f.extraction_method in ('kpi_table', 'kpi_table_squashed'))
    inner join {{ ref('metric_dictionary') }} as m
        on a.metric_code = m.metric_code
    left join units as u
        on u.unit_key = f.unit_key
       and u.canonical_unit = m.canonical_unit
),

ranked as (
    select
        *,
        rank() over (partition by figure_id order by score desc) as rank_
    from candidates
    where factor is not null
),

best as (
    select
        figure_id,
        min(metric_code) as metric_code,
        min(dimension) as dimension,
        min(member) as member,
        min(canonical_unit) as canonical_unit,
        min(factor) as factor,
        count(distinct metric_code || '|' || dimension || '|' || member) as n_best
    from ranked
    where rank_ = 1
    group by figure_id
),

label_matched as (
    select distinct figure_id from candidates
)

select
    f.figure_id,
    f.document_id,
    f.report_id,
    f.company,
    f.source_file,
    f.publication_date,
    f.extraction_method,
    f.line_start,
    f.raw_text,
    f.label_path,
    f.label_key,
    f.group_key,
    f.fiscal_year,
    f.value_text,
    f.value,
    f.unit_text,
    f.unit_key,
    f.label_footnotes,
    f.value_footnotes,
    f.qualifier,
    f.printed_decimals,
    b.metric_code,
    b.dimension,
    b.member,
    b.canonical_unit,
    b.factor as unit_factor,
    cast(f.value * b.factor as decimal(38, 10)) as value_canonical,
    cast(power(10.0, -f.printed_decimals) * b.factor as double precision) as precision_step,
    case
        when b.figure_id is not null and b.n_best > 1 then 'ambiguous_label'
        when b.figure_id is not null then 'mapped'
        when lm.figure_id is not null then 'unmapped_unit'
        else 'unmapped_label'
    end as mapping_status
from figures as f
left join best as b
    on f.figure_id = b.figure_id
left join label_matched as lm
    on f.figure_id = lm.figure_id
