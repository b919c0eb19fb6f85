"""raw.retired_reports: reports no longer served, and why

Revision ID: 0004_retired_reports
Revises: 0003_any_report
Create Date: 2026-12-01

A report's rows stay in raw for history when it is retired (data/reports/retired.csv); staging
stops serving them. A rename of a report id is a retirement plus an addition, so the same content
is never served twice under two ids.
"""

from alembic import op

revision = "0004_retired_reports"
down_revision = "0003_any_report"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE raw.retired_reports (
            report_id    VARCHAR PRIMARY KEY,
            retired_on   DATE NOT NULL,
            reason       VARCHAR NOT NULL,
            recorded_at  TIMESTAMP NOT NULL
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE raw.retired_reports")
