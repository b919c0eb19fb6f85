"""raw schema: documents, load runs, extracted figures with provenance, quarantine

Revision ID: 0001_raw_schema
Revises:
Create Date: 2026-11-21

Hand-written DDL: duckdb-engine cannot reflect, and DuckDB cannot add foreign keys or CHECKs
later, so every constraint the raw layer needs is declared here up front. Identities come from
explicit sequences (DuckDB has no IDENTITY/SERIAL).
"""

from alembic import op

revision = "0001_raw_schema"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SCHEMA IF NOT EXISTS raw")
    for seq in ("load_run_id_seq", "document_id_seq", "figure_id_seq", "quarantine_id_seq"):
        op.execute(f"CREATE SEQUENCE raw.{seq} START 1")

    op.execute(
        """
        CREATE TABLE raw.load_runs (
            load_run_id        BIGINT PRIMARY KEY DEFAULT nextval('raw.load_run_id_seq'),
            started_at         TIMESTAMP NOT NULL,
            finished_at        TIMESTAMP,
            code_version       VARCHAR NOT NULL,
            parser_version     VARCHAR NOT NULL,
            status             VARCHAR NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
            documents_seen     INTEGER NOT NULL DEFAULT 0,
            documents_loaded   INTEGER NOT NULL DEFAULT 0,
            documents_unchanged INTEGER NOT NULL DEFAULT 0,
            figures_loaded     INTEGER NOT NULL DEFAULT 0,
            rows_quarantined   INTEGER NOT NULL DEFAULT 0,
            message            VARCHAR
        )
        """
    )
    op.execute(
        """
        CREATE TABLE raw.documents (
            document_id        BIGINT PRIMARY KEY DEFAULT nextval('raw.document_id_seq'),
            report_id          VARCHAR NOT NULL,
            version            INTEGER NOT NULL CHECK (version >= 1),
            sha256             VARCHAR NOT NULL CHECK (length(sha256) = 64),
            parser_version     VARCHAR NOT NULL,
            company            VARCHAR NOT NULL,
            title              VARCHAR NOT NULL,
            title_original     VARCHAR,
            report_type        VARCHAR NOT NULL CHECK (report_type IN ('CSR', 'SSV', 'ESG')),
            publication_date   DATE NOT NULL,
            publication_date_basis VARCHAR,
            fiscal_year_start  INTEGER NOT NULL,
            fiscal_year_end    INTEGER NOT NULL,
            script             VARCHAR NOT NULL CHECK (script IN ('zh-Hans', 'zh-Hant')),
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
    )
    op.execute(
        """
        CREATE TABLE raw.figures (
            figure_id          BIGINT PRIMARY KEY DEFAULT nextval('raw.figure_id_seq'),
            document_id        BIGINT NOT NULL REFERENCES raw.documents (document_id),
            figure_seq         INTEGER NOT NULL,
            extraction_method  VARCHAR NOT NULL,
            table_seq          INTEGER,
            table_title        VARCHAR,
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
    )
    op.execute(
        """
        CREATE TABLE raw.quarantine (
            quarantine_id      BIGINT PRIMARY KEY DEFAULT nextval('raw.quarantine_id_seq'),
            document_id        BIGINT NOT NULL REFERENCES raw.documents (document_id),
            extraction_method  VARCHAR NOT NULL,
            table_seq          INTEGER,
            table_title        VARCHAR,
            line_start         INTEGER NOT NULL,
            line_end           INTEGER NOT NULL,
            raw_text           VARCHAR NOT NULL,
            reason_code        VARCHAR NOT NULL,
            reason             VARCHAR NOT NULL,
            candidates         VARCHAR
        )
        """
    )


def downgrade() -> None:
    for table in ("quarantine", "figures", "documents", "load_runs"):
        op.execute(f"DROP TABLE IF EXISTS raw.{table}")
    for seq in ("quarantine_id_seq", "figure_id_seq", "document_id_seq", "load_run_id_seq"):
        op.execute(f"DROP SEQUENCE IF EXISTS raw.{seq}")
    op.execute("DROP SCHEMA IF EXISTS raw")
