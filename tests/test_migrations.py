"""The Alembic migrations on a real DuckDB file: up, down and up again."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from esgwh import migrate
from loaders.load import load_reports
from loaders.raw_schema import RAW

RAW_TABLES = set(RAW)


def _raw_tables(path) -> set[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
            ).fetchall()
        }
    finally:
        con.close()


def _insert_document(con) -> None:
    """A load run and a document, the parents every other raw row needs (the language column was
    `script` before 0003_any_report)."""
    con.execute(
        "INSERT INTO raw.load_runs (started_at, code_version, parser_version, status) "
        "VALUES (now(), 't', '1', 'succeeded')"
    )
    columns = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = 'raw' AND table_name = 'documents'"
        ).fetchall()
    }
    language = "language" if "language" in columns else "script"
    con.execute(f"""INSERT INTO raw.documents (report_id, version, sha256, parser_version, company, title, report_type,
        publication_date, fiscal_year_start, fiscal_year_end, {language}, file_name, byte_size, line_count,
        load_run_id, loaded_at) VALUES ('r', 1, repeat('a', 64), '1', 'c', 't', 'ESG', DATE '2022-01-01', 2021, 2021,
        'zh-Hans', 'f.txt', 1, 1, 1, now())""")


def test_upgrade_downgrade_upgrade(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    migrate.upgrade(db)
    assert _raw_tables(db) == RAW_TABLES
    migrate.downgrade(db, "base")
    assert _raw_tables(db) == set()
    migrate.upgrade(db)
    assert _raw_tables(db) == RAW_TABLES


def test_a_warehouse_published_before_0009_keeps_its_build_history(tmp_path):
    """The old build code created audit.build_runs itself (esgwh/audit.py's DDL, before 0009): the
    migration takes that table as it is, rows included."""
    from esgwh import audit

    db = tmp_path / "warehouse.duckdb"
    migrate.upgrade(db, "0008_split_candidates")
    con = duckdb.connect(str(db))
    try:
        con.execute(audit.DDL)
        con.execute(
            "INSERT INTO audit.build_runs (run_id, started_at, status, warehouse) VALUES ('r0', now(), 'published', 'w')"
        )
    finally:
        con.close()
    migrate.upgrade(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT run_id, status FROM audit.build_runs").fetchall() == [("r0", "published")]
        assert con.execute("SELECT version_num FROM main.alembic_version").fetchall() == [("0009_audit_build_runs",)]
    finally:
        con.close()


def test_upgrade_is_idempotent_and_records_head(tmp_path):
    db = tmp_path / "warehouse.duckdb"
    migrate.upgrade(db)
    migrate.upgrade(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT version_num FROM main.alembic_version").fetchall() == [("0009_audit_build_runs",)]
    finally:
        con.close()


def test_raw_constraints_reject_a_value_without_qualifier_agreement(tmp_path):
    """A not-reported figure must have no value, and a reported one must have one."""
    db = tmp_path / "warehouse.duckdb"
    migrate.upgrade(db)
    con = duckdb.connect(str(db))
    try:
        _insert_document(con)
        import pytest

        with pytest.raises(duckdb.ConstraintException):
            con.execute("""INSERT INTO raw.figures (document_id, figure_seq, extraction_method, line_start, line_end,
                raw_text, row_label, label_path, label_path_zh_hans, row_label_zh_hans, fiscal_year, cell_text,
                value_text, value, unit_text, unit_text_zh_hans, label_footnotes, value_footnotes, qualifier)
                VALUES (1, 1, 'kpi_table', 1, 1, 'x', 'l', 'l', 'l', 'l', 2021, '—', '—', 1.0, '', '', '', '',
                'not_reported')""")
    finally:
        con.close()


def _revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    from esgwh.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(Path("unused.duckdb")))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _seed_rows(con, tables: set[str]) -> dict[str, int]:
    """One row in every raw table that exists at this revision."""
    _insert_document(con)
    con.execute("""INSERT INTO raw.figures (document_id, figure_seq, extraction_method, line_start, line_end,
        raw_text, row_label, label_path, label_path_zh_hans, row_label_zh_hans, fiscal_year, cell_text,
        value_text, value, unit_text, unit_text_zh_hans, label_footnotes, value_footnotes, qualifier)
        VALUES (1, 1, 'kpi_table', 1, 1, 'x', 'l', 'l', 'l', 'l', 2021, '1.5', '1.5', 1.5, '', '', '', '', 'exact')""")
    con.execute("""INSERT INTO raw.quarantine (document_id, extraction_method, line_start, line_end, raw_text,
        reason_code, reason) VALUES (1, 'kpi_table', 2, 2, 'y', 'too_few_values', 'r')""")
    if "table_notes" in tables:
        con.execute(
            "INSERT INTO raw.table_notes (document_id, marker, line_start, line_end, note_text) "
            "VALUES (1, '1', 3, 3, 'n')"
        )
    return {t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for t in tables}


def test_upgrading_from_every_earlier_revision_keeps_every_raw_row(tmp_path):
    from .conftest import RELIABILITY

    revisions = _revisions()
    assert revisions[0] == "0001_raw_schema" and len(revisions) >= 2
    for start in revisions[:-1]:
        db = tmp_path / f"from_{start}.duckdb"
        migrate.upgrade(db, start)
        con = duckdb.connect(str(db))
        try:
            tables = {
                r[0]
                for r in con.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
                ).fetchall()
            }
            before = _seed_rows(con, tables)
        finally:
            con.close()
        migrate.upgrade(db, "head")
        con = duckdb.connect(str(db), read_only=True)
        try:
            after = {t: con.execute(f"SELECT count(*) FROM raw.{t}").fetchone()[0] for t in before}
            assert con.execute("SELECT value FROM raw.figures").fetchall() == [(Decimal("1.5"),)]
        finally:
            con.close()
        lost = sum(before[t] - after[t] for t in before)
        RELIABILITY["rows lost"] += max(lost, 0)
        assert after == before, start


def test_a_new_parser_version_reparses_unchanged_reports(tmp_path, monkeypatch):
    """Loading is idempotent per content and parser: a parser change loads new document versions."""
    import loaders

    from .conftest import REPORTS

    db = tmp_path / "warehouse.duckdb"
    migrate.upgrade(db)
    con = duckdb.connect(str(db))
    try:
        first = load_reports(con, REPORTS, "test")
        assert len(first.loaded) == 5
        assert load_reports(con, REPORTS, "test").loaded == []  # same content, same parser
        monkeypatch.setattr(loaders, "PARSER_VERSION", "test-next")
        assert len(load_reports(con, REPORTS, "test").loaded) == 5  # same content, new parser
        versions = con.execute("SELECT report_id, max(version), count(*) FROM raw.documents GROUP BY 1").fetchall()
        assert all(v == 2 and n == 2 for _, v, n in versions)
    finally:
        con.close()


def _loaded_copy(tmp_path):
    """A copy of the bundled reports, loaded once into a migrated warehouse: (reports dir, connection)."""
    import shutil

    from .conftest import REPORTS

    data = tmp_path / "reports"
    shutil.copytree(REPORTS, data)
    db = tmp_path / "warehouse.duckdb"
    migrate.upgrade(db)
    con = duckdb.connect(str(db))
    assert len(load_reports(con, data, "test").loaded) == 5
    return data, con


@pytest.mark.attack("manifest")
def test_a_manifest_change_the_readers_depend_on_reparses_the_report(tmp_path):
    """Relative headers (`Current Financial Year`) resolve to the manifest's fiscal years: a report
    whose manifest row now says other years is parsed again, the others are left alone."""
    data, con = _loaded_copy(tmp_path)
    try:
        manifest = data / "manifest.csv"
        text = manifest.read_text(encoding="utf-8")
        old = ",SSV,2024-06-03,"
        assert old in text
        row = next(line for line in text.splitlines() if line.startswith("tencent_ssv_2023,"))
        manifest.write_text(
            text.replace(row, row.replace(",2021,2023,zh-Hans,", ",2020,2023,zh-Hans,")), encoding="utf-8"
        )
        again = load_reports(con, data, "test")
        assert [d.report_id for d in again.loaded] == ["tencent_ssv_2023"]
        assert con.execute(
            "SELECT version, fiscal_year_start FROM raw.documents WHERE report_id = 'tencent_ssv_2023' ORDER BY version"
        ).fetchall() == [(1, 2021), (2, 2020)]
        assert load_reports(con, data, "test").loaded == []
    finally:
        con.close()


@pytest.mark.attack("manifest")
def test_a_corrected_publication_date_takes_effect_as_a_new_version(tmp_path):
    """Issue 11, severe 3: an edit of a manifest row's metadata is loaded, not ignored."""
    data, con = _loaded_copy(tmp_path)
    try:
        manifest = data / "manifest.csv"
        manifest.write_text(
            manifest.read_text(encoding="utf-8").replace(",SSV,2024-06-03,", ",SSV,2024-06-04,"), encoding="utf-8"
        )
        again = load_reports(con, data, "test")
        assert [d.report_id for d in again.loaded] == ["tencent_ssv_2023"]
        assert con.execute(
            "SELECT version, publication_date FROM raw.documents WHERE report_id = 'tencent_ssv_2023' ORDER BY version"
        ).fetchall() == [(1, dt.date(2024, 6, 3)), (2, dt.date(2024, 6, 4))]
    finally:
        con.close()
