-- Every figure as each report states it, in the metric's canonical unit, with its provenance.
select
    company,
    metric_code,
    dimension,
    member,
    fiscal_year,
    report_id,
    value_canonical as value,
    canonical_unit as unit,
    source_file,
    publication_date,
    line_start as line_number,
    raw_text,
    value_text as value_as_printed,
    unit_text as unit_as_printed,
    label_path as label_as_printed,
    label_footnotes,
    value_footnotes,
    qualifier,
    extraction_method,
    figure_id
from {{ ref('int_figures_mapped') }}
where mapping_status = 'mapped'
