-- Rows the loaders could not parse, of the served document versions.
select
    q.quarantine_id,
    q.document_id,
    d.report_id,
    d.source_file,
    q.extraction_method,
    q.table_seq,
    q.table_title,
    q.line_start,
    q.line_end,
    q.raw_text,
    q.reason_code,
    q.reason,
    q.candidates,
    q.split_row
from {{ ref('stg_raw__quarantine') }} as q
inner join {{ ref('int_current_documents') }} as d
    on q.document_id = d.document_id
