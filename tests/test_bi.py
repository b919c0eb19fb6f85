"""BI tools: a read-only SQLAlchemy connection (duckdb-engine, as Superset and Metabase's DuckDB
driver use) keeps reading the marts while builds publish again and again."""
from __future__ import annotations

import subprocess
import sys
import threading
import time

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

    def rebuild_three_times():
        for _ in range(3):
            builds.append(subprocess.run(
                [sys.executable, "-m", "esgwh", "build", "--force", "--warehouse", str(live)],
                cwd=ROOT, capture_output=True, text=True, timeout=300).returncode)

    worker = threading.Thread(target=rebuild_three_times)
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
    print(f"BI reads during 3 builds: {reads} tried, {failures} failed, {len(runs_seen)} builds seen")
    assert builds == [0, 0, 0]
    assert reads > 50 and failures == 0 and incomplete == []
    assert len(runs_seen) >= 2          # the reads really spanned publishes


def test_published_files_stay_readable_by_duckdb_1x_drivers(built_warehouse):
    """BI tools bundle DuckDB 1.x drivers: the file must not use a newer storage format."""
    engine = create_engine(f"duckdb:///{built_warehouse}?access_mode=read_only", poolclass=NullPool)
    with engine.connect() as con:
        tags = con.execute(text("SELECT tags FROM duckdb_databases() WHERE database_name = current_database()")).scalar()
    engine.dispose()
    assert tags["storage_version"].startswith("v1.0")
