"""SSV 2021's squashed rows the segmenter refuses (`5001,077`: 50 / 0 / 1,077 or 500 / 1,077) stay
refused in raw, with every candidate kept; dbt chooses a candidate only where the checks leave
exactly one standing (intermediate.int_squashed_splits), and the choice matches the hand readings
(tests/expected/figures.csv: two independent readings reconciled)."""

from __future__ import annotations

import duckdb
import pytest

from loaders.load import parse_bytes

from .conftest import REPORTS, load_expected

SSV_2021 = "tencent_ssv_2021.zh-Hant.txt"


def _key(group: str | None, row: str) -> tuple[str, str]:
    return ("".join((group or "").split()), "".join(row.split()))


def test_the_parser_keeps_every_candidate_beside_the_refusal():
    doc = parse_bytes((REPORTS / SSV_2021).read_bytes(), SSV_2021)
    refused = [q for q in doc.quarantined if q.reason_code == "ambiguous_split"]
    assert len(refused) == 9 and all(q.split_row for q in refused)
    other = next(q for q in refused if "5001,077" in q.reason)
    kept = sorted(
        (f.split_candidate, f.fiscal_year, f.value_text) for f in doc.figures if f.split_row == other.split_row
    )
    assert kept == [(1, 2019, "50"), (1, 2020, "0"), (1, 2021, "1,077"), (2, 2020, "500"), (2, 2021, "1,077")]
    assert {f.extraction_method for f in doc.figures if f.split_row} == {"kpi_table_squashed_split"}
    # candidates are never ordinary table cells
    assert not [f for f in doc.figures if f.extraction_method == "kpi_table_squashed" and f.split_row]


@pytest.fixture(scope="module")
def con(built_warehouse):
    c = duckdb.connect(str(built_warehouse), read_only=True)
    yield c
    c.close()


def test_each_refused_row_is_settled_as_the_hand_readings_read_it(con):
    expected = {
        _key(r["group_label"], r["row_label"]) + (int(r["fiscal_year"]),): r["value_text"]
        for r in load_expected(SSV_2021)
        if r["line"] in ("297", "300")
    }
    rows = con.execute("""
        select f.group_label, f.row_label, v.fiscal_year, v.value_as_printed, v.split_evidence
        from marts.fct_reported_values v join raw.figures f using (figure_id)
        where v.report_id = 'tencent_ssv_2021' and v.extraction_method = 'kpi_table_squashed_split'""").fetchall()
    assert len(rows) == 18  # 9 rows x 2020 and 2021
    for group, row, year, value, evidence in rows:
        assert expected[_key(group, row) + (year,)] == value, (group, row, year, value)
        assert evidence.startswith("candidate ") and "every other candidate differs from a check" in evidence
    got = {_key(g, r) + (y,): v for g, r, y, v, _ in rows}
    assert got[_key("按地理區域劃分的員工人數", "其他國家及地區") + (2020,)] == "500"
    assert got[_key(None, "員工總流失率") + (2020,)] == "12.0"
    assert got[_key("按年齡組別劃分的員工流失率", "50 歲以上") + (2021,)] == "19.39"


def test_the_evidence_names_the_checks_that_decided(con):
    evidence = dict(
        con.execute("""select chosen_candidate || ':' || split_row, split_evidence
        from intermediate.int_squashed_splits where report_id = 'tencent_ssv_2021'""").fetchall()
    )
    other = next(e for e in evidence.values() if "(500 / 1,077)" in e)
    # 50,634 + 216 + 500 = 51,350 (SSV 2021 line 296); ESG 2021 line 2831 prints 1,077 for 2021
    assert "2020 500 makes the members sum to the total 51,350 (line 296)" in other
    assert "2021 1,077 as tencent_esg_2021 line 2831 prints it" in other
    turnover = next(e for e in evidence.values() if "(12.0 / 12.37)" in e)
    assert "2021 12.37 as tencent_esg_2021 line 2836 prints it" in turnover


def test_settled_rows_leave_the_issues_and_stay_in_raw(con):
    issues = con.execute("""select count(*) from marts.mart_extraction_issues
        where report_id = 'tencent_ssv_2021' and reason_code = 'ambiguous_split'""").fetchone()[0]
    raw = con.execute("""select count(*) from raw.quarantine q join raw.documents d using (document_id)
        where d.report_id = 'tencent_ssv_2021' and q.reason_code = 'ambiguous_split'
        and d.version = (select max(version) from raw.documents where report_id = 'tencent_ssv_2021')""").fetchone()[0]
    assert (issues, raw) == (0, 9)
    unchosen = con.execute("""select count(*) from marts.fct_reported_values v join raw.figures f using (figure_id)
        where f.split_row is not null and v.extraction_method <> 'kpi_table_squashed_split'""").fetchone()[0]
    assert unchosen == 0
