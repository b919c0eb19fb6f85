"""Splitting a run of concatenated printed numbers into values (squashed PDF tables).

`3,772.894,820.645,601.18` is three values; `418320` could be 418 / 320 or 41 / 8 / 320. Every split
that agrees with the printing rules is enumerated (thousands groups of exactly three digits, no
leading zeros, no ungrouped integer of four or more digits where the table groups thousands, at
most as many values as there are year columns), optionally with a footnote marker in front and
a page number or the next label's leading digits behind. Each candidate gets a cost: |ln(v[i] / v[i+1])| between neighbouring years (a year-on-year series
moves smoothly). There is deliberately no preference for fewer values: `11` may be 1 / 1 as well as
11, and the segmenter refuses rather than guess (a property test holds it to that).
Decimal places are compared per column, not per row (a table may print 2020 with one decimal
and 2021 with two): the caller filters candidates against the columns of rows already settled.
The cheapest candidate is taken only when every other candidate costs at least MARGIN more;
otherwise the caller quarantines the row with the candidates. It never picks between close calls.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

ZERO_STEP_COST = 0.3  # a step to or from zero (1 -> 0 fatalities is real): weak evidence either way
MARGIN = 0.75

_TOKEN = re.compile(r"^(?:0|[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*)(?:\.\d+)?$")


@dataclass(frozen=True)
class Candidate:
    values: tuple[str, ...]  # as printed, left to right (the latest years)
    marker: str = ""  # footnote marker digits in front
    tail: str = ""  # digits behind that belong to a page number or the next label
    cost: float = 0.0

    def describe(self) -> str:
        parts = []
        if self.marker:
            parts.append(f"marker {self.marker}")
        parts.append(" / ".join(self.values))
        if self.tail:
            parts.append(f"+ {self.tail}")
        return " ".join(parts)


@dataclass
class Segmentation:
    chosen: Candidate | None
    candidates: list[Candidate] = field(default_factory=list)  # the close calls, cheapest first


def valid_token(token: str, grouped: bool) -> bool:
    if not _TOKEN.match(token):
        return False
    integer = token.split(".")[0]
    return not (grouped and "," not in integer and len(integer) >= 4)


def decimals(token: str) -> int:
    return len(token.split(".")[1]) if "." in token else 0


def value_of(token: str) -> Decimal:
    return Decimal(token.replace(",", ""))


@lru_cache(maxsize=4096)
def _splits(run: str, max_values: int, grouped: bool) -> tuple[tuple[str, ...], ...]:
    if run == "":
        return ((),)
    if max_values == 0:
        return ()
    out = []
    for i in range(1, len(run) + 1):
        head = run[:i]
        if not valid_token(head, grouped):
            continue
        for rest in _splits(run[i:], max_values - 1, grouped):
            out.append((head, *rest))
    return tuple(out)


def _zeros_formatted_alike(values: tuple[str, ...]) -> bool:
    """A zero among other figures prints with the decimal places one of them prints (0 beside 12,
    0.0 beside 12.3): `12.0011.90` is not 12.0 / 0 / 11.90."""
    zeros = [v for v in values if value_of(v) == 0]
    others = {decimals(v) for v in values if value_of(v) != 0}
    return not zeros or not others or all(decimals(z) in others for z in zeros)


def cost(values: tuple[str, ...]) -> float:
    total = 0.0
    nums = [float(value_of(v)) for v in values]
    for a, b in zip(nums, nums[1:]):
        if a == 0 and b == 0:
            continue
        total += ZERO_STEP_COST if a == 0 or b == 0 else abs(math.log(a / b))
    return total


def candidates(
    run: str,
    max_values: int,
    grouped: bool,
    markers: frozenset[str] = frozenset(),
    tails: tuple[str, ...] = (),
    tail_required: bool = False,
) -> list[Candidate]:
    """Every valid reading of `run`, cheapest first.

    markers: footnote numbers that may sit in front; tails: digit strings that may end the run
    (a page number, the next label's leading digits) instead of belonging to a value;
    tail_required: one of the tails must end it.
    """
    out: list[Candidate] = []
    fronts = [("", run)] + [(m, run[len(m) :]) for m in markers if run.startswith(m) and len(run) > len(m)]
    for marker, body in fronts:
        backs = [] if tail_required else [("", body)]
        backs += [(t, body[: -len(t)]) for t in tails if body.endswith(t) and len(body) > len(t)]
        for tail, core in backs:
            for values in _splits(core, max_values, grouped):
                if values and _zeros_formatted_alike(values):
                    out.append(Candidate(values, marker, tail, cost(values)))
    return sorted(out, key=lambda c: c.cost)


def choose(cands: list[Candidate], margin: float = MARGIN) -> Segmentation:
    if not cands:
        return Segmentation(None, [])
    best = cands[0]
    close = [c for c in cands if c.cost - best.cost < margin]
    if len(close) == 1:
        return Segmentation(best, close)
    return Segmentation(None, close[:8])
