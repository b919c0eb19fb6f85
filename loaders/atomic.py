"""Small state files written whole or not at all: a reader (the next build) never sees half a file."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def write_text_atomically(path: Path, text: str) -> bool:
    """Write `text` to `path` through a partial file renamed over it; False if it could not be written."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            partial.unlink()
        return False
