"""Key-performance tables whose PDF text dump lost every cell boundary (SSV 2021 style).

    294、…133附錄二關鍵績效表指標類別指標范疇指標單位201920202021市場績效經濟收益總收入億元3,772.894,820.645,601.18盈利…

The dump is read as one stream (chunk counters `N、` removed, lines joined), so tokens broken
across lines join up again; every character keeps its line number. A table starts after a
header ending in its year columns (單位201920202021) and ends at its notes (注:), the running
page title, or the next header. Inside it, a run of digits is:
  - a value run when the text before it ends with a unit (億元, 人, %, …) or, for unit-less rows
    such as PUE, with a label character;
  - a footnote marker when it is a note number glued to a label (因工死亡人數4人, 環境績效1…);
  - label text when whitespace touches it (30 至 50 歲).
Value runs are split by loaders.segment; the cheapest split is taken only when it is clearly the
cheapest, after filtering by the decimal places of settled rows in the same block and column.
Page numbers glued to the last run of a page are recognised from the running title's page
sequence. Grouping rows (按性別劃分的員工人數) lost their own row: a label suffix shared by rows
whose prefixes are variations of one another (…員工人數男性 / …員工流失率男性) marks the prefix as
the group. What stays ambiguous is quarantined with its candidates.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..footnotes import split_markers
from ..model import ParsedDocument, TableNote
from ..notes import stated_figures
from ..segment import Candidate, candidates, choose, decimals
from ..table_model import Cell, Column, Row, Table, add_table
from ..text import DocumentText
from ..units import UNIT_TOKENS, unit_suffix
from . import Block, Reader, register

METHOD = "kpi_table_squashed"

_COUNTER = re.compile(r"^(\d+)、")
_HEADER = re.compile(r"(?:單位|单位)((?:19|20)\d{2})((?:19|20)\d{2})((?:19|20)\d{2})?((?:19|20)\d{2})?")
_NOTES = re.compile(r"注\s*[:：]")
_RUN = re.compile(r"\d[\d,.]*")
_NOTE_NUMBER = re.compile(r"(?:(?<=[:：。.\s])|^)(\d{1,2})\.\s?(?!\d)")


@dataclass
class Stream:
    text: str
    line_of: list[int]  # 0-based line index of each character

    def line(self, pos: int) -> int:
        return self.line_of[min(pos, len(self.line_of) - 1)] + 1


def is_chunk_dump(lines: list[str]) -> bool:
    """Nearly every non-blank line starts with its own line number as a chunk counter (N、)."""
    nonblank = [i for i, l in enumerate(lines) if l.strip()]
    numbered = sum(1 for i in nonblank if (m := _COUNTER.match(lines[i])) and int(m.group(1)) == i + 1)
    return bool(nonblank) and numbered >= 0.9 * len(nonblank)


def build_stream(lines: list[str]) -> Stream | None:
    """The chunk-counter dump as one stream, or None when the text is not such a dump."""
    if not is_chunk_dump(lines):
        return None
    parts: list[str] = []
    line_of: list[int] = []
    for i, line in enumerate(lines):
        m = _COUNTER.match(line)
        body = line[m.end() :] if m else line
        parts.append(body)
        line_of.extend([i] * len(body))
    return Stream("".join(parts), line_of)


def strip_counters(lines: list[str]) -> list[str]:
    """The lines without their chunk counters when the text is a chunk-counter dump."""
    if not is_chunk_dump(lines):
        return lines
    return [_COUNTER.sub("", line, count=1) for line in lines]


def running_title(text: str) -> str | None:
    """The page title repeated on many pages, e.g. 騰訊可持續社會價值報告(2021)."""
    counts: Counter[str] = Counter()
    for m in re.finditer(r"\((?:19|20)\d{2}\)", text):
        before = text[max(0, m.start() - 30) : m.start()]
        for n in range(4, len(before) + 1):
            piece = before[-n:]
            if re.search(r"[\d\s,.、，。:：;；()（）]", piece):
                break
            counts[piece + m.group(0)] += 1
    if not counts:
        return None
    top = max(counts.values())
    if top < 5:
        return None
    return max((t for t, c in counts.items() if c == top), key=len)


def clean_pages(text: str, title: str | None) -> list[tuple[int, int]]:
    """(position, page number) where a page number stands alone before the running title."""
    if not title:
        return []
    return [(m.start(), int(m.group(1))) for m in re.finditer(r"(?<![\d,.])(\d{1,3})" + re.escape(title), text)]


def _page_range(pages: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    before = [p for q, p in pages if q < pos]
    after = [p for q, p in pages if q > pos]
    return (max(before) if before else 0, min(after) if after else 10_000)


@dataclass
class _ValueRun:
    table: Table
    years: list[int]
    prev: _ValueRun | None  # previous value run in the same table segment
    text_start: int  # where the row's text starts, before any digits carried from the previous run
    text_end: int  # end of label text (before the unit)
    unit: str
    start: int  # run start
    run: str
    markers: frozenset[str]
    marker_positions: dict[int, str] = field(default_factory=dict)
    next_is_space: bool = False
    tails: tuple[str, ...] = ()
    tail_required: bool = False
    row_start: int = 0
    cands: list[Candidate] = field(default_factory=list)
    chosen: Candidate | None = None
    close: list[Candidate] = field(default_factory=list)
    label_text: str = ""
    section: str | None = None
    group: str | None = None
    label_refs: list[str] = field(default_factory=list)


@register
class SquashedReader(Reader):
    method = METHOD
    order = 40
    description = "PDF text dumps whose tables lost every cell boundary (chunk counters N、)"

    def find(self, text: DocumentText, claimed: set[int]) -> list[Block]:
        stream = build_stream(text.lines)
        return [] if stream is None else [Block(0, len(text.lines) - 1, stream)]

    def read(self, block: Block, text: DocumentText, doc: ParsedDocument):
        parse_squashed_tables(block.data, text, doc)
        return None


def parse_squashed_tables(stream: Stream, doc_text: DocumentText, doc: ParsedDocument) -> None:
    text = stream.text
    title = running_title(text)
    pages = clean_pages(text, title)
    headers = [m for m in _HEADER.finditer(text) if _consecutive(m)]
    note_spans = _notes(text, headers)
    notes = frozenset(m for m, _, _ in note_spans)
    runs: list[_ValueRun] = []
    tables: list[Table] = []
    for i, h in enumerate(headers):
        years = [int(y) for y in h.groups() if y]
        stops = [len(text)]
        if i + 1 < len(headers):
            stops.append(headers[i + 1].start())
        if n := _NOTES.search(text, h.end()):
            stops.append(n.start())
        if title and (t := text.find(title, h.end())) >= 0:
            stops.append(t)
        end = min(stops)
        end_kind = "title" if title and text.startswith(title, end) else "other"
        table = Table(
            METHOD,
            _table_title(text, h.start()),
            stream.line(h.start()) - 1,
            stream.line(end - 1) - 1,
            [Column(y, str(y)) for y in years],
        )
        tables.append(table)
        runs.extend(_value_runs(stream, h.end(), end, end_kind, years, notes, pages, table))
    _resolve(stream, runs)
    for vr in runs:
        vr.table.rows.append(_row(stream, vr))
        vr.table.rows_seen += 1
    for table in tables:
        add_table(doc, table, doc_text)
    for marker, a, b in note_spans:
        summary = next((t for t in reversed(doc.tables) if t.header_line <= stream.line(a)), None)
        note = TableNote(
            marker, stream.line(a), stream.line(b - 1), text[a:b].strip(), summary.table_seq if summary else None
        )
        doc.notes.append(note)
        if summary:
            stated_figures(note, max(summary.year_columns), doc, line_of_offset=lambda off, a=a: stream.line(a + off))


def _consecutive(m: re.Match) -> bool:
    years = [int(y) for y in m.groups() if y]
    return all(b == a + 1 for a, b in zip(years, years[1:]))


def _table_title(text: str, header_start: int) -> str | None:
    before = text[max(0, header_start - 40) : header_start]
    m = re.search(r"([^\d\s。，,.:：]{2,20}表)", before)
    return m.group(1) if m else None


def _notes(text: str, headers: list[re.Match]) -> list[tuple[str, int, int]]:
    """(marker, start, end) of each note in the tables' 注 blocks (注:1. … 2. …)."""
    found: list[tuple[str, int, int]] = []
    seen_blocks: set[int] = set()
    for h in headers:
        n = _NOTES.search(text, h.end())
        if not n or n.start() in seen_blocks:
            continue
        seen_blocks.add(n.start())
        following = [x.start() for x in headers if x.start() > n.end()]
        block_end = min(following + [n.end() + 3000, len(text)])
        starts: list[tuple[str, int, int]] = []
        expected = 1
        for m in _NOTE_NUMBER.finditer(text, n.end(), block_end):
            if int(m.group(1)) == expected:
                starts.append((m.group(1), m.start(), m.end()))
                expected += 1
        for k, (marker, _, body) in enumerate(starts):
            end = starts[k + 1][1] if k + 1 < len(starts) else _block_text_end(text, body, block_end)
            found.append((marker, body, end))
    return found


