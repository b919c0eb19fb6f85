"""How the commands show results: tables fitted to the terminal's width, figures at their printed
precision, one spelling of true/false and of missing values in every format."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import sys
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich import box
from rich.cells import cell_len
from rich.console import Console, JustifyMethod
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


@dataclass(frozen=True)
class Column:
    header: str
    justify: JustifyMethod = "left"
    drop: int = 0  # 0: always shown; otherwise dropped (highest first) when the terminal is too narrow
    fold: bool = False  # long text that may wrap onto more lines; other cells never wrap
    collapse: bool = False  # one value in every row: shown once in the title instead
    cap: int = 24  # a folding column is given this width before others are dropped


def console() -> Console:
    """The terminal's width (COLUMNS when set, 80 when output is not a terminal; a width too small
    to print anything counts as unknown). Text is printed as it is: no markup ([note 3] stays)."""
    out = Console(highlight=False, soft_wrap=False, markup=False, emoji=False)
    return (
        out
        if out.width >= MIN_WIDTH
        else Console(width=80, highlight=False, soft_wrap=False, markup=False, emoji=False)
    )


MIN_WIDTH = 10


# Integers that name rather than count (years, lines, pages, ids) print without thousands separators.
_NAMING = ("year", "line", "page", "id", "number", "run", "version", "rank")


def cell(value, step: float | None = None, column: str = "") -> str:
    """A value as the terminal shows it: a figure with thousands separators at its printed precision
    (`step`, e.g. 0.01 for 1.30), otherwise without trailing zeros; true/false; '' for missing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if any(k in column.lower() for k in _NAMING) else f"{value:,}"
    if isinstance(value, (Decimal, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        if step:
            decimals = max(0, round(-math.log10(step))) if step < 1 else 0
            return f"{value:,.{decimals}f}"
        if isinstance(value, float):
            if value != 0 and abs(value) < 1e-6:
                return f"{value:.6g}"
            return f"{value:,.10f}".rstrip("0").rstrip(".")
        return f"{value.normalize():,f}"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat(sep=" ", timespec="seconds") if isinstance(value, dt.datetime) else value.isoformat()
    return plain(value)


def plain(value) -> str:
    """A value in CSV: full precision as stored, true/false, '' for missing; lists, structs and maps
    as JSON; bytes as DuckDB prints a blob."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")  # 0E-10 is 0.0000000000
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (list, tuple, dict)):
        return _json_value(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "".join(chr(b) if 32 <= b < 127 and b != 92 else f"\\x{b:02X}" for b in bytes(value))
    return str(value)


def _json_value(value) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):  # the number as stored, no float rounding on the way
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_json_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {_json_value(v)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return json.dumps(value.isoformat(), ensure_ascii=False)
    return json.dumps(plain(value), ensure_ascii=False)


def json_record(columns: Sequence[str], row: Sequence) -> str:
    return "{" + ", ".join(f"{json.dumps(c, ensure_ascii=False)}: {_json_value(v)}" for c, v in zip(columns, row)) + "}"


def write_rows(fmt: str, columns: Sequence[str], rows: Iterable[Sequence], out=None) -> None:
    """Rows as csv, json (one array) or jsonl (one object per line)."""
    out = out or sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([plain(v) for v in r] for r in rows)
    elif fmt == "jsonl":
        for r in rows:
            out.write(json_record(columns, r) + "\n")
    elif fmt == "json":
        records = [json_record(columns, r) for r in rows]
        out.write("[\n" + ",\n".join(f"  {r}" for r in records) + "\n]\n" if records else "[]\n")
    else:
        raise ValueError(fmt)


def _table(columns: Sequence[Column], rows: Sequence[Sequence[str]], wrap_headers: bool = False) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    for i, c in enumerate(columns):
        header = c.header
        if wrap_headers and c.fold:  # a long header over short cells takes two lines
            widest = max([cell_len(r[i]) for r in rows] + [cell_len(w) for w in header.split()] + [c.cap])
            header = textwrap.fill(header, widest)
        table.add_column(Text(header), justify=c.justify, overflow="fold", no_wrap=not c.fold)
    for r in rows:
        table.add_row(*(Text(v) for v in r))
    return table


def _full(value) -> str:
    return value[0] if isinstance(value, tuple) else value


def _brief(value) -> str:
    return value[1] if isinstance(value, tuple) else value


def _need(columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[int]:
    """Width each column asks for: its widest cell; a folding column settles for `cap` characters
    (never less than its longest word)."""
    out = []
    for i, c in enumerate(columns):
        texts = [c.header, *(r[i] for r in rows)]
        natural = max(cell_len(t) for t in texts)
        if c.fold:
            word = max((cell_len(w) for t in texts for w in t.split()), default=0)
            natural = max(word, min(natural, c.cap))
        out.append(natural)
    return out


def _fits(out: Console, columns, rows) -> bool:
    table = _table(columns, rows)
    overhead = Measurement.get(out, out.options.update_width(1 << 16), table).maximum - sum(
        max(cell_len(t) for t in [c.header, *(r[i] for r in rows)]) for i, c in enumerate(columns)
    )
    return sum(_need(columns, rows)) + overhead <= out.width


def _fits_naturally(out: Console, columns, rows) -> bool:
    return Measurement.get(out, out.options.update_width(1 << 16), _table(columns, rows)).maximum <= out.width


def _records(out: Console, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
    """One block per row, `column | value` (psql's expanded display), for rows no width holds."""
    width = max((cell_len(c.header) for c in columns), default=0)
    for n, r in enumerate(rows, 1):
        out.print(f"-[ row {n} ]" + "-" * max(0, min(out.width, 40) - 10 - len(str(n))))
        for c, v in zip(columns, r):
            out.print(f"{c.header}{' ' * (width - cell_len(c.header))} | {v}", overflow="fold")


def print_table(
    title: str | None,
    columns: Sequence[Column],
    rows: Sequence[Sequence],
    out: Console | None = None,
    notes: Sequence[str] = (),
    expanded: bool = False,
) -> list[str]:
    """Print rows (already formatted; a cell may be a (full, brief) pair) fitted to the terminal:
    a column with one value in every row goes into the title; if the table is too wide, cells
    given a brief form take it, then optional columns are dropped, highest `drop` first, until it
    fits; `expanded`: a table that still does not fit is printed one block per row instead. What
    was dropped is said under the table. Returns the headers dropped."""
    out = out or console()
    copies: list[list] = [list(r) for r in rows]  # annotated: assigned to `rows` directly it types as list[Sequence]
    columns, rows = list(columns), copies
    collapsed: list[str] = []
    if rows:
        for i in reversed(range(len(columns))):
            if columns[i].collapse and len({_full(r[i]) for r in rows}) == 1:
                if _full(rows[0][i]):
                    collapsed.insert(0, f"{columns[i].header}: {_full(rows[0][i])}")
                del columns[i]
                for r in rows:
                    del r[i]
    if collapsed:
        title = "; ".join(([title] if title else []) + collapsed)
    dropped: list[str] = []
    every = list(columns)
    shown = [[_full(v) for v in r] for r in rows]
    if rows and not _fits(out, columns, shown):
        shown = [[_brief(v) for v in r] for r in rows]
        while not _fits(out, columns, shown) and not expanded:  # `expanded`: keep every column
            optional = [i for i, c in enumerate(columns) if c.drop]
            if not optional:
                break
            i = max(optional, key=lambda k: (columns[k].drop, k))
            dropped.append(columns[i].header)
            del columns[i]
            for r in shown:
                del r[i]
    if title:
        out.print(title, overflow="fold")
    if rows and not _fits(out, columns, shown):
        # even the columns that must stay do not fit: a block per row, every column, nothing cut
        _records(out, every, [[_full(v) for v in r] for r in rows])
        dropped = []
    elif rows:
        out.print(_table(columns, shown, wrap_headers=not _fits_naturally(out, columns, shown)))
    for note in notes:
        out.print(note, overflow="fold")
    if dropped:
        out.print(
            f"(not shown at {out.width} columns: {', '.join(dropped)}; widen the terminal to see them)", overflow="fold"
        )
    return dropped
