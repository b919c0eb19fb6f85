"""A table that prints no year: read as printed, dated in dbt only where the company's figures
corroborate one year, and reported where none does (never dated from the report's title).

Rio Tinto's "GHG Emissions (indicative) breakdown by Product Group" is the real case
(tests/test_corpus_reports.py); the texts here are made up to pin each rule.
"""

from __future__ import annotations

import duckdb
import pytest

from loaders.load import parse_bytes
from loaders.text import DocumentContext

from .conftest import add_report, build, copy_reports

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
    assert dated == [
        (4, 2023, "Site A", "1,200"),
        (4, 2022, "Site A", "1,100"),
        (5, 2023, "Site B", "800"),
        (5, 2022, "Site B", "900"),
    ]
    undated = [(f.line_start, f.row_label, f.column_label, f.value_text) for f in doc.figures if f.fiscal_year is None]
    assert [u[0] for u in undated] == [10, 10, 10, 11, 11, 11]
    assert [u[3] for u in undated] == ["12.5", "40.0", "52.5", "3.0", "10.5", "13.5"]
    assert {u[1] for u in undated} == {"Site A", "Site B"}
    # `Hazardous waste Non-hazardous`: two columns' headers joined by one space, parted by column
    assert [u[2] for u in undated[:3]] == [
        "Hazardous waste > tonnes",
        "Non-hazardous > waste tonnes",
        "Total waste > tonnes",
    ]
    titles = {f.table_title for f in doc.figures if f.fiscal_year is None}
    assert titles == {"Waste (indicative) breakdown by Site > Site"}
    assert [t.year_columns for t in doc.tables] == [[2023, 2022], []]


@pytest.mark.parametrize(
    "between",
    [
        "\n                                       Renewable energy (MWh)\n",
        "\nRenewable sources\n                                                 Renewable energy\n",
    ],
)
def test_a_sub_heading_after_a_blank_line_keeps_the_rows_under_the_years(between):
    """A run of words over rows printed like the table's own is a sub-heading, not a new header."""
    text = (
        "Energy consumption\n\n"
        "Energy                                               2023          2022\n"
        "Electricity (MWh)                                   1,000           900\n"
        "Fuel (MWh)                                            500           400\n"
        + between
        + "Solar                                                 100            90\n"
        "Wind                                                   50            40\n"
    )
    doc = _parse(text)
    got = [(f.row_label, f.fiscal_year, f.value_text) for f in doc.figures]
    assert got[-4:] == [("Solar", 2023, "100"), ("Solar", 2022, "90"), ("Wind", 2023, "50"), ("Wind", 2022, "40")]
    assert not doc.quarantined


@pytest.mark.attack("report text")
def test_a_next_header_at_the_margin_ends_the_table_above():
    """`Site   Hazardous waste   Total waste` after a blank line: a new table, though it prints as
    many columns as the one above (before, 52.5 t of waste was read as water withdrawn in 2023)."""
    text = (
        "Water by site\n\n"
        "Water withdrawal by site                                             2023          2022\n"
        "Site A                                                               1,200         1,100\n"
        "Site B                                                                 800           900\n\n"
        "Waste (indicative) breakdown by Site\n"
        "Site                                            Hazardous waste    Total waste\n"
        "                                                         tonnes         tonnes\n"
        "Site A                                                     12.5           52.5\n"
        "Site B                                                      3.0           13.5\n"
    )
    doc = _parse(text)
    assert [(f.line_start, f.fiscal_year, f.value_text) for f in doc.figures if f.line_start >= 10] == [
        (10, None, "12.5"),
        (10, None, "52.5"),
        (11, None, "3.0"),
        (11, None, "13.5"),
    ]


@pytest.mark.attack("report text")
def test_numbers_under_no_named_column_stay_a_quarantined_block():
    """Text with numbers in columns but no header naming them is not a table without years."""
    text = (
        "Highlights\n\n"
        "                          12%                              300\n"
        "                          45%                              200\n"
    )
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


