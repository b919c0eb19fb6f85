-- The document versions served: the newest version of each report that is not retired. The one
-- place current versions are chosen; every *_current model joins it.
select
    document_id,
    report_id,
    company,
    source_file,
    publication_date,
    fiscal_year_end,
    language
from {{ ref('stg_raw__documents') }}
where is_current
