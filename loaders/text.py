"""Decoding a report's bytes into lines, with errors that point at the offending line."""
from __future__ import annotations

from .errors import LoaderError


def decode_lines(data: bytes, file_name: str) -> list[str]:
    """UTF-8 text as a list of lines (index 0 is line 1). Refuses empty, binary or non-UTF-8 input."""
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
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.splitlines()
