"""The raw schema is declared once (loaders/raw_schema.py); the Alembic migrations' head, the dbt
sources, the store and the targets' table list are checked against it, so a copy cannot drift."""

from __future__ import annotations

import ast
from pathlib import Path

import duckdb
import yaml

from esgwh import audit, migrate
from esgwh.layers import RAW_TABLES
from loaders.raw_schema import RAW, columns, written

ROOT = Path(__file__).resolve().parents[1]


def test_the_migrations_head_is_the_declared_schema(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    migrate.upgrade(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        found: dict[str, list[tuple]] = {}
        for table, column, data_type, nullable in con.execute("""SELECT table_name, column_name, data_type,
                is_nullable = 'YES' FROM information_schema.columns WHERE table_schema = 'raw'
                ORDER BY table_name, ordinal_position""").fetchall():
            found.setdefault(table, []).append((column, data_type, nullable))
        generated = {
            (t, c)
            for t, c, d in con.execute(
                "SELECT table_name, column_name, column_default FROM duckdb_columns() WHERE schema_name = 'raw'"
            ).fetchall()
            if d and "nextval" in d
        }
    finally:
        con.close()
    assert found == {t: [(c.name, c.type, c.nullable) for c in cols] for t, cols in RAW.items()}
    assert generated == {(t, c.name) for t, cols in RAW.items() for c in cols if c.generated}


def test_the_build_history_table_is_one_definition_for_the_warehouse_and_the_sidecar(tmp_path):
    """audit.build_runs: migration 0009 gives it to every warehouse; the sidecar history file is
    created from esgwh/audit.py's declaration; both must be that declaration."""

    def columns_of(db: Path) -> list[tuple]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute("""SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns
                WHERE table_schema = 'audit' AND table_name = 'build_runs' ORDER BY ordinal_position""").fetchall()
        finally:
            con.close()

    declared = [(c.name, c.type, c.nullable) for c in audit.BUILD_RUNS]
    warehouse = tmp_path / "warehouse.duckdb"
    migrate.upgrade(warehouse)
    assert columns_of(warehouse) == declared
    sidecar = tmp_path / "runs.duckdb"
    run = audit.RunRecord(run_id="r1", started_at=audit.now(), warehouse="w", code_version="c", fingerprint="f")
    audit.record(sidecar, run)
    assert columns_of(sidecar) == declared
    audit.copy_into(sidecar, warehouse)  # the history goes into the migrated table as it is
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute("SELECT run_id, status FROM audit.build_runs").fetchall() == [("r1", "running")]
    finally:
        con.close()


def test_the_dbt_sources_list_the_declared_tables_and_only_their_columns():
    sources = yaml.safe_load((ROOT / "models" / "staging" / "_sources.yml").read_text(encoding="utf-8"))
    raw = next(s for s in sources["sources"] if s["name"] == "raw")
    tables = {t["name"]: [c["name"] for c in t.get("columns", [])] for t in raw["tables"]}
    assert set(tables) == set(RAW)
    assert {(t, c) for t, cs in tables.items() for c in cs} <= {(t, c) for t in RAW for c in columns(t)}


def test_the_store_and_the_targets_write_the_declared_columns():
    assert RAW_TABLES == list(RAW)
    # every row the store builds has one value per declared column, in the declared order
    tree = ast.parse((ROOT / "loaders" / "store.py").read_text(encoding="utf-8"))
    sizes = {
        node.name: len(next(n for n in ast.walk(node) if isinstance(n, ast.Tuple) and len(n.elts) > 5).elts)
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name in ("_figure_rows", "_quarantine_rows")
    }
    assert sizes == {"_figure_rows": len(written("figures")), "_quarantine_rows": len(written("quarantine"))}


def test_every_field_a_manifest_row_describes_is_stored_with_the_document():
    from loaders.manifest import DESCRIPTION_FIELDS

    assert set(DESCRIPTION_FIELDS) <= set(columns("documents"))


def test_every_field_a_parser_returns_has_a_raw_column():
    """A field added to what parsers return (loaders/model.py) must reach raw, or be named here as
    kept under another name or not stored, so that nothing a reader finds is dropped unnoticed."""
    import dataclasses

    from loaders.model import Figure, Quarantined, TableNote, TableSummary

    renamed = {
        ("table_notes", "text"): "note_text",
        ("tables", "header_line"): "line_start",
        ("tables", "last_line"): "line_end",
    }
    not_stored = {
        (
            "table_notes",
            "paragraph_lines",
        ),  # where each paragraph starts: used while parsing, for the lines of figures in notes
        ("tables", "quarantined_rows"),  # each such row is a raw.quarantine row of its own
    }
    for table, cls in (
        ("figures", Figure),
        ("quarantine", Quarantined),
        ("table_notes", TableNote),
        ("tables", TableSummary),
    ):
        missing = [
            f.name
            for f in dataclasses.fields(cls)
            if (table, f.name) not in not_stored and renamed.get((table, f.name), f.name) not in columns(table)
        ]
        assert missing == [], (cls.__name__, missing)
