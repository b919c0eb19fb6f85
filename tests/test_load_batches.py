"""The load as a stream: reports parsed in worker processes and stored in batches. Batching and
parallelism change no row (ids included); a batch lands whole; a report changed after the check
is refused, not parsed, and the load run says how far it got."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from esgwh import migrate
from loaders.errors import LoaderError
from loaders.load import load_reports, verify_reports
from loaders.raw_schema import RAW
from tests.conftest import copy_reports

VOLATILE = {"loaded_at", "started_at", "finished_at", "recorded_at"}


def _warehouse(path: Path) -> duckdb.DuckDBPyConnection:
    migrate.upgrade(path)
    return duckdb.connect(str(path))


def _raw_rows(con: duckdb.DuckDBPyConnection, leave_out: frozenset[str] = frozenset()) -> dict[str, list[tuple]]:
    out = {}
    for table, columns in RAW.items():
        kept = ", ".join(c.name for c in columns if c.name not in VOLATILE | leave_out)
        out[table] = con.execute(f"SELECT {kept} FROM raw.{table} ORDER BY ALL").fetchall()
    return out


@pytest.fixture(scope="module")
def one_batch(tmp_path_factory) -> Path:
    """The bundled reports loaded in one process, one batch: the reference."""
    path = tmp_path_factory.mktemp("one_batch") / "w.duckdb"
    con = _warehouse(path)
    try:
        load_reports(con, verify_reports(copy_reports(tmp_path_factory.mktemp("reports")) / "data" / "reports"), "t")
    finally:
        con.close()
    return path


def _rows_of(path: Path, leave_out: frozenset[str] = frozenset()) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return _raw_rows(con, leave_out)
    finally:
        con.close()


def test_batches_and_workers_change_no_row(one_batch, tmp_path):
    reports = copy_reports(tmp_path / "project") / "data" / "reports"
    con = _warehouse(tmp_path / "w.duckdb")
    try:
        result = load_reports(con, verify_reports(reports), "t", jobs=2, batch_documents=2)
        assert [d.status for d in result.documents] == ["loaded"] * 5
        rows = _raw_rows(con)
    finally:
        con.close()
    reference = _rows_of(one_batch)
    assert len(reference["figures"]) > 900  # the bundled reports' figures, not an empty load
    for table in RAW:
        assert rows[table] == reference[table], table  # ids, order and every value


def _append(reports: Path, file_name: str) -> None:
    with (reports / file_name).open("ab") as fh:
        fh.write(b"\n2023\xe5\xb9\xb4\xe5\x87\x8f\xe6\x8e\x92 99 \xe5\x90\xa8\n")  # 2023年减排 99 吨


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_report_changed_after_the_check_is_refused_and_the_run_says_how_far_it_got(tmp_path, jobs):
    reports = copy_reports(tmp_path / "project") / "data" / "reports"
    checked = verify_reports(reports)
    last = checked.entries[-1]
    _append(reports, last.file_name)  # after the check, before the load reads it
    con = _warehouse(tmp_path / "w.duckdb")
    try:
        with pytest.raises(LoaderError) as refused:
            load_reports(con, checked, "t", jobs=jobs, batch_documents=2)
        assert refused.value.file == last.file_name
        assert "does not match the manifest" in refused.value.message
        # two batches of two landed; the fifth report was never parsed, and nothing of it is stored
        stored = [r[0] for r in con.execute("SELECT report_id FROM raw.documents ORDER BY document_id").fetchall()]
        assert stored == [e.report_id for e in checked.entries[:4]]
        status, loaded, message = con.execute("SELECT status, documents_loaded, message FROM raw.load_runs").fetchone()
        assert (status, loaded) == ("failed", 4)
        assert last.file_name in message
        figures_of_stored = con.execute(
            "SELECT count(*) FROM raw.figures JOIN raw.documents USING (document_id)"
        ).fetchone()[0]
        assert figures_of_stored == con.execute("SELECT count(*) FROM raw.figures").fetchone()[0] > 0
    finally:
        con.close()


def test_a_new_load_after_a_failed_one_stores_only_what_is_missing(tmp_path, one_batch):
    reports = copy_reports(tmp_path / "project") / "data" / "reports"
    checked = verify_reports(reports)
    last = checked.entries[-1]
    original = (reports / last.file_name).read_bytes()
    _append(reports, last.file_name)
    con = _warehouse(tmp_path / "w.duckdb")
    try:
        with pytest.raises(LoaderError):
            load_reports(con, checked, "t", batch_documents=2)
        (reports / last.file_name).write_bytes(original)  # put back as the manifest has it
        again = load_reports(con, reports, "t")
        assert [d.report_id for d in again.loaded] == [last.report_id]
        rows = _raw_rows(con, frozenset({"load_run_id"}))
    finally:
        con.close()
    # the same rows as one clean load, ids too (the batch that failed took none); only the run differs
    reference = _rows_of(one_batch, frozenset({"load_run_id"}))
    for table in ("documents", "document_texts", "figures", "quarantine", "tables", "table_notes"):
        assert rows[table] == reference[table], table
