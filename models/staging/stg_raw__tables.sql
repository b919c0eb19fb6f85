-- Tables the readers read, one row per table of the current report versions.
select
    t.document_id,
    d.report_id,
    d.source_file,
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
inner join {{ ref('stg_raw__documents') }} as d
    on t.document_id = d.document_id
where d.is_current
