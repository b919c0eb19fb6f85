"""Run history: every build attempt in a sidecar DuckDB file beside the build folder, and the
history up to each published build copied into the warehouse itself (audit.build_runs).

The sidecar (`.<warehouse>.build/runs.duckdb`: not named after its schema, which DuckDB would find ambiguous) is written only by the process holding the build
lock, so it records failed and no-op runs too without ever touching the live warehouse.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

import loaders
from loaders.raw_schema import Column

from .project import project_dir

# The table, declared once: the sidecar history file is created from it, and migration 0009 (which
# gives every warehouse the same table) is checked against it by tests/test_raw_schema.py.
BUILD_RUNS = [
    Column("run_id", "VARCHAR"),
    Column("started_at", "TIMESTAMP"),
    Column("finished_at", "TIMESTAMP", nullable=True),
    Column("status", "VARCHAR"),  # published | nothing_new | failed | refused | running | publishing
    Column("exit_code", "INTEGER", nullable=True),
    Column("warehouse", "VARCHAR"),
    Column("code_version", "VARCHAR", nullable=True),
    Column("fingerprint", "VARCHAR", nullable=True),
    Column("step_seconds", "VARCHAR", nullable=True),  # JSON: step -> seconds
    Column("reports", "VARCHAR", nullable=True),  # JSON: report_id -> {status, figures, quarantined}
    Column("figures_loaded", "INTEGER", nullable=True),
    Column("dbt_results", "VARCHAR", nullable=True),  # JSON: dbt status -> nodes
    Column("message", "VARCHAR", nullable=True),
]
COLUMNS = [c.name for c in BUILD_RUNS]
DDL = (
    "CREATE SCHEMA IF NOT EXISTS audit;\nCREATE TABLE IF NOT EXISTS audit.build_runs (\n    "
    + ",\n    ".join(
        f"{c.name} {c.type}" + (" PRIMARY KEY" if c.name == "run_id" else "" if c.nullable else " NOT NULL")
        for c in BUILD_RUNS
    )
    + "\n);"
)


@dataclass
class RunRecord:
    run_id: str
    started_at: dt.datetime
    warehouse: str
    code_version: str
    fingerprint: str
    finished_at: dt.datetime | None = None
    status: str = "running"
    exit_code: int | None = None
    step_seconds: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)
    figures_loaded: int = 0
    dbt_results: dict = field(default_factory=dict)
    message: str | None = None

    def row(self) -> list:
        return [
            self.run_id,
            self.started_at,
            self.finished_at,
            self.status,
            self.exit_code,
            self.warehouse,
            self.code_version,
            self.fingerprint,
            json.dumps(self.step_seconds, sort_keys=True),
            json.dumps(self.reports, sort_keys=True, ensure_ascii=False),
            self.figures_loaded,
            json.dumps(self.dbt_results, sort_keys=True),
            self.message,
        ]


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def fingerprint(reports: Path, seed_files: list[Path] | None = None) -> str:
    """What a build depends on: the workspace's manifest and retired.csv (each report's SHA-256: call
    it after the reports were verified against it, so a tampered copy is refused, not skipped), the
    parser and PDF extractor versions, the migrations and the dbt project. Equal fingerprints build
    equal warehouses."""
    from loaders.pdf import extractor_name

    root = project_dir()
    digest = hashlib.sha256(f"parser {loaders.PARSER_VERSION}\nextractor {extractor_name()}\n".encode())
    for p in [reports / "manifest.csv"] + [p for p in [reports / "retired.csv"] if p.exists()]:
        digest.update(f"reports/{p.name}".encode() + b"\0" + p.read_bytes() + b"\0")
    for p in seed_files or []:  # the workspace's own seed rows
        digest.update(f"workspace seeds/{p.name}".encode() + b"\0" + p.read_bytes() + b"\0")
    _add_project(digest, root)
    return digest.hexdigest()


def transform_fingerprint(dbt_project: Path | None = None) -> str:
    """What the dbt models' rows depend on besides raw's rows: the files of the project dbt runs
    (`dbt_project`, a copy carrying the workspace's seed rows as dbt loads them, else the
    package's), the raw schema (migrations), the parser, and the versions of dbt and DuckDB.
    While it stays the same, a build may run the incremental models on the documents they lack.
    Taken just before dbt runs, over what it runs."""
    from importlib.metadata import version

    packages = ("dbt-core", "dbt-adapters", "dbt-common", "dbt-duckdb", "duckdb")
    digest = hashlib.sha256(
        f"parser {loaders.PARSER_VERSION}\n".encode() + "".join(f"{p} {version(p)}\n" for p in packages).encode()
    )
    _add_project(digest, dbt_project or project_dir(), DBT_FOLDERS)
    _add_project(digest, project_dir(), ("migrations/versions",), top=())
    return digest.hexdigest()


DBT_FOLDERS = ("models", "seeds", "macros", "tests_dbt")


def _add_project(
    digest, root: Path, folders=(*DBT_FOLDERS, "migrations/versions"), top=("dbt_project.yml", "profiles.yml")
) -> None:
    """The files of a project's folders (and its top-level files), each by path and content."""
    paths = [root / name for name in top if (root / name).is_file()]
    for folder in folders:
        paths += sorted(p for p in (root / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for p in paths:
        digest.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")


def record(sidecar: Path, run: RunRecord) -> None:
    con = duckdb.connect(str(sidecar))
    try:
        con.execute(DDL)
        con.execute("DELETE FROM audit.build_runs WHERE run_id = ?", [run.run_id])
        con.execute(
            f"INSERT INTO audit.build_runs ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})", run.row()
        )
    finally:
        con.close()


def copy_into(sidecar: Path, warehouse: Path) -> None:
    """Give the warehouse being published the run history up to and including this build."""
    con = duckdb.connect(str(warehouse))  # migrated to head: audit.build_runs is there (0009)
    try:
        quoted = str(sidecar).replace("'", "''")  # a folder may be named o'brien
        con.execute(f"ATTACH '{quoted}' AS sidecar (READ_ONLY)")
        con.execute("DELETE FROM audit.build_runs")
        con.execute("INSERT INTO audit.build_runs SELECT * FROM sidecar.audit.build_runs")
        con.execute("DETACH sidecar")
    finally:
        con.close()


def last_published_fingerprint(warehouse: Path) -> str | None:
    if not warehouse.exists():
        return None
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("""SELECT fingerprint FROM audit.build_runs WHERE status = 'published'
                             ORDER BY started_at DESC LIMIT 1""").fetchone()
        return row[0] if row else None
    except duckdb.CatalogException:
        return None
    finally:
        con.close()


def history(sidecar: Path, limit: int = 20) -> list[dict]:
    if not sidecar.exists():
        return []
    con = duckdb.connect(str(sidecar), read_only=True)
    try:
        cur = con.execute(
            f"SELECT {', '.join(COLUMNS)} FROM audit.build_runs ORDER BY started_at DESC LIMIT ?", [limit]
        )
        return [dict(zip(COLUMNS, r)) for r in cur.fetchall()]
    finally:
        con.close()
