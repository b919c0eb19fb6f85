"""Small workspaces, as a team's first days with `esgwh init`, `esgwh add` and `esgwh build` go:
small PDFs written by tests/pdfs.py (scans, encryption, damage, a page without text), workspace
seed rows and topics, renamed companies, moved and cloned workspaces, and the PDF extraction
itself. The corpus PDFs in a workspace are tests/test_pdf_reports.py's (a module of its own, so
that pytest-xdist runs the two side by side)."""

from __future__ import annotations

import hashlib
import pickle
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from loaders.errors import LoaderError
from loaders.load import parse_entry
from loaders.manifest import read_manifest
from loaders.pdf import pdf_text

from .conftest import ROOT, copy_project
from .corpus_check import CORPUS, PDFS
from .pdfs import encrypted, make_pdf, table_page
from .test_pdf_reports import ACME, TABLE, run


@pytest.mark.attack("manifest")
def test_add_refuses_an_implausible_publication_date_and_reads_the_type_in_any_case(small_workspace):
    ws = small_workspace
    path = ws.parent / "acme.pdf"
    path.write_bytes(make_pdf([TABLE]))
    base = [a for a in ACME if a not in ("2024-04-01", "--published", "SR", "--type")]
    refused = run("add", str(path), *base, "--published", "0001-01-01", "--type", "SR", cwd=ws)
    assert refused.returncode == 3 and "not a plausible publication date" in refused.stderr
    added = run("add", str(path), *base, "--published", "2024-04-01", "--type", "sr", cwd=ws)
    assert added.returncode == 0 and "SR 2022-2023" in added.stdout, added.stdout + added.stderr


def test_no_workspace_is_a_clear_error(tmp_path):
    result = run("build", cwd=tmp_path)
    assert result.returncode == 3
    assert "no workspace in" in result.stderr and "esgwh init" in result.stderr and "Traceback" not in result.stderr


