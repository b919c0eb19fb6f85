"""Figures stated outside tables: highlight blocks and key figures in running prose.

Highlight block: a short value line that starts with a number (`511.1 萬噸二氧化碳`, `**35.69** 亿元`,
`25%`) whose label is the nearest short line above it (`溫室氣體排放量`); or a row of tab-separated
labels over a row of tab-separated numbers without year columns (`捐款金额/元⇥捐款人次`).
Every such block is captured.

Prose: in sentences that speak of the key families (emissions, PUE, headcount, turnover,
donations and charity, renewable energy, complaints, training), every number with a unit, a `%` or a 万/亿
magnitude is captured with its qualifier as printed: approximate (约, 近), lower bound (超过, 超,
逾, 突破, 多, 余, 以上). Sentences about targets, design values, plans or pilots, figures a
target's year dates (承诺不晚于2030年，…100%), a speaker's quoted words, equivalences (相当于),
ceilings (未超过 5%) and the ends of a range (20%-30%) are quarantined, not extracted; ordinals,
ranks and durations (第12次, 前 10 名, 3 个工作日) are no figures. The fiscal year is the year
the text names: in the sentence (before the number, else after it), else earlier in the
paragraph, else in the lines above within the same section; an entry of a timeline (`12月 …`)
is dated by the timeline's year heading, not by the years other entries print. A running total
(累计, `10年内出资`) or a figure with no year anywhere near is quarantined with the reason; the
report's own year is never assumed. A year after the report's fiscal years (截至 2024 年 5 月) is
kept as printed; dbt keeps such a figure out of the fiscal-year marts (int_figures_mapped).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cache

from .footnotes import split_markers
from .model import Figure, ParsedDocument, Quarantined
from .normalise import to_zh_hans
from .numbers import parse_cell_number, unstorable_reason
from .text import DocumentContext
from .units import PROSE_UNIT_TOKENS, unit_prefix
from .vocabulary import (
    CEILING_PATTERN,
    COMMITMENT_WORDS,
    GOAL_SENTENCE_WORDS,
    LOWER_BOUND_AFTER,
    LOWER_BOUND_SUFFIX,
    MAGNITUDE_WORDS,
    TARGET_WORDS,
    alternation,
    prose_topic_words,
    qualifier_ending,
    qualifier_of,
    qualifier_pattern,
)

HIGHLIGHT = "highlight"
PROSE = "prose"

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_MAG = f"(?:{alternation(MAGNITUDE_WORDS)})"
# A number as running text prints it: an approximate or lower-bound word before it, Markdown
# emphasis around it (`**38** 亿元`, blanked before reading), a 万/亿 magnitude and 多/余 after it, then a unit
# (units.PROSE_UNITS), `%` or the magnitude alone (`1.2 亿`, `9,118萬`); 以上 after the unit.
_UNIT = "|".join(re.escape(t).replace(r"\ ", r"\s*") for t in PROSE_UNIT_TOKENS)
_PROSE_FIGURE = re.compile(
    rf"(?P<pre>{qualifier_pattern()})?\s*(?P<num>{_NUM})(?P<gap>\s*)(?P<mag1>{_MAG})?\s*"
    rf"(?P<more>{alternation(LOWER_BOUND_AFTER)})?\s*(?P<mag2>{_MAG})?(?P<unit>{_UNIT}|%)?(?P<post>{alternation(LOWER_BOUND_SUFFIX)})?"
)
# what follows a count that makes it a duration or a deadline (`3 个工作日内`, `24 小时内`)
_DURATION_AFTER = re.compile(r"^\s*(?:工作日|个?月|周|天|日内|小时|分钟|秒)")
# `未超过 5%`, `低于 1%`: a ceiling, which no qualifier of a figure holds
_UPPER_BOUND = re.compile(rf"(?:{CEILING_PATTERN})\s*$")
# `相当于种植 286.4 万棵大树`: an equivalence the report computes, not a figure it reports
_EQUIVALENCE = re.compile(r"相当于\s*[^，,。；;]*$")
# `20%-30%`, `8%~10%`: a range, which no single figure holds
_RANGE_AFTER = re.compile(r"^\s*%?\s*(?:-|~|～|—|–|至|到)\s*\d")
# A goal, a plan or a threshold (vocabulary.GOAL_SENTENCE_WORDS), or a year it is due by (到2030年, 2025年前)
_NOT_METRIC = re.compile(
    alternation(GOAL_SENTENCE_WORDS) + r"|到20\d{2}年|至20\d{2}年前|计划\s*(?:19|20)\d{2}|(?:19|20)\d{2}\s*年之?前"
)
# A heading that announces targets (2024年目标, 未来目标, Targets): what stands under it is a goal.
_TARGET_HEADING = re.compile(alternation(TARGET_WORDS + COMMITMENT_WORDS), re.I)
# Markup is never a figure: tags and their attributes (<img width="41%">), links and URLs.
_MARKUP = re.compile(r"<[^>\n]*>|!?\[[^\]\n]*\]\([^)\n]*\)|https?://\S+|www\.\S+")
# PUE is printed without a unit: PUE 1.32, PUE=1.2X, PUE 降至 1.06.
_PUE_FIGURE = re.compile(
    rf"PUE\s*(?:=|為|为|是|降至|達到|达到|不超過|不超过|約|约|僅|仅)?\s*(?P<pre>{qualifier_pattern(('approximate',))})?\s*(?P<num>{_NUM})(?![\d.A-Za-z])"
)
# a running total, or a sum over several years (`10年内出资 100 亿元`, `三年来`)
_CUMULATIVE = re.compile(
    r"累计|(?<!第)(?:(?<![\d.])\d{1,2}\s*|[两三四五六七八九十])年(?:内|来|间|投入|为)"
    r"|(?<![\d.第])\d{1,2}\s*年\s*\d"
)
# `乔友林说：“我们一年培训100个医生…”`: a speaker's words, not a figure the report states
_QUOTED = re.compile(r"(?:说|表示|指出|介绍|谈到|提到)\s*[:：,，]?\s*[“「『][^”」』]*$")
_CLOSING_QUOTES = "”」』"  # one of them ends any quotation _QUOTED could be inside
# `12月 捐赠 1 亿元…`: an entry of a timeline under a year heading (`2021`); the years other
# entries print (截至 2024 年 5 月) are theirs, not the timeline's
_TIMELINE_ENTRY = re.compile(r"^\s*(?:1[0-2]|[1-9])\s*月(?:份)?\s+\S")
# A year after 相比/较/比 is the comparison base, not the year the figure describes.
_NOT_A_BASE = r"(?<!\d)(?<!相比)(?<!相比 )(?<!较)(?<!較)(?<!比)(?<!较 )(?<!較 )(?<!比 )"
_YEAR = re.compile(_NOT_A_BASE + r"((?:19|20)\d{2})\s*年")
# a year with the rest of its clause, and the words that make it an event's date, not a period's
_YEAR_CLAUSE = re.compile(_NOT_A_BASE + r"((?:19|20)\d{2})\s*年([^，,。；;！？!?]*)")
_EVENT = re.compile(
    r"^\s*(?:起|开始|以来)|重组|合并|改制|更名|竣工|投产|开业|揭牌|上市|成立|创立|创办|设立|成立于|加入|签署|发布|启动|创建|诞生|获评|荣获|入选|并购|收购"
)
_CLAUSE_BREAK = re.compile(r"[，；;]|,(?!\d{3})")  # a comma inside 4,800 breaks nothing
_CLAUSE_BREAK_LABEL = re.compile(r"[，：:（(]|,(?!\d{3})")
# `较2022年的4,800人`: the number is the compared year's own figure
_BASE_YEAR = re.compile(r"(?:较|較|比|相比|相较|相較)\s*((?:19|20)\d{2})\s*年(?:度)?\s*(?:的|之)\s*$")
# `相比 2022 年增加`, `从 2022 年的 7.2% 提升到`: the year a comparison starts from, not the year
# that governs the lines after it
_BASELINE = re.compile(r"(?:较|較|比|相比|相较|相較|从|從)\s*(?:19|20)\d{2}\s*年(?:度)?(?:的|之)?")
_THIS_YEAR = re.compile(
    r"本年度|本年|今年|本报告期|报告期内|\bthis year\b|\bduring the year\b|\bthe reporting year\b", re.I
)
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*年?\s*(?:至|到|~|～|—|–|-)\s*(?:19|20)\d{2}")
_BARE_YEAR = re.compile(r"(?<![\d.,])((?:19|20)\d{2})(?![\d.,])")
_SENTENCE = re.compile(r"[^。！!？?]+[。！!？?]?")
_HEADING = re.compile(r"^\s*#{1,2}\s")

_VALUE_LINE = re.compile(rf"^\s*(?:\*\*)?(?P<num>{_NUM})(?:\*\*)?\s*(?P<rest>.*)$")


@cache
def _topics(words: tuple[str, ...] | None = None) -> re.Pattern:
    """A sentence is read when it names a topic of seeds/prose_topics.csv (words in simplified
    script, matched against the sentence converted to it)."""
    return re.compile(alternation(prose_topic_words() if words is None else words, whole_words=False))


def parse_prose(lines: list[str], doc: ParsedDocument, skip: set[int], context: DocumentContext | None = None) -> None:
    """skip: 0-based indexes of lines that belong to tables or notes."""
    lines = _Lines(lines)
    used: set[int] = set()
    _highlights(lines, doc, skip, used)
    _tab_highlights(lines, doc, skip, used)
    _prose(lines, doc, skip | used, context)


class _Lines(list):
    """The lines as read (markup blanked out); `.raw` holds them as printed, for raw_text."""

    def __init__(self, lines: list[str]):
        super().__init__(without_markup(line) for line in lines)
        self.raw = lines


def _raw(lines: _Lines, i: int) -> str:
    return lines.raw[i]


def _states_target(text: str) -> bool:
    """A highlight's label that announces a goal (`2025年…目标`, `Our 2030 target`, 不高于…)."""
    return bool(_NOT_METRIC.search(to_zh_hans(text)) or _TARGET_HEADING.search(text))


