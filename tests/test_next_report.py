"""Adding a report of any company: the manifest takes its language and kind, the headers name its
years, a table block no reader understands is quarantined whole, and a report that maps nothing is
named by the build and by `esgwh coverage`."""

from __future__ import annotations

import csv
import hashlib
import shutil

import duckdb
import pytest

from loaders.errors import ManifestError
from loaders.headers import header_year, title_year
from loaders.load import parse_bytes
from loaders.manifest import read_manifest
from loaders.text import DocumentContext

from .conftest import REPORTS, add_report, build, copy_reports, esgwh, project_env

BRSR = DocumentContext(2024, 2026, "en")  # FY 2025-26 report: 2026 current, 2025 previous


# --- manifest ---------------------------------------------------------------------------------


def _with_row(tmp_path, **changes) -> tuple:
    data = tmp_path / "reports"
    shutil.copytree(REPORTS, data)
    body = "| Indicator | Unit | 2023 | 2022 |\n|---|---|---|---|\n| Scope 1 emissions | tCO2e | 1,200 | 1,100 |\n"
    (data / "acme_sr_2023.en.md").write_text(body, encoding="utf-8")
    row = {
        "report_id": "acme_sr_2023",
        "company": "Acme Ltd",
        "title": "Sustainability Report 2023",
        "title_original": "Sustainability Report 2023",
        "report_type": "SR",
        "publication_date": "2024-04-01",
        "publication_date_basis": "cover",
        "fiscal_year_start": "2022",
        "fiscal_year_end": "2023",
        "language": "en",
        "file_name": "acme_sr_2023.en.md",
        "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
    } | changes
    manifest = data / "manifest.csv"
    with manifest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0].keys())
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields + [k for k in row if k not in fields], lineterminator="\n")
        w.writeheader()
        w.writerows(rows + [row])
    return data, len(rows) + 2  # the new row's line in manifest.csv


def test_an_english_sustainability_report_is_accepted(tmp_path):
    data, _ = _with_row(tmp_path)
    entry = {e.report_id: e for e in read_manifest(data)}["acme_sr_2023"]
    assert (entry.language, entry.report_type, entry.fiscal_year_end) == ("en", "SR", 2023)


@pytest.mark.parametrize("tag", ["th", "zh-Hant-HK", "en-GB", "pt-BR"])
def test_bcp47_tags_are_accepted(tmp_path, tag):
    data, _ = _with_row(tmp_path, language=tag)
    assert {e.report_id: e for e in read_manifest(data)}["acme_sr_2023"].language == tag


@pytest.mark.attack("manifest")
@pytest.mark.parametrize("tag", ["english", "zh_Hans", "123", ""])
def test_a_bad_language_is_refused_with_its_line(tmp_path, tag):
    data, line = _with_row(tmp_path, language=tag)
    with pytest.raises(ManifestError) as err:
        read_manifest(data)
    assert f"manifest.csv:{line}" in str(err.value) and "BCP 47" in str(err.value)


@pytest.mark.attack("manifest")
def test_an_unknown_report_type_is_refused_with_its_line_and_the_known_ones(tmp_path):
    data, line = _with_row(tmp_path, report_type="BROCHURE")
    with pytest.raises(ManifestError) as err:
        read_manifest(data)
    msg = str(err.value)
    assert f"manifest.csv:{line}" in msg and "BROCHURE" in msg and "seeds/report_types.csv" in msg
    assert "BRSR" in msg and "SR" in msg


def test_a_manifest_written_with_the_old_script_column_still_reads(tmp_path):
    data = tmp_path / "reports"
    shutil.copytree(REPORTS, data)
    manifest = data / "manifest.csv"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(",language,", ",script,", 1), encoding="utf-8")
    assert {e.language for e in read_manifest(data)} == {"zh-Hans", "zh-Hant"}


