"""A table that prints no year: read as printed, dated in dbt only where the company's figures
corroborate one year, and reported where none does (never dated from the report's title).

Rio Tinto's "GHG Emissions (indicative) breakdown by Product Group" is the real case
(tests/test_corpus_reports.py); the texts here are made up to pin each rule.
"""
from __future__ import annotations

import hashlib

import duckdb
import pytest

from loaders.load import parse_bytes
from loaders.text import DocumentContext

from .conftest import copy_project, esgwh

CONTEXT = DocumentContext(2022, 2023, "en")

TWO_TABLES = """\
Water by site

Water withdrawal by site                                             2023          2022
Site A                                                               1,200         1,100
Site B                                                                 800           900

Waste (indicative) breakdown by Site
                                                Hazardous waste Non-hazardous              Total waste
Site                                                   tonnes waste tonnes                    tonnes
Site A                                                     12.5           40.0                   52.5
Site B                                                      3.0           10.5                   13.5
"""


def _parse(text: str):
    return parse_bytes(text.encode("utf-8"), "undated.en.txt", CONTEXT)


def test_a_table_without_years_after_a_dated_one_is_its_own_table_and_stays_undated():
    """Before, the second table's rows were read as more rows of the first, under its years."""
    doc = _parse(TWO_TABLES)
    dated = [(f.line_start, f.fiscal_year, f.row_label, f.value_text) for f in doc.figures if f.fiscal_year]
    assert dated == [(4, 2023, "Site A", "1,200"), (4, 2022, "Site A", "1,100"),
                     (5, 2023, "Site B", "800"), (5, 2022, "Site B", "900")]
    undated = [(f.line_start, f.row_label, f.column_label, f.value_text) for f in doc.figures if f.fiscal_year is None]
    assert [u[0] for u in undated] == [10, 10, 10, 11, 11, 11]
    assert [u[3] for u in undated] == ["12.5", "40.0", "52.5", "3.0", "10.5", "13.5"]
    assert {u[1] for u in undated} == {"Site A", "Site B"}
    # `Hazardous waste Non-hazardous`: two columns' headers joined by one space, parted by column
    assert [u[2] for u in undated[:3]] == ["Hazardous waste > tonnes", "Non-hazardous > waste tonnes", "Total waste > tonnes"]
    titles = {f.table_title for f in doc.figures if f.fiscal_year is None}
    assert titles == {"Waste (indicative) breakdown by Site > Site"}
    assert [t.year_columns for t in doc.tables] == [[2023, 2022], []]


@pytest.mark.attack("report text")
def test_numbers_under_no_named_column_stay_a_quarantined_block():
    """Text with numbers in columns but no header naming them is not a table without years."""
    text = ("Highlights\n\n"
            "                          12%                              300\n"
            "                          45%                              200\n")
    doc = _parse(text)
    assert not doc.figures
    assert [(q.reason_code, q.line_start) for q in doc.quarantined] == [("unrecognised_table", 3)]


REPORT = """\
Acme Sustainability Report 2023

Environmental performance                                          2023          2022
Scope 1 emissions (tCO2e)                                         1,250         1,300
Scope 2 emissions (tCO2e)                                           480           510
Total volume of water withdrawn (m3)                             12,000        11,500

Emissions summary (indicative)
                                                             Group total
Scope 1 emissions (tCO2e)                                         1,250
Scope 2 emissions (tCO2e)                                           480
Total volume of water withdrawn (m3)                             12,400

Other operations summary
                                                             Group total
Scope 1 emissions (tCO2e)                                           900
Scope 2 emissions (tCO2e)                                           300
"""


@pytest.fixture(scope="module")
def undated_build(tmp_path_factory):
    dest = tmp_path_factory.mktemp("undated")
    project = copy_project(dest / "project")
    reports = project / "data" / "reports"
    (reports / "acme_sr_2023.en.txt").write_text(REPORT, encoding="utf-8")
    with (reports / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"acme_sr_2023,Acme Ltd,Sustainability Report 2023,Sustainability Report 2023,SR,2024-03-01,"
                 f"cover,2022,2023,en,acme_sr_2023.en.txt,{hashlib.sha256(REPORT.encode('utf-8')).hexdigest()}\n")
    warehouse = dest / "warehouse.duckdb"
    result = esgwh("build", "--warehouse", str(warehouse), cwd=project, timeout=900,
                   env={"ESGWH_PROJECT_DIR": str(project)})
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con, result.stdout + result.stderr
    con.close()


def test_raw_keeps_the_undated_cells_with_no_year(undated_build):
    con, _ = undated_build
    rows = con.execute("""select f.line_start, f.fiscal_year, f.value_text from raw.figures f
        join raw.documents d using (document_id) where d.report_id = 'acme_sr_2023' and f.line_start >= 10
        order by f.line_start""").fetchall()
    assert rows == [(10, None, "1,250"), (11, None, "480"), (12, None, "12,400"), (16, None, "900"), (17, None, "300")]


def test_a_table_whose_figures_agree_with_one_year_takes_it(undated_build):
    """Scope 1 and 2 of `Emissions summary` equal the 2023 figures (water differs): 2023."""
    con, _ = undated_build
    rows = con.execute("""select line_start, fiscal_year, year_source, year_evidence from intermediate.int_figures_dated
        where report_id = 'acme_sr_2023' and line_start between 10 and 12 order by line_start""").fetchall()
    evidence = "2 of 3 figures agree with those printed for 2023 on basis as_reported (acme_sr_2023 line 4, acme_sr_2023 line 5)"
    assert rows == [(10, 2023, "corroborated", evidence), (11, 2023, "corroborated", evidence),
                    (12, 2023, "corroborated", evidence)]
    # in the mart, the dated statement stays the one kept; the second statement of water conflicts
    water = con.execute("""select value_as_printed, line_number, year_source, n_statements, has_conflict
        from marts.fct_reported_values where report_id = 'acme_sr_2023' and metric_code = 'water_withdrawal'
        and fiscal_year = 2023""").fetchall()
    assert water == [("12,000", 6, "printed", 2, True)]


def test_a_table_no_year_settles_is_reported_not_dated(undated_build):
    """`Other operations summary`: neither figure agrees with any year; the report's title names
    2023, which is never assumed."""
    con, _ = undated_build
    issues = con.execute("""select issue_kind, reason_code, line_number, value_as_printed from marts.mart_extraction_issues
        where report_id = 'acme_sr_2023' order by line_number""").fetchall()
    assert issues == [("undated", "year_not_printed", 16, "900"), ("undated", "year_not_printed", 17, "300")]
    in_mart = con.execute("""select count(*) from marts.fct_reported_values
        where report_id = 'acme_sr_2023' and line_number >= 16""").fetchone()[0]
    assert in_mart == 0


def test_the_build_log_counts_only_dated_figures_as_mapped(undated_build):
    _, log = undated_build
    # 6 dated + 3 corroborated of 11 figures map; the 2 undated ones are not counted as mapped
    assert "[report] acme_sr_2023: 11 figures, 0 quarantined, 3 tables; 9 mapped to metrics" in log
