"""esgwh coverage: per report, what the loaders find; every table row is accounted for."""

from __future__ import annotations

from esgwh.coverage import coverage

from .conftest import REPORTS, esgwh


def test_coverage_accounts_for_every_table_row():
    rows = {c.file_name: c for c in coverage(REPORTS)}
    assert set(rows) == {p.name for p in REPORTS.glob("*.txt")}
    ssv23 = rows["tencent_ssv_2023.zh-Hans.txt"]
    # 3 sub-tables; 76 data rows x 3 years = 228 cells, 10 of them "—"; 26 numbered footnotes.
    assert (ssv23.tables, ssv23.cells, ssv23.cells_not_reported, ssv23.notes) == (3, 228, 10, 26)
    ssv21 = rows["tencent_ssv_2021.zh-Hant.txt"]
    # 120 cells as the readers read them; rows whose split the text cannot settle are refused.
    assert ssv21.cells + 2 * ssv21.rows_quarantined >= 120 and ssv21.cells >= 0.85 * 120 and ssv21.notes == 4
    esg = rows["tencent_esg_2021.zh-Hant.txt"]
    assert (esg.tables, esg.cells, esg.footnote_figures) == (5, 71, 2)
    assert rows["tencent_csr_2019.zh-Hans.txt"].prose_figures > 0
    assert all(c.rows_unaccounted == 0 for c in rows.values())


def test_coverage_command_prints_the_table():
    result = esgwh("coverage")
    assert result.returncode == 0, result.stderr
    assert "tencent_ssv_2023.zh-Hans.txt" in result.stdout and "228" in result.stdout
    assert "quarantined by reason" in result.stdout
