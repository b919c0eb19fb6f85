"""What a parser returns: figures exactly as printed, and what it could not parse."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Figure:
    extraction_method: str  # kpi_table, ...
    line_start: int  # 1-based
    line_end: int
    raw_text: str  # the source line(s), exactly as in the file
    row_label: str  # as printed, footnote markers removed
    fiscal_year: int | None  # None: the table prints no year (dbt dates it, or reports it)
    cell_text: str  # the value cell exactly as printed (markers included)
    value_text: str  # the number as printed, markers removed ("—" when not reported)
    value: Decimal | None  # exact; None when not reported
    unit_text: str = ""
    qualifier: str = "exact"
    section_label: str | None = None
    category: str | None = None
    group_label: str | None = None
    column_label: str | None = None
    table_seq: int | None = None
    table_title: str | None = None
    label_footnotes: list[str] = field(default_factory=list)
    value_footnotes: list[str] = field(default_factory=list)
    column_member: str | None = None  # the column header without its year (Male, Landlord Controlled)
    page: int | None = None  # 1-based page, where the text has page breaks
    split_row: int | None = None  # a candidate of the refused split numbered so in raw.quarantine
    split_candidate: int | None = None  # which of that row's candidates (1 = cheapest)

    @property
    def label_path(self) -> str:
        return " > ".join(p for p in (self.group_label, self.row_label) if p)


@dataclass
class Quarantined:
    extraction_method: str
    line_start: int
    line_end: int
    raw_text: str
    reason_code: str
    reason: str
    candidates: str | None = None
    table_seq: int | None = None
    table_title: str | None = None
    page: int | None = None
    split_row: int | None = None  # an ambiguous split whose candidates raw.figures holds


@dataclass
class TableSummary:
    table_seq: int
    title: str | None
    header_line: int
    last_line: int
    year_columns: list[int]
    rows_seen: int = 0
    reader: str = ""  # the extraction method of the reader that read it
    page: int | None = None
    data_rows: int = 0  # rows that yielded cells (quarantined rows: doc.quarantined)
    structure_rows: int = 0
    quarantined_rows: int = 0  # rows that yielded no cell and were quarantined instead


@dataclass
class TableNote:
    """A table's footnote (or 注 note, marker ''), as printed, with the lines it spans."""

    marker: str
    line_start: int
    line_end: int
    text: str
    table_seq: int | None = None
    paragraph_lines: list[int] = field(default_factory=list)  # line of each '\n'-separated paragraph


@dataclass
class ParsedDocument:
    file_name: str
    line_count: int
    figures: list[Figure] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    tables: list[TableSummary] = field(default_factory=list)
    notes: list[TableNote] = field(default_factory=list)
