-- Rows of the current report versions that the loaders could not parse.
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
from {{ source('raw', 'quarantine') }} as q
inner join {{ ref('stg_raw__documents') }} as d
    on q.document_id = d.document_id
where d.is_current
