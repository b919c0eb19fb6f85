"""Errors that name the file and line, so a user can open the text at the right place."""

from __future__ import annotations


class LoaderError(Exception):
    """Bad input: refused with the file (and line, when known) it came from."""

    def __init__(self, file: str, message: str, line: int | None = None):
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")

    def __reduce__(self):
        # Raised in a parse worker process, it must arrive whole in the parent.
        return (type(self), (self.file, self.message, self.line))


class ManifestError(LoaderError):
    """The manifest itself is wrong (missing column, bad date, path outside the data folder...)."""
