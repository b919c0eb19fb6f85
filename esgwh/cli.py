"""The esgwh command."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path

import typer

from .analyst import MARTS
from .build import EXIT_BAD_INPUT, EXIT_OK, BuildFailed, build
from .project import DEFAULT_WAREHOUSE, project_dir, warehouse_path
from .workspace import Workspace, WorkspaceError, find_workspace

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="ESG metrics warehouse: build it from the bundled reports and query it.",
)

WarehouseOption = typer.Option(
    None,
    "--warehouse",
    "-w",
    envvar="ESGWH_WAREHOUSE",
    help=f"Warehouse file (default: the workspace's, else ./{DEFAULT_WAREHOUSE}; or set ESGWH_WAREHOUSE).",
)
WorkspaceOption = typer.Option(
    None,
    "--workspace",
    help="Workspace folder (default: ESGWH_WORKSPACE, else the current folder or one above it that has an esgwh.toml).",
)


def _workspace(path: Path | None) -> Workspace:
    try:
        return find_workspace(path)
    except WorkspaceError as exc:
        print(f"esgwh: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _warehouse(path: Path | None, workspace: Path | None = None) -> Path:
    """--warehouse, else the workspace's warehouse, else ./warehouse.duckdb (a warehouse file may
    be queried with no workspace around it)."""
    if path:
        return warehouse_path(path)
    try:
        return find_workspace(workspace).warehouse
    except WorkspaceError:
        if workspace:
            _workspace(workspace)  # an explicit workspace that is not one: say so
        return warehouse_path(DEFAULT_WAREHOUSE)


def _company_option(value: str | None) -> str | None:
    """--company given empty is a mistake, not "every company" (exit 2)."""
    if value is not None and not value.strip():
        raise typer.BadParameter("is empty: pass a company id or name (esgwh query 'select * from marts.dim_company')")
    return value


def _log(line: str) -> None:
    print(line, flush=True)


class Target(str, Enum):
    duckdb = "duckdb"
    postgres = "postgres"
    spark = "spark"


@app.command("build")
def build_cmd(
    warehouse: Path | None = WarehouseOption,
    workspace: Path | None = WorkspaceOption,
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Processes for parsing new reports."),
    force: bool = typer.Option(
        False, "--force", help="Rebuild even when nothing changed since the last build, every dbt model in full."
    ),
    dbt_target: Target = typer.Option(
        Target.duckdb,
        "--target",
        case_sensitive=False,
        help="duckdb; postgres: also build the same project on "
        "PostgreSQL (ESGWH_PG_HOST/PORT/USER/PASSWORD/DATABASE); spark: also build it in "
        "a local SparkSession, marts as Parquet under ESGWH_SPARK_WAREHOUSE.",
    ),
) -> None:
    """Migrate, load the workspace's reports, run dbt build with all tests, and publish atomically."""
    ws = _workspace(workspace)
    target = warehouse_path(warehouse) if warehouse else ws.warehouse
    try:
        report = build(
            target, jobs=jobs, log=_log, force=force, target=dbt_target.value, reports=ws.reports, seeds=ws.seeds
        )
    except BuildFailed as exc:
        print(f"esgwh build: FAILED at {exc.step}: {exc.message}", file=sys.stderr, flush=True)
        print(f"esgwh build: {target} was left as it was.", file=sys.stderr, flush=True)
        raise typer.Exit(exc.exit_code) from None
    total = sum(report.steps.values())
    if report.status == "nothing_new":
        _log(f"esgwh build: ok, nothing new -> {report.warehouse}")
    else:
        _log(f"esgwh build: ok in {total:.1f}s -> {report.warehouse}")
    raise typer.Exit(EXIT_OK)