def without_markup(line: str) -> str:
    """The line with markup blanked out, same length (columns and offsets stay where they were)."""
    if "<" not in line and "](" not in line and "http" not in line and "www." not in line:
        return line
    return _MARKUP.sub(lambda m: " " * len(m.group(0)), line)


# --- highlight blocks -----------------------------------------------------------------------


def _is_value_line(line: str) -> re.Match | None:
    m = _VALUE_LINE.match(line)
    if not m or len(line.strip()) > 40 or "\t" in line:
        return None
    rest = m.group("rest")
    if rest[:1] in ".,、" or re.match(r"^\d", rest):
        return None  # 1. a numbered paragraph, a date, a list
    if len(re.findall(r"\d+(?:[.,]\d+)*", rest)) > 1:
        return None  # a list of several figures is prose, not one highlighted value
    if re.match(r"^\s*年", rest) or re.match(r"^\s*[月日]", rest):
        return None
    if re.match(
        r"^(?:st|nd|rd|th)?\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s|,|$)", rest, re.I
    ):
        return None  # 6th Apr, 2022: a date
    return m


def _label_above(lines: list[str], i: int, skip: set[int]) -> int | None:
    for j in range(i - 1, max(i - 4, -1), -1):
        text = lines[j].strip()
        if j in skip or "\t" in lines[j]:
            return None
        if not text:
            continue
        if _is_value_line(lines[j]) or len(text) > 40 or text.endswith(("。", "；")):
            return None
        return j
    return None


