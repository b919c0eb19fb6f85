"""Every figure two independent readers agreed on (tests/expected/figures.csv) is extracted with
the right value, year, line and unit, or (only where a reader found the text alone cannot settle
it) is quarantined with the right reading among its candidates. Never a wrong value."""

from __future__ import annotations

from decimal import Decimal

import pytest

from loaders.load import parse_bytes

from .conftest import REPORTS, load_expected

TABLE_METHODS = {"kpi_table", "kpi_table_squashed"}
SQUASHED_FILES = {"tencent_ssv_2021.zh-Hant.txt"}
EXPECTED_TABLE_CELLS = [r for r in load_expected(extraction="table")]


def _squash(s: str | None) -> str:
    return "".join((s or "").replace(">", "").split())


_parsed: dict = {}


def parsed(file_name: str):
    if file_name not in _parsed:
        _parsed[file_name] = parse_bytes((REPORTS / file_name).read_bytes(), file_name)
    return _parsed[file_name]


def _matches(row: dict):
    doc = parsed(row["report_file"])
    return [
        f
        for f in doc.figures
        if f.extraction_method in TABLE_METHODS
        and f.line_start == int(row["line"])
        and f.fiscal_year == int(row["fiscal_year"])
        and f.value_text == row["value_text"]
        and _squash(f.row_label).endswith(_squash(row["row_label"]))
    ]


def test_the_expected_file_is_large_and_covers_every_report():
    rows = load_expected()
    assert len(rows) >= 200
    assert {r["report_file"] for r in rows} == {p.name for p in REPORTS.glob("*.txt")}


@pytest.mark.parametrize(
    "row",
    EXPECTED_TABLE_CELLS,
    ids=lambda r: f"{r['report_file'][:16]}-L{r['line']}-{r['fiscal_year']}-{r['value_text']}",
)
def test_table_cell(row):
    found = _matches(row)
    squashed = row["report_file"] in SQUASHED_FILES
    if (row["expect"] == "quarantined" or squashed) and not found:
        # A squashed row whose split the text alone cannot settle is refused, with the candidates.
        doc = parsed(row["report_file"])
        held = [
            q
            for q in doc.quarantined
            if q.line_start <= int(row["line"]) <= q.line_end and row["value_text"] in (q.candidates or "")
        ]
        assert held, f"neither extracted nor quarantined with {row['value_text']} among the candidates"
        return
    assert len(found) == 1, f"{len(found)} matching figures"
    fig = found[0]
    if row["qualifier"] == "not_reported":
        assert fig.value is None
    else:
        assert fig.value == Decimal(row["value_text"].replace(",", "").rstrip("%"))
    assert fig.qualifier == row["qualifier"]
    assert fig.unit_text == row["unit_text"] or (
        not row["unit_text"] and fig.unit_text == "%" and row["value_text"].endswith("%")
    )
    assert fig.value_footnotes == [x for x in row["value_footnotes"].split(";") if x]
    assert set(x for x in row["label_footnotes"].split(";") if x) <= set(fig.label_footnotes)
    # The printed label path: the reader's label ends ours, ours ends the reader's full path.
    full = _squash(row["category"]) + _squash(row["group_label"]) + _squash(row["row_label"])
    ours = _squash(fig.group_label) + _squash(fig.row_label)
    assert full.endswith(_squash(fig.row_label))
    if row["group_label"]:
        group = _squash(row["group_label"])
        attached = group in (_squash(fig.group_label) + _squash(fig.section_label)) or ours.endswith(
            group + _squash(row["row_label"])
        )
        if not attached and fig.extraction_method == "kpi_table_squashed":
            # The squashed dump can glue a grouping row onto the first member's label with nothing
            # to tell them apart (騰訊公益平臺全年獲得籌款項目數量); then the group text must at least
            # stand, as printed, in the row just before.
            doc = parsed(row["report_file"])
            rows = [f for f in doc.figures if f.extraction_method == fig.extraction_method]
            earlier = [f for f in rows[: rows.index(fig)] if f.raw_text != fig.raw_text]
            attached = bool(earlier) and group in _squash(earlier[-1].row_label)
        assert attached, (fig.group_label, fig.row_label)


def test_most_squashed_cells_are_recovered():
    """Refusing is allowed where the split is ambiguous, but most cells must come through."""
    rows = [r for r in EXPECTED_TABLE_CELLS if r["report_file"] in SQUASHED_FILES]
    recovered = sum(1 for r in rows if _matches(r))
    assert recovered >= 0.85 * len(rows), f"{recovered} of {len(rows)}"


