"""The PostgreSQL target against a real PostgreSQL server (Debian's postgresql, started here)."""

from __future__ import annotations

import subprocess
import time
from decimal import Decimal

import duckdb
import psycopg2
import pytest

from .conftest import copy_of_build, esgwh, system_binary

DB, OWNER, OWNER_PW, BI, BI_PW = "esgwh_test", "esgwh_test_owner", "owner-pw", "esgwh_test_bi", "bi-pw"


def _psql(*commands: str) -> None:
    args = ["runuser", "-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-q"]
    for c in commands:
        args += ["-c", c]
    subprocess.run(args, check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def server():
    """Start the local cluster if it is down, and make a fresh database and owner for the tests."""
    system_binary("pg_ctlcluster", "postgresql")
    clusters = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.split()
    if "down" in clusters:
        subprocess.run(["pg_ctlcluster", clusters[0], clusters[1], "start"], check=True)
    for _ in range(50):
        if subprocess.run(["pg_isready", "-q"]).returncode == 0:
            break
        time.sleep(0.2)
    _psql(
        f"DROP DATABASE IF EXISTS {DB}",
        f"DROP ROLE IF EXISTS {BI}",
        "DROP ROLE IF EXISTS esgwh_test_reader",
        f"DROP ROLE IF EXISTS {OWNER}",
        f"CREATE ROLE {OWNER} LOGIN CREATEROLE PASSWORD '{OWNER_PW}'",
        f"CREATE DATABASE {DB} OWNER {OWNER}",
    )
    return {
        "ESGWH_PG_HOST": "localhost",
        "ESGWH_PG_PORT": "5432",
        "ESGWH_PG_USER": OWNER,
        "ESGWH_PG_PASSWORD": OWNER_PW,
        "ESGWH_PG_DATABASE": DB,
        "ESGWH_PG_READER_ROLE": "esgwh_test_reader",
        "ESGWH_PG_BI_USER": BI,
        "ESGWH_PG_BI_PASSWORD": BI_PW,
    }


@pytest.fixture(scope="module")
def built(server, tmp_path_factory, built_warehouse):
    """The PostgreSQL target over a copy of the shared DuckDB build (nothing new for DuckDB)."""
    warehouse = copy_of_build(built_warehouse, tmp_path_factory.mktemp("pg") / "warehouse.duckdb")
    started = time.monotonic()
    result = esgwh("build", "--target", "postgres", "--warehouse", str(warehouse), env=server)
    pg_seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert "nothing new since the last published build" in result.stdout
    print(f"PostgreSQL target (nothing new in DuckDB, raw mirrored, dbt build, grants) {pg_seconds:.1f}s")
    return warehouse, result


def _pg(server, user=OWNER, password=OWNER_PW):
    return psycopg2.connect(host="localhost", port=5432, user=user, password=password, dbname=DB)


def test_postgres_build_runs_every_test(built):
    _, result = built
    line = next(l for l in result.stdout.splitlines() if l.startswith("[postgres] dbt build passed:"))
    assert " pass" in line and "error" not in line and "fail" not in line
    assert "read-only role esgwh_test_reader granted to esgwh_test_bi" in line


@pytest.mark.parametrize(
    "mart,order",
    [
        ("fct_metric_values", "metric_code, dimension, member, fiscal_year"),
        ("mart_yoy_comparison", "metric_code, dimension, member, fiscal_year"),
        ("fct_reported_values", "metric_code, dimension, member, fiscal_year, report_id"),
    ],
)
def test_marts_match_duckdb(server, built, mart, order):
    warehouse, _ = built
    cols = "metric_code, dimension, member, fiscal_year, value"
    if mart == "mart_yoy_comparison":
        cols += ", prior_value, like_for_like, comparability_note"
    duck = duckdb.connect(str(warehouse), read_only=True)
    try:
        want = duck.execute(f"SELECT {cols} FROM marts.{mart} ORDER BY {order}").fetchall()
    finally:
        duck.close()
    with _pg(server) as conn, conn.cursor() as cur:
        cur.execute(f"SELECT {cols} FROM marts.{mart} ORDER BY {order}")
        got = [tuple(Decimal(v) if isinstance(v, Decimal) else v for v in row) for row in cur.fetchall()]
    assert len(got) == len(want) > 0
    assert got == [tuple(v for v in row) for row in want]


@pytest.mark.attack("postgresql roles")
def test_bi_role_reads_and_cannot_write(server, built):
    conn = _pg(server, BI, BI_PW)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM marts.mart_metric_wide")
            assert cur.fetchone()[0] > 0
        for statement in ("CREATE TABLE marts.x (a int)", "DELETE FROM marts.dim_metric"):
            with pytest.raises(psycopg2.Error):
                with conn.cursor() as cur:
                    cur.execute(statement)
            conn.rollback()
    finally:
        conn.close()


@pytest.mark.attack("postgresql roles")
def test_a_bi_session_holding_a_transaction_fails_the_build_instead_of_hanging_it(server, built):
    """Issue 11: the build waits ESGWH_PG_LOCK_TIMEOUT for a lock, then fails naming who holds it."""
    warehouse, _ = built
    bi = _pg(server)
    try:
        with bi.cursor() as cur:
            cur.execute("SET application_name = 'bi-dashboard'")
            cur.execute("SELECT count(*) FROM raw.documents")  # a transaction left open, as BI tools do
        started = time.monotonic()
        result = esgwh(
            "build",
            "--target",
            "postgres",
            "--warehouse",
            str(warehouse),
            env=server | {"ESGWH_PG_LOCK_TIMEOUT": "2s"},
            timeout=300,
        )
        waited = time.monotonic() - started
        pid = bi.get_backend_pid()
    finally:
        bi.rollback()
        bi.close()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "waited 2s for a lock" in result.stderr and f"pid {pid}" in result.stderr and "bi-dashboard" in result.stderr
    assert "Traceback" not in result.stderr
    assert waited < 120
    again = esgwh("build", "--target", "postgres", "--warehouse", str(warehouse), env=server, timeout=600)
    assert again.returncode == 0, again.stderr  # the session gone, the build goes through
