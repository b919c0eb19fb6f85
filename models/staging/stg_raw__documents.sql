-- One row per loaded document version; is_current marks the newest version of each report that
-- is served (a retired report keeps its rows for history and is served no more). A PDF is read
-- through the text extracted beside it: source_file is the file its line numbers count in.
-- company is one name per company_id (the newest served report's), so that a company whose
-- name is printed differently from report to report keeps one series; company_as_printed is
-- the manifest's name for this report.
with documents as (
    select
        d.*,
        d.version = max(d.version) over (partition by d.report_id) and r.report_id is null as is_current,
        r.report_id is not null as is_retired,
        coalesce(d.company_id, d.company) as company_key
    from {{ source('raw', 'documents') }} as d
    left join {{ source('raw', 'retired_reports') }} as r
        on r.report_id = d.report_id
)

select
    d.document_id,
    d.report_id,
    d.version as document_version,
    d.is_current,
    d.is_retired,
    d.sha256,
    d.parser_version,
    d.company_key as company_id,
    first_value(d.company) over (
        partition by d.company_key
        order by d.is_current desc, d.publication_date desc, d.report_id, d.version desc
    ) as company,
    d.company as company_as_printed,
    d.title,
    d.title_original,
    d.report_type,
    d.publication_date,
    d.publication_date_basis,
    d.fiscal_year_start,
    d.fiscal_year_end,
    d.fiscal_year_end_month,
    d.language,
    coalesce(t.text_file, d.file_name) as source_file,
    d.file_name as report_file,
    t.extractor as text_extractor,
    t.page_count,
    d.byte_size,
    d.line_count,
    d.load_run_id,
    d.loaded_at
from documents as d
left join {{ source('raw', 'document_texts') }} as t
    on t.document_id = d.document_id
