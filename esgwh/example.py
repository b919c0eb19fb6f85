"""warehouse.duckdb.example: a build of the bundled reports committed to the repository. It is
rewritten only when what it holds changed, so regenerating it does not add 11 MB of new bytes
to the repository per run: a DuckDB file is not byte-reproducible (timestamps, run ids, block
layout), so the comparison is of content, not of bytes."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import duckdb

# When a build ran, by which commit, under which run id: not what the warehouse holds.
VOLATILE_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "DATE_TIME")
VOLATILE_COLUMNS = {"code_version", "run_id"}
VOLATILE_SCHEMAS = {"audit"}  # the build history: one row per build, all of it volatile


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def content_digests(path: Path) -> dict[str, str]:
    """Per table, a digest of its rows (in any order) without the volatile columns; a table of a
    volatile schema by its row count only."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        columns: dict[tuple[str, str], list[str]] = {}
        shapes: dict[tuple[str, str], list[str]] = {}
        for schema, table, column, data_type in con.execute("""
                SELECT c.table_schema, c.table_name, c.column_name, c.data_type
                FROM information_schema.columns c JOIN information_schema.tables t
                  ON (c.table_catalog, c.table_schema, c.table_name) = (t.table_catalog, t.table_schema, t.table_name)
                WHERE c.table_catalog = current_database() AND t.table_type = 'BASE TABLE'
                ORDER BY c.table_schema, c.table_name, c.ordinal_position""").fetchall():
            kept = columns.setdefault((schema, table), [])
            shapes.setdefault((schema, table), []).append(f"{column} {data_type}")
            if (
                schema not in VOLATILE_SCHEMAS
                and column not in VOLATILE_COLUMNS
                and not data_type.startswith(VOLATILE_TYPES)
            ):
                kept.append(column)
        out = {}
        # what is not rows: views, macros, constraints, nullability and defaults
        for kind, sql in (
            ("views", "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE NOT internal"),
            (
                "macros",
                "SELECT schema_name, function_name, macro_definition FROM duckdb_functions() "
                "WHERE NOT internal AND function_type LIKE '%macro'",
            ),
            (
                "constraints",
                "SELECT schema_name, table_name, constraint_type, constraint_text FROM duckdb_constraints()",
            ),
            (
                "columns",
                "SELECT schema_name, table_name, column_name, is_nullable, column_default "
                "FROM duckdb_columns() WHERE NOT internal",
            ),
        ):
            rows = sorted(map(repr, con.execute(sql).fetchall()))
            out[f"({kind})"] = hashlib.md5("\n".join(rows).encode()).hexdigest()
        for (schema, table), kept in columns.items():
            name = f"{_quote(schema)}.{_quote(table)}"
            shape = hashlib.md5(", ".join(shapes[(schema, table)]).encode()).hexdigest()
            if schema in VOLATILE_SCHEMAS or not kept:
                counted = con.execute(f"SELECT count(*) FROM {name}").fetchone()
                assert counted is not None  # count(*) returns one row
                out[f"{schema}.{table}"] = f"columns {shape} rows {counted[0]}"
                continue
            cols = ", ".join(_quote(c) for c in kept)
            summed = con.execute(f"""SELECT md5(coalesce(string_agg(h, '' ORDER BY h), '')), count(*)
                FROM (SELECT md5(CAST(row({cols}) AS VARCHAR)) AS h FROM {name})""").fetchone()
            assert summed is not None  # an aggregate returns one row
            digest, rows = summed
            out[f"{schema}.{table}"] = f"columns {shape} rows {rows} md5 {digest}"
        return out
    finally:
        con.close()


def digest(path: Path) -> str:
    return hashlib.sha256(repr(sorted(content_digests(path).items())).encode()).hexdigest()


def publish_example(fresh: Path, dest: Path) -> bool:
    """Copy the fresh build over `dest` unless `dest` already holds the same content. True if written."""
    try:
        same = dest.exists() and content_digests(dest) == content_digests(fresh)
    except duckdb.Error:  # not a warehouse DuckDB can read (damaged, a Git LFS pointer): replace it
        same = False
    if same:
        return False
    tmp = dest.with_suffix(".tmp")
    shutil.copyfile(fresh, tmp)
    os.replace(tmp, dest)
    return True
