{{ config(materialized='incremental', incremental_strategy='append') }}
-- Figures of every loaded document version, as raw holds them, with match keys for labels and
-- units (one to one with the source: which versions are current is intermediate's choice).
select
    f.figure_id,
    f.document_id,
    f.extraction_method,
    f.table_seq,
    f.table_title,
    f.page,
    f.line_start,
    f.line_end,
    f.raw_text,
    f.section_label,
    f.category,
    f.group_label,
    f.row_label,
    f.label_path,
    f.label_path_zh_hans,
    f.column_label,
    f.column_member,
    f.fiscal_year,
    f.cell_text,
    f.value_text,
    f.value,
    f.unit_text,
    f.label_footnotes,
    f.value_footnotes,
    f.qualifier,
    f.split_row,
    f.split_candidate,
    f.qualifier <> 'not_reported' as is_reported,
    {{ label_key('f.row_label_zh_hans') }} as label_key,
    {{ label_key('f.group_label_zh_hans') }} as group_key,
    {{ label_key('f.category_zh_hans') }} as category_key,
    {{ label_key('f.section_label_zh_hans') }} as section_key,
    {{ level_key('f.column_member_zh_hans') }} as column_key,
    {{ level_key('f.table_title_zh_hans') }} as title_key,
    -- the column header read as one text, its lines joined (`Scope 1&2 > emissions > Mt CO2e`)
    replace({{ label_key('f.column_member_zh_hans') }}, '>', '') as column_text_key,
    {{ normalise_label('f.unit_text_zh_hans') }} as unit_key,
    -- A unit printed in brackets at the end of the label, its group, its column or the title
    -- (`Scope 1 emissions (tCO2e)`, `Total GHG Emissions (t CO2e)`): a candidate when no unit is
    -- printed with the value; unit_conversions decides whether it is a unit.
    {{ normalise_label(last_bracketed('f.row_label_zh_hans')) }} as label_unit_key,
    {{ normalise_label(last_bracketed('f.group_label_zh_hans')) }} as group_unit_key,
    -- a column headed by a unit alone (`Tonnes`) holds figures in that unit
    {{ normalise_label("coalesce(nullif(" ~ last_bracketed('f.column_member_zh_hans') ~ ", ''), f.column_member_zh_hans)") }} as column_unit_key,
    {{ normalise_label(last_bracketed('f.table_title_zh_hans')) }} as title_unit_key,
    -- a unit printed after a column header's words (`Scope 1&2 > emissions > Mt CO2e`), longest
    -- first; none where the header names a multiplier (`'000 GJ` is not GJ)
    case when {{ names_a_multiplier('f.column_member_zh_hans') }} then ''
         else {{ normalise_label(last_words('f.column_member_zh_hans', 3)) }} end as column_tail3_unit_key,
    case when {{ names_a_multiplier('f.column_member_zh_hans') }} then ''
         else {{ normalise_label(last_words('f.column_member_zh_hans', 2)) }} end as column_tail2_unit_key,
    case when {{ names_a_multiplier('f.column_member_zh_hans') }} then ''
         else {{ normalise_label(last_words('f.column_member_zh_hans', 1)) }} end as column_tail1_unit_key,
    -- Printed precision: the step of the last printed digit, in the printed unit (12.37 -> 0.01).
    case
        when position('.' in replace(f.value_text, '%', '')) > 0
            then length(replace(f.value_text, '%', '')) - position('.' in replace(f.value_text, '%', ''))
        else 0
    end as printed_decimals
from {{ source('raw', 'figures') }} as f
{{ documents_not_held('f.document_id') }}
