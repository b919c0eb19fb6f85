"""The same dbt project on Apache Spark (`esgwh build --target spark`): a real local SparkSession
builds every model and runs every test, and each mart it writes (Parquet under the Spark
warehouse) equals DuckDB's row by row, every column exactly, doubles included. The Spark versions
of the dispatch macros matter: with one removed, the engine gives a silent wrong result, which the
mutation tests below show on the model it feeds.

Needs the spark extra and Java: skipped with the reason when they are missing, except in CI
(CI=true), where .ci/run installs both and a missing one fails the test."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from esgwh import spark

from .conftest import ROOT, copy_of_build, copy_project, esgwh

WHY = spark.available()
if WHY and os.environ.get("CI") != "true":
    pytest.skip(f"Spark target: {WHY}", allow_module_level=True)


@pytest.fixture(scope="module")
def spark_build(tmp_path_factory, built_warehouse):
    """The Spark target over a copy of the shared DuckDB build (nothing new for DuckDB, so the
    build goes straight to Spark); the log is the shared build's, then the Spark run's."""
    dest = tmp_path_factory.mktemp("spark")
    warehouse = copy_of_build(built_warehouse, dest / "warehouse.duckdb")
    spark_dir = dest / "spark-warehouse"
    result = esgwh(
        "build",
        "--target",
        "spark",
        "--warehouse",
        str(warehouse),
        cwd=ROOT,
        timeout=1800,
        env={"ESGWH_SPARK_WAREHOUSE": str(spark_dir)},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "nothing new since the last published build" in result.stdout
    duck_log = (built_warehouse.parent / "build.out").read_text(encoding="utf-8")
    return warehouse, spark_dir, duck_log + result.stdout + result.stderr


def _marts(con) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where database_name = 'd' and schema_name = 'marts' order by 1"
        ).fetchall()
    ]


def test_every_node_passes_on_spark(spark_build):
    _, spark_dir, log = spark_build
    line = next(x for x in log.splitlines() if x.startswith("[spark] dbt build passed"))
    assert re.search(r"\d+ pass, \d+ success", line) and "error" not in line and "fail" not in line
    duck_line = next(x for x in log.splitlines() if x.startswith("[dbt] ok"))
    # the same nodes on both engines (dbt's summary: tests pass, models and seeds succeed)
    assert re.search(r"(\d+ pass, \d+ success)", line).group(1) == re.search(
        r"(\d+ pass, \d+ success)", duck_line
    ).group(1)
    assert (spark_dir / "marts.db" / "fct_metric_values").is_dir()


def test_every_mart_equals_duckdbs_row_by_row(spark_build):
    """Exact comparison of every column (decimals, strings, booleans, dates, timestamps and doubles:
    a double one unit in the last place off counts as different) and of each column's type."""
    warehouse, spark_dir, _ = spark_build
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as d (read_only)")
    marts = _marts(con)
    assert len(marts) >= 11
    for mart in marts:
        parquet = f"read_parquet('{spark_dir / 'marts.db' / mart}/*.parquet')"
        duck_types = con.execute(
            "select column_name, data_type from duckdb_columns() where database_name = 'd' "
            "and schema_name = 'marts' and table_name = ? order by column_index",
            [mart],
        ).fetchall()
        spark_types = [(r[0], r[1]) for r in con.execute(f"describe select * from {parquet}").fetchall()]
        assert sorted(spark_types) == sorted(duck_types), mart
        cols = ", ".join(f'"{c}"' for c, _ in duck_types)
        n = con.execute(f"select count(*) from d.marts.{mart}").fetchone()[0]
        assert con.execute(f"select count(*) from {parquet}").fetchone()[0] == n, mart
        only_duck = con.execute(
            f"select count(*) from (select {cols} from d.marts.{mart} except all select {cols} from {parquet})"
        ).fetchone()[0]
        only_spark = con.execute(
            f"select count(*) from (select {cols} from {parquet} except all select {cols} from d.marts.{mart})"
        ).fetchone()[0]
        assert (only_duck, only_spark) == (0, 0), mart
    # the bundled corpus's marts are not empty: the comparison compares something
    assert con.execute("select count(*) from d.marts.fct_metric_values").fetchone()[0] > 200


