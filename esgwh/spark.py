"""The Spark target: the same raw data and the same dbt project, in a SparkSession.

The loaders write DuckDB only. `esgwh build --target spark` first builds (or confirms) the DuckDB
warehouse, exports its raw tables to Parquet, starts a local SparkSession (no cluster, Thrift
server or Hive metastore: an in-memory catalog), registers the raw tables in it and runs the same
`dbt build` with every test in that session (dbt-spark's `session` method picks it up). The marts
end as Parquet tables under the Spark warehouse directory (`marts.db/<mart>/`), where Spark, Trino
or DuckDB (`read_parquet`) users read them.

Settings (environment): ESGWH_SPARK_WAREHOUSE (default ./spark-warehouse), ESGWH_SPARK_MASTER
(default local[2]), ESGWH_SPARK_DRIVER_MEMORY (default 2g). A team with a cluster changes the
master and the warehouse location, or points the `spark` profile at a Thrift server (README).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from .dbt import run_dbt

RAW_TABLES = ["load_runs", "documents", "figures", "quarantine", "table_notes", "tables", "retired_reports",
              "document_texts"]
SCHEMAS = ["raw", "seeds", "staging", "intermediate", "marts"]
WAREHOUSE_ENV = "ESGWH_SPARK_WAREHOUSE"


def available() -> str | None:
    """Why the Spark target cannot run here (None when it can): pyspark, dbt-spark and Java."""
    try:
        import pyspark  # noqa: F401
        import dbt.adapters.spark  # noqa: F401
    except ImportError as exc:
        return f"the spark extra is not installed (pip install -e '.[spark]'): {exc.name} is missing"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "no Java runtime (Spark needs Java 17: apt-get install openjdk-17-jre-headless)"
    return None


def spark_warehouse() -> Path:
    return Path(os.environ.get(WAREHOUSE_ENV, "spark-warehouse")).resolve()


def session(warehouse_dir: Path):
    """A local SparkSession with an in-memory catalog whose tables live under `warehouse_dir`."""
    from pyspark.sql import SparkSession

    return (SparkSession.builder
            .appName("esgwh")
            .master(os.environ.get("ESGWH_SPARK_MASTER", "local[2]"))
            .config("spark.driver.memory", os.environ.get("ESGWH_SPARK_DRIVER_MEMORY", "2g"))
            .config("spark.sql.catalogImplementation", "in-memory")
            .config("spark.sql.warehouse.dir", str(warehouse_dir))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            # DuckDB's timestamps have no time zone; read them as such, not shifted to the JVM's zone
            .config("spark.sql.timestampType", "TIMESTAMP_NTZ")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate())


def quiet(spark) -> None:
    # dbt-spark calls getOrCreate() per statement, and each call warns that a session exists
    spark.sparkContext.setLogLevel("ERROR")


def export_raw(duck: Path, out_dir: Path) -> dict[str, int]:
    """Each raw table of the DuckDB warehouse as one Parquet file; returns rows per table."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    con = duckdb.connect(str(duck), read_only=True)
    try:
        for table in RAW_TABLES:
            path = out_dir / f"{table}.parquet"
            con.execute(f"COPY raw.{table} TO '{path}' (FORMAT parquet)")
            counts[table] = con.execute(f"SELECT count(*) FROM raw.{table}").fetchone()[0]
    finally:
        con.close()
    return counts


def register_raw(spark, parquet_dir: Path) -> None:
    """The raw tables as tables of the session's `raw` database (the dbt sources)."""
    for schema in SCHEMAS:
        spark.sql(f"DROP DATABASE IF EXISTS {schema} CASCADE")
    spark.sql("CREATE DATABASE raw")
    for table in RAW_TABLES:
        spark.read.parquet(str(parquet_dir / f"{table}.parquet")).write.mode("overwrite").saveAsTable(f"raw.{table}")


def build_spark(duck: Path, work_dir: Path, log, dbt_project: Path | None = None) -> dict:
    if (why := available()) is not None:
        raise RuntimeError(f"--target spark: {why}")
    warehouse_dir = spark_warehouse()
    parquet_dir = work_dir / "spark-raw"
    counts = export_raw(duck, parquet_dir)
    spark = session(warehouse_dir)
    quiet(spark)
    register_raw(spark, parquet_dir)
    log(f"[spark] raw registered in a {spark.sparkContext.master} session (warehouse {warehouse_dir}): "
        + ", ".join(f"{t} {n}" for t, n in counts.items()))
    outcome = run_dbt(["build", "--target", "spark"], duck, work_dir / "spark", dbt_project)
    if not outcome.success:
        detail = "; ".join(outcome.failures[:10]) or outcome.error or "see the dbt log"
        raise RuntimeError(f"dbt build --target spark failed: {detail}")
    log("[spark] dbt build passed: " + ", ".join(f"{n} {s}" for s, n in sorted(outcome.counts.items()))
        + f"; marts as Parquet under {warehouse_dir / 'marts.db'}")
    return outcome.counts
