"""Markdown pipe tables (`| Scope 1 | tCO2e | 1,335,633 |`), as converters such as LlamaParse write.

A block is a run of lines that start with `|`; the header is the rows above the `|---|` separator.
Converters lose structure across page breaks: a block without a separator, or whose header names
no year, continues the nearest table above with year columns (within a few pages of text) when
each of its rows has exactly as many values as that table has year columns; a header-only table
(years over Male / Female) names the columns of the tables under it the same way. Cells are read
by loaders.grid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..grid import GridColumns, GridRow, read_grid, value_like
from ..headers import header_year
from ..model import ParsedDocument
from ..table_model import add_table
from ..text import DocumentText
from . import Block, Reader, Unreadable, register

METHOD = "kpi_table_markdown"

_PIPE = re.compile(r"^\s*\|")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SPLIT = re.compile(r"(?<!\\)\|")
_REACH = 200  # lines within which a table can continue the header of one above


@dataclass
class _MdTable:
    rows: list[tuple[int, list[str]]]  # (line index, cells)
    separator: int | None  # index into rows of the |---| line
    title: str | None
    titles: list[str]  # the headings above, nearest first (below level 1)
    level: int  # level of the heading governing the table (0: none)
    provider: _MdTable | None = None  # the table whose header this one may continue
    columns: GridColumns | None = field(default=None, repr=False)


def split_cells(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [_inline(c.strip().replace("\\|", "|")) for c in _SPLIT.split(body)]


_SUP = re.compile(r"<sup>\s*(.*?)\s*</sup>", re.I)
_INLINE_TAG = re.compile(r"<[^>]*>|!\[[^\]]*\]\([^)]*\)")


def _inline(cell: str) -> str:
    """Inline HTML a converter leaves in a cell: `350<sup>2</sup>` is 350 with footnote 2; other
    tags and images (`<img width="41%">`, `![](chart_2023.png)`) are markup, never cell text."""
    if "<" not in cell and "![" not in cell:
        return cell
    cell = _SUP.sub(lambda m: f" ^{{{m.group(1)}}}", cell)
    cell = re.sub(r"<br\s*/?>", " ", cell, flags=re.I)
    return " ".join(_INLINE_TAG.sub(" ", cell).split())


@register
class MarkdownReader(Reader):
    method = METHOD
    order = 20
    description = "Markdown pipe tables"

    def find(self, text: DocumentText, claimed: set[int]) -> list[Block]:
        blocks: list[Block] = []
        heading: tuple[int, str] | None = None
        outline: list[tuple[int, str]] = []  # the headings in force, outermost first
        providers: list[_MdTable] = []
        lines = text.lines
        i = 0
        while i < len(lines):
            line = text.clean(i)
            if m := _HEADING.match(line):
                level = len(m.group(1))
                heading = (level, m.group(2).strip())
                outline = [h for h in outline if h[0] < level] + [heading]
                i += 1
                continue
            if i in claimed or not _PIPE.match(line):
                i += 1
                continue
            j = i
            while j + 1 < len(lines) and j + 1 not in claimed and _PIPE.match(text.clean(j + 1)):
                j += 1
            rows = [(k, split_cells(text.clean(k))) for k in range(i, j + 1)]
            sep = next((n for n, (k, _) in enumerate(rows) if _SEPARATOR.match(text.clean(k))), None)
            caption = _caption(text, i)
            titles = ([caption] if caption else []) + [h for lv, h in reversed(outline) if lv > 1]
            providers = [p for p in providers if i - p.rows[-1][0] <= _REACH]
            md = _MdTable(
                rows,
                sep,
                caption or (heading[1] if heading else None),
                titles,
                heading[0] if heading else 0,
                providers[-1] if providers else None,
            )
            blocks.append(Block(i, j, md, md.title))
            providers.append(md)
            i = j + 1
        return blocks

    def read(self, block: Block, text: DocumentText, doc: ParsedDocument):
        md: _MdTable = block.data
        if (
            md.separator is not None
            and md.separator > 0
            and not any(
                value_like(c)
                and header_year(c, text.context).fiscal_year is None
                and not header_year(c, text.context).is_target  # `2030 Target` is a header
                for _, cells in md.rows[: md.separator]
                for c in cells[1:]
            )
        ):
            header = [cells for _, cells in md.rows[: md.separator]]
            body_rows = md.rows[md.separator + 1 :]
        else:
            header, body_rows = [], [r for n, r in enumerate(md.rows) if n != md.separator]
        body = [GridRow(cells, k, k, text.lines[k]) for k, cells in body_rows]
        inherited = _inherited(md)
        header_line = md.rows[0][0] if header else None
        result = read_grid(
            METHOD,
            md.title,
            header,
            body,
            block.line_start,
            block.line_end,
            text.context,
            inherited=inherited,
            titles=md.titles,
            header_line=header_line,
        )
        if result.table is None and inherited is not None and header:
            # the header is a group row of a continued table: read it as the first body row
            body = [GridRow(header[-1], md.rows[0][0], md.rows[0][0], text.lines[md.rows[0][0]])] + body
            result = read_grid(
                METHOD,
                md.title,
                [],
                body,
                block.line_start,
                block.line_end,
                text.context,
                inherited=inherited,
                titles=md.titles,
            )
        if result.table is None:
            if not result.has_numbers:
                return None  # a table of words: no figure in it
            return Unreadable(result.reason or "not a fiscal-year table")
        columns = GridColumns(
            result.table.columns, [j for j, c in enumerate(result.table.columns) if c.fiscal_year is not None]
        )
        if result.years_from != "title" and len(columns.value_positions) >= 2:
            md.columns = columns  # a header later blocks may continue
        add_table(doc, result.table, text)
        return None


def _inherited(md: _MdTable) -> GridColumns | None:
    p = md.provider
    while p is not None and (p.columns is None or not p.columns.value_positions):
        p = p.provider
    return p.columns if p else None


def _caption(text: DocumentText, start: int) -> str | None:
    """A short line just above the table that is not a heading (`**Table 3 …**`), as its title."""
    for k in range(start - 1, max(start - 3, -1), -1):
        line = text.clean(k).strip()
        if not line:
            continue
        if _HEADING.match(line) or _PIPE.match(line) or len(line) > 100 or line.endswith((".", "。", ":", "：")):
            return None
        return line.strip("*_ ")
    return None
