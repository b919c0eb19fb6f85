"""One build: migrate, load and dbt-build a working copy, then publish it atomically.

The live warehouse is never written in place. A working copy is built in a sibling folder
(same file name, so DuckDB's catalog name is unchanged). When every step passed it becomes a
release, `.<name>.build/published/<run_id>/<name>`, and the warehouse path, a symbolic link, is
swapped to it with os.replace. A new name per build matters: DuckDB resolves the link, and a
process that still has the previous build open gets a fresh database for a new connection
instead of its cached instance of the old file (a long-lived BI server would otherwise keep
serving the old build while any of its queries overlap). Readers holding a release keep their
snapshot, also after it is pruned (the last KEPT_RELEASES stay). A lock on the sibling folder
makes a second concurrent build refuse.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from loaders.atomic import write_text_atomically
from loaders.errors import LoaderError
from loaders.load import LoadResult, VerifiedReports, load_reports, verify_reports
from loaders.verified_hashes import FILE_NAME as VERIFIED_HASHES
from loaders.vocabulary import PROSE_TOPICS_SEED, topics_with

from . import audit, migrate
from .dbt import BUILD, run_dbt
from .project import code_version, warehouse_path
from .seeds import merged_project, workspace_seeds
from .workspace import find_workspace

# Fault injection for the crash tests: ESGWH_PAUSE_AT=<point> makes the build announce the point on
# stdout and sleep there, so a test can SIGKILL it at a known place. Unset, it costs nothing.
PAUSE_ENV = "ESGWH_PAUSE_AT"


def pause_point(name: str, log: Callable[[str], None] = print) -> None:
    if os.environ.get(PAUSE_ENV) == name:
        log(f"[pause] at {name} (pid {os.getpid()})")
        time.sleep(600)


# Exit codes (documented in the README for schedulers).
EXIT_OK = 0
EXIT_FAILED = 1  # a step failed (migration, dbt model or data test); live warehouse untouched
EXIT_BAD_INPUT = 3  # a report or the manifest was refused; live warehouse untouched
EXIT_LOCKED = 75  # another build holds the lock (EX_TEMPFAIL: try again later)


class BuildFailed(Exception):
    def __init__(self, step: str, message: str, exit_code: int = EXIT_FAILED):
        self.step, self.message, self.exit_code = step, message, exit_code
        super().__init__(f"{step}: {message}")


@dataclass
class BuildReport:
    warehouse: Path
    steps: dict[str, float] = field(default_factory=dict)  # step -> seconds
    load: LoadResult | None = None
    dbt_counts: dict[str, int] = field(default_factory=dict)
    status: str = "published"  # published | nothing_new
    dbt_project: Path | None = None  # the project dbt ran: a copy carrying workspace seed rows, or None


def work_dir_for(warehouse: Path) -> Path:
    return warehouse.parent / f".{warehouse.name}.build"


@contextmanager
def build_lock(work_dir: Path) -> Iterator[None]:
    """The lock is taken on the build folder itself, not on a file in it: deleting build.lock (which
    only says who holds the lock) cannot let a second build in to remove the first's working copy."""
    try:
        work_dir.mkdir(parents=True, exist_ok=True)
        dir_fd = os.open(work_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        # a read-only, missing or full folder: say which and why, no traceback
        raise BuildFailed(
            "lock",
            f"cannot write the build folder {work_dir} beside the warehouse: "
            f"{exc.strerror or exc}; choose a writable place with --warehouse",
            EXIT_FAILED,
        ) from None
    try:
        try:
            fcntl.flock(dir_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = (
                (work_dir / "build.lock").read_text(encoding="utf-8", errors="replace").strip()
                if (work_dir / "build.lock").exists()
                else "a process"
            )
            raise BuildFailed(
                "lock",
                f"another build of {work_dir.parent / work_dir.name[1:-6]} is running "
                f"({holder or 'a process'} holds the lock on {work_dir}); this one refuses to start",
                EXIT_LOCKED,
            ) from None
        try:
            (work_dir / "build.lock").write_text(
                f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}\n", encoding="utf-8"
            )
        except OSError as exc:
            raise BuildFailed("lock", f"cannot write the build folder {work_dir}: {exc.strerror or exc}") from None
        yield
    finally:
        os.close(dir_fd)  # the kernel drops the lock with the descriptor, also when the process is killed


def build(
    warehouse: Path,
    jobs: int = 1,
    log: Callable[[str], None] = print,
    force: bool = False,
    target: str = "duckdb",
    reports: Path | None = None,
    seeds: Path | None = None,
) -> BuildReport:
    """Build `warehouse` from the reports folder `reports` and the workspace seed rows in `seeds`
    (default: the workspace's, found from the current folder)."""
    warehouse = warehouse_path(warehouse)
    if reports is None:
        workspace = find_workspace()
        reports, seeds = workspace.reports, workspace.seeds
    reports = reports.resolve()
    work_dir = work_dir_for(warehouse)
    report = BuildReport(warehouse)
    try:
        with build_lock(work_dir):
            _build_with_lock(warehouse, work_dir, report, jobs, log, force, target, reports, seeds)
    except BuildFailed as exc:
        if exc.step == "lock" and exc.exit_code == EXIT_LOCKED:
            _record_refused(work_dir, warehouse, exc)
        raise
    return report


def _new_run(warehouse: Path) -> audit.RunRecord:
    # UTC: run ids sort by time (releases are pruned by name) whatever the machine's time zone
    return audit.RunRecord(
        run_id=f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{os.getpid()}",
        started_at=audit.now(),
        warehouse=str(warehouse),
        code_version=code_version(),
        fingerprint="",
    )


def _build_with_lock(warehouse, work_dir, report, jobs, log, force, target, reports, seeds) -> None:
    sidecar = work_dir / "runs.duckdb"
    run = _new_run(warehouse)
    try:
        _build_locked(warehouse, work_dir, sidecar, run, report, jobs, log, force, reports, seeds)
        if target == "postgres":
            with _step(report, "postgres", log) as note:
                from .postgres import build_postgres

                build_postgres(warehouse, work_dir, log, report.dbt_project)
                note("PostgreSQL target built from the warehouse's raw data")
        elif target == "spark":
            with _step(report, "spark", log) as note:
                from .spark import build_spark

                build_spark(warehouse, work_dir, log, report.dbt_project)
                note("Spark target built from the warehouse's raw data")
    except BuildFailed as exc:
        run.status, run.exit_code, run.message = "failed", exc.exit_code, f"{exc.step}: {exc.message}"
        run.step_seconds = report.steps
        run.finished_at = audit.now()
        audit.record(sidecar, run)
        raise


def _record_refused(work_dir: Path, warehouse: Path, exc: BuildFailed) -> None:
    """A build refused because another holds the lock is in the history too (best effort: the
    history file may be busy with the running build's own record for a moment)."""
    run = _new_run(warehouse)
    run.status, run.exit_code, run.message, run.finished_at = (
        "refused",
        exc.exit_code,
        f"{exc.step}: {exc.message}",
        audit.now(),
    )
    for _ in range(20):
        try:
            audit.record(work_dir / "runs.duckdb", run)
            return
        except duckdb.Error:
            time.sleep(0.1)


def _build_locked(warehouse, work_dir, sidecar, run, report, jobs, log, force, reports_dir, seeds_dir) -> None:
    with _step(report, "check", log) as note:
        kept_releases()
        # the only read of the report files in a build, and only of those changed since last verified
        reports = verify_reports(reports_dir, work_dir / VERIFIED_HASHES, trust=not force)
        seed_files = workspace_seeds(seeds_dir) if seeds_dir else []
        # the workspace's own prose topics are read by the loaders too, not only loaded by dbt
        own_topics = next((p for p in seed_files if p.name == PROSE_TOPICS_SEED.name), None)
        prose_topics = topics_with(own_topics) if own_topics else None
        run.fingerprint = audit.fingerprint(reports_dir, seed_files)
        nothing_new = (
            not force and warehouse.exists() and audit.last_published_fingerprint(warehouse) == run.fingerprint
        )
        note(
            "nothing new since the last published build (same reports, parser, migrations and dbt "
            "project); the warehouse is unchanged"
            if nothing_new
            else f"{len(reports.entries)} report(s) match the manifest"
        )
        note(f"{reports.hashed} hashed, {reports.unchanged} unchanged since last verified")
    if nothing_new:
        report.status = run.status = "nothing_new"
        run.exit_code, run.finished_at = EXIT_OK, audit.now()
        audit.record(sidecar, run)
        return
    work = work_dir / warehouse.name
    _remove_db(work)  # leftovers of a killed build
    try:
        with _step(report, "prepare", log) as note:
            _prepare_copy(warehouse, work)
            note(f"working copy {work} ({'from the live warehouse' if warehouse.exists() else 'new'})")
        with _step(report, "migrate", log) as note:
            migrate.upgrade(work)
            note("raw schema at head")
        with _step(report, "load", log) as note:
            report.load = _load(work, reports, jobs, log, prose_topics)
            note(_describe_load(report.load))
        with _step(report, "dbt", log) as note:
            pause_point("dbt", log)
            if seed_files:
                report.dbt_project, overridden = merged_project(seed_files, work_dir)
                log(
                    f"[dbt] workspace seed rows added: {', '.join(p.name for p in seed_files)}"
                    + (f"; they replace package rows ({'; '.join(overridden)})" if overridden else "")
                )
            transform = audit.transform_fingerprint(report.dbt_project)
            refresh = _full_refresh_reason(warehouse, work_dir, transform, force)
            log(f"[dbt] full refresh: {refresh}" if refresh else "[dbt] incremental: the documents the models lack")
            outcome = run_dbt(
                BUILD if refresh is None else [*BUILD, "--full-refresh"], work, work_dir, report.dbt_project
            )
            report.dbt_counts = outcome.counts
            if not outcome.success:
                for test, rows in outcome.failing_rows.items():
                    log(f"[dbt] {test} returned: " + "; ".join(map(str, rows)))
                detail = "; ".join(outcome.failures[:10]) or outcome.error or "see the dbt log"
                raise BuildFailed("dbt", f"dbt build failed: {detail} (log: {work_dir / 'logs'})")
            note("dbt build passed: " + ", ".join(f"{n} {s}" for s, n in sorted(outcome.counts.items())))
            for test, (n, rows) in sorted(outcome.warnings.items()):
                # a check that could not run everywhere says where (parts_sum_to_whole missing_parts)
                log(f"[dbt] warn {test}: {n} row(s), e.g. " + "; ".join(map(str, rows[:3])))
        if report.load and report.load.loaded:
            _report_new_documents(work, report.load, log)
        for rid in report.load.unlisted if report.load else []:
            log(
                f"[warning] {rid} is served but no longer listed in the manifest; to stop serving it, add it to "
                f"data/reports/retired.csv (report_id, retired_on, reason)"
            )
        with _step(report, "publish", log) as note:
            run.status, run.exit_code, run.finished_at = "published", EXIT_OK, audit.now()
            run.step_seconds = dict(report.steps)
            run.dbt_results = report.dbt_counts
            if report.load:
                run.reports = {
                    d.report_id: {
                        "status": d.status,
                        "figures": d.figures,
                        "quarantined": d.quarantined,
                        "mapped": d.mapped,
                    }
                    for d in report.load.documents
                }
                run.figures_loaded = sum(d.figures for d in report.load.loaded)
            # the published file carries its own run as published; the history beside it says
            # `publishing` until the file is in place, so a run killed in between never reads as published
            audit.record(sidecar, run)
            audit.copy_into(sidecar, work)
            run.status = "publishing"
            audit.record(sidecar, run)
            _publish(work, warehouse, run.run_id, log)
            _keep_transform_state(work_dir, transform, run.run_id)
            run.status = "published"
            audit.record(sidecar, run)
            note(f"published {warehouse}")
    finally:
        _remove_db(work)


@contextmanager
def _step(report: BuildReport, name: str, log: Callable[[str], None]):
    started = time.monotonic()
    notes: list[str] = []
    try:
        yield notes.append
    except BuildFailed:
        log(f"[{name}] FAILED after {time.monotonic() - started:.1f}s")
        raise
    except LoaderError as exc:
        log(f"[{name}] FAILED after {time.monotonic() - started:.1f}s")
        raise BuildFailed(name, str(exc), EXIT_BAD_INPUT) from exc
    except Exception as exc:
        log(f"[{name}] FAILED after {time.monotonic() - started:.1f}s")
        raise BuildFailed(name, f"{type(exc).__name__}: {exc}") from exc
    report.steps[name] = time.monotonic() - started
    log(f"[{name}] ok {report.steps[name]:.1f}s: {'; '.join(notes)}")


# Files must stay readable by the DuckDB 1.x drivers BI tools bundle, whatever duckdb builds them.
STORAGE_COMPATIBILITY = "v1.0.0"


def _prepare_copy(live: Path, work: Path) -> None:
    if not live.exists():
        duckdb.connect(str(work), config={"storage_compatibility_version": STORAGE_COMPATIBILITY}).close()
        return
    current = Path(os.path.realpath(live))  # the release the link points at
    wal = current.with_name(current.name + ".wal")
    if wal.exists():
        raise BuildFailed(
            "prepare",
            f"{wal} exists: a process has {live} open read-write (or crashed while it had). "
            "Close it (BI tools must open the warehouse read-only) and build again.",
        )
    refuse_if_held_read_write(live, "prepare")
    shutil.copyfile(live, work)


def refuse_if_held_read_write(live: Path, step: str) -> None:
    """A process holding the live file read-write (DuckDB's exclusive file lock) would have it
    replaced under it, checkpointed or not: ask DuckDB for a read-only lock and refuse if it is held."""
    if not live.exists():
        return
    try:
        duckdb.connect(str(live), read_only=True).close()
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        holder = re.search(r"held in (.*?)(?: \(PID (\d+)\))", str(exc))
        who = f"{holder.group(1)} (pid {holder.group(2)})" if holder else "another process"
        raise BuildFailed(
            step,
            f"{who} has {live} open read-write; the build would replace the file under it. "
            "Close it (BI tools must open the warehouse read-only) and build again.",
        ) from None


def _load(
    work: Path,
    reports: VerifiedReports,
    jobs: int,
    log: Callable[[str], None],
    prose_topics: tuple[str, ...] | None = None,
) -> LoadResult:
    import sys

    from rich.progress import Progress

    con = duckdb.connect(str(work))
    # A progress bar on a terminal; schedulers' logs get the step lines only.
    with Progress(transient=True, disable=not sys.stdout.isatty()) as progress:
        task = progress.add_task("loading reports", total=None)

        def after_document() -> None:
            progress.advance(task)
            pause_point("load", log)

        try:
            return load_reports(
                con, reports, code_version(), jobs=jobs, after_document=after_document, prose_topics=prose_topics
            )
        finally:
            con.close()


TRANSFORM_STATE = "transform.json"


def _full_refresh_reason(warehouse: Path, work_dir: Path, transform: str, force: bool) -> str | None:
    """Why dbt must rebuild every model from raw, or None when the incremental models may add the
    documents they lack: the live warehouse is the release the last build published, built from
    the same dbt project, seed rows, raw schema, parser and dbt (audit.transform_fingerprint)."""
    if force:
        return "--force"
    if not warehouse.exists():
        return "a new warehouse"
    try:
        kept = json.loads((work_dir / TRANSFORM_STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no record of the last build's models"
    release = Path(os.path.realpath(warehouse)).parent
    if release.parent != (work_dir / "published").resolve() or kept.get("release") != release.name:
        return "the warehouse is not the release the last build published"
    if kept.get("transform") != transform:
        return "the dbt project, seed rows, raw schema, parser or dbt changed"
    return None


def _keep_transform_state(work_dir: Path, transform: str, run_id: str) -> None:
    """What the published release's models were built from (best effort: without it the next
    build refreshes in full)."""
    state = work_dir / TRANSFORM_STATE
    if not write_text_atomically(state, json.dumps({"release": run_id, "transform": transform}) + "\n"):
        with contextlib.suppress(OSError):
            state.unlink()


def _report_new_documents(work: Path, result: LoadResult, log: Callable[[str], None]) -> None:
    """One line per newly loaded report: figures, quarantined rows, figures mapped to a metric; a
    warning for a report none of whose figures maps (nothing may go unnoticed)."""
    con = duckdb.connect(str(work), read_only=True)
    try:
        mapped = dict(
            con.execute(
                "SELECT report_id, count(*) FROM intermediate.int_figures_dated WHERE mapping_status = 'mapped' "
                "AND fiscal_year IS NOT NULL GROUP BY report_id"
            ).fetchall()
        )
    finally:
        con.close()
    for d in result.loaded:
        d.mapped = mapped.get(d.report_id, 0)
        log(
            f"[report] {d.report_id}: {d.figures} figures, {d.quarantined} quarantined, {d.tables} tables; "
            f"{d.mapped} mapped to metrics"
        )
        if d.mapped == 0:
            log(
                f"[warning] {d.report_id} ({d.file_name}): no figure of this report maps to a metric. What the "
                "loaders found and why it was not used is in marts.mart_extraction_issues (esgwh coverage); "
                "map its labels in seeds/label_aliases.csv"
            )
        if d.pages_without_text:
            pages = ", ".join(map(str, d.pages_without_text))
            log(
                f"[warning] {d.report_id} ({d.file_name}): page(s) {pages} of {d.pages} have no text layer (scanned?): "
                "nothing was read from them (there is no OCR engine here)"
            )


def _describe_load(result: LoadResult) -> str:
    loaded = result.loaded
    unchanged = len(result.documents) - len(loaded)
    parts = [f"{len(result.documents)} report(s): {len(loaded)} loaded, {unchanged} unchanged"]
    if loaded:
        parts.append(f"{sum(d.figures for d in loaded)} figures, {sum(d.quarantined for d in loaded)} quarantined")
    return "; ".join(parts)


KEPT_RELEASES = 3  # the published build and the two before it (readers may still hold them)


def kept_releases() -> int:
    """ESGWH_KEPT_RELEASES (a whole number, at least 1), else KEPT_RELEASES: a large warehouse may
    keep fewer copies. Anything else is refused before the build starts."""
    value = os.environ.get("ESGWH_KEPT_RELEASES", "").strip()
    if not value:
        return KEPT_RELEASES
    if not value.isdigit() or int(value) < 1:
        raise BuildFailed(
            "check",
            f"ESGWH_KEPT_RELEASES must be a whole number of builds to keep, at least 1, not {value!r}",
            EXIT_BAD_INPUT,
        )
    return int(value)


def _publish(work: Path, live: Path, run_id: str, log: Callable[[str], None] = print) -> None:
    con = duckdb.connect(str(work))
    try:
        con.execute("CHECKPOINT")
    finally:
        con.close()
    pause_point("publish", log)
    refuse_if_held_read_write(live, "publish")
    if work.with_name(work.name + ".wal").exists():
        raise BuildFailed("publish", f"{work}.wal still exists after CHECKPOINT; refusing to publish")
    with open(work, "rb") as fh:
        os.fsync(fh.fileno())
    releases = work.parent / "published"
    release = releases / run_id / live.name
    release.parent.mkdir(parents=True, exist_ok=True)
    os.replace(work, release)
    link = live.with_name(f".{live.name}.{os.getpid()}.link")
    try:
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(os.path.relpath(release, live.parent), link)
    except OSError:  # no symbolic links here (some file systems): the file itself is swapped in
        os.replace(release, live)
    else:
        os.replace(link, live)
    _fsync_dir(live.parent)
    prune_releases(releases, keep=kept_releases(), current=release.parent)


def prune_releases(releases: Path, keep: int, current: Path) -> list[Path]:
    """Remove all but the newest `keep` releases (run ids sort by time); the current one always stays.
    A reader that has a removed release open keeps reading it: the file goes when it closes."""
    found = sorted((p for p in releases.iterdir() if p.is_dir()), key=lambda p: p.name) if releases.is_dir() else []
    stale = [p for p in found[:-keep] if p != current] if keep else [p for p in found if p != current]
    for path in stale:
        shutil.rmtree(path, ignore_errors=True)
    return stale


def _fsync_dir(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        if p.exists():
            p.unlink()