@pytest.mark.parametrize("file_name", sorted({r["report_file"] for r in EXPECTED_TABLE_CELLS}))
def test_no_table_cell_beyond_the_readings(file_name):
    """Whatever the parser extracts from a table, the readers read too (no invented cells)."""
    want = {
        (int(r["line"]), int(r["fiscal_year"]), r["value_text"])
        for r in EXPECTED_TABLE_CELLS
        if r["report_file"] == file_name
    }
    got = {
        (f.line_start, f.fiscal_year, f.value_text)
        for f in parsed(file_name).figures
        if f.extraction_method in TABLE_METHODS
    }
    assert got <= want, sorted(got - want)[:10]


EXPECTED_FOOTNOTE_FIGURES = load_expected(extraction="footnote")


@pytest.mark.parametrize(
    "row", EXPECTED_FOOTNOTE_FIGURES, ids=lambda r: f"{r['report_file'][:16]}-L{r['line']}-{r['value_text']}"
)
def test_figure_stated_in_a_table_footnote(row):
    found = [
        f
        for f in parsed(row["report_file"]).figures
        if f.extraction_method == "table_footnote"
        and f.line_start == int(row["line"])
        and f.value_text == row["value_text"]
    ]
    assert len(found) == 1
    fig = found[0]
    assert fig.fiscal_year == int(row["fiscal_year"])
    assert fig.unit_text == row["unit_text"]
    assert fig.qualifier == row["qualifier"]
    assert fig.value == Decimal(row["value_text"].replace(",", ""))


def test_table_notes_are_kept_as_text_with_their_markers():
    doc = parsed("tencent_esg_2021.zh-Hant.txt")
    env = {n.marker: n for n in doc.notes if n.table_seq == 1}
    assert sorted(env, key=int) == [str(i) for i in range(1, 14)]  # ① … ⑬ under the environment table
    assert env["4"].line_start == 2798 and "修訂後的 2020 年範圍二排放量" in env["4"].text
    training = [n for n in doc.notes if n.table_seq == 4]
    assert [(n.marker, n.line_start) for n in training] == [("", 2883)]  # 注：培訓是指…
    ssv23 = parsed("tencent_ssv_2023.zh-Hans.txt")
    assert [n.marker for n in ssv23.notes] == [str(i) for i in range(1, 27)]
    turnover = next(n for n in ssv23.notes if n.marker == "21")
    assert (turnover.line_start, turnover.line_end) == (3371, 3373)  # a second paragraph belongs to note 21
    ssv21 = parsed("tencent_ssv_2021.zh-Hant.txt")
    assert [n.marker for n in ssv21.notes] == ["1", "2", "3", "4"]
    assert ssv21.notes[1].text.startswith("PUE 是數據中心")


EXPECTED_STATED = [r for r in load_expected() if r["extraction"] in ("prose", "highlight")]


@pytest.mark.parametrize(
    "row", EXPECTED_STATED, ids=lambda r: f"{r['report_file'][:16]}-L{r['line']}-{r['value_text']}"
)
def test_figure_stated_in_prose_or_a_highlight(row):
    doc = parsed(row["report_file"])
    found = [
        f
        for f in doc.figures
        if f.extraction_method in ("prose", "highlight")
        and f.line_start == int(row["line"])
        and f.value_text == row["value_text"]
        and f.unit_text == row["unit_text"]
    ]
    if not row["fiscal_year"]:
        # No single fiscal year (a running total, no year printed): kept in the quarantine, not a figure.
        assert found == []
        assert any(
            q.line_start == int(row["line"]) and row["value_text"] in (q.candidates or "") for q in doc.quarantined
        )
        return
    assert len(found) == 1, [
        (f.value_text, f.unit_text, f.fiscal_year) for f in doc.figures if f.line_start == int(row["line"])
    ]
    fig = found[0]
    assert fig.fiscal_year == int(row["fiscal_year"])
    assert fig.qualifier == row["qualifier"]
    assert fig.value == Decimal(row["value_text"].replace(",", "").rstrip("%"))


def test_targets_design_values_and_pilots_are_not_figures():
    """ESG 2021: the PUE target (不超過1.35, line 907), the pilot PUE (試點 … 1.06, line 670) and the
    T-Block design value (PUE=1.2X, line 662) never become figures; the first two are quarantined
    with the reason."""
    doc = parsed("tencent_esg_2021.zh-Hant.txt")
    assert not [f for f in doc.figures if f.line_start in (662, 670, 907)]
    reasons = {(q.line_start, q.reason_code) for q in doc.quarantined}
    assert {(670, "not_reported_metric"), (907, "not_reported_metric")} <= reasons


def test_a_figure_about_another_year_gets_that_year():
    """CSR 2019: the 2008 Wenchuan fundraising (line 394) is 2008; the Q1 2020 headcount (797) is 2020."""
    doc = parsed("tencent_csr_2019.zh-Hans.txt")
    by = {(f.line_start, f.value_text): f.fiscal_year for f in doc.figures}
    assert by[(394, "2000")] == 2008
    assert by[(797, "64238")] == 2020
    assert by[(797, "62885")] == 2019
