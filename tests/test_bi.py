"""BI tools: a read-only SQLAlchemy connection (duckdb-engine, as Superset and Metabase's DuckDB
driver use) keeps reading the marts while builds publish again and again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from .conftest import ROOT


def test_reads_never_fail_and_always_see_a_complete_build(tmp_path, built_warehouse):
    live = tmp_path / "warehouse.duckdb"
    live.write_bytes(built_warehouse.read_bytes())
    # NullPool: every read opens the file afresh, so it sees the newest published build.
    engine = create_engine(f"duckdb:///{live}?access_mode=read_only", poolclass=NullPool)
    snapshot = text("""SELECT (SELECT count(*) FROM marts.fct_reported_values),
                              (SELECT count(*) FROM marts.dim_report),
                              (SELECT max(run_id) FROM audit.build_runs WHERE status = 'published')""")
    with engine.connect() as con:
        expected_facts = con.execute(snapshot).fetchone()[0]
    assert expected_facts > 0

    builds: list[int] = []

    def rebuild_twice():
        for _ in range(2):
            builds.append(
                subprocess.run(
                    [sys.executable, "-m", "esgwh", "build", "--force", "--warehouse", str(live)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=300,
                ).returncode
            )

    worker = threading.Thread(target=rebuild_twice)
    worker.start()
    reads = failures = 0
    incomplete = []
    runs_seen = set()
    while worker.is_alive():
        try:
            with engine.connect() as con:
                facts, reports, run_id = con.execute(snapshot).fetchone()
            if (facts, reports) != (expected_facts, 5):
                incomplete.append((facts, reports))
            runs_seen.add(run_id)
        except Exception as exc:  # noqa: BLE001 - any failed read counts
            failures += 1
            print("failed read:", exc)
        reads += 1
        time.sleep(0.02)
    worker.join()
    engine.dispose()
    print(f"BI reads during 2 builds: {reads} tried, {failures} failed, {len(runs_seen)} builds seen")
    assert builds == [0, 0]
    assert reads > 50 and failures == 0 and incomplete == []
    assert len(runs_seen) >= 2  # the reads really spanned publishes


def test_a_long_lived_process_sees_each_new_build_on_its_next_connection(tmp_path, built_warehouse):
    """A BI server is one process: while one of its connections is open (a long query), DuckDB
    hands a new connection to the same file its cached instance, so replacing the file in place
    kept serving the old build for as long as queries overlapped. Each build is published under its
    own file behind the warehouse link; a held connection keeps its snapshot, also when its
    release is pruned (ESGWH_KEPT_RELEASES=1 here)."""
    live = tmp_path / "warehouse.duckdb"
    live.write_bytes(built_warehouse.read_bytes())
    run_sql = "SELECT max(run_id) FROM audit.build_runs WHERE status = 'published'"
    held = duckdb.connect(str(live), read_only=True)
    first = held.execute(run_sql).fetchone()[0]
    seen, catalogs = [], set()
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "esgwh", "build", "--force", "--warehouse", str(live)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "ESGWH_KEPT_RELEASES": "1"},
        )
        assert done.returncode == 0, done.stderr
        fresh = duckdb.connect(str(live), read_only=True)  # the process still holds `held`
        try:
            seen.append(fresh.execute(run_sql).fetchone()[0])
            catalogs.add(fresh.execute("SELECT current_database()").fetchone()[0])
        finally:
            fresh.close()
        if len(seen) == 1:
            held_release = duckdb.connect(str(live), read_only=True)  # pinned to the first release
    from esgwh.audit import history  # the build history beside the warehouse, not through the cache

    published = sorted(
        r["run_id"] for r in history(tmp_path / ".warehouse.duckdb.build" / "runs.duckdb") if r["status"] == "published"
    )
    assert seen == published[-2:] and first not in seen and seen[0] != seen[1]
    assert catalogs == {"warehouse"}  # BI datasets keep their catalog name
    assert held.execute(run_sql).fetchone()[0] == first
    assert held_release.execute(run_sql).fetchone()[0] == seen[0]  # pruned under it, still readable
    assert held_release.execute("SELECT count(*) FROM marts.fct_metric_values").fetchone()[0] > 0
    releases = sorted(p.name for p in (tmp_path / ".warehouse.duckdb.build" / "published").iterdir())
    assert releases == [seen[1]] and live.is_symlink()
    held.close()
    held_release.close()


def test_pruning_keeps_the_newest_releases_and_the_current_one(tmp_path):
    from esgwh.build import prune_releases

    for name in ("20260101T000000-1", "20260102T000000-1", "20260103T000000-1", "20260104T000000-1"):
        (tmp_path / name).mkdir()
    removed = prune_releases(tmp_path, keep=2, current=tmp_path / "20260104T000000-1")
    assert sorted(p.name for p in removed) == ["20260101T000000-1", "20260102T000000-1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["20260103T000000-1", "20260104T000000-1"]


OLD_DUCKDB = os.environ.get("ESGWH_OLD_DUCKDB")  # .ci/run installs the oldest claimed driver there
OLDEST_DRIVER = "1.1.0"


@pytest.mark.skipif(
    not OLD_DUCKDB and os.environ.get("CI") != "true",
    reason=f"set ESGWH_OLD_DUCKDB to a folder with duckdb=={OLDEST_DRIVER} "
    f"(pip install --target DIR duckdb=={OLDEST_DRIVER}); .ci/run does",
)
def test_the_oldest_claimed_driver_reads_every_mart(built_warehouse):
    """The README claims DuckDB 1.1 drivers (BI tools bundle old ones) read the published file."""
    assert OLD_DUCKDB and Path(OLD_DUCKDB, "duckdb").is_dir(), f"ESGWH_OLD_DUCKDB={OLD_DUCKDB!r} has no duckdb"
    script = f"""
