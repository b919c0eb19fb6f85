-- One row per loaded document version; is_current marks the newest version of each report.
select
    document_id,
    report_id,
    version as document_version,
    version = max(version) over (partition by report_id) as is_current,
    sha256,
    parser_version,
    company,
    title,
    title_original,
    report_type,
    publication_date,
    publication_date_basis,
    fiscal_year_start,
    fiscal_year_end,
    fiscal_year_end_month,
    language,
    file_name as source_file,
    byte_size,
    line_count,
    load_run_id,
    loaded_at
from {{ source('raw', 'documents') }}