def _block_text_end(text: str, start: int, limit: int) -> int:
    """The last note runs to its final full stop before the next header (or the limit)."""
    stop = text.rfind("。", start, limit)
    return stop + 1 if stop >= 0 else limit


def _value_runs(
    stream: Stream, start: int, end: int, end_kind: str, years: list[int], notes: frozenset[str], pages, table: Table
) -> list[_ValueRun]:
    text = stream.text
    seg = text[start:end]
    grouped = "," in seg
    runs: list[_ValueRun] = []
    row_start = start
    markers: dict[int, str] = {}
    for m in _RUN.finditer(seg):
        raw = m.group(0).rstrip(",.")
        a = start + m.start()
        b = a + len(raw)
        prev_char = text[a - 1] if a > start else ""
        next_char = text[b] if b < end else ""
        unit = unit_suffix(text[row_start:a])
        if prev_char.isspace():
            continue  # a number inside a label: 30 至 50 歲
        if not unit:
            after = text[b:end]
            if raw in notes and (any(after.startswith(u) for u in UNIT_TOKENS) or _is_word_char(next_char)):
                markers[a] = raw  # 因工死亡人數4人 / 環境績效1溫室…
                continue
            if next_char.isspace():
                continue  # the start of a label: 30 歲以下
        vr = _ValueRun(
            table,
            years,
            runs[-1] if runs else None,
            row_start,
            a - len(unit),
            unit,
            a,
            raw,
            markers=notes if not unit else frozenset(),
            marker_positions={p: n for p, n in markers.items() if p >= row_start},
            next_is_space=next_char.isspace(),
        )
        is_last = not any(True for _ in _RUN.finditer(seg, m.end()))
        if vr.next_is_space:
            vr.tails = tuple(raw[-n:] for n in (1, 2, 3) if len(raw) > n and raw[-n:].isdigit() and raw[-n] != "0")
            vr.tail_required = True
        elif is_last:
            # The last run before a page break carries the page number when one fits the sequence.
            lo, hi = _page_range(pages, a)
            vr.tails = tuple(
                raw[-n:]
                for n in (1, 2, 3)
                if len(raw) > n and raw[-n:].isdigit() and raw[-n] != "0" and lo < int(raw[-n:]) < hi
            )
            vr.tail_required = end_kind == "title" or bool(vr.tails)
        vr.cands = candidates(raw, len(years), grouped, vr.markers, vr.tails, vr.tail_required)
        if vr.next_is_space and vr.cands:
            # The next label takes the fewest leading digits that leave valid values (30 歲以下, not 930).
            shortest = min(len(c.tail) for c in vr.cands)
            vr.cands = [c for c in vr.cands if len(c.tail) == shortest]
        result = choose(vr.cands)
        vr.chosen, vr.close = result.chosen, result.candidates
        runs.append(vr)
        row_start = b
    return runs


