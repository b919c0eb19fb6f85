-- Table footnotes of the current report versions, as printed.
select
    n.note_id,
    n.document_id,
    d.report_id,
    d.source_file,
    n.table_seq,
    n.marker,
    n.line_start,
    n.line_end,
    n.note_text
from {{ source('raw', 'table_notes') }} as n
inner join {{ ref('stg_raw__documents') }} as d
    on n.document_id = d.document_id
where d.is_current
