"""Space-aligned columns, as `pdftotext -layout` writes a PDF's tables.

Nothing marks a cell here but its position, so the reader works from positions:

1. Each line is cut into chunks at runs of two or more spaces. A chunk that is a printed number
   (or a not-reported mark, or a number with its unit) is a value; a line whose values are all
   years is a header line.
2. A table is a run of value lines with the header lines above it. Its value columns are the
   positions where value chunks stand, clustered across rows; a header chunk names the columns
   under it (a year over k sub-columns names each group of k in order). Chunks left of the value
   columns are labels, or units where the header prints `Unit`, or a second label column
   (`Category`: Employees / Workers).
3. Two tables printed side by side on the same lines are split where label text stands between
   value columns (a second `Asset Class` column).
4. A label may wrap: lines of label text without values join the value line they belong to (the
   start of a label above a line that has only values; a continuation below that opens with a
   lower-case word or a bracket, or that closes a bracket the label left open). A short line of
   label text that does not wrap is a group heading for the rows under it; an indented label is a
   sub-row of the label above. In a second label column, a first-column label printed between its
   rows (vertically centred) heads the rows nearest to it.
Rows are then read by the common model (loaders.table_model); the reader never interprets them.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from ..footnotes import split_all_markers
from ..grid import split_value_unit, unnamed_column_role, value_like
from ..headers import header_year, title_year
from ..model import ParsedDocument
from ..table_model import Cell, Column, Row, Table, add_table
from ..text import DocumentText
from . import Block, Reader, Unreadable, register

METHOD = "kpi_table_layout"

_GAP = re.compile(r" {2,}")
_UNIT_HEAD = re.compile(r"^(?:units?|uom|unit of measure(?:ment)?|单位|單位)$", re.I)
# the header of a second label column: the rows' own labels, the first column grouping them
_CATEGORY_HEAD = re.compile(
    r"^(?:(?:category|categories|type|scope|basis|employees?/workers?)\b|(?:指标|指標|类别|類別|项目|項目)$)", re.I
)
_ENUM = re.compile(r"^(?:\(?[ivxIVX]{1,4}\)|\(?[a-hA-H][.)]|\d{1,2}[.)]?|[•▪●◦\-–*])$")
_NOTE = re.compile(r"^\s*(?:notes?\b|source\b|\*)", re.I)
_TAB_CELLS = re.compile(r"\S\t+\S")


def _tab_cells(line: str) -> bool:
    """Tab-separated cells (the tab reader's rendering, not this one): three cells or more, or
    a label and a value; a tab after a list number (`1.<TAB>Employees and workers …`) is spacing."""
    if not _TAB_CELLS.search(line):
        return False
    cells = [c.strip() for c in line.split("\t") if c.strip()]
    return len(cells) >= 3 or (len(cells) == 2 and value_like(cells[1]))


_BULLETS = ("•", "▪", "●", "◦")
_ROW_NUMBER = re.compile(r"^(?:\(?[ivx]{1,4}\)|\(?[a-h][.)]|\d{1,2}[.)])(?:\s|$)")
_SUB_ITEM = re.compile(r"^\s*(?:\(?[ivx]{1,4}[.)]|\(?[a-h][.)])\s")
_FIRST_ITEM = re.compile(r"^\s*\(?(?:i|a)[.)]\s")
_WIDE = 60  # a chunk this long is prose, not a cell
_HEADER_REACH = 12  # header lines looked at above a table's first value line


@dataclass
class Chunk:
    x0: int
    x1: int
    text: str

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class _Line:
    index: int
    chunks: list[Chunk]
    kind: str  # blank | year | value | text

    def values(self) -> list[Chunk]:
        return [c for c in self.chunks if _is_value(c, self.chunks)]

    def texts(self) -> list[Chunk]:
        return [c for c in self.chunks if not _is_value(c, self.chunks)]


def chunks_of(line: str) -> list[Chunk]:
    s = line.expandtabs(8) if "\t" in line else line
    if "  " not in s:  # one chunk at most (most lines of prose): what chunks_at_gaps would find
        text = s.strip()
        if not text:
            return []
        x0 = len(s) - len(s.lstrip())
        return _split_values(Chunk(x0, x0 + len(text), text))
    return chunks_at_gaps(s)


def chunks_at_gaps(s: str) -> list[Chunk]:
    """The chunks of a line without tabs, cut at runs of two or more spaces."""
    out: list[Chunk] = []
    pos = 0
    for part in _GAP.split(s):
        start = s.index(part, pos) if part else pos
        if part.strip():
            lead = len(part) - len(part.lstrip())
            text = part.strip()
            out.extend(_split_values(Chunk(start + lead, start + lead + len(text), text)))
        pos = start + len(part)
    return out


def _split_values(c: Chunk) -> list[Chunk]:
    """`0.00 0.00` printed one space apart is two values."""
    words = c.text.split(" ")
    if len(words) > 1 and all(value_like(w) for w in words) and not value_like(c.text):
        out, x = [], c.x0
        for w in words:
            out.append(Chunk(x, x + len(w), w))
            x += len(w) + 1
        return out
    return [c]


def _is_value(c: Chunk, line: list[Chunk]) -> bool:
    if not value_like(c.text):
        return False
    # an enumerator at the start of a row (1 Permanent (D)) is not a value
    first = line[0] is c
    return not (first and len(line) > 1 and re.fullmatch(r"\d{1,2}[.)]?", c.text) and not value_like(line[1].text))


def _is_year_chunk(c: Chunk, text: DocumentText) -> bool:
    if len(c.text) > 32:
        return False  # a title that names a year, not a column header
    hy = header_year(c.text, text.context)
    return hy.fiscal_year is not None or hy.is_target


def _classify(index: int, line: str, text: DocumentText) -> _Line:
    chunks = chunks_of(line)
    if not chunks:
        return _Line(index, chunks, "blank")
    values = [c for c in chunks if _is_value(c, chunks)]
    years = [c for c in chunks if _is_year_chunk(c, text)]
    if years and all(c in years for c in values) and len(years) >= 1 and not (len(values) == 1 and len(chunks) == 1):
        return _Line(index, chunks, "year")
    if values and len(chunks) >= 2:
        return _Line(index, chunks, "value")
    if values:
        return _Line(index, chunks, "lone")  # a value alone on its line: a highlight or page number
    return _Line(index, chunks, "text")


@dataclass
class _Columns:
    ranges: list[tuple[int, int]]  # value column x-ranges, left to right


def _cluster(chunks: list[Chunk], rows: list[int] | None = None) -> list[tuple[int, int]]:
    """Value columns: x-ranges where value chunks stand, overlapping ones merged. With the row of
    each chunk, a narrow column that no row shares with its neighbour a few characters away is
    the same column printed a little off (`38%` left of `77%`)."""
    items = sorted(zip((c.x0 for c in chunks), (c.x1 for c in chunks), rows or (None,) * len(chunks)))
    out: list[list] = []
    for a, b, row in items:
        if out and a <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], b)
            out[-1][2].add(row)
        else:
            out.append([a, b, {row}])
    if rows is not None:
        merged: list[list] = []
        for a, b, rs in out:
            if merged and a - merged[-1][1] <= 6 and not (rs & merged[-1][2]):
                merged[-1][1] = max(merged[-1][1], b)
                merged[-1][2] |= rs
            else:
                merged.append([a, b, rs])
        out = merged
    return [(a, b) for a, b, _ in out]


def _column_of(c: Chunk, ranges: list[tuple[int, int]]) -> int:
    best, dist = 0, None
    for k, (a, b) in enumerate(ranges):
        d = 0 if c.x0 <= b and c.x1 >= a else min(abs(c.x0 - b), abs(a - c.x1))
        if dist is None or d < dist:
            best, dist = k, d
    return best


@register
class LayoutReader(Reader):
    method = METHOD
    order = 90
    description = "space-aligned columns (pdftotext -layout)"

    def find(self, text: DocumentText, claimed: set[int]) -> list[Block]:
        lines = [
            (
                _classify(i, text.clean(i), text)
                if i not in claimed and not _tab_cells(text.lines[i])
                else _Line(i, [], "claimed")
            )
            for i in range(len(text.lines))
        ]
        blocks: list[Block] = []
        i = 0
        while i < len(lines):
            if lines[i].kind != "value" or _prose(lines[i]):
                i += 1
                continue
            end = _run_end(lines, i, text)
            values = [ln for ln in lines[i : end + 1] if ln.kind == "value"]
            head, head_end = _header_start(lines, i, text)
            has_years = any(lines[k].kind == "year" for k in range(head, head_end + 1))
            if len(values) >= 2 or has_years:
                blocks.append(Block(head, end, (lines, head, head_end, end)))
            i = end + 1
        return blocks

    def read(self, block: Block, text: DocumentText, doc: ParsedDocument):
        lines, head, head_end, end = block.data
        tables = _read_tables(lines, head, head_end, end, text)
        if isinstance(tables, Unreadable):
            return tables
        for table in tables:
            add_table(doc, table, text)
        return None


def _prose(line: _Line, value_x: int | None = None) -> bool:
    """A line of running text: a long chunk that, where the table's values are known, reaches
    into them (a long label that wraps stays left of the values)."""
    if line.values():
        return False
    return any(
        len(c.text) >= _WIDE and not value_like(c.text) and (value_x is None or c.x1 > value_x) for c in line.chunks
    )


def _run_end(lines: list[_Line], i: int, text: DocumentText) -> int:
    """The last line of the table body that starts at value line i."""
    last = i
    blanks = 0
    k = i + 1
    value_x = min((c.x0 for c in lines[i].values()), default=None)
    texts_since = 0

    @functools.cache
    def own_header() -> set[str]:
        """This table's header lines, read only when a line after a blank might repeat them."""
        head, _ = _header_start(lines, i, text)
        return {_joined(lines[j]) for j in range(head, i) if lines[j].kind in ("text", "year")}

    while k < len(lines):
        ln = lines[k]
        if ln.kind == "claimed" or "\f" in text.lines[k]:
            break
        if ln.kind == "blank":
            blanks += 1
            if blanks > 2:
                break
            k += 1
            continue
        if ln.chunks and _NOTE.match(ln.chunks[0].text) and ln.kind != "value":
            break
        if _prose(ln, value_x) and not _values_follow(lines, k):
            break
        if ln.kind == "year":
            break
        if (
            ln.kind == "text"
            and value_x is not None
            and k - last >= 2
            and sum(1 for c in ln.chunks if c.x0 >= value_x - 2) >= 2
            and any(b.kind == "blank" or any(c.x0 < value_x - 2 for c in b.chunks) for b in lines[last + 1 : k])
        ):
            break  # column headers of the next table (No. (B)  % (B / A) …); a wrapped unit cell
            #             right under its row is not one
        if (
            ln.kind == "text"
            and value_x is not None
            and not _continues(ln)
            and any(c.x1 >= value_x - 2 for c in ln.chunks)
            and any(b.kind == "blank" for b in lines[last + 1 : k])
            and _values_follow(lines, k)
            and (
                len(ln.chunks) >= 2
                or _next_values(lines, k) != len(lines[last].values())
                or _joined(ln) in own_header()
            )
        ):
            break  # after a blank line, column names over the values: the header of the next
            #             table (`Site   Hazardous waste   Total waste`; `Group total` over rows of one
            #             value where this table's have two, or this table's own header printed
            #             again); a sub-heading over rows like this table's is one run of words
            #             (`Renewable energy (MWh)`)
        if ln.kind == "value":
            last = k
            value_x = min([c.x0 for c in ln.values()] + ([value_x] if value_x is not None else []))
        elif blanks >= 2:
            break
        elif ln.kind == "text" and not ln.chunks[0].text.startswith(_BULLETS):
            texts_since += 1
            if texts_since > 8:
                break
        if ln.kind == "value":
            texts_since = 0
        blanks = 0
        k += 1
    # trailing label lines that continue the last row
    while (
        last + 1 < len(lines)
        and lines[last + 1].kind == "text"
        and not _prose(lines[last + 1], value_x)
        and _continues(lines[last + 1])
    ):
        last += 1
    return last


def _joined(ln: _Line) -> str:
    return " ".join(c.text for c in ln.chunks)


def _next_values(lines: list[_Line], k: int) -> int:
    """How many values the next value line after line k prints."""
    return next((len(ln.values()) for ln in lines[k + 1 :] if ln.kind == "value"), 0)


def _values_follow(lines: list[_Line], k: int) -> bool:
    """A value line within the next three non-blank lines: a long line here is a sub-heading."""
    seen = 0
    for ln in lines[k + 1 :]:
        if ln.kind == "blank":
            continue
        if ln.kind == "value":
            return True
        seen += 1
        if seen >= 3 or ln.kind == "claimed":
            return False
    return False


def _continues(ln: _Line) -> bool:
    t = ln.chunks[0].text if ln.chunks else ""
    return bool(t) and (t[0].islower() or t[0] in "()/&,-–" or t.startswith(("and ", "or ")))


def _header_start(lines: list[_Line], first: int, text: DocumentText) -> tuple[int, int]:
    """(first, last) line of the header above the table's first value line. A header line naming
    years may stand a few lines above, with sub-headings of the body between (`Water withdrawal
    by source`); without one, the header is the block of short lines just above."""
    value_x = min((c.x0 for c in lines[first].values()), default=None)
    year_line = None
    blanks = 0
    for k in range(first - 1, max(first - 1 - _HEADER_REACH, -1), -1):
        ln = lines[k]
        if ln.kind in ("claimed", "value", "lone") or "\f" in text.lines[k]:
            break
        if ln.kind == "blank":
            blanks += 1
            if blanks > 2:
                break
            continue
        blanks = 0
        if ln.kind == "year":
            year_line = k
            break
    end = year_line if year_line is not None else first - 1
    k = end if year_line is not None else first - 1
    start = first if year_line is None else year_line
    if year_line is None:
        # group headings right above the first row (EMPLOYEES) belong to the body
        while k >= 0 and lines[k].kind == "text" and not _over_values(lines[k], value_x) and first - k <= 2:
            k -= 1
    blanks = 0
    while k >= 0 and end - k <= _HEADER_REACH:
        ln = lines[k]
        if ln.kind == "claimed" or ("\f" in text.lines[k] and ln.kind != "year"):
            break
        if ln.kind == "blank":
            blanks += 1
            if blanks > 1:
                break
            k -= 1
            continue
        if ln.kind in ("value", "lone") or _prose(ln, value_x):
            break
        if ln.kind == "text" and len(ln.chunks) == 1 and ln.chunks[0].x0 < 20 and len(ln.chunks[0].text) > 45:
            break  # a title or question line, not a header
        if (year_line is None or k < year_line) and not _over_values(ln, value_x):
            break  # a title above the header (a header line names the value columns)
        blanks = 0
        start = k
        k -= 1
    return start, (year_line if year_line is not None else first - 1)


def _over_values(ln: _Line, value_x: int | None) -> bool:
    return value_x is not None and any(c.x1 >= value_x - 2 for c in ln.chunks)


# --- reading a block ------------------------------------------------------------------------------


def _read_tables(lines: list[_Line], head: int, head_end: int, end: int, text: DocumentText):
    first = next(k for k in range(head_end + 1, end + 1) if lines[k].kind == "value")
    body = [ln for ln in lines[first : end + 1] if ln.kind in ("value", "text", "lone")]
    header = [ln for ln in lines[head:first] if ln.kind in ("year", "text")]
    values = [c for ln in body if ln.kind == "value" for c in ln.values()]
    ranges = _cluster(values)
    # label-only lines at the bottom of the header head the first rows instead
    while header and header[-1].kind == "text" and ranges and not _over_values(header[-1], ranges[0][0]):
        body.insert(0, header.pop())
    # a label standing between value columns: two tables side by side
    splits = _side_by_side(body, ranges)
    regions = []
    bounds = [0] + splits + [10_000]
    for a, b in zip(bounds, bounds[1:]):
        regions.append((a, b))
    tables = []
    for a, b in regions:
        t = _read_region(lines, head, first, end, header, body, a, b, text, len(regions) > 1)
        if isinstance(t, Unreadable):
            return t
        if t is not None:
            tables.append(t)
    return tables


def _side_by_side(body: list[_Line], ranges: list[tuple[int, int]]) -> list[int]:
    """x positions where a second table starts: label text between value columns in most rows."""
    if len(ranges) < 2:
        return []
    starts: dict[int, int] = {}
    value_rows = [ln for ln in body if ln.kind == "value"]
    for ln in value_rows:
        vals = ln.values()
        if not vals:
            continue
        for c in ln.texts():
            if c.x0 > vals[0].x1 and any(v.x0 > c.x1 for v in vals) and len(c.text) > 3:
                starts[c.x0] = starts.get(c.x0, 0) + 1
    if not starts:
        return []
    # the most common start position (within a few characters) across rows
    xs = sorted(starts)
    best = max(xs, key=lambda x: sum(v for k, v in starts.items() if abs(k - x) <= 3))
    support = sum(v for k, v in starts.items() if abs(k - best) <= 3)
    if support >= max(2, len(value_rows) // 2):
        return [min(k for k in starts if abs(k - best) <= 3)]
    return []


def _in_region(c: Chunk, a: int, b: int) -> bool:
    """A chunk belongs to the table it starts in; a title starting just left of the second
    table's label column (by a few characters) is that table's."""
    lo = a - 3 if a else a
    return lo <= c.x0 < b - 3


def _read_region(
    lines, head, first, end, header, body, a, b, text: DocumentText, split: bool, word_heads: bool = False
):
    """word_heads: a second reading of a header that named no year, word by word (see _words_by_column)."""

    def sub(ln: _Line) -> list[Chunk]:
        return [c for c in ln.chunks if _in_region(c, a, b)]

    head_chunks = [(ln.index, c) for ln in header for c in sub(ln)]
    # a unit column: values printed under `Unit` (`-`) are units, not a year's figure
    unit_head = next((c for _, c in head_chunks if _UNIT_HEAD.match(c.text)), None)
    unit_span = (unit_head.x0 - 10, unit_head.x1 + 3) if unit_head else None

    def in_unit(c: Chunk) -> bool:
        return unit_span is not None and unit_span[0] <= c.x0 and c.x1 <= unit_span[1]

    placed = [
        (ln.index, c) for ln in body if ln.kind == "value" for c in sub(ln) if _is_value(c, sub(ln)) and not in_unit(c)
    ]
    value_chunks = [c for _, c in placed]
    if not value_chunks:
        return None
    ranges = _cluster(value_chunks, [i for i, _ in placed])
    first_value_x = ranges[0][0]
    if word_heads:
        label_end = max(
            (
                c.x1
                for ln in body
                if ln.kind == "value"
                for c in sub(ln)
                if c.x1 < first_value_x - 1 and not _is_value(c, sub(ln))
            ),
            default=0,
        )
        head_chunks = _words_by_column(head_chunks, ranges, label_end + 1)
    # header chunks: label-area chunks name label / unit columns; the rest name value columns
    label_heads = [(i, c) for i, c in head_chunks if c.x1 < first_value_x - 1 and not _is_year_chunk(c, text)]
    unit_col = unit_head if unit_head is not None and unit_head.x1 < first_value_x else None
    # a header right of where the rows' labels start; never the first column's own header
    # (`Category` over `Male` / `Female`)
    lead_x = min(
        (c.x0 for ln in body if ln.kind == "value" for c in sub(ln)[:1] if not _is_value(c, sub(ln))), default=a
    )
    category_col = next((c for _, c in label_heads if _CATEGORY_HEAD.match(c.text) and c.x0 > lead_x + 2), None)
    # a long line of words over the value columns is a sub-heading of the table, not a column header
    subheads = [
        c for _, c in head_chunks if len(c.text) > 45 and not _is_year_chunk(c, text) and c.x1 >= first_value_x - 1
    ]
    line_of = {id(c): i for i, c in head_chunks}
    subhead_ids = {id(s) for s in subheads}
    for s in list(subheads):
        if s.text.count("(") > s.text.count(")"):
            # `… other recovery operations (in` / `metric tonnes)`: the bracket closes on the next line
            closing = next(
                (
                    c
                    for i, c in head_chunks
                    if i == line_of[id(s)] + 1 and c.text.count(")") > c.text.count("(") and not _is_year_chunk(c, text)
                ),
                None,
            )
            if closing is not None:
                subheads[subheads.index(s)] = Chunk(s.x0, s.x1, f"{s.text} {closing.text}")
                head_chunks = [(i, c) for i, c in head_chunks if c is not closing]
            elif (
                body
                and body[0].index == line_of[id(s)] + 1
                and body[0].kind == "text"
                and " ".join(c.text for c in sub(body[0])).count(")")
                > " ".join(c.text for c in sub(body[0])).count("(")
            ):
                subheads[subheads.index(s)] = Chunk(s.x0, s.x1, f"{s.text} {' '.join(c.text for c in sub(body[0]))}")
                body = body[1:]
    value_heads = [
        (i, c)
        for i, c in head_chunks
        if not (c.x1 < first_value_x - 1 and not _is_year_chunk(c, text)) and id(c) not in subhead_ids
    ]
    columns = _value_columns(ranges, value_heads, text)
    if word_heads and any(c.fiscal_year is not None or c.role == "target" for c in columns):
        return Unreadable("no column names a fiscal year")  # read word by word only to find none
    title = _title(
        lines,
        head,
        a,
        b,
        split,
        text,
        [c for _, c in label_heads if c is not unit_col and c is not category_col] + subheads,
    )
    years = {c.fiscal_year for c in columns if c.fiscal_year is not None}
    if len(years) == 1 and title_year(title, text.context) in years:
        # `2023 … by product group` over programme columns and a `2023 Total` column
        columns = [
            Column(min(years), c.label, c.label, c.unit) if c.fiscal_year is None and c.role != "target" else c
            for c in columns
        ]
    if not any(c.fiscal_year is not None or c.role == "target" for c in columns):
        year = title_year(title, text.context)
        if year is None:
            for t in _titles_above(lines, head, text):
                year = title_year(t, text.context)
                if year is not None:
                    break
        if year is None and not word_heads and not _undated_table(columns, title):
            # a header naming no year that does not name every column either: read it again word by
            # word, in case close columns' headers ran together
            return _read_region(lines, head, first, end, header, body, a, b, text, split, word_heads=True)
        if year is None:
            if not _undated_table(columns, title):
                return Unreadable("no column names a fiscal year")
            # a table that prints no year (`GHG Emissions (indicative) breakdown by Product Group`):
            # its cells are read as printed and left undated; dbt dates them only where other
            # figures corroborate one year
            columns = [
                Column(None, c.label, c.label, c.unit, role="undated") if c.role != "target" else c for c in columns
            ]
        else:
            columns = [Column(year, c.label, c.label, c.unit) if c.role != "target" else c for c in columns]
    if unit_col is None and category_col is None:
        found = _unnamed_text_column(body, sub, first_value_x, [c for _, c in label_heads])
        if found is not None:
            x, role = found
            if role == "unit":
                unit_col, unit_span = Chunk(x, x, ""), (x - 1, first_value_x - 1)
            else:
                category_col = Chunk(x + 2, x + 2, "")
    label_cols = [Column(None, "label", role="label")] + (
        [Column(None, category_col.text, role="label")] if category_col else []
    )
    # a unit cell can start left of its header and wrap (`Metric tonnes of` / `CO2 equivalent`)
    unit_x = None
    if unit_col:
        assert unit_span is not None  # unit_col is unit_head (which sets unit_span) or found with its span
        unit_x = (unit_span[0], first_value_x - 1)
    all_columns = label_cols + ([Column(None, "Unit", role="unit")] if unit_col else []) + columns
    offset = len(all_columns) - len(columns)
    table = Table(METHOD, title, head, end, all_columns)
    _read_rows(table, body, sub, ranges, offset, first_value_x, unit_x, category_col, text)
    return table


def _words_by_column(
    head_chunks: list[tuple[int, Chunk]], ranges: list[tuple[int, int]], label_end: int
) -> list[tuple[int, Chunk]]:
    """Header text over the values, regrouped word by word into the columns' boxes. pdftotext
    joins the headers of close columns with one space (`Marine seabourne Logistics transport`),
    so a run of words can hold several columns' headers. Numbers are right-aligned and a header
    sits over its numbers, so a column's box runs from the previous column's last character to
    its own last character; a word goes to the box holding its centre. Only for a header that
    named no year and left a column unnamed read chunk by chunk: a header over several columns (a
    year over No. and %) is one chunk on purpose. A chunk starting where the row labels stand (a
    title, the stub's header) is not parted; nor is one whose words all fall in one column."""
    out: list[tuple[int, Chunk]] = []
    for i, c in head_chunks:
        if c.x0 < label_end:
            out.append((i, c))
            continue
        words = [(c.x0 + m.start(), c.x0 + m.end(), m.group()) for m in re.finditer(r"\S+", c.text)]
        groups: list[tuple[int, list[tuple[int, int, str]]]] = []
        for w in words:
            centre = (w[0] + w[1]) / 2
            j = next((k for k, (_, hi) in enumerate(ranges) if centre < hi), len(ranges) - 1)
            if groups and groups[-1][0] == j:
                groups[-1][1].append(w)
            else:
                groups.append((j, [w]))
        if len(groups) == 1:
            out.append((i, c))
            continue
        # placed over its column's numbers, so that every later step reads it as that column's
        out.extend((i, Chunk(ranges[j][0], ranges[j][1] - 1, " ".join(w[2] for w in ws))) for j, ws in groups)
    return out


def _undated_table(columns: list[Column], title: str | None) -> bool:
    """A table that prints no year, rather than text with numbers in it: a title, and a header
    naming every value column in words."""
    values = [c for c in columns if c.role != "target"]
    return bool(title and values) and all(re.search(r"[^\W\d_]{3}", c.label) for c in values)


def _unnamed_text_column(
    body: list[_Line], sub, first_value_x: int, label_heads: list[Chunk]
) -> tuple[int, str] | None:
    """A second column of text left of the values that the header does not name (`溫室氣體排放總量
    百萬公噸二氧化碳 5.111`, `按性別劃分的員工人數  男性  48,406`): its x and its role by the rule
    every grid reader shares (loaders.grid.unnamed_column_role). A column, not an indent: at least
    a row prints text both left of it and at it, and no label runs across it."""
    rows = []
    for ln in body:
        if ln.kind != "value":
            continue
        cs = sub(ln)
        texts = [c for c in cs if c.x1 < first_value_x - 1 and not _is_value(c, cs)]
        if texts:
            rows.append(texts)
    if len(rows) < 3:
        return None
    left = min(t[0].x0 for t in rows)
    starts = Counter(c.x0 for t in rows for c in t if c.x0 > left + 1)
    for x, n in starts.most_common(3):
        if n < max(3, 0.4 * len(rows)):
            break
        at = lambda c: abs(c.x0 - x) <= 1  # noqa: B023 - used within this iteration only
        # `(i)  Recycled`: a list number before the label is not a column
        both = sum(
            1 for t in rows if any(at(c) for c in t) and any(c.x1 < x - 1 and not _ENUM.match(c.text) for c in t)
        )
        crossing = any(c.x0 < x - 1 < c.x1 for t in rows for c in t)
        named = any(h.x0 <= x + 1 and h.x1 >= x - 1 for h in label_heads if h.x0 > left + 1)
        if not both or crossing or named:
            continue
        pairs = [
            (" ".join(c.text for c in t if c.x1 < x - 1), " ".join(c.text for c in t if c.x0 >= x - 1)) for t in rows
        ]
        if sum(len(before.split()) >= 6 for before, _ in pairs) * 2 > len(pairs):
            return None  # a column of running prose beside the table, not a label column
        return x, unnamed_column_role(pairs)
    return None


def _value_columns(ranges, value_heads, text: DocumentText) -> list[Column]:
    n = len(ranges)
    assigned: list[list[tuple[int, Chunk]]] = [[] for _ in range(n)]
    years = [(i, c) for i, c in value_heads if _is_year_chunk(c, text)]
    # years: one per column, or one over each group of k columns, in order
    year_lines: dict[int, list[Chunk]] = {}
    for i, c in years:
        year_lines.setdefault(i, []).append(c)
    used: set[int] = set()
    for i, cs in year_lines.items():
        cs = sorted(cs, key=lambda c: c.x0)
        if n == len(cs) or (len(cs) > 1 and n % len(cs) == 0):
            k = n // len(cs)
            for g, c in enumerate(cs):
                for j in range(g * k, (g + 1) * k):
                    assigned[j].append((i, c))
            used.update(id(c) for c in cs)
    by_line: dict[int, list[Chunk]] = {}
    for i, c in value_heads:
        if id(c) not in used:
            by_line.setdefault(i, []).append(c)

    def nearest(i: int, c: Chunk) -> int | None:
        j = _column_of(c, ranges)
        a, b = ranges[j]
        if c.x0 <= b + 12 and c.x1 >= a - 12:
            assigned[j].append((i, c))
            return j
        return None

    lines_sorted = sorted(by_line.items(), key=lambda item: (-len(item[1]), item[0]))
    leaf_line, leaf = (
        (lines_sorted[0][0], sorted(lines_sorted[0][1], key=lambda c: c.x0)) if lines_sorted else (None, [])
    )
    # leaf is [] when leaf_line is None
    leaf_columns = [nearest(leaf_line, c) for c in leaf] if leaf_line is not None else []
    for i, cs in by_line.items():
        if i == leaf_line:
            continue
        cs = sorted(cs, key=lambda c: c.x0)
        whole = [c for c in cs if not c.text.endswith("-")]
        k = len(leaf) // len(whole) if whole and len(leaf) % len(whole) == 0 else 0
        if k >= 2 and len(whole) >= 2 and 2 * len(whole) <= n and not _spans_leaf_gaps(whole, leaf):
            # a line of group headers over the leaf headers (Male / Female over No. and %; On Health
            # & Safety / On Skills over No. and %): the g-th names the g-th k leaves, in order
            for g, c in enumerate(whole):
                for col in leaf_columns[g * k : (g + 1) * k]:
                    if col is not None:
                        assigned[col].append((i, c))
            for c in cs:
                if c.text.endswith("-"):
                    nearest(i, c)
            continue
        for c in cs:  # a line of column headers: each names the column nearest to it
            nearest(i, c)
    columns = []
    for j in range(n):
        levels = _levels(sorted(assigned[j], key=lambda p: (p[0], p[1].x0)))
        label = " > ".join(levels)
        year, target, members = None, False, []
        for level in levels:
            hy = header_year(level, text.context)
            target = target or hy.is_target
            if hy.fiscal_year is not None and year is None:
                year = hy.fiscal_year
                if hy.member and not _FILLER.match(hy.member):
                    members.append(hy.member)
            elif not _FILLER.match(level):
                members.append(level)
        if year is None:
            hy = header_year(" ".join(levels), text.context)  # a year split over lines
            year, target = hy.fiscal_year, target or hy.is_target
            members = [m for m in members if header_year(m, text.context).fiscal_year is None]
        member = " > ".join(members)
        unit = "%" if re.search(r"(?:^|[\s>])%|\(%\)|percent", member, re.I) else ""
        future = year is not None and text.context.fiscal_year_end and year > text.context.fiscal_year_end
        if target or future:
            columns.append(Column(None, label, member, unit, role="target"))
        else:
            columns.append(Column(year, label, member, unit))
    return columns


_FILLER = re.compile(r"^[\s()]*(?:(?:current|previous|prior|to|the|financial|fiscal|reporting|year|in)[\s()]*)+$", re.I)


def _levels(parts: list[tuple[int, Chunk]]) -> list[str]:
    """Header text by line: chunks on one line joined by a space, lines by ` > `; a word broken
    by a hyphen at a line end joins the next line (`Non-` / `Landlord`)."""
    levels: list[str] = []
    last_line = None
    for line, c in parts:
        if levels and line == last_line:
            levels[-1] += " " + c.text
        elif levels and levels[-1].endswith("-") and not levels[-1].endswith(" -"):
            levels[-1] += c.text
        else:
            levels.append(c.text)
        last_line = line
    return levels


def _spans_leaf_gaps(groups: list[Chunk], leaf: list[Chunk]) -> bool:
    """Group headers must stand over their leaves in order: a group chunk that starts right of
    the leaf it would begin with by more than that leaf's width is not over it."""
    k = len(leaf) // len(groups)
    for g, c in enumerate(groups):
        first, last = leaf[g * k], leaf[(g + 1) * k - 1]
        if c.x1 < first.x0 - 12 or c.x0 > last.x1 + 12:
            return True
    return False


def _join(parts: list[str]) -> str:
    out = ""
    for p in parts:
        if not out:
            out = p
        elif out.endswith("-") and not out.endswith(" -"):
            out += p  # Non- / Landlord -> Non-Landlord
        else:
            out += " " + p
    return out


def _title(lines, head, a, b, split, text: DocumentText, stub: list[Chunk]) -> str | None:
    parts: list[str] = []
    k = head - 1
    taken = 0
    while k >= 0 and (taken < 2 or (parts and parts[0][:1].islower())) and head - k <= 6:
        ln = lines[k]
        if ln.kind == "claimed":
            break
        if ln.kind == "blank":
            if taken:
                break  # a blank line above the title ends it
            k -= 1
            continue
        if ln.kind == "value":
            break
        if "\f" in text.lines[k]:
            break  # a title is on its table's page: above the break is the last page's footer
        if ln.kind == "lone":
            k -= 1
            continue  # a page number
        question = bool(re.match(r"\d{1,2}\.(?:\s|$)", ln.chunks[0].text))
        if not question and any(len(c.text) > 90 or (len(c.text) > 40 and c.text.endswith(".")) for c in ln.chunks):
            break  # running text above the table, not its title (a numbered question is)
        cs = [c for c in ln.chunks if (a <= c.x0 < b) or (split and len(ln.chunks) == 1)]
        if cs:
            parts.insert(0, " ".join(c.text for c in cs))
            taken += 1
        k -= 1
    if parts and _SUB_ITEM.match(parts[0]):
        # `(iii) Water withdrawal … in the following format`: the numbered question above it
        # (`1. … in areas of water stress`) says what the table is about
        questions = _titles_above(lines, head, text)
        if questions:
            parts.insert(0, questions[0])
    stub_text = " ".join(c.text for c in sorted(stub, key=lambda c: c.x0))
    if stub_text:
        parts.append(stub_text)
    cleaned = [split_all_markers(p)[0] for p in parts if p]
    return " > ".join(cleaned) or None


def _titles_above(lines, head, text: DocumentText) -> list[str]:
    """Numbered question lines above the table (20. Details as at the end of Financial Year), nearest first."""
    out = []
    for k in range(head - 1, max(head - 40, -1), -1):
        ln = lines[k]
        if "\f" in text.lines[k] or (k + 1 < len(text.lines) and "\f" in text.lines[k + 1]):
            continue  # a page's header or footer (`4   Climate Change Report 2023 | riotinto.com`)
        if ln.kind in ("text", "year") and ln.chunks and re.match(r"^\d{1,2}\.?$|^\d{1,2}\.\s", ln.chunks[0].text):
            out.append(" ".join(c.text for c in ln.chunks))
            break
    return out


@dataclass
class _Pending:
    lines: list[int] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def _read_rows(
    table: Table, body: list[_Line], sub, ranges, offset, first_value_x, unit_x, category_col, text: DocumentText
) -> None:
    lines_text = text.lines
    label_right = first_value_x if unit_x is None else unit_x[0]
    cat_x = category_col.x0 - 2 if category_col else None
    rows: list[dict] = []
    for ln in body:
        cs = sub(ln)
        if not cs:
            continue
        labels, cats, units, vals = [], [], [], []
        for c in cs:
            if _is_value(c, cs) and c.x0 >= first_value_x - 3:
                vals.append(c)
                continue
            for piece in _split_at(c, [x for x in (cat_x, first_value_x) if x]):
                if _is_value(piece, cs) and piece.x0 >= first_value_x - 3:
                    vals.append(piece)
                elif unit_x and unit_x[0] <= piece.x0 < unit_x[1]:
                    units.append(piece.text)
                elif cat_x is not None and piece.x0 >= cat_x and piece.x0 < label_right:
                    cats.append(piece.text)
                elif piece.x0 < label_right:
                    labels.append(piece)
                else:
                    units.append(piece.text)  # words among the value columns: a wrapped unit
        rows.append({"line": ln.index, "labels": labels, "cats": cats, "units": units, "vals": vals})

    for r in rows:
        # a line of words running over the value columns heads the rows below (`For each category
        # of waste generated, total waste disposed … (in Metric Tonnes)`): never a wrapped label
        r["heading"] = not r["vals"] and bool(r["labels"]) and max(c.x1 for c in r["labels"]) > first_value_x
    label_width = max((c.x1 for r in rows if not r["heading"] for c in r["labels"]), default=0)
    # rows are value lines; label-only lines are wraps, group headings or centred first-column labels
    groups: list[tuple[int, str]] = []  # (line, text) of group headings

    def add_group(line: int, text_: str) -> None:
        if (
            groups
            and line - groups[-1][0] <= 2
            and not any(line > x["line"] > groups[-1][0] for x in records if "vals" in x)
        ):
            last_line, last = groups[-1]
            joined = (
                f"{last} {text_}" if (text_[:1].islower() or last.count("(") > last.count(")")) else f"{last} > {text_}"
            )
            groups[-1] = (line, joined)
        else:
            groups.append((line, text_))

    cat_width = max((len(" ".join(r["cats"])) for r in rows if r["vals"]), default=0)
    records: list[dict] = []
    pending_above: list[dict] = []
    pending_units: list[tuple[int, list[str]]] = []  # unit-only lines waiting for the next value row
    for r in rows:
        if r["vals"]:
            rec = {
                "line": r["line"],
                "first": r["line"],
                "last": r["line"],
                "label": [c.text for c in r["labels"]],
                "x0": r["labels"][0].x0 if r["labels"] else None,
                "cats": list(r["cats"]),
                "units": list(r["units"]),
                "vals": r["vals"],
                "above": [],
                "cat_only": not r["labels"] and bool(r["cats"]),
            }
            prev_rec = next((x for x in reversed(records) if "vals" in x), None)
            for line, units in pending_units:
                # a wrapped unit cell belongs to the value row nearer to it (the next one on a tie)
                if prev_rec is not None and line - prev_rec["line"] < r["line"] - line:
                    prev_rec["units"].extend(units)
                else:
                    rec["units"] = units + rec["units"]
            pending_units = []
            if not r["labels"] and not r["cats"] and pending_above:
                # the label starts above a line of values only (headings above it stay headings)
                for p in [p for p in pending_above if p["heading"]]:
                    add_group(p["line"], " ".join(c.text for c in p["labels"]))
                take = (
                    [p for p in pending_above if not p["heading"] and not p["labels"][0].text.startswith(_BULLETS)]
                    or [p for p in pending_above if not p["heading"]]
                    or pending_above
                )
                rec["label"] = [c.text for p in take for c in p["labels"]]
                rec["x0"] = take[0]["labels"][0].x0
                rec["first"] = take[0]["line"]
                rec["units"] = [u for p in pending_above for u in p["units"]] + rec["units"]
                pending_above = []
            elif pending_above and r["labels"]:
                # a row numbered (i), 1., a. starts its own label: the lines above it head it
                numbered = bool(_ROW_NUMBER.match(r["labels"][0].text))
                wraps = [p for p in pending_above if not p["heading"] and not numbered and _wraps(p, label_width, r)]
                for p in pending_above:
                    if p in wraps:
                        rec["label"] = [c.text for c in p["labels"]] + rec["label"]
                        rec["first"] = min(rec["first"], p["line"])
                        rec["units"] = p["units"] + rec["units"]
                        rec["x0"] = p["labels"][0].x0
                    elif not p["labels"][0].text.startswith(_BULLETS):
                        # a short line of label text above a labelled row heads the rows below it;
                        # a bullet is a description (the composition of `Other waste (G)`), not a group
                        add_group(p["line"], " ".join(c.text for c in p["labels"]))
                pending_above = []
            elif pending_above and not r["labels"] and r["cats"]:
                for p in pending_above:
                    records.append({"anchor": p, "line": p["line"]})
                    if p["cats"]:
                        # `发展与培训   按性别划分的受训员工百分比`: a first-column label and a heading
                        records.append({"cat_heading": " ".join(p["cats"]), "line": p["line"]})
                pending_above = []
            records.append(rec)
            continue
        if not r["labels"] and not r["cats"]:
            if r["units"]:
                pending_units.append((r["line"], r["units"]))
            continue
        prev = next((x for x in reversed(records) if "vals" in x), None)
        if (
            prev is not None
            and r["labels"]
            and not r["heading"]
            and prev["last"] >= r["line"] - 1
            and _continuation(prev, r)
        ):
            prev["label"].extend(c.text for c in r["labels"])
            prev["units"].extend(r["units"])
            prev["last"] = r["line"]
            continue
        if r["labels"]:
            pending_above.append(r)
        elif r["cats"] and prev is not None and _cat_wraps(prev, r, cat_width):
            prev["cats"].extend(r["cats"])
        elif r["cats"] and prev is not None:
            # a short second-column line after a row that does not fill its column heads the
            # rows below it (`按性别划分的员工人数` over 男性 / 女性)
            records.append({"cat_heading": " ".join(r["cats"]), "line": r["line"]})
    prev_rec = next((x for x in reversed(records) if "vals" in x), None)
    for _, units in pending_units:
        if prev_rec is not None:
            prev_rec["units"].extend(units)
    for p in pending_above:
        if not p["labels"][0].text.startswith(_BULLETS):
            add_group(p["line"], " ".join(c.text for c in p["labels"]))

    _emit_records(table, records, groups, offset, ranges, first_value_x, lines_text, category_col is not None)


def _split_at(c: Chunk, xs: list[int]) -> list[Chunk]:
    """Cut a chunk that runs across a column boundary where a word starts at the boundary
    (`… hour worked) Employees` under `Category`), else at the last space before it."""
    for x in sorted(xs):
        if c.x0 < x - 1 < c.x1 - 1:
            starts = [k for k, ch in enumerate(c.text) if ch == " " and abs(c.x0 + k + 1 - x) <= 3]
            cut = starts[0] if starts else c.text.rfind(" ", 0, x - c.x0 + 1)
            if cut > 0:
                left = Chunk(c.x0, c.x0 + cut, c.text[:cut].rstrip())
                right_text = c.text[cut + 1 :]
                right = Chunk(c.x0 + cut + 1, c.x1, right_text)
                return [left] + _split_at(right, xs)
    return [c]


def _wraps(p: dict, label_width: int, row: dict) -> bool:
    """A label-only line above a labelled value line starts that row's label when it runs to the
    right edge of the label column (it wrapped), rather than being a short group heading."""
    end = max(c.x1 for c in p["labels"])
    text = " ".join(c.text for c in p["labels"])
    if text.isupper() or text.endswith(":"):
        return False
    first_x = p["labels"][0].x0
    row_x = row["labels"][0].x0 if row["labels"] else first_x
    if len(text) < 20 and not (row["labels"] and row["labels"][0].text[:1].islower()):
        return False  # `Employees` over `Male`: a heading, however narrow the label column
    return end >= 0.8 * label_width and abs(first_x - row_x) <= 2


def _reads_on(above: str, text: str) -> bool:
    """`text`, on the line below `above`, continues it: `above` leaves a bracket open, or `text`
    opens in lower case, with a bracket or a joining word."""
    if above.count("(") > above.count(")") or above.count("（") > above.count("）"):
        return True
    return bool(text) and (text[0].islower() or text[0] in "()（）/&,-–" or text.startswith(("and ", "or ")))


def _cat_wraps(prev: dict, r: dict, cat_width: int) -> bool:
    """A second-column line without values continues the row above when that row's text is long
    (it wrapped), or when it reads on."""
    above = " ".join(prev["cats"])
    return not above or _reads_on(above, " ".join(r["cats"])) or len(above) >= 0.6 * cat_width


def _continuation(prev: dict, r: dict) -> bool:
    return _reads_on(" ".join(prev["label"]), " ".join(c.text for c in r["labels"]))


def _emit_records(
    table: Table,
    records: list[dict],
    groups: list[tuple[int, str]],
    offset: int,
    ranges,
    first_value_x: int,
    lines_text: list[str],
    two_labels: bool,
) -> None:
    data = [r for r in records if "vals" in r]
    anchors = [r for r in records if "anchor" in r]
    if two_labels:
        # a first-column label that wraps onto the next row's line (`… (per one million-person
        # hours` / `worked)   Workers`) continues that label; both rows share it
        holder: list[str] | None = None
        for rec in data:
            if (
                rec["label"]
                and holder is not None
                and _continuation({"label": holder}, {"labels": [Chunk(0, 0, rec["label"][0])]})
            ):
                holder.extend(rec["label"])
                rec["label"] = holder
            elif rec["label"]:
                holder = rec["label"]
            else:
                holder = None if not rec["cats"] else holder
    parents: list[tuple[int, str]] = []
    prev_first: str | None = None
    closed: set[str] = set()
    heads = [r for r in records if "cat_heading" in r]
    previous: tuple[int, str, int] | None = None  # (indent, label, last line) of the last labelled row
    enum_parent: str | None = None  # the row an enumeration (i), (ii) … belongs to
    enum_x = 0
    for rec in data:
        table.rows_seen += 1
        group = next((g for line, g in reversed(groups) if line < rec["first"]), None)
        label_now = " ".join(rec["label"]).strip()
        if group and _ROW_NUMBER.match(group) and _ROW_NUMBER.match(label_now):
            # `11. Use of sold products` after the heading `10. Processing of sold products`: a
            # sibling, not a part; the heading's rows have ended
            closed.add(group)
        if group in closed:
            group = None
        label_text = " ".join(rec["label"]).strip()
        cat_text = " ".join(rec["cats"]).strip()
        section_label = None
        if two_labels:
            if not label_text:
                # the first-column label: a centred label nearest to this row, else the one above
                near = _nearest_anchor(rec, anchors, data)
                label_text = near if near is not None else (prev_first or "")
            prev_first = label_text
            group_label, row_label = (label_text or None), (cat_text or label_text)
            if not cat_text:
                group_label = group
            # a second-column heading heads the rows below it up to the next heading of either column
            head = next(
                (
                    h
                    for h in reversed(heads)
                    if h["line"] < rec["first"] and not any(h["line"] < line < rec["first"] for line, _ in groups)
                ),
                None,
            )
            if head is not None:
                section_label, group_label = group_label, head["cat_heading"]
            elif cat_text and group and group != group_label:
                section_label = group  # a heading line over first-column labels
        else:
            x0 = rec["x0"] if rec["x0"] is not None else first_value_x
            while parents and parents[-1][0] >= x0:
                parents.pop()
            group_label = parents[-1][1] if parents else group
            enumerated = bool(_SUB_ITEM.match(label_text + " "))
            if (
                enumerated
                and _FIRST_ITEM.match(label_text)
                and previous is not None
                and previous[0] == x0
                and not _SUB_ITEM.match(previous[1] + " ")
                and not previous[1].lower().startswith("total")
                and not any(previous[2] < line < rec["first"] for line, _ in groups)
            ):
                # `Water discharge by destination … (in kilolitres)  0  0` then `(i) To Surface water`:
                # the row above, at the same indent, heads the list it opens
                enum_parent = previous[1]
            elif not enumerated and label_text and (enum_parent is None or x0 <= enum_x):
                enum_parent = None
            if enumerated and enum_parent is not None and group_label == group:
                group_label = enum_parent
                enum_x = x0
            if label_text:
                parents.append((x0, label_text))
                previous = (x0, label_text, rec["last"])
            row_label = label_text
        label, refs = split_all_markers(row_label)
        raw = (
            "\n".join(lines_text[rec["first"] : rec["last"] + 1])
            if rec["first"] != rec["last"]
            else lines_text[rec["line"]]
        )
        row = Row(
            rec["first"],
            rec["last"],
            raw,
            label=label,
            label_refs=refs,
            group=split_all_markers(group_label)[0] if group_label else None,
            section=split_all_markers(section_label)[0] if section_label else None,
            unit=" ".join(u for u in rec["units"] if u not in ("-", "–")).strip(),
        )
        for v in rec["vals"]:
            j = _column_of(v, ranges)
            number, after = split_value_unit(split_all_markers(v.text)[0])
            row.cells.append(
                Cell(
                    offset + j,
                    v.text,
                    rec["line"],
                    unit=after,
                    number=number if number != v.text else None,
                    raw_text=None,
                )
            )
        if len({c.column for c in row.cells}) != len(row.cells):
            row.problem = ("ambiguous_columns", "two values of this row fall under the same column")
            row.candidates = " | ".join(c.text for c in row.cells)
            row.cells = []
        table.rows.append(row)


def _nearest_anchor(rec: dict, anchors: list[dict], data: list[dict]) -> str | None:
    best, dist = None, None
    for a in anchors:
        d = abs(a["line"] - rec["line"])
        if d > 2:
            continue
        # a centred label sits between its rows: on a tie it wins over the one above
        if dist is None or d < dist or (d == dist and a["line"] > rec["line"]):
            best, dist = a, d
    if best is None:
        return None
    return " ".join(c.text for c in best["anchor"]["labels"])
