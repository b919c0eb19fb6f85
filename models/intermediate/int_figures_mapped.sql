-- Each reported figure with the metric its label maps to and its value in the canonical unit.
-- An alias with a context (group, category or section label) beats one without; among contexts
-- the closest wins (group > category > section). Unmatched figures keep mapping_status so the
-- marts can report them instead of dropping them.
with figures as (
    select * from {{ ref('stg_raw__figures') }}
    where is_reported
),

candidates as (
    select
        f.figure_id,
        a.metric_code,
        a.dimension,
        a.member,
        case
            when a.context_key is null then 0
            when a.context_key = f.group_key then 3
            when a.context_key = f.category_key then 2
            when a.context_key = f.section_key then 1
        end as specificity
    from figures as f
    inner join {{ ref('label_aliases') }} as a
        on a.label_key = f.label_key
       and (a.context_key is null or a.context_key in (f.group_key, f.category_key, f.section_key))
),

ranked as (
    select
        *,
        count(*) over (partition by figure_id, specificity) as n_at_specificity,
        row_number() over (partition by figure_id order by specificity desc) as rank_
    from candidates
),

best as (
    select * from ranked where rank_ = 1
)

select
    f.*,
    b.metric_code,
    b.dimension,
    b.member,
    m.canonical_unit,
    u.factor as unit_factor,
    cast(f.value * u.factor as decimal(38, 10)) as value_canonical,
    case
        when b.figure_id is null then 'unmapped_label'
        when b.n_at_specificity > 1 then 'ambiguous_label'
        when u.factor is null then 'unmapped_unit'
        else 'mapped'
    end as mapping_status
from figures as f
left join best as b
    on f.figure_id = b.figure_id
left join {{ ref('metric_dictionary') }} as m
    on b.metric_code = m.metric_code
left join {{ ref('unit_conversions') }} as u
    on {{ normalise_label('u.unit_printed') }} = f.unit_key
   and u.canonical_unit = m.canonical_unit
