"""Read-only helpers behind the analyst commands (metrics, show, query, export)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

MARTS = [
    "fct_reported_values",
    "fct_metric_values",
    "mart_yoy_comparison",
    "mart_metric_series",
    "mart_metric_wide",
    "mart_peer_comparison",
    "dim_metric",
    "dim_company",
    "dim_report",
    "dim_methodology_change",
    "mart_extraction_issues",
]


class NotBuilt(Exception):
    pass


# An analyst's SQL reaches the warehouse's own tables and nothing else: no file read or written
# (COPY, EXPORT, ATTACH, read_csv, glob), no extension installed or loaded, and the settings locked
# so that a query cannot turn any of it back on. DuckDB enforces this, not a filter on SQL text.
SANDBOX: dict[str, str | bool | int | float | list[str]] = {  # duckdb.connect's config type
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


def families(con) -> list[str]:
    return [r[0] for r in con.execute("SELECT DISTINCT family FROM marts.dim_metric ORDER BY 1").fetchall()]


def metrics(con, family: str | None = None, company: str | None = None) -> tuple[list[str], list[tuple]]:
    """The metrics with the years that have figures (in total or in a split; of one company, or of
    any) and the splits that have figures."""
    if family is not None:
        known = families(con)
        match = [f for f in known if f == family.strip().lower()]
        if not match:
            raise KeyError(f"unknown family {family!r}{_did_you_mean(family, known)}; families: {', '.join(known)}")
        family = match[0]
    sql = """
        SELECT m.metric_code, m.name_en, m.name_zh_hans, m.family, m.canonical_unit,
               coalesce(string_agg(DISTINCT cast(v.fiscal_year AS VARCHAR), ' ' ORDER BY cast(v.fiscal_year AS VARCHAR)), '') AS years,
               coalesce(string_agg(DISTINCT CASE WHEN v.dimension <> 'total' THEN v.dimension END, ', '
                                   ORDER BY CASE WHEN v.dimension <> 'total' THEN v.dimension END), '') AS splits
        FROM marts.dim_metric m
        LEFT JOIN marts.mart_metric_series v ON v.metric_code = m.metric_code AND (? IS NULL OR v.company_id = ?)
        WHERE ? IS NULL OR m.family = ?
        GROUP BY ALL ORDER BY m.family, m.metric_code"""
    company_id = resolve_company(con, company) if company else None
    cur = con.execute(sql, [company_id, company_id, family, family])
    return [d[0] for d in cur.description], cur.fetchall()


def _did_you_mean(wanted: str, known: list[str]) -> str:
    close = difflib.get_close_matches(wanted.strip().lower(), known, n=3, cutoff=0.6)
    return f"; did you mean {' or '.join(close)}?" if close else ""


def resolve_company(con, company: str) -> str:
    """A company_id from an id or a name (any printed name, case-insensitive); KeyError naming the
    companies there are when none or several match."""
    rows = con.execute("SELECT company_id, company, names_as_printed FROM marts.dim_company ORDER BY 1").fetchall()
    wanted = company.strip().lower()
    hits = [
        cid
        for cid, name, printed in rows
        if wanted in (cid, name.lower()) or wanted in [n.lower() for n in (printed or "").split(" | ")]
    ]
    if not hits:
        hits = [cid for cid, name, _ in rows if wanted in cid or wanted in name.lower()]
    if len(hits) == 1:
        return hits[0]
    known = ", ".join(f"{cid} ({name})" for cid, name, _ in rows) or "none yet"
    what = "matches several companies" if hits else "is not a company of this warehouse"
    raise KeyError(f"{company!r} {what}; companies: {known}")


def resolve_metric(con, metric: str) -> tuple[str, dict]:
    """(metric_code, names and unit) from a code in any case; KeyError with the nearest codes or
    names when it is not one."""
    rows = con.execute("SELECT metric_code, name_en, name_zh_hans, canonical_unit FROM marts.dim_metric").fetchall()
    by_code = {r[0]: r for r in rows}
    wanted = metric.strip()
    hit = by_code.get(wanted) or by_code.get(wanted.lower())
    if hit is None:  # a name as dim_metric gives it, in English or Chinese
        named = [r for r in rows if wanted.lower() in (r[1].lower(), r[2])]
        hit = named[0] if len(named) == 1 else None
    if hit is None:
        names = {r[1].lower(): r[0] for r in rows}
        close = difflib.get_close_matches(wanted.lower(), list(by_code), n=3, cutoff=0.6)
        close += [names[n] for n in difflib.get_close_matches(wanted.lower(), list(names), n=3, cutoff=0.6)]
        close = list(dict.fromkeys(close))[:3]
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise KeyError(f"unknown metric {metric!r}{hint} (`esgwh metrics` lists them all)")
    return hit[0], {"name_en": hit[1], "name_zh_hans": hit[2], "unit": hit[3]}


def splits(con, metric_code: str) -> dict[str, list[str]]:
    """The dimensions and members that have figures for a metric."""
    out: dict[str, list[str]] = {}
    for dimension, member in con.execute(
        """SELECT DISTINCT dimension, member FROM marts.mart_metric_series
            WHERE metric_code = ? ORDER BY dimension <> 'total', dimension, member""",
        [metric_code],
    ).fetchall():
        out.setdefault(dimension, []).append(member)
    return out


def _describe(found: dict[str, list[str]]) -> str:
    return "; ".join(f"-d {d} -m {'|'.join(m)}" for d, m in found.items()) or "none: no report states a figure"


def check_split(con, metric_code: str, dimension: str | None, member: str | None) -> tuple[str | None, str | None]:
    """The split asked for, checked against the splits that have figures (KeyError listing them).
    No dimension: the total when there is one, else every split (None, None)."""
    found = splits(con, metric_code)
    if dimension is None:
        if member is not None:
            raise KeyError("--member needs --dimension")
        return ("total", "total") if "total" in found or not found else (None, None)
    dimension, member = dimension.strip().lower(), member.strip().lower() if member else member
    if dimension not in found:
        raise KeyError(f"{metric_code} has no figures split by {dimension!r}; its splits: {_describe(found)}")
    if member is not None and member not in found[dimension]:
        raise KeyError(
            f"{metric_code} has no figures for {dimension}/{member}; members of {dimension}: "
            f"{', '.join(found[dimension])}"
        )
    return dimension, member


def series(
    con, metric: str, dimension: str | None = None, member: str | None = None, company: str | None = None
) -> tuple[dict, list[tuple]]:
    """Every year of one metric and split, per company and basis (mart_metric_series). No split
    asked: the total, or every split of a metric reported only in splits."""
    code, meta = resolve_metric(con, metric)
    dimension, member = check_split(con, code, dimension, member)
    company_id = resolve_company(con, company) if company else None
    rows = con.execute(
        """
        SELECT company, dimension, member, basis, fiscal_year, value, precision_step, unit, is_restated, pct_change,
               like_for_like, lfl_pct_change, comparability_note, report_id, source_file, page_number, line_number
        FROM marts.mart_metric_series
        WHERE metric_code = ? AND (? IS NULL OR dimension = ?) AND (? IS NULL OR member = ?)
          AND (? IS NULL OR company_id = ?)
        ORDER BY company, dimension <> 'total', dimension, member, basis, fiscal_year""",
        [code, dimension, dimension, member, member, company_id, company_id],
    ).fetchall()
    return {**meta, "metric_code": code, "dimension": dimension, "member": member}, rows


def compare(
    con, metric: str, year: int, dimension: str | None = None, member: str | None = None
) -> tuple[dict, list[tuple]]:
    """One metric and year, every company side by side (mart_peer_comparison), peers by basis and unit."""
    code, meta = resolve_metric(con, metric)
    dimension, member = check_split(con, code, dimension, member)
    if dimension is None:
        raise KeyError(f"{code} is reported only in splits: pass one of {_describe(splits(con, code))}")
    rows = con.execute(
        """
        SELECT c.basis, c.unit, c.rank_in_year, c.companies_reporting, c.company, c.value, s.precision_step,
               c.pct_change, c.like_for_like, c.comparability_note, c.report_id, c.source_file, c.page_number,
               c.line_number, c.member
        FROM marts.mart_peer_comparison c
        LEFT JOIN marts.mart_metric_series s USING (company_id, metric_code, dimension, member, basis, fiscal_year)
        WHERE c.metric_code = ? AND c.fiscal_year = ? AND c.dimension = ? AND (? IS NULL OR c.member = ?)
        ORDER BY c.member, c.basis, c.unit, c.rank_in_year, c.company""",
        [code, year, dimension, member, member],
    ).fetchall()
    years = [
        r[0]
        for r in con.execute(
            """SELECT DISTINCT fiscal_year FROM marts.mart_peer_comparison
        WHERE metric_code = ? AND dimension = ? ORDER BY 1""",
            [code, dimension],
        ).fetchall()
    ]
    return {**meta, "metric_code": code, "dimension": dimension, "member": member, "years": years}, rows


def query(con, sql: str) -> tuple[list[str], list[tuple]]:
    """Columns and rows of an analyst's SQL; ValueError when there is no statement to run."""
    if not sql.strip().strip(";").strip():
        raise ValueError('no SQL given: esgwh query "SELECT ..."')
    cur = con.execute(sql)
    if cur is None or cur.description is None:
        raise ValueError("the SQL returned no result (only a comment, or not a query)")
    return [d[0] for d in cur.description], cur.fetchall()


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def export(
    con, out: Path, formats: list[str], marts: list[str] | None = None, progress=None, company: str | None = None
) -> list[Path]:
    """The marts as files; with `company`, the rows of that company or of its reports only (marts
    with neither, such as dim_metric, are written whole)."""
    written = []
    if company:
        company_id = resolve_company(con, company)
        name = con.execute("SELECT company FROM marts.dim_company WHERE company_id = ?", [company_id]).fetchone()[0]
    unknown = [m for m in marts or [] if m not in MARTS]
    if unknown:
        raise KeyError(f"unknown mart {unknown[0]!r}; marts: {', '.join(MARTS)}")
    out.mkdir(parents=True, exist_ok=True)  # only once every choice is known good
    for mart in marts or MARTS:
        columns = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'marts' AND table_name = ?",
                [mart],
            ).fetchall()
        }
        where = ""
        if company and "company_id" in columns:
            where = f"WHERE company_id = {_sql_text(company_id)}"
        elif company and "company" in columns:
            where = f"WHERE company = {_sql_text(name)}"
        elif company and "report_id" in columns:
            where = (
                f"WHERE report_id IN (SELECT report_id FROM marts.dim_report "
                f"WHERE company_id = {_sql_text(company_id)})"
            )
        for fmt in formats:
            path = out / f"{mart}.{fmt}"
            option = {"parquet": "(FORMAT parquet)", "csv": "(FORMAT csv, HEADER)", "jsonl": "(FORMAT json)"}[fmt]
            con.execute(f"COPY (SELECT * FROM marts.{mart} {where} ORDER BY ALL) TO {_sql_text(str(path))} {option}")
            written.append(path)
            if progress:
                progress()
    return written
