"""raw schema for any report: BCP 47 languages, any report type, pages, column members, tables read

Revision ID: 0003_any_report
Revises: 0002_table_notes
Create Date: 2026-12-01

raw.documents had CHECKs that only the five bundled reports pass (report_type in CSR/SSV/ESG,
script in zh-Hans/zh-Hant). DuckDB cannot drop a CHECK, and documents is referenced by every other
raw table, so the four tables are rebuilt: copied aside, dropped, created anew, copied back, with
every row kept. What is new:
  documents.language        BCP 47 tag (was script; the values carry over)
  documents.fiscal_year_end_month  month the fiscal year ends (12 for calendar years)
  figures.page / quarantine.page   the page of the line, where the text has page breaks
  figures.column_member (+ _zh_hans), figures.table_title_zh_hans  column header without its year
  raw.tables                one row per table a reader read, with its reader and line span
Report types and languages are checked by the manifest (seeds/report_types.csv).
"""

from alembic import op

revision = "0003_any_report"
down_revision = "0002_table_notes"
branch_labels = None
depends_on = None

_TABLES = ("table_notes", "quarantine", "figures", "documents")  # children first

DOCUMENTS = """
CREATE TABLE raw.documents (
    document_id        BIGINT PRIMARY KEY DEFAULT nextval('raw.document_id_seq'),
    report_id          VARCHAR NOT NULL,
    version            INTEGER NOT NULL CHECK (version >= 1),
    sha256             VARCHAR NOT NULL CHECK (length(sha256) = 64),
    parser_version     VARCHAR NOT NULL,
    company            VARCHAR NOT NULL,
    title              VARCHAR NOT NULL,
    title_original     VARCHAR,
    report_type        VARCHAR NOT NULL,
    publication_date   DATE NOT NULL,
    publication_date_basis VARCHAR,
    fiscal_year_start  INTEGER NOT NULL,
    fiscal_year_end    INTEGER NOT NULL,
    fiscal_year_end_month INTEGER NOT NULL DEFAULT 12 CHECK (fiscal_year_end_month BETWEEN 1 AND 12),
    language           VARCHAR NOT NULL,
    file_name          VARCHAR NOT NULL,
    byte_size          BIGINT NOT NULL,
    line_count         INTEGER NOT NULL,
    load_run_id        BIGINT NOT NULL REFERENCES raw.load_runs (load_run_id),
    loaded_at          TIMESTAMP NOT NULL,
    UNIQUE (report_id, sha256, parser_version),
    UNIQUE (report_id, version),
    CHECK (fiscal_year_start <= fiscal_year_end)
)
"""

FIGURES = """
CREATE TABLE raw.figures (
    figure_id          BIGINT PRIMARY KEY DEFAULT nextval('raw.figure_id_seq'),
    document_id        BIGINT NOT NULL REFERENCES raw.documents (document_id),
    figure_seq         INTEGER NOT NULL,
    extraction_method  VARCHAR NOT NULL,
    table_seq          INTEGER,
    table_title        VARCHAR,
    table_title_zh_hans VARCHAR,
    page               INTEGER CHECK (page >= 1),
    line_start         INTEGER NOT NULL CHECK (line_start >= 1),
    line_end           INTEGER NOT NULL,
    raw_text           VARCHAR NOT NULL,
    section_label      VARCHAR,
    category           VARCHAR,
    group_label        VARCHAR,
    row_label          VARCHAR NOT NULL,
    label_path         VARCHAR NOT NULL,
    label_path_zh_hans VARCHAR NOT NULL,
    section_label_zh_hans VARCHAR,
    category_zh_hans   VARCHAR,
    group_label_zh_hans VARCHAR,
    row_label_zh_hans  VARCHAR NOT NULL,
    column_label       VARCHAR,
    column_member      VARCHAR,
    column_member_zh_hans VARCHAR,
    fiscal_year        INTEGER NOT NULL CHECK (fiscal_year BETWEEN 1900 AND 2100),
    cell_text          VARCHAR NOT NULL,
    value_text         VARCHAR NOT NULL,
    value              DECIMAL(38, 10),
    unit_text          VARCHAR NOT NULL,
    unit_text_zh_hans  VARCHAR NOT NULL,
    label_footnotes    VARCHAR NOT NULL,
    value_footnotes    VARCHAR NOT NULL,
    qualifier          VARCHAR NOT NULL
        CHECK (qualifier IN ('exact', 'approximate', 'lower_bound', 'upper_bound', 'not_reported')),
    CHECK (line_end >= line_start),
    CHECK ((qualifier = 'not_reported') = (value IS NULL)),
    UNIQUE (document_id, figure_seq)
)
"""

