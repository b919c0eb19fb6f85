"""The parsers work by mechanism, not by knowing these files: variants of the bundled tables
(rows reordered, one more year column, other footnote styles, the same rows squashed the way a
bad PDF dump prints them) give the same figures."""

from __future__ import annotations

import re
from decimal import Decimal

from loaders.footnotes import split_markers
from loaders.load import parse_bytes

from .conftest import REPORTS

SSV23 = "tencent_ssv_2023.zh-Hans.txt"
LINES = (REPORTS / SSV23).read_text(encoding="utf-8").splitlines()
TABLE = slice(3230, 3329)  # 0-based: the three sub-tables of 关键绩效 (lines 3231-3329)


def _doc(lines: list[str], name: str = "variant.txt"):
    return parse_bytes(("\n".join(lines) + "\n").encode("utf-8"), name)


def _cells(doc) -> dict[tuple[str, str, int], str]:
    return {
        (f.group_label or "", f.row_label, f.fiscal_year): f.value_text
        for f in doc.figures
        if f.extraction_method.startswith("kpi_table")
    }


ORIGINAL = _cells(_doc(LINES[TABLE]))


def test_original_slice_parses_all_cells():
    assert len(ORIGINAL) == 228
    assert ORIGINAL[("", "总收入", 2023)] == "6,090.15"


def test_rows_reordered():
    """The environmental rows (standalone rows, no groups) printed in reverse order."""
    lines = list(LINES[TABLE])
    env = slice(3245 - 3231, 3271 - 3231 + 1)
    rows = lines[env]
    # Keep category cells where they are: they sit in the first column of a row, not on a metric.
    lines[env] = ["\t" + r.split("\t", 1)[1] for r in reversed(rows)]
    assert _cells(_doc(lines)) == {k: v for k, v in ORIGINAL.items()} | {}


def test_one_more_year_column():
    lines = list(LINES[TABLE])
    out = []
    for line in lines:
        cells = line.rstrip("\t").split("\t")
        if cells[-1] == "2023":
            cells.append("2024")
        elif re.fullmatch(r"[\d,.]+(?:\s*\S+)?|—", cells[-1].strip()) and len(cells) >= 4:
            cells.append("1,234.5")
        out.append("\t".join(cells))
    cells = _cells(_doc(out))
    for key, value in ORIGINAL.items():
        assert cells[key] == value
    assert cells[("", "总收入", 2024)] == "1,234.5"
    assert cells[("按性别划分的员工人数", "女性", 2024)] == "1,234.5"


def test_other_footnote_styles():
    """¹⁹ -> ^{19}, ^{2,3,4} -> ²,³,⁴ written as ^{②③④}: same values, same markers."""
    sup = "⁰¹²³⁴⁵⁶⁷⁸⁹"
    circled = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

    def restyle(line: str) -> str:
        line = re.sub(rf"[{sup}]+", lambda m: "^{" + "".join(str(sup.index(c)) for c in m.group(0)) + "}", line)
        return re.sub(
            r"\^\{([\d,]+)\}",
            lambda m: (
                "^{" + "".join(circled[int(x) - 1] for x in m.group(1).split(",")) + "}"
                if "," in m.group(1)
                else m.group(0)
            ),
            line,
        )

    original = _doc(LINES[TABLE])
    variant = _doc([restyle(l) for l in LINES[TABLE]])
    assert _cells(variant) == ORIGINAL
    marks = lambda d: [
        (f.row_label, f.label_footnotes, f.value_footnotes) for f in d.figures if f.extraction_method == "kpi_table"
    ]
    assert marks(variant) == marks(original)
    assert split_markers("56,780 ^{19}") == ("56,780", ["19"])


def test_the_same_rows_squashed_like_a_bad_pdf_dump():
    """SSV 2023 figures printed the SSV 2021 way (no cell boundaries, chunk counters, a page
    number glued on, a token broken across lines): recovered exactly, or refused — never wrong."""
    body = (
        "附錄二關鍵績效表指標類別指標范疇指標單位202120222023"
        "經濟績效經濟收益總收入億元5,601.185,545.526,090.15盈利億元1,237.881,156.491,576.88"
        "雇傭1員工總人數人68,22661,32856,780按性別劃分的員工人數男性人48,40643,69340,469女性人19,82017,63516,311"
        "按性別劃分的員工流失率男性%11.921.716.8女性%13.521.817.4"
        "能源數據中心平均 PUE21.3171.2891.279用水量噸6,201,651.68,152,481.98,191,328.4"
        "注:1. 員工數據範圍說明。2. PUE 說明。"
    )
    chunks = [body[i : i + 57] for i in range(0, len(body), 57)]
    lines = [f"{n}、{c}" for n, c in enumerate(chunks, start=1)]
    doc = _doc(lines, "squashed.txt")
    got = {
        (f.group_label or "", f.row_label, f.fiscal_year): f.value_text
        for f in doc.figures
        if f.extraction_method == "kpi_table_squashed"
    }
    want = {
        ("", "經濟績效經濟收益總收入", 2023): "6,090.15",
        ("", "盈利", 2022): "1,156.49",
        ("", "員工總人數", 2023): "56,780",
        ("按性別劃分的員工人數", "男性", 2021): "48,406",
        ("按性別劃分的員工人數", "女性", 2023): "16,311",
        ("按性別劃分的員工流失率", "男性", 2022): "21.7",
        ("按性別劃分的員工流失率", "女性", 2021): "13.5",
        ("", "能源數據中心平均 PUE", 2021): "1.317",
        ("", "用水量", 2023): "8,191,328.4",
    }
    refused = {q.raw_text for q in doc.quarantined}
    for key, value in want.items():
        if key in got:
            assert got[key] == value, key
        else:
            assert any(key[1][-4:] in r for r in refused), f"{key} neither extracted nor quarantined"
    assert sum(k in got for k in want) >= 7
    pue = [f for f in doc.figures if f.row_label.endswith("PUE")]
    assert {f.value for f in pue} == {Decimal("1.317"), Decimal("1.289"), Decimal("1.279")}
    assert all(f.label_footnotes == ["2"] for f in pue)
