"""Coverage: what the loaders find in each registered report (parsed afresh, nothing written)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from loaders.load import parse_bytes
from loaders.manifest import read_manifest, read_verified_bytes

TABLE_METHODS = ("kpi_table", "kpi_table_squashed")


@dataclass
class Coverage:
    file_name: str
    tables: int
    table_rows: int
    structure_rows: int
    cells: int
    cells_not_reported: int
    rows_quarantined: int
    footnote_figures: int
    notes: int
    highlight_figures: int
    prose_figures: int
    other_quarantined: int
    quarantine_reasons: dict[str, int]
    rows_with_cells: int = 0

    @property
    def rows_unaccounted(self) -> int:
        """Table rows that neither yielded cells, set context (group/section), nor were quarantined."""
        return self.table_rows - self.rows_with_cells - self.structure_rows - self.rows_quarantined


def coverage(data_dir: Path) -> list[Coverage]:
    out = []
    for entry in read_manifest(data_dir):
        doc = parse_bytes(read_verified_bytes(entry), entry.file_name)
        methods = Counter(f.extraction_method for f in doc.figures)
        table_q = [q for q in doc.quarantined if q.extraction_method in TABLE_METHODS]
        out.append(Coverage(
            file_name=entry.file_name,
            tables=len(doc.tables),
            table_rows=sum(t.rows_seen for t in doc.tables),
            structure_rows=sum(t.structure_rows for t in doc.tables),
            cells=sum(methods[m] for m in TABLE_METHODS),
            cells_not_reported=sum(1 for f in doc.figures if f.extraction_method in TABLE_METHODS and f.value is None),
            rows_quarantined=len(table_q),
            footnote_figures=methods["table_footnote"],
            notes=len(doc.notes),
            highlight_figures=methods["highlight"],
            prose_figures=methods["prose"],
            other_quarantined=len(doc.quarantined) - len(table_q),
            quarantine_reasons=dict(Counter(q.reason_code for q in doc.quarantined)),
            rows_with_cells=sum(t.data_rows for t in doc.tables),
        ))
    return out
