"""The next report: five real reports of other companies, added the way the README says (file in
data/reports/, a manifest row), reach the marts with the meaning two hand readings give them.

Each report is in a rendering the bundled corpus does not have: space-aligned pdftotext text (CT
REIT, Godrej BRSR, JSW BRSR, Rio Tinto) and LlamaParse Markdown (ThaiBev). The expected figures
are tests/expected/corpus_figures.csv (two independent readings reconciled); tests/corpus_check.py
says how a figure is found and judged.
"""

from __future__ import annotations

import duckdb
import pytest

from .corpus_check import build_with_corpus, check, corpus_manifest, expected_rows

# The share of carried figures (hand-read figures with a metric) the marts must hold with the right
# metric, split, basis, year and value. The issue asks for 0.90; the floors hold what the readers
# reach today, so a regression fails. Rio Tinto's "GHG Emissions (indicative) breakdown by Product
# Group" prints no year: dbt dates it 2023 because its figures agree with the 2023 equity figures
# (intermediate.int_figures_dated); its aluminium 24.1 differs from the 24.2 printed for 2023, so
# it is not dated (reported in mart_extraction_issues) and the one missing figure.
FLOOR = {
    "ctreit_esg_2022": 1.0,
    "godrejcp_brsr_fy2025": 0.99,
    "jswsteel_brsr_fy2026": 1.0,
    "riotinto_ccr_2023": 0.99,
    "thaibev_sr_2022": 0.94,
}


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    warehouse, log = build_with_corpus(tmp_path_factory.mktemp("corpus"))
    return warehouse, log, check(warehouse)


def test_the_readings_cover_every_corpus_report_and_the_families():
    rows = expected_rows()
    assert {r["report_file"] for r in rows} == {r["file_name"] for r in corpus_manifest()}
    for report in {r["report_file"] for r in rows}:
        carried = [r for r in rows if r["report_file"] == report and r["metric_code"] and r["qualifier"] == "exact"]
        assert len(carried) >= 30, report
    families = {r["metric_code"].split("_")[0] for r in rows if r["metric_code"]}
    assert {"ghg", "energy", "water", "waste", "headcount", "turnover", "injuries", "fatalities", "trained"} <= families


@pytest.mark.parametrize("report_id", sorted(FLOOR))
def test_hand_read_figures_reach_the_marts_and_none_is_wrong(corpus_build, report_id):
    _, _, results = corpus_build
    res = next(r for r in results.values() if r.report_id == report_id)
    assert res.wrong == [], "\n".join(res.wrong[:20])
    assert res.share_right >= FLOOR[report_id], f"{res.right} of {res.carried}; missing: " + "; ".join(
        f"line {m['line']} {m['value_text']} {m['metric_code']}" for m in res.missing[:15]
    )


