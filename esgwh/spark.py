"""The Spark target: the same raw data and the same dbt project, in a SparkSession.

The loaders write DuckDB only. `esgwh build --target spark` first builds (or confirms) the DuckDB
warehouse, starts a SparkSession (local by default: no cluster, Thrift server or Hive metastore,
an in-memory catalog), hands it the raw tables as Arrow from the driver (so executors on other
machines need no access to the driver's disk), clears the warehouse location's `<schema>.db`
folders of an earlier build, and runs the same `dbt build` with every test in that session
(dbt-spark's `session` method picks it up). The marts end as Parquet tables under the Spark
warehouse location (`marts.db/<mart>/`), where Spark, Trino or DuckDB (`read_parquet`) users read
them. A failed Spark build leaves that location incomplete; the DuckDB warehouse is untouched.

Settings (environment): ESGWH_SPARK_WAREHOUSE (default ./spark-warehouse), ESGWH_SPARK_MASTER
(default local[2]), ESGWH_SPARK_DRIVER_MEMORY (default 2g). A team with a cluster changes the
master and the warehouse location, or points the `spark` profile at a Thrift server (README).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from .dbt import BUILD, run_dbt
from .layers import RAW_TABLES, SCHEMAS

WAREHOUSE_ENV = "ESGWH_SPARK_WAREHOUSE"


def available() -> str | None:
    """Why the Spark target cannot run here (None when it can): pyspark, dbt-spark and Java."""
    try:
        import dbt.adapters.spark  # noqa: F401
        import pyspark  # noqa: F401
    except ImportError as exc:
        return f"the spark extra is not installed (pip install -e '.[spark]'): {exc.name} is missing"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "no Java runtime (Spark needs Java 17: apt-get install openjdk-17-jre-headless)"
    return None


def spark_warehouse() -> str:
    """The warehouse location: a local folder (made absolute) or a URI (s3a://…, hdfs://…) as given."""
    location = os.environ.get(WAREHOUSE_ENV, "spark-warehouse")
    return location if "://" in location else str(Path(location).resolve())


def session(warehouse_dir: Path | str):
    """A local SparkSession with an in-memory catalog whose tables live under `warehouse_dir`."""
    from pyspark.sql import SparkSession

    return (
        SparkSession.builder.appName("esgwh")
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
        .getOrCreate()
    )


def quiet(spark) -> None:
    # dbt-spark calls getOrCreate() per statement, and each call warns that a session exists
    spark.sparkContext.setLogLevel("ERROR")


def clear_warehouse(spark) -> None:
    """Drop the project's databases and delete their folders at the warehouse location: a new
    process's in-memory catalog does not know an earlier build's tables, but Spark refuses to
    create a managed table over a folder that is not empty."""
    location = spark.conf.get("spark.sql.warehouse.dir")
    jvm, conf = spark._jvm, spark._jsc.hadoopConfiguration()
    for schema in SCHEMAS:
        spark.sql(f"DROP DATABASE IF EXISTS {schema} CASCADE")
        path = jvm.org.apache.hadoop.fs.Path(f"{location.rstrip('/')}/{schema}.db")
        path.getFileSystem(conf).delete(path, True)


def register_raw(spark, duck: Path) -> dict[str, int]:
    """The DuckDB warehouse's raw tables as tables of the session's `raw` database (the dbt
    sources), handed over as Arrow; returns rows per table."""
    clear_warehouse(spark)
    spark.sql("CREATE DATABASE raw")
    counts = {}
    con = duckdb.connect(str(duck), read_only=True)
    try:
        for table in RAW_TABLES:
            arrow = con.execute(f"SELECT * FROM raw.{table}").to_arrow_table()
            spark.createDataFrame(arrow).write.mode("overwrite").saveAsTable(f"raw.{table}")
            counts[table] = arrow.num_rows
    finally:
        con.close()
    return counts


def build_spark(duck: Path, work_dir: Path, log, dbt_project: Path | None = None) -> dict:
    if (why := available()) is not None:
        raise RuntimeError(f"--target spark: {why}")
    spark = session(spark_warehouse())
    quiet(spark)
    warehouse_dir = spark.conf.get("spark.sql.warehouse.dir")  # an existing session keeps its own
    counts = register_raw(spark, duck)
    log(
        f"[spark] raw registered in a {spark.sparkContext.master} session (warehouse {warehouse_dir}): "
        + ", ".join(f"{t} {n}" for t, n in counts.items())
    )
    outcome = run_dbt([*BUILD, "--target", "spark"], duck, work_dir / "spark", dbt_project)
    if not outcome.success:
        detail = "; ".join(outcome.failures[:10]) or outcome.error or "see the dbt log"
        raise RuntimeError(f"dbt build --target spark failed: {detail}")
    log(
        "[spark] dbt build passed: "
        + ", ".join(f"{n} {s}" for s, n in sorted(outcome.counts.items()))
        + f"; marts as Parquet under {warehouse_dir.rstrip('/')}/marts.db"
    )
    return outcome.counts
