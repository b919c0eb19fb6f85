"""Read-only helpers behind the analyst commands (metrics, show, query, export)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

MARTS = ["fct_reported_values", "fct_metric_values", "mart_yoy_comparison", "mart_metric_series", "mart_metric_wide",
         "mart_peer_comparison", "dim_metric", "dim_company", "dim_report", "dim_methodology_change",
         "mart_extraction_issues"]


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


def metrics(con, family: str | None = None, company: str | None = None) -> tuple[list[str], list[tuple]]:
    """The metrics with the years that have figures (of one company, or of any)."""
    sql = """
        SELECT m.metric_code, m.name_en, m.name_zh_hans, m.family, m.canonical_unit,
               coalesce(string_agg(DISTINCT cast(v.fiscal_year AS VARCHAR), ' ' ORDER BY cast(v.fiscal_year AS VARCHAR)), '') AS years
        FROM marts.dim_metric m
        LEFT JOIN marts.mart_metric_series v ON v.metric_code = m.metric_code AND v.dimension = 'total'
             AND (? IS NULL OR v.company_id = ?)
        WHERE ? IS NULL OR m.family = ?
        GROUP BY ALL ORDER BY m.family, m.metric_code"""
    company_id = resolve_company(con, company) if company else None
    cur = con.execute(sql, [company_id, company_id, family, family])
    return [d[0] for d in cur.description], cur.fetchall()


def resolve_company(con, company: str) -> str:
    """A company_id from an id or a name (any printed name, case-insensitive); KeyError naming the
    companies there are when none or several match."""
    rows = con.execute("SELECT company_id, company, names_as_printed FROM marts.dim_company ORDER BY 1").fetchall()
    wanted = company.strip().lower()
    hits = [cid for cid, name, printed in rows
            if wanted in (cid, name.lower()) or wanted in [n.lower() for n in (printed or "").split(" | ")]]
    if not hits:
        hits = [cid for cid, name, _ in rows if wanted in cid or wanted in name.lower()]
    if len(hits) == 1:
        return hits[0]
    known = ", ".join(f"{cid} ({name})" for cid, name, _ in rows) or "none yet"
    what = "matches several companies" if hits else "is not a company of this warehouse"
    raise KeyError(f"{company!r} {what}; companies: {known}")


def _metric(con, metric: str) -> tuple:
    meta = con.execute("SELECT name_en, name_zh_hans, canonical_unit FROM marts.dim_metric WHERE metric_code = ?",
                       [metric]).fetchone()
    if meta is None:
        raise KeyError(f"unknown metric {metric!r}: see `esgwh metrics`")
    return meta


def series(con, metric: str, dimension: str = "total", member: str = "total",
           company: str | None = None) -> tuple[dict, list[tuple]]:
    """Every year of one metric and split, per company and basis (mart_metric_series)."""
    meta = _metric(con, metric)
    company_id = resolve_company(con, company) if company else None
    rows = con.execute("""
        SELECT company, basis, fiscal_year, value, is_restated, pct_change, like_for_like, lfl_pct_change,
               comparability_note, source_file, page_number, line_number
        FROM marts.mart_metric_series
        WHERE metric_code = ? AND dimension = ? AND member = ? AND (? IS NULL OR company_id = ?)
        ORDER BY company, basis, fiscal_year""", [metric, dimension, member, company_id, company_id]).fetchall()
    return {"name_en": meta[0], "name_zh_hans": meta[1], "unit": meta[2]}, rows


def compare(con, metric: str, year: int, dimension: str = "total", member: str = "total") -> tuple[dict, list[tuple]]:
    """One metric and year, every company side by side (mart_peer_comparison), peers by basis and unit."""
    meta = _metric(con, metric)
    rows = con.execute("""
        SELECT basis, unit, rank_in_year, companies_reporting, company, value, pct_change, like_for_like,
               comparability_note, report_id, source_file, page_number, line_number
        FROM marts.mart_peer_comparison
        WHERE metric_code = ? AND fiscal_year = ? AND dimension = ? AND member = ?
        ORDER BY basis, unit, rank_in_year, company""", [metric, year, dimension, member]).fetchall()
    return {"name_en": meta[0], "name_zh_hans": meta[1], "unit": meta[2]}, rows


def query(con, sql: str) -> tuple[list[str], list[tuple]]:
    cur = con.execute(sql)
    return [d[0] for d in cur.description or []], cur.fetchall()


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def export(con, out: Path, formats: list[str], marts: list[str] | None = None, progress=None,
           company: str | None = None) -> list[Path]:
    """The marts as files; with `company`, the rows of that company or of its reports only (marts
    with neither, such as dim_metric, are written whole)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    if company:
        company_id = resolve_company(con, company)
        name = con.execute("SELECT company FROM marts.dim_company WHERE company_id = ?", [company_id]).fetchone()[0]
    for mart in marts or MARTS:
        if mart not in MARTS:
            raise KeyError(f"unknown mart {mart!r}; marts: {', '.join(MARTS)}")
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = ?",
            [mart]).fetchall()}
        where = ""
        if company and "company_id" in columns:
            where = f"WHERE company_id = {_sql_text(company_id)}"
        elif company and "company" in columns:
            where = f"WHERE company = {_sql_text(name)}"
        elif company and "report_id" in columns:
            where = (f"WHERE report_id IN (SELECT report_id FROM marts.dim_report "
                     f"WHERE company_id = {_sql_text(company_id)})")
        for fmt in formats:
            path = out / f"{mart}.{fmt}"
            option = "(FORMAT parquet)" if fmt == "parquet" else "(FORMAT csv, HEADER)"
            con.execute(f"COPY (SELECT * FROM marts.{mart} {where} ORDER BY ALL) TO {_sql_text(str(path))} {option}")
            written.append(path)
            if progress:
                progress()
    return written
