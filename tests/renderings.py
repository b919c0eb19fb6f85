"""Re-render a bundled tab-separated KPI table the way other converters print the same table.

The bundled Tencent tables are tab-separated. A PDF of the same report run through a Markdown
converter, an HTML-emitting OCR tool or `pdftotext -layout` prints the same cells differently:

- markdown: a pipe table (`| 指标 | 单位 | 2021 |`), the title as a `##` heading;
- html: a `<table>` where a category cell spans its rows (`rowspan`) and a heading row spans the
  table (`colspan`), the title as a `<caption>`-less `<p>` before it;
- aligned: cells padded with spaces into columns, as `pdftotext -layout` does, no tab anywhere.

The readers must find the same figures (label, year, value as printed) in every rendering. Run
`python -m tests.renderings OUT_DIR` to write the three renderings of the bundled tables for a look.
"""

from __future__ import annotations

import html
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


@dataclass(frozen=True)
class TabTable:
    file_name: str
    title: str
    first: int  # 1-based line of the header row
    last: int  # 1-based line of the last body row


# the KPI tables as the tab reader finds them (the coverage command lists them)
TABLES = (
    TabTable("tencent_ssv_2023.zh-Hans.txt", "关键绩效", 3231, 3271),
    TabTable("tencent_ssv_2023.zh-Hans.txt", "关键绩效", 3273, 3320),
    TabTable("tencent_ssv_2023.zh-Hans.txt", "关键绩效", 3322, 3329),
    TabTable("tencent_esg_2021.zh-Hant.txt", "環境績效", 2767, 2790),
    TabTable("tencent_esg_2021.zh-Hant.txt", "僱傭績效", 2822, 2844),
    TabTable("tencent_esg_2021.zh-Hant.txt", "健康與安全表現", 2856, 2861),
    TabTable("tencent_esg_2021.zh-Hant.txt", "培訓", 2873, 2881),
    TabTable("tencent_esg_2021.zh-Hant.txt", "供應商數目", 2887, 2890),
)


def grid(table: TabTable) -> list[list[str]]:
    """The table's rows as cells, every row as wide as the header (a row that lost its empty
    leading cell is aligned on its last cell, as the tab reader reads it)."""
    lines = (REPORTS / table.file_name).read_text(encoding="utf-8").split("\n")[table.first - 1 : table.last]
    rows = [[c.strip() for c in line.split("\t")] for line in lines if line.strip()]
    width = len([c for c in rows[0] if c])
    out = []
    for cells in rows:
        while cells and not cells[-1]:
            cells.pop()
        pad = [""] * (width - len(cells))
        # a row of figures lost its empty leading cell; a heading row keeps its column
        out.append(pad + cells if len(cells) > 2 else cells + pad)
    return out


def to_markdown(table: TabTable) -> str:
    rows = grid(table)
    md = [f"## {table.title}", ""]
    md.append("| " + " | ".join(rows[0]) + " |")
    md.append("|" + "|".join("---" for _ in rows[0]) + "|")
    md += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    return "\n".join(md) + "\n"


def _is_heading(row: list[str]) -> bool:
    return bool(row[0]) and not any(row[1:])


def to_html(table: TabTable) -> str:
    rows = grid(table)
    width = len(rows[0])
    body = rows[1:]
    # a category cell spans the rows below it up to the next category or heading row
    spans: dict[int, int] = {}
    for i, r in enumerate(body):
        if r[0] and not _is_heading(r):
            k = i + 1
            while k < len(body) and not body[k][0]:
                k += 1
            spans[i] = k - i
    covered = {i + k for i, n in spans.items() for k in range(1, n)}
    out = [
        f"<p>{html.escape(table.title)}</p>",
        "<table>",
        "<thead>",
        "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in rows[0]) + "</tr>",
        "</thead>",
        "<tbody>",
    ]
    for i, r in enumerate(body):
        if _is_heading(r):
            out.append(f'<tr><td colspan="{width}">{html.escape(r[0])}</td></tr>')
            continue
        tds = []
        if i in spans:
            attr = f' rowspan="{spans[i]}"' if spans[i] > 1 else ""
            tds.append(f"<td{attr}>{html.escape(r[0])}</td>")
        elif i not in covered:
            tds.append("<td></td>")
        tds += [f"<td>{html.escape(c)}</td>" for c in r[1:]]
        out.append("<tr>" + "".join(tds) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out) + "\n"


def _width(text: str) -> int:
    # pdftotext -layout counts characters, not display cells: a CJK character is one column
    return len(unicodedata.normalize("NFC", text))


def to_aligned(table: TabTable) -> str:
    rows = grid(table)
    widths = [max(_width(r[j]) for r in rows) for j in range(len(rows[0]))]
    out = [table.title, ""]
    for r in rows:
        line = ""
        for j, c in enumerate(r):
            line += c + " " * (widths[j] - _width(c) + 3)
        out.append(line.rstrip())
    return "\n".join(out) + "\n"


RENDERERS = {"markdown": to_markdown, "html": to_html, "aligned": to_aligned}


def render(file_name: str, kind: str) -> str:
    """Every bundled table of one report in one rendering, separated by a paragraph of prose."""
    parts = [RENDERERS[kind](t) for t in TABLES if t.file_name == file_name]
    return "\n本节数据如下。\n\n".join(parts)


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path("renderings")
    out.mkdir(parents=True, exist_ok=True)
    for file_name in dict.fromkeys(t.file_name for t in TABLES):
        for kind in RENDERERS:
            ext = {"markdown": "md", "html": "html.txt", "aligned": "layout.txt"}[kind]
            (out / f"{Path(file_name).stem}.{kind}.{ext}").write_text(render(file_name, kind), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
