"""The words that decide how a number is read, defined once for every reader: the qualifier a
word before or after a figure gives it (约 5 万: approximate; 超过 5 万, 300 余: at least), the
words that make it a ceiling (未超过 5%), the magnitudes printed between a number and its unit,
the words that announce goals rather than results, and the circled numerals footnotes are marked
with. Units as printed are in units.py; what a label or a unit means stays in dbt's seeds."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from functools import cache
from pathlib import Path

from .errors import LoaderError

PROSE_TOPICS_SEED = Path(__file__).resolve().parent.parent / "seeds" / "prose_topics.csv"

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
# (2024年目标, Our 2030 target). A prose heading may also announce commitments (Our commitments),
# which the table reader never took as a target column (`2023 Commitment` stays that year's); a
# table column may announce plans (2024 Plan, 计划), which a prose heading does not (计划 also
# names a programme: 乡村振兴计划).
TARGET_WORDS = ("target", "targets", "goal", "goals", "目标", "目標")
COMMITMENT_WORDS = ("commitment", "commitments")
PLAN_WORDS = ("ambition", "forecast", "plan", "planned", "计划", "計劃")
# A sentence of running text that speaks of goals, plans, designs, pilots or thresholds states no
# result (员工离职率不高于30%, 计划于2025年…); simplified script. Lower-bound words of reported
# results (以上, 超过) are not among them. The prose reader adds the dated forms (到2030年).
GOAL_SENTENCE_WORDS = (
    "目标", "计划于", "计划在", "计划将", "计划到", "计划至", "将于", "将在", "将实现", "将覆盖", "将达到",
    "将投入", "将服务", "将用于", "预计", "未来", "争取", "不超", "设计", "试点", "承诺", "力争", "不晚于",
    "不高于", "不低于", "不少于", "可低至", "极限",
)  # fmt: skip

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def qualifier_of(word: str | None) -> str:
    """The qualifier a word printed before a figure gives it; exact when there is none."""
    return QUALIFIER_WORDS.get(word or "", "exact")


def qualifier_ending(text: str) -> str:
    """The qualifier of a label that ends in a qualifier word (`员工人数超过`), else exact."""
    return next((q for w, q in QUALIFIER_WORDS.items() if text.endswith(w)), "exact")


@cache
def prose_topic_words(seed: Path = PROSE_TOPICS_SEED) -> tuple[str, ...]:
    """The words of a prose topics seed (seeds/prose_topics.csv, or a workspace's rows for it):
    which topics a figure in running text may be about is curated knowledge, which dbt also loads.
    A row without a word is refused, by line, rather than making every sentence a topic."""
    from .manifest import read_csv_text  # spreadsheet-saved CSV (a byte-order mark) reads too

    name = f"seeds/{seed.name}" if seed == PROSE_TOPICS_SEED else str(seed)
    rows = list(csv.DictReader(io.StringIO(read_csv_text(seed))))
    if not rows or "word" not in rows[0]:
        raise LoaderError(name, "needs a header row with a word column and at least one topic word", 1)
    words = []
    for line, row in enumerate(rows, start=2):
        word = (row.get("word") or "").strip()
        if not word:
            raise LoaderError(name, "a topic row with no word (every sentence would be read as one)", line)
        words.append(word)
    return tuple(words)


def topics_with(workspace_seed: Path | None) -> tuple[str, ...]:
    """The package's topic words, and a workspace's own (its seeds/prose_topics.csv) after them."""
    extra = prose_topic_words(workspace_seed) if workspace_seed is not None else ()
    package = prose_topic_words()
    return package + tuple(w for w in dict.fromkeys(extra) if w not in package)


@cache
def reading_digest(topics: tuple[str, ...] | None = None) -> str:
    """What the readers go by besides their code (the topic words, the package's unless given):
    part of every document's parser version, so that a new topic reads every report again (a
    changed note does not). Once per set of words: every manifest row asks."""
    words = prose_topic_words() if topics is None else topics
    return hashlib.sha256("\n".join(sorted(set(words))).encode("utf-8")).hexdigest()[:8]


def _longest_first(words) -> list[str]:
    """A regex alternation tries its branches in order: 大约 must come before 约."""
    return sorted(set(words), key=lambda w: (-len(w), w))


def alternation(words, whole_words: bool = True) -> str:
    """A regex alternation of printed words, longest first; English words whole unless
    whole_words is off (PUE in 数据中心PUE值)."""
    return "|".join(
        rf"\b{re.escape(w)}\b" if whole_words and w.isascii() and w.isalpha() else re.escape(w)
        for w in _longest_first(words)
    )


def qualifier_pattern(kinds: tuple[str, ...] = ("approximate", "lower_bound"), negated: bool = False) -> str:
    """The qualifier words of these kinds as a regex alternation. A negated lower-bound word
    (未超过) does not match, it is a ceiling (CEILING_PATTERN), unless `negated` asks for the words
    as they follow a negation."""
    words = [w for w, k in QUALIFIER_WORDS.items() if k in kinds]
    guard = "" if negated else f"(?<![{NEGATIONS}])"
    return "|".join(
        (guard if QUALIFIER_WORDS[w] == "lower_bound" else "") + re.escape(w) for w in _longest_first(words)
    )


# what a ceiling is printed with, in simplified script (the prose reader matches simplified text)
CEILING_PATTERN = f"[{NEGATIONS}](?:{qualifier_pattern(('lower_bound',), negated=True)})|{alternation(CEILING_WORDS)}"
