"""The report files already hashed and found to match the manifest, remembered by what the file
system says of each (device, inode, size, modification and change time, as git's index does), so
that a build with nothing new does not read every report again. Any write to a file changes its
change time, which no user program can set back, so a remembered file is one nobody touched.

A file is remembered only when nothing changed while it was hashed and its last change is older
than RACY_SECONDS: a file written in the same clock tick as it was hashed could be written again
without its times moving (git's "racily clean" entries)."""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path

from .atomic import write_text_atomically
from .manifest import ReportEntry, must_exist, verify_file

FILE_NAME = "verified_hashes.json"
RACY_SECONDS = 2.0
_FORMAT = 1


def _signature(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns]


class VerifiedHashes:
    """Verify report files against the manifest, hashing only those changed since last verified.

    `file` is where the signatures are kept (None: hash every file, remember nothing); `trust`
    False hashes every file and starts the record afresh (a forced build)."""

    def __init__(self, file: Path | None, trust: bool = True):
        self.file = file
        self.known = _read(file) if file is not None and trust else {}
        self.verified: dict[str, dict] = {}
        self.hashed = 0
        self.unchanged = 0

    def verify(self, entry: ReportEntry) -> None:
        """Raises LoaderError unless the file exists and its content hashes to the manifest's SHA-256."""
        before = must_exist(entry)
        key = str(entry.path)
        remembered = {"sha256": entry.sha256, "stat": _signature(before)}
        if self.known.get(key) == remembered:
            self.verified[key] = remembered
            self.unchanged += 1
            return
        started_ns = time.time_ns()
        verify_file(entry)
        self.hashed += 1
        settled = max(before.st_mtime_ns, before.st_ctime_ns) < started_ns - RACY_SECONDS * 1e9
        with contextlib.suppress(OSError):
            if settled and _signature(os.stat(entry.path)) == remembered["stat"]:
                self.verified[key] = remembered

    def save(self) -> None:
        """Keep what was verified this time (best effort: without it the next build hashes again)."""
        if self.file is not None:
            write_text_atomically(self.file, json.dumps({"format": _FORMAT, "files": self.verified}) + "\n")


def _read(file: Path) -> dict[str, dict]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) and data.get("format") == _FORMAT else None
    return files if isinstance(files, dict) else {}