@app.command("status")
def status_cmd(
    warehouse: Path | None = WarehouseOption,
    workspace: Path | None = WorkspaceOption,
    limit: int = typer.Option(10, "--limit", "-n", min=1, help="How many runs to show."),
) -> None:
    """The build history (audit.build_runs): every run, its status, step durations and what it loaded."""
    import json

    from . import audit
    from .build import work_dir_for
    from .terminal import Column, console, print_table

    target = _warehouse(warehouse, workspace)
    runs = audit.history(work_dir_for(target) / "runs.duckdb", limit)
    out = console()
    live = f"{target} ({target.stat().st_size / 1e6:.1f} MB)" if target.exists() else f"{target} (not built yet)"
    if target.is_symlink() and target.exists():
        live += f", the build published at {os.readlink(target)}"
    out.print(f"warehouse: {live}", overflow="fold")
    if not runs:
        out.print("no builds recorded yet")
        raise typer.Exit(0)
    rows = []
    for r in runs:
        steps = json.loads(r["step_seconds"] or "{}")
        reports = json.loads(r["reports"] or "{}")
        loaded = [k for k, v in reports.items() if v.get("status") == "loaded"]
        dbt = json.loads(r["dbt_results"] or "{}")
        rows.append(
            [
                r["run_id"],
                f"{r['started_at']:%Y-%m-%d %H:%M:%S}",
                r["status"],
                str(r["exit_code"]),
                " ".join(f"{k} {v:.1f}" for k, v in steps.items()),
                ", ".join(loaded) or "-",
                str(r["figures_loaded"] or 0),
                " ".join(f"{n} {k}" for k, n in sorted(dbt.items())),
                r["message"] or "",
            ]
        )
    print_table(
        "Build runs, newest first",
        [
            Column("run"),
            Column("started (UTC)"),
            Column("status"),
            Column("exit"),
            Column("seconds by step", fold=True, drop=4),
            Column("reports loaded", fold=True, drop=3),
            Column("figures", "right", drop=1),
            Column("dbt", fold=True, drop=5),
            Column("message", fold=True, cap=30),
        ],
        rows,
        out,
    )
    last = runs[0]
    raise typer.Exit(0 if last["status"] != "failed" else 1)


def _open(warehouse: Path | None, sandbox: bool = False):
    from .analyst import read_only

    target = _warehouse(warehouse)
    if not target.exists():
        print(f"esgwh: {target} does not exist: run `esgwh build` first", file=sys.stderr)
        raise typer.Exit(2)
    return read_only(target, sandbox=sandbox)


def _source(source: str, page, line, report: str | None = None) -> str | tuple[str, str]:
    """file:line (p. N); with the report id, a brief form for narrow terminals (report:line)."""
    where = f":{line}" + (f" (p. {page})" if page is not None else "")
    return (source + where, report + where) if report else source + where


def _pct(value) -> str:
    return "" if value is None else f"{value:+.2f} %"


def _read(command: str, warehouse: Path | None, fn, *args):
    """Run an analyst read; an unknown metric, split, family or company ends the command (exit 2)
    with its message and the valid choices."""
    with _open(warehouse) as con:
        try:
            return fn(con, *args)
        except KeyError as exc:
            print(f"esgwh {command}: {exc.args[0]}", file=sys.stderr)
            raise typer.Exit(2) from None


def _comparability(lfl, note, notes: list[str]) -> str:
    """The like-for-like cell; the reason goes into a numbered note under the table (it is prose)."""
    if lfl is None:
        return ""
    if lfl:
        return "yes"
    if not note:
        return "NO"
    if note not in notes:
        notes.append(note)
    return f"NO [{notes.index(note) + 1}]"


@app.command("metrics")
def metrics_cmd(
    warehouse: Path | None = WarehouseOption,
    workspace: Path | None = WorkspaceOption,
    family: str | None = typer.Option(None, "--family", help="Only this family (emissions, energy, employees, ...)."),
    company: str | None = typer.Option(
        None, "--company", callback=_company_option, help="Years of this company only (id or name)."
    ),
) -> None:
    """List the metrics with their names, family, unit, the years that have figures and the splits
    (by gender, region, ...) that have figures."""
    from .analyst import metrics
    from .terminal import Column, print_table

    _, rows = _read("metrics", _warehouse(warehouse, workspace), metrics, family, company)
    print_table(
        "Metrics",
        [
            Column("metric"),
            Column("name", fold=True),
            Column("中文", drop=3, fold=True),
            Column("family", collapse=True, drop=2),
            Column("unit"),
            Column("years", fold=True),
            Column("splits", fold=True, drop=1),
        ],
        [[r[0], r[1], r[2], r[3], r[4], r[5], r[6]] for r in rows],
    )


