-- Table footnotes of the served document versions, as printed.
select
    n.*,
    d.report_id,
    d.source_file
from {{ ref('stg_raw__table_notes') }} as n
inner join {{ ref('int_current_documents') }} as d
    on n.document_id = d.document_id