def _highlights(lines, doc, skip, used) -> None:
    for i, line in enumerate(lines):
        if i in skip or not _is_value_line(line):
            continue
        j = _label_above(lines, i, skip)
        if j is None:
            continue
        label_raw = lines[j].strip()
        label, refs = split_markers(label_raw.replace("**", ""))

        qualifier = qualifier_ending(label)
        used.add(i)
        if _states_target(label):
            # `2025年碳排放强度下降目标` / `Our 2030 target` over `18%`: a goal, not a reported figure
            doc.quarantined.append(
                Quarantined(
                    HIGHLIGHT,
                    i + 1,
                    i + 1,
                    _raw(lines, i),
                    "not_reported_metric",
                    f"the label {label!r} states a target, not a reported figure",
                    candidates=line.strip(),
                )
            )
            continue
        year = _year_for(lines, i, [label, line], context_from=j)
        # Each number on the value line is a figure: the first under the label line, later ones
        # under the label plus the words printed before them (較上一年增加 26%).
        body = line.replace("**", "")
        for k, fm in enumerate(re.finditer(rf"(?P<num>{_NUM})(?P<gap>\s*)", body)):
            if k == 0 and fm.start() != len(body) - len(body.lstrip()):
                break
            lead = "" if k == 0 else body[: fm.start()].split("，")[-1].split(",")[-1].strip()
            after = body[fm.end() :]
            more = re.match(r"(?:多|余|餘)\s*", after)  # 40 余家: a lower bound
            unit = unit_prefix(after[more.end() :] if more else after)
            value_text = fm.group("num")
            if unit == "%" and not fm.group("gap"):
                value_text, unit = value_text + "%", ""
            number = parse_cell_number(value_text)
            if number is None:
                if why := unstorable_reason(value_text):
                    doc.quarantined.append(
                        Quarantined(
                            HIGHLIGHT,
                            i + 1,
                            i + 1,
                            _raw(lines, i),
                            "unparseable_value",
                            f"{value_text!r} cannot be stored exactly ({why})",
                            candidates=value_text,
                        )
                    )
                continue
            row_label = label if k == 0 else f"{label} {lead}".strip()
            _add(
                doc,
                lines,
                HIGHLIGHT,
                i,
                row_label,
                year,
                value_text,
                number[0],
                unit,
                "lower_bound" if more else qualifier if k == 0 else "exact",
                refs,
                context=f"label line {j + 1}",
            )


