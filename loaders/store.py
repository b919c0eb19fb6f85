"""Writing parsed documents into the raw schema: Arrow tables built where a document is parsed,
inserted in batches, one transaction per batch."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb

from .footnotes import join_refs
from .manifest import ReportEntry
from .model import ParsedDocument
from .normalise import to_zh_hans
from .numbers import canonical_decimal
from .pdf import Extraction
from .raw_schema import RAW, written

if TYPE_CHECKING:  # imported where used: the read-only commands start without it (0.1 s)
    import pyarrow as pa

# Column lists and types come from the one declaration of the raw schema (loaders/raw_schema.py).
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


@dataclass
class DocumentRows:
    """A parsed document as the raw tables' rows, built where it was parsed (a worker process):
    one Arrow table per raw table, its document_id column still empty (the store assigns it)."""

    file_name: str  # the file its lines are counted in (a PDF's text beside it)
    line_count: int
    byte_size: int
    figures: pa.Table
    quarantine: pa.Table
    tables: pa.Table
    table_notes: pa.Table

    @property
    def counts(self) -> tuple[int, int, int]:
        """(figures, quarantined rows, tables)"""
        return self.figures.num_rows, self.quarantine.num_rows, self.tables.num_rows


def document_rows(parsed: ParsedDocument, language: str, byte_size: int) -> DocumentRows:
    simplify = _simplifier(language)
    tables = [
        (
            None,
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
    ]
    notes = [(None, n.table_seq, n.marker, n.line_start, n.line_end, n.text) for n in parsed.notes]
    return DocumentRows(
        parsed.file_name,
        parsed.line_count,
        byte_size,
        _arrow("figures", _figure_rows(parsed, simplify)),
        _arrow("quarantine", _quarantine_rows(parsed)),
        _arrow("tables", tables),
        _arrow("table_notes", notes),
    )


# A batch's Arrow tables are held until it is stored: 0.02-0.24 MiB per bundled report (some
# 60 MiB for a batch of 500 of them, whatever the corpus size).
BATCH_DOCUMENTS = 500
BATCH_ROWS = 200_000  # figures


class BatchWriter:
    """Stores documents in batches: one transaction and one INSERT per raw table for every
    `batch_documents` documents (or `batch_rows` figures), whichever comes first. A batch lands
    whole or not at all; the documents of earlier batches stay (a new load skips them)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        run_id: int,
        batch_documents: int = BATCH_DOCUMENTS,
        batch_rows: int = BATCH_ROWS,
    ):
        self.con, self.run_id = con, run_id
        self.batch_documents, self.batch_rows = batch_documents, batch_rows
        self._documents: list[list] = []
        self._texts: list[list] = []
        self._rows: dict[str, list[pa.Table]] = {t: [] for t in _ROW_TABLES}
        self._pending_rows = 0
        self.stored: set[str] = set()  # report ids whose batch has landed
        self._versions = dict(
            con.execute("SELECT report_id, max(version) FROM raw.documents GROUP BY report_id").fetchall()
        )

    def add(
        self, entry: ReportEntry, rows: DocumentRows, parser_version: str, extraction: Extraction | None = None
    ) -> None:
        """Queue one document; a PDF's `extraction` names the text its lines are counted in."""
        import pyarrow as pa

        version = self._versions.get(entry.report_id, 0) + 1
        self._versions[entry.report_id] = version
        slot = len(self._documents)  # the document's place in the batch, replaced by its id on flush
        self._documents.append(
            _document_row(
                entry,
                version=version,
                parser_version=parser_version,
                byte_size=rows.byte_size,
                line_count=rows.line_count,
                load_run_id=self.run_id,
                loaded_at=_now(),
            )
        )
        if extraction is not None:
            self._texts.append(
                [
                    slot,
                    rows.file_name,
                    extraction.text_sha256,
                    extraction.extractor,
                    extraction.pages,
                    ";".join(map(str, extraction.pages_without_text)),
                ]
            )
        for table in _ROW_TABLES:
            part: pa.Table = getattr(rows, table)
            if part.num_rows:
                self._rows[table].append(part.set_column(0, "document_id", pa.repeat(slot, part.num_rows)))
        self._pending_rows += rows.figures.num_rows
        if len(self._documents) >= self.batch_documents or self._pending_rows >= self.batch_rows:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        if not self._documents:
            return
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            ids = _take_ids(con, "documents", len(self._documents))
            documents = _arrow("documents", self._documents)
            _insert(con, "raw.documents", documents.add_column(0, "document_id", pa.array(ids, pa.int64())))
            if self._texts:
                _insert(con, "raw.document_texts", _with_ids(_arrow("document_texts", self._texts), ids))
            for table in _ROW_TABLES:
                if not self._rows[table]:
                    continue
                part = _with_ids(pa.concat_tables(self._rows[table]), ids)
                if (column := _generated(table)) is not None:
                    part = part.add_column(0, column, pa.array(_take_ids(con, table, part.num_rows), pa.int64()))
                _insert(con, f"raw.{table}", part)
            con.execute("COMMIT")
        except BaseException:
            # a COMMIT that failed has ended the transaction already: the first error is the one to see
            with contextlib.suppress(duckdb.Error):
                con.execute("ROLLBACK")
            raise
        self.stored.update(d[DOCUMENT_COLUMNS.index("report_id")] for d in self._documents)
        self._documents, self._texts, self._pending_rows = [], [], 0
        self._rows = {t: [] for t in _ROW_TABLES}


