"""warehouse.duckdb.example must match what the code builds (same tables, same row counts)."""

from __future__ import annotations

import duckdb

from .conftest import ROOT

EXAMPLE = ROOT / "warehouse.duckdb.example"


def _table_counts(path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("""SELECT table_schema, table_name FROM information_schema.tables
                                WHERE table_catalog = current_database() ORDER BY ALL""").fetchall()
        return {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0] for s, t in tables}
    finally:
        con.close()


def test_example_matches_a_fresh_build(built_warehouse):
    assert EXAMPLE.exists(), "warehouse.duckdb.example is missing: run `esgwh example`"
    assert _table_counts(EXAMPLE) == _table_counts(built_warehouse), (
        "warehouse.duckdb.example is stale: regenerate it with `esgwh example` and commit it"
    )


def test_example_holds_the_content_of_a_fresh_build(built_warehouse):
    """Every table's rows, not only their number (build times and run ids aside)."""
    from esgwh.example import content_digests

    example, fresh = content_digests(EXAMPLE), content_digests(built_warehouse)
    assert {k for k in example.keys() | fresh.keys() if example.get(k) != fresh.get(k)} == set(), (
        "warehouse.duckdb.example is stale: regenerate it with `esgwh example` and commit it"
    )


def test_the_content_digest_sees_a_changed_figure_but_not_a_build_time(tmp_path):
    import shutil

    from esgwh.example import content_digests

    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(EXAMPLE, copy)
    before = content_digests(copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute("UPDATE raw.documents SET loaded_at = loaded_at + INTERVAL 1 DAY")
        con.execute("UPDATE audit.build_runs SET run_id = 'another', code_version = 'other'")
    finally:
        con.close()
    assert content_digests(copy) == before
    con = duckdb.connect(str(copy))
    try:
        con.execute(
            "UPDATE marts.fct_metric_values SET value = value + 0.1 WHERE metric_code = 'pue' "
            "AND fiscal_year = 2023 AND dimension = 'total'"
        )
    finally:
        con.close()
    after = content_digests(copy)
    assert {k for k in after if after[k] != before[k]} == {"marts.fct_metric_values"}
    con = duckdb.connect(str(copy))
    try:
        con.execute("CREATE VIEW marts.extra AS SELECT 1 AS one")
        con.execute("ALTER TABLE marts.dim_metric ALTER COLUMN gri_disclosure SET DEFAULT 'n/a'")
    finally:
        con.close()
    last = content_digests(copy)
    assert {k for k in last if last[k] != after[k]} == {"(views)", "(columns)"}


def test_regenerating_an_unchanged_example_leaves_its_bytes_alone(tmp_path):
    import hashlib

    from .conftest import copy_project, esgwh

    project = copy_project(tmp_path / "project")
    dest = project / "warehouse.duckdb.example"
    dest.write_bytes(EXAMPLE.read_bytes())
    result = esgwh("example", env={"ESGWH_PROJECT_DIR": str(project)}, timeout=900)
    assert result.returncode == 0, result.stderr
    assert "unchanged" in result.stdout
    assert hashlib.sha256(dest.read_bytes()).digest() == hashlib.sha256(EXAMPLE.read_bytes()).digest()
    assert not list(project.glob(".example-*"))


def test_the_readmes_first_example_runs_with_the_installed_duckdb_command():
    """README: `duckdb -readonly warehouse.duckdb.example "select …"` (the duckdb-cli dependency)."""
    import re
    import shutil
    import subprocess

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```bash\n(duckdb -readonly warehouse\.duckdb\.example \\\n.*?)\n```", readme, re.S)
    assert example, "the README's duckdb example moved"
    command = shutil.which("duckdb")
    assert command, "no duckdb command: pip install -e . installs duckdb-cli"
    sql = example.group(1).split('"', 1)[1].rsplit('"', 1)[0]
    result = subprocess.run(
        [command, "-readonly", "-csv", str(EXAMPLE), sql], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert (
        subprocess.run([command, "--version"], capture_output=True, text=True).stdout.split()[0]
        == "v" + duckdb.__version__
    )
    # SSV 2023 line 3275, 员工总数: 68,226 / 61,328 / 56,780
    totals = {
        line.split(",")[2]: line.split(",")[3]
        for line in result.stdout.splitlines()
        if line.startswith("headcount,total,")
    }
    assert {y: float(v) for y, v in totals.items()} == {"2021": 68226, "2022": 61328, "2023": 56780}
