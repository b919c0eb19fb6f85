{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        pre_hook="{{ drop_documents_changed({'report_id': 'report_id', 'company': 'company', 'source_file': 'source_file', 'publication_date': 'publication_date', 'report_fiscal_year_end': 'fiscal_year_end', 'language': 'language'}) }}",
    )
}}
-- Figures of the served document versions, with the report they come from.
select
    f.*,
    d.report_id,
    d.company,
    d.source_file,
    d.publication_date,
    d.fiscal_year_end as report_fiscal_year_end,
    d.language
from {{ ref('stg_raw__figures') }} as f
inner join {{ ref('int_current_documents') }} as d
    on f.document_id = d.document_id
{{ documents_not_held('d.document_id') }}