def _resolve(stream: Stream, runs: list[_ValueRun]) -> None:
    """Labels, groups and column-consistent splits depend on each other: iterate to a fixpoint."""
    for _ in range(6):
        before = [id(r.chosen) for r in runs]
        _label_rows(stream, runs)
        _settle_by_columns(runs)
        if [id(r.chosen) for r in runs] == before:
            break
    _label_rows(stream, runs)


def _is_word_char(ch: str) -> bool:
    return bool(ch) and (ch.isalpha() or "\u4e00" <= ch <= "\u9fff")


def _common_tail(cands: list[Candidate]) -> str:
    tails = {c.tail for c in cands}
    return tails.pop() if len(tails) == 1 else ""


def _carried(vr: _ValueRun) -> str:
    """Digits the previous run hands to this row's label (30 至 50 歲 after …28,60830)."""
    prev = vr.prev
    if prev is None or not prev.next_is_space:
        return ""
    if prev.chosen:
        return prev.chosen.tail
    return _common_tail(prev.close)


def _label_rows(stream: Stream, runs: list[_ValueRun]) -> None:
    text = stream.text
    for vr in runs:
        vr.row_start = vr.text_start - len(_carried(vr))
        raw_label = text[vr.row_start : vr.text_end]
        # A marker inside the text splits a section label off (環境績效1…); one at the end is the label's.
        inner = [(p, n) for p, n in sorted(vr.marker_positions.items()) if vr.row_start <= p < vr.text_end]
        section = None
        label_refs: list[str] = []
        for p, n in inner:
            if p + len(n) >= vr.text_end:
                label_refs.append(n)
            else:
                section = text[vr.row_start : p].strip() or section
        body_start = max([p + len(n) for p, n in inner if p + len(n) < vr.text_end], default=vr.row_start)
        body_end = min([p for p, n in inner if p + len(n) >= vr.text_end], default=vr.text_end)
        label, refs = split_markers(text[body_start:body_end])
        vr.label_text, vr.section, vr.label_refs = label, section, label_refs + refs
        if vr.chosen and vr.chosen.marker:
            vr.label_refs.append(vr.chosen.marker)
        if not raw_label.strip():
            vr.label_text = ""
    _find_groups(runs)


