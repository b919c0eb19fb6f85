-- Each figure linked to the footnotes its markers point at: the note with that marker in the
-- first notes block printed after the figure (a table's notes follow it; notes under the last
-- of several sub-tables serve them all).
with split as (
    select figure_id, document_id, line_start, {{ split_to_rows('label_footnotes', ';') }} as marker, 'label' as marker_on
    from {{ ref('int_figures_current') }}
    union all
    select figure_id, document_id, line_start, {{ split_to_rows('value_footnotes', ';') }} as marker, 'value' as marker_on
    from {{ ref('int_figures_current') }}
),

markers as (
    select figure_id, document_id, line_start, trim(marker) as marker, marker_on
    from split
    where trim(marker) <> ''
),

candidates as (
    select
        mk.figure_id,
        mk.marker,
        mk.marker_on,
        n.note_id,
        n.line_start as note_line,
        n.note_text,
        row_number() over (partition by mk.figure_id, mk.marker, mk.marker_on order by n.line_start) as rank_
    from markers as mk
    inner join {{ ref('int_table_notes_current') }} as n
        on n.document_id = mk.document_id
       and n.marker = mk.marker
       and n.line_start > mk.line_start
)

select figure_id, marker, marker_on, note_id, note_line, note_text
from candidates
where rank_ = 1