@app.command("show")
def show_cmd(
    metric: str = typer.Argument(..., help="metric_code, e.g. ghg_total, in any case (see `esgwh metrics`)"),
    dimension: str | None = typer.Option(
        None,
        "--dimension",
        "-d",
        help="A split: gender, region, age_band, "
        "... (default: the total; every split of a metric reported only in splits).",
    ),
    member: str | None = typer.Option(None, "--member", "-m", help="One member of the split (default: all)."),
    company: str | None = typer.Option(
        None, "--company", callback=_company_option, help="One company (id or name); default every company."
    ),
    warehouse: Path | None = WarehouseOption,
    workspace: Path | None = WorkspaceOption,
) -> None:
    """One metric's series, every year the reports state, per company and basis, with
    year-over-year changes and like-for-like flags."""
    from .analyst import series
    from .terminal import Column, cell, print_table

    meta, rows = _read("show", _warehouse(warehouse, workspace), series, metric, dimension, member, company)
    notes: list[str] = []
    out = [
        [
            company_,
            f"{dim}/{mem}",
            basis,
            str(year),
            cell(value, step),
            unit,
            "yes" if restated else "",
            _pct(pct),
            _comparability(lfl, note, notes),
            _pct(lfl_pct),
            _source(source, page, line, report),
        ]
        for (
            company_,
            dim,
            mem,
            basis,
            year,
            value,
            step,
            unit,
            restated,
            pct,
            lfl,
            lfl_pct,
            note,
            report,
            source,
            page,
            line,
        ) in rows
    ]
    split = f"{meta['dimension']}/{meta['member'] or 'every member'}" if meta["dimension"] else "every split"
    if not rows:
        print(f"no figures for {meta['metric_code']} {split}" + (f" of {company}" if company else ""), file=sys.stderr)
        raise typer.Exit(0)
    if meta["dimension"] is None:
        print(f"{meta['metric_code']} is reported only in splits: showing every split", file=sys.stderr)
    print_table(
        f"{meta['metric_code']}: {meta['name_en']} / {meta['name_zh_hans']}",
        [
            Column("company", collapse=True),
            Column("split", collapse=True, fold=True),
            Column("basis", collapse=True),
            Column("year"),
            Column("value", "right"),
            Column("unit", collapse=True, drop=3),
            Column("restated", collapse=True),
            Column("change", "right", drop=2),
            Column("comparable"),
            Column("lfl change", "right", drop=4),
            Column("source", fold=True),
        ],
        out,
        notes=[f"[{i}] {n}" for i, n in enumerate(notes, 1)],
    )


@app.command("compare")
def compare_cmd(
    metric: str = typer.Argument(..., help="metric_code, e.g. ghg_scope1, in any case (see `esgwh metrics`)"),
    year: int = typer.Option(..., "--year", "-y", help="Fiscal year (named by the year it ends in)."),
    dimension: str | None = typer.Option(None, "--dimension", "-d", help="A split (default: the total)."),
    member: str | None = typer.Option(None, "--member", "-m", help="One member of the split (default: all)."),
    warehouse: Path | None = WarehouseOption,
    workspace: Path | None = WorkspaceOption,
) -> None:
    """One metric and year, every company side by side, with units, like-for-like flags and
    sources; companies are ranked only against peers on the same basis and unit."""
    from .analyst import compare
    from .terminal import Column, cell, print_table

    meta, rows = _read("compare", _warehouse(warehouse, workspace), compare, metric, year, dimension, member)
    notes: list[str] = []
    out = [
        [
            mem,
            basis,
            unit,
            f"{rank} of {n}",
            company,
            cell(value, step),
            _pct(pct),
            _comparability(lfl, note, notes),
            report,
            _source(source, page, line, report),
        ]
        for (basis, unit, rank, n, company, value, step, pct, lfl, note, report, source, page, line, mem) in rows
    ]
    split = f"{meta['dimension']}/{meta['member'] or 'every member'}"
    if not rows:
        years = " ".join(map(str, meta["years"])) or "none"
        print(
            f"no company has a figure for {meta['metric_code']} {split} in {year}; years with figures: {years}",
            file=sys.stderr,
        )
        raise typer.Exit(0)
    print_table(
        f"{meta['metric_code']} in {year}: {meta['name_en']} / {meta['name_zh_hans']}",
        [
            Column("member", collapse=True),
            Column("basis", collapse=True),
            Column("unit", collapse=True),
            Column("rank"),
            Column("company", fold=True),
            Column("value", "right"),
            Column("change", "right", drop=2),
            Column("comparable"),
            Column("report", drop=1),
            Column("source", fold=True),
        ],
        out,
        notes=[f"[{i}] {n}" for i, n in enumerate(notes, 1)],
    )


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"