def _find_groups(runs: list[_ValueRun]) -> None:
    """Split `group + member` labels: a suffix shared by rows whose prefixes vary one another.

    A group carries on to the following rows while their labels are members seen elsewhere too
    (女性, 港澳臺地區, 非管理層 repeat under several groups); a one-off label ends it.
    """
    texts = [vr.label_text for vr in runs]
    split_at: dict[int, int] = {}
    for i, a in enumerate(texts):
        for j in range(i + 1, len(texts)):
            b = texts[j]
            s = _common_suffix(a, b)
            if len(s) < 2 or s in (a, b):
                continue
            pa, pb = a[: -len(s)], b[: -len(s)]
            if _variants(pa, pb):
                split_at[i] = len(pa)
                split_at[j] = len(pb)
    labels = [t[split_at[i] :] if i in split_at else t for i, t in enumerate(texts)]
    seen = Counter(labels)
    group = None
    for i, vr in enumerate(runs):
        if vr.prev is None or vr.section:
            group = None
        if i in split_at:
            group = texts[i][: split_at[i]]
        elif seen[labels[i]] < 2:
            group = None
        vr.label_text, vr.group = labels[i], group


def _common_suffix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return a[len(a) - n :] if n else ""


def _variants(pa: str, pb: str) -> bool:
    """Two group labels of one family: a shared stretch of 4+ characters, each going on for 2+ more."""
    best = 0
    for i in range(len(pa)):
        for j in range(len(pb)):
            k = 0
            while i + k < len(pa) and j + k < len(pb) and pa[i + k] == pb[j + k]:
                k += 1
            if k > best:
                best, end_a, end_b = k, i + k, j + k
    return best >= 4 and len(pa) - end_a >= 2 and len(pb) - end_b >= 2


