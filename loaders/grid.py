"""A table as a grid of cells (header rows over body rows) read into the common table model.

Markdown, HTML and space-aligned readers each turn their rendering into a grid (spans expanded,
one string per column) and leave the rest here, so that they read the same grid the same way:

- columns: a header level that names a fiscal year makes a year column; the other levels are its
  member text (`2022 > Landlord Controlled`); a column headed `Unit` holds units; the other
  non-year columns hold labels. A sub-header row with k times as many value cells as there are
  years splits each year into k members (Male / Female under each year).
- rows: cells are aligned from the right when a row prints fewer cells than the header (the
  rendering lost an empty leading cell); a row without values sets the group of the rows below;
  a row whose label cell is empty continues the label above (a merged cell).
- a table whose header names no year takes the one year its title names, or the header of an
  earlier header-only table in the same section; otherwise it is not a fiscal-year table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .footnotes import SUPERSCRIPT, split_all_markers
from .headers import header_year, is_change_header, title_year
from .numbers import DIGIT, NOT_REPORTED, parse_cell_number
from .table_model import Cell, Column, Row, Table
from .text import DocumentContext
from .vocabulary import CIRCLED

_BULLETS = ("•", "▪", "●", "◦", "- ", "– ")
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s")
_UNIT_HEADER = re.compile(r"^(?:units?|单位|單位|uom|unit of measure(?:ment)?)$", re.I)
_EMPHASIS = re.compile(r"(\*\*|__)(.*?)\1")
# a unit printed after the number in the same cell: `68,79,146.59 GJ`, `0.000453 GJ/H`, `2.373 Kl/tcs`
_UNIT_AFTER = re.compile(
    r"^(?P<num>\(?[+\-−]?\d[\d,.\u2009\u202f\u00a0]*\)?\s*%?)\s+(?P<unit>[A-Za-z%‰°][A-Za-z0-9%‰°/.\- ²³₂]{0,15})$"
)


@dataclass
class GridRow:
    cells: list[str]  # one string per column, as printed
    line_start: int  # 0-based
    line_end: int
    raw_text: str
    cell_lines: list[int] | None = None  # line of each cell (default: line_start)
    cell_raw: list[str] | None = None  # source line of each cell (a transposed table)


@dataclass
class GridColumns:
    columns: list[Column]
    value_positions: list[int]  # indices of year columns

    @property
    def width(self) -> int:
        return len(self.columns)


def strip_emphasis(text: str) -> str:
    return _EMPHASIS.sub(r"\2", text).replace("**", "").strip()


# What a value-like cell can hold once its markup is gone: digits, the punctuation and ASCII
# unit letters of a printed number, and the characters of the not-reported marks.
_VALUE_CHARS = "".join(sorted(set("".join(NOT_REPORTED)) - set("0123456789")))
_NEVER_IN_A_VALUE = re.compile(
    rf"[^\dA-Za-z\s,.+\-\u2212()%‰°/²³₂*_\u2009\u202f\u00a0{SUPERSCRIPT}{CIRCLED}{re.escape(_VALUE_CHARS)}]"
)
_REMOVABLE = re.compile(rf"[\s*_{SUPERSCRIPT}{CIRCLED}]")  # what markup and whitespace folding may take
_LONGEST_MARK = max(len(m) for m in NOT_REPORTED) + 1  # + a glued footnote letter (`n/ab`)


def _surely_not_a_value(text: str) -> bool:
    """A cheap `False` of value_like for most text (a line of prose): without a caret group, whose
    braces may hold anything, every character outside the markers survives into the cell read, so
    one that no number, unit or mark holds (a CJK character) decides; and text without a digit
    that keeps more characters than any not-reported mark has is none."""
    if "^" in text:
        return False
    if _NEVER_IN_A_VALUE.search(text):
        return True
    return not DIGIT.search(text) and len(_REMOVABLE.sub("", text)) > _LONGEST_MARK


def value_like(text: str) -> bool:
    return not _surely_not_a_value(text) and read_as_value(text)


def read_as_value(text: str) -> bool:
    """Whether the cell, its markup removed, is a printed number, a number with its unit, or a
    not-reported mark (value_like without its shortcut)."""
    t = split_all_markers(strip_emphasis(text))[0]
    if not t:
        return False
    if t in NOT_REPORTED or parse_cell_number(t) is not None:
        return True
    m = _UNIT_AFTER.match(t)
    return bool(m and parse_cell_number(m.group("num")))


def split_value_unit(text: str) -> tuple[str, str]:
    """(number as printed, unit printed after it): `68,79,146.59 GJ` -> ('68,79,146.59', 'GJ')."""
    m = _UNIT_AFTER.match(text.strip())
    if m and parse_cell_number(m.group("num")) is not None:
        return m.group("num").strip(), m.group("unit").strip()
    return text.strip(), ""


def columns_from_headers(header_rows: list[list[str]], context: DocumentContext) -> GridColumns:
    width = max((len(r) for r in header_rows), default=0)
    columns: list[Column] = []
    for j in range(width):
        levels: list[str] = []
        for r in header_rows:
            cell = split_all_markers(strip_emphasis(r[j]))[0] if j < len(r) else ""  # 2022 ^{1}
            if cell and (not levels or levels[-1] != cell):
                levels.append(cell)
        year = None
        member: list[str] = []
        target = False
        for level in levels:
            hy = header_year(level, context)
            target = target or hy.is_target
            if hy.fiscal_year is not None and year is None:
                year = hy.fiscal_year
                if hy.member:
                    member.append(hy.member)
            else:
                member.append(level)
        label = " > ".join(levels)
        unit = "%" if any(m.startswith("%") or m in ("Percent", "Percentage", "(%)") for m in member) else ""
        future = year is not None and context.fiscal_year_end is not None and year > context.fiscal_year_end
        if any(is_change_header(level) for level in levels):
            columns.append(Column(None, label))  # `2023 > YoY change`: derived, not a year's figure
        elif year is None and levels and _UNIT_HEADER.match(levels[-1]):
            columns.append(Column(None, label, role="unit"))
        elif j == 0 and year is not None:
            columns.append(Column(None, label))  # the label column's header (GRI 403-10 (2018))
        elif target or future:
            columns.append(Column(None, label, " > ".join(member), unit, role="target"))
        else:
            columns.append(Column(year, label, " > ".join(member), unit))
    return GridColumns(columns, [j for j, c in enumerate(columns) if c.fiscal_year is not None])


def unnamed_column_role(pairs) -> str:
    """Role of a leading column whose header is blank, from (cell before it, its cell) of the rows
    with figures, in order: where the cell before is blank or repeats the row above (a merged or
    spanned cell) while this one changes, the column holds labels under a group (男性 / 女性 under
    按性別劃分的員工人數); otherwise it holds units (噸, 兆瓦時)."""
    above = None
    for before, cell in pairs:
        if cell and above is not None and (not before or before == above[0]) and cell != above[1]:
            return "label"
        if cell and not before and above is None:
            return "label"
        above = (before, cell)
    return "unit"


def _aligned(cells: list[str], width: int) -> list[str] | None:
    """A body row's cells, stripped, as wide as the header: a row that lost empty leading cells is
    aligned on its last cell; None when it has more cells than the header (after empty trailing ones)."""
    cells = [c.strip() for c in cells]
    while len(cells) > width and not cells[-1]:
        cells.pop()
    if len(cells) > width:
        return None
    return [""] * (width - len(cells)) + cells


def _name_unnamed_columns(cols: GridColumns, body: list[GridRow]) -> GridColumns:
    first_value = cols.value_positions[0]
    width = cols.width
    rows = [
        cells
        for r in body
        if (cells := _aligned(r.cells, width)) is not None and any(value_like(c) for c in cells[first_value:])
    ]
    columns = list(cols.columns)
    for j in range(1, first_value):
        c = columns[j]
        if c.label or c.role in ("unit", "target") or columns[j - 1].role in ("unit", "target"):
            continue
        if unnamed_column_role([(r[j - 1], r[j]) for r in rows]) == "unit":
            columns[j] = Column(None, c.label, role="unit")
    return GridColumns(columns, cols.value_positions)


def expand_subheader(cols: GridColumns, sub: list[str]) -> GridColumns | None:
    """A sub-header row under year columns: k member cells per year (Male / Female)."""
    n = len(cols.value_positions)
    if not n:
        return None
    first = cols.value_positions[0]
    members = [strip_emphasis(c) for c in sub[first:]]
    while members and not members[-1]:
        members.pop()
    if len(members) % n or not all(members):
        return None
    k = len(members) // n
    out = cols.columns[:first]
    for y, pos in enumerate(cols.value_positions):
        base = cols.columns[pos]
        for m in members[y * k : (y + 1) * k]:
            member = " > ".join(p for p in (base.member, m) if p)
            unit = "%" if m.startswith("%") or m in ("Percent", "Percentage") else base.unit
            out.append(Column(base.fiscal_year, f"{base.label} > {m}", member, unit))
    return GridColumns(out, [j for j, c in enumerate(out) if c.fiscal_year is not None])


def is_subheader(row: list[str], cols: GridColumns) -> bool:
    """A body row with no value but words over the value columns: more header."""
    if not cols.value_positions:
        return False
    first = cols.value_positions[0]
    tail = [strip_emphasis(c) for c in row[first:]]
    filled = [strip_emphasis(c) for c in row if c.strip()]
    if len(set(filled)) == 1 and len(filled) > 1:
        return False  # one text across the table (a colspan): a heading of the rows below
    tail_filled = [c for c in tail if c]
    if any(c.strip() for c in row[:first]) and len(tail_filled) > 1 and len(set(tail_filled)) == 1:
        return False  # `Number of fatalities | Nil | Nil`: a labelled row, not members per year
    return any(tail) and not any(value_like(c) for c in row) and all(not c or len(c) <= 30 for c in tail)


@dataclass
class GridResult:
    table: Table | None
    reason: str | None = None  # why the grid is not a fiscal-year table
    has_numbers: bool = False
    years_from: str = "header"  # header | inherited | title: where the columns' years come from


def read_grid(
    method: str,
    title: str | None,
    header_rows: list[list[str]],
    body: list[GridRow],
    line_start: int,
    line_end: int,
    context: DocumentContext,
    inherited: GridColumns | None = None,
    titles: list[str] | None = None,
    header_line: int | None = None,
) -> GridResult:
    """titles: the headings a table sits under, nearest first (a year there dates a table whose
    columns name none); header_line: where the header is printed (a transposed table's labels)."""
    cols = columns_from_headers(header_rows, context)
    if not cols.value_positions and _years_down(body, context):
        header_rows, body = _transpose(header_rows, body, header_line)
        cols = columns_from_headers(header_rows, context)
    # more header rows at the top of the body (sub-headers, a year row the rendering put below)
    while body and cols.value_positions and is_subheader(body[0].cells, cols):
        expanded = expand_subheader(cols, body[0].cells)
        if expanded is None:
            break
        cols, body = expanded, body[1:]
    if not cols.value_positions and body and _year_row(body[0].cells, context):
        cols = columns_from_headers(header_rows + [body[0].cells], context)
        body = body[1:]
    has_numbers = any(value_like(c) for r in body for c in r.cells)
    years_from = "header"
    if not cols.value_positions:
        year = next((y for y in (title_year(s, context) for s in (titles or (title,))) if y is not None), None)
        if inherited is not None and _fits(inherited, body):
            cols, years_from = inherited, "inherited"
        elif year is not None and has_numbers:
            cols, years_from = _title_year_columns(cols, body, year), "title"
        else:
            return GridResult(None, "no column names a fiscal year", has_numbers)
    if not cols.value_positions:
        return GridResult(None, "no column names a fiscal year", has_numbers)
    cols = _name_unnamed_columns(cols, body)
    table = Table(method, title, line_start, line_end, cols.columns)
    header_label = next((strip_emphasis(r[0]) for r in reversed(header_rows) if r and strip_emphasis(r[0])), "")
    _read_rows(table, cols, body, header_label if cols.value_positions and cols.value_positions[0] > 0 else "")
    return GridResult(table, None, has_numbers, years_from)


def _years_down(body: list[GridRow], context: DocumentContext) -> bool:
    """Years printed down the first column (| 2019 | 1,152,371 | …): a transposed table."""
    firsts = [strip_emphasis(r.cells[0]) for r in body if r.cells and r.cells[0].strip()]
    return len(firsts) >= 2 and all(
        header_year(f, context).fiscal_year or header_year(f, context).is_target or _future(f, context) for f in firsts
    )


def _future(text: str, context: DocumentContext) -> bool:
    m = re.fullmatch(r"((?:19|20)\d{2})", text.strip())
    return bool(m and context.fiscal_year_end and int(m.group(1)) > context.fiscal_year_end)


def _transpose(header_rows: list[list[str]], body: list[GridRow], header_line: int | None):
    head = header_rows[-1] if header_rows else []
    width = max(len(r.cells) for r in body)
    new_header = [[head[0] if head else ""] + [r.cells[0] for r in body]]
    new_body = []
    hl = header_line if header_line is not None else body[0].line_start
    for j in range(1, width):
        label = head[j] if j < len(head) else ""
        cells = [label] + [r.cells[j] if j < len(r.cells) else "" for r in body]
        new_body.append(
            GridRow(
                cells,
                body[0].line_start,
                body[-1].line_end,
                body[0].raw_text,
                cell_lines=[hl] + [r.line_start for r in body],
                cell_raw=[""] + [r.raw_text for r in body],
            )
        )
    return new_header, new_body


def _year_row(cells: list[str], context: DocumentContext) -> bool:
    years = [c for c in cells[1:] if c.strip() and header_year(strip_emphasis(c), context).fiscal_year]
    return len(years) >= 2 and not any(value_like(c) and not header_year(c, context).fiscal_year for c in cells)


def _fits(cols: GridColumns, body: list[GridRow]) -> bool:
    """Every data row has as many values as the inherited header has value columns."""
    counts = {sum(1 for c in r.cells if value_like(c)) for r in body} - {0}
    return bool(counts) and counts == {len(cols.value_positions)}


def _title_year_columns(cols: GridColumns, body: list[GridRow], year: int) -> GridColumns:
    """Every non-label column that holds numbers is a column of the title's year."""
    out = []
    for j, c in enumerate(cols.columns):
        numeric = any(j < len(r.cells) and value_like(r.cells[j]) for r in body)
        if j > 0 and numeric and c.role != "unit":
            out.append(Column(year, c.label, c.label, c.unit or ("%" if c.label.startswith("%") else "")))
        else:
            out.append(c)
    return GridColumns(out, [j for j, c in enumerate(out) if c.fiscal_year is not None])


def _read_rows(table: Table, cols: GridColumns, body: list[GridRow], header_label: str = "") -> None:
    width = cols.width
    first_value = cols.value_positions[0]
    lead_roles = ["unit" if c.role == "unit" else "label" for c in cols.columns[:first_value]]
    group: str | None = None
    group_refs: list[str] = []
    section: str | None = None
    previous_label: str | None = None
    previous_refs: list[str] = []
    merged_group: str | None = None  # the first cells of the last row that filled them (a merged cell)
    spanned: str | None = None  # that cell, repeated on a heading row: the heading's section
    parent: str | None = None  # the last row that is not a bullet: bullets (• Surface water) are its parts
    for r in body:
        table.rows_seen += 1
        row = Row(r.line_start, r.line_end, r.raw_text)
        cells = _aligned(r.cells, width)
        if cells is None:
            filled = [c.strip() for c in r.cells if c.strip()]
            row.problem = ("too_many_values", f"row has {len(r.cells)} cells for {width} columns")
            row.candidates = " | ".join(filled) or None
            table.rows.append(row)
            continue
        short = len(r.cells) < width  # it lost a cell: which one is decided below
        lines = r.cell_lines or [r.line_start] * len(r.cells)
        lines = [r.line_start] * (width - len(lines)) + lines if len(lines) < width else lines[-width:]
        lead = cells[:first_value]
        if short and "unit" in lead_roles and not any(c for c, role in zip(lead, lead_roles) if role == "label"):
            # `| Diesel | 300 | 280 |` under `Metric | Unit | …`: the cell it lost is the unit, not the label
            u = lead_roles.index("unit")
            last_label = (
                max(j for j, role in enumerate(lead_roles) if role == "label") if "label" in lead_roles else None
            )
            if last_label is not None:
                lead[last_label], lead[u] = lead[u], ""
                cells[:first_value] = lead
        labels = [(strip_emphasis(c), j) for c, j in zip(lead, range(first_value)) if lead_roles[j] == "label"]
        unit = next((strip_emphasis(c) for c, role in zip(lead, lead_roles) if role == "unit" and c), "")
        values = [(j, cells[j]) for j in range(first_value, width) if cells[j]]
        has_value = any(
            value_like(v) and (table.columns[j].fiscal_year is not None or table.columns[j].role == "target")
            for j, v in values
        )
        texts = [
            t for k, (t, _) in enumerate(labels) if t and (k == 0 or t != labels[k - 1][0])
        ]  # a colspan repeats its text
        dated_text = [
            split_all_markers(strip_emphasis(v))[0] for j, v in values if table.columns[j].fiscal_year is not None
        ]
        if not has_value and texts and dated_text and any(t not in texts for t in dated_text):
            # `Number of fatalities | Nil | Nil`: words where the years' figures stand, kept, not a heading
            row.label, row.label_refs = split_all_markers(texts[-1])
            row.problem = ("unparseable_value", "the row prints words, not numbers, under the year columns")
            row.candidates = " | ".join(v for _, v in values)
            table.rows.append(row)
            continue
        if not has_value:
            if values and not texts:
                # text in value columns under no label (a wrapped note, a merged caption): kept, not guessed
                row.problem = ("no_label", "row has cells but no label and no number")
                row.candidates = " | ".join(v for _, v in values)
                table.rows.append(row)
                continue
            if texts:
                table.structure_rows += 1
                heading, heading_refs = split_all_markers(" ".join(texts))
                spanned = None
                if len(texts) > 1:
                    # `雇佣 | 按性别划分的员工人数`: the first cell (printed here or spanning from the rows
                    # above) is the section, the last cell the heading of the rows below
                    spanned = section = split_all_markers(" ".join(texts[:-1]))[0]
                    heading, heading_refs = split_all_markers(texts[-1])
                elif _NUMBERED.match(heading) and group and not _NUMBERED.match(group):
                    # `1. Employee` under `Fatalities`: the heading above becomes the section
                    section = group
                elif not _NUMBERED.match(heading):
                    section = None
                group, group_refs = heading, heading_refs
                previous_label = parent = merged_group = None
            continue
        if texts:
            label_text, refs = split_all_markers(texts[-1])
            if len(texts) > 1 and spanned and split_all_markers(" ".join(texts[:-1]))[0] == spanned:
                row.group = group  # under the heading, the spanned cell its section
            elif len(texts) > 1:
                g, g_refs = split_all_markers(" ".join(texts[:-1]))
                row.group, refs = g, g_refs + refs
                merged_group = g if labels[0][0] else merged_group
                spanned = None
            elif labels and not labels[0][0] and merged_group:
                row.group = merged_group  # `经济收益 | 总收入` then ` | 盈利`: the first cell spans both rows
            elif labels and not labels[0][0] and previous_label and len(labels) > 1:
                row.group = previous_label  # a sub-row under a merged first cell
            elif label_text.startswith(_BULLETS) and parent:
                row.group = parent  # • Surface water under Total volume of water discharge
            else:
                row.group = group
            if labels and labels[0][0] and len(texts) == 1:
                merged_group = None
            if not label_text.startswith(_BULLETS):
                parent = label_text
            previous_label, previous_refs = (
                (label_text, refs) if labels and labels[0][0] else (previous_label, previous_refs)
            )
        elif previous_label:
            label_text, refs = previous_label, list(previous_refs)  # a merged label cell above
            row.group = group
        elif header_label:
            label_text, refs = split_all_markers(header_label)  # the header names the only row
        else:
            label_text, refs = "", []
        row.label, row.label_refs = label_text, list(dict.fromkeys(group_refs + refs)) if row.group == group else refs
        if row.group == group:
            row.section = section
        elif row.group == merged_group and group:
            row.section = group  # `消费互联网业务客服体系` heading over `产品责任 | 年服务次数`
        else:
            row.section = None
        row.unit = unit
        raws = r.cell_raw or []
        raws = [""] * (width - len(raws)) + raws if raws and len(raws) < width else raws
        for j, v in values:
            if table.columns[j].fiscal_year is None and table.columns[j].role != "target":
                continue
            number, after = split_value_unit(split_all_markers(strip_emphasis(v))[0])
            row.cells.append(
                Cell(
                    j,
                    v,
                    lines[j] if j < len(lines) else r.line_start,
                    unit=after,
                    number=number if number != v else None,
                    raw_text=raws[j] if j < len(raws) and raws[j] else None,
                )
            )
        table.rows.append(row)
