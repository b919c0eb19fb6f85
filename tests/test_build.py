"""esgwh build end to end: real Alembic, real loads, real dbt build, atomic publish."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from .conftest import ROOT, copy_of_build, copy_project, copy_reports, esgwh, project_env, rehash

SSV = "tencent_ssv_2023.zh-Hans.txt"


def _query(path: Path, sql: str, params=None):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _edit_report(project: Path, old: str, new: str) -> None:
    path = project / "data" / "reports" / SSV
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    rehash(project, SSV)


# --- what an analyst sees -------------------------------------------------------------------


def test_marts_show_ssv2023_figures_with_their_source_lines(built_warehouse):
    rows = _query(
        built_warehouse,
        """
        SELECT metric_code, dimension, member, fiscal_year, value, unit, source_file, line_number, raw_text,
               value_as_printed, unit_as_printed
        FROM marts.fct_reported_values WHERE report_id = 'tencent_ssv_2023' AND extraction_method = 'kpi_table'""",
    )
    by_key = {(r[0], r[1], r[2], r[3]): r for r in rows}
    # 76 rows x 3 years in the table, less 10 cells printed as "—".
    assert len(rows) == 218
    # Values read off the report (line: printed value, unit) and converted by hand.
    cases = {
        ("revenue", "total", "total", 2023): (Decimal("609015000000"), "CNY", 3233, "6,090.15", "亿元"),
        ("complaints_internet", "total", "total", 2023): (Decimal("43652897"), "count", 3237, "4,365.2897", "万宗"),
        ("complaints_cloud", "total", "total", 2022): (Decimal("18700"), "count", 3240, "1.87", "万宗"),
        ("ghg_total", "total", "total", 2021): (Decimal("5871780.7"), "tCO2e", 3245, "5,871,780.7", "吨二氧化碳当量"),
        ("ghg_scope1", "total", "total", 2022): (Decimal("172137.9"), "tCO2e", 3247, "172,137.9", "吨二氧化碳当量"),
        ("pue", "total", "total", 2023): (Decimal("1.279"), "ratio", 3263, "1.279", ""),
        ("waste_hazardous_intensity", "total", "total", 2023): (
            Decimal("0.0022"),
            "t/CNY million",
            3271,
            "2.2",
            "千克 / 百万人民币",
        ),
        ("headcount", "total", "total", 2023): (Decimal("56780"), "persons", 3275, "56,780", "人"),
        ("headcount", "region", "outside_mainland", 2021): (Decimal("1320"), "persons", 3291, "1,320", "人"),
        ("turnover_rate", "age_band", "over_50", 2021): (Decimal("19.4"), "%", 3300, "19.4", "%"),
        ("training_hours_avg", "management_level", "non_management", 2023): (
            Decimal("24.9"),
            "hours",
            3314,
            "24.9",
            "小时",
        ),
        ("donation_to_foundation", "total", "total", 2023): (Decimal("2300000000"), "CNY", 3323, "23", "亿元"),
        ("charity_platform_donations", "total", "total", 2021): (
            Decimal("152000000"),
            "person-times",
            3329,
            "1.52",
            "亿次",
        ),
        ("suppliers", "region", "outside_mainland", 2022): (Decimal("8188"), "count", 3243, "8,188", "个"),
    }
    lines = (ROOT / "data" / "reports" / SSV).read_text(encoding="utf-8").splitlines()
    for key, (value, unit, line, printed, printed_unit) in cases.items():
        row = by_key[key]
        assert (row[4], row[5], row[6], row[7], row[9], row[10]) == (value, unit, SSV, line, printed, printed_unit), key
        assert row[8] == lines[line - 1]
    # "—" cells are not figures: 2021 complaints are not reported.
    assert ("complaints_internet", "total", "total", 2021) not in by_key


def test_schemas_are_named_plainly(built_warehouse):
    schemas = {r[0] for r in _query(built_warehouse, "SELECT DISTINCT table_schema FROM information_schema.tables")}
    assert {"raw", "staging", "intermediate", "marts", "seeds"} <= schemas
    assert not any(s.startswith("main_") for s in schemas)


def test_nothing_seen_is_dropped_silently(built_warehouse):
    """Every raw figure is not reported ("—"), or in the fact table, or a repeat the fact table
    counts in n_statements, or listed as an extraction issue with its reason."""
    [(raw, not_reported, statements, issues, set_aside)] = _query(
        built_warehouse,
        """
        SELECT (SELECT count(*) FROM intermediate.int_figures_current),
               (SELECT count(*) FROM intermediate.int_figures_current WHERE NOT is_reported),
               (SELECT sum(n_statements) FROM marts.fct_reported_values),
               (SELECT count(*) FROM marts.mart_extraction_issues WHERE issue_kind = 'unmapped'),
               (SELECT count(*) FROM intermediate.int_figures_current WHERE split_row IS NOT NULL
                  AND figure_id NOT IN (SELECT figure_id FROM intermediate.int_figures_dated))""",
    )
    assert raw == not_reported + statements + issues + set_aside
    # a candidate split set aside belongs to a refused row that dbt settled with another candidate
    # or that stays an issue (ambiguous_split)
    [(orphans,)] = _query(
        built_warehouse,
        """
        SELECT count(*) FROM intermediate.int_figures_current f
        WHERE f.split_row IS NOT NULL AND f.figure_id NOT IN (SELECT figure_id FROM intermediate.int_figures_dated)
          AND NOT EXISTS (SELECT 1 FROM intermediate.int_squashed_splits s WHERE s.document_id = f.document_id
                          AND s.split_row = f.split_row AND s.chosen_candidate IS NOT NULL)
          AND NOT EXISTS (SELECT 1 FROM marts.mart_extraction_issues i JOIN intermediate.int_quarantine_current q
                          ON i.reason_code = q.reason_code AND i.line_number = q.line_start AND i.report_id = q.report_id
                          WHERE q.document_id = f.document_id AND q.split_row = f.split_row)""",
    )
    assert orphans == 0
    # The two figures SSV 2023's notes state: location-based scope 2 (note 4) and group headcount (note 18).
    notes = _query(
        built_warehouse,
        """SELECT metric_code, value, line_number FROM marts.fct_reported_values
        WHERE report_id = 'tencent_ssv_2023' AND extraction_method = 'table_footnote' ORDER BY line_number""",
    )
    assert notes == [("ghg_scope2_location", Decimal("2922093.6"), 3337), ("headcount_group", Decimal("105417"), 3365)]


# --- building ---------------------------------------------------------------------------------


def test_warehouse_option_env_var_and_default(built_warehouse):
    """The shared build ran from a folder that is no workspace, naming the workspace (the
    repository root) and the warehouse through the environment (conftest._build_bundled)."""
    folder = built_warehouse.parent
    assert built_warehouse.exists() and not (folder / "elsewhere" / "warehouse.duckdb").exists()
    # One log line per step.
    out = (folder / "build.out").read_text(encoding="utf-8")
    for step in ("prepare", "migrate", "load", "dbt", "publish"):
        assert f"[{step}] ok" in out
    # No leftovers beside the live file: no WAL, no working copy.
    assert not folder.joinpath("warehouse.duckdb.wal").exists()
    assert not (folder / ".warehouse.duckdb.build" / "warehouse.duckdb").exists()


def test_rebuild_adds_nothing_and_keeps_marts_identical(tmp_path, built_warehouse):
    target = tmp_path / "warehouse.duckdb"
    target.write_bytes(built_warehouse.read_bytes())
    counts_sql = """SELECT (SELECT count(*) FROM raw.documents), (SELECT count(*) FROM raw.figures),
                           (SELECT count(*) FROM raw.load_runs), (SELECT count(*) FROM marts.fct_reported_values)"""
    before = _query(target, counts_sql)
    facts_before = _query(target, "SELECT * EXCLUDE (figure_id) FROM marts.fct_reported_values ORDER BY ALL")
    # Nothing changed since the last build: the run is quick and leaves the file as it was.
    bytes_before = target.read_bytes()
    result = esgwh("build", "--warehouse", str(target))
    assert result.returncode == 0, result.stderr
    assert "nothing new" in result.stdout and "[dbt]" not in result.stdout
    assert target.read_bytes() == bytes_before
    # The reports were hashed once; unchanged since, they are not read again.
    again = esgwh("build", "--warehouse", str(target))
    assert "nothing new" in again.stdout and "0 hashed, 5 unchanged since last verified" in again.stdout
    # Forced, it rebuilds: every report hashed, and the loader finds each unchanged and adds nothing.
    result = esgwh("build", "--force", "--warehouse", str(target))
    assert result.returncode == 0, result.stderr
    assert "5 hashed, 0 unchanged since last verified" in result.stdout
    assert "0 loaded, 5 unchanged" in result.stdout
    assert _query(target, counts_sql) == before
    assert _query(target, "SELECT * EXCLUDE (figure_id) FROM marts.fct_reported_values ORDER BY ALL") == facts_before


def test_changed_report_is_a_new_version_and_old_rows_stay(tmp_path, built_warehouse):
    project = copy_reports(tmp_path / "project")
    env = project_env(project)
    target = copy_of_build(built_warehouse, tmp_path / "warehouse.duckdb")
    # A reader holds the live file read-only across the rebuild, as a BI tool would.
    reader = duckdb.connect(str(target), read_only=True)
    try:
        _edit_report(project, "6,090.15", "6,090.16")
        result = esgwh("build", "--warehouse", str(target), env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        # The open reader still sees its consistent snapshot of the previous build.
        assert reader.execute("SELECT count(*) FROM raw.documents").fetchone() == (5,)
        assert reader.execute(
            "SELECT value FROM marts.fct_reported_values WHERE metric_code = 'revenue' AND fiscal_year = 2023"
        ).fetchone() == (Decimal("609015000000"),)
    finally:
        reader.close()
    rows = _query(
        target,
        "SELECT version, count(*) FROM raw.documents d JOIN raw.figures f USING (document_id) "
        "WHERE report_id = 'tencent_ssv_2023' GROUP BY version ORDER BY version",
    )
    # Both versions keep all their rows (same parser, one changed cell).
    assert [v for v, _ in rows] == [1, 2] and rows[0][1] == rows[1][1] >= 228
    assert _query(
        target,
        "SELECT value, report_id FROM marts.fct_reported_values WHERE metric_code = 'revenue' AND fiscal_year = 2023",
    ) == [(Decimal("609016000000"), "tencent_ssv_2023")]


def test_failing_dbt_test_fails_the_build_and_publishes_nothing(tmp_path, built_warehouse):
    project = copy_project(tmp_path / "project")
    env = {"ESGWH_PROJECT_DIR": str(project)}
    target = copy_of_build(built_warehouse, tmp_path / "warehouse.duckdb")
    before = _digest(target)
    # A duplicated alias makes the alias seed's uniqueness test fail.
    aliases = project / "seeds" / "label_aliases.csv"
    lines = aliases.read_text(encoding="utf-8").splitlines()
    aliases.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")
    result = esgwh("build", "--warehouse", str(target), env=env)
    assert result.returncode == 1
    assert "FAILED at dbt" in result.stderr and "unique_combination_of_columns" in result.stderr
    assert _digest(target) == before


@pytest.mark.attack("processes and locks")
def test_a_second_build_refuses_while_one_runs(tmp_path):
    target = tmp_path / "warehouse.duckdb"
    lock_dir = tmp_path / ".warehouse.duckdb.build"
    lock_dir.mkdir()
    held = os.open(lock_dir, os.O_RDONLY | os.O_DIRECTORY)  # the lock another build holds
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = esgwh("build", "--warehouse", str(target))
    finally:
        os.close(held)
    assert result.returncode == 75
    assert "another build" in result.stderr
    assert not target.exists()
    # the refused run is in the history (issue 11: refused runs were missing)
    status = esgwh("status", "--warehouse", str(target))
    assert "refused" in status.stdout and "75" in status.stdout, status.stdout


@pytest.mark.attack("processes and locks")
def test_two_builds_started_together_one_runs_one_refuses(tmp_path):
    target = tmp_path / "warehouse.duckdb"
    cmd = [sys.executable, "-m", "esgwh", "build", "--warehouse", str(target)]
    procs = [
        subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 75], outs
    assert _query(target, "SELECT count(*) FROM raw.documents") == [(5,)]


@pytest.mark.attack("file system")
@pytest.mark.parametrize("place", ["/sys/esgwh-test/warehouse.duckdb", "/proc/esgwh-test/warehouse.duckdb"])
def test_an_unwritable_warehouse_folder_fails_with_a_message_not_a_traceback(place):
    """Issue 11, severe 5. /sys and /proc refuse new files even to root, unlike a chmod-ed folder."""
    result = esgwh("build", "--warehouse", place)
    assert result.returncode == 1
    assert "cannot write the build folder" in result.stderr and "--warehouse" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.attack("processes and locks")
def test_a_run_killed_while_publishing_never_reads_as_published(tmp_path):
    """Issue 11: the history beside the warehouse says `publishing` until the file is in place.
    ESGWH_PAUSE_AT=publish holds the build right before os.replace; SIGKILL it there."""
    import os
    import signal

    target = tmp_path / "warehouse.duckdb"
    env = dict(os.environ, ESGWH_PAUSE_AT="publish")
    proc = subprocess.Popen(
        [sys.executable, "-m", "esgwh", "build", "--warehouse", str(target)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 300
    seen = ""
    while time.monotonic() < deadline and "[pause] at publish" not in seen:
        seen += proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert "[pause] at publish" in seen, seen
    assert not target.exists()
    status = esgwh("status", "--warehouse", str(target))
    assert "publishing" in status.stdout and "published" not in status.stdout.replace("publishing", ""), status.stdout


@pytest.mark.attack("processes and locks")
def test_deleting_the_lock_file_does_not_let_a_second_build_in(tmp_path):
    """Issue 11: the lock is on the build folder; build.lock only says who holds it."""
    import signal

    target = tmp_path / "warehouse.duckdb"
    env = dict(os.environ, ESGWH_PAUSE_AT="dbt")
    first = subprocess.Popen(
        [sys.executable, "-m", "esgwh", "build", "--warehouse", str(target)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        seen = ""
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and "[pause] at dbt" not in seen:
            seen += first.stdout.readline()
        work = tmp_path / ".warehouse.duckdb.build" / "warehouse.duckdb"
        assert work.exists(), seen
        (tmp_path / ".warehouse.duckdb.build" / "build.lock").unlink()
        second = esgwh("build", "--warehouse", str(target))
        assert second.returncode == 75 and "another build" in second.stderr, second.stderr
        assert work.exists()  # the first build's working copy is still there
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.wait()


@pytest.mark.attack("processes and locks")
def test_a_process_holding_the_live_file_read_write_stops_a_forced_build(tmp_path, built_warehouse):
    """Issue 11: checkpointed (no .wal), the writer still holds DuckDB's lock: the build refuses to
    replace the file under it."""
    import shutil

    target = tmp_path / "warehouse.duckdb"
    shutil.copy2(built_warehouse, target)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(target)!r}); "
            "c.execute('CHECKPOINT'); print('holding', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        before = _digest(target)
        result = esgwh("build", "--force", "--warehouse", str(target))
        assert result.returncode == 1, result.stdout + result.stderr
        assert "open read-write" in result.stderr and f"pid {holder.pid}" in result.stderr
        assert _digest(target) == before
    finally:
        holder.kill()
        holder.wait()


@pytest.mark.attack("file system")
def test_a_full_disk_fails_once_with_its_cause(tmp_path):
    """Issue 11: a 3 MB tmpfs fills during the build. One message with the cause, not a logging
    traceback per line. Needs mount(8) (root); skipped where the machine refuses it."""
    place = tmp_path / "tiny"
    place.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(place)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        result = esgwh("build", "--warehouse", str(place / "warehouse.duckdb"), timeout=300)
        assert result.returncode == 1
        assert "No space left on device" in result.stderr
        assert "Traceback" not in result.stderr and "Logging error" not in result.stderr
        assert len(result.stderr.splitlines()) <= 5, result.stderr[:2000]
        assert not (place / "warehouse.duckdb").exists()
    finally:
        subprocess.run(["umount", str(place)], capture_output=True)
