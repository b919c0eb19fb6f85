"""The same table in another rendering gives the same figures.

The bundled KPI tables (tab-separated) are re-rendered by tests/renderings.py as a Markdown pipe
table, an HTML table with rowspan / colspan and a space-aligned `pdftotext -layout` page. Each
rendering is read by its own reader (kpi_table_markdown, kpi_table_html, kpi_table_layout) and
must give what the tab reader gives: the same label, year, value and unit for every cell, and,
after a real `dbt build`, the same metric values in the marts.
"""

from __future__ import annotations

import csv
import hashlib
from collections import Counter

import duckdb
import pytest

from loaders.load import parse_bytes
from loaders.text import DocumentContext

from .conftest import REPORTS, copy_reports, esgwh, project_env
from .renderings import RENDERERS, TABLES, render

READERS = {"markdown": "kpi_table_markdown", "html": "kpi_table_html", "aligned": "kpi_table_layout"}
SOURCES = {"tencent_ssv_2023": "tencent_ssv_2023.zh-Hans.txt", "tencent_esg_2021": "tencent_esg_2021.zh-Hant.txt"}
CONTEXTS = {
    "tencent_ssv_2023": DocumentContext(2021, 2023, "zh-Hans"),
    "tencent_esg_2021": DocumentContext(2021, 2021, "zh-Hant"),
}


def _in_tables(file_name: str, line: int) -> bool:
    return any(t.file_name == file_name and t.first <= line <= t.last for t in TABLES)


def _cells(doc, file_name: str | None = None) -> Counter:
    return Counter(
        (f.row_label, f.fiscal_year, f.value_text, f.unit_text)
        for f in doc.figures
        if f.extraction_method.startswith("kpi_table") and (file_name is None or _in_tables(file_name, f.line_start))
    )


@pytest.mark.parametrize("kind", sorted(RENDERERS))
@pytest.mark.parametrize("report_id", sorted(SOURCES))
def test_rendering_gives_the_tab_readers_cells(report_id, kind):
    file_name = SOURCES[report_id]
    tab = parse_bytes((REPORTS / file_name).read_bytes(), file_name, CONTEXTS[report_id])
    expected = _cells(tab, file_name)
    doc = parse_bytes(render(file_name, kind).encode("utf-8"), f"{report_id}.{kind}.txt", CONTEXTS[report_id])
    got = _cells(doc)
    assert {f.extraction_method for f in doc.figures} == {READERS[kind]}
    assert sum(expected.values()) == {"tencent_ssv_2023": 228, "tencent_esg_2021": 71}[report_id]
    assert got == expected, (
        f"only in the tab reading: {sorted(expected - got)[:5]}; "
        f"only in the {kind} reading: {sorted(got - expected)[:5]}"
    )
    assert not doc.quarantined, [(q.reason_code, q.line_start) for q in doc.quarantined]


def test_rendering_sub_rows_keep_their_group():
    """`按性别划分的员工人数` heads 男性 / 女性 in every rendering, as in the tab reading."""
    file_name = SOURCES["tencent_ssv_2023"]
    for kind in RENDERERS:
        doc = parse_bytes(render(file_name, kind).encode("utf-8"), f"x.{kind}.txt", CONTEXTS["tencent_ssv_2023"])
        male = [f for f in doc.figures if f.row_label == "男性" and f.fiscal_year == 2023 and f.value_text == "40,469"]
        assert len(male) == 1, kind
        context = {male[0].group_label, male[0].section_label, male[0].category}
        assert "按性别划分的员工人数" in context, (kind, context)


@pytest.fixture(scope="module")
def rendered_warehouse(tmp_path_factory):
    """One real build of the bundled reports plus every rendering as a report of its own."""
    dest = tmp_path_factory.mktemp("renderings")
    project = copy_reports(dest / "project")
    reports = project / "data" / "reports"
    manifest = reports / "manifest.csv"
    with manifest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_id = {r["report_id"]: r for r in rows}
    for report_id, file_name in SOURCES.items():
        for kind in RENDERERS:
            name = f"{report_id}.{kind}.txt"
            data = render(file_name, kind).encode("utf-8")
            (reports / name).write_bytes(data)
            rows.append(
                by_id[report_id]
                | {
                    "report_id": f"{report_id}_{kind}",
                    "file_name": name,
                    "title": f"{by_id[report_id]['title']} ({kind} rendering)",
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0].keys()), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    warehouse = dest / "warehouse.duckdb"
    result = esgwh("build", "--warehouse", str(warehouse), cwd=project, timeout=900, env=project_env(project))
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse


def _mart_values(con, report_id: str, table_lines: str | None = None) -> Counter:
    rows = con.execute(
        "SELECT metric_code, dimension, member, basis, fiscal_year, value, unit, line_number, extraction_method "
        "FROM marts.fct_reported_values WHERE report_id = ?",
        [report_id],
    ).fetchall()
    return Counter(
        r[:7] for r in rows if r[8].startswith("kpi_table") and (table_lines is None or _in_tables(table_lines, r[7]))
    )


@pytest.mark.parametrize("kind", sorted(RENDERERS))
@pytest.mark.parametrize("report_id", sorted(SOURCES))
def test_rendering_gives_the_same_metric_values(rendered_warehouse, report_id, kind):
    con = duckdb.connect(str(rendered_warehouse), read_only=True)
    try:
        expected = _mart_values(con, report_id, SOURCES[report_id])
        got = _mart_values(con, f"{report_id}_{kind}")
    finally:
        con.close()
    assert len(expected) > {"tencent_ssv_2023": 150, "tencent_esg_2021": 50}[report_id]
    assert got == expected, (
        f"only from the tab table: {sorted(expected - got)[:5]}; "
        f"only from the {kind} rendering: {sorted(got - expected)[:5]}"
    )
