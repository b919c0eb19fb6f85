"""Table readers, one module per rendering, found through a registry.

A reader knows one way tables are printed in text. It finds the blocks of a document printed
that way (`find`) and reads each into the common table model (`loaders.table_model`), which
`add_table` turns into figures. A block a reader claims but cannot read is quarantined whole
(`unrecognised_table`): nothing it saw is dropped silently.

To support a new rendering, add a module here that defines a `Reader` subclass decorated with
`@register`; nothing else changes. Readers run in `order`: the most specific renderings first
(HTML, Markdown), the most permissive last (space-aligned columns), each seeing only lines no
earlier reader's tables took.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

from ..model import ParsedDocument
from ..text import DocumentText


@dataclass
class Block:
    """Lines one reader claims (0-based, inclusive) and whatever it found out while finding them."""

    line_start: int
    line_end: int
    data: Any = None
    title: str | None = None


@dataclass
class Unreadable:
    """Why a claimed block could not be read."""

    reason: str
    lines: list[int] = field(default_factory=list)


class Reader:
    method: str = ""  # extraction_method of the figures it yields
    order: int = 100
    description: str = ""

    def find(self, text: DocumentText, claimed: set[int]) -> list[Block]:
        raise NotImplementedError

    def read(self, block: Block, text: DocumentText, doc: ParsedDocument) -> Unreadable | None:
        """Add the block's tables (and their notes) to doc; an Unreadable when it cannot."""
        raise NotImplementedError


_REGISTRY: list[Reader] = []
_discovered = False


def register(cls: type[Reader]) -> type[Reader]:
    _REGISTRY.append(cls())
    _REGISTRY.sort(key=lambda r: (r.order, r.method))
    return cls


def readers() -> list[Reader]:
    """Every reader module in this package, imported once, in reading order."""
    global _discovered
    if not _discovered:
        for info in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{info.name}")
        _discovered = True
    return list(_REGISTRY)
