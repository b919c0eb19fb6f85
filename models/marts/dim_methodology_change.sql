-- Known methodology and boundary changes, read from the reports' footnotes
-- (seeds/methodology_changes.csv): the first fiscal year on the new basis for a metric, for the
-- company whose report states it. A change recorded for a report this warehouse does not hold
-- (a workspace tracking other companies) does not apply here.
select
    r.company,
    m.metric_code,
    m.change_fiscal_year,
    m.report_id,
    m.description,
    r.publication_date,
    coalesce(m.kind, 'basis') as kind
from {{ ref('methodology_changes') }} as m
inner join {{ ref('dim_report') }} as r
    on r.report_id = m.report_id
