"""Table footnotes: kept as printed text, linked to rows by marker, and the figures they state.

Notes follow a table as numbered paragraphs (1. / ① / 注：). A note can state a figure that is
not in the table: a restated prior year (修訂後的 2020 年範圍二排放量為 171 萬噸二氧化碳當量), a
location-based scope 2, the group-wide headcount. Such a figure is taken when the note says
`<label>為<number><unit>`: a copula, a number, a unit the reports print. Thresholds (達 30% 或以上),
formula constants (× 1,000,000) and standard numbers (GB/T2589-2020) have no copula before them.
Its year is the year the sentence names, else the latest year column of the annotated table.
"""

from __future__ import annotations

import re

from .footnotes import split_markers
from .model import Figure, ParsedDocument, TableNote
from .numbers import NUMBER_RE, parse_cell_number
from .units import UNIT_TOKENS
from .vocabulary import CIRCLED, qualifier_of, qualifier_pattern

METHOD = "table_footnote"

_NUMBERED = re.compile(r"^\s*(\d{1,2})[.．、]\s*(?!\d)")
CIRCLED_START = re.compile(rf"^\s*([{CIRCLED}])\s*")
_NOTE_WORD = re.compile(r"^\s*注\s*[:：]\s*")
_UNIT_ALT = "|".join(re.escape(u) for u in UNIT_TOKENS)
_STATED = re.compile(
    rf"(?P<copula>為|为|是|達到|达到)\s*(?P<qual>{qualifier_pattern()})?\s*(?P<num>{NUMBER_RE.pattern})\s*(?P<unit>{_UNIT_ALT})"
)
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CLAUSE_BREAK = re.compile(r"[。；;！!？?]")


def _note_start(line: str) -> tuple[str, str] | None:
    """(marker, text after it) if the line opens a note."""
    if m := _NUMBERED.match(line):
        return m.group(1), line[m.end() :]
    if m := CIRCLED_START.match(line):
        return str(CIRCLED.index(m.group(1)) + 1), line[m.end() :]
    if m := _NOTE_WORD.match(line):
        return "", line[m.end() :]
    return None


def notes_after(lines: list[str], after: int, table_seq: int) -> list[TableNote]:
    """Notes printed after line index `after` (0-based, exclusive): numbered in sequence from 1,
    or a single 注. Paragraphs between two notes continue the earlier one."""
    notes: list[TableNote] = []
    i = after
    expected = 1
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        start = _note_start(lines[i])
        if start and (start[0] == str(expected) or (start[0] == "" and not notes)):
            marker, text = start
            notes.append(TableNote(marker, i + 1, i + 1, text.strip(), table_seq, [i + 1]))
            expected = expected + 1 if marker else expected
            i += 1
            continue
        if notes and "\t" not in lines[i] and _next_note_follows(lines, i, expected):
            notes[-1].text += "\n" + lines[i].strip()
            notes[-1].line_end = i + 1
            notes[-1].paragraph_lines.append(i + 1)
            i += 1
            continue
        break
    return notes


def _next_note_follows(lines: list[str], i: int, expected: int) -> bool:
    for j in range(i + 1, min(i + 6, len(lines))):
        if lines[j].strip():
            start = _note_start(lines[j])
            return start is not None and start[0] == str(expected)
    return False


def stated_figures(
    note: TableNote, latest_year: int, doc: ParsedDocument, line_of_offset=None, raw_lines: list[str] | None = None
) -> None:
    """Append the figures a note states (see module doc). line_of_offset maps an offset in the
    note's text to its line (squashed dumps); otherwise paragraphs map to note.paragraph_lines."""
    text = note.text
    for m in _STATED.finditer(text):
        number = parse_cell_number(m.group("num"))
        if number is None:
            continue
        clause_start = max((b.end() for b in _CLAUSE_BREAK.finditer(text, 0, m.start())), default=0)
        sentence = text[clause_start : m.start()]
        years = _YEAR.findall(sentence)
        year = int(years[-1]) if years else latest_year
        label, refs = split_markers(sentence.strip(" ，,:：\n"))
        qualifier = qualifier_of(m.group("qual"))
        if line_of_offset:
            line, raw = line_of_offset(m.start("num")), text
        else:
            line = note.paragraph_lines[text.count("\n", 0, m.start("num"))]
            assert raw_lines is not None  # callers pass raw_lines when they pass no line_of_offset
            raw = raw_lines[line - 1]
        doc.figures.append(
            Figure(
                extraction_method=METHOD,
                line_start=line,
                line_end=line,
                raw_text=raw,
                row_label=label or text[:40],
                fiscal_year=year,
                cell_text=m.group(0),
                value_text=m.group("num"),
                value=number[0],
                unit_text=m.group("unit"),
                qualifier=qualifier,
                table_seq=note.table_seq,
                column_label=f"note {note.marker}"
                + ("" if years else f"; no year printed, latest column {latest_year}"),
                label_footnotes=refs,
            )
        )
