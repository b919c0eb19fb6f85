"""Loading the registered reports into raw: verify, skip what is loaded, parse, store."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

import duckdb

import loaders

from .errors import ManifestError
from .manifest import (
    DESCRIPTION_FIELDS,
    MANIFEST_NAME,
    ReportEntry,
    Retirement,
    read_manifest,
    read_retired,
    read_verified_bytes,
)
from .model import ParsedDocument
from .parse import parse_document
from .pdf import Extraction, extractor_name, is_pdf, text_beside
from .store import BATCH_DOCUMENTS, BatchWriter, DocumentRows, document_rows, finish_run, loaded_hashes, start_run
from .text import DocumentContext, decode_lines
from .verified_hashes import VerifiedHashes
from .vocabulary import reading_digest


@dataclass
class DocumentResult:
    report_id: str
    file_name: str
    status: str  # loaded | unchanged
    figures: int = 0
    quarantined: int = 0
    tables: int = 0
    mapped: int | None = None  # figures mapped to a metric (known after dbt)
    pages: int | None = None  # a PDF's page count
    pages_without_text: tuple[int, ...] = ()  # a PDF's pages with no text layer (nothing read there)


@dataclass
class LoadResult:
    load_run_id: int | None
    documents: list[DocumentResult] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)  # served, but no longer in the manifest

    @property
    def loaded(self) -> list[DocumentResult]:
        return [d for d in self.documents if d.status == "loaded"]


def parse_bytes(data: bytes, file_name: str, context: DocumentContext | None = None) -> ParsedDocument:
    return parse_document(decode_lines(data, file_name), file_name, context)


def context_of(entry: ReportEntry, prose_topics: tuple[str, ...] | None = None) -> DocumentContext:
    return DocumentContext(entry.fiscal_year_start, entry.fiscal_year_end, entry.language, prose_topics)


def parser_version_of(entry: ReportEntry, prose_topics: tuple[str, ...] | None = None) -> str:
    """The version a report is loaded under: the parser's, with a fingerprint of its manifest row
    (the fiscal years relative headers resolve to, the language, and the metadata the marts use:
    company, titles, type, publication date, which decides the newest report), so that an edit
    of the row loads the report again as a new document version and the load history says so; and
    with the digest of the words the readers load from seeds, so that an edit there reads it again."""
    told = "\x1f".join(
        [
            *(str(getattr(entry, f)) for f in DESCRIPTION_FIELDS),
            # A PDF is read through its extracted text: a new extractor is a new reading.
            extractor_name() if is_pdf(entry.file_name) else "",
            # the words the readers load from seeds (prose topics): an edit there is a new reading
            reading_digest(prose_topics),
        ]
    )
    return f"{loaders.PARSER_VERSION}+{hashlib.sha256(told.encode('utf-8')).hexdigest()[:8]}"


def parse_entry(
    data: bytes, entry: ReportEntry, prose_topics: tuple[str, ...] | None = None
) -> tuple[ParsedDocument, Extraction | None]:
    """Parse one registered report; a PDF through the text beside it (extracted now if missing or
    stale), whose name is then the file its figures' lines count in. `prose_topics`: the
    workspace's topic words (vocabulary.topics_with), else the package's."""
    if not is_pdf(entry.file_name):
        return parse_bytes(data, entry.file_name, context_of(entry, prose_topics)), None
    text_file, text, extraction = text_beside(entry.path, data)
    return parse_bytes(text, text_file.name, context_of(entry, prose_topics)), extraction


def _read_and_tabulate(
    entry: ReportEntry, prose_topics: tuple[str, ...] | None
) -> tuple[DocumentRows, Extraction | None]:
    """One report as raw rows, in a worker: read (hash-checked again: what is parsed is what was
    verified), parsed, and turned into Arrow tables, so that the parent only stores."""
    data = read_verified_bytes(entry)
    doc, extraction = parse_entry(data, entry, prose_topics)
    return document_rows(doc, entry.language, len(data)), extraction


# Reports in flight per worker: enough to keep every worker busy, few enough to bound memory.
IN_FLIGHT_PER_JOB = 4


def _tabulated(
    todo: list[ReportEntry], jobs: int, prose_topics: tuple[str, ...] | None
) -> Iterator[tuple[ReportEntry, DocumentRows, Extraction | None]]:
    """The reports' rows in manifest order, parsed in `jobs` processes as a stream: at most
    IN_FLIGHT_PER_JOB reports per worker wait to be stored, however many there are."""
    if jobs <= 1 or len(todo) <= 1:
        for entry in todo:
            yield (entry, *_read_and_tabulate(entry, prose_topics))
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending = iter(todo)
        window: deque = deque()
        for entry in islice(pending, jobs * IN_FLIGHT_PER_JOB):
            window.append((entry, pool.submit(_read_and_tabulate, entry, prose_topics)))
        while window:
            entry, future = window.popleft()
            rows, extraction = future.result()
            if (following := next(pending, None)) is not None:
                window.append((following, pool.submit(_read_and_tabulate, following, prose_topics)))
            yield entry, rows, extraction


@dataclass
class VerifiedReports:
    """The manifest's reports, each file checked against its SHA-256, and the reports retired
    from service. The bytes are not kept (memory would grow with the corpus): the load reads each
    report again and checks it again, so a file changed since is refused, not parsed."""

    entries: list[ReportEntry]
    retired: list[Retirement] = field(default_factory=list)
    manifest: str = ""
    hashed: int = 0  # files read and hashed; the others were unchanged since last verified
    unchanged: int = 0


def verify_reports(data_dir: Path, hashes_file: Path | None = None, trust: bool = True) -> VerifiedReports:
    """Every manifest report checked against its SHA-256. With `hashes_file`, a file whose
    signature (inode, size, times) is as it was when last found to match is not read again."""
    entries = read_manifest(data_dir)
    hashes = VerifiedHashes(hashes_file, trust)
    for e in entries:
        hashes.verify(e)
    hashes.save()
    return VerifiedReports(
        entries, read_retired(data_dir, entries), str(data_dir / MANIFEST_NAME), hashes.hashed, hashes.unchanged
    )


def _sync_retired(con: duckdb.DuckDBPyConnection, retired: list[Retirement]) -> None:
    """raw.retired_reports as retired.csv says (a report taken off the list is served again)."""
    con.execute("DELETE FROM raw.retired_reports")
    for r in retired:
        con.execute(
            "INSERT INTO raw.retired_reports VALUES (?, ?, ?, ?)",
            [r.report_id, r.retired_on, r.reason, dt.datetime.now()],
        )


def _refuse_content_served_twice(done: set[tuple[str, str, str]], reports: VerifiedReports) -> None:
    """The same content under two report ids would be served twice: a rename is retire + add."""
    retired = {r.report_id for r in reports.retired}
    by_hash: dict[str, set[str]] = {}
    for rid, sha, _ in done:
        by_hash.setdefault(sha, set()).add(rid)
    for e in reports.entries:
        others = sorted(by_hash.get(e.sha256, set()) - {e.report_id} - retired)
        if others:
            raise ManifestError(
                reports.manifest or "manifest.csv",
                f"the content of {e.file_name} is already loaded as report {others[0]!r}: "
                f"a rename is a retirement plus a new row, so add {others[0]} to retired.csv "
                f"(report_id, retired_on, reason), or keep the id {others[0]}",
                e.manifest_line,
            )


def _unlisted_reports(done: set[tuple[str, str, str]], reports: VerifiedReports) -> list[str]:
    """Reports still served that the manifest no longer lists (and retired.csv does not retire)."""
    listed = {e.report_id for e in reports.entries} | {r.report_id for r in reports.retired}
    return sorted({rid for rid, _, _ in done} - listed)


def load_reports(
    con: duckdb.DuckDBPyConnection,
    reports: Path | VerifiedReports,
    code_version: str,
    jobs: int = 1,
    after_document: Callable[[], None] | None = None,
    prose_topics: tuple[str, ...] | None = None,
    batch_documents: int = BATCH_DOCUMENTS,
) -> LoadResult:
    """Load every manifest report whose content is not in raw yet. Raises LoaderError on bad input.

    Every file is hash-checked, even unchanged ones, so a tampered copy never goes unnoticed. A
    report already parsed by an older parser version is parsed again as a new document version
    (the old rows stay for history; staging reads the newest).
    Parsing is pure and runs in `jobs` processes, streamed into the store, which writes in batches
    (one transaction each): memory does not grow with the number of reports.
    """
    if isinstance(reports, Path):
        reports = verify_reports(reports)
    entries = reports.entries
    done = loaded_hashes(con)
    _refuse_content_served_twice(done, reports)
    _sync_retired(con, reports.retired)
    parser_version = loaders.PARSER_VERSION
    version_of = {e.report_id: parser_version_of(e, prose_topics) for e in entries}
    todo: list[ReportEntry] = [e for e in entries if (e.report_id, e.sha256, version_of[e.report_id]) not in done]
    result = LoadResult(load_run_id=None, unlisted=_unlisted_reports(done, reports))
    result.documents.extend(
        DocumentResult(e.report_id, e.file_name, "unchanged")
        for e in entries
        if (e.report_id, e.sha256, version_of[e.report_id]) in done
    )
    if not todo:
        return result

    run_id = start_run(con, code_version, parser_version)
    result.load_run_id = run_id
    writer = BatchWriter(con, run_id, batch_documents)
    try:
        for entry, rows, extraction in _tabulated(todo, jobs, prose_topics):
            writer.add(entry, rows, version_of[entry.report_id], extraction)
            figures, quarantined, tables = rows.counts
            result.documents.append(
                DocumentResult(
                    entry.report_id,
                    entry.file_name,
                    "loaded",
                    figures,
                    quarantined,
                    tables,
                    pages=extraction.pages if extraction else None,
                    pages_without_text=extraction.pages_without_text if extraction else (),
                )
            )
            if after_document:
                after_document()
        writer.flush()
    except BaseException as exc:
        with contextlib.suppress(duckdb.Error):  # the batches stored before the failure stay, and say so
            stored = [d for d in result.loaded if d.report_id in writer.stored]
            finish_run(con, run_id, "failed", _run_counts(entries, stored), f"{type(exc).__name__}: {exc}")
        raise
    finish_run(con, run_id, "succeeded", _run_counts(entries, result.loaded))
    return result


def _run_counts(entries: list[ReportEntry], loaded: list[DocumentResult]) -> dict[str, int]:
    return {
        "documents_seen": len(entries),
        "documents_loaded": len(loaded),
        "documents_unchanged": len(entries) - len(loaded),
        "figures_loaded": sum(d.figures for d in loaded),
        "rows_quarantined": sum(d.quarantined for d in loaded),
    }
