"""The readers' shortcuts (benchmarks/scale.py: most of a report's lines are prose) must decide
exactly what the full reading decides: a cheap `not a value` is never said of a cell the full
reading takes as a value, and a line's chunks are the same whichever way they are found."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.grid import _surely_not_a_value, read_as_value, value_like
from loaders.numbers import NOT_REPORTED
from loaders.readers.layout import chunks_at_gaps, chunks_of
from loaders.text import decode_lines

from .parse_pins import FOLDERS

# Pieces a cell is made of in the reports, markup included: numbers in every grouping, units,
# not-reported marks, footnote markers of every form, emphasis, CJK text and whitespace.
_PIECES = st.sampled_from(
    sorted(NOT_REPORTED)
    + ["1,234", "5,03,608", "0.5", "(80)", "-", "−", "%", "12", "2023", "１２", "٣", " tCO2e", " GJ", "MWh", "‰"]
    + ["^{1,2}", "^{注1}", "^{②③}", "^4", "^④", "¹", "¹⁹", "①", "**", "__", "*", "_", "a", "e", "x"]
    + [" ", "  ", "\u3000", "\u00a0", "\u2009", "\t", "不", "适用", "排放", "年", "，", "：", "（", "）", "/", ".", "N"]
)
_CELLS = st.lists(_PIECES, max_size=12).map("".join)


def _report_texts() -> list[str]:
    """Every line of the bundled reports and the corpus's renderings, and every chunk of them."""
    texts: list[str] = []
    for folder in FOLDERS:
        for path in sorted(folder.glob("*")):
            if path.suffix not in (".txt", ".md"):
                continue
            for line in decode_lines(path.read_bytes(), path.name):
                texts.append(line)
                texts.extend(c.text for c in chunks_of(line))
                texts.extend(line.split("|"))  # Markdown cells
    return texts


def test_the_shortcut_never_refuses_a_value_of_the_reports():
    texts = _report_texts()
    assert len(texts) > 50_000
    wrong = [t for t in texts if _surely_not_a_value(t) and read_as_value(t)]
    assert wrong == []
    # and it is a shortcut: it decides most of the text without the full reading
    assert sum(map(_surely_not_a_value, texts)) > len(texts) / 2


@settings(max_examples=3000, deadline=None)
@given(_CELLS)
def test_the_shortcut_never_refuses_a_value(cell: str):
    if _surely_not_a_value(cell):
        assert not read_as_value(cell)
    assert value_like(cell) == read_as_value(cell)


def test_the_shortcut_decides_marked_and_padded_marks_as_the_reading_does():
    for cell in ["N/A¹²³⁴⁵⁶⁷⁸⁹⁰¹²³⁴", "**Not applicable**", "Not    applicable", "n/ab", "不适用①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬"]:
        assert value_like(cell), cell
    for cell in ["排放总量 1,234", "Not applicable to this report", "2023年"]:
        assert not value_like(cell), cell


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(st.sampled_from(["", " ", "  ", "   ", "\t", "12", "1,234", "a b", "x", "排放", "0.00 0.00"]), max_size=10)
)
def test_a_line_has_the_same_chunks_however_they_are_found(parts: list[str]):
    line = "".join(parts)
    assert chunks_of(line) == chunks_at_gaps(line.expandtabs(8))
