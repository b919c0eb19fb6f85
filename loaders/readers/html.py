"""HTML `<table>` elements, as OCR and PDF converters write them into text, read with lxml.

`rowspan` and `colspan` are expanded into a full grid (a spanned cell repeats in every row and
column it covers), so a label spanning three rows heads each of them and a year spanning three
sub-columns names each. Header rows are the `<thead>` rows, or the leading rows of `<th>` cells,
or leading rows that hold no figure. Only text content counts: numbers in attributes
(`<img width="41%">`, `href=…2023…`) are never cells. Cells are read by loaders.grid.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ..grid import GridRow, read_grid, value_like
from ..headers import header_year
from ..model import ParsedDocument
from ..table_model import add_table
from ..text import DocumentText
from . import Block, Reader, Unreadable, register

METHOD = "kpi_table_html"

_OPEN = re.compile(r"<table\b", re.I)
_CLOSE = re.compile(r"</table\s*>", re.I)
_TAG = re.compile(r"<[^>]+>")


@register
class HtmlReader(Reader):
    method = METHOD
    order = 10
    description = "HTML <table> elements with rowspan / colspan"

    def find(self, text: DocumentText, claimed: set[int]) -> list[Block]:
        blocks = []
        i = 0
        lines = text.lines
        while i < len(lines):
            if i in claimed or not _OPEN.search(lines[i]):
                i += 1
                continue
            depth, j = 0, i
            while j < len(lines):
                depth += len(_OPEN.findall(lines[j])) - len(_CLOSE.findall(lines[j]))
                if depth <= 0:
                    break
                j += 1
            j = min(j, len(lines) - 1)
            blocks.append(Block(i, j, title=_title_before(text, i, lines[i])))
            i = j + 1
        return blocks

    def read(self, block: Block, text: DocumentText, doc: ParsedDocument):
        source = "\n".join(text.lines[block.line_start : block.line_end + 1])
        opening = _OPEN.search(source)
        assert opening is not None  # find() starts each block on a line with an opening <table>
        start = opening.start()
        end = _CLOSE.search(source, start)
        if end is None:
            return Unreadable("the <table> element is never closed")
        fragment = source[start : end.end()]
        first_line = block.line_start + source.count("\n", 0, start)
        try:
            table_el = lxml.html.fragment_fromstring(fragment)
        except (etree.ParserError, ValueError) as exc:
            return Unreadable(f"not parseable as HTML ({exc})")
        if table_el.tag != "table":
            table_el = next(iter(table_el.iter("table")), None)
            if table_el is None:
                return Unreadable("no <table> element")
        rows = _grid(table_el, first_line, text)
        title = block.title
        while len(rows) > 1 and len(rows[0][0].cells) > 1 and len(set(rows[0][0].cells)) == 1 and rows[0][0].cells[0]:
            # `<tr><th colspan="3">Table 5: Workforce</th></tr>`: a caption across the table, not a header level
            title = rows[0][0].cells[0] if not title else f"{title} > {rows[0][0].cells[0]}"
            rows = rows[1:]
        if not rows:
            return None
        n_head = 0
        while n_head < len(rows) - 1 and rows[n_head][1]:
            n_head += 1
        if not n_head:
            # no <th>/<thead>: the header runs to the first row naming years (within three rows)
            k = next((k for k, (r, _) in enumerate(rows[:3]) if _names_years(r.cells, text)), None)
            n_head = k + 1 if k is not None else (1 if not _holds_figures(rows[0][0].cells, text) else 0)
        header = [r.cells for r, _ in rows[:n_head]]
        body = [r for r, _ in rows[n_head:]]
        result = read_grid(
            METHOD,
            title,
            header,
            body,
            block.line_start,
            block.line_end,
            text.context,
            titles=[title] if title else None,
            header_line=first_line if header else None,
        )
        if result.table is None:
            assert result.reason is not None  # read_grid gives a reason whenever it gives no table
            return Unreadable(result.reason) if result.has_numbers else None
        add_table(doc, result.table, text)
        return None


def _names_years(cells: list[str], text: DocumentText) -> bool:
    return any(header_year(c, text.context).fiscal_year for c in cells[1:])


def _holds_figures(cells: list[str], text: DocumentText) -> bool:
    return any(value_like(c) and header_year(c, text.context).fiscal_year is None for c in cells[1:])


def _grid(table_el, first_line: int, text: DocumentText) -> list[tuple[GridRow, bool]]:
    """(row, is_header) with rowspan/colspan expanded; cell texts as printed, whitespace folded."""
    trs = [tr for tr in table_el.iter("tr")]
    pending: dict[int, tuple[tuple[str, ...], int, int]] = {}  # column -> (parts, rows left, line)
    out: list[tuple[GridRow, bool]] = []
    for n, tr in enumerate(trs):
        line = first_line + (tr.sourceline or 1) - 1
        nxt = first_line + (trs[n + 1].sourceline or 1) - 2 if n + 1 < len(trs) else line
        cells: list[tuple[str, ...]] = []  # each cell as its <br>-separated parts
        lines: list[int] = []
        col = 0

        def fill_pending():
            nonlocal col
            while col in pending:
                value, left, at = pending[col]
                cells.append(value)  # noqa: B023 - called within this row's iteration only
                lines.append(at)  # noqa: B023
                pending[col] = (value, left - 1, at)
                if left - 1 <= 0:
                    del pending[col]
                col += 1

        header = tr.getparent() is not None and tr.getparent().tag == "thead"
        tds = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        header = header or (bool(tds) and all(c.tag == "th" for c in tds))
        for td in tds:
            fill_pending()
            value = _cell_parts(td)
            at = first_line + (td.sourceline or 1) - 1
            colspan = _span(td.get("colspan"))
            rowspan = _span(td.get("rowspan"))
            for _ in range(colspan):
                cells.append(value)
                lines.append(at)
                if rowspan > 1:
                    pending[col] = (value, rowspan - 1, at)
                col += 1
        fill_pending()
        end = max(line, min(nxt, len(text.lines) - 1))
        raw = "\n".join(text.lines[line : end + 1])
        counts = {len(c) for c in cells if c}
        if len(counts) == 1 and (k := counts.pop()) > 1 and not header:
            # `Employees<br>Contractors | 12<br>45`: one printed row per line of its cells
            for part in range(k):
                out.append((GridRow([c[part] if c else "" for c in cells], line, end, raw, cell_lines=lines), header))
            continue
        out.append((GridRow([" ".join(c) for c in cells], line, end, raw, cell_lines=lines), header))
    return out


def _cell_parts(td) -> tuple[str, ...]:
    """A cell's text as printed, one part per `<br>`-separated line; `<sup>1</sup>` becomes a
    footnote marker (`^{1}`) so that `2022<sup>1</sup>` still reads as 2022, not 20221."""
    parts: list[str] = []
    current: list[str] = []

    def content(el) -> None:
        current.append(el.text or "")
        for child in el:
            if isinstance(child.tag, str):
                if child.tag == "br":
                    parts.append("".join(current))
                    current.clear()
                elif child.tag == "sup":
                    current.append(" ^{" + " ".join(child.text_content().split()) + "}")
                else:
                    content(child)
            current.append(child.tail or "")

    content(td)
    parts.append("".join(current))
    return tuple(p for p in (" ".join(part.split()) for part in parts) if p)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _title_before(text: DocumentText, index: int, line: str) -> str | None:
    opening = _OPEN.search(line)
    assert opening is not None  # called for the line find() saw open a <table>
    before = _TAG.sub(" ", line[: opening.start()]).strip()
    if before:
        return before
    for k in range(index - 1, max(index - 4, -1), -1):
        s = _TAG.sub(" ", text.clean(k)).strip().lstrip("#").strip()
        if s:
            return s if len(s) <= 100 else None
    return None
