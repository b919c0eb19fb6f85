"""Printed numbers: recognised exactly as printed and parsed to exact decimals."""

from __future__ import annotations

import re
from decimal import Decimal

# Marks the reports print for "not reported" / "not applicable".
NOT_REPORTED = {
    "—",
    "——",
    "–",
    "-",
    "－",
    "/",
    "N/A",
    "n/a",
    "NA",
    "n.a.",
    "N.A.",
    "不适用",
    "不適用",
    "Not applicable",
    "Not Applicable",
    "not applicable",
    "Not reported",
    "not reported",
}

DIGIT = re.compile(r"\d")  # any decimal digit, as the number patterns' \d reads it

# Either a thousands-grouped number (groups of exactly three digits) or a plain one.
NUMBER_RE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")

# Group separators seen in cells: a comma, or a thin / narrow no-break / no-break space (never a
# plain space, which separates cells in a layout rendering).
_THIN = "\u2009\u202f\u00a0"
_GROUPED = (
    r"\d{1,3}(?:,\d{3})+"  # 1,234,567
    r"|\d{1,2}(?:,\d{2})*,\d{2},\d{3}"  # Indian lakh/crore grouping: 5,03,608 / 85,12,14,381
    rf"|\d{{1,3}}(?:[{_THIN}]\d{{3}})+"  # 1 234 567 with thin or no-break spaces
)
CELL_NUMBER = rf"(?:{_GROUPED}|\d+)(?:\.\d+)?"
_CELL_RE = re.compile(rf"^(?:(?P<sign>[-+\u2212])?(?P<num>{CELL_NUMBER})|\((?P<neg>{CELL_NUMBER})\))\s*(?P<pct>%?)$")

MAX_DECIMAL_PLACES = 10  # raw.figures.value is DECIMAL(38, 10)
MAX_INTEGER_DIGITS = 28  # … so 28 digits before the point


def parse_cell_number(text: str) -> tuple[Decimal, str] | None:
    """(exact value, '%' or '') for a cell that is one printed number, else None.

    A parenthesised number is negative, as accounts print it: `(80)` is -80."""
    m = _CELL_RE.match(text.strip())
    if not m:
        return None
    digits = m.group("num") or m.group("neg")
    value = Decimal(re.sub(rf"[,{_THIN}]", "", digits))
    if m.group("neg") or m.group("sign") in ("-", "−"):
        value = -value
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a printed number is finite: no 'n'/'N'/'F' exponent
    if -exponent > MAX_DECIMAL_PLACES or too_large(value):
        return None
    return value, m.group("pct")


def too_large(value: Decimal) -> bool:
    """More digits before the point than raw.figures.value holds exactly."""
    return value != 0 and value.adjusted() >= MAX_INTEGER_DIGITS


def unstorable_reason(text: str) -> str | None:
    """Why a printed number cannot be stored exactly (None when it can, or is no number)."""
    m = _CELL_RE.match(text.strip())
    if not m:
        return None
    digits = re.sub(rf"[,{_THIN}]", "", m.group("num") or m.group("neg"))
    value = Decimal(digits)
    if too_large(value):
        return f"{MAX_INTEGER_DIGITS}+ digits before the decimal point: more than DECIMAL(38, 10) holds exactly"
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a printed number is finite: no 'n'/'N'/'F' exponent
    if -exponent > MAX_DECIMAL_PLACES:
        return f"more than {MAX_DECIMAL_PLACES} decimal places: more than DECIMAL(38, 10) holds exactly"
    return None


def is_not_reported(text: str) -> bool:
    return text.strip() in NOT_REPORTED


def canonical_decimal(value: Decimal) -> str:
    """A plain decimal string that keeps the printed precision (no exponent)."""
    return format(value, "f")