def test_a_renamed_company_keeps_one_series_by_its_id(small_workspace):
    ws = small_workspace
    for year, name, value in ((2023, "Acme Ltd", "1,200"), (2024, "Acme Holdings plc", "1,300")):
        page = table_page(
            "Environmental performance",
            ["Indicator", str(year), str(year - 1)],
            [["Scope 1 emissions (tCO2e)", value, "1,100" if year == 2023 else "1,200"]],
        )
        path = ws.parent / f"acme-{year}.pdf"
        path.write_bytes(make_pdf([page]))
        result = run(
            "add",
            str(path),
            "--company",
            name,
            "--company-id",
            "acme",
            "--fiscal-years",
            f"{year - 1}-{year}",
            "--published",
            f"{year + 1}-04-01",
            "--type",
            "SR",
            "--language",
            "en",
            cwd=ws,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert run("build", cwd=ws).returncode == 0
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        series = con.execute("""select company, fiscal_year, value_as_printed from marts.mart_metric_series
            where metric_code = 'ghg_scope1' order by fiscal_year""").fetchall()
        company = con.execute("select company_id, company, names_as_printed, reports from marts.dim_company").fetchall()
    finally:
        con.close()
    assert series == [
        ("Acme Holdings plc", 2022, "1,100"),
        ("Acme Holdings plc", 2023, "1,200"),
        ("Acme Holdings plc", 2024, "1,300"),
    ]
    assert company == [("acme", "Acme Holdings plc", "Acme Holdings plc | Acme Ltd", 2)]


def test_a_workspace_maps_a_label_with_a_seed_row_of_its_own(built_acme, tmp_path):
    """ "Water withdrawal" alone is not in the package's label dictionary: the workspace adds the
    alias in its seeds/label_aliases.csv, and the package's seed is not touched."""
    ws = copy_workspace(built_acme, tmp_path / "ws")

    def water():
        con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
        try:
            return con.execute("""select fiscal_year, value_as_printed, unit, line_number from marts.fct_reported_values
                where metric_code = 'water_withdrawal' order by 1""").fetchall()
        finally:
            con.close()

    assert water() == []
    package_seed = (ROOT / "seeds" / "label_aliases.csv").read_bytes()
    header = package_seed.decode("utf-8").splitlines()[0]
    (ws / "seeds" / "label_aliases.csv").write_text(
        header + "\nWater withdrawal,,exact,,,,water_withdrawal,total,total,,our own alias\n", encoding="utf-8"
    )
    result = run("build", cwd=ws)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "workspace seed rows added: label_aliases.csv" in result.stdout
    assert water() == [(2022, "4,870", "m3", 5), (2023, "5,030", "m3", 5)]
    assert (ROOT / "seeds" / "label_aliases.csv").read_bytes() == package_seed


def test_a_workspace_topic_makes_the_prose_reader_read_its_sentences(small_workspace):
    """门店 (shops) is no topic of the package's seeds/prose_topics.csv: a workspace adds it, and the
    build reads the sentence that names it (a figure the marts then list as an unmapped label)."""
    ws = small_workspace
    body = "# 经营概况\n\n2023年，公司门店数量达到 1,250 家。同年公司员工 300 人。\n"
    path = ws.parent / "shops.zh-Hans.txt"
    path.write_text(body, encoding="utf-8")
    args = ["--company", "Shops", "--fiscal-years", "2023-2023", "--published", "2024-04-01", "--type", "SR"]
    assert run("add", str(path), *args, "--language", "zh-Hans", cwd=ws).returncode == 0
    entry = next(e for e in read_manifest(ws / "reports") if e.company == "Shops")
    # the package's topics: the sentence is read for its headcount (员工) only
    doc, _ = parse_entry(entry.path.read_bytes(), entry)
    assert sorted(f.value_text for f in doc.figures) == ["300"]
    (ws / "seeds" / "prose_topics.csv").write_text("word,family,note\n门店,economic,our shops\n", encoding="utf-8-sig")
    result = run("build", cwd=ws)
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        read = con.execute("""select f.value_text, f.unit_text, f.line_start from raw.figures f
            join raw.documents d using (document_id) where d.company = 'Shops' order by 1""").fetchall()
        topics = con.execute("select word from seeds.prose_topics where word = '门店'").fetchall()
    finally:
        con.close()
    assert read == [("1,250", "家", 3), ("300", "人", 3)]
    assert topics == [("门店",)]  # dbt has the row too


@pytest.mark.attack("manifest")
@pytest.mark.parametrize(
    "name, text, message",
    [
        ("label_alias.csv", "a,b\n", "is not a seed this warehouse has"),
        (
            "unit_conversions.csv",
            "unit,factor\nkt,1000\n",
            "its columns must be those of the package's unit_conversions.csv",
        ),
    ],
)
def test_a_workspace_seed_that_fits_no_package_seed_is_refused(small_workspace, name, text, message):
    ws = small_workspace
    (ws / "seeds" / name).write_text(text, encoding="utf-8")
    result = run("build", cwd=ws)
    assert result.returncode == 3 and message in result.stderr and name in result.stderr, result.stderr
    assert not (ws / "warehouse.duckdb").exists()


def test_a_workspace_row_replaces_the_package_row_it_corrects(small_workspace):
    """The package maps "Scope 1 emissions" (exact) to ghg_scope1; a workspace row with the same key
    maps it elsewhere: the workspace wins, and the build says which package row it replaced."""
    ws = small_workspace
    (ws / "reports" / "acme.pdf").write_bytes(make_pdf([TABLE]))
    assert run("add", str(ws / "reports" / "acme.pdf"), *ACME, cwd=ws).returncode == 0
    header = (ROOT / "seeds" / "label_aliases.csv").read_text(encoding="utf-8").splitlines()[0]
    (ws / "seeds" / "label_aliases.csv").write_text(
        header + "\nScope 1 emissions,,exact,,,,ghg_scope2_unspecified,,,,our correction\n", encoding="utf-8"
    )
    result = run("build", cwd=ws)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "they replace package rows (label_aliases.csv line" in result.stdout
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select distinct metric_code from marts.fct_reported_values").fetchall() == [
            ("ghg_scope2_unspecified",)
        ]
    finally:
        con.close()


