"""warehouse.duckdb.example must match what the code builds (same tables, same row counts)."""
from __future__ import annotations

import duckdb

from .conftest import ROOT

EXAMPLE = ROOT / "warehouse.duckdb.example"


def _table_counts(path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute("""SELECT table_schema, table_name FROM information_schema.tables
                                WHERE table_catalog = current_database() ORDER BY ALL""").fetchall()
        return {f"{s}.{t}": con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0] for s, t in tables}
    finally:
        con.close()


def test_example_matches_a_fresh_build(built_warehouse):
    assert EXAMPLE.exists(), "warehouse.duckdb.example is missing: run `esgwh example`"
    assert _table_counts(EXAMPLE) == _table_counts(built_warehouse), (
        "warehouse.duckdb.example is stale: regenerate it with `esgwh example` and commit it")
