-- One row per loaded document version; is_current marks the newest version of each report that
-- is served (a retired report keeps its rows for history and is served no more).
select
    d.document_id,
    d.report_id,
    d.version as document_version,
    d.version = max(d.version) over (partition by d.report_id) and r.report_id is null as is_current,
    r.report_id is not null as is_retired,
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
from {{ source('raw', 'documents') }} as d
left join {{ source('raw', 'retired_reports') }} as r
    on r.report_id = d.report_id
