"""raw.figures.fiscal_year may be null: a cell of a table that prints no fiscal year

Revision ID: 0007_undated_figures
Revises: 0006_company_id
Create Date: 2026-12-01

Some tables print no year anywhere (`GHG Emissions (indicative) breakdown by Product Group`, with
metric columns and product rows). The loaders read their cells as printed and leave the year
unknown, because the text does not state it; dbt dates such a table only where other figures of
the company corroborate one year (intermediate.int_figures_dated), and reports the rest.
"""

from alembic import op

revision = "0007_undated_figures"
down_revision = "0006_company_id"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE raw.figures ALTER COLUMN fiscal_year DROP NOT NULL")


def downgrade() -> None:
    # The older schema cannot hold a figure without a year: those cells go (a rebuild reads them again).
    op.execute("DELETE FROM raw.figures WHERE fiscal_year IS NULL")
    op.execute("ALTER TABLE raw.figures ALTER COLUMN fiscal_year SET NOT NULL")
