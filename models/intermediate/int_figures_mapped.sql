{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ drop_documents_changed({'report_id': 'report_id', 'company': 'company', 'source_file': 'source_file', 'publication_date': 'publication_date'}) }}",
    )
}}
-- depends_on: {{ ref('int_current_documents') }} (the pre-hook reads it: which documents are served)
-- Each reported figure with its meaning (seeds/label_aliases.csv) and its value in the metric's
-- canonical unit (seeds/unit_conversions.csv).
--
-- A figure is printed with a label path: its row label, the group row above it, its column header
-- (`2022 > Landlord Controlled`: the part besides the year) and the table title. An alias matches
-- one part (`part`: row, group (or the section above it), column or title; row by default) and gives the figure some of
-- its meaning: a metric, a split (dimension + member), a basis, or several of them. The meaning
-- is put together from the best alias of each kind:
--   - metric: the most specific alias that names a metric, among those whose metric the
--     printed unit converts to: the part nearest the cell (row > group > column > title), then
--     exact > prefix > suffix > contains, then a context, then a text, then the longer label;
--   - split: the metric alias's own split if it has one, else the most specific alias that names
--     only a split (Male in a column, Industrial in a group), else total;
--   - basis: every basis the matching aliases name (employees + permanent), else as_reported.
-- A metric named by the group, the column or the title (`Total Waste Generated`, `On Health &
-- Safety`, `Portfolio GHG Emissions`) applies to a row only when the row itself is explained, as a
-- split member, a basis or a total (Industrial, Permanent (D), Total), and its column is too (a
-- year, a split, a basis or a total): the rows of a table of fuels by type are not the table's
-- total. A split one part names (areas of water stress, category 10) beside a split another part
-- names (surface water, iron ore) is two splits, which the marts cannot hold: reported, not mapped.
-- Row aliases match the row label exactly (tables and highlights), as its prefix or suffix, or
-- contained in it (footnotes, prose); a label ending in a bracketed unit (`Scope 1 (tCO2e)`) or a
-- formula reference (`(A+B+C)`) also matches without it. Column and title aliases match one level of the header path;
-- a column prefix alias also matches the start of the whole header read as one text (its lines joined). An optional
-- context must be the figure's group, category or section, and an optional text must stand in the
-- label or the source line. Splits come from tables only. Two equally specific aliases that
-- disagree leave the figure 'ambiguous_label': reported in marts.mart_extraction_issues, never
-- guessed.
with units as (
    select
        {{ normalise_label('unit_printed') }} as unit_key,
        canonical_unit,
        factor,
        coalesce(divisor, 1) as divisor,
        metric_code as only_metric
    from {{ ref('unit_conversions') }}
),

unit_keys as (
    select distinct unit_key from units
),

metric_units as (
    -- The units each metric's figures may be printed in (a unit row for one metric only applies
    -- to it), so that a figure finds its factor by equality (hash joins).
    select u.unit_key, d.metric_code, u.factor, u.divisor
    from units as u
    inner join {{ ref('metric_dictionary') }} as d
        on u.canonical_unit = d.canonical_unit
    where u.only_metric is null or u.only_metric = d.metric_code
),

figures as (
    -- Only what matching reads (the output takes the rest from int_figures_current): this CTE is
    -- read by every branch below, and at 10,000 reports its wide rows were most of the model's memory.
    select
        f.figure_id,
        f.label_key,
        f.group_key,
        f.section_key,
        f.category_key,
        f.column_key,
        f.column_text_key,
        f.column_member,
        f.title_key,
        f.unit_key,
        f.label_unit_key,
        f.group_unit_key,
        f.column_unit_key,
        f.column_tail3_unit_key,
        f.column_tail2_unit_key,
        f.column_tail1_unit_key,
        f.title_unit_key,
        m.kind as method_kind,
        lower(f.label_key || ' ' || {{ normalise_label('f.raw_text') }}) as text_key,
        case when lu.unit_key is not null and f.label_unit_key <> ''
            then {{ re_replace('f.label_key', '\\([^()]*\\)$', '') }} else {{ without_formula('f.label_key') }} end as label_core,
        case when gu.unit_key is not null and f.group_unit_key <> ''
            then {{ re_replace('f.group_key', '\\([^()]*\\)$', '') }} else {{ without_formula('f.group_key') }} end as group_core
    from {{ ref('int_figures_current') }} as f
    inner join {{ ref('extraction_methods') }} as m
        on f.extraction_method = m.extraction_method
    left join unit_keys as lu
        on lu.unit_key = f.label_unit_key
    left join unit_keys as gu
        on gu.unit_key = f.group_unit_key
    where f.is_reported
    {{ documents_not_held('f.document_id', 'and') }}
),

