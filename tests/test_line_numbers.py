"""Provenance counts lines by `\\n` only (issue 11, severe 4): form feeds (pdftotext writes one at
every page break), Unicode line and paragraph separators, vertical tabs and the other characters
Python's str.splitlines() breaks on never shift a figure's line number: after the noise, every
figure still points at the line of the original file that prints it."""

from __future__ import annotations

import re

import pytest

from loaders.load import context_of, parse_bytes
from loaders.manifest import read_manifest, read_verified_bytes

from .conftest import REPORTS, ROOT

pytestmark = pytest.mark.attack("report text")

BREAKERS = ["\u2028", "\u2029", "\x0b", "\x1c", "\x1d", "\x1e", "\x85", "\r"]


def _entries():
    return [*read_manifest(REPORTS), *read_manifest(ROOT / "tests" / "corpus")]


@pytest.mark.parametrize("entry", _entries(), ids=lambda e: e.report_id)
def test_line_breaking_characters_do_not_move_figures(entry):
    text = read_verified_bytes(entry).decode("utf-8")
    lines = text.split("\n")
    noisy = []
    for i, line in enumerate(lines):
        if not line.strip():
            noisy.append("\f" + line if i % 2 else BREAKERS[i % len(BREAKERS)] + line)  # page breaks, separators
        elif i % 3 == 0:
            noisy.append(line + BREAKERS[i % len(BREAKERS)])  # a stray separator at the end
        else:
            noisy.append(line)
    original = parse_bytes(text.encode("utf-8"), entry.file_name, context_of(entry))
    shifted = parse_bytes("\n".join(noisy).encode("utf-8"), entry.file_name, context_of(entry))
    assert len(shifted.figures) >= 0.9 * len(original.figures)
    for f in shifted.figures:
        # a squashed PDF dump may break a number over two lines (after a chunk counter, `297、`): the
        # figure points at the line where it starts
        printed = re.sub(r"(?:^|\n)\d+、", "", "\n".join(lines[f.line_start - 1 : f.line_end + 1])).replace(" ", "")
        assert f.value_text.replace(" ", "") in printed, (f.line_start, f.value_text, lines[f.line_start - 1][:80])
    for q in shifted.quarantined:
        assert 1 <= q.line_start <= q.line_end <= len(lines)