QUARANTINE = """
CREATE TABLE raw.quarantine (
    quarantine_id      BIGINT PRIMARY KEY DEFAULT nextval('raw.quarantine_id_seq'),
    document_id        BIGINT NOT NULL REFERENCES raw.documents (document_id),
    extraction_method  VARCHAR NOT NULL,
    table_seq          INTEGER,
    table_title        VARCHAR,
    page               INTEGER CHECK (page >= 1),
    line_start         INTEGER NOT NULL,
    line_end           INTEGER NOT NULL,
    raw_text           VARCHAR NOT NULL,
    reason_code        VARCHAR NOT NULL,
    reason             VARCHAR NOT NULL,
    candidates         VARCHAR
)
"""

TABLE_NOTES = """
CREATE TABLE raw.table_notes (
    note_id      BIGINT PRIMARY KEY DEFAULT nextval('raw.note_id_seq'),
    document_id  BIGINT NOT NULL REFERENCES raw.documents (document_id),
    table_seq    INTEGER,
    marker       VARCHAR NOT NULL,
    line_start   INTEGER NOT NULL CHECK (line_start >= 1),
    line_end     INTEGER NOT NULL,
    note_text    VARCHAR NOT NULL,
    CHECK (line_end >= line_start)
)
"""

TABLES = """
CREATE TABLE raw.tables (
    document_id        BIGINT NOT NULL REFERENCES raw.documents (document_id),
    table_seq          INTEGER NOT NULL,
    reader             VARCHAR NOT NULL,
    title              VARCHAR,
    page               INTEGER CHECK (page >= 1),
    line_start         INTEGER NOT NULL CHECK (line_start >= 1),
    line_end           INTEGER NOT NULL,
    year_columns       VARCHAR NOT NULL,
    rows_seen          INTEGER NOT NULL,
    data_rows          INTEGER NOT NULL,
    structure_rows     INTEGER NOT NULL,
    PRIMARY KEY (document_id, table_seq),
    CHECK (line_end >= line_start)
)
"""


def _copy_aside() -> None:
    for t in _TABLES:
        op.execute(f"CREATE TABLE raw._{t}_0003 AS SELECT * FROM raw.{t}")
    for t in _TABLES:
        op.execute(f"DROP TABLE raw.{t}")


def _drop_copies() -> None:
    for t in _TABLES:
        op.execute(f"DROP TABLE raw._{t}_0003")


def upgrade() -> None:
    _copy_aside()
    for ddl in (DOCUMENTS, FIGURES, QUARANTINE, TABLE_NOTES, TABLES):
        op.execute(ddl)
    op.execute("""
        INSERT INTO raw.documents (document_id, report_id, version, sha256, parser_version, company, title,
            title_original, report_type, publication_date, publication_date_basis, fiscal_year_start,
            fiscal_year_end, fiscal_year_end_month, language, file_name, byte_size, line_count, load_run_id, loaded_at)
        SELECT document_id, report_id, version, sha256, parser_version, company, title, title_original, report_type,
            publication_date, publication_date_basis, fiscal_year_start, fiscal_year_end, 12, script, file_name,
            byte_size, line_count, load_run_id, loaded_at
        FROM raw._documents_0003""")
    op.execute("""
        INSERT INTO raw.figures (figure_id, document_id, figure_seq, extraction_method, table_seq, table_title,
            table_title_zh_hans, page, line_start, line_end, raw_text, section_label, category, group_label, row_label,
            label_path, label_path_zh_hans, section_label_zh_hans, category_zh_hans, group_label_zh_hans,
            row_label_zh_hans, column_label, column_member, column_member_zh_hans, fiscal_year, cell_text, value_text,
            value, unit_text, unit_text_zh_hans, label_footnotes, value_footnotes, qualifier)
        SELECT figure_id, document_id, figure_seq, extraction_method, table_seq, table_title, table_title, NULL,
            line_start, line_end, raw_text, section_label, category, group_label, row_label, label_path,
            label_path_zh_hans, section_label_zh_hans, category_zh_hans, group_label_zh_hans, row_label_zh_hans,
            column_label, NULL, NULL, fiscal_year, cell_text, value_text, value, unit_text, unit_text_zh_hans,
            label_footnotes, value_footnotes, qualifier
        FROM raw._figures_0003""")
    op.execute("""
        INSERT INTO raw.quarantine (quarantine_id, document_id, extraction_method, table_seq, table_title, page,
            line_start, line_end, raw_text, reason_code, reason, candidates)
        SELECT quarantine_id, document_id, extraction_method, table_seq, table_title, NULL, line_start, line_end,
            raw_text, reason_code, reason, candidates
        FROM raw._quarantine_0003""")
    op.execute("INSERT INTO raw.table_notes SELECT * FROM raw._table_notes_0003")
    _drop_copies()


