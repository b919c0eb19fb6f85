-- Each figure linked to the footnotes its markers point at: the note with that marker in the
-- first notes block printed after the figure (a table's notes follow it; notes under the last
-- of several sub-tables serve them all).
with markers as (
    select
        f.figure_id,
        f.document_id,
        f.line_start,
        trim(m.marker) as marker,
        m.marker_on
    from {{ ref('stg_raw__figures') }} as f
    cross join lateral (
        select unnest(string_split(f.label_footnotes, ';')) as marker, 'label' as marker_on
        union all
        select unnest(string_split(f.value_footnotes, ';')) as marker, 'value' as marker_on
    ) as m
    where trim(m.marker) <> ''
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
    inner join {{ ref('stg_raw__table_notes') }} as n
        on n.document_id = mk.document_id
       and n.marker = mk.marker
       and n.line_start > mk.line_start
)

select figure_id, marker, marker_on, note_id, note_line, note_text
from candidates
where rank_ = 1
