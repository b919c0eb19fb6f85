"""parse_document: one document's text in, its figures and quarantined rows out.

Pure: depends on nothing but the text and what the manifest says about it, so documents can be
parsed in parallel processes. Each registered table reader (loaders/readers) reads the blocks
printed its way, then table-like blocks no reader took are quarantined whole, then highlights and
prose are read outside the tables.
"""

from __future__ import annotations

from .blocks import unclaimed_table_blocks
from .model import ParsedDocument, Quarantined
from .prose import parse_prose
from .readers import readers
from .readers.squashed import strip_counters
from .text import DocumentContext, DocumentText

UNRECOGNISED = "unrecognised_table"


def parse_document(lines: list[str], file_name: str, context: DocumentContext | None = None) -> ParsedDocument:
    text = DocumentText(file_name, lines, context or DocumentContext())
    doc = ParsedDocument(file_name=file_name, line_count=len(lines))
    claimed: set[int] = set()
    for reader in readers():
        for block in reader.find(text, claimed):
            before = len(doc.tables)
            failure = reader.read(block, text, doc)
            if failure is not None:
                _quarantine_block(doc, text, block.line_start, block.line_end, reader.method, failure.reason)
                claimed.update(range(block.line_start, block.line_end + 1))
            for t in doc.tables[before:]:
                claimed.update(range(t.header_line - 1, t.last_line))
    for n in doc.notes:
        claimed.update(range(n.line_start - 1, n.line_end))
    for start, end, why in unclaimed_table_blocks(text, claimed):
        _quarantine_block(doc, text, start, end, UNRECOGNISED, why)
        claimed.update(range(start, end + 1))
    # A chunk-counter dump (N、…) keeps its counters out of the sentences; line numbers stay.
    parse_prose(strip_counters(lines), doc, claimed, text.context)
    return doc


def _quarantine_block(doc: ParsedDocument, text: DocumentText, start: int, end: int, method: str, reason: str) -> None:
    doc.quarantined.append(
        Quarantined(
            method,
            start + 1,
            end + 1,
            "\n".join(text.lines[start : end + 1]),
            UNRECOGNISED,
            f"a table-like block that no reader could read: {reason}",
            page=text.page(start),
        )
    )
