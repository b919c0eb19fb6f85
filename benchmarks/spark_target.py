"""What the Spark target costs next to DuckDB, on the bundled corpus and on a synthetic one.

    python benchmarks/spark_target.py [--reports 500]

For each corpus (the five bundled reports; N synthetic reports from benchmarks/synthetic_corpus.py)
a project copy is built twice with the real command: `esgwh build` (DuckDB) and then
`esgwh build --target spark` on the same warehouse (its DuckDB part is then "nothing new", so the
difference is the Spark part). Printed: the machine's cores, the DuckDB dbt build and whole build,
the Spark part (export, session, dbt build with every test), their ratio, and the JVM's peak
resident memory (sampled every 0.2 s from /proc). Needs the spark extra and Java.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic_corpus import write_corpus  # noqa: E402


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            children = Path(f"/proc/{p}/task/{p}/children").read_text().split()
        except OSError:
            continue
        out += [int(c) for c in children]
        todo += [int(c) for c in children]
    return out


def _java_rss_kib(pid: int) -> int:
    total = 0
    for child in _descendants(pid):
        try:
            if Path(f"/proc/{child}/comm").read_text().strip() != "java":
                continue
            status = Path(f"/proc/{child}/status").read_text()
        except OSError:
            continue
        total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return total


def run(args: list[str], project: Path, env: dict) -> tuple[float, str, int]:
    """(seconds, output, peak JVM RSS in KiB) of one esgwh command."""
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "esgwh", *args],
        cwd=project,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _java_rss_kib(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.communicate()[0]
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"esgwh {' '.join(args)} failed:\n{output[-4000:]}")
    return time.monotonic() - started, output, peak[0]


def _step(output: str, name: str) -> float:
    m = re.search(rf"^\[{name}\] ok ([\d.]+)s", output, re.M)
    return float(m.group(1)) if m else float("nan")


def measure(label: str, project: Path) -> dict:
    warehouse = project / "warehouse.duckdb"
    env = {"ESGWH_PROJECT_DIR": str(project), "ESGWH_SPARK_WAREHOUSE": str(project / "spark-warehouse")}
    duck_s, duck_out, _ = run(["build", "--warehouse", str(warehouse)], project, env)
    spark_s, spark_out, jvm_kib = run(["build", "--target", "spark", "--warehouse", str(warehouse)], project, env)
    return {
        "corpus": label,
        "duckdb_dbt": _step(duck_out, "dbt"),
        "duckdb_build": duck_s,
        "spark": _step(spark_out, "spark"),
        "spark_command": spark_s,
        "jvm_gib": jvm_kib / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(measure("bundled (5 reports)", write_corpus(5, Path(tmp) / "bundled")))
        rows.append(measure(f"synthetic ({args.reports} reports)", write_corpus(args.reports, Path(tmp) / "synthetic")))
    print(f"cores: {os.cpu_count()}")
    print(f"{'corpus':<26} {'DuckDB dbt':>11} {'DuckDB build':>13} {'Spark part':>11} {'ratio':>6} {'JVM peak':>9}")
    for r in rows:
        print(
            f"{r['corpus']:<26} {r['duckdb_dbt']:>10.1f}s {r['duckdb_build']:>12.1f}s {r['spark']:>10.1f}s "
            f"{r['spark'] / r['duckdb_dbt']:>5.1f}x {r['jvm_gib']:>7.2f} GiB"
        )


if __name__ == "__main__":
    main()
