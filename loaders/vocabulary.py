"""The words that decide how a number is read, defined once for every reader: the qualifier a
word before a figure gives it (约 5 万: approximate; 超过 5 万: at least), and the circled
numerals footnotes are marked with. What a label means stays in dbt's seeds."""

from __future__ import annotations

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

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def qualifier_of(word: str | None) -> str:
    """The qualifier a word printed before a figure gives it; exact when there is none."""
    return QUALIFIER_WORDS.get(word or "", "exact")


def qualifier_ending(text: str) -> str:
    """The qualifier of a label that ends in a qualifier word (`员工人数超过`), else exact."""
    return next((q for w, q in QUALIFIER_WORDS.items() if text.endswith(w)), "exact")
