"""The PostgreSQL target: the same raw data and the same dbt project, on a PostgreSQL server.

The loaders write DuckDB only. `esgwh build --target postgres` first builds (or confirms) the
DuckDB warehouse, then mirrors its raw schema into PostgreSQL in one transaction (the schema
itself comes from the same Alembic migrations), runs `dbt build --target postgres` with every
test, and grants a read-only role to BI users. Connection settings come from the environment.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import psycopg2
import psycopg2.errors
from psycopg2 import sql

from . import migrate
from .dbt import BUILD, run_dbt
from .layers import RAW_TABLES, SCHEMAS


@dataclass
class PgSettings:
    host: str
    port: int
    user: str
    password: str
    database: str
    reader_role: str
    bi_user: str | None
    bi_password: str | None

    @classmethod
    def from_env(cls) -> PgSettings:
        env = os.environ
        return cls(
            env.get("ESGWH_PG_HOST", "localhost"),
            int(env.get("ESGWH_PG_PORT", "5432")),
            env.get("ESGWH_PG_USER", "esgwh"),
            env.get("ESGWH_PG_PASSWORD", ""),
            env.get("ESGWH_PG_DATABASE", "esgwh"),
            env.get("ESGWH_PG_READER_ROLE", "esgwh_reader"),
            env.get("ESGWH_PG_BI_USER"),
            env.get("ESGWH_PG_BI_PASSWORD"),
        )

    def url(self) -> str:
        return f"postgresql+psycopg2://{self.user}:{self.password}@{self.host}:{self.port}/{self.database}"

    def connect(self):
        return psycopg2.connect(
            host=self.host, port=self.port, user=self.user, password=self.password, dbname=self.database
        )


def mirror_raw(duck: Path, pg: PgSettings) -> dict[str, int]:
    """Replace PostgreSQL's raw tables with DuckDB's, in one transaction; returns rows per table."""
    migrate.upgrade(pg.url())
    src = duckdb.connect(str(duck), read_only=True)
    counts = {}
    conn = pg.connect()
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                sql.SQL("TRUNCATE {} CASCADE").format(
                    sql.SQL(", ").join(sql.Identifier("raw", t) for t in reversed(RAW_TABLES))
                )
            )
            for table in RAW_TABLES:
                columns = [
                    r[0]
                    for r in src.execute(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' "
                        "AND table_name = ? ORDER BY ordinal_position",
                        [table],
                    ).fetchall()
                ]
                frame = src.execute(f"SELECT {', '.join(columns)} FROM raw.{table}").df()
                buffer = io.StringIO()
                frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
                buffer.seek(0)
                cur.copy_expert(
                    sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv, NULL '\\N')")
                    .format(sql.Identifier("raw", table), sql.SQL(", ").join(map(sql.Identifier, columns)))
                    .as_string(cur),
                    buffer,
                )
                counts[table] = len(frame)
    finally:
        conn.close()
        src.close()
    return counts


def grant_readers(pg: PgSettings) -> None:
    """A NOLOGIN role with read access to the warehouse schemas; optionally a BI login user in it."""
    conn = pg.connect()
    try:
        with conn, conn.cursor() as cur:
            role = sql.Identifier(pg.reader_role)
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [pg.reader_role])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(role))
            for schema in SCHEMAS:
                s = sql.Identifier(schema)
                cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, role))
                cur.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(s, role))
                cur.execute(
                    sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT ON TABLES TO {}").format(s, role)
                )
            if pg.bi_user:
                user = sql.Identifier(pg.bi_user)
                cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [pg.bi_user])
                if cur.fetchone() is None:
                    cur.execute(
                        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(user, sql.Literal(pg.bi_password or ""))
                    )
                cur.execute(sql.SQL("GRANT {} TO {}").format(role, user))
                cur.execute(sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(user))
    finally:
        conn.close()


LOCK_TIMEOUT_ENV = "ESGWH_PG_LOCK_TIMEOUT"


def blockers(pg: PgSettings) -> str:
    """Who holds locks on the warehouse schemas (a BI session idle in a transaction, say)."""
    conn = pg.connect()
    try:
        with conn, conn.cursor() as cur:
            cur.execute(
                """
                SELECT a.pid, a.usename, coalesce(nullif(a.application_name, ''), '-'), a.state,
                       string_agg(DISTINCT n.nspname || '.' || c.relname, ', ')
                FROM pg_locks l
                JOIN pg_class c ON c.oid = l.relation
                JOIN pg_namespace n ON n.oid = c.relnamespace
                JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE l.granted AND a.pid <> pg_backend_pid() AND a.datname = current_database()
                  AND n.nspname = ANY(%s)
                GROUP BY 1, 2, 3, 4 ORDER BY 1""",
                [SCHEMAS],
            )
            rows = cur.fetchall()
    finally:
        conn.close()
    return (
        "; ".join(
            f"pid {pid} (user {user}, application {app}, {state}) holds {tables}"
            for pid, user, app, state, tables in rows
        )
        or "no session holds one now"
    )


def build_postgres(duck: Path, work_dir: Path, log, dbt_project: Path | None = None) -> dict:
    pg = PgSettings.from_env()
    # Every statement of this build (ours, Alembic's, dbt's: all through libpq) waits at most this
    # long for a lock, so a BI session holding a transaction fails the build instead of hanging it.
    timeout = os.environ.get(LOCK_TIMEOUT_ENV, "60s")
    os.environ["PGOPTIONS"] = f"-c lock_timeout={timeout}"
    try:
        counts = mirror_raw(duck, pg)
    except psycopg2.errors.LockNotAvailable as exc:
        raise RuntimeError(
            f"waited {timeout} for a lock to replace the raw tables and gave up "
            f"({str(exc).strip().splitlines()[0]}): {blockers(pg)}. End that session's "
            f"transaction and build again ({LOCK_TIMEOUT_ENV} sets the wait)"
        ) from None
    log(
        f"[postgres] raw mirrored to {pg.host}:{pg.port}/{pg.database}: "
        + ", ".join(f"{t} {n}" for t, n in counts.items())
    )
    outcome = run_dbt([*BUILD, "--target", "postgres"], duck, work_dir / "postgres", dbt_project)
    if not outcome.success:
        detail = "; ".join(outcome.failures[:10]) or outcome.error or "see the dbt log"
        if "lock timeout" in detail:
            detail += f" — waited {timeout} for a lock: {blockers(pg)}; end that session's transaction and build again"
        raise RuntimeError(f"dbt build --target postgres failed: {detail}")
    grant_readers(pg)
    log(
        "[postgres] dbt build passed: "
        + ", ".join(f"{n} {s}" for s, n in sorted(outcome.counts.items()))
        + f"; read-only role {pg.reader_role}"
        + (f" granted to {pg.bi_user}" if pg.bi_user else "")
    )
    return outcome.counts
