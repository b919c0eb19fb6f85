-- One row per company the warehouse serves reports of, with what seeds/companies.csv knows of it.
with reports as (
    select * from {{ ref('stg_raw__documents') }} where is_current
)

select
    r.company_id,
    min(r.company) as company,
    {{ ordered_string_agg('r.company_as_printed', ' | ', 'r.company_as_printed', distinct=true) }} as names_as_printed,
    coalesce(min(k.name_en), min(r.company)) as name_en,
    min(k.listings) as listings,
    count(*) as reports,
    min(r.fiscal_year_start) as first_fiscal_year,
    max(r.fiscal_year_end) as last_fiscal_year
from reports as r
left join {{ ref('companies') }} as k
    on k.company_id = r.company_id
group by r.company_id
