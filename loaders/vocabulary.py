"""The words that decide how a number is read, defined once for every reader: the qualifier a
word before or after a figure gives it (约 5 万: approximate; 超过 5 万, 300 余: at least), the
words that make it a ceiling (未超过 5%), the magnitudes printed between a number and its unit,
the words that announce goals rather than results, and the circled numerals footnotes are marked
with. Units as printed are in units.py; what a label or a unit means stays in dbt's seeds."""

from __future__ import annotations

import re

QUALIFIER_WORDS = {
    "约": "approximate",
    "約": "approximate",
    "近": "approximate",
    "大约": "approximate",
    "大約": "approximate",
    "超过": "lower_bound",
    "超過": "lower_bound",
    "超": "lower_bound",
    "逾": "lower_bound",
    "突破": "lower_bound",
    "多于": "lower_bound",
    "多於": "lower_bound",
}
# printed after the number or its magnitude (300 余家, 5 万多人) or after the unit (100 人以上)
LOWER_BOUND_AFTER = ("多", "余", "餘")
LOWER_BOUND_SUFFIX = ("以上",)
# a lower-bound word after one of these is a ceiling (未超过 5%, 不超过 30%), and so are these words
NEGATIONS = "不未"
CEILING_WORDS = ("低于", "低於", "不足", "少于", "少於", "不到")
# 万 and 亿 printed between a number and its unit (1.28 亿元, 382 万人次)
MAGNITUDE_WORDS = ("万", "萬", "亿", "億")

# A heading, label or table column that names one of these states a goal, not a result
# (2024年目标, Our 2030 target); a table column may also announce plans (2024 Plan, 计划).
TARGET_WORDS = ("target", "targets", "goal", "goals", "commitment", "commitments", "目标", "目標")
PLAN_WORDS = ("ambition", "forecast", "plan", "planned", "计划", "計劃")

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def qualifier_of(word: str | None) -> str:
    """The qualifier a word printed before a figure gives it; exact when there is none."""
    return QUALIFIER_WORDS.get(word or "", "exact")


def qualifier_ending(text: str) -> str:
    """The qualifier of a label that ends in a qualifier word (`员工人数超过`), else exact."""
    return next((q for w, q in QUALIFIER_WORDS.items() if text.endswith(w)), "exact")


def alternation(words) -> str:
    """A regex alternation of printed words, longest first (大约 before 约); English words whole."""
    return "|".join(
        rf"\b{re.escape(w)}\b" if w.isascii() and w.isalpha() else re.escape(w)
        for w in sorted(set(words), key=lambda w: (-len(w), w))
    )


def qualifier_pattern(kinds: tuple[str, ...] = ("approximate", "lower_bound")) -> str:
    """The qualifier words of these kinds as a regex alternation; a negated lower-bound word
    (未超过) does not match, it is a ceiling (CEILING_PATTERN)."""
    words = sorted((w for w, k in QUALIFIER_WORDS.items() if k in kinds), key=lambda w: (-len(w), w))
    return "|".join(
        (f"(?<![{NEGATIONS}])" if QUALIFIER_WORDS[w] == "lower_bound" else "") + re.escape(w) for w in words
    )


# what a ceiling is printed with, in simplified script (the prose reader matches simplified text)
CEILING_PATTERN = (
    f"[{NEGATIONS}](?:{qualifier_pattern(('lower_bound',)).replace(f'(?<![{NEGATIONS}])', '')})"
    f"|{alternation(CEILING_WORDS)}"
)
