"""The reader vocabulary is defined once (loaders/vocabulary.py, loaders/units.py and
seeds/prose_topics.csv) and agrees with what dbt's seeds give meaning to."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from loaders.errors import LoaderError
from loaders.normalise import to_zh_hans
from loaders.units import HIGHLIGHT_UNIT_TOKENS, PROSE_UNIT_TOKENS, UNIT_TOKENS
from loaders.vocabulary import (
    CEILING_PATTERN,
    QUALIFIER_WORDS,
    alternation,
    prose_topic_words,
    qualifier_pattern,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# Units the readers recognise only so that a label ends where it should, and which convert to
# nothing on purpose: a change in percentage points is no level of any metric.
NOT_CONVERTED = {"个百分点": "a change between two rates, not a rate"}


def _seed(name: str) -> list[dict]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _unit_key(text: str) -> str:
    """dbt's match key of a printed unit (macros normalise_label): no whitespace, full-width
    brackets and colons folded. The loader stores units in simplified script; the seed is matched
    as written (so it must be written in simplified script)."""
    return re.sub(r"\s", "", text).translate(str.maketrans("（）：，／", "():,/"))


# The prose reader prints a unit after an optional magnitude (1.9 万吨 CO₂ 当量): each combination is a unit
PROSE_UNITS = [m + t for t in PROSE_UNIT_TOKENS for m in ("", "万", "亿")]


@pytest.mark.parametrize(
    "reader,tokens",
    [("tables", UNIT_TOKENS), ("highlights", HIGHLIGHT_UNIT_TOKENS), ("prose", PROSE_UNITS)],
)
def test_every_unit_a_reader_recognises_has_a_conversion(reader, tokens):
    converted = {_unit_key(r["unit_printed"]) for r in _seed("unit_conversions.csv")}
    read = {_unit_key(to_zh_hans(t)) for t in tokens}
    missing = sorted(u for u in read - converted if not any(u.endswith(n) for n in NOT_CONVERTED))
    assert missing == [], f"{reader}: add these to seeds/unit_conversions.csv (or NOT_CONVERTED, with why)"


def test_the_qualifier_words_read_the_same_in_every_pattern():
    pattern = re.compile(f"(?:{qualifier_pattern()})(?=5)")
    for word in QUALIFIER_WORDS:
        assert pattern.search(f"{word}5").group(0) == word, word  # longest first: 大约, not 约
    assert pattern.search("未超过5") is None and pattern.search("不超5") is None
    assert re.search(CEILING_PATTERN, "未超过") and re.search(CEILING_PATTERN, "不足")


def test_english_goal_words_are_whole_words():
    pattern = re.compile(alternation(("target", "plan")), re.I)
    assert pattern.search("2030 Target") and pattern.search("Our plan")
    assert not pattern.search("Targeted plants")  # neither targeted nor plants


def test_prose_topics_are_the_seed_and_name_known_families():
    rows = _seed("prose_topics.csv")
    assert prose_topic_words() == tuple(r["word"] for r in rows)
    families = {r["family"] for r in _seed("metric_dictionary.csv")}
    assert {r["family"] for r in rows} <= families
    assert all(to_zh_hans(r["word"]) == r["word"] for r in rows)  # matched against simplified text


def test_a_topic_row_without_a_word_is_refused_by_line(tmp_path):
    seed = tmp_path / "prose_topics.csv"
    seed.write_text("word,family,note\n碳排放,emissions,\n,energy,\n", encoding="utf-8")
    with pytest.raises(LoaderError) as err:
        prose_topic_words(seed)
    assert err.value.line == 3 and "no word" in err.value.message
