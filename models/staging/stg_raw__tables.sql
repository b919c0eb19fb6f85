{{ config(materialized='incremental', incremental_strategy='append') }}
-- Tables the readers read, one row per table of every loaded document version (one to one with
-- the source).
select
    t.document_id,
    t.table_seq,
    t.reader as extraction_method,
    t.title,
    t.page,
    t.line_start,
    t.line_end,
    t.year_columns,
    t.rows_seen,
    t.data_rows,
    t.structure_rows
from {{ source('raw', 'tables') }} as t
{{ documents_not_held('t.document_id') }}
