"""PDF reports in a workspace: `esgwh init`, `esgwh add`, `esgwh build`, as a new team would.

The three real PDFs of the corpus are added to a workspace that also holds the bundled Tencent
reports; their figures must reach the marts as the hand readings say (the same readings the
committed pdftotext renderings are held to, keyed by page and value), on the pages read by hand
(tests/expected/pdf_pages.csv, checked on the PDF pages themselves). Small PDFs written by
tests/pdfs.py cover what real files would make slow or rare: scans, encryption, damage.
"""

from __future__ import annotations

import csv
import shutil

import duckdb
import pytest

from .conftest import REPORTS, ROOT, esgwh
from .corpus_check import CORPUS, PDFS, check, corpus_manifest
from .pdfs import table_page

PAGES = ROOT / "tests" / "expected" / "pdf_pages.csv"
# No workspace from the environment: each test names its own, or none.
NO_WORKSPACE = {"ESGWH_WORKSPACE": "", "ESGWH_PROJECT_DIR": ""}
TABLE = table_page(
    "Environmental performance",
    ["Indicator", "2023", "2022"],
    [["Scope 1 emissions (tCO2e)", "1,200", "1,100"], ["Water withdrawal (m3)", "5,030", "4,870"]],
)


# What `esgwh add` needs for the small test PDFs, whose few words tell no language.
ACME = [
    "--company",
    "Acme",
    "--fiscal-years",
    "2022-2023",
    "--published",
    "2024-04-01",
    "--type",
    "SR",
    "--language",
    "en",
]


def run(*args, cwd, env=None, timeout=900):
    return esgwh(*args, cwd=cwd, env={**NO_WORKSPACE, **(env or {})}, timeout=timeout)


def add_args(row: dict) -> list[str]:
    """`esgwh add` options that register a corpus report with the metadata of its manifest row."""
    return [
        "--id",
        row["report_id"],
        "--company",
        row["company"],
        "--title",
        row["title"],
        "--title-original",
        row["title_original"],
        "--type",
        row["report_type"],
        "--published",
        row["publication_date"],
        "--language",
        row["language"],
        "--fiscal-years",
        f"{row['fiscal_year_start']}-{row['fiscal_year_end']}",
        "--fiscal-year-end-month",
        row["fiscal_year_end_month"],
    ]


def tencent_reports(ws) -> None:
    """The bundled reports and their manifest rows, as a team would copy them into its workspace."""
    for path in REPORTS.iterdir():
        if path.name != "SOURCE_README.md":
            shutil.copy2(path, ws / "reports" / path.name)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    ws = tmp_path_factory.mktemp("team") / "esg"
    assert run("init", str(ws), cwd=ws.parent).returncode == 0
    tencent_reports(ws)
    logs = []
    for row in corpus_manifest():
        if row["report_id"] in PDFS:
            result = run("add", str(CORPUS / PDFS[row["report_id"]]), *add_args(row), cwd=ws)
            assert result.returncode == 0, result.stdout + result.stderr
            logs.append(result.stdout)
    result = run("build", cwd=ws)
    assert result.returncode == 0, result.stdout + result.stderr
    return ws, "\n".join(logs) + result.stdout


def test_the_pdfs_reach_the_marts_as_the_hand_readings_say(workspace):
    ws, _ = workspace
    results = {r.report_id: r for r in check(ws / "warehouse.duckdb", ws / "reports").values()}
    for report_id, floor in (("ctreit_esg_2022", 1.0), ("godrejcp_brsr_fy2025", 0.99), ("jswsteel_brsr_fy2026", 1.0)):
        res = results[report_id]
        assert res.wrong == [], "\n".join(res.wrong[:20])
        assert res.carried >= 200 and res.share_right >= floor, (
            report_id,
            res.right,
            res.carried,
            [(m["page"], m["value_text"], m["metric_code"]) for m in res.missing[:10]],
        )


def test_figures_are_on_the_pages_read_by_hand(workspace):
    ws, _ = workspace
    with PAGES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["report_id"] for r in rows} == set(PDFS) and all(
        sum(r["report_id"] == rid for r in rows) >= 10 for rid in PDFS
    )
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        for r in rows:
            found = con.execute(
                """select page_number, source_file from marts.fct_reported_values where report_id = ?
                and metric_code = ? and fiscal_year = ? and value_as_printed = ?""",
                [r["report_id"], r["metric_code"], int(r["fiscal_year"]), r["value_text"]],
            ).fetchall()
            assert int(r["page"]) in {p for p, _ in found}, (r, found)
            assert {f for _, f in found} == {PDFS[r["report_id"]] + ".txt"}
    finally:
        con.close()


def test_the_report_names_its_pdf_its_text_and_the_extractor(workspace):
    ws, log = workspace
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute("""select report_id, report_file, source_file, text_extractor from marts.dim_report
            order by report_id""").fetchall()
        texts = dict(
            con.execute("""select d.report_id, t.page_count from raw.document_texts t
            join raw.documents d using (document_id)""").fetchall()
        )
    finally:
        con.close()
    by_id = {r[0]: r for r in rows}
    assert len(rows) == 8
    assert by_id["ctreit_esg_2022"][1:3] == ("ctreit_esg_2022.en.pdf", "ctreit_esg_2022.en.pdf.txt")
    assert by_id["ctreit_esg_2022"][3].startswith("pdfplumber ")
    assert by_id["tencent_ssv_2023"][1] == by_id["tencent_ssv_2023"][2] and by_id["tencent_ssv_2023"][3] is None
    assert texts == {"ctreit_esg_2022": 34, "godrejcp_brsr_fy2025": 61, "jswsteel_brsr_fy2026": 41}
    assert "text extracted to ctreit_esg_2022.en.pdf.txt" in log


