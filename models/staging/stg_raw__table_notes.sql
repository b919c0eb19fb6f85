{{ config(materialized='incremental', incremental_strategy='append') }}
-- Table footnotes as printed, of every loaded document version (one to one with the source).
select
    n.note_id,
    n.document_id,
    n.table_seq,
    n.marker,
    n.line_start,
    n.line_end,
    n.note_text
from {{ source('raw', 'table_notes') }} as n
{{ documents_not_held('n.document_id') }}
