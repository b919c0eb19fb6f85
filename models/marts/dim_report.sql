-- One row per report (current version), as the manifest registers it.
select
    report_id,
    company_id,
    company,
    company_as_printed,
    title,
    title_original,
    report_type,
    publication_date,
    publication_date_basis,
    fiscal_year_start,
    fiscal_year_end,
    fiscal_year_end_month,
    language,
    source_file,
    report_file,
    text_extractor,
    sha256,
    document_version,
    loaded_at
from {{ ref('stg_raw__documents') }}
where is_current
