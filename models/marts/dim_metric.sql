-- The metric dictionary as analysts query it.
select
    metric_code,
    family,
    esg_pillar,
    canonical_unit,
    name_en,
    name_zh_hans,
    definition,
    gri_disclosure,
    hkex_kpi,
    sasb_code
from {{ ref('metric_dictionary') }}
