"""Writing parsed documents into the raw schema, one transaction per document."""

from __future__ import annotations

import datetime as dt

import duckdb

from .footnotes import join_refs
from .manifest import ReportEntry
from .model import ParsedDocument
from .normalise import to_zh_hans
from .numbers import canonical_decimal
from .pdf import Extraction
from .raw_schema import written

# Column lists and types come from the one declaration of the raw schema (loaders/raw_schema.py).
FIGURE_COLUMNS = [c.name for c in written("figures")]
NOTE_COLUMNS = [c.name for c in written("table_notes")]
QUARANTINE_COLUMNS = [c.name for c in written("quarantine")]
TABLE_COLUMNS = [c.name for c in written("tables")]
DOCUMENT_COLUMNS = [c.name for c in written("documents")]


def loaded_hashes(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str]]:
    """(report_id, sha256, parser_version) already parsed: a parser change re-parses."""
    return set(con.execute("SELECT report_id, sha256, parser_version FROM raw.documents").fetchall())


def start_run(con: duckdb.DuckDBPyConnection, code_version: str, parser_version: str) -> int:
    started = con.execute(
        "INSERT INTO raw.load_runs (started_at, code_version, parser_version, status) "
        "VALUES (?, ?, ?, 'running') RETURNING load_run_id",
        [_now(), code_version, parser_version],
    ).fetchone()
    assert started is not None  # RETURNING gives the inserted row
    return started[0]


def finish_run(con, run_id: int, status: str, counts: dict[str, int], message: str | None = None) -> None:
    con.execute(
        """UPDATE raw.load_runs SET finished_at = ?, status = ?, documents_seen = ?, documents_loaded = ?,
               documents_unchanged = ?, figures_loaded = ?, rows_quarantined = ?, message = ?
           WHERE load_run_id = ?""",
        [
            _now(),
            status,
            counts["documents_seen"],
            counts["documents_loaded"],
            counts["documents_unchanged"],
            counts["figures_loaded"],
            counts["rows_quarantined"],
            message,
            run_id,
        ],
    )


def _document_row(entry: ReportEntry, **loaded) -> list:
    """raw.documents' columns in order: what the load knows (`loaded`), else the manifest row's field
    of the same name, so that a manifest field added to ReportEntry and the raw schema is stored."""
    return [loaded[c] if c in loaded else getattr(entry, c) for c in DOCUMENT_COLUMNS]


def store_document(
    con: duckdb.DuckDBPyConnection,
    run_id: int,
    entry: ReportEntry,
    data_size: int,
    parsed: ParsedDocument,
    parser_version: str,
    extraction: Extraction | None = None,
) -> int:
    """Insert the document, its figures and its quarantined rows atomically; returns document_id.
    A PDF's `extraction` names the text its lines are counted in."""
    con.execute("BEGIN TRANSACTION")
    try:
        latest = con.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM raw.documents WHERE report_id = ?", [entry.report_id]
        ).fetchone()
        assert latest is not None  # max() returns one row
        version = latest[0]
        inserted = con.execute(
            f"INSERT INTO raw.documents ({', '.join(DOCUMENT_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(DOCUMENT_COLUMNS))}) RETURNING document_id",
            _document_row(
                entry,
                version=version,
                parser_version=parser_version,
                byte_size=data_size,
                line_count=parsed.line_count,
                load_run_id=run_id,
                loaded_at=_now(),
            ),
        ).fetchone()
        assert inserted is not None  # RETURNING gives the inserted row
        document_id = inserted[0]
        if extraction is not None:
            con.execute(
                f"INSERT INTO raw.document_texts VALUES ({', '.join('?' * len(written('document_texts')))})",
                [
                    document_id,
                    parsed.file_name,
                    extraction.text_sha256,
                    extraction.extractor,
                    extraction.pages,
                    ";".join(map(str, extraction.pages_without_text)),
                ],
            )
        simplify = _simplifier(entry.language)
        _insert(con, "raw.figures", FIGURE_COLUMNS, _figure_rows(document_id, parsed, simplify))
        _insert(con, "raw.quarantine", QUARANTINE_COLUMNS, _quarantine_rows(document_id, parsed))
        _insert(
            con,
            "raw.tables",
            TABLE_COLUMNS,
            [
                (
                    document_id,
                    t.table_seq,
                    t.reader,
                    t.title,
                    t.page,
                    t.header_line,
                    t.last_line,
                    ";".join(str(y) for y in t.year_columns),
                    t.rows_seen,
                    t.data_rows,
                    t.structure_rows,
                )
                for t in parsed.tables
            ],
        )
        _insert(
            con,
            "raw.table_notes",
            NOTE_COLUMNS,
            [(document_id, n.table_seq, n.marker, n.line_start, n.line_end, n.text) for n in parsed.notes],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return document_id


def _simplifier(language: str):
    """Traditional -> simplified for Chinese (one alias table serves both scripts); other
    languages are matched as printed."""
    if language.split("-")[0].lower() in ("zh", "yue", "cmn"):
        return to_zh_hans
    return lambda text: text


def _figure_rows(document_id: int, parsed: ParsedDocument, simplify=to_zh_hans) -> list[tuple]:
    rows = []
    for seq, f in enumerate(parsed.figures, start=1):
        rows.append(
            (
                document_id,
                seq,
                f.extraction_method,
                f.table_seq,
                f.table_title,
                None if f.table_title is None else simplify(f.table_title),
                f.page,
                f.line_start,
                f.line_end,
                f.raw_text,
                f.section_label,
                f.category,
                f.group_label,
                f.row_label,
                f.label_path,
                simplify(f.label_path),
                simplify(f.section_label or ""),
                simplify(f.category or ""),
                simplify(f.group_label or ""),
                simplify(f.row_label),
                f.column_label,
                f.column_member,
                None if f.column_member is None else simplify(f.column_member),
                f.fiscal_year,
                f.cell_text,
                f.value_text,
                None if f.value is None else canonical_decimal(f.value),
                f.unit_text,
                simplify(f.unit_text),
                join_refs(f.label_footnotes),
                join_refs(f.value_footnotes),
                f.qualifier,
                f.split_row,
                f.split_candidate,
            )
        )
    return rows


def _quarantine_rows(document_id: int, parsed: ParsedDocument) -> list[tuple]:
    return [
        (
            document_id,
            q.extraction_method,
            q.table_seq,
            q.table_title,
            q.page,
            q.line_start,
            q.line_end,
            q.raw_text,
            q.reason_code,
            q.reason,
            q.candidates,
            q.split_row,
        )
        for q in parsed.quarantined
    ]


def _insert(con, table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    import pandas as pd  # here, not with the module: the read-only commands start without it (0.4 s)

    types = {c.name: c.type for c in written(table.split(".", 1)[1])}
    # Everything travels as text and is cast in SQL to the declared type: exact decimals never
    # pass through floats.
    frame = pd.DataFrame(rows, columns=columns, dtype=object).astype("string")
    con.register("_incoming", frame)
    try:
        select = ", ".join(f"CAST({c} AS {types[c]})" for c in columns)
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM _incoming")
    finally:
        con.unregister("_incoming")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
