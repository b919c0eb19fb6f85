"""Printed numbers: recognised exactly as printed and parsed to exact decimals."""
from __future__ import annotations

import re
from decimal import Decimal

# Dashes the reports print for "not reported".
NOT_REPORTED = {"—", "——", "–", "-", "－", "/", "N/A", "n/a"}

# Either a thousands-grouped number (groups of exactly three digits) or a plain one.
NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_CELL_RE = re.compile(rf"^(?P<num>{NUMBER_RE.pattern})\s*(?P<pct>%?)$")

MAX_DECIMAL_PLACES = 10  # raw.figures.value is DECIMAL(38, 10)


def parse_cell_number(text: str) -> tuple[Decimal, str] | None:
    """(exact value, '%' or '') for a cell that is one printed number, else None."""
    m = _CELL_RE.match(text.strip())
    if not m:
        return None
    value = Decimal(m.group("num").replace(",", ""))
    if -value.as_tuple().exponent > MAX_DECIMAL_PLACES:
        return None
    return value, m.group("pct")


def canonical_decimal(value: Decimal) -> str:
    """A plain decimal string that keeps the printed precision (no exponent)."""
    return format(value, "f")
