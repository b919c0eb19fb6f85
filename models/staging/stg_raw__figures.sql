-- Figures of the current version of each report, with match keys for labels and units.
select
    f.figure_id,
    f.document_id,
    d.report_id,
    d.company,
    d.source_file,
    d.publication_date,
    d.script,
    f.extraction_method,
    f.table_seq,
    f.table_title,
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
    f.fiscal_year,
    f.cell_text,
    f.value_text,
    f.value,
    f.unit_text,
    f.label_footnotes,
    f.value_footnotes,
    f.qualifier,
    f.qualifier <> 'not_reported' as is_reported,
    {{ normalise_label('f.row_label_zh_hans') }} as label_key,
    {{ normalise_label('f.group_label_zh_hans') }} as group_key,
    {{ normalise_label('f.category_zh_hans') }} as category_key,
    {{ normalise_label('f.section_label_zh_hans') }} as section_key,
    {{ normalise_label('f.unit_text_zh_hans') }} as unit_key,
    -- Printed precision: the step of the last printed digit, in the printed unit (12.37 -> 0.01).
    case
        when position('.' in replace(f.value_text, '%', '')) > 0
            then length(replace(f.value_text, '%', '')) - position('.' in replace(f.value_text, '%', ''))
        else 0
    end as printed_decimals
from {{ source('raw', 'figures') }} as f
inner join {{ ref('stg_raw__documents') }} as d
    on f.document_id = d.document_id
where d.is_current