@pytest.mark.attack("manifest")
def test_a_workspace_seed_row_with_an_unquoted_comma_is_refused_with_its_line(small_workspace):
    ws = small_workspace
    header = (ROOT / "seeds" / "label_aliases.csv").read_text(encoding="utf-8").splitlines()[0]
    (ws / "seeds" / "label_aliases.csv").write_text(
        header + "\nWater withdrawal,,exact,,,,water_withdrawal,total,total,,fresh, and salt\n", encoding="utf-8"
    )
    result = run("build", cwd=ws)
    assert (
        result.returncode == 3 and "label_aliases.csv:2: the row has 12 fields where the header has 11" in result.stderr
    )


@pytest.mark.attack("manifest")
def test_add_refuses_what_would_overwrite_or_merge(small_workspace):
    ws = small_workspace
    pdf = ws.parent / "acme.pdf"
    pdf.write_bytes(make_pdf([TABLE]))
    sidecar = ws.parent / "acme.pdf.txt"
    sidecar.write_text("Scope 1 emissions 2023: 1,200 tCO2e\n", encoding="utf-8")
    before = sorted(p.name for p in (ws / "reports").iterdir()), (ws / "reports" / "manifest.csv").read_bytes()
    # a file named as a PDF's extracted text
    result = run("add", str(sidecar), *ACME, cwd=ws)
    assert result.returncode == 3 and "is the name of the text esgwh extracts from a PDF" in result.stderr
    # a company name in another script has no default id; a new company may not take another's id
    result = run("add", str(pdf), "--company", "腾讯", *ACME[2:], cwd=ws)
    assert result.returncode == 3 and "pass --company-id" in result.stderr
    assert (
        sorted(p.name for p in (ws / "reports").iterdir()),
        (ws / "reports" / "manifest.csv").read_bytes(),
    ) == before
    assert run("add", str(pdf), *ACME, cwd=ws).returncode == 0
    other = ws.parent / "acme-inc.pdf"
    other.write_bytes(make_pdf([TABLE, TABLE]))
    result = run("add", str(other), "--company", "ACME, Ltd.", *ACME[2:], "--id", "acme_ltd_2023", cwd=ws)
    assert result.returncode == 0, result.stderr  # "acme_ltd" is a new id
    third = ws.parent / "acme-co.pdf"
    third.write_bytes(make_pdf([TABLE, TABLE, TABLE]))
    result = run("add", str(third), "--company", "Acme!", *ACME[2:], "--id", "acme_bang", cwd=ws)
    assert result.returncode == 3 and "company id 'acme' is already the id of 'Acme'" in result.stderr


def test_a_workspace_in_a_folder_named_with_a_quote_builds(tmp_path):
    ws = tmp_path / "o'brien ws"
    assert run("init", str(ws), cwd=tmp_path).returncode == 0
    (ws / "reports" / "acme.pdf").write_bytes(make_pdf([TABLE]))
    assert run("add", str(ws / "reports" / "acme.pdf"), *ACME, cwd=ws).returncode == 0
    result = run("build", cwd=ws)
    assert result.returncode == 0, result.stdout + result.stderr


# --- refused PDFs: nothing is written, and a build leaves the warehouse as it was --------------


@pytest.fixture()
def small_workspace(tmp_path):
    ws = tmp_path / "ws"
    assert run("init", str(ws), cwd=tmp_path).returncode == 0
    return ws


