-- Table footnotes of the served document versions, as printed.
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
from {{ ref('stg_raw__table_notes') }} as n
inner join {{ ref('int_current_documents') }} as d
    on n.document_id = d.document_id
