"""Running `dbt build` in-process against a given warehouse file."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .project import project_dir

# What a build runs: every model, seed and data test, but not the unit tests of the models' logic,
# which test the SQL on fixed inputs, not the data (dbt recommends them for development and CI:
# `esgwh unit-tests` runs them, and so does tests/test_dbt_unit_tests.py).
BUILD = ["build", "--exclude-resource-type", "unit_test"]
UNIT_TESTS = ["test", "--resource-type", "unit_test"]


@dataclass
class DbtOutcome:
    success: bool
    counts: dict[str, int] = field(default_factory=dict)  # status -> nodes
    failures: list[str] = field(default_factory=list)  # one line per failed node
    failing_rows: dict[str, list[tuple]] = field(default_factory=dict)  # test -> a few rows it returned
    warnings: dict[str, tuple[int, list[tuple]]] = field(default_factory=dict)  # warn test -> (rows, a few rows)
    error: str | None = None


def run_dbt(command: list[str], warehouse: Path, work_dir: Path, project_path: Path | None = None) -> DbtOutcome:
    """Run dbt on the package's project, or on `project_path` (a copy carrying workspace seed rows)."""
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    os.environ["ESGWH_DBT_PATH"] = str(warehouse)
    from dbt.cli.main import dbtRunner  # imported late: it costs about 1.5 s

    project = str(project_path or project_dir())
    args = [
        *command,
        "--project-dir",
        project,
        "--profiles-dir",
        str(project_dir()),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--quiet",
        "--no-use-colors",
    ]
    res = dbtRunner().invoke(args)
    outcome = DbtOutcome(success=bool(res.success))
    # failing rows are sampled from the DuckDB warehouse: only when dbt ran on it
    on_duckdb = _target_of(command) in (None, "duckdb")
    # the lambda first, so mypy types it from the annotation (not from _sample's third parameter)
    sample: Callable[[Path, str], list[tuple]] = (lambda warehouse, sql: []) if not on_duckdb else _sample
    if res.exception is not None:
        outcome.error = f"{type(res.exception).__name__}: {res.exception}"
    results = getattr(res.result, "results", None) or []
    for r in results:
        status = str(getattr(r.status, "value", r.status))
        outcome.counts[status] = outcome.counts.get(status, 0) + 1
        if status in ("error", "fail", "runtime error"):
            node = getattr(r, "node", None)
            name = getattr(node, "unique_id", "?")
            message = (r.message or "").strip().splitlines()
            outcome.failures.append(f"{name}: {status}: {message[0] if message else ''}")
            sql = getattr(node, "compiled_code", None)
            if status == "fail" and sql:
                outcome.failing_rows[name] = sample(warehouse, sql)
        elif status == "warn":
            node = getattr(r, "node", None)
            sql = getattr(node, "compiled_code", None)
            outcome.warnings[getattr(node, "name", "?")] = (
                int(getattr(r, "failures", 0) or 0),
                sample(warehouse, sql) if sql else [],
            )
    return outcome


def _target_of(command: list[str]) -> str | None:
    """The dbt target a command names (--target X, --target=X, -t X), or None for the profile's default."""
    for i, arg in enumerate(command):
        if arg in ("--target", "-t") and i + 1 < len(command):
            return command[i + 1]
        if arg.startswith("--target="):
            return arg.split("=", 1)[1]
    return os.environ.get("DBT_TARGET")


def _sample(warehouse: Path, sql: str, limit: int = 5) -> list[tuple]:
    """A few rows a failed data test returned, so the build log shows what is wrong."""
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error:
        return []
    try:
        try:  # in a stable order where the rows have three columns to sort by
            return con.execute(f"select * from ({sql}) as failing order by 1, 2, 3 limit {limit}").fetchall()
        except duckdb.Error:
            return con.execute(f"select * from ({sql}) as failing limit {limit}").fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()