def _tab_highlights(lines, doc, skip, used) -> None:
    """A row of labels over a row of numbers (no year columns): 捐款金额/元⇥捐款人次 / 606,441,716.32⇥12,801,336."""
    for i in range(1, len(lines)):
        if i in skip or "\t" not in lines[i] or "\t" not in lines[i - 1]:
            continue
        values = [c.strip() for c in lines[i].split("\t") if c.strip()]
        labels = [c.strip() for c in lines[i - 1].split("\t") if c.strip()]
        if not values or len(values) != len(labels) or not all(parse_cell_number(v) for v in values):
            continue
        if any(_BARE_YEAR.fullmatch(label) for label in labels):
            continue  # a year header: that is a table, not a highlight
        year = _year_for(lines, i, [lines[i - 1]], context_from=i - 1)
        used.update({i, i - 1})
        for label, value in zip(labels, values):
            name, _, unit = label.partition("/")
            number = parse_cell_number(value)
            assert number is not None  # every value parsed in the check above
            _add(
                doc,
                lines,
                HIGHLIGHT,
                i,
                name.strip(),
                year,
                value,
                number[0],
                unit.strip(),
                "exact",
                [],
                context=f"label line {i}",
            )


# --- prose --------------------------------------------------------------------------------------


def _paragraphs(lines: list[str], skip: set[int]):
    """(text, [(offset, line index)]) for runs of lines that continue one another: a PDF line
    break (a long line with no closing punctuation) does not end a sentence."""
    text = ""
    starts: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if i in skip or "\t" in line:
            if text:
                yield text, starts
            text, starts = "", []
            if i not in skip:
                for cell in line.split("\t"):  # a table without year columns: each cell is a text
                    if cell.strip():
                        yield cell.strip(), [(0, i)]
            continue
        if not line.strip():
            continue
        stripped = line.replace("**", "  ").strip()
        continues = (
            text
            and len(text) - starts[-1][0] > 40
            and not text.rstrip().endswith(("。", "！", "？", "!", "?", "：", ":", "”", "》"))
            and not _TIMELINE_ENTRY.match(stripped)
        )
        if not continues and text:
            yield text, starts
            text, starts = "", []
        starts.append((len(text), i))
        text += stripped
    if text:
        yield text, starts