# --- headers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, year",
    [
        ("2023", 2023),
        ("2023年", 2023),
        ("截至2023年12月31日", 2023),
        ("於 2021 年 12 月 31 日", 2021),
        ("FY2023", 2023),
        ("FY 2024-25", 2025),
        ("FY2024–25", 2025),
        ("2023/24", 2024),
        ("2024-2025", 2025),
        ("Financial Year 2024-25 (Current Financial Year)", 2025),
        ("As at 31 March 2025", 2025),
        ("2023 Male", 2023),
    ],
)
def test_header_forms_name_the_year_the_fiscal_year_ends_in(header, year):
    assert header_year(header, BRSR).fiscal_year == year


@pytest.mark.parametrize(
    "header, year",
    [
        ("Current Financial Year", 2026),
        ("FY (Current Financial Year)", 2026),
        ("Previous Financial Year", 2025),
        ("Prior to Previous Financial Year", 2024),
        ("本年度", 2026),
        ("上年度", 2025),
        ("Current FY", 2026),
        ("Previous FY", 2025),
        ("Current Period", 2026),
        ("Previous Period", 2025),
    ],
)
def test_relative_headers_resolve_from_the_manifest_years(header, year):
    hy = header_year(header, BRSR)
    assert (hy.fiscal_year, hy.relative) == (year, True)


def test_relative_headers_need_the_manifest_years():
    assert header_year("Current Financial Year", DocumentContext()).fiscal_year is None


@pytest.mark.parametrize("header", ["2030 target", "Target 2025", "2030年目标", "Scope 1 & 2 (Mt CO2e)", "Unit", ""])
def test_targets_and_labels_are_not_fiscal_year_columns(header):
    assert header_year(header, BRSR).fiscal_year is None


def test_member_text_is_kept_besides_the_year():
    assert header_year("2022 Landlord Controlled", BRSR).member == "Landlord Controlled"


def test_a_title_names_the_year_of_a_table_whose_columns_name_none():
    assert title_year("Employee data for FY 2024-25", BRSR) == 2025
    assert title_year("Targets for 2030", BRSR) is None


# --- nothing silent ---------------------------------------------------------------------------


@pytest.mark.attack("report text")
def test_a_table_block_no_reader_understands_is_quarantined_whole():
    text = (
        "Intro paragraph.\n\n"
        "Region\tSites\tStaff\n"
        "North\t12\t340\n"
        "South\t9\t215\n\n"
        "| Plant | Capacity | Output |\n|---|---|---|\n| A | 1,200 | 900 |\n| B | 800 | 650 |\n"
    )
    doc = parse_bytes(text.encode("utf-8"), "blocks.en.txt", DocumentContext(2023, 2023, "en"))
    blocks = [
        (q.reason_code, q.line_start, q.line_end) for q in doc.quarantined if q.reason_code == "unrecognised_table"
    ]
    assert (("unrecognised_table", 3, 5) in blocks) and (("unrecognised_table", 7, 10) in blocks), doc.quarantined
    assert not [f for f in doc.figures if f.extraction_method.startswith("kpi_table")]


@pytest.mark.attack("report text")
def test_an_html_table_without_years_is_quarantined_whole_and_its_attributes_never_read():
    text = (
        "<table><tr><th>Site</th><th>Share</th></tr>\n"
        '<tr><td><img src="s.png" width="41%"></td><td>12%</td></tr>\n'
        "<tr><td>B</td><td>9%</td></tr></table>\n"
    )
    doc = parse_bytes(text.encode("utf-8"), "html.en.txt", DocumentContext(2023, 2023, "en"))
    assert [(q.reason_code, q.line_start, q.line_end) for q in doc.quarantined] == [("unrecognised_table", 1, 3)]
    assert not doc.figures


@pytest.fixture(scope="module")
def unmapped_build(tmp_path_factory):
    """A real build with one report whose table is read but whose labels no alias knows."""
    dest = tmp_path_factory.mktemp("unmapped")
    project = copy_reports(dest / "project")
    body = (
        "# Widgets\n\n| Indicator | Unit | 2023 | 2022 |\n|---|---|---|---|\n"
        "| Widgets polished | count | 1,200 | 1,100 |\n| Gadgets sold | count | 70 | 65 |\n"
    )
    add_report(project, "widgets_sr_2023", "Widget Co", "widgets_sr_2023.en.md", body)
    warehouse = dest / "warehouse.duckdb"
    result = build(project, warehouse)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, warehouse, result.stdout + result.stderr


