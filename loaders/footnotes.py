"""Footnote markers in the forms the reports print, separated from labels and values.

Seen forms: superscript digits (¹, ¹⁹), caret groups (^{2,3,4}, ^{②③}, ^④, ^①), and bare
circled numbers (①). A marker is a reference, never part of a number.
"""

from __future__ import annotations

import re

from .vocabulary import CIRCLED

SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_TO_DIGIT = {c: str(i) for i, c in enumerate(SUPERSCRIPT)}

MARKER_RE = re.compile(
    rf"\^\{{([^{{}}]*)\}}"  # ^{2,3,4} or ^{②③}
    rf"|\^([0-9]+|[{CIRCLED}])"  # ^4 or ^④
    rf"|([{SUPERSCRIPT}]+)"  # ¹⁹
    rf"|([{CIRCLED}])"  # ①
)


def _refs(group: str) -> list[str]:
    refs: list[str] = []
    for part in re.split(r"[,，、\s]+", group.strip()):
        if not part:
            continue
        if all(c in CIRCLED for c in part):
            refs.extend(str(CIRCLED.index(c) + 1) for c in part)
        else:
            refs.append("".join(_SUP_TO_DIGIT.get(c, c) for c in part))
    return refs


def split_markers(text: str) -> tuple[str, list[str]]:
    """(text without markers, marker references in order). Whitespace left by a marker is folded."""
    refs: list[str] = []

    def take(m: re.Match) -> str:
        braced, caret, sup, circled = m.groups()
        if braced is not None:
            refs.extend(_refs(braced))
        elif caret is not None:
            refs.extend(_refs(caret))
        elif sup is not None:
            refs.append("".join(_SUP_TO_DIGIT[c] for c in sup))
        else:
            refs.extend(_refs(circled))
        return " "

    stripped = MARKER_RE.sub(take, text)
    return re.sub(r"\s+", " ", stripped).strip(), refs


# A footnote number or letter printed straight after a word in English text: `emissions3`,
# `Not applicablea`. Only after a lower-case letter or a closing bracket, so `CO2`, `PM2.5`,
# `Scope 3` and `Cat 4&9` keep their digits.
_GLUED_DIGITS = re.compile(r"(?<=[a-z)])(\d{1,2})$")
_GLUED_LETTER = re.compile(r"^(not applicable|not reported|n/a)([a-e])$", re.I)


def split_glued_marker(text: str) -> tuple[str, list[str]]:
    """(text, [marker]) for a label or mark that ends in a glued footnote reference."""
    if m := _GLUED_LETTER.match(text):
        return m.group(1), [m.group(2)]
    if m := _GLUED_DIGITS.search(text):
        return text[: m.start()], [m.group(1)]
    return text, []


def split_all_markers(text: str) -> tuple[str, list[str]]:
    """Printed markers (split_markers), then a glued trailing reference (split_glued_marker)."""
    stripped, refs = split_markers(text)
    stripped, glued = split_glued_marker(stripped)
    return stripped, refs + glued


def join_refs(refs: list[str]) -> str:
    return ";".join(refs)
