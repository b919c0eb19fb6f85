"""Key-performance tables printed as tab-separated rows (SSV 2023, ESG 2021 style).

A table starts at a header row whose right-hand cells are fiscal years (2021, 於 2021 年 12 月
31 日) and runs to the next blank line. Each data row is aligned from the right: its trailing
value cells are the year columns, whatever leading tabs the PDF extraction lost or added.
Structure comes from the rows themselves, never from knowing what a label means:
  - a row with no values sets context: a section (text in the category column only) or a group
    (text in the label column) that the following rows belong to;
  - a row whose values do not fit the year columns is quarantined with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import LoaderError
from ..footnotes import split_markers
from ..grid import unnamed_column_role
from ..headers import header_year
from ..model import ParsedDocument
from ..notes import notes_after, stated_figures
from ..numbers import NOT_REPORTED
from ..table_model import Cell, Column, Row, Table, add_table
from ..text import DocumentContext, DocumentText
from . import Block, Reader, register

METHOD = "kpi_table"

_YEAR_HEADER = re.compile(
    r"^(?:於|于|截至|截至於)?\s*((?:19|20)\d{2})\s*(?:年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?)?\s*$"
)
_VALUEISH = re.compile(r"^[\d,.\s%+-]+$")
_CATEGORY_HEADER = re.compile(r"范畴|範疇|类别|類別")
_UNIT_HEADER = re.compile(r"^(单位|單位)$")


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in line.split("\t")]
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def header_years(
    line: str, context: DocumentContext | None = None
) -> tuple[list[str], list[tuple[int | None, str]]] | None:
    """(lead header cells, [(year, label as printed)]) if the line is a table header: its right-hand
    cells name fiscal years in any form headers print (loaders.headers); a target column among them
    (`2025年目标`) has year None, its cells are quarantined as targets."""
    if "\t" not in line:
        return None
    cells = _cells(line)
    years: list[tuple[int | None, str]] = []
    while cells:
        m = _YEAR_HEADER.match(cells[-1])
        hy = header_year(cells[-1], context) if m is None else None
        if m is not None:
            years.insert(0, (int(m.group(1)), cells.pop()))
        elif hy is not None and (hy.fiscal_year is not None or hy.is_target) and not hy.member:
            years.insert(0, (hy.fiscal_year, cells.pop()))  # FY2023, 2023年度, Current Financial Year
        elif hy is not None and hy.is_target:
            years.insert(0, (None, cells.pop()))
        else:
            break
    if not any(y for y, _ in years) or not cells or not cells[0] or _VALUEISH.match(cells[0]):
        return None
    return cells, years


def _refuse_if_truncated(lines: list[str], start: int, end: int, n_years: int, file_name: str) -> None:
    """A table that runs into the end of the file with an incomplete last row was cut off."""
    last = end - 1
    if last <= start:
        raise LoaderError(
            file_name, f"table header at line {start + 1} is the last line: the table is truncated", line=start + 1
        )
    row = _split_row(lines[last], n_years)
    if row.problem and row.problem[0] == "too_many_values":
        return  # more cells than the header, not fewer: quarantined as that, the file is whole
    if row.problem or not row.values:
        raise LoaderError(
            file_name,
            f"the table starting at line {start + 1} ends the file with an incomplete row: the file looks truncated",
            line=last + 1,
        )


def _is_valueish(cell: str) -> bool:
    text, _ = split_markers(cell)
    return text in NOT_REPORTED or bool(_VALUEISH.match(text)) and any(ch.isdigit() for ch in text)


def _title_before(lines: list[str], header_idx: int) -> str | None:
    for i in range(header_idx - 1, max(header_idx - 7, -1), -1):
        text = lines[i].strip()
        if "\t" in lines[i]:
            return None
        if text:
            return split_markers(text)[0].rstrip("：:")
    return None


@dataclass
class _Row:
    idx: int  # 0-based line index
    lead: list[str]  # leading cells (labels, unit)
    values: list[str]  # value cells, one per year column (may be empty: a structure row)
    problem: tuple[str, str] | None = None


def _split_row(line: str, n_years: int) -> _Row:
    cells = _cells(line) if "\t" in line else [line.strip()]
    k = 0
    while k < len(cells) and _is_valueish(cells[len(cells) - 1 - k]):
        k += 1
    if k == 0:
        return _Row(-1, cells, [])
    lead, values = cells[: len(cells) - k], cells[len(cells) - k :]
    if k > n_years:
        return _Row(-1, lead, values, ("too_many_values", f"row has {k} value cells for {n_years} year column(s)"))
    if k < n_years:
        return _Row(
            -1,
            lead,
            values,
            (
                "too_few_values",
                f"row has {k} value cell(s) for {n_years} year columns; cannot tell which years they belong to",
            ),
        )
    return _Row(-1, lead, values)


def _roles(lead_header: list[str], rows: list[_Row]) -> list[str]:
    """Role of each leading column: category, label, member or unit."""
    roles = []
    for i, h in enumerate(lead_header):
        if _CATEGORY_HEADER.search(h):
            roles.append("category")
        elif _UNIT_HEADER.match(h):
            roles.append("unit")
        elif i == 0 or "label" not in roles:
            roles.append("label")
        else:
            roles.append("second")
    if "second" in roles:
        j = roles.index("second")
        # members (男性/女性 under 按性別劃分…) or units: the rule every grid reader shares
        pairs = [(r.lead[j - 1], r.lead[j]) for r in rows if r.values and len(r.lead) == len(lead_header)]
        roles[j] = "member" if unnamed_column_role(pairs) == "label" else "unit"
        roles = [r if r != "second" else "unit" for r in roles]
    return roles


@register
class TabReader(Reader):
    method = METHOD
    order = 30
    description = "tab-separated rows under a header whose right-hand cells are fiscal years"

    def find(self, text: DocumentText, claimed: set[int]) -> list[Block]:
        lines = text.lines
        blocks = []
        i = 0
        while i < len(lines):
            if i in claimed or (head := header_years(lines[i], text.context)) is None:
                i += 1
                continue
            j = i + 1
            while j < len(lines) and lines[j].strip() and header_years(lines[j], text.context) is None:
                j += 1
            blocks.append(Block(i, j - 1, head))
            i = j
        return blocks

    def read(self, block: Block, text: DocumentText, doc: ParsedDocument):
        lines = text.lines
        lead_header, years = block.data
        start, j = block.line_start, block.line_end + 1
        title = _title_before(lines, start) or (doc.tables[-1].title if doc.tables else None)
        if j == len(lines):
            _refuse_if_truncated(lines, start, j, len(years), doc.file_name)
        table = _parse_body(lines, start, j, lead_header, years, title)
        summary = add_table(doc, table, text)
        for note in notes_after(lines, j, summary.table_seq):
            doc.notes.append(note)
            stated_figures(note, max(summary.year_columns), doc, raw_lines=lines)
        return None


def _parse_body(lines, start, end, lead_header, years, title) -> Table:
    n = len(years)
    columns = [Column(None, h) for h in lead_header] + [
        Column(y, label) if y is not None else Column(None, label, role="target") for y, label in years
    ]
    table = Table(METHOD, title, start, end - 1, columns)
    rows = []
    for idx in range(start + 1, end):
        row = _split_row(lines[idx], n)
        row.idx = idx
        rows.append(row)
    roles = _roles(lead_header, rows)
    width = len(roles)
    # group_label is the nearest preceding grouping row: the text does not print where a group
    # ends, so rows after its last member can carry it too (dbt aliases key on it for members).
    section = category = group = None
    group_refs: list[str] = []

    shifted = _shifted_structure_rows(rows, width)
    for pos, row in enumerate(rows):
        table.rows_seen += 1
        raw = lines[row.idx]
        model = Row(row.idx, row.idx, raw, candidates=" | ".join(row.values) or None)
        if row.problem:
            model.problem = row.problem
            table.rows.append(model)
            continue
        lead = row.lead
        if len(lead) > width:
            # More leading cells than the header has: the extra cell(s) are unexplained.
            model.problem = ("too_many_cells", f"row has {len(lead)} label/unit cells where the header has {width}")
            table.rows.append(model)
            continue
        # Right-align: rows that lost a leading tab still end with unit + values. A row without
        # values is left-aligned unless its neighbours show that this stretch lost a leading tab.
        pad = [""] * (width - len(lead))
        if row.values:
            padded = pad + lead
        elif pos in shifted:
            padded = [""] + lead + pad[1:]
        else:
            padded = lead + pad
        cell = dict(zip(roles, padded))
        cat_text, _ = split_markers(cell.get("category", ""))
        label_text, label_refs = split_markers(cell.get("label", ""))
        member_text, member_refs = split_markers(cell.get("member", ""))
        unit_text, unit_refs = split_markers(cell.get("unit", ""))

        if not row.values:
            table.structure_rows += 1
            if "member" in roles:
                if label_text:
                    group, group_refs = label_text, label_refs
            elif label_text:
                if cat_text:
                    category = cat_text
                group, group_refs = label_text, label_refs
            elif cat_text:
                section, category, group, group_refs = cat_text, None, None, []
            continue

        # Merged category cells are printed mid-block, so a new category cell does not end the
        # current group; only a new group or section row does.
        category = cat_text or category
        if "member" in roles:
            if label_text and member_text:
                group, group_refs, label, refs = label_text, label_refs, member_text, member_refs
            elif member_text:
                label, refs = member_text, member_refs
            else:
                group, group_refs, label, refs = None, [], label_text, label_refs
        else:
            label, refs = label_text, label_refs
            if not label and cat_text:
                label, refs = split_markers(cell.get("category", ""))  # label printed in the category column
        # Category markers are left in raw_text only: a merged category cell is printed mid-block,
        # so which rows it annotates cannot be told from the text.
        model.label, model.label_refs = label, _dedupe(group_refs + refs + unit_refs)
        model.section, model.category, model.group, model.unit = section, category, group, unit_text
        model.cells = [Cell(width + k, v, row.idx) for k, v in enumerate(row.values)]
        table.rows.append(model)
    table.rows_seen = len(rows)
    return table


def _shifted_structure_rows(rows: list[_Row], width: int) -> set[int]:
    """Positions of value-less rows sitting between data rows that both lost a leading tab."""

    def data_shift(pos: int, step: int) -> bool | None:
        pos += step
        while 0 <= pos < len(rows):
            if rows[pos].values and not rows[pos].problem:
                return len(rows[pos].lead) < width
            pos += step
        return None

    return {
        pos
        for pos, r in enumerate(rows)
        if not r.values and len(r.lead) == 1 and width > 1 and data_shift(pos, -1) and data_shift(pos, +1)
    }


def _dedupe(refs: list[str]) -> list[str]:
    return list(dict.fromkeys(refs))