aliases as (
    select
        case when coalesce(part, 'row') in ('column', 'title')
            then replace({{ label_key('label_key') }}, '>', '|') else {{ label_key('label_key') }} end as alias_label,
        replace({{ label_key('label_key') }}, '>', '') as alias_text_label,
        coalesce({{ label_key('context_key') }}, '') as alias_context,
        coalesce(match, 'exact') as alias_match,
        coalesce(lower({{ normalise_label('text_contains') }}), '') as alias_text,
        coalesce(lower({{ normalise_label('text_excludes') }}), '') as alias_excluded,
        coalesce(part, 'row') as alias_part,
        metric_code,
        dimension,
        member,
        coalesce(basis, '') as basis
    from {{ ref('label_aliases') }}
),

alias_pairs as (
    -- Each figure beside every alias its label path matches, one kind of alias at a time so that
    -- each is tried only where it can match: an exact row or group alias is found by equality (a
    -- hash join, each key only where an earlier key does not hold the same text), the others by
    -- LIKE against every figure (rows) or every table figure (groups, columns, titles).
    {%- set pair = 'f.figure_id, f.group_key, f.category_key, f.section_key, f.text_key, f.method_kind, a.*' %}
    {%- set exact_keys = {'row': ['label_key', 'label_core'], 'group': ['group_key', 'group_core', 'section_key']} %}
    {%- for part, keys in exact_keys.items() %}
    {%- for key in keys %}
    select {{ pair }}
    from figures as f
    inner join aliases as a
        on a.alias_part = '{{ part }}' and a.alias_match = 'exact' and a.alias_label = f.{{ key }}
    where f.method_kind in {{ "('table', 'highlight')" if part == 'row' else "('table')" }}
    {%- for earlier in keys[:loop.index0] %}
      and f.{{ key }} is distinct from f.{{ earlier }}
    {%- endfor %}
    union all
    {%- endfor %}
    {%- endfor %}
    select {{ pair }}
    from figures as f
    inner join aliases as a
        on a.alias_part = 'row' and (
            (a.alias_match = 'prefix' and f.label_key like a.alias_label || '%'
                and f.method_kind in ('table', 'highlight'))
            or (a.alias_match = 'suffix' and a.alias_label <> '' and
                (f.label_key like '%' || a.alias_label or f.label_core like '%' || a.alias_label)
                and f.method_kind in ('table', 'highlight'))
            or (a.alias_match = 'contains' and f.label_key like '%' || a.alias_label || '%'))
    union all
    select {{ pair }}
    from figures as f
    inner join aliases as a
        on a.alias_part = 'group' and (
            (a.alias_match = 'prefix' and (f.group_key like a.alias_label || '%' or f.section_key like a.alias_label || '%'))
            or (a.alias_match = 'suffix' and (f.group_key like '%' || a.alias_label or f.section_key like '%' || a.alias_label))
            or (a.alias_match = 'contains' and (f.group_key like '%' || a.alias_label || '%'
                                                or f.section_key like '%' || a.alias_label || '%')))
    where f.method_kind = 'table'
    union all
    select {{ pair }}
    from figures as f
    inner join aliases as a
        on a.alias_part in ('column', 'title') and (
            (a.alias_match = 'exact'
                and (case a.alias_part when 'column' then f.column_key else f.title_key end) like '%|' || a.alias_label || '|%')
            or (a.alias_match = 'prefix'
                and (case a.alias_part when 'column' then f.column_key else f.title_key end) like '%|' || a.alias_label || '%')
            -- a column header printed over several lines, read as one text
            or (a.alias_match = 'prefix' and a.alias_part = 'column'
                and f.column_text_key like a.alias_text_label || '%')
            or (a.alias_match = 'suffix'
                and (case a.alias_part when 'column' then f.column_key else f.title_key end) like '%' || a.alias_label || '|%')
            or (a.alias_match = 'contains'
                and (case a.alias_part when 'column' then f.column_key else f.title_key end) like '%' || a.alias_label || '%'))
    where f.method_kind = 'table'
),

