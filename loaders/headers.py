"""Column headers: which fiscal year a header names, in the forms reports print.

    2023 · 2023年 · 截至2023年12月31日 · 於 2021 年 12 月 31 日 · FY2023 · FY 2024-25 · 2024-25 ·
    2023/24 · Financial Year 2024-25 (Current Financial Year) · Current Financial Year ·
    Previous Year · Prior to Previous Year · As at 31 March 2025

A fiscal year is named by the calendar year in which it ends (FY2024-25 -> 2025, 2023/24 -> 2024).
Relative headers are resolved from the document's fiscal years (the manifest's fiscal_year_end is
the current year). What the header says besides its year (`Male`, `Landlord Controlled`) is its
member text, kept for dbt. A header naming a target or goal year is not a fiscal-year column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import DIGIT
from .text import DocumentContext
from .vocabulary import PLAN_WORDS, TARGET_WORDS, alternation

_Y = r"(?:19|20)\d{2}"
# FY2024-25, 2024-25, 2024–2025, 2023/24: a span whose second year follows the first.
_SPAN = re.compile(rf"(?<![\d.,])(?P<a>{_Y})\s*[-–/]\s*(?P<b>\d{{2}}|{_Y})(?![\d.,%])")
_FY = re.compile(rf"\bF\.?Y\.?\s*['’]?(?P<y>{_Y}|\d{{2}})(?![\d.,%])", re.I)
_ZH = re.compile(rf"(?:於|于|截至|截至於|截止)?\s*(?P<y>{_Y})\s*(?:年度?(?:\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?)?)?")
_PLAIN = re.compile(rf"(?<![\d.,:/])(?P<y>{_Y})(?![\d.,%:/])")
_RELATIVE = [
    (re.compile(r"prior\s+to\s+(?:the\s+)?previous\s+(?:financial\s+|fiscal\s+)?(?:year|fy)\b", re.I), 2),
    (
        re.compile(
            r"(?:previous|prior|last|preceding)\s+(?:financial\s+|fiscal\s+|reporting\s+)?(?:year|fy\b|period\b)|上年度|上一年度|上年",
            re.I,
        ),
        1,
    ),
    (
        re.compile(
            r"(?:current|this|reporting)\s+(?:financial\s+|fiscal\s+|reporting\s+)?(?:year|fy\b|period\b)|本年度|本报告期|本報告期|本年",
            re.I,
        ),
        0,
    ),
]
_TARGET = re.compile(alternation(TARGET_WORDS + PLAN_WORDS), re.I)
# A column of changes between years (`% change vs 2022`, `Change 2022-23`, `较2022年变化`, `YoY`) is
# derived from the year columns: it names no fiscal year of its own.
_CHANGE = re.compile(
    r"\bchange\b|\bvariance\b|\bvs\.?\b|\bversus\b|\byoy\b|\by-o-y\b|\bgrowth\b|Δ|"
    r"变化|變化|变动|變動|增减|增減|增幅|同比|较|較|相比",
    re.I,
)
_NOISE = re.compile(r"[()\[\]（）:：,，]+")
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_DATE_WORDS = re.compile(
    rf"\b(?:as\s+(?:at|of|on)|year\s+ended|ended|at)?\s*(?:\d{{1,2}}\s+)?(?:{_MONTH})\b\.?(?:\s+\d{{1,2}})?", re.I
)


def is_change_header(text: str) -> bool:
    """A header of changes between years (`YoY`, `% change`, `较上年变化`): no fiscal year's column."""
    return bool(_CHANGE.search(text))


@dataclass(frozen=True)
class HeaderYear:
    fiscal_year: int | None  # None: the header names no year (or a target year)
    member: str  # the header text besides its year, as printed
    is_target: bool = False
    relative: bool = False


def _end_year(a: str, b: str) -> int | None:
    first = int(a)
    second = int(b) if len(b) == 4 else (first // 100) * 100 + int(b)
    if len(b) == 2 and second < first:
        second += 100
    return second if second == first + 1 else None


def header_year(text: str, context: DocumentContext | None = None) -> HeaderYear:
    """The fiscal year a header names (see module doc), with the rest of its text."""
    s = " ".join(text.split())
    if not s:
        return HeaderYear(None, "")
    if _CHANGE.search(s):
        return HeaderYear(None, s)
    year: int | None = None
    spans: list[tuple[int, int]] = []
    printed = DIGIT.search(s) is not None  # else only a relative header can name a year
    if printed and (m := _SPAN.search(s)):
        year = _end_year(m.group("a"), m.group("b"))
        if year is not None:
            spans.append(m.span())
            # the words that introduce the span belong to it (FY 2024-25, Financial Year 2024-25)
            pre = re.search(r"(?:F\.?Y\.?|(?:financial|fiscal)\s+year)\s*$", s[: m.start()], re.I)
            if pre:
                spans.append(pre.span())
    if printed and year is None and (m := _FY.search(s)):
        y = m.group("y")
        year = int(y) if len(y) == 4 else 2000 + int(y)
        spans.append(m.span())
    if printed and year is None:
        found = list(_PLAIN.finditer(s))
        if len({m.group("y") for m in found}) == 1:
            m = found[0]
            year = int(m.group("y"))
            zm = next((z for z in _ZH.finditer(s) if z.start("y") == m.start()), None)
            spans.append(zm.span() if zm else m.span())
    relative = False
    for pattern, back in _RELATIVE:
        if rm := pattern.search(s):
            spans.append(rm.span())
            if year is None and context and context.fiscal_year_end:
                year, relative = context.fiscal_year_end - back, True
            break
    if year is None:
        return HeaderYear(None, s)
    target = bool(_TARGET.search(s))
    member = s
    for a, b in sorted(spans, reverse=True):
        member = member[:a] + " " + member[b:]
    if year is not None:
        member = _DATE_WORDS.sub(" ", member)
    member = " ".join(_NOISE.sub(" ", member).split())
    member = re.sub(r"^(?:financial|fiscal)\s+year\b", "", member, flags=re.I).strip()
    if target:
        return HeaderYear(None, s, is_target=year is not None)
    return HeaderYear(year, member, relative=relative)


def title_year(title: str | None, context: DocumentContext | None = None) -> int | None:
    """The one fiscal year a table title names for all its columns (`… Waste by Type 2022`,
    `Details as at the end of Financial Year`), if it names exactly one and it is not a target."""
    if not title or _TARGET.search(title):
        return None
    if re.search(r"(?:end\s+of\s+(?:the\s+)?|current\s+)(?:financial|fiscal|reporting)\s+year", title, re.I):
        return context.fiscal_year_end if context else None
    # FY 2024-25 names the year it ends in; a bare year names itself
    found = [(m, _end_year(m.group("a"), m.group("b"))) for m in _SPAN.finditer(title)]
    spans = [(m, y) for m, y in found if y is not None]
    rest = title
    for m, _ in reversed(spans):
        rest = rest[: m.start()] + " " + rest[m.end() :]
    years = {y for _, y in spans} | {int(m.group("y")) for m in _PLAIN.finditer(rest)}
    if len(years) == 1:
        year = years.pop()
        if context is None or context.fiscal_year_end is None or year <= context.fiscal_year_end:
            return year
    return None