class _Paragraph:
    """A paragraph's text and the lines it runs over, with what a figure's rules look up in the text
    before it computed once: a long paragraph is not re-scanned for every figure in it."""

    def __init__(self, text: str, starts: list[tuple[int, int]]):
        self.text = text
        self._offsets = [off for off, _ in starts]
        self._lines = [li for _, li in starts]
        self._years: list[tuple[int, int]] | None = None  # (end, year) of the years that date a period

    def line_at(self, pos: int) -> int:
        """The index of the line the text at `pos` is on."""
        return self._lines[bisect_right(self._offsets, pos) - 1]

    def year_before(self, pos: int) -> int | None:
        """The last year that dates a period in the text before `pos` (a sentence's start): no year
        clause runs over a sentence's end, so the paragraph's are read once."""
        if self._years is None:
            self._years = [
                (m.end(), int(m.group(1)))
                for m in _YEAR_CLAUSE.finditer(self.text)
                if not _EVENT.search(to_zh_hans(m.group(2)))
            ]
        k = bisect_right(self._years, (pos, 10_000))
        return self._years[k - 1][1] if k else None

    def quoted_at(self, pos: int) -> bool:
        """The text at `pos` is inside a quotation of someone's words opened before it: only what
        follows the last closing quote can open one."""
        before = self.text[:pos]
        last_close = max(before.rfind(q) for q in _CLOSING_QUOTES)
        return bool(_QUOTED.search(to_zh_hans(before[last_close + 1 :])))


def _prose(lines, doc, skip, context: DocumentContext | None = None) -> None:
    topics = _topics(context.prose_topics if context else None)
    for text, starts in _paragraphs(lines, skip):
        paragraph = _Paragraph(text, starts)
        for sm in _SENTENCE.finditer(text):
            sentence = sm.group(0)
            simple = to_zh_hans(sentence)
            if not topics.search(simple):
                continue
            for fm in [*_PROSE_FIGURE.finditer(sentence), *_PUE_FIGURE.finditer(sentence)]:
                i = paragraph.line_at(sm.start() + fm.start("num"))
                _prose_figure(lines, doc, i, paragraph, sm.start(), sentence, fm, context)


def _prose_figure(
    lines, doc, i, paragraph: _Paragraph, at: int, sentence, fm, context: DocumentContext | None = None
) -> None:
    """The figure `fm` of the sentence at offset `at` of its paragraph (a year earlier in the
    paragraph still counts)."""
    value_text = fm.group("num")
    printed = " ".join(fm.group(0).split())  # as printed, the blanked emphasis left out
    raw = _raw(lines, i)

    def refuse(code: str, why: str) -> None:
        doc.quarantined.append(Quarantined(PROSE, i + 1, i + 1, raw, code, why, candidates=printed))

    number = parse_cell_number(value_text)
    if number is None and (why := unstorable_reason(value_text)):
        return refuse("unparseable_value", f"{value_text!r} cannot be stored exactly ({why})")
    if number is None or _is_year_or_date(sentence, fm) or sentence[: fm.start("num")].rstrip().endswith(("第", "前")):
        return  # a year, a date, an ordinal or a rank (第12次, 前 10 名)
    groups = fm.groupdict()
    unit = (groups.get("mag1") or "") + (groups.get("mag2") or "") + (groups.get("unit") or "")
    if "unit" in groups and (not unit or _DURATION_AFTER.match(sentence[fm.end() :])):
        return  # a bare number (第 3 季度), or a duration (3 个工作日内): not a figure
    if unit == "%" and not groups.get("gap"):
        value_text, unit = value_text + "%", ""  # printed glued: kept in the value, as the highlight reader keeps it
    more = groups.get("more") or groups.get("post")
    pre = fm.group("pre") or ""
    qualifier = qualifier_of(pre) if pre else "lower_bound" if more else "exact"
    clause = _CLAUSE_BREAK_LABEL.split(sentence[: fm.start()])[-1]
    # emphasis was blanked: runs of spaces it left are one space, as printed without it
    label = re.sub(r"\s{2,}", " ", clause.strip() or sentence[: fm.start()].strip()[-30:])
    label, refs = split_markers(re.sub(r"(?<=[、，：（“])\s+", "", label))
    if reason := _not_a_figure(lines, i, paragraph, at, sentence, fm):
        return refuse(*reason)
    # the sentence's year, else the paragraph's, else the heading's or paragraph's that governs it
    year = _sentence_year(sentence, fm.start(), context) or paragraph.year_before(at) or _context_year(lines, i)
    if year is None:
        return refuse("year_unknown", "no year is printed in the sentence, paragraph or section above")
    _add(
        doc,
        lines,
        PROSE,
        i,
        label or clause.strip(),
        year,
        value_text,
        number[0],
        unit,
        qualifier,
        refs,
        cell_text=printed,
        group=_subject(sentence, fm.start()),
    )


