"""How the build scales with the number of reports, against floors measured in the same run.

    python benchmarks/scale.py --reports 10000 [--jobs 2] [--out /tmp/esgwh-scale]

On a synthetic corpus of N reports (benchmarks/synthetic_corpus.py: copies of the bundled ones
under new companies and ids) it runs, each in a fresh process as a user would:

- a full build (`esgwh build --jobs J`): wall time, its load and dbt steps, the peak memory of
  the build and its workers together (sampled from /proc), the warehouse's size;
- a build with nothing new, against dbt's own fixed cost (`dbt parse` of a one-model project);
- one report added, on the N-report warehouse and on a 5-report one;
- the queries an analyst runs, through a read-only connection (p95 over repeated runs, fetched
  as Python rows and as an Arrow table);
- the floor: a bare pass over the same text (read each file, decode, split the lines, find every
  number), single process, so that "loaders ÷ floor" holds on a noisy machine.

Prints one table with the machine's core count and the goals of the scale issue beside each
figure. Nothing here asserts: the figures are for people (README, "Scale").

The copies share their text, so the caches the loaders keep per process (script conversion of a
label, say) hit more often than on N different reports: the load figure is a lower bound for a
corpus of that size, the floor pass is not affected.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic_corpus import copy_report, read_rows, write_corpus, write_rows  # noqa: E402

_NUMBER = re.compile(r"\d[\d,.]*")
_STEP = re.compile(r"^\[(\w+)\] ok ([\d.]+)s", re.M)


def _tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            status = Path(f"/proc/{p}/status").read_text()
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) * 1024  # type: ignore[union-attr]
            for task in Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, AttributeError):
            continue
    return total


def run(args: list[str], env: dict[str, str], cwd: Path) -> tuple[float, dict[str, int], str]:
    """(wall seconds, peak resident bytes of the process tree per build step and in all ("all"),
    output) of one command. A step's peak is the one seen until its `[step] ok` line."""
    started = time.monotonic()
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peaks: dict[str, int] = {"all": 0}
    since_last_step = [0]

    def sample() -> None:
        while proc.poll() is None:
            rss = _tree_rss(proc.pid)
            since_last_step[0] = max(since_last_step[0], rss)
            peaks["all"] = max(peaks["all"], rss)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    lines = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line)
        if m := _STEP.match(line):
            peaks[m.group(1)], since_last_step[0] = since_last_step[0], 0
    proc.wait()
    wall = time.monotonic() - started
    sampler.join()
    out = "".join(lines)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({proc.returncode}):\n{out[-3000:]}")
    return wall, peaks, out


def build(project: Path, jobs: int) -> tuple[float, dict[str, int], dict[str, float]]:
    env = {**os.environ, "ESGWH_PROJECT_DIR": str(project)}
    wall, peaks, out = run(
        ["esgwh", "build", "--jobs", str(jobs), "--warehouse", str(project / "warehouse.duckdb")], env, project
    )
    return wall, peaks, {name: float(s) for name, s in _STEP.findall(out)}


def add_one_report(project: Path) -> None:
    """One more synthetic report (a copy of the first under a new id and company) in the manifest."""
    reports = project / "data" / "reports"
    fields, rows = read_rows(reports)
    rows.append(copy_report(reports, reports, rows[0], "added", "Added Company Ltd", "one more"))
    write_rows(reports, fields, rows)


def floor_seconds(project: Path) -> float:
    """The bare pass: read every report, decode, split lines, find every number."""
    started = time.perf_counter()
    found = 0
    for path in sorted((project / "data" / "reports").glob("*.txt")):
        for line in path.read_bytes().decode("utf-8").splitlines():
            found += len(_NUMBER.findall(line))
    assert found
    return time.perf_counter() - started


def dbt_fixed_cost(scratch: Path) -> float:
    """`dbt parse` of a one-model project on DuckDB: what any dbt invocation costs."""
    project = scratch / "one_model"
    (project / "models").mkdir(parents=True, exist_ok=True)
    (project / "models" / "one.sql").write_text("select 1 as one\n")
    (project / "dbt_project.yml").write_text("name: one\nversion: '1.0.0'\nconfig-version: 2\nprofile: one\n")
    (project / "profiles.yml").write_text(
        "one:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: one.duckdb\n"
    )
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).with_name("dbt")
    args = [str(dbt) if dbt.exists() else "dbt", "parse", "--profiles-dir", ".", "--quiet"]
    run(args, env, project)  # the first parse writes what later ones reuse, as a warehouse's builds do
    return min(run(args, env, project)[0] for _ in range(2))