def test_the_build_warns_about_a_report_that_maps_nothing(unmapped_build):
    _, _, log = unmapped_build
    assert "[report] widgets_sr_2023: 4 figures, 0 quarantined, 1 tables; 0 mapped to metrics" in log
    warning = [x for x in log.splitlines() if x.startswith("[warning] widgets_sr_2023")]
    assert len(warning) == 1 and "no figure of this report maps to a metric" in warning[0]
    assert "[warning] tencent" not in log


def test_the_unmapped_figures_stay_in_raw_and_out_of_the_marts(unmapped_build):
    _, warehouse, _ = unmapped_build
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        raw = con.execute(
            "SELECT count(*) FROM raw.figures f JOIN raw.documents d USING (document_id) "
            "WHERE d.report_id = 'widgets_sr_2023'"
        ).fetchone()[0]
        marts = con.execute(
            "SELECT count(*) FROM marts.fct_reported_values WHERE report_id = 'widgets_sr_2023'"
        ).fetchone()[0]
    finally:
        con.close()
    assert (raw, marts) == (4, 0)


def test_coverage_flags_the_report_that_maps_nothing(unmapped_build):
    project, warehouse, _ = unmapped_build
    result = esgwh(
        "coverage",
        "--warehouse",
        str(warehouse),
        cwd=project,
        env={**project_env(project), "COLUMNS": "250"},
    )
    out = result.stdout + result.stderr
    assert "widgets_sr_2023" in out
    flagged = [x for x in out.splitlines() if "widgets_sr_2023" in x and "no figure" in x.lower()]
    assert flagged, out


@pytest.mark.attack("numbers")
def test_a_number_raw_cannot_hold_exactly_is_quarantined_not_a_failed_build():
    """Issue 11, numbers class: 32 digits, or 12 decimal places, do not fit DECIMAL(38, 10)."""
    text = (
        "| Metric | 2022 | 2023 |\n|---|---|---|\n"
        "| Scope 1 emissions (tCO2e) | 12345678901234567890123456789012 | 1,100 |\n"
        "| Water (m3) | 0.000000000001 | 5 |\n"
        "| Energy (GJ) | 9,999,999,999,999,999,999,999,999.5 | 7 |\n\n"
        "2023年员工总数为 123456789012345678901234567890 人。\n"
    )
    doc = parse_bytes(text.encode("utf-8"), "big.en.md", DocumentContext(2022, 2023, "en"))
    reasons = [q.reason for q in doc.quarantined if q.reason_code == "unparseable_value"]
    assert len(reasons) == 3 and all("cannot be stored exactly" in r for r in reasons[:2]), reasons
    assert [(f.row_label, f.value_text) for f in doc.figures if f.extraction_method.startswith("kpi")] == [
        ("Energy (GJ)", "9,999,999,999,999,999,999,999,999.5"),
        ("Energy (GJ)", "7"),
    ]
    prose = [q for q in doc.quarantined if q.extraction_method == "prose"]
    assert prose and "cannot be stored exactly" in prose[0].reason


@pytest.mark.attack("report text")
def test_a_last_row_with_far_too_many_cells_is_quarantined_not_called_truncated():
    """Issue 11: a row with more cells than the header is not a cut-off file."""
    text = "指标\t单位\t2022\t2023\n员工总数\t人\t3,200\t3,400\t1\t2\t3\t4\t5"
    doc = parse_bytes(text.encode("utf-8"), "long.zh-Hans.txt", DocumentContext(2022, 2023, "zh-Hans"))
    assert [(q.reason_code, q.line_start) for q in doc.quarantined] == [("too_many_values", 2)]
