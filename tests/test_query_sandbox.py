"""`esgwh query` reaches the warehouse's tables and nothing else (issue 11, severe 1).

Each route out of a DuckDB connection is tried through the real command on a copy of a built
warehouse: writing files (COPY, EXPORT DATABASE), reading files (read_csv, glob, a path as a
table), other databases (ATTACH), extensions (INSTALL, LOAD), settings that would turn any of it
back on, and writes to the warehouse itself. Each must fail with exit 1 and leave every file as it was.
"""

from __future__ import annotations

import hashlib
import shutil

import pytest

from .conftest import esgwh

pytestmark = pytest.mark.attack("query sandbox")


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def sandbox(tmp_path, built_warehouse):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy2(built_warehouse, warehouse)
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,2\n", encoding="utf-8")
    other = tmp_path / "other.duckdb"
    return warehouse, secret, other


ROUTES = {
    "copy over the live file": "COPY (SELECT 1) TO '{warehouse}' (FORMAT csv)",
    "copy to a new file": "COPY (SELECT * FROM marts.dim_report) TO '{dir}/out.csv' (FORMAT csv)",
    "export the database": "EXPORT DATABASE '{dir}/exported'",
    "read a file": "SELECT * FROM read_csv('{secret}')",
    "read a path as a table": "SELECT * FROM '{secret}'",
    "list files": "SELECT * FROM glob('{dir}/*')",
    "attach another database": "ATTACH '{other}' AS other",
    "install an extension": "INSTALL httpfs",
    "load an extension": "LOAD httpfs",
    "turn external access back on": "SET enable_external_access = true",
    "unlock the configuration": "SET lock_configuration = false",
    "write a profile": "SET profiling_output = '{dir}/profile.json'",
    "drop a mart": "DROP TABLE marts.dim_report",
    "write a row": "INSERT INTO raw.load_runs (started_at, code_version, parser_version, status) VALUES (now(), 'x', 'x', 'running')",
}


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_every_route_out_of_the_query_is_refused(sandbox, route):
    warehouse, secret, other = sandbox
    before = _digest(warehouse)
    files = set(warehouse.parent.iterdir())
    sql = ROUTES[route].format(warehouse=warehouse, dir=warehouse.parent, secret=secret, other=other)
    result = esgwh("query", sql, "--warehouse", str(warehouse))
    assert result.returncode == 1, (route, result.stdout, result.stderr)
    assert result.stderr.startswith("esgwh query:") and "Traceback" not in result.stderr
    assert _digest(warehouse) == before
    assert set(warehouse.parent.iterdir()) == files, route


def test_reading_the_warehouse_still_works(sandbox):
    warehouse, _, _ = sandbox
    result = esgwh("query", "SELECT count(*) AS n FROM marts.dim_report", "-f", "csv", "--warehouse", str(warehouse))
    assert result.returncode == 0 and result.stdout.splitlines() == ["n", "5"]


def test_export_still_writes_its_files(tmp_path, sandbox):
    """The sandbox is the analyst's SQL only: `esgwh export` writes the marts where it is told."""
    warehouse, _, _ = sandbox
    out = tmp_path / "export"
    result = esgwh("export", "--out", str(out), "--format", "csv", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stderr
    assert (out / "fct_reported_values.csv").exists()
