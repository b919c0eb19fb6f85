"""parse_document: one document's text in, its figures and quarantined rows out.

Pure: depends on nothing but the text, so documents can be parsed in parallel processes.
"""
from __future__ import annotations

from .model import ParsedDocument
from .squashed_tables import parse_squashed_tables
from .tab_tables import parse_tab_tables


def parse_document(lines: list[str], file_name: str) -> ParsedDocument:
    doc = ParsedDocument(file_name=file_name, line_count=len(lines))
    parse_tab_tables(lines, doc)
    parse_squashed_tables(lines, doc)
    return doc
