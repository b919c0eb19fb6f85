-- One row per loaded document version; is_current marks the newest version of each report that
-- is served (a retired report keeps its rows for history and is served no more). A PDF is read
-- through the text extracted beside it: source_file is the file its line numbers count in.
select
    d.document_id,
    d.report_id,
    d.version as document_version,
    d.version = max(d.version) over (partition by d.report_id) and r.report_id is null as is_current,
    r.report_id is not null as is_retired,
    d.sha256,
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
    coalesce(t.text_file, d.file_name) as source_file,
    d.file_name as report_file,
    t.extractor as text_extractor,
    t.page_count,
    byte_size,
    line_count,
    load_run_id,
    loaded_at
from {{ source('raw', 'documents') }} as d
left join {{ source('raw', 'retired_reports') }} as r
    on r.report_id = d.report_id
left join {{ source('raw', 'document_texts') }} as t
    on t.document_id = d.document_id