matches as (
    select
        p.figure_id,
        p.alias_part,
        p.metric_code,
        p.dimension,
        p.member,
        p.basis,
        -- the part nearest the cell first (row > group > column > title), then the match
        (case p.alias_part when 'row' then 40000 when 'group' then 30000 when 'column' then 20000 else 10000 end)
        + (case p.alias_match when 'exact' then 3000 when 'prefix' then 2500 when 'suffix' then 2000 else 1000 end)
        + (case
               when p.alias_context = '' then 0
               when p.alias_context = p.group_key or p.group_key like '%' || p.alias_context then 300
               when p.alias_context = p.category_key then 200
               else 100
           end)
        + (case when p.alias_text = '' then 0 else 50 end)
        + length(p.alias_label) as score
    from alias_pairs as p
    where (p.alias_context = '' or p.alias_context in (p.group_key, p.category_key, p.section_key)
           or p.group_key like '%' || p.alias_context)
      and (p.alias_text = '' or p.text_key like '%' || p.alias_text || '%')
      and (p.alias_excluded = '' or p.text_key not like '%' || p.alias_excluded || '%')
      -- Splits (男性, 其他国家及地区, Male, Industrial …) are read from tables only: outside a
      -- table a member label has no block to say what it splits.
      and (coalesce(p.dimension, 'total') = 'total' or p.method_kind = 'table')
),

explained as (
    -- Rows and columns that say what part of a table's metric they hold (see above).
    select
        f.figure_id,
        (f.label_core in ('total', 'totals', '合计', '总计')
         or bool_or(m.alias_part = 'row' and m.metric_code is null)) as row_explained,
        (coalesce(f.column_member, '') = '' or bool_or(m.alias_part = 'column')) as column_explained
    from figures as f
    left join matches as m
        on f.figure_id = m.figure_id
    group by f.figure_id, f.label_core, f.column_member
),

metric_candidates as (
    -- Only metrics the figure's unit converts to: the printed unit, else a bracketed unit of the
    -- label, its group, its column (or the unit its header ends with), or the title, else no unit at all.
    select
        mt.figure_id,
        mt.metric_code,
        mt.dimension,
        mt.member,
        mt.score,
        d.canonical_unit,
        case
            when f.unit_key <> '' then u0.factor
            else coalesce(u1.factor, u2.factor, u3.factor, u6.factor, u7.factor, u8.factor, u4.factor, u5.factor)
        end as factor,
        case
            when f.unit_key <> '' then u0.divisor
            else coalesce(u1.divisor, u2.divisor, u3.divisor, u6.divisor, u7.divisor, u8.divisor, u4.divisor, u5.divisor)
        end as divisor
    from matches as mt
    inner join figures as f
        on mt.figure_id = f.figure_id
    inner join {{ ref('metric_dictionary') }} as d
        on mt.metric_code = d.metric_code
    left join metric_units as u0 on u0.unit_key = f.unit_key and u0.metric_code = mt.metric_code
    left join metric_units as u1 on u1.unit_key = nullif(f.label_unit_key, '') and u1.metric_code = mt.metric_code
    left join metric_units as u2 on u2.unit_key = nullif(f.group_unit_key, '') and u2.metric_code = mt.metric_code
    left join metric_units as u3 on u3.unit_key = nullif(f.column_unit_key, '') and u3.metric_code = mt.metric_code
    left join metric_units as u6 on u6.unit_key = nullif(f.column_tail3_unit_key, '') and u6.metric_code = mt.metric_code
    left join metric_units as u7 on u7.unit_key = nullif(f.column_tail2_unit_key, '') and u7.metric_code = mt.metric_code
    left join metric_units as u8 on u8.unit_key = nullif(f.column_tail1_unit_key, '') and u8.metric_code = mt.metric_code
    left join metric_units as u4 on u4.unit_key = nullif(f.title_unit_key, '') and u4.metric_code = mt.metric_code
    left join metric_units as u5 on u5.unit_key = '' and u5.metric_code = mt.metric_code
    inner join explained as e
        on mt.figure_id = e.figure_id
    where mt.metric_code is not null
      and (mt.alias_part = 'row' or (e.row_explained and e.column_explained))
),