@app.command("query")
def query_cmd(
    sql: str = typer.Argument(..., help="SQL to run read-only against the warehouse"),
    warehouse: Path | None = WarehouseOption,
    workspace: Path | None = WorkspaceOption,
    fmt: QueryFormat = typer.Option(
        QueryFormat.table,
        "--format",
        "-f",
        case_sensitive=False,
        help="table (fitted to the terminal), csv, json (one array) or jsonl "
        "(one object per line); csv and JSON keep full precision.",
    ),
) -> None:
    """Run a read-only SQL query: the warehouse's tables only (no file, extension or setting can be
    reached from it)."""
    import duckdb

    from .analyst import query
    from .terminal import Column, cell, print_table, write_rows

    with _open(_warehouse(warehouse, workspace), sandbox=True) as con:
        try:
            columns, rows = query(con, sql)
        except ValueError as exc:
            print(f"esgwh query: {exc}", file=sys.stderr)
            raise typer.Exit(2) from None
        except duckdb.Error as exc:
            print(f"esgwh query: {exc}", file=sys.stderr)
            raise typer.Exit(1) from None
    if fmt is QueryFormat.table:
        print_table(
            None,
            [Column(c, fold=True) for c in columns],
            [[cell(v, column=c) for c, v in zip(columns, r)] for r in rows],
            expanded=True,
        )
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=sys.stderr)
    else:
        write_rows(fmt.value, columns, rows)


class ExportFormat(str, Enum):
    csv = "csv"
    parquet = "parquet"
    jsonl = "jsonl"
    both = "both"


def _export_format(value: str) -> str:
    """The export format, or a usage error (exit 2) listing the valid ones; Excel is named as unsupported."""
    choices = [f.value for f in ExportFormat]
    wanted = value.strip().lower()
    if wanted in choices:
        return wanted
    why = (
        " Excel files are not supported (no Excel writer is installed): export csv and open it in Excel."
        if wanted in ("xlsx", "xls", "excel")
        else ""
    )
    raise typer.BadParameter(f"{value!r} is not one of {', '.join(repr(c) for c in choices)}.{why}")


Mart = Enum("Mart", {m: m for m in MARTS}, type=str)  # type: ignore[misc]  # members from MARTS, for typer's choices


@app.command("export")
def export_cmd(
    out: Path = typer.Option(Path("export"), "--out", "-o", help="Folder to write into."),
    fmt: str = typer.Option(
        "both",
        "--format",
        "-f",
        callback=_export_format,
        help="csv, parquet, jsonl (one JSON object per line), or both (csv and parquet). "
        "Excel: open the CSV (no Excel writer is installed).",
    ),
    mart: list[Mart] | None = typer.Option(None, "--mart", case_sensitive=False, help="Only these marts (repeatable)."),
    company: str | None = typer.Option(
        None, "--company", callback=_company_option, help="Only this company's rows (id or name)."
    ),
    warehouse: Path | None = WarehouseOption,
    workspace: Path | None = WorkspaceOption,
) -> None:
    """Export the marts to CSV, Parquet or JSON lines files (full precision, true/false)."""
    from rich.progress import Progress

    from .analyst import export

    formats = ["csv", "parquet"] if fmt == ExportFormat.both.value else [fmt]
    marts = [m.value for m in mart] if mart else None
    total = len(marts or MARTS) * len(formats)
    with _open(_warehouse(warehouse, workspace)) as con, Progress(transient=True) as progress:
        task = progress.add_task("exporting marts", total=total)
        try:
            written = export(con, out, formats, marts, progress=lambda: progress.advance(task), company=company)
        except KeyError as exc:
            print(f"esgwh export: {exc.args[0]}", file=sys.stderr)
            raise typer.Exit(2) from None
    for path in written:
        _log(f"wrote {path}")


