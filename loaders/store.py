"""Writing parsed documents into the raw schema, one transaction per document."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from .footnotes import join_refs
from .manifest import ReportEntry
from .model import ParsedDocument
from .normalise import to_zh_hans
from .numbers import canonical_decimal
from .pdf import Extraction

FIGURE_COLUMNS = [
    "document_id",
    "figure_seq",
    "extraction_method",
    "table_seq",
    "table_title",
    "table_title_zh_hans",
    "page",
    "line_start",
    "line_end",
    "raw_text",
    "section_label",
    "category",
    "group_label",
    "row_label",
    "label_path",
    "label_path_zh_hans",
    "section_label_zh_hans",
    "category_zh_hans",
    "group_label_zh_hans",
    "row_label_zh_hans",
    "column_label",
    "column_member",
    "column_member_zh_hans",
    "fiscal_year",
    "cell_text",
    "value_text",
    "value",
    "unit_text",
    "unit_text_zh_hans",
    "label_footnotes",
    "value_footnotes",
    "qualifier",
    "split_row",
    "split_candidate",
]
NOTE_COLUMNS = ["document_id", "table_seq", "marker", "line_start", "line_end", "note_text"]
QUARANTINE_COLUMNS = [
    "document_id",
    "extraction_method",
    "table_seq",
    "table_title",
    "page",
    "line_start",
    "line_end",
    "raw_text",
    "reason_code",
    "reason",
    "candidates",
    "split_row",
]
TABLE_COLUMNS = [
    "document_id",
    "table_seq",
    "reader",
    "title",
    "page",
    "line_start",
    "line_end",
    "year_columns",
    "rows_seen",
    "data_rows",
    "structure_rows",
]


def loaded_hashes(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str]]:
    """(report_id, sha256, parser_version) already parsed: a parser change re-parses."""
    return set(con.execute("SELECT report_id, sha256, parser_version FROM raw.documents").fetchall())


def start_run(con: duckdb.DuckDBPyConnection, code_version: str, parser_version: str) -> int:
    return con.execute(
        "INSERT INTO raw.load_runs (started_at, code_version, parser_version, status) "
        "VALUES (?, ?, ?, 'running') RETURNING load_run_id",
        [_now(), code_version, parser_version],
    ).fetchone()[0]


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
        version = con.execute(
            "SELECT coalesce(max(version), 0) + 1 FROM raw.documents WHERE report_id = ?", [entry.report_id]
        ).fetchone()[0]
        document_id = con.execute(
            """INSERT INTO raw.documents (report_id, version, sha256, parser_version, company, title, title_original,
                   report_type, publication_date, publication_date_basis, fiscal_year_start, fiscal_year_end,
                   fiscal_year_end_month, language, file_name, byte_size, line_count, load_run_id, loaded_at,
                   company_id)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING document_id""",
            [
                entry.report_id,
                version,
                entry.sha256,
                parser_version,
                entry.company,
                entry.title,
                entry.title_original,
                entry.report_type,
                entry.publication_date,
                entry.publication_date_basis,
                entry.fiscal_year_start,
                entry.fiscal_year_end,
                entry.fiscal_year_end_month,
                entry.language,
                entry.file_name,
                data_size,
                parsed.line_count,
                run_id,
                _now(),
                entry.company_id,
            ],
        ).fetchone()[0]
        if extraction is not None:
            con.execute(
                "INSERT INTO raw.document_texts VALUES (?, ?, ?, ?, ?, ?)",
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
        _insert(
            con,
            "raw.figures",
            FIGURE_COLUMNS,
            _figure_rows(document_id, parsed, simplify),
            casts={
                "value": "DECIMAL(38, 10)",
                "table_seq": "INTEGER",
                "fiscal_year": "INTEGER",
                "page": "INTEGER",
                "split_row": "INTEGER",
                "split_candidate": "INTEGER",
            },
        )
        _insert(
            con,
            "raw.quarantine",
            QUARANTINE_COLUMNS,
            _quarantine_rows(document_id, parsed),
            casts={"table_seq": "INTEGER", "page": "INTEGER", "split_row": "INTEGER"},
        )
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
            casts={
                "table_seq": "INTEGER",
                "page": "INTEGER",
                "rows_seen": "INTEGER",
                "data_rows": "INTEGER",
                "structure_rows": "INTEGER",
            },
        )
        _insert(
            con,
            "raw.table_notes",
            NOTE_COLUMNS,
            [(document_id, n.table_seq, n.marker, n.line_start, n.line_end, n.text) for n in parsed.notes],
            casts={"table_seq": "INTEGER"},
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


def _insert(con, table: str, columns: list[str], rows: list[tuple], casts: dict[str, str]) -> None:
    if not rows:
        return
    # Everything travels as text and is cast in SQL: exact decimals never pass through floats.
    frame = pd.DataFrame(rows, columns=columns, dtype=object).astype("string")
    con.register("_incoming", frame)
    try:
        select = ", ".join(_cast(c, casts) for c in columns)
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM _incoming")
    finally:
        con.unregister("_incoming")


def _cast(column: str, casts: dict[str, str]) -> str:
    if column in casts:
        return f"CAST({column} AS {casts[column]})"
    if column.endswith("_id") or column in ("figure_seq", "line_start", "line_end"):
        return f"CAST({column} AS BIGINT)"
    return f"CAST({column} AS VARCHAR)"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