best_metric as (
    select
        figure_id,
        min(metric_code) as metric_code,
        min(dimension) as dimension,
        min(member) as member,
        min(canonical_unit) as canonical_unit,
        min(factor) as factor,
        min(divisor) as divisor,
        count(distinct metric_code || '|' || coalesce(dimension, '') || '|' || coalesce(member, '')) as n_best
    from (
        select *, rank() over (partition by figure_id order by score desc) as rank_
        from metric_candidates
        where factor is not null
    ) as ranked
    where rank_ = 1
    group by figure_id
),

best_split as (
    -- An alias that names only a split (Male, Industrial): for metrics whose own alias names none.
    -- A metric alias that says its figure is a total (an intensity, a grand total printed under
    -- the last group row) is split only by the title (areas of water stress).
    select
        r.figure_id,
        min(r.dimension) as dimension,
        min(r.member) as member,
        count(distinct r.dimension || '|' || r.member) as n_best
    from (
        -- a real split before a total (`Total employee (by gender)` explains the row; Male splits it)
        select m.*, rank() over (partition by m.figure_id order by (m.dimension <> 'total') desc, m.score desc) as rank_
        from matches as m
        inner join best_metric as b
            on m.figure_id = b.figure_id
        where m.metric_code is null and m.dimension is not null
          and (b.dimension is null or (b.dimension = 'total' and m.alias_part = 'title'))
    ) as r
    where r.rank_ = 1
    group by r.figure_id
),

two_splits as (
    -- Two parts name splits of two dimensions: the title areas of water stress and the row
    -- surface water, the group category 10 and the row iron ore.
    select figure_id
    from matches
    where dimension is not null and dimension <> 'total'
    group by figure_id
    having count(distinct dimension) > 1 and count(distinct alias_part) > 1
),

basis_tokens as (
    select distinct figure_id, trim(token) as token
    from (
        select figure_id, {{ split_to_rows('basis', '+') }} as token
        from matches
        where basis <> ''
    ) as split
    where trim(token) <> ''
),

basis as (
    select figure_id, {{ ordered_string_agg('token', '+', 'token') }} as basis
    from basis_tokens
    group by figure_id
),

label_matched as (
    select distinct figure_id from matches where metric_code is not null
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
    f.fiscal_year,
    f.value_text,
    f.value,
    f.unit_text,
    f.unit_key,
    f.label_footnotes,
    f.value_footnotes,
    f.qualifier,
    f.printed_decimals,
    f.split_row,
    f.split_candidate,
    b.metric_code,
    coalesce(s.dimension, b.dimension, case when b.metric_code is not null then 'total' end) as dimension,
    coalesce(s.member, b.member, case when b.metric_code is not null then 'total' end) as member,
    case when b.metric_code is not null then coalesce(bs.basis, 'as_reported') end as basis,
    b.canonical_unit,
    b.factor as unit_factor,
    -- exact where the factor is (a decimal), else through a double (1 GJ = 1/3.6 MWh)
    case when b.divisor = 1 then cast(f.value * b.factor as decimal(38, 10))
         else cast(cast(f.value * b.factor as {{ float_type() }}) / cast(b.divisor as {{ float_type() }}) as decimal(38, 10))
    end as value_canonical,
    cast({{ ten_to_minus('f.printed_decimals') }} * b.factor / b.divisor as {{ float_type() }}) as precision_step,
    case
        when b.figure_id is not null and ts.figure_id is not null then 'two_splits'
        -- `截至 2024 年 5 月` in a report on 2021-2023: a status at publication, not the fiscal year's
        -- value (a later report's full-year figure would look like a restatement of it)
        when b.figure_id is not null and f.fiscal_year > f.report_fiscal_year_end then 'after_report_period'
        when b.figure_id is not null and (b.n_best > 1 or s.n_best > 1) then 'ambiguous_label'
        when b.figure_id is not null then 'mapped'
        when lm.figure_id is not null then 'unmapped_unit'
        else 'unmapped_label'
    end as mapping_status
from {{ ref('int_figures_current') }} as f
inner join figures as k
    on f.figure_id = k.figure_id
left join best_metric as b
    on f.figure_id = b.figure_id
left join best_split as s
    on f.figure_id = s.figure_id
left join basis as bs
    on f.figure_id = bs.figure_id
left join label_matched as lm
    on f.figure_id = lm.figure_id
left join two_splits as ts
    on f.figure_id = ts.figure_id
