"""raw.document_texts: the text a PDF report was read from

Revision ID: 0005_document_texts
Revises: 0004_retired_reports
Create Date: 2026-12-01

A PDF is read through the text extracted from it and kept beside it (`<file>.txt`); the lines of a
figure are counted in that text. One row per document version read this way names the text file,
its SHA-256, the extractor that wrote it and the pages on which it found no text (a scanned page
inside a text PDF), so that a figure's line can be found again and a new extractor is visible.
"""

from alembic import op

revision = "0005_document_texts"
down_revision = "0004_retired_reports"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE raw.document_texts (
            document_id         BIGINT PRIMARY KEY REFERENCES raw.documents (document_id),
            text_file           VARCHAR NOT NULL,
            text_sha256         VARCHAR NOT NULL CHECK (length(text_sha256) = 64),
            extractor           VARCHAR NOT NULL,
            page_count          INTEGER NOT NULL CHECK (page_count >= 1),
            pages_without_text  VARCHAR NOT NULL
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE raw.document_texts")
