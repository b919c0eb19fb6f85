{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ drop_documents_changed({'report_id': 'report_id', 'source_file': 'source_file'}) }}",
    )
}}
-- Rows the loaders could not parse, of the served document versions.
select
    q.*,
    d.report_id,
    d.source_file
from {{ ref('stg_raw__quarantine') }} as q
inner join {{ ref('int_current_documents') }} as d
    on q.document_id = d.document_id
{{ documents_not_held('d.document_id') }}
