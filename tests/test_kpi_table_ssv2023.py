"""The SSV Report 2023 key-performance table as a whole (every cell once, nothing else) and as
loaded; each cell against the two hand readings is tests/test_expected_figures.py::test_table_cell.

tests/expected/figures.csv holds the figures two independent readers agreed on (see
tests/expected/readings/ and reconcile_readings.py); none were taken from the parser's output.
"""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from loaders.load import parse_bytes

from .conftest import REPORTS, load_expected

FILE = "tencent_ssv_2023.zh-Hans.txt"
EXPECTED = load_expected(FILE, "table")


@pytest.fixture(scope="module")
def parsed():
    return parse_bytes((REPORTS / FILE).read_bytes(), FILE)


def test_expected_file_covers_the_whole_table():
    # 76 data rows x 3 year columns, 10 of them printed as "—".
    assert len(EXPECTED) == 228
    assert sum(r["qualifier"] == "not_reported" for r in EXPECTED) == 10


def test_every_cell_is_extracted_once_and_nothing_else(parsed):
    got = {(f.line_start, f.fiscal_year) for f in parsed.figures if f.extraction_method == "kpi_table"}
    want = {(int(r["line"]), int(r["fiscal_year"])) for r in EXPECTED}
    assert got == want
    assert sum(f.extraction_method == "kpi_table" for f in parsed.figures) == len(got)
    assert [q for q in parsed.quarantined if q.extraction_method == "kpi_table"] == []
    # each cell's value, qualifier and footnotes: tests/test_expected_figures.py::test_table_cell; this
    # table prints its cells apart, so its labels and units must be the readings' exactly (stricter
    # than there, where squashed dumps may glue a group onto a label)
    printed = (REPORTS / FILE).read_text(encoding="utf-8").splitlines()
    cells = {(f.line_start, f.fiscal_year): f for f in parsed.figures if f.extraction_method == "kpi_table"}
    for r in EXPECTED:
        fig = cells[(int(r["line"]), int(r["fiscal_year"]))]
        assert fig.raw_text == printed[fig.line_start - 1]
        assert (_squash(fig.row_label), fig.unit_text) == (_squash(r["row_label"]), r["unit_text"]), r["line"]
        if r["group_label"]:  # a grouping row printed in the category column is kept as the section
            assert _squash(r["group_label"]) in (_squash(fig.group_label), _squash(fig.section_label)), r["line"]


def _squash(s: str | None) -> str:
    return "".join((s or "").split())


def test_loaded_rows_keep_the_printed_text_and_exact_values(built_warehouse):
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        rows = con.execute(
            """
            SELECT f.line_start, f.fiscal_year, f.value_text, f.value, f.cell_text, f.value_footnotes
            FROM raw.figures f JOIN raw.documents d USING (document_id)
            WHERE d.file_name = ? AND f.extraction_method = 'kpi_table'""",
            [FILE],
        ).fetchall()
    finally:
        con.close()
    by_key = {(r[0], r[1]): r for r in rows}
    assert len(by_key) == len(EXPECTED)
    # Spot checks of the hard cells, typed from the report (line 3237, 3275, 3263).
    assert by_key[(3237, 2023)][2:] == ("4,365.2897", Decimal("4365.2897"), "4,365.2897 ¹", "1")
    assert by_key[(3275, 2023)][2:] == ("56,780", Decimal("56780"), "56,780 ¹⁹", "19")
    assert by_key[(3263, 2021)][2:4] == ("1.317", Decimal("1.317"))