# Made-up reports, one company each, for the rules an adversarial review attacked.
THETA = """\
Theta Sustainability Report

Acquired business (indicative)
                                                              Acquired sites
Total volume of water withdrawn in water stressed areas (m3)               0
Lost Time Injury Frequency Rate                                         0.00
Scope 1 emissions (tCO2e)                                                950

Key indicators                                                  2023        2022
Total volume of water withdrawn in water stressed areas (m3)       0         120
Lost Time Injury Frequency Rate                                 0.00        0.35
Scope 1 emissions (tCO2e)                                      8,000       8,400
"""

GAMMA = """\
Gamma Sustainability Report

Environmental performance                                          2023          2022
Scope 1 emissions (tCO2e)                                         1,250         1,300
Scope 2 emissions (tCO2e)                                           480           480
Total volume of water withdrawn (m3)                             12,000             —

Emissions and energy (indicative)
                                                        Current      Previous
Scope 1 emissions (tCO2e)                                 1,250         1,300
Scope 2 emissions (tCO2e)                                   480           480
Total volume of water withdrawn (m3)                     12,000        11,500
Total energy consumption (MWh)                                —         5,000
"""

ETA = """\
Eta Sustainability Report

Equity basis emissions                                             2023          2022
Scope 1 emissions (tCO2e)                                         1,250         1,300
Scope 2 emissions (tCO2e)                                           480           510

Water                                                              2023          2022
Total volume of water withdrawn (m3)                             12,000        11,500

Emissions and water summary (indicative)
                                                             Group total
Scope 1 emissions (tCO2e)                                         1,250
Scope 2 emissions (tCO2e)                                           480
Total volume of water withdrawn (m3)                             12,000
"""

BETA = """\
Beta Sustainability Report

Energy                                                  2023              2022
                                                     '000 GJ           '000 GJ
Total energy consumption                                 12.5              11.0
"""

REPORTS = {
    "acme": ("Acme Ltd", REPORT),
    "theta": ("Theta Ltd", THETA),
    "gamma": ("Gamma Ltd", GAMMA),
    "eta": ("Eta Ltd", ETA),
    "beta": ("Beta Ltd", BETA),
}


@pytest.fixture(scope="module")
def undated_build(tmp_path_factory):
    dest = tmp_path_factory.mktemp("undated")
    project = copy_reports(dest / "project")
    for key, (company, body) in REPORTS.items():
        add_report(project, f"{key}_sr_2023", company, f"{key}_sr_2023.en.txt", body)
    warehouse = dest / "warehouse.duckdb"
    result = build(project, warehouse)
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect(str(warehouse), read_only=True)
    yield con, result.stdout + result.stderr
    con.close()


def _mart(con, report, metric, year=2023):
    return con.execute(
        """select basis, value_as_printed, line_number, year_source from marts.fct_reported_values
        where report_id = ? and metric_code = ? and fiscal_year = ? order by basis, line_number""",
        [report, metric, year],
    ).fetchall()


def test_raw_keeps_the_undated_cells_with_no_year(undated_build):
    con, _ = undated_build
    rows = con.execute("""select f.line_start, f.fiscal_year, f.value_text from raw.figures f
        join raw.documents d using (document_id) where d.report_id = 'acme_sr_2023' and f.line_start >= 10
        order by f.line_start""").fetchall()
    assert rows == [(10, None, "1,250"), (11, None, "480"), (12, None, "12,400"), (16, None, "900"), (17, None, "300")]


def test_a_table_whose_figures_agree_with_one_year_takes_it(undated_build):
    """Scope 1 and 2 of `Emissions summary` equal the 2023 figures: the table is 2023. Its water
    figure differs from the one printed for 2023, so it is not that figure: it stays undated."""
    con, _ = undated_build
    rows = con.execute("""select line_start, fiscal_year, year_source, year_evidence from intermediate.int_figures_dated
        where report_id = 'acme_sr_2023' and line_start between 10 and 12 order by line_start""").fetchall()
    evidence = "2 of 3 figures agree with those printed for 2023 on basis as_reported (acme_sr_2023 line 4, acme_sr_2023 line 5)"
    assert rows[:2] == [(10, 2023, "corroborated", evidence), (11, 2023, "corroborated", evidence)]
    assert rows[2][:3] == (12, None, None)
    assert rows[2][3] == "its table is dated 2023, but this figure differs from the one printed for 2023: " + evidence
    # the printed statement is kept before a corroborated one of the same figure
    assert _mart(con, "acme_sr_2023", "ghg_scope1") == [("as_reported", "1,250", 4, "printed")]
    assert _mart(con, "acme_sr_2023", "water_withdrawal") == [("as_reported", "12,000", 6, "printed")]
    n, conflict = con.execute("""select n_statements, has_conflict from marts.fct_reported_values
        where report_id = 'acme_sr_2023' and metric_code = 'ghg_scope1' and fiscal_year = 2023""").fetchone()
    assert (n, conflict) == (2, False)


