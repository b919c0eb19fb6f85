{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ drop_documents_changed({'report_id': 'report_id', 'source_file': 'source_file'}) }}",
    )
}}
-- Table footnotes of the served document versions, as printed.
select
    n.*,
    d.report_id,
    d.source_file
from {{ ref('stg_raw__table_notes') }} as n
inner join {{ ref('int_current_documents') }} as d
    on n.document_id = d.document_id
{{ documents_not_held('d.document_id') }}