@app.command("report")
def report_cmd(
    out: Path = typer.Option(Path("esg_report.html"), "--out", "-o", help="HTML file to write."),
    company: str | None = typer.Option(
        None,
        "--company",
        callback=_company_option,
        help="The company (id or name); needed when the warehouse holds several.",
    ),
    warehouse: Path | None = WarehouseOption,
    workspace: Path | None = WorkspaceOption,
) -> None:
    """Write a static HTML page for one company with a chart per family (emissions, PUE, headcount,
    turnover, donations) over the years its reports state."""
    from .report import ReportError, render

    target = _warehouse(warehouse, workspace)
    if not target.exists():
        print(f"esgwh: {target} does not exist: run `esgwh build` first", file=sys.stderr)
        raise typer.Exit(2)
    try:
        _log(f"wrote {render(target, out, company)}")
    except ReportError as exc:
        print(f"esgwh report: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None


@app.command("docs")
def docs_cmd(
    warehouse: Path | None = WarehouseOption,
    workspace: Path | None = WorkspaceOption,
    out: Path = typer.Option(Path("dbt-docs"), "--out", "-o", help="Folder for the static docs site."),
) -> None:
    """Generate the dbt docs site (models, columns, tests, lineage from raw to marts) as static files."""
    from .dbt import run_dbt

    with _scratch_copy(_warehouse(warehouse, workspace), "docs") as (copy, tmp):
        # dbt opens the file read-write to read its catalog: work on a copy, never on the live file.
        outcome = run_dbt(["docs", "generate", "--static"], copy, tmp)
        if not outcome.success:
            print(f"esgwh docs: dbt docs generate failed: {outcome.error or outcome.failures}", file=sys.stderr)
            raise typer.Exit(1)
        out.mkdir(parents=True, exist_ok=True)
        for name in ("static_index.html", "index.html", "catalog.json", "manifest.json"):
            src = tmp / "target" / name
            if src.exists():
                shutil.copyfile(src, out / name)
    _log(f"wrote {out / 'static_index.html'} (open it in a browser: one file, no server needed)")


@contextmanager
def _scratch_copy(target: Path, command: str) -> Iterator[tuple[Path, Path]]:
    """(copy, folder): a copy of a built warehouse in a scratch folder beside it, for dbt commands
    that write into the file they read; the live file is never opened read-write. Exit 2 when
    there is no built warehouse there, 1 when the folder cannot be written."""
    import duckdb

    if not target.is_file():
        print(f"esgwh {command}: {target} is no warehouse file: run `esgwh build` first", file=sys.stderr)
        raise typer.Exit(2)
    try:
        con = duckdb.connect(str(target), read_only=True)
        try:
            built = con.execute(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'marts'"
            ).fetchone()
        finally:
            con.close()
    except duckdb.Error as exc:
        print(f"esgwh {command}: {target} is not a DuckDB warehouse ({exc})", file=sys.stderr)
        raise typer.Exit(2) from None
    if not built or not built[0]:
        print(f"esgwh {command}: {target} holds no built marts: run `esgwh build` first", file=sys.stderr)
        raise typer.Exit(2)
    try:
        scratch = tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{command}-")
    except OSError as exc:
        print(f"esgwh {command}: cannot write beside {target}: {exc.strerror or exc}", file=sys.stderr)
        raise typer.Exit(1) from None
    with scratch as tmp:
        copy = Path(tmp) / target.name
        shutil.copyfile(target, copy)
        yield copy, Path(tmp)


@app.command("unit-tests")
def unit_tests_cmd(
    warehouse: Path | None = WarehouseOption,
    workspace: Path | None = WorkspaceOption,
) -> None:
    """Run the dbt unit tests of the models' logic (fixed inputs, expected rows) on a copy of the
    warehouse; `esgwh build` runs the data tests only. For whoever changes a model."""
    from .dbt import UNIT_TESTS, run_dbt

    # dbt reads the models' columns from the warehouse and writes scratch tables there
    with _scratch_copy(_warehouse(warehouse, workspace), "unit-tests") as (copy, tmp):
        outcome = run_dbt(UNIT_TESTS, copy, tmp)
    passed = outcome.counts.get("pass", 0)
    if not outcome.success or not passed:
        detail = "; ".join(outcome.failures) or outcome.error or "no unit test ran"
        print(
            f"esgwh unit-tests: {detail}\n(the unit tests read the models' columns from the last build: "
            "after changing a model's columns, build first)",
            file=sys.stderr,
        )
        raise typer.Exit(1)
    _log(f"{passed} dbt unit test(s) passed")


@app.command("coverage")
def coverage_cmd(
    warehouse: Path | None = typer.Option(
        None,
        "--warehouse",
        "-w",
        envvar="ESGWH_WAREHOUSE",
        help="also show the figures each report's last build mapped",
    ),
    workspace: Path | None = WorkspaceOption,
) -> None:
    """Per report: tables found by reader, cells extracted, rows quarantined, footnote/highlight/prose
    figures, and (from the warehouse) figures mapped to a metric; a report with none is flagged."""
    from .coverage import coverage
    from .terminal import Column, print_table

    ws = _workspace(workspace)
    rows = coverage(ws.reports, warehouse or ws.warehouse)
    numbers = [
        "tables",
        "table rows",
        "cells",
        "not reported",
        "rows quarantined",
        "notes",
        "footnote figures",
        "highlight figures",
        "prose figures",
        "other quarantined",
        "unaccounted rows",
        "mapped",
    ]
    print_table(
        "What the loaders find in each report",
        [Column("report", fold=True, cap=40), *(Column(n, "right", fold=True, cap=6) for n in numbers)],
        [
            [
                c.file_name,
                str(c.tables),
                str(c.table_rows),
                str(c.cells),
                str(c.cells_not_reported),
                str(c.rows_quarantined),
                str(c.notes),
                str(c.footnote_figures),
                str(c.highlight_figures),
                str(c.prose_figures),
                str(c.other_quarantined),
                str(c.rows_unaccounted),
                "—" if c.mapped_figures is None else str(c.mapped_figures),
            ]
            for c in rows
        ],
        expanded=True,
    )
    for c in rows:
        if c.readers:
            print(f"{c.file_name}: tables by reader: " + ", ".join(f"{k} {v}" for k, v in sorted(c.readers.items())))
        if c.quarantine_reasons:
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(c.quarantine_reasons.items()))
            print(f"{c.file_name}: quarantined by reason: {reasons}")
        if c.mapped_figures == 0:
            print(f"{c.file_name}: WARNING: no figure maps to a metric (see marts.mart_extraction_issues)")
    if any(c.rows_unaccounted for c in rows):
        raise typer.Exit(1)


