"""parse_document: one document's text in, its figures and quarantined rows out.

Pure: depends on nothing but the text, so documents can be parsed in parallel processes.
Tables first (tab-separated, then squashed dumps), then highlights and prose outside them.
"""
from __future__ import annotations

from .model import ParsedDocument
from .prose import parse_prose
from .squashed_tables import parse_squashed_tables, strip_counters
from .tab_tables import parse_tab_tables


def parse_document(lines: list[str], file_name: str) -> ParsedDocument:
    doc = ParsedDocument(file_name=file_name, line_count=len(lines))
    parse_tab_tables(lines, doc)
    parse_squashed_tables(lines, doc)
    taken: set[int] = set()
    for t in doc.tables:
        taken.update(range(t.header_line - 1, t.last_line))
    for n in doc.notes:
        taken.update(range(n.line_start - 1, n.line_end))
    # A chunk-counter dump (N、…) keeps its counters out of the sentences; line numbers stay.
    parse_prose(strip_counters(lines), doc, taken)
    return doc