def downgrade() -> None:
    op.execute("DROP TABLE raw.tables")
    _copy_aside()
    op.execute("""
        CREATE TABLE raw.documents (
            document_id BIGINT PRIMARY KEY DEFAULT nextval('raw.document_id_seq'), report_id VARCHAR NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1), sha256 VARCHAR NOT NULL CHECK (length(sha256) = 64),
            parser_version VARCHAR NOT NULL, company VARCHAR NOT NULL, title VARCHAR NOT NULL, title_original VARCHAR,
            report_type VARCHAR NOT NULL CHECK (report_type IN ('CSR', 'SSV', 'ESG')), publication_date DATE NOT NULL,
            publication_date_basis VARCHAR, fiscal_year_start INTEGER NOT NULL, fiscal_year_end INTEGER NOT NULL,
            script VARCHAR NOT NULL CHECK (script IN ('zh-Hans', 'zh-Hant')), file_name VARCHAR NOT NULL,
            byte_size BIGINT NOT NULL, line_count INTEGER NOT NULL,
            load_run_id BIGINT NOT NULL REFERENCES raw.load_runs (load_run_id), loaded_at TIMESTAMP NOT NULL,
            UNIQUE (report_id, sha256, parser_version), UNIQUE (report_id, version),
            CHECK (fiscal_year_start <= fiscal_year_end))""")
    op.execute("""
        INSERT INTO raw.documents SELECT document_id, report_id, version, sha256, parser_version, company, title,
            title_original, report_type, publication_date, publication_date_basis, fiscal_year_start, fiscal_year_end,
            language, file_name, byte_size, line_count, load_run_id, loaded_at FROM raw._documents_0003""")
    op.execute(
        FIGURES.replace("    table_title_zh_hans VARCHAR,\n", "")
        .replace("    page               INTEGER CHECK (page >= 1),\n", "")
        .replace("    column_member      VARCHAR,\n    column_member_zh_hans VARCHAR,\n", "")
    )
    op.execute("""
        INSERT INTO raw.figures SELECT figure_id, document_id, figure_seq, extraction_method, table_seq, table_title,
            line_start, line_end, raw_text, section_label, category, group_label, row_label, label_path,
            label_path_zh_hans, section_label_zh_hans, category_zh_hans, group_label_zh_hans, row_label_zh_hans,
            column_label, fiscal_year, cell_text, value_text, value, unit_text, unit_text_zh_hans, label_footnotes,
            value_footnotes, qualifier FROM raw._figures_0003""")
    op.execute(QUARANTINE.replace("    page               INTEGER CHECK (page >= 1),\n", ""))
    op.execute("""
        INSERT INTO raw.quarantine SELECT quarantine_id, document_id, extraction_method, table_seq, table_title,
            line_start, line_end, raw_text, reason_code, reason, candidates FROM raw._quarantine_0003""")
    op.execute(TABLE_NOTES)
    op.execute("INSERT INTO raw.table_notes SELECT * FROM raw._table_notes_0003")
    _drop_copies()
