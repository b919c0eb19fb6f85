"""Incremental builds give the warehouse a full build gives, after every kind of change.

Two workspaces take the same changes in the same order: one is built as a user builds it (the
incremental models add the documents they lack), the other with --force (every model rebuilt from
raw). Raw is the same in both (the same loads in the same order), so every table must be the same,
row for row: a new report, a changed report (a new version of it), a report whose table prints no
year and then the same company's report that dates it (the older report's figures change though it
did not), a manifest edit that renames the company its newest report names (the name every report
of the company is then shown under, a resolution across reports the incremental path must see), and
a seed edit (a full refresh).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from esgwh.example import content_digests
from tests.conftest import ROOT, add_report, copy_reports, esgwh, project_env, rehash


def _workspace(dest: Path) -> Path:
    ws = copy_reports(dest)
    (ws / "esgwh.toml").write_text(
        'reports = "data/reports"\nwarehouse = "warehouse.duckdb"\nseeds = "seeds"\n', encoding="utf-8"
    )
    (ws / "seeds").mkdir()
    return ws


def _build(ws: Path, *extra: str) -> str:
    result = esgwh("build", *extra, cwd=ws, timeout=900, env=project_env(ws))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _manifest(ws: Path) -> tuple[list[str], list[dict]]:
    with (ws / "data" / "reports" / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _write_manifest(ws: Path, fields: list[str], rows: list[dict]) -> None:
    with (ws / "data" / "reports" / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def new_report(ws: Path) -> None:
    """Another company's report (the bundled excerpt's text under a new id and name)."""
    excerpt = ws / "data" / "reports" / "tencent_esg_2021_excerpt.zh-Hans.txt"
    body = excerpt.read_text(encoding="utf-8") + "\n\n同行公司报告\n"
    add_report(
        ws,
        "peer_esg_2021",
        "Peer Holdings Ltd",
        "peer_esg_2021.zh-Hans.txt",
        body,
        fiscal_years=(2021, 2021),
        language="zh-Hans",
        title="ESG Report 2021",
        report_type="ESG",
        published="2022-04-01",
    )


def changed_report(ws: Path) -> None:
    """A bundled report replaced by a corrected copy: a new version of it, the old one kept in raw."""
    path = ws / "data" / "reports" / "tencent_ssv_2021.zh-Hant.txt"
    path.write_bytes(path.read_bytes() + "\n\n（修订版）\n".encode())
    rehash(ws, path.name)


ACME_SUMMARY = """\
Acme Sustainability Report

Emissions summary (indicative)
                                                             Group total
Scope 1 emissions (tCO2e)                                         1,250
Scope 2 emissions (tCO2e)                                           480
"""

ACME_DATA = """\
Acme Climate Data 2023

Environmental performance                                          2023          2022
Scope 1 emissions (tCO2e)                                         1,250         1,300
Scope 2 emissions (tCO2e)                                           480           510
"""


def undated_report(ws: Path) -> None:
    """A new company's report whose one table prints no year: nothing of the company dates it yet."""
    add_report(ws, "acme_sr_2023", "Acme Ltd", "acme_sr_2023.en.txt", ACME_SUMMARY)


def corroborating_report(ws: Path) -> None:
    """The same company's next report prints the 2023 figures that date the older report's table:
    a resolution across reports, which must reach the report that did not change."""
    add_report(
        ws,
        "acme_cd_2023",
        "Acme Ltd",
        "acme_cd_2023.en.txt",
        ACME_DATA,
        title="Climate Data 2023",
        published="2024-04-01",
    )


def _acme_summary_years(ws: Path) -> list[tuple]:
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            """select line_start, fiscal_year, year_source from intermediate.int_figures_dated
            where report_id = 'acme_sr_2023' order by line_start"""
        ).fetchall()
    finally:
        con.close()


# What each change must have done in the incrementally built warehouse, beyond agreeing with --force.
EXPECTED_AFTER = {
    "undated_report": [(5, None, None), (6, None, None)],
    "corroborating_report": [(5, 2023, "corroborated"), (6, 2023, "corroborated")],
}


