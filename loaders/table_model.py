"""The common table model every table reader produces, and the one place it becomes figures.

A reader turns one rendering (tab-separated rows, a squashed PDF dump, a Markdown pipe table, an
HTML table, space-aligned columns) into a `Table`: a title, columns with the fiscal year each
header names, and rows with their label path, unit and cells exactly as printed. `emit` turns a
table into raw figures and quarantined rows the same way whatever the rendering was, so a new
rendering never changes what a figure looks like.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .footnotes import split_glued_marker, split_markers
from .model import Figure, ParsedDocument, Quarantined, TableSummary
from .numbers import NOT_REPORTED, parse_cell_number, unstorable_reason
from .text import DocumentText


@dataclass
class Column:
    fiscal_year: int | None  # None: a label, unit or other non-year column
    label: str = ""  # the header as printed, levels joined by " > "
    member: str = ""  # the header without its year part ("Male", "Landlord Controlled")
    unit: str = ""  # a unit the header prints for its cells ("%")
    role: str = ""  # for a non-year column: "label", "unit", "target", or "undated":
    # a value column of a table that prints no year anywhere


@dataclass
class Cell:
    column: int  # index into Table.columns
    text: str  # as printed, footnote markers included
    line: int  # 0-based line index
    line_end: int | None = None
    unit: str = ""  # a unit printed in the cell after the number ("68,79,146.59 GJ")
    number: str | None = None  # the number within text, when text holds more (unit, emphasis)
    raw_text: str | None = None  # the cell's own source line, when it differs from the row's


@dataclass
class Row:
    line_start: int  # 0-based, inclusive
    line_end: int
    raw_text: str  # the source line(s) exactly as in the file
    label: str = ""  # markers removed
    label_refs: list[str] = field(default_factory=list)
    section: str | None = None
    category: str | None = None
    group: str | None = None
    unit: str = ""
    cells: list[Cell] = field(default_factory=list)
    problem: tuple[str, str] | None = None  # (reason_code, reason): the row is quarantined
    candidates: str | None = None
    split_candidates: list[list[Cell]] = field(default_factory=list)  # an ambiguous split's close calls


@dataclass
class Table:
    method: str  # the reader's extraction method
    title: str | None
    line_start: int  # 0-based, inclusive: header to last row
    line_end: int
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)
    rows_seen: int = 0
    structure_rows: int = 0

    @property
    def years(self) -> list[int]:
        return list(dict.fromkeys(c.fiscal_year for c in self.columns if c.fiscal_year is not None))


def add_table(doc: ParsedDocument, table: Table, text: DocumentText) -> TableSummary:
    """Register the table (table_seq) and emit its rows as figures or quarantined rows."""
    summary = TableSummary(
        len(doc.tables) + 1,
        table.title,
        table.line_start + 1,
        table.line_end + 1,
        table.years,
        reader=table.method,
        page=text.page(table.line_start),
    )
    summary.rows_seen = table.rows_seen or len(table.rows) + table.structure_rows
    summary.structure_rows = table.structure_rows
    doc.tables.append(summary)
    for row in table.rows:
        emit_row(doc, summary, table, row, text)
    return summary


SPLIT_SUFFIX = "_split"  # kpi_table_squashed_split: a candidate of a refused split, never a figure by itself


def quarantine_row(
    doc: ParsedDocument,
    summary: TableSummary,
    method: str,
    row: Row,
    code: str,
    reason: str,
    text: DocumentText,
    candidates: str | None = None,
    split_row: int | None = None,
) -> None:
    doc.quarantined.append(
        Quarantined(
            method,
            row.line_start + 1,
            row.line_end + 1,
            row.raw_text,
            code,
            reason,
            candidates=candidates
            if candidates is not None
            else (row.candidates or " | ".join(c.text for c in row.cells) or None),
            table_seq=summary.table_seq,
            table_title=summary.title,
            page=text.page(row.line_start),
            split_row=split_row,
        )
    )


def emit_row(doc: ParsedDocument, summary: TableSummary, table: Table, row: Row, text: DocumentText) -> None:
    if row.problem:
        split_row = None
        if row.split_candidates:
            split_row = 1 + sum(1 for q in doc.quarantined if q.split_row is not None)
        quarantine_row(doc, summary, table.method, row, *row.problem, text, split_row=split_row)
        summary.quarantined_rows += 1
        for k, cells in enumerate(row.split_candidates, start=1):
            assert split_row is not None  # set above whenever there are split candidates
            _emit_candidate(doc, summary, table, row, cells, text, split_row, k)
        return
    if not row.label:
        quarantine_row(doc, summary, table.method, row, "no_label", "row has values but no label", text)
        summary.quarantined_rows += 1
        return
    dated = [c for c in row.cells if table.columns[c.column].fiscal_year is not None]
    if dated and all(split_markers(c.text)[0] == str(table.columns[c.column].fiscal_year) for c in dated):
        # `2021  2022  2023` under the year columns: the header printed again (or a chart axis)
        quarantine_row(
            doc,
            summary,
            table.method,
            row,
            "repeated_header",
            "the row repeats the column years: a header or a chart axis, not figures",
            text,
        )
        summary.quarantined_rows += 1
        return
    parsed: list[tuple[Cell, Column, str, Decimal | None, str, list[str]]] = []
    targets = [c for c in row.cells if table.columns[c.column].role == "target"]
    if targets:
        quarantine_row(
            doc,
            summary,
            table.method,
            row,
            "target_year",
            "a column for a target or a year after the report's fiscal years: not a reported figure",
            text,
            candidates=" | ".join(f"{table.columns[c.column].label}: {c.text}" for c in targets),
        )
    for cell in row.cells:
        column = table.columns[cell.column]
        if column.fiscal_year is None and column.role != "undated":
            continue
        value_text, value_refs = split_markers(cell.text)
        if cell.number is not None:
            value_text = cell.number
        if value_text not in NOT_REPORTED and parse_cell_number(value_text) is None:
            mark, glued = split_glued_marker(value_text)  # Not applicablea
            if mark in NOT_REPORTED:
                value_text, value_refs = mark, value_refs + glued
        if value_text in NOT_REPORTED:
            parsed.append((cell, column, value_text, None, "", value_refs))
            continue
        number = parse_cell_number(value_text)
        if number is None:
            quarantine_row(
                doc,
                summary,
                table.method,
                row,
                "unparseable_value",
                f"cell {cell.text!r} for {column.fiscal_year or column.label!r} "
                + (
                    f"cannot be stored exactly ({why})"
                    if (why := unstorable_reason(value_text))
                    else "is not a number as printed in these reports"
                ),
                text,
            )
            summary.quarantined_rows += 1
            return
        parsed.append((cell, column, value_text, number[0], number[1], value_refs))
    if not parsed:
        if not targets and row.cells:
            quarantine_row(
                doc,
                summary,
                table.method,
                row,
                "year_unknown",
                "the row's values stand under no fiscal-year column",
                text,
            )
        summary.quarantined_rows += bool(targets or row.cells)
        return
    summary.data_rows += 1
    for cell, column, value_text, value, pct, value_refs in parsed:
        doc.figures.append(
            Figure(
                extraction_method=table.method,
                line_start=cell.line + 1,
                line_end=(cell.line_end or cell.line) + 1,
                raw_text=cell.raw_text if cell.raw_text is not None else row.raw_text,
                row_label=row.label,
                fiscal_year=column.fiscal_year,
                cell_text=cell.text,
                value_text=value_text,
                value=value,
                unit_text=row.unit or cell.unit or column.unit or pct,
                qualifier="exact" if value is not None else "not_reported",
                section_label=row.section,
                category=row.category,
                group_label=row.group,
                column_label=column.label,
                table_seq=summary.table_seq,
                table_title=summary.title,
                label_footnotes=row.label_refs,
                value_footnotes=value_refs,
                column_member=column.member or None,
                page=text.page(cell.line),
            )
        )


def _emit_candidate(
    doc: ParsedDocument,
    summary: TableSummary,
    table: Table,
    row: Row,
    cells: list[Cell],
    text: DocumentText,
    split_row: int,
    candidate: int,
) -> None:
    """One candidate split of a refused row, as figures of their own method, numbered with the
    refusal (split_row) and among its candidates: parsing stays pure, dbt decides."""
    for cell in cells:
        column = table.columns[cell.column]
        number = parse_cell_number(cell.text)
        if number is None:
            continue
        doc.figures.append(
            Figure(
                extraction_method=table.method + SPLIT_SUFFIX,
                line_start=cell.line + 1,
                line_end=(cell.line_end or cell.line) + 1,
                raw_text=row.raw_text,
                row_label=row.label,
                fiscal_year=column.fiscal_year,
                cell_text=cell.text,
                value_text=cell.text,
                value=number[0],
                unit_text=row.unit or column.unit or number[1],
                qualifier="exact",
                section_label=row.section,
                category=row.category,
                group_label=row.group,
                column_label=column.label,
                table_seq=summary.table_seq,
                table_title=summary.title,
                label_footnotes=row.label_refs,
                column_member=column.member or None,
                page=text.page(cell.line),
                split_row=split_row,
                split_candidate=candidate,
            )
        )
