"""Table-like blocks that no reader took: found by their shape, so they can be quarantined whole.

A reader that claims a block and fails reports it itself; this catches the rest, shaped like a
table whatever its rendering: an HTML `<table>`, a run of Markdown pipe rows, a run of
tab-separated rows holding several numbers each. Blocks with no number at all hold no figure
and are left to the prose reader.
"""

from __future__ import annotations

import re

from .numbers import DIGIT
from .text import DocumentText

_HTML_OPEN = re.compile(r"<table\b", re.I)
_HTML_CLOSE = re.compile(r"</table\s*>", re.I)
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_NUMERIC_CELL = re.compile(r"^[\s(+\-−]*\d[\d,.\s]*%?\)?$")


def unclaimed_table_blocks(text: DocumentText, claimed: set[int]) -> list[tuple[int, int, str]]:
    """(first line, last line, why) of each table-like block outside `claimed` (0-based)."""
    found: list[tuple[int, int, str]] = []
    lines = text.lines
    i = 0
    while i < len(lines):
        if i in claimed:
            i += 1
            continue
        line = lines[i]
        if _HTML_OPEN.search(line):
            j = i
            while j < len(lines) - 1 and not _HTML_CLOSE.search(lines[j]) and j + 1 not in claimed:
                j += 1
            if _has_number(lines[i : j + 1]):
                found.append((i, j, "an HTML table"))
            i = j + 1
            continue
        if _PIPE_ROW.match(line):
            j = _run(lines, i, claimed, lambda s: bool(_PIPE_ROW.match(s)))
            if j > i and any(_NUMERIC_CELL.match(c) for s in lines[i : j + 1] for c in s.strip().strip("|").split("|")):
                found.append((i, j, "Markdown pipe rows"))
            i = j + 1
            continue
        if _numeric_tab_row(line):
            j = _run(lines, i, claimed, _numeric_tab_row)
            if j > i:
                # two rows of numbers or more (one row under a row of labels is a highlight the prose
                # reader takes); the row of column names above belongs to the block
                start = i - 1 if i > 0 and i - 1 not in claimed and "\t" in lines[i - 1] and lines[i - 1].strip() else i
                found.append((start, j, "tab-separated rows of numbers without fiscal-year columns"))
            i = j + 1
            continue
        i += 1
    return found


def _run(lines: list[str], i: int, claimed: set[int], test) -> int:
    j = i
    while j + 1 < len(lines) and j + 1 not in claimed and test(lines[j + 1]):
        j += 1
    return j


def _has_number(lines: list[str]) -> bool:
    return any(DIGIT.search(line) for line in lines)


def _numeric_tab_row(line: str) -> bool:
    cells = [c for c in line.split("\t") if c.strip()]
    return "\t" in line and sum(1 for c in cells if _NUMERIC_CELL.match(c)) >= 2