# The raw tables a document's rows go to (after raw.documents, whose id they carry).
_ROW_TABLES = ("figures", "quarantine", "tables", "table_notes")


def _generated(table: str) -> str | None:
    """The id column the database fills for `table` (raw_schema: generated), from the sequence
    raw.<column>_seq (migrations), or None."""
    return next((c.name for c in RAW[table] if c.generated), None)


def _take_ids(con: duckdb.DuckDBPyConnection, table: str, n: int) -> range:
    """n consecutive values of the sequence of `table`'s generated id, in order: rows keep the ids
    a row-by-row insert gave them (a parallel INSERT may evaluate nextval out of row order). The
    build holds the only writer."""
    sequence = f"raw.{_generated(table)}_seq"
    taken = con.execute(f"SELECT min(v), max(v) FROM (SELECT nextval('{sequence}') AS v FROM range(?))", [n]).fetchone()
    assert taken is not None  # an aggregate gives one row
    first, last = taken
    if last - first + 1 != n:
        raise RuntimeError(f"{sequence} gave {n} values that are not consecutive ({first}..{last})")
    return range(first, last + 1)


def _with_ids(table: pa.Table, ids: range) -> pa.Table:
    """The batch slot in the document_id column replaced by the document's id."""
    import pyarrow as pa

    return table.set_column(0, "document_id", pa.array(ids, pa.int64()).take(table.column("document_id")))


def _simplifier(language: str):
    """Traditional -> simplified for Chinese (one alias table serves both scripts); other
    languages are matched as printed."""
    if language.split("-")[0].lower() in ("zh", "yue", "cmn"):
        return to_zh_hans
    return lambda text: text


def _figure_rows(parsed: ParsedDocument, simplify=to_zh_hans) -> list[tuple]:
    """One tuple per figure in raw.figures' written columns, document_id (the store's) empty."""
    rows = []
    for seq, f in enumerate(parsed.figures, start=1):
        rows.append(
            (
                None,
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


def _quarantine_rows(parsed: ParsedDocument) -> list[tuple]:
    return [
        (
            None,
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


def _arrow(table: str, rows: list) -> pa.Table:
    """Rows (tuples in the order of the table's written columns, document_id first) as an Arrow
    table: whole numbers as int64, everything else as text, cast in SQL to the declared type
    (exact decimals never pass through floats)."""
    import pyarrow as pa

    declared = written(table)
    columns = list(zip(*rows)) if rows else [()] * len(declared)
    return pa.table({c.name: _arrow_column(c.type, list(v)) for c, v in zip(declared, columns)})


def _arrow_column(sql_type: str, values: list) -> pa.Array:
    import pyarrow as pa

    if sql_type in ("INTEGER", "BIGINT"):
        return pa.array(values, pa.int64())
    try:
        return pa.array(values, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # dates, times, decimals: as their text
        return pa.array([None if v is None else str(v) for v in values], pa.string())


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    types = {c.name: c.type for c in RAW[table.split(".", 1)[1]]}
    columns = rows.column_names
    con.register("_incoming", rows)
    try:
        select = ", ".join(f"CAST({c} AS {types[c]})" for c in columns)
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM _incoming")
    finally:
        con.unregister("_incoming")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