@pytest.fixture(scope="module")
def built_acme(tmp_path_factory):
    """A workspace with one small PDF added and built, as `esgwh init`, `add` and `build` leave it:
    tests that start from a built workspace take a copy (copy_workspace)."""
    ws = tmp_path_factory.mktemp("acme") / "ws"
    assert run("init", str(ws), cwd=ws.parent).returncode == 0
    (ws / "reports" / "acme.pdf").write_bytes(make_pdf([TABLE]))
    assert run("add", str(ws / "reports" / "acme.pdf"), *ACME, cwd=ws).returncode == 0
    result = run("build", cwd=ws)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (ws / "warehouse.duckdb").is_symlink()
    return ws


def copy_workspace(ws: Path, dest: Path) -> Path:
    """A private copy of a built workspace, its warehouse link (relative) and build folder included."""
    shutil.copytree(ws, dest, symlinks=True)
    return dest


@pytest.mark.attack("report text")
@pytest.mark.parametrize("kind", ["scanned", "encrypted", "damaged", "not a pdf"])
def test_add_refuses_a_pdf_it_cannot_read_and_writes_nothing(small_workspace, kind):
    ws = small_workspace
    good = make_pdf([TABLE])
    data = {
        "scanned": make_pdf([None, None]),
        "encrypted": encrypted(good),
        "damaged": good[: len(good) // 2],
        "not a pdf": b"Scope 1 emissions 1,200\n",
    }[kind]
    path = ws.parent / "report.pdf"
    path.write_bytes(data)
    before = sorted(p.name for p in (ws / "reports").iterdir()), (ws / "reports" / "manifest.csv").read_bytes()
    result = run("add", str(path), *ACME, cwd=ws)
    assert result.returncode == 3, result.stdout + result.stderr
    message = {
        "scanned": "has no text layer on any of its 2 pages",
        "encrypted": "is encrypted",
        "damaged": "cannot be read as a PDF",
        "not a pdf": "is not a PDF",
    }[kind]
    assert f"report.pdf: {message}" in result.stderr and "Traceback" not in result.stderr
    assert (
        sorted(p.name for p in (ws / "reports").iterdir()),
        (ws / "reports" / "manifest.csv").read_bytes(),
    ) == before


@pytest.mark.attack("report text")
def test_a_scan_registered_by_hand_fails_the_build_and_leaves_the_warehouse(built_acme, tmp_path):
    ws = copy_workspace(built_acme, tmp_path / "ws")
    before = (ws / "warehouse.duckdb").read_bytes()
    scan = make_pdf([None])
    (ws / "reports" / "scan.pdf").write_bytes(scan)
    with (ws / "reports" / "manifest.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            f"scan_sr_2023,Scan Co,scan_co,Scanned,Scanned,SR,2024-04-01,cover,2023,2023,12,en,scan.pdf,"
            f"{hashlib.sha256(scan).hexdigest()}\n"
        )
    result = run("build", cwd=ws)
    assert result.returncode == 3
    assert "scan.pdf: has no text layer" in result.stderr and "Traceback" not in result.stderr
    assert (ws / "warehouse.duckdb").read_bytes() == before


def test_a_page_without_text_is_named_in_the_build_log_and_in_raw(small_workspace):
    ws = small_workspace
    path = ws.parent / "mixed.pdf"
    path.write_bytes(make_pdf([TABLE, None]))
    added = run("add", str(path), *ACME, cwd=ws)
    assert added.returncode == 0 and "page(s) 2 have no text layer" in added.stdout, added.stdout + added.stderr
    result = run("build", cwd=ws)
    assert result.returncode == 0, result.stderr
    assert "[warning] acme_sr_2023 (mixed.pdf): page(s) 2 of 2 have no text layer" in result.stdout
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute("select page_count, pages_without_text from raw.document_texts").fetchall() == [(2, "2")]
        got = con.execute("""select metric_code, fiscal_year, value_as_printed, page_number, line_number
            from marts.fct_reported_values order by 1, 2""").fetchall()
    finally:
        con.close()
    assert got == [("ghg_scope1", 2022, "1,100", 1, 4), ("ghg_scope1", 2023, "1,200", 1, 4)]


def test_an_edited_text_beside_the_pdf_is_extracted_again(small_workspace):
    """The PDF is the source: a text that no longer matches its extraction record is replaced."""
    ws = small_workspace
    path = ws / "reports" / "acme.pdf"
    path.write_bytes(make_pdf([TABLE]))
    assert run("add", str(path), *ACME, cwd=ws).returncode == 0
    text = ws / "reports" / "acme.pdf.txt"
    original = text.read_text(encoding="utf-8")
    text.write_text(original.replace("1,200", "9,999"), encoding="utf-8")
    assert run("build", cwd=ws).returncode == 0
    assert text.read_text(encoding="utf-8") == original
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        assert con.execute(
            "select value_as_printed from marts.fct_reported_values where metric_code = 'ghg_scope1' "
            "and fiscal_year = 2023"
        ).fetchall() == [("1,200",)]
    finally:
        con.close()


def test_a_workspace_moved_to_another_folder_still_builds(built_acme, tmp_path):
    ws = copy_workspace(built_acme, tmp_path / "ws")
    moved = tmp_path / "elsewhere" / "esg"
    moved.parent.mkdir()
    shutil.move(str(ws), str(moved))
    (moved / "warehouse.duckdb").unlink()
    result = run("build", cwd=moved)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (moved / "warehouse.duckdb").exists() and not ws.exists()


def test_a_second_clone_builds_from_its_own_reports(tmp_path):
    """The package is installed from this checkout; a second checkout, built from its own folder,
    reads its own manifest, not this one's."""
    clone = copy_project(tmp_path / "clone")
    manifest = clone / "data" / "reports" / "manifest.csv"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    manifest.write_text("\n".join(l for l in lines if not l.startswith("tencent_csr_2019,")) + "\n", encoding="utf-8")
    result = run("build", cwd=clone)
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect(str(clone / "warehouse.duckdb"), read_only=True)
    try:
        served = {r for (r,) in con.execute("select report_id from marts.dim_report").fetchall()}
    finally:
        con.close()
    assert served == {"tencent_esg_2021", "tencent_esg_2021_excerpt", "tencent_ssv_2021", "tencent_ssv_2023"}


# --- the extraction itself ----------------------------------------------------------------------


def test_a_pdf_table_reads_as_columns_with_a_form_feed_per_page():
    text, pages, empty = pdf_text(make_pdf([TABLE, TABLE]), "t.pdf")
    assert (pages, empty) == (2, ())
    first, second = text.split("\f")
    lines = [line for line in first.splitlines() if line.strip()]
    assert lines[0] == "Environmental performance"
    assert re.split(r"\s{2,}", lines[2].strip()) == ["Scope 1 emissions (tCO2e)", "1,200", "1,100"]
    assert second.lstrip("\n").startswith("Environmental performance")


def test_a_subscript_stays_on_its_line_and_the_ct_reit_total_row_keeps_its_columns():
    """CT REIT p.31: "Total GHG Emissions (t CO2e)" prints the 2 as a subscript; the Total row of the
    left table is 1,118.4 | 1,004.3 | 1,817.8 (read off the page)."""
    text, pages, _ = pdf_text((CORPUS / PDFS["ctreit_esg_2022"]).read_bytes(), "ct.pdf")
    page = text.split("\f")[30]
    assert pages == 34
    assert "Total GHG Emissions (t CO2e)" in page
    total = next(line for line in page.splitlines() if line.strip().startswith("Total ") and "1,118.4" in line)
    assert re.split(r"\s{2,}", total.strip())[:4] == ["Total", "1,118.4", "1,004.3", "1,817.8"]


def test_a_pdf_error_raised_in_a_worker_arrives_whole():
    err = pickle.loads(pickle.dumps(LoaderError("scan.pdf", "has no text layer", 3)))
    assert (err.file, err.message, err.line, str(err)) == (
        "scan.pdf",
        "has no text layer",
        3,
        "scan.pdf:3: has no text layer",
    )