def test_the_same_content_under_a_second_id_is_refused_and_names_the_first(workspace):
    ws, _ = workspace
    before = (ws / "reports" / "manifest.csv").read_bytes()
    copy = ws.parent / "ct-reit-copy.pdf"
    shutil.copy2(CORPUS / PDFS["ctreit_esg_2022"], copy)
    result = run("add", str(copy), "--company", "CT REIT", "--fiscal-years", "2022", "--id", "ct_again", cwd=ws)
    assert result.returncode == 3
    assert "already registered as report 'ctreit_esg_2022'" in result.stderr
    assert (ws / "reports" / "manifest.csv").read_bytes() == before
    assert not (ws / "reports" / "ct-reit-copy.pdf").exists()


def test_the_workspace_is_found_from_a_subfolder_and_nothing_new_is_said(workspace):
    ws, _ = workspace
    result = run("build", cwd=ws / "reports")
    assert result.returncode == 0 and "nothing new" in result.stdout, result.stdout + result.stderr


def test_the_analyst_commands_take_the_workspace_from_anywhere(workspace, tmp_path):
    ws, _ = workspace
    result = run("compare", "ghg_scope1", "--year", "2025", "--workspace", str(ws), cwd=tmp_path)
    assert result.returncode == 0 and "JSW" in result.stdout and "Godrej" in result.stdout, result.stderr
    assert run("metrics", "--workspace", str(tmp_path), cwd=tmp_path).returncode == 3


# --- companies and years ----------------------------------------------------------------------


def test_compare_puts_the_companies_side_by_side_with_units_and_sources(workspace):
    """Scope 1 of fiscal 2025 (April 2024 - March 2025): JSW's previous year 5,31,00,751.63 t (p.31)
    and Godrej's current year 26,047 t (p.49), the check figures of tests/corpus/SOURCES.md."""
    ws, _ = workspace
    result = run("compare", "ghg_scope1", "--year", "2025", cwd=ws, env={"COLUMNS": "200"})
    assert result.returncode == 0, result.stderr
    lines = [l for l in result.stdout.splitlines() if "JSW" in l or "Godrej" in l]
    assert len(lines) == 2 and "JSW" in lines[0] and "Godrej" in lines[1], result.stdout
    assert "unit: tCO2e" in result.stdout.split("\n\n")[0]  # one unit for both: said once, in the title
    assert "1 of 2" in lines[0] and "53,100,751.63" in lines[0] and "(p. 31)" in lines[0]
    assert "2 of 2" in lines[1] and "26,047" in lines[1] and "(p. 49)" in lines[1]


def test_a_year_after_2023_is_shown_and_in_the_series_mart(workspace):
    """JSW's current year FY 2025-26 is fiscal 2026: Scope 1 6,02,58,642.49 t (SOURCES.md)."""
    ws, _ = workspace
    result = run("show", "ghg_scope1", "--company", "jsw steel ltd", cwd=ws)
    assert result.returncode == 0, result.stderr
    assert "2026" in result.stdout and "60,258,642.49" in result.stdout and "Tencent" not in result.stdout
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("""select value_as_printed, page_number, pct_change is not null from marts.mart_metric_series
            where company_id = 'jsw_steel_ltd' and metric_code = 'ghg_scope1' and dimension = 'total'
            and fiscal_year = 2026""").fetchall() == [("6,02,58,642.49", 31, True)]
        companies = con.execute("select company_id, listings, reports from marts.dim_company order by 1").fetchall()
    finally:
        con.close()
    assert companies == [
        ("ct_real_estate_investment_trust", "TSX: CRT.UN", 1),
        ("godrej_consumer_products_ltd", "NSE: GODREJCP; BSE: 532424", 1),
        ("jsw_steel_ltd", "NSE: JSWSTEEL; BSE: 500228", 1),
        ("tencent_holdings_ltd", "HKEX: 0700", 5),
    ]
    unknown = run("show", "ghg_scope1", "--company", "Acme", cwd=ws)
    assert unknown.returncode == 2 and "companies: ct_real_estate_investment_trust" in unknown.stderr


def test_export_and_the_report_page_take_a_company(workspace, tmp_path):
    ws, _ = workspace
    out = tmp_path / "export"
    result = run("export", "--company", "Godrej Consumer Products Ltd", "-f", "csv", "--out", str(out), cwd=ws)
    assert result.returncode == 0, result.stderr
    with (out / "fct_metric_values.csv").open(encoding="utf-8", newline="") as fh:
        companies = {r["company"] for r in csv.DictReader(fh)}
    with (out / "mart_extraction_issues.csv").open(encoding="utf-8", newline="") as fh:
        reports = {r["report_id"] for r in csv.DictReader(fh)}
    assert companies == {"Godrej Consumer Products Ltd"} and reports == {"godrejcp_brsr_fy2025"}
    several = run("report", "--out", str(tmp_path / "r.html"), cwd=ws)
    assert several.returncode == 2 and "pass --company, one of" in several.stderr
    page = tmp_path / "jsw.html"
    assert run("report", "--company", "jsw_steel_ltd", "--out", str(page), cwd=ws).returncode == 0
    text = page.read_text(encoding="utf-8")
    assert "<h1>ESG metrics of JSW Steel Ltd, fiscal years 2025-2026</h1>" in text and "Tencent" not in text
