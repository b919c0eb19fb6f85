"""Read-only helpers behind the analyst commands (metrics, show, query, export)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

MARTS = ["fct_reported_values", "fct_metric_values", "mart_yoy_comparison", "mart_metric_wide", "dim_metric",
         "dim_report", "dim_methodology_change", "mart_extraction_issues"]


class NotBuilt(Exception):
    pass


# An analyst's SQL reaches the warehouse's own tables and nothing else: no file read or written
# (COPY, EXPORT, ATTACH, read_csv, glob), no extension installed or loaded, and the settings locked
# so that a query cannot turn any of it back on. DuckDB enforces this, not a filter on SQL text.
SANDBOX = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


@contextmanager
def read_only(warehouse: Path, sandbox: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection; `sandbox`: also cut off from files, extensions and settings (for
    SQL an analyst types). The commands that write exports use the plain read-only one."""
    if not warehouse.exists():
        raise NotBuilt(f"{warehouse} does not exist: run `esgwh build` first")
    con = duckdb.connect(str(warehouse), read_only=True, config=SANDBOX if sandbox else {})
    try:
        yield con
    finally:
        con.close()


def metrics(con, family: str | None = None) -> tuple[list[str], list[tuple]]:
    sql = """
        SELECT m.metric_code, m.name_en, m.name_zh_hans, m.family, m.canonical_unit,
               coalesce(string_agg(DISTINCT cast(v.fiscal_year AS VARCHAR), ' ' ORDER BY cast(v.fiscal_year AS VARCHAR)), '') AS years
        FROM marts.dim_metric m
        LEFT JOIN marts.fct_metric_values v ON v.metric_code = m.metric_code AND v.dimension = 'total'
        WHERE ? IS NULL OR m.family = ?
        GROUP BY ALL ORDER BY m.family, m.metric_code"""
    cur = con.execute(sql, [family, family])
    return [d[0] for d in cur.description], cur.fetchall()


def series(con, metric: str, dimension: str = "total", member: str = "total") -> tuple[dict, list[tuple]]:
    meta = con.execute("SELECT name_en, name_zh_hans, canonical_unit FROM marts.dim_metric WHERE metric_code = ?",
                       [metric]).fetchone()
    if meta is None:
        raise KeyError(f"unknown metric {metric!r}: see `esgwh metrics`")
    rows = con.execute("""
        SELECT v.fiscal_year, v.value, v.is_restated, y.pct_change, y.like_for_like, y.lfl_pct_change,
               y.comparability_note, v.source_file, v.line_number
        FROM marts.fct_metric_values v
        LEFT JOIN marts.mart_yoy_comparison y
          ON y.company = v.company AND y.metric_code = v.metric_code AND y.dimension = v.dimension
         AND y.member = v.member AND y.fiscal_year = v.fiscal_year
        WHERE v.metric_code = ? AND v.dimension = ? AND v.member = ? AND v.fiscal_year BETWEEN 2019 AND 2023
        ORDER BY v.fiscal_year""", [metric, dimension, member]).fetchall()
    return {"name_en": meta[0], "name_zh_hans": meta[1], "unit": meta[2]}, rows


def query(con, sql: str) -> tuple[list[str], list[tuple]]:
    cur = con.execute(sql)
    return [d[0] for d in cur.description or []], cur.fetchall()


def export(con, out: Path, formats: list[str], marts: list[str] | None = None, progress=None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for mart in marts or MARTS:
        if mart not in MARTS:
            raise KeyError(f"unknown mart {mart!r}; marts: {', '.join(MARTS)}")
        for fmt in formats:
            path = out / f"{mart}.{fmt}"
            option = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER)"
            con.execute(f"COPY (SELECT * FROM marts.{mart} ORDER BY ALL) TO '{path}' {option}")
            written.append(path)
            if progress:
                progress()
    return written