def _settle_by_columns(runs: list[_ValueRun]) -> None:
    """Filter open rows' candidates by the decimal places that settled rows of the same group (and
    unit) print in each column. A column whose settled rows disagree, or whose filter would leave
    nothing, does not filter. (Across a whole table columns do vary: 2020 turnover prints 12.0 in
    one block and 12.00 in another, so only the group is trusted.)"""
    for vr in runs:
        if vr.chosen or not vr.cands:
            continue
        same_group = [
            r
            for r in runs
            if r.chosen and vr.group and r.group == vr.group and r.unit == vr.unit and r.years == vr.years
        ]
        kept = vr.cands
        cols = _column_decimals(same_group)
        for year in reversed(vr.years):
            want = cols.get(year, set())
            if len(want) != 1:
                continue
            narrowed = [c for c in kept if _decimals_at(c, vr.years, year) in (None, *want)]
            if narrowed:
                kept = narrowed
        result = choose(kept)
        vr.close = result.candidates
        if result.chosen:
            vr.chosen = result.chosen


def _column_decimals(pool: list[_ValueRun]) -> dict[int, set[int]]:
    cols: dict[int, set[int]] = {}
    for r in pool:
        assert r.chosen is not None  # the pool holds settled rows only
        for year, token in zip(r.years[-len(r.chosen.values) :], r.chosen.values):
            if token != "0":  # a bare zero says nothing about the column's format
                cols.setdefault(year, set()).add(decimals(token))
    return cols


def _decimals_at(c: Candidate, years: list[int], year: int) -> int | None:
    mapping = dict(zip(years[-len(c.values) :], c.values))
    return decimals(mapping[year]) if year in mapping and mapping[year] != "0" else None


def _row(stream: Stream, vr: _ValueRun) -> Row:
    """The value run as a table row: its chosen split as cells, or the reason it is refused."""
    text = stream.text
    years = vr.years
    row_end = vr.start + len(vr.run)
    row = Row(
        stream.line(vr.row_start) - 1,
        stream.line(row_end - 1) - 1,
        text[vr.row_start : row_end],
        label=vr.label_text,
        label_refs=list(dict.fromkeys(vr.label_refs)),
        section=vr.section,
        group=vr.group,
        unit=vr.unit,
        candidates=" | ".join(c.describe() for c in vr.close) or None,
    )
    if not vr.label_text:
        row.problem = ("no_label", "value run with no label before it")
    elif not vr.cands:
        row.problem = ("unsplittable", f"{vr.run!r} cannot be read as {len(years)} or fewer printed numbers")
    elif vr.chosen is None:
        row.problem = ("ambiguous_split", f"{vr.run!r} splits more than one way; candidates kept, none chosen")
    if row.problem:
        if row.problem[0] == "ambiguous_split":
            # every close call, as cells: raw keeps them beside the refusal and dbt chooses one
            # only where other figures settle it (int_squashed_splits)
            row.split_candidates = [_cells(stream, vr, c) for c in vr.close]
        return row
    assert vr.chosen is not None  # else row.problem is set above
    row.cells = _cells(stream, vr, vr.chosen)
    return row


def _cells(stream: Stream, vr: _ValueRun, c: Candidate) -> list[Cell]:
    """A split's values as cells under the latest years, at the lines they are printed on."""
    years = vr.years
    cells = []
    pos = vr.start + len(c.marker)
    for year, token in zip(years[-len(c.values) :], c.values):
        cells.append(Cell(years.index(year), token, stream.line(pos) - 1, stream.line(pos + len(token) - 1) - 1))
        pos += len(token)
    return cells