import duckdb, json
con = duckdb.connect({str(built_warehouse)!r}, read_only=True)
tables = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'").fetchall()
print(json.dumps({{"version": duckdb.__version__,
                  "counts": {{t: con.execute(f"SELECT count(*) FROM marts.{{t}}").fetchone()[0] for (t,) in tables}}}}))
"""
    old = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": OLD_DUCKDB},
    )
    assert old.returncode == 0, old.stderr[-2000:]
    result = json.loads(old.stdout)
    assert result["version"] == OLDEST_DRIVER
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        expected = {
            t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0]
            for (t,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'"
            ).fetchall()
        }
    finally:
        con.close()
    assert result["counts"] == expected and len(expected) >= 11


def test_published_files_stay_readable_by_duckdb_1x_drivers(built_warehouse):
    """BI tools bundle DuckDB 1.x drivers: the file must not use a newer storage format."""
    engine = create_engine(f"duckdb:///{built_warehouse}?access_mode=read_only", poolclass=NullPool)
    with engine.connect() as con:
        tags = con.execute(
            text("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()")
        ).scalar()
    engine.dispose()
    assert tags["storage_version"].startswith("v1.0")


def test_a_build_through_a_link_someone_made_updates_the_warehouse_it_names(tmp_path, built_warehouse):
    """bi/esg.duckdb -> srv/warehouse.duckdb: the build publishes srv's warehouse, its history goes on."""
    srv, bi = tmp_path / "srv", tmp_path / "bi"
    srv.mkdir()
    bi.mkdir()
    (srv / "warehouse.duckdb").write_bytes(built_warehouse.read_bytes())
    (bi / "esg.duckdb").symlink_to(srv / "warehouse.duckdb")
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "esgwh", "build", "--force", "--warehouse", str(bi / "esg.duckdb")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
    assert os.readlink(bi / "esg.duckdb") == str(srv / "warehouse.duckdb")  # the user's link is kept
    assert (srv / "warehouse.duckdb").is_symlink() and not (bi / ".esg.duckdb.build").exists()
    from esgwh.audit import history

    runs = history(srv / ".warehouse.duckdb.build" / "runs.duckdb")
    assert [r["status"] for r in runs] == ["published", "published"]
    con = duckdb.connect(str(bi / "esg.duckdb"), read_only=True)
    try:
        assert con.execute("SELECT current_database()").fetchone()[0] == "warehouse"
        assert con.execute("SELECT max(run_id) FROM audit.build_runs").fetchone()[0] == runs[0]["run_id"]
    finally:
        con.close()


@pytest.mark.parametrize("value", ["0", "abc", "-1", "2.5"])
def test_a_wrong_number_of_kept_builds_is_refused_before_anything_changes(tmp_path, value):
    target = tmp_path / "warehouse.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "esgwh", "build", "--warehouse", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "ESGWH_KEPT_RELEASES": value},
    )
    assert done.returncode == 3 and "ESGWH_KEPT_RELEASES" in done.stderr and "Traceback" not in done.stderr
    assert not target.exists()
