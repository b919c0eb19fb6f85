"""Alembic environment for a DuckDB warehouse (SQLAlchemy + duckdb-engine).

Alembic ships no DuckDB implementation, so one is registered here. Autogenerate is not used:
duckdb-engine's reflection is incomplete, so every migration is written by hand.
"""

from __future__ import annotations

import os

from alembic import context
from alembic.ddl.impl import DefaultImpl
from sqlalchemy import create_engine


class DuckDBImpl(DefaultImpl):
    __dialect__ = "duckdb"
    # DuckDB's transactional DDL is fine, but it cannot ALTER much: migrations rebuild instead.
    transactional_ddl = True


def _url() -> str:
    url = context.config.attributes.get("url") or context.config.get_main_option("sqlalchemy.url")
    if url:
        return url
    path = os.environ.get("ESGWH_WAREHOUSE", "warehouse.duckdb")
    return f"duckdb:///{path}"


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), literal_binds=True, version_table_schema="main" if _url().startswith("duckdb") else "public"
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection) -> None:
    # alembic_version lives in the default schema (main on DuckDB, public on PostgreSQL): the raw
    # schema does not exist before the first migration.
    schema = "main" if connection.dialect.name == "duckdb" else "public"
    context.configure(connection=connection, version_table_schema=schema)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