def _not_a_figure(lines, i, paragraph: _Paragraph, at: int, sentence, fm) -> tuple[str, str] | None:
    """(reason code, reason) when the number is no reported figure of one fiscal year; the first
    rule that holds decides."""
    before, upto = sentence[: fm.start()], sentence[: fm.end()]
    own_clause = "".join(_CLAUSE_BREAK.split(upto)[-2:]) + _CLAUSE_BREAK.split(sentence[fm.end() :])[0]
    if _NOT_METRIC.search(to_zh_hans(own_clause)):
        return "not_reported_metric", "the sentence states a target, plan, design value or pilot, not a reported figure"
    if (heading := _under_target_heading(lines, i)) is not None:
        return "not_reported_metric", f"under the heading {heading!r}: a target, not a reported figure"
    if _CUMULATIVE.search(to_zh_hans(upto)):
        return "cumulative_total", "a running total over several years: no single fiscal year"
    if _RANGE_AFTER.match(sentence[fm.end("num") :]) or re.search(
        r"\d\s*%?\s*(?:-|~|～|至)\s*$", sentence[: fm.start("num")]
    ):
        return "value_range", "one end of a range (20%-30%): no single figure"
    if _UPPER_BOUND.search(to_zh_hans(sentence[: fm.start("num")])):
        return "upper_bound", "the text gives only a ceiling (未超过 5%), not the figure"
    if _EQUIVALENCE.search(to_zh_hans(before)):
        return "not_reported_metric", "an equivalence (相当于), not a reported figure"
    if _over_several_years(before):
        return "cumulative_total", "the sentence dates it by a period of several years: no single fiscal year"
    if paragraph.quoted_at(at + fm.start()):
        return "not_reported_metric", "inside a quotation of someone's words, not a figure the report states"
    if _dated_by_a_target(before):
        return "not_reported_metric", "the year that dates it in the sentence is a target's, not a reported figure"
    return None


def _subject(sentence: str, pos: int) -> str | None:
    """What the sentence speaks of, when the figure's clause is not that clause: `新入职员工` for
    `其中男性 1,800 人` in `2023年，新入职员工 3,000 人，其中男性 1,800 人`."""
    clauses = re.split(r"[，；;：:]|,(?!\d{3})", sentence[:pos])
    for clause in clauses[:-1]:
        text = _YEAR.sub("", clause)
        text = re.split(r"\d", text, maxsplit=1)[0].strip(" 在于截至")
        if text:
            return text
    return None


def _is_year_or_date(sentence: str, fm: re.Match) -> bool:
    after = sentence[fm.end("num") : fm.end("num") + 4]
    return bool(re.match(r"(?:\*\*)?\s*[年月日]", after))


def _dated_by_a_target(before: str) -> bool:
    """The last year before the number is a target's (`承诺不晚于2030年，…实现100%绿色电力`)."""
    years = list(_YEAR.finditer(before))
    if not years:
        return False
    last = years[-1]
    clause = _CLAUSE_BREAK.split(before[: last.start()])[-1] + _CLAUSE_BREAK.split(before[last.start() :])[0]
    return bool(_NOT_METRIC.search(to_zh_hans(clause))) and not _YEAR_RANGE.search(clause)


def _over_several_years(before: str) -> bool:
    """`2021-2023年，…300 亿元`: a range of years and no single year after it dates the figure."""
    ranges = list(_YEAR_RANGE.finditer(before))
    if not ranges:
        return False
    after = before[ranges[-1].end() :]
    return not _YEAR.search(re.sub(r"^\s*年", "", after))


# --- years --------------------------------------------------------------------------------------