# (macro removed, dbt command on the mutated project, the check that shows the silent damage)
MUTATIONS = [
    # Spark reads a backslash in a string literal as an escape: '\s' is the letter s
    (
        "spark__sql_literal",
        ["run", "--select", "+stg_raw__figures"],
        "select count(*) from {spark} s join d.staging.stg_raw__figures f using (figure_id) "
        "where s.label_key is distinct from f.label_key",
    ),
    # regexp_replace(x, '\s', '', 'g') in Spark: 'g' is a position and '\s' the letter s
    (
        "spark__re_replace",
        ["run", "--select", "+stg_raw__figures"],
        "select count(*) from {spark} s join d.staging.stg_raw__figures f using (figure_id) "
        "where s.label_key is distinct from f.label_key",
    ),
    # power(10, -n) one unit in the last place off: the precision step a rounding rule compares moves
    (
        "spark__ten_to_minus",
        ["run", "--select", "+int_figures_mapped"],
        "select count(*) from {spark} s join d.intermediate.int_figures_mapped f using (figure_id) "
        "where s.precision_step is distinct from f.precision_step",
    ),
    # dbt-spark's own seed loader writes an empty cell as the string 'None'
    (
        "spark__load_csv_rows",
        ["seed", "--select", "label_aliases"],
        "select count(*) from {spark} where context_key = 'None' or text_contains = 'None'",
    ),
]


def _without_macro(project: Path, name: str) -> None:
    for path in (project / "macros").rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        cut = re.sub(r"\{%-?\s*macro " + name + r"\(.*?\{%-?\s*endmacro\s*-?%\}", "", text, flags=re.S)
        if cut != text:
            path.write_text(cut, encoding="utf-8")
            return
    raise AssertionError(f"no macro {name}")


@pytest.fixture(scope="module")
def second_session(spark_build, tmp_path_factory):
    """A second build's session (a new process's: an empty in-memory catalog) over the folders the
    first left (a copy of the Spark build's, which other tests read), holding the raw tables of
    the build; the mutation tests run dbt in it (dbt-spark picks it up). One JVM for both."""
    warehouse, spark_dir, _ = spark_build
    location = tmp_path_factory.mktemp("spark-second") / "spark-warehouse"
    shutil.copytree(spark_dir, location)
    left = (location / "raw.db" / "figures").is_dir() and (location / "marts.db").is_dir()
    session = spark.session(location)
    spark.quiet(session)
    counts = spark.register_raw(session, warehouse)
    cleared = not (location / "marts.db").exists()  # before any mutation test writes there
    yield session, location, counts, left, cleared
    session.stop()


def test_a_new_session_replaces_an_earlier_builds_tables_at_the_same_location(second_session):
    """Spark refuses a managed table over a folder that is not empty, so the earlier build's
    folders are cleared before the raw tables are registered again."""
    session, location, counts, left, cleared = second_session
    assert left  # the first build's tables were there
    assert session.table("raw.figures").count() == counts["figures"] > 500
    assert (location / "raw.db" / "figures").is_dir()
    assert cleared  # the earlier build's marts went with them


@pytest.mark.parametrize("macro, command, check", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_without_a_spark_macro_spark_is_wrong(spark_build, second_session, tmp_path, macro, command, check):
    """The macro removed: the build fails (a pattern Spark cannot read) or, worse, succeeds with rows
    that differ from DuckDB's. With the macro, test_every_mart_equals_duckdbs_row_by_row holds."""
    from esgwh.dbt import run_dbt

    warehouse, _, _ = spark_build
    project = copy_project(tmp_path / "project")
    _without_macro(project, macro)
    outcome = run_dbt([*command, "--target", "spark"], warehouse, tmp_path / "work", project)
    if not outcome.success:
        assert outcome.failures or outcome.error
        print(f"[mutation] without {macro}: dbt fails ({(outcome.failures or [outcome.error])[0][:160]})")
        return
    relation = command[-1].lstrip("+")
    schema = "seeds" if command[0] == "seed" else ("staging" if relation.startswith("stg_") else "intermediate")
    written = tmp_path / "mutated.parquet"  # the mutated model as Spark built it
    second_session[0].table(f"{schema}.{relation}").write.parquet(str(written))
    con = duckdb.connect()
    con.execute(f"attach '{warehouse}' as d (read_only)")
    wrong = con.execute(check.format(spark=f"read_parquet('{written}/*.parquet')")).fetchone()[0]
    print(f"[mutation] without {macro}: dbt succeeds, {wrong} row(s) of {relation} differ from DuckDB's")
    assert wrong > 0, f"without {macro} the {relation} rows still equal DuckDB's"
