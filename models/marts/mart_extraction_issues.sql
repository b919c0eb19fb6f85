-- What the loaders saw but the warehouse could not use, with the reason: quarantined rows
-- (could not be parsed; a refused split dbt settled is left out), reported figures whose label or unit maps to no metric, and mapped
-- figures of a table that prints no year which no year could be corroborated for.
select
    'quarantined' as issue_kind,
    reason_code,
    reason,
    report_id,
    source_file,
    line_start as line_number,
    raw_text,
    cast(null as {{ text_type() }}) as label_as_printed,
    cast(null as {{ text_type() }}) as value_as_printed,
    cast(null as {{ text_type() }}) as unit_as_printed,
    candidates
from {{ ref('int_quarantine_current') }} as q
where not exists (
    -- a refused split dbt settled (intermediate.int_squashed_splits) is in the marts, not an issue
    select 1 from {{ ref('int_squashed_splits') }} as s
    where s.document_id = q.document_id and s.split_row = q.split_row and s.chosen_candidate is not null
)

union all

select
    -- a figure that maps to no metric, or a mapped one of a table no year settles
    case when mapping_status <> 'mapped' then 'unmapped' else 'undated' end as issue_kind,
    case when mapping_status <> 'mapped' then mapping_status else 'year_not_printed' end as reason_code,
    case mapping_status
        when 'unmapped_label' then 'no label alias matches this label in its context (seeds/label_aliases.csv)'
        when 'ambiguous_label' then 'several label aliases match equally well (seeds/label_aliases.csv)'
        when 'unmapped_unit' then 'no unit conversion from the printed unit to the metric''s canonical unit (seeds/unit_conversions.csv)'
        when 'after_report_period' then 'dated after the report''s last fiscal year (a status at publication, such as 截至 2024 年 5 月): no fiscal year''s value'
        when 'two_splits' then 'the figure is split two ways (its table''s title names one split, its row another): the marts hold one split per figure'
        when 'mapped' then 'the table prints no fiscal year, and the company''s figures corroborate no single year of the report for this figure (intermediate.int_figures_dated)'
    end as reason,
    report_id,
    source_file,
    line_start as line_number,
    raw_text,
    label_path as label_as_printed,
    value_text as value_as_printed,
    unit_text as unit_as_printed,
    case when mapping_status = 'mapped' then year_evidence end as candidates
from {{ ref('int_figures_dated') }}
where mapping_status <> 'mapped' or fiscal_year is null
