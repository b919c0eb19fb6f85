"""raw.figures.split_row / split_candidate and raw.quarantine.split_row: a refused split's candidates

Revision ID: 0008_split_candidates
Revises: 0007_undated_figures
Create Date: 2026-12-01

A squashed row whose digits split more than one way (`5001,077`: 50 / 0 / 1,077 or 500 / 1,077)
stays refused in raw.quarantine, numbered by split_row; each close call is kept in raw.figures as
figures of method kpi_table_squashed_split with that split_row and its candidate number. Parsing
stays per document and never chooses; dbt (intermediate.int_squashed_splits) keeps a candidate
only when the other reports' figures and the row's total settle it.
"""

from alembic import op

revision = "0008_split_candidates"
down_revision = "0007_undated_figures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE raw.figures ADD COLUMN IF NOT EXISTS split_row INTEGER")
    op.execute("ALTER TABLE raw.figures ADD COLUMN IF NOT EXISTS split_candidate INTEGER")
    op.execute("ALTER TABLE raw.quarantine ADD COLUMN IF NOT EXISTS split_row INTEGER")


def downgrade() -> None:
    # The older schema has no candidates: they go (a rebuild reads them again); the columns stay
    # on DuckDB, which cannot drop a column of an indexed table, unused by the older schema.
    op.execute("DELETE FROM raw.figures WHERE split_row IS NOT NULL")
    if op.get_bind().dialect.name != "duckdb":
        op.execute("ALTER TABLE raw.figures DROP COLUMN split_row")
        op.execute("ALTER TABLE raw.figures DROP COLUMN split_candidate")
        op.execute("ALTER TABLE raw.quarantine DROP COLUMN split_row")
