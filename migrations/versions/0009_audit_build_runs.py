"""audit.build_runs: the build history each published warehouse carries

Revision ID: 0009_audit_build_runs
Revises: 0008_split_candidates
Create Date: 2026-12-02

Until now the build wrote this table itself, outside Alembic, just before publishing. It is
declared in esgwh/audit.py (BUILD_RUNS), which the sidecar history file is created from and
tests/test_raw_schema.py checks this head against. IF NOT EXISTS: a warehouse published before
this revision already holds the table, with these columns. DuckDB only: the history belongs to
the DuckDB warehouse the build publishes; a PostgreSQL target mirrors raw and builds the marts.
Downgrading drops the table; the history stays in the sidecar file beside the warehouse, from
which the older build code copies it back at its next publish.
"""

from alembic import op

revision = "0009_audit_build_runs"
down_revision = "0008_split_candidates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "duckdb":
        return
    op.execute("CREATE SCHEMA IF NOT EXISTS audit")
    op.execute(
        """
        CREATE TABLE IF NOT EXISTS audit.build_runs (
            run_id          VARCHAR PRIMARY KEY,
            started_at      TIMESTAMP NOT NULL,
            finished_at     TIMESTAMP,
            status          VARCHAR NOT NULL,      -- published | nothing_new | failed | refused | running | publishing
            exit_code       INTEGER,
            warehouse       VARCHAR NOT NULL,
            code_version    VARCHAR,
            fingerprint     VARCHAR,
            step_seconds    VARCHAR,               -- JSON: step -> seconds
            reports         VARCHAR,               -- JSON: report_id -> {status, figures, quarantined}
            figures_loaded  INTEGER,
            dbt_results     VARCHAR,               -- JSON: dbt status -> nodes
            message         VARCHAR
        )
        """
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "duckdb":
        return
    op.execute("DROP TABLE IF EXISTS audit.build_runs")
    op.execute("DROP SCHEMA IF EXISTS audit")
