"""raw.documents.company_id: a stable id for the company of each report

Revision ID: 0006_company_id
Revises: 0005_document_texts
Create Date: 2026-12-01

The company name is printed differently from report to report (and changes with a rename); the
manifest's company_id (optional: by default the name, lower-case, words joined by _) keeps one
company's series together. Rows loaded before the column existed get that default.
"""

from alembic import op

revision = "0006_company_id"
down_revision = "0005_document_texts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE raw.documents ADD COLUMN IF NOT EXISTS company_id VARCHAR")
    op.execute(
        "UPDATE raw.documents SET company_id = "
        "nullif(trim(both '_' from regexp_replace(lower(company), '[^a-z0-9]+', '_', 'g')), '')"
    )


def downgrade() -> None:
    # DuckDB cannot drop a column of a table other tables reference: there it stays, unused by the
    # older schema, and the upgrade finds it in place.
    if op.get_bind().dialect.name != "duckdb":
        op.execute("ALTER TABLE raw.documents DROP COLUMN company_id")