@app.command("init")
def init_cmd(folder: Path = typer.Argument(..., help="The folder for the new workspace (created if missing).")) -> None:
    """A new workspace: esgwh.toml, reports/ with an empty manifest.csv; the warehouse is built there."""
    from .workspace import init_workspace

    try:
        ws = init_workspace(folder)
    except WorkspaceError as exc:
        print(f"esgwh init: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    _log(f"workspace {ws.root}: reports in {ws.reports}, warehouse {ws.warehouse}")
    _log(f"next: cd {ws.root} && esgwh add REPORT.pdf --company NAME --fiscal-years 2021-2023 && esgwh build")


@app.command("add")
def add_cmd(
    file: Path = typer.Argument(..., help="The report: .pdf, .txt, .md or .html."),
    company: str = typer.Option(..., "--company", help="The company, as the marts name it."),
    company_id: str | None = typer.Option(
        None,
        "--company-id",
        help="Stable company id (default: the id its "
        "earlier reports have, else the name lower-case, words joined by _).",
    ),
    fiscal_years: str = typer.Option(
        ...,
        "--fiscal-years",
        help="The fiscal years it reports: 2023, or 2021-2023 (a fiscal year is named by the year it ends in).",
    ),
    published: str | None = typer.Option(
        None, "--published", help="Publication date YYYY-MM-DD (default: a PDF's creation date; a text file needs it)."
    ),
    report_id: str | None = typer.Option(None, "--id", help="Report id (default company_type_year)."),
    report_type: str | None = typer.Option(
        None, "--type", help="ESG, CSR, SR, BRSR, ... (seeds/report_types.csv; default: from the title or file name)."
    ),
    language: str | None = typer.Option(None, "--language", help="BCP 47 tag (default: from the text)."),
    title: str | None = typer.Option(None, "--title", help="Title (default: the PDF's, or the first line)."),
    title_original: str | None = typer.Option(None, "--title-original", help="Title in the report's language."),
    year_end_month: int = typer.Option(
        12, "--fiscal-year-end-month", min=1, max=12, help="Month the fiscal year ends (3 for April-March)."
    ),
    workspace: Path | None = WorkspaceOption,
) -> None:
    """Copy a report into the workspace and register it in the manifest (SHA-256 computed, a PDF's
    text extracted now); then `esgwh build` loads it."""
    from loaders.errors import LoaderError

    from .add import AddOptions, add_report

    ws = _workspace(workspace)
    try:
        added = add_report(
            ws,
            file,
            AddOptions(
                company,
                fiscal_years,
                published,
                report_id,
                report_type,
                language,
                title,
                title_original,
                year_end_month,
                company_id,
            ),
        )
    except LoaderError as exc:
        print(f"esgwh add: {exc}", file=sys.stderr)
        print(f"esgwh add: nothing was added to {ws.reports}.", file=sys.stderr)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    r = added.row
    _log(
        f"added {r['report_id']}: {r['company']}, {r['report_type']} {r['fiscal_year_start']}-{r['fiscal_year_end']}, "
        f"{r['language']}, published {r['publication_date']} -> {ws.reports / r['file_name']}"
    )
    for what in added.inferred:
        _log(f"  inferred {what}; edit the manifest row if it is wrong")
    if added.pages:
        _log(f"  {added.pages} pages; text extracted to {r['file_name']}.txt")
    if added.pages_without_text:
        _log(
            f"  [warning] page(s) {', '.join(map(str, added.pages_without_text))} have no text layer (scanned?): "
            "nothing can be read from them"
        )
    _log("next: esgwh build")


@app.command("example")
def example_cmd() -> None:
    """Regenerate warehouse.duckdb.example (a fresh build from the bundled reports); the file is
    rewritten only when its content changed."""
    from .example import publish_example

    root = project_dir()
    dest = root / f"{DEFAULT_WAREHOUSE}.example"
    with tempfile.TemporaryDirectory(dir=root, prefix=".example-") as tmp:
        fresh = Path(tmp) / DEFAULT_WAREHOUSE
        try:
            build(fresh, log=_log, reports=root / "data" / "reports")
        except BuildFailed as exc:
            print(f"esgwh example: FAILED at {exc.step}: {exc.message}", file=sys.stderr)
            raise typer.Exit(exc.exit_code) from None
        written = publish_example(fresh, dest)
    _log(
        f"esgwh example: wrote {dest}"
        if written
        else f"esgwh example: {dest} unchanged (it holds this build's content already)"
    )


def main() -> None:
    import logging

    # A handler that cannot write (a full disk under dbt's log file) must not print a traceback per
    # log line: the build reports the failure once, with its cause.
    logging.raiseExceptions = False
    app()


if __name__ == "__main__":
    main()
