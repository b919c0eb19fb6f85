-- One metric, split and fiscal year side by side for every company that reports it. Peers are
-- those on the same basis and in the same unit: companies_reporting and rank_in_year count
-- within that group only, so an equity-basis total is never ranked against an operational one.
{%- set peers = 'partition by s.metric_code, s.dimension, s.member, s.basis, s.fiscal_year, s.unit' %}
{#- spelled in each window: Spark has no window that extends a named one (`over (peers order by …)`) #}
select
    s.metric_code,
    s.dimension,
    s.member,
    s.basis,
    s.fiscal_year,
    s.company_id,
    s.company,
    s.value,
    s.unit,
    s.value_as_printed,
    s.pct_change,
    s.like_for_like,
    s.comparability_note,
    count(*) over ({{ peers }}) as companies_reporting,
    cast(rank() over ({{ peers }} order by s.value desc) as bigint) as rank_in_year,
    s.report_id,
    s.source_file,
    s.page_number,
    s.line_number
from {{ ref('mart_metric_series') }} as s
where s.value is not null