def renamed_company(ws: Path) -> None:
    """The newest report names the company differently, with the same company_id: every report of
    the company is shown under the new name, the figures of the reports that did not change too."""
    fields, rows = _manifest(ws)
    if "company_id" not in fields:
        fields.insert(fields.index("company") + 1, "company_id")
    for r in rows:
        r.setdefault("company_id", "")
    newest = next(r for r in rows if r["report_id"] == "tencent_ssv_2023")
    newest.update(company="Tencent Holdings Limited", company_id="tencent_holdings_ltd")
    _write_manifest(ws, fields, rows)


def seed_row(ws: Path) -> None:
    """A label alias of the workspace's own: 服务小区超过 7000 家 (2019) read as a count of suppliers."""
    header = (ROOT / "seeds" / "label_aliases.csv").read_text(encoding="utf-8").splitlines()[0]
    (ws / "seeds" / "label_aliases.csv").write_text(
        header + "\n服务小区超过,,exact,,,,suppliers,total,total,,a workspace's own alias\n", encoding="utf-8"
    )


# renamed_company adds a manifest column, so the reports added with add_report come before it
CHANGES = [new_report, changed_report, undated_report, corroborating_report, renamed_company, seed_row]


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    """The two workspaces, built once from the bundled reports."""
    incremental = _workspace(tmp_path_factory.mktemp("incremental") / "ws")
    _build(incremental)
    full = tmp_path_factory.mktemp("full") / "ws"
    shutil.copytree(incremental, full, symlinks=True)  # the same first build: raw ids match
    return incremental, full


def _differences(a: Path, b: Path) -> list[str]:
    left, right = content_digests(a / "warehouse.duckdb"), content_digests(b / "warehouse.duckdb")
    tables = (set(left) | set(right)) - {"audit.build_runs"}  # the history: one row per build, volatile
    return sorted(t for t in tables if left.get(t) != right.get(t))


def test_incremental_and_full_builds_agree_after_every_kind_of_change(pair):
    incremental, full = pair
    assert _differences(incremental, full) == []
    seen = []
    for change in CHANGES:
        change(incremental)
        change(full)
        out = _build(incremental)
        _build(full, "--force")
        refreshed = "[dbt] full refresh:" in out
        seen.append((change.__name__, "full refresh" if refreshed else "incremental"))
        assert _differences(incremental, full) == [], change.__name__
        if change.__name__ in EXPECTED_AFTER:
            assert _acme_summary_years(incremental) == EXPECTED_AFTER[change.__name__], change.__name__
    # the data changes ran incrementally; the seed edit (which the incremental path cannot see) did not
    assert seen == [
        ("new_report", "incremental"),
        ("changed_report", "incremental"),
        ("undated_report", "incremental"),
        ("corroborating_report", "incremental"),
        ("renamed_company", "incremental"),
        ("seed_row", "full refresh"),
    ]
    _changes_reached_the_marts(incremental)


def _changes_reached_the_marts(ws: Path) -> None:
    """Each change shows in the incrementally built marts (the comparison compared something)."""
    con = duckdb.connect(str(ws / "warehouse.duckdb"), read_only=True)
    try:
        companies = con.execute("SELECT DISTINCT company FROM marts.mart_metric_series ORDER BY 1").fetchall()
        assert companies == [("Acme Ltd",), ("Peer Holdings Ltd",), ("Tencent Holdings Limited",)]
        versions = con.execute(
            "SELECT count(*) FROM staging.stg_raw__documents WHERE report_id = 'tencent_ssv_2021'"
        ).fetchone()
        assert versions == (2,)
        suppliers = con.execute(
            "SELECT value_as_printed FROM marts.fct_reported_values WHERE metric_code = 'suppliers' AND fiscal_year = 2019"
        ).fetchall()
        assert suppliers == [("7000",)]
    finally:
        con.close()
