"""Running `dbt build` in-process against a given warehouse file."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
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
    from dbt.cli.main import dbtRunner  # imported late: it costs about 1.5 s
    from dbt.version import __version__ as dbt_version

    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    warehouse, work_dir = warehouse.absolute(), work_dir.absolute()
    # The profile names the file relative to its folder, dbt running there: the profile is then the
    # same for every warehouse of that name, so a parse of the project made for one serves all.
    os.environ["ESGWH_DBT_PATH"] = warehouse.name
    project = (project_path or project_dir()).absolute()
    target = work_dir / "target"
    target_name = _target_of(command) or "duckdb"
    if target_name != "duckdb" and command[0] in ("build", "run", "seed") and "--full-refresh" not in command:
        # The other targets are rebuilt from the raw tables mirrored into them every time: their
        # incremental models start afresh (macros/incremental.sql).
        command = [*command, "--full-refresh"]
    parse_key = f"{project}\0{dbt_version}\0{target_name}\0{warehouse.name}"
    _reuse_parse(target, parse_key)
    args = [
        *command,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project_dir().absolute()),
        "--target-path",
        str(target),
        "--log-path",
        str(work_dir / "logs"),
        "--quiet",
        "--no-use-colors",
    ]
    try:
        with contextlib.chdir(warehouse.parent):
            res = dbtRunner().invoke(args)
    finally:
        _release_duckdb()
    _keep_parse(target, parse_key)
    outcome = DbtOutcome(success=bool(res.success))
    # failing rows are sampled from the DuckDB warehouse: only when dbt ran on it
    on_duckdb = target_name == "duckdb"
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


def _parse_cache(key: str) -> Path | None:
    """Where the last parse for `key` is kept; None where there is no home to keep it in."""
    try:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "esgwh" / "dbt-parse"
    except RuntimeError:  # no HOME and no passwd entry: builds parse in full
        return None
    return base / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}.msgpack"


def _reuse_parse(target: Path, key: str) -> None:
    """Start a first build of a warehouse from the last parse of the same project, dbt version,
    target and file name (dbt's partial parsing then re-reads only the files that changed since,
    and parses in full when the project or the profile differ): a full parse of this project costs
    several seconds. A cache: any failure to read it only means a full parse."""
    saved = target / "partial_parse.msgpack"
    cached = _parse_cache(key)
    if saved.exists() or cached is None or not cached.exists():
        return
    with contextlib.suppress(OSError):
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, saved)


def _keep_parse(target: Path, key: str) -> None:
    saved = target / "partial_parse.msgpack"
    if not saved.exists():
        return
    cached = _parse_cache(key)
    if cached is None:
        return
    with contextlib.suppress(OSError):
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}")
        shutil.copyfile(saved, partial)
        os.replace(partial, cached)  # whole or not at all, whichever build writes last


def _release_duckdb() -> None:
    """The profile keeps one DuckDB connection open for the whole run (keep_open: true; a
    connection per node made every node pay for opening the file); let go of it when dbt is done,
    so that the build, in this same process, can reopen and publish the file (dbt-duckdb#616)."""
    import gc

    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    except ImportError:  # a target without dbt-duckdb installed
        return
    DuckDBConnectionManager.close_all_connections()
    gc.collect()  # the environment's connection closes when its last reference goes


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