QUERIES = {
    "one company's series": "SELECT * FROM marts.mart_metric_series WHERE company_id = ? ORDER BY metric_code, fiscal_year",
    "wide table, every company": "SELECT * FROM marts.mart_metric_wide",
    "not-like-for-like rows": "SELECT * FROM marts.mart_yoy_comparison WHERE NOT like_for_like",
    "sum by year": "SELECT metric_code, fiscal_year, sum(value) FROM marts.mart_metric_series "
    "WHERE dimension = 'total' GROUP BY ALL ORDER BY ALL",
    "one figure's provenance": "SELECT company, report_id, source_file, page_number, line_number, raw_text "
    "FROM marts.fct_reported_values WHERE figure_id = ?",
}


def query_p95(warehouse: Path, repeat: int = 20) -> dict[str, tuple[float, float]]:
    """Each query's p95, fetched as Python rows (`fetchall`, a script's loop) and as an Arrow table
    (what pandas, polars and ADBC-connected tools take)."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        company = con.execute("SELECT max(company_id) FROM marts.dim_company").fetchone()[0]  # type: ignore[index]
        figure = con.execute("SELECT max(figure_id) FROM marts.fct_reported_values").fetchone()[0]  # type: ignore[index]
        params = {"one company's series": [company], "one figure's provenance": [figure]}
        out = {}
        for name, sql in QUERIES.items():
            p95 = []
            for fetch in ("fetchall", "to_arrow_table"):
                times = []
                for _ in range(repeat):
                    t = time.perf_counter()
                    getattr(con.execute(sql, params.get(name, [])), fetch)()
                    times.append(time.perf_counter() - t)
                p95.append(sorted(times)[int(0.95 * (repeat - 1))])
            out[name] = (p95[0], p95[1])
        return out
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="scratch folder (default: a temporary one)")
    args = parser.parse_args()
    scratch = args.out or Path(tempfile.mkdtemp(prefix="esgwh-scale-"))
    scratch.mkdir(parents=True, exist_ok=True)
    n = args.reports
    rows: list[tuple[str, str, str]] = []

    def row(what: str, figure: str, goal: str = "") -> None:
        rows.append((what, figure, goal))
        print(f"  {what}: {figure}", flush=True)

    print(f"{os.cpu_count()} cores; {n} reports, --jobs {args.jobs}; scratch {scratch}", flush=True)
    small, big = write_corpus(5, scratch / "n5"), write_corpus(n, scratch / f"n{n}")
    text_mb = sum(p.stat().st_size for p in (big / "data" / "reports").glob("*.txt")) / 1e6

    floor = floor_seconds(big)
    row("floor: bare pass over the text (1 process)", f"{floor:.1f} s for {text_mb:.0f} MB")

    wall, peak, steps = build(big, args.jobs)
    size = (big / "warehouse.duckdb").resolve().stat().st_size
    row("full build", f"{wall:.1f} s", "≤ 90 s at 10,000")
    row("  load step", f"{steps['load']:.1f} s = {steps['load'] / floor:.1f}× floor", "≤ 3× floor")
    row("  dbt step", f"{steps['dbt']:.1f} s")
    row(
        "  peak memory (build + workers)",
        f"{peak['all'] / 2**30:.2f} GiB (load {peak.get('load', 0) / 2**30:.2f}, dbt {peak.get('dbt', 0) / 2**30:.2f})",
        "≤ 1 GiB",
    )
    row("  warehouse file", f"{size / 2**20:.0f} MiB = {size / 2**20 / n * 1000:.0f} MiB per 1,000 reports")

    fixed = dbt_fixed_cost(scratch)
    wall_same, _, _ = build(big, args.jobs)
    row("nothing new", f"{wall_same:.1f} s = {wall_same / fixed:.2f}× dbt parse of one model ({fixed:.1f} s)", "≤ 1.2×")

    build(small, args.jobs)
    add_one_report(small)
    wall_small, _, steps_small = build(small, args.jobs)
    add_one_report(big)
    wall_big, _, steps_big = build(big, args.jobs)
    row(
        "one report added",
        f"{wall_big:.1f} s = {wall_big / wall_small:.2f}× the same on 5 reports ({wall_small:.1f} s)",
        "≤ 1.3×",
    )
    row(
        "  its steps at N / at 5",
        ", ".join(f"{k} {steps_big[k]:.1f}/{steps_small.get(k, 0):.1f} s" for k in ("prepare", "load", "dbt")),
    )

    p95 = query_p95(big / "warehouse.duckdb")
    for name, (rows_s, arrow_s) in p95.items():
        row(f"query p95: {name}", f"{rows_s * 1000:.0f} ms as rows, {arrow_s * 1000:.0f} ms as Arrow", "≤ 50 ms")

    width = max(len(r[0]) for r in rows)
    fig = max(len(r[1]) for r in rows)
    print(f"\n{os.cpu_count()} cores, {n} reports ({text_mb:.0f} MB of text), --jobs {args.jobs}")
    print(f"{'measure':<{width}}  {'figure':<{fig}}  goal")
    for what, figure, goal in rows:
        print(f"{what:<{width}}  {figure:<{fig}}  {goal}")
    if args.out is None:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