def _sentence_year(sentence: str, pos: int, context: DocumentContext | None = None) -> int | None:
    """The year the sentence gives the number at `pos`: `较2022年的4,800人` is 2022's figure; else
    the last year before it that is no event's date; else 本年度 / this year (the report's current
    year); else a year after it, unless that one is a target's (`提前完成2025年目标`)."""
    before = sentence[:pos]
    if m := _BASE_YEAR.search(before):
        return int(m.group(1))
    found = _period_years(before)
    if found:
        return found[-1]
    if context is not None and context.fiscal_year_end and _THIS_YEAR.search(to_zh_hans(before)):
        return context.fiscal_year_end
    for clause in _CLAUSE_BREAK.split(sentence[pos:]):
        if _NOT_METRIC.search(to_zh_hans(clause)):
            continue
        if found := _period_years(clause):
            return found[0]
    return None


def _period_years(text: str) -> list[int]:
    """Years that date a period in the text (not the start of a run, not an event)."""
    return [int(y) for y, rest in _YEAR_CLAUSE.findall(text) if not _EVENT.search(to_zh_hans(rest))]


def _is_heading_line(text: str) -> bool:
    """A line that heads what follows: a Markdown heading, or a short line that is no sentence."""
    t = text.strip()
    return bool(_HEADING.match(text)) or (0 < len(t) <= 30 and not t.endswith(("。", "；", ";", "，", ",")))


def _context_year(lines: list[str], i: int, reach: int = 40) -> int | None:
    """The year of what governs the line: the nearest heading or paragraph above that names one,
    within the same section (a # or ## heading ends it). A year that dates an event in running
    text (2004年在香港上市, 2015年成立) is that event's: past such a paragraph only a heading can
    still date the figure. The event is read in the year's own clause: `2020年1月24日，…宣布设立…基金`
    dates what follows (the reports' hand readings agree), `2015年成立…` does not."""
    headings_only = False
    entry = i < len(lines) and bool(_TIMELINE_ENTRY.match(lines[i]))
    for j in range(i - 1, max(i - reach, -1), -1):
        text = _BASELINE.sub(" ", lines[j])
        if _NOT_METRIC.search(to_zh_hans(text)):
            continue  # 碳中和不晚於 2030 年: a target's year is not the figure's
        heading = _is_heading_line(text)
        if headings_only and not heading:
            continue
        if _YEAR_RANGE.search(text):
            return None  # 2020 年至 2024 年: a period of several years dates no single figure
        if entry and _TIMELINE_ENTRY.match(text):
            continue
        found = [int(y) for y, rest in _YEAR_CLAUSE.findall(text) if heading or not _EVENT.search(to_zh_hans(rest))]
        if found:
            return found[-1]
        if _YEAR.search(text) and not heading:
            headings_only = True
            continue
        if len(text.strip()) <= 30 and (bare := _BARE_YEAR.findall(text)):
            return int(bare[-1])
        if _HEADING.match(text):
            return None
    return None


def _under_target_heading(lines: list[str], i: int, reach: int = 40) -> str | None:
    """The nearest heading above, when it announces targets (2024年目标): what it heads is a goal."""
    for j in range(i - 1, max(i - reach, -1), -1):
        text = lines[j]
        if _is_heading_line(text) and not _is_value_line(text):
            return text.strip() if _TARGET_HEADING.search(text) else None
    return None


def _year_for(lines: list[str], i: int, texts: list[str], context_from: int) -> int | None:
    for text in texts:
        found = _YEAR.findall(_BASELINE.sub(" ", text))
        if found:
            return int(found[-1])
    return _context_year(lines, context_from + 1)


def _add(
    doc,
    lines,
    method,
    i,
    label,
    year,
    value_text,
    value,
    unit,
    qualifier,
    refs,
    context=None,
    cell_text=None,
    group=None,
) -> None:
    if year is None:
        doc.quarantined.append(
            Quarantined(
                method,
                i + 1,
                i + 1,
                _raw(lines, i),
                "year_unknown",
                "no year is printed with the figure or in the section above",
                candidates=f"{label}: {value_text} {unit}".strip(),
            )
        )
        return
    doc.figures.append(
        Figure(
            extraction_method=method,
            line_start=i + 1,
            line_end=i + 1,
            raw_text=_raw(lines, i),
            row_label=label,
            fiscal_year=year,
            cell_text=cell_text or value_text,
            value_text=value_text,
            value=value,
            unit_text=unit,
            qualifier=qualifier,
            column_label=context,
            label_footnotes=refs,
            group_label=group,
        )
    )
