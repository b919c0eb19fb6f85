"""Coverage: what the loaders find in each registered report (parsed afresh, nothing written)."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb

from loaders.load import parse_entry
from loaders.manifest import read_manifest, read_verified_bytes

from .project import project_dir


@lru_cache(maxsize=1)
def table_methods() -> tuple[str, ...]:
    """The extraction methods of table readers (seeds/extraction_methods.csv, kind = table)."""
    with (project_dir() / "seeds" / "extraction_methods.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(r["extraction_method"] for r in csv.DictReader(fh) if r["kind"] == "table")


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
    report_id: str = ""
    readers: dict[str, int] | None = None  # tables per reader
    mapped_figures: int | None = None  # from the warehouse, when one is given

    @property
    def rows_unaccounted(self) -> int:
        """Table rows that neither yielded cells, set context (group/section), nor were quarantined."""
        return self.table_rows - self.rows_with_cells - self.structure_rows - self.rows_quarantined


def mapped_per_report(warehouse: Path) -> dict[str, int]:
    """Figures mapped to a metric per report, as the last build of `warehouse` left them."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return dict(
            con.execute(
                "SELECT report_id, count(*) FROM intermediate.int_figures_dated "
                "WHERE mapping_status = 'mapped' AND fiscal_year IS NOT NULL GROUP BY report_id"
            ).fetchall()
        )
    finally:
        con.close()


def coverage(data_dir: Path, warehouse: Path | None = None) -> list[Coverage]:
    out = []
    mapped = mapped_per_report(warehouse) if warehouse is not None and warehouse.exists() else None
    table_methods_ = table_methods()
    for entry in read_manifest(data_dir):
        doc, _ = parse_entry(read_verified_bytes(entry), entry)
        methods = Counter(f.extraction_method for f in doc.figures)
        table_q = [
            q
            for q in doc.quarantined
            if q.extraction_method in table_methods_ and q.reason_code != "unrecognised_table"
        ]
        out.append(
            Coverage(
                file_name=entry.file_name,
                tables=len(doc.tables),
                table_rows=sum(t.rows_seen for t in doc.tables),
                structure_rows=sum(t.structure_rows for t in doc.tables),
                cells=sum(methods[m] for m in table_methods_),
                cells_not_reported=sum(
                    1 for f in doc.figures if f.extraction_method in table_methods_ and f.value is None
                ),
                rows_quarantined=sum(t.quarantined_rows for t in doc.tables),
                footnote_figures=methods["table_footnote"],
                notes=len(doc.notes),
                highlight_figures=methods["highlight"],
                prose_figures=methods["prose"],
                other_quarantined=len(doc.quarantined) - len(table_q),
                quarantine_reasons=dict(Counter(q.reason_code for q in doc.quarantined)),
                rows_with_cells=sum(t.data_rows for t in doc.tables),
                report_id=entry.report_id,
                readers=dict(Counter(t.reader for t in doc.tables)),
                mapped_figures=None if mapped is None else mapped.get(entry.report_id, 0),
            )
        )
    return out
