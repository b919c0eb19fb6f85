"""Decoding a report's bytes into lines, with errors that point at the offending line.

Lines are counted by `\\n` only, as `sed -n 'Np'` and every editor's line numbers do: a form feed
(pdftotext writes one at each page break), a vertical tab or a Unicode line separator stays inside
its line. A form feed starts a new page; `DocumentText.page` gives a line's page.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .errors import LoaderError

# Control characters a PDF text dump leaves inside lines (form feed, bell, vertical tab, line and
# paragraph separators ...): kept in the raw text, removed where text is read.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]")


def decode_text(data: bytes, file_name: str) -> str:
    """UTF-8 text without BOM. Refuses empty, binary or non-UTF-8 input, naming the line."""
    if not data.strip():
        raise LoaderError(file_name, "file is empty")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise LoaderError(file_name, "binary content (NUL byte): not a text file", line=data.count(b"\n", 0, nul) + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LoaderError(
            file_name,
            f"not valid UTF-8 at byte {exc.start} (is it GBK or Big5? reports must be UTF-8)",
            line=line,
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def split_lines(text: str) -> list[str]:
    """Lines split at `\\n` only (a `\\r` before it is part of the line break)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def decode_lines(data: bytes, file_name: str) -> list[str]:
    """UTF-8 text as a list of lines (index 0 is line 1)."""
    return split_lines(decode_text(data, file_name))


def clean(line: str) -> str:
    """A line as readers see it: control characters removed (the raw text keeps them)."""
    return _CONTROL.sub("", line) if _CONTROL.search(line) else line


@dataclass(frozen=True)
class DocumentContext:
    """What the manifest says about a document that reading needs: its fiscal years (to resolve
    headers such as `Current Financial Year`) and its language (BCP 47); and the workspace's prose
    topics, when it has its own."""

    fiscal_year_start: int | None = None
    fiscal_year_end: int | None = None
    language: str = "zh-Hans"
    prose_topics: tuple[str, ...] | None = None  # the words a sentence is read for; None: the package seed's

    @property
    def is_chinese(self) -> bool:
        return self.language.split("-")[0].lower() == "zh"


@dataclass
class DocumentText:
    """A document's lines with their pages; readers take lines by 0-based index."""

    file_name: str
    lines: list[str]
    context: DocumentContext = field(default_factory=DocumentContext)
    _page_starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        # A line that holds a form feed belongs to the page the form feed opens.
        self._page_starts = [i for i, line in enumerate(self.lines) if "\f" in line]
        self.has_pages = bool(self._page_starts)

    def page(self, index: int) -> int | None:
        """1-based page of the line at 0-based `index` (None when the text has no page breaks)."""
        if not self.has_pages:
            return None
        return 1 + sum(
            self.lines[i].count("\f") for i in self._page_starts[: bisect.bisect_right(self._page_starts, index)]
        )

    def clean(self, index: int) -> str:
        return clean(self.lines[index])