def test_a_table_no_year_settles_is_reported_not_dated(undated_build):
    """`Other operations summary`: neither figure agrees with any year; the report's title names
    2023, which is never assumed. The water figure that differs is reported with why."""
    con, _ = undated_build
    issues = con.execute("""select issue_kind, reason_code, line_number, value_as_printed from marts.mart_extraction_issues
        where report_id = 'acme_sr_2023' order by line_number""").fetchall()
    assert issues == [
        ("undated", "year_not_printed", 12, "12,400"),
        ("undated", "year_not_printed", 16, "900"),
        ("undated", "year_not_printed", 17, "300"),
    ]
    in_mart = con.execute("""select count(*) from marts.fct_reported_values
        where report_id = 'acme_sr_2023' and line_number >= 12""").fetchone()[0]
    assert in_mart == 0


def test_zero_against_zero_is_no_evidence(undated_build):
    """Theta's acquired sites print 0 and 0.00 where the 2023 figures are 0 and 0.00, and a Scope 1
    that differs: zeros match any year, so the table stays undated and 8,000 stays Scope 1 2023."""
    con, _ = undated_build
    assert _mart(con, "theta_sr_2023", "ghg_scope1") == [("as_reported", "8,000", 12, "printed")]
    undated = con.execute("""select count(*) from intermediate.int_figures_dated
        where report_id = 'theta_sr_2023' and line_start <= 7 and fiscal_year is not null""").fetchone()[0]
    assert undated == 0


def test_two_columns_of_one_metric_are_not_dated_as_one_year(undated_build):
    """Gamma's `Current` / `Previous` columns name no year the readers know: the same metrics in two
    columns are two periods, so the table is not dated, though its Current column agrees with 2023."""
    con, _ = undated_build
    assert _mart(con, "gamma_sr_2023", "energy_total") == []
    dated = con.execute("""select count(*) from intermediate.int_figures_dated
        where report_id = 'gamma_sr_2023' and line_start >= 9 and fiscal_year is not null""").fetchone()[0]
    assert dated == 0


def test_the_basis_goes_only_to_figures_compared_on_it(undated_build):
    """Eta's summary agrees with its equity-basis emissions (2023, equity); its water agrees with a
    water figure that names no basis, so it keeps none: no equity water series appears."""
    con, _ = undated_build
    assert _mart(con, "eta_sr_2023", "ghg_scope1") == [("equity", "1,250", 4, "printed")]
    assert _mart(con, "eta_sr_2023", "water_withdrawal") == [("as_reported", "12,000", 8, "printed")]
    dated = con.execute("""select line_start, fiscal_year, basis, year_source from intermediate.int_figures_dated
        where report_id = 'eta_sr_2023' and line_start >= 12 order by line_start""").fetchall()
    assert dated == [
        (12, 2023, "equity", "corroborated"),
        (13, 2023, "equity", "corroborated"),
        (14, 2023, "as_reported", "corroborated"),
    ]


def test_a_unit_after_a_multiplier_is_not_read_without_it(undated_build):
    """Beta's `'000 GJ` column: reading `GJ` off its end would make 12,500 GJ into 12.5 GJ."""
    con, _ = undated_build
    assert _mart(con, "beta_sr_2023", "energy_total") == []
    status = con.execute("""select distinct mapping_status from intermediate.int_figures_dated
        where report_id = 'beta_sr_2023'""").fetchall()
    assert status == [("unmapped_unit",)]


def test_the_build_log_counts_only_dated_figures_as_mapped(undated_build):
    _, log = undated_build
    # 6 printed + 2 corroborated of 11 figures map; the 3 undated ones are not counted as mapped
    assert "[report] acme_sr_2023: 11 figures, 0 quarantined, 3 tables; 8 mapped to metrics" in log
