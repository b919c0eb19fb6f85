"""raw.table_notes: table footnotes as printed, linked to figures by marker

Revision ID: 0002_table_notes
Revises: 0001_raw_schema
Create Date: 2026-11-21

A new table rather than new columns: DuckDB cannot add constraints to existing tables, and the
figures table stays untouched for warehouses built before this revision.
"""

from alembic import op

revision = "0002_table_notes"
down_revision = "0001_raw_schema"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE SEQUENCE raw.note_id_seq START 1")
    op.execute(
        """
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
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS raw.table_notes")
    op.execute("DROP SEQUENCE IF EXISTS raw.note_id_seq")
