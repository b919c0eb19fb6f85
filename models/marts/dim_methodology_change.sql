-- Known methodology and boundary changes, read from the reports' footnotes
-- (seeds/methodology_changes.csv): the first fiscal year on the new basis for a metric.
select
    metric_code,
    change_fiscal_year,
    report_id,
    description
from {{ ref('methodology_changes') }}