def test_check_figures_of_the_sources_file(corpus_build):
    """The check figures tests/corpus/SOURCES.md gives, read in the marts (value in the canonical unit)."""
    warehouse, _, _ = corpus_build
    con = duckdb.connect(str(warehouse), read_only=True)
    try:

        def value(report, metric, year, line, dimension="total", member="total", basis="as_reported"):
            rows = con.execute(
                """select value, value_as_printed from marts.fct_reported_values where report_id = ?
                and metric_code = ? and fiscal_year = ? and dimension = ? and member = ? and basis = ?""",
                [report, metric, year, dimension, member, basis],
            ).fetchall()
            assert len(rows) == 1, (report, metric, year, rows)
            return rows[0]

        # CT REIT, left table p.31: Total GHG (scope 1 + 2, landlord-controlled) and Industrial > Scope 1
        assert value("ctreit_esg_2022", "ghg_scope12", 2020, 1310, basis="landlord_controlled")[1] == "1,118.4"
        assert value("ctreit_esg_2022", "ghg_scope12", 2022, 1310, basis="landlord_controlled")[1] == "1,817.8"
        assert (
            value("ctreit_esg_2022", "ghg_scope1", 2020, 1302, "asset_class", "industrial", "landlord_controlled")[1]
            == "329.3"
        )
        assert value("ctreit_esg_2022", "energy_total", 2022, 1244, basis="landlord_controlled")[1] == "16,800.6"
        # Godrej: Scope 1 26,047 t; water withdrawal 5,03,608 kl; turnover of permanent employees 2022-23 25 %
        assert value("godrejcp_brsr_fy2025", "ghg_scope1", 2025, 3146)[0] == 26047
        assert value("godrejcp_brsr_fy2025", "ghg_scope1", 2024, 3146)[0] == 36076
        assert value("godrejcp_brsr_fy2025", "water_withdrawal", 2025, 3017)[1] == "5,03,608"
        assert value("godrejcp_brsr_fy2025", "turnover_rate", 2023, 945, basis="employees+permanent")[1] == "25%"
        assert value("godrejcp_brsr_fy2025", "energy_total", 2025, 2951)[1] == "85,12,14,381"
        # JSW: relative year headers (Current Financial Year = FY2025-26 -> 2026)
        assert value("jswsteel_brsr_fy2026", "ghg_scope1", 2026, 1857)[1] == "6,02,58,642.49"
        assert value("jswsteel_brsr_fy2026", "ghg_scope1", 2025, 1857)[1] == "5,31,00,751.63"
        assert value("jswsteel_brsr_fy2026", "fatalities", 2026, 1278, basis="workers")[0] == 4
        assert value("jswsteel_brsr_fy2026", "turnover_rate", 2025, 193, basis="employees+permanent")[1] == "9.14"
        # ThaiBev (fiscal year October 2021 - September 2022 is 2022)
        assert value("thaibev_sr_2022", "ghg_scope1", 2019, 957)[1] == "1,335,633"
        assert value("thaibev_sr_2022", "energy_total", 2022, 4610)[1] == "2,027,047"
        assert value("thaibev_sr_2022", "water_withdrawal", 2021, 4682)[0] == 25231000  # Megaliters -> m3
        # Rio Tinto, equity basis, Mt CO2e -> t CO2e
        assert value("riotinto_ccr_2023", "ghg_scope1", 2023, 2809, basis="equity")[0] == 23300000
        assert value("riotinto_ccr_2023", "ghg_scope2", 2021, 2810, basis="equity")[1] == "10.1"
        assert value("riotinto_ccr_2023", "ghg_scope3", 2022, 2815, basis="equity")[1] == "583.9"
        # Rio Tinto's product-group table prints no year and no basis; its figures agree with the
        # 2023 equity figures of p.39 (Total 32.6; iron ore 3.2; minerals 3.7; copper 1.0; other 0.5)
        rows = con.execute("""select member, value_as_printed, line_number, year_source, year_evidence
            from marts.fct_reported_values where report_id = 'riotinto_ccr_2023' and metric_code = 'ghg_total'
            and fiscal_year = 2023 and basis = 'equity' order by member""").fetchall()
        assert [r[:3] for r in rows] == [
            ("aluminium", "169.5", 2913),
            ("copper", "4.7", 2914),
            ("iron_ore", "409.0", 2912),
            ("minerals", "25.3", 2915),
            ("other", "2.3", 2916),
            ("total", "610.7", 2911),
        ]
        assert {r[3] for r in rows} == {"corroborated"}
        assert rows[0][4].startswith("5 of 6 figures agree with those printed for 2023 on basis equity")
        assert "riotinto_ccr_2023 line 2811" in rows[0][4]
        conflict = con.execute("""select value_as_printed, line_number, has_conflict, year_source from marts.fct_reported_values
            where report_id = 'riotinto_ccr_2023' and metric_code = 'ghg_scope12' and member = 'aluminium'
            and fiscal_year = 2023""").fetchall()
        assert conflict == [("24.2", 2837, False, "printed")]
        # the table's 24.1 is not the 2023 figure (24.2 is printed for 2023): reported, not dated
        undated = con.execute("""select line_number, value_as_printed, candidates from marts.mart_extraction_issues
            where report_id = 'riotinto_ccr_2023' and issue_kind = 'undated'""").fetchall()
        assert [u[:2] for u in undated] == [(2913, "24.1")]
        assert undated[0][2].startswith(
            "its table is dated 2023, but this figure differs from the one printed for 2023"
        )
    finally:
        con.close()


def test_every_table_block_is_read_or_quarantined_whole(corpus_build):
    """Nothing silent: every table-like block of the corpus reports is a table a reader read (raw.tables)
    or a quarantined block with the reason (unrecognised_table)."""
    warehouse, _, _ = corpus_build
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        per_report = dict(
            con.execute("""
            select d.report_id, count(t.table_seq) from raw.documents d left join raw.tables t using (document_id)
            group by 1""").fetchall()
        )
        blocks = dict(
            con.execute("""select report_id, count(*) from marts.mart_extraction_issues
            where reason_code = 'unrecognised_table' group by 1""").fetchall()
        )
    finally:
        con.close()
    for r in corpus_manifest():
        assert per_report[r["report_id"]] >= 10, r["report_id"]
    assert blocks.get("thaibev_sr_2022", 0) >= 1  # its tables of numbers without a fiscal year


def test_the_build_log_names_each_new_report_with_its_counts(corpus_build):
    _, log, _ = corpus_build
    for r in corpus_manifest():
        line = next(x for x in log.splitlines() if x.startswith(f"[report] {r['report_id']}:"))
        assert "figures" in line and "quarantined" in line and "mapped to metrics" in line
        assert not line.split(";")[-1].strip().startswith("0 mapped")
    assert "[warning]" not in log
