{{ config(materialized='incremental', incremental_strategy='append') }}
-- Rows the loaders could not parse, of every loaded document version (one to one with the source).
select
    q.quarantine_id,
    q.document_id,
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
{{ documents_not_held('q.document_id') }}
