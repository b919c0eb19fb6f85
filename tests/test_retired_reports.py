"""The same content is never served under two report ids (issue 11, severe 2), and a report the
manifest no longer lists is named, not served silently: a rename is a retirement (retired.csv)
plus a new manifest row. Real subprocess builds of a private copy of the reports."""

from __future__ import annotations

import duckdb
import pytest

from .conftest import copy_reports, esgwh, project_env

pytestmark = pytest.mark.attack("manifest")

OLD, NEW = "tencent_esg_2021_excerpt", "tencent_esg_2021_simplified"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    dest = tmp_path_factory.mktemp("retired")
    project = copy_reports(dest / "project")
    warehouse = dest / "warehouse.duckdb"
    first = _build(project, warehouse)
    assert first.returncode == 0, first.stderr
    return project, warehouse, _served(warehouse)


def _build(project, warehouse, *extra):
    return esgwh(
        "build",
        "--warehouse",
        str(warehouse),
        *extra,
        cwd=project,
        env=project_env(project),
        timeout=600,
    )


def _manifest(project):
    return project / "data" / "reports" / "manifest.csv"


def _served(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        reports = {r[0] for r in con.execute("SELECT report_id FROM marts.dim_report").fetchall()}
        statements = con.execute("SELECT sum(n_reports) FROM marts.fct_metric_values").fetchone()[0]
        return reports, statements
    finally:
        con.close()


def test_a_rename_without_retiring_the_old_id_is_refused_with_the_line(project):
    project, warehouse, baseline = project
    manifest = _manifest(project)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(f"{OLD},", f"{NEW},", 1), encoding="utf-8")
    try:
        before = warehouse.read_bytes()
        result = _build(project, warehouse)
        assert result.returncode == 3, result.stdout + result.stderr
        assert "manifest.csv:4" in result.stderr and f"already loaded as report '{OLD}'" in result.stderr
        assert "retired.csv" in result.stderr and "Traceback" not in result.stderr
        assert warehouse.read_bytes() == before
    finally:
        manifest.write_text(text, encoding="utf-8")


def test_a_report_dropped_from_the_manifest_is_named_in_the_build_log(project):
    project, warehouse, baseline = project
    manifest = _manifest(project)
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text("\n".join(l for l in text.splitlines() if not l.startswith(f"{OLD},")) + "\n", encoding="utf-8")
    try:
        result = _build(project, warehouse)
        assert result.returncode == 0, result.stderr
        assert f"[warning] {OLD} is served but no longer listed in the manifest" in result.stdout
        assert OLD in _served(warehouse)[0]
    finally:
        manifest.write_text(text, encoding="utf-8")


def test_a_rename_is_a_retirement_plus_a_new_row(project):
    project, warehouse, baseline = project
    manifest = _manifest(project)
    retired = project / "data" / "reports" / "retired.csv"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace(f"{OLD},", f"{NEW},", 1), encoding="utf-8")
    retired.write_text(f"report_id,retired_on,reason\n{OLD},2026-12-01,renamed to {NEW}\n", encoding="utf-8")
    try:
        result = _build(project, warehouse)
        assert result.returncode == 0, result.stdout + result.stderr
        assert f"[report] {NEW}:" in result.stdout and "[warning]" not in result.stdout
        reports, statements = _served(warehouse)
        assert NEW in reports and OLD not in reports
        assert statements == baseline[1]  # every figure stated as often as before, not twice
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            kept = con.execute("SELECT count(*) FROM raw.documents WHERE report_id = ?", [OLD]).fetchone()[0]
            why = con.execute("SELECT reason FROM raw.retired_reports WHERE report_id = ?", [OLD]).fetchone()[0]
            served = con.execute(
                "SELECT count(*) FROM marts.fct_reported_values WHERE report_id = ?", [OLD]
            ).fetchone()[0]
        finally:
            con.close()
        assert kept >= 1 and why == f"renamed to {NEW}" and served == 0  # history kept, not served
    finally:
        manifest.write_text(text, encoding="utf-8")
        retired.unlink()


@pytest.mark.parametrize(
    "content, message",
    [
        ("report_id,retired_on,reason\ntencent_ssv_2023,2026-12-01,old\n", "still listed in the manifest"),
        ("report_id,retired_on,reason\nsome_report,01/12/2026,old\n", "is not YYYY-MM-DD"),
        ("report_id,retired_on,reason\nsome_report,2026-12-01,\n", "reason is empty"),
        ("report_id,reason\nsome_report,old\n", "missing column(s): retired_on"),
    ],
)
def test_a_bad_retired_file_is_refused_with_its_line(project, content, message):
    project, warehouse, baseline = project
    retired = project / "data" / "reports" / "retired.csv"
    retired.write_text(content, encoding="utf-8")
    try:
        result = _build(project, warehouse)
        assert result.returncode == 3 and "retired.csv:" in result.stderr and message in result.stderr, result.stderr
    finally:
        retired.unlink()
