"""Property-based tests (hypothesis) for the number segmenter and footnote stripping."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from loaders.footnotes import split_markers
from loaders.segment import MARGIN, candidates, choose, cost, value_of

from .conftest import RELIABILITY


def _render(value: Decimal, decimals: int) -> str:
    """A number printed the reports' way: thousands grouped, fixed decimal places."""
    return f"{value:,.{decimals}f}"


@st.composite
def squashed_rows(draw):
    """A well-formed year series: 1-3 values, each column with its own decimal places, a zero
    printed with the decimal places of a neighbouring figure (as tables print it), and year-on-year
    moves that together cost less than the segmenter's decision margin (about +-45 % a year over
    three years, x2.1 over two). That is the segmenter's guarantee: such a row is recovered or
    refused, never misread. (A wilder series may be refused or, if another reading is much
    smoother, misread: the squashed-table parser's column checks and the reconciliation tests
    in dbt are the second line.)"""
    n_years = draw(st.integers(1, 3))
    k = draw(st.integers(1, n_years))
    start = draw(st.floats(0.01, 5_000_000, allow_nan=False, allow_infinity=False))
    decimals = [draw(st.integers(0, 3)) for _ in range(k)]
    values, v = [], start
    for i in range(k):
        if i:
            v *= draw(st.floats(1 / 1.8, 1.8))
        values.append(_render(Decimal(str(v)), decimals[i]))
    nonzero = [x for x in values if value_of(x) != 0]
    if nonzero:
        places = len(nonzero[0].split(".")[1]) if "." in nonzero[0] else 0
        values = [x if value_of(x) != 0 else _render(Decimal(0), places) for x in values]
    if draw(st.booleans()) and k >= 2:
        # Sometimes a zero year, as safety tables print (0, 1, 0).
        i = draw(st.integers(0, k - 1))
        neighbour = values[i - 1] if i else values[i + 1]
        places = len(neighbour.split(".")[1]) if "." in neighbour else 0
        values[i] = _render(Decimal(0), places)
    assume(cost(tuple(values)) < MARGIN)
    return n_years, values


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(squashed_rows())
def test_segmenter_recovers_the_values_or_refuses(row):
    n_years, values = row
    RELIABILITY["inputs tried"] += 1
    result = choose(candidates("".join(values), n_years, grouped=True))
    if result.chosen is not None:
        if list(result.chosen.values) != values:
            RELIABILITY["wrong figures"] += 1
        assert list(result.chosen.values) == values
    # A refusal is allowed (the row goes to the quarantine with its closest readings); a wrong
    # choice never is.


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 10**7), min_size=1, max_size=3))
def test_grouped_integers_split_without_ambiguity_when_each_has_commas(numbers):
    """Integers of 4+ digits printed with commas: every split is forced by the grouping."""
    numbers = [n for n in numbers if n >= 1000] or [1234]
    values = [f"{n:,}" for n in numbers]
    spread = max(numbers) / min(numbers)
    RELIABILITY["inputs tried"] += 1
    result = choose(candidates("".join(values), len(values), grouped=True))
    if result.chosen is not None:
        assert list(result.chosen.values) == values
    elif spread < 1.8:
        raise AssertionError(f"refused a smooth grouped series {values}: {result.candidates}")


SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _marker(refs: list[int], style: str) -> str:
    if style == "sup":
        return (
            ",".join("".join(SUP[int(d)] for d in str(r)) for r in refs)
            if len(refs) == 1
            else "^{" + ",".join(map(str, refs)) + "}"
        )
    if style == "caret":
        return "^{" + ",".join(map(str, refs)) + "}"
    if style == "circled":
        return "^{" + "".join(CIRCLED[r - 1] for r in refs) + "}" if len(refs) > 1 else CIRCLED[refs[0] - 1]
    return "^" + CIRCLED[refs[0] - 1] if len(refs) == 1 else "^{" + "".join(CIRCLED[r - 1] for r in refs) + "}"


@settings(max_examples=500, deadline=None)
@given(
    label=st.text(
        alphabet="温室气体排放总量范围一二三员工数据中心平均按性别划分的人数男女()（）、 PUE", min_size=1, max_size=20
    )
    .map(str.strip)
    .filter(lambda s: s != ""),
    refs=st.lists(st.integers(1, 20), min_size=1, max_size=3, unique=True),
    style=st.sampled_from(["sup", "caret", "circled", "caret_circled"]),
    number=st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
    space=st.sampled_from(["", " "]),
)
def test_footnote_markers_come_off_labels_and_values(label, refs, style, number, space):
    RELIABILITY["inputs tried"] += 1
    marker = _marker(refs, style)
    got_label, got_refs = split_markers(f"{label}{space}{marker}")
    assert got_label == " ".join(label.split())
    assert got_refs == [str(r) for r in refs]
    printed = f"{number:,.2f}"
    got_value, got_value_refs = split_markers(f"{printed}{space}{marker}")
    assert got_value == printed and got_value_refs == [str(r) for r in refs]
