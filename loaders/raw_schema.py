"""The raw schema, declared once: every table the loaders write, its columns in order, their types
and whether they may be empty. The store writes and casts by it, the targets rebuild the tables
it lists (parents first), and tests/test_raw_schema.py fails when the Alembic migrations, the dbt
sources or the store drift from it. The migrations stay hand-written history: this is what their
head must produce.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # the DuckDB type at the head migration
    nullable: bool = False
    generated: bool = False  # filled by the database (a sequence), never written by the store


RAW: dict[str, list[Column]] = {
    "load_runs": [
        Column("load_run_id", "BIGINT", generated=True),
        Column("started_at", "TIMESTAMP"),
        Column("finished_at", "TIMESTAMP", nullable=True),
        Column("code_version", "VARCHAR"),
        Column("parser_version", "VARCHAR"),
        Column("status", "VARCHAR"),
        Column("documents_seen", "INTEGER"),
        Column("documents_loaded", "INTEGER"),
        Column("documents_unchanged", "INTEGER"),
        Column("figures_loaded", "INTEGER"),
        Column("rows_quarantined", "INTEGER"),
        Column("message", "VARCHAR", nullable=True),
    ],
    "documents": [
        Column("document_id", "BIGINT", generated=True),
        Column("report_id", "VARCHAR"),
        Column("version", "INTEGER"),
        Column("sha256", "VARCHAR"),
        Column("parser_version", "VARCHAR"),
        Column("company", "VARCHAR"),
        Column("title", "VARCHAR"),
        Column("title_original", "VARCHAR", nullable=True),
        Column("report_type", "VARCHAR"),
        Column("publication_date", "DATE"),
        Column("publication_date_basis", "VARCHAR", nullable=True),
        Column("fiscal_year_start", "INTEGER"),
        Column("fiscal_year_end", "INTEGER"),
        Column("fiscal_year_end_month", "INTEGER"),
        Column("language", "VARCHAR"),
        Column("file_name", "VARCHAR"),
        Column("byte_size", "BIGINT"),
        Column("line_count", "INTEGER"),
        Column("load_run_id", "BIGINT"),
        Column("loaded_at", "TIMESTAMP"),
        Column("company_id", "VARCHAR", nullable=True),
    ],
    "figures": [
        Column("figure_id", "BIGINT", generated=True),
        Column("document_id", "BIGINT"),
        Column("figure_seq", "INTEGER"),
        Column("extraction_method", "VARCHAR"),
        Column("table_seq", "INTEGER", nullable=True),
        Column("table_title", "VARCHAR", nullable=True),
        Column("table_title_zh_hans", "VARCHAR", nullable=True),
        Column("page", "INTEGER", nullable=True),
        Column("line_start", "INTEGER"),
        Column("line_end", "INTEGER"),
        Column("raw_text", "VARCHAR"),
        Column("section_label", "VARCHAR", nullable=True),
        Column("category", "VARCHAR", nullable=True),
        Column("group_label", "VARCHAR", nullable=True),
        Column("row_label", "VARCHAR"),
        Column("label_path", "VARCHAR"),
        Column("label_path_zh_hans", "VARCHAR"),
        Column("section_label_zh_hans", "VARCHAR", nullable=True),
        Column("category_zh_hans", "VARCHAR", nullable=True),
        Column("group_label_zh_hans", "VARCHAR", nullable=True),
        Column("row_label_zh_hans", "VARCHAR"),
        Column("column_label", "VARCHAR", nullable=True),
        Column("column_member", "VARCHAR", nullable=True),
        Column("column_member_zh_hans", "VARCHAR", nullable=True),
        Column("fiscal_year", "INTEGER", nullable=True),
        Column("cell_text", "VARCHAR"),
        Column("value_text", "VARCHAR"),
        Column("value", "DECIMAL(38,10)", nullable=True),
        Column("unit_text", "VARCHAR"),
        Column("unit_text_zh_hans", "VARCHAR"),
        Column("label_footnotes", "VARCHAR"),
        Column("value_footnotes", "VARCHAR"),
        Column("qualifier", "VARCHAR"),
        Column("split_row", "INTEGER", nullable=True),
        Column("split_candidate", "INTEGER", nullable=True),
    ],
    "quarantine": [
        Column("quarantine_id", "BIGINT", generated=True),
        Column("document_id", "BIGINT"),
        Column("extraction_method", "VARCHAR"),
        Column("table_seq", "INTEGER", nullable=True),
        Column("table_title", "VARCHAR", nullable=True),
        Column("page", "INTEGER", nullable=True),
        Column("line_start", "INTEGER"),
        Column("line_end", "INTEGER"),
        Column("raw_text", "VARCHAR"),
        Column("reason_code", "VARCHAR"),
        Column("reason", "VARCHAR"),
        Column("candidates", "VARCHAR", nullable=True),
        Column("split_row", "INTEGER", nullable=True),
    ],
    "table_notes": [
        Column("note_id", "BIGINT", generated=True),
        Column("document_id", "BIGINT"),
        Column("table_seq", "INTEGER", nullable=True),
        Column("marker", "VARCHAR"),
        Column("line_start", "INTEGER"),
        Column("line_end", "INTEGER"),
        Column("note_text", "VARCHAR"),
    ],
    "tables": [
        Column("document_id", "BIGINT"),
        Column("table_seq", "INTEGER"),
        Column("reader", "VARCHAR"),
        Column("title", "VARCHAR", nullable=True),
        Column("page", "INTEGER", nullable=True),
        Column("line_start", "INTEGER"),
        Column("line_end", "INTEGER"),
        Column("year_columns", "VARCHAR"),
        Column("rows_seen", "INTEGER"),
        Column("data_rows", "INTEGER"),
        Column("structure_rows", "INTEGER"),
    ],
    "retired_reports": [
        Column("report_id", "VARCHAR"),
        Column("retired_on", "DATE"),
        Column("reason", "VARCHAR"),
        Column("recorded_at", "TIMESTAMP"),
    ],
    "document_texts": [
        Column("document_id", "BIGINT"),
        Column("text_file", "VARCHAR"),
        Column("text_sha256", "VARCHAR"),
        Column("extractor", "VARCHAR"),
        Column("page_count", "INTEGER"),
        Column("pages_without_text", "VARCHAR"),
    ],
}


def columns(table: str) -> list[str]:
    return [c.name for c in RAW[table]]


def written(table: str) -> list[Column]:
    """The columns the store writes, in order (not the ones the database fills)."""
    return [c for c in RAW[table] if not c.generated]
