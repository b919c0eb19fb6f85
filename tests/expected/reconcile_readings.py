"""Merge two independent hand readings into the expected-figures file the tests use.

Only figures on which both readers agree (value, unit, markers, qualifier; for table cells and
footnote figures also the label) are kept; disagreements are printed for a person to settle by
reading the report again. Prose and highlight labels are the readers' own words, so they are
kept from reader A but not compared. Categories and group labels are kept where the readers
agree and left blank (not asserted) where they do not. A figure either reader marked AMBIGUOUS
(the text alone cannot settle it) is expected in the quarantine, not among extracted figures.
A year either reader says was assumed (not printed) is blanked: the loaders must not guess it.

    python tests/expected/reconcile_readings.py --header A1.csv B1.csv [A2.csv B2.csv ...] > tests/expected/figures.csv

Pairs are merged in the order given; a figure an earlier pair already agreed on (two readings of
overlapping pages: the ESG 2021 highlights read again in the highlight pass) is written once.
"""

from __future__ import annotations

import csv
import re
import sys

KEY = ("report_file", "line", "extraction", "fiscal_year", "value_text")
MUST_AGREE = ("unit_text", "value_footnotes", "qualifier")
SOFT = ("category", "group_label", "label_footnotes")
LABELLED = ("table", "footnote")  # extraction kinds whose row_label is printed, not described
OUT = (
    "report_file",
    "line",
    "extraction",
    "fiscal_year",
    "category",
    "group_label",
    "row_label",
    "value_text",
    "unit_text",
    "label_footnotes",
    "value_footnotes",
    "qualifier",
    "expect",
)


def _norm(s: str) -> str:
    return "".join(s.split())


def _key(r: dict) -> tuple:
    # Two cells of one line can print the same value (0, 0): the printed label tells them apart.
    label = _norm(r["row_label"]) if r["extraction"] in LABELLED else ""
    return (*(r[k] for k in KEY), label)


def _load(path: str) -> dict[tuple, dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    keyed = {_key(r): r for r in rows}
    if len(keyed) != len(rows):
        raise SystemExit(f"{path}: two rows share a key {KEY} + label")
    return keyed


def main(paths: list[str], header: bool = False) -> int:
    if not paths or len(paths) % 2:
        raise SystemExit("give readings in pairs: A1.csv B1.csv [A2.csv B2.csv ...]")
    out = csv.DictWriter(sys.stdout, fieldnames=OUT, lineterminator="\n")
    if header:
        out.writeheader()
    written: set[tuple] = set()
    for a_path, b_path in zip(paths[::2], paths[1::2]):
        _reconcile(_load(a_path), _load(b_path), out, written)
    return 0


def _reconcile(a: dict, b: dict, out: csv.DictWriter, written: set[tuple]) -> None:
    problems = 0
    for key in sorted(set(a) | set(b), key=lambda k: (k[0], int(k[1]), k[3], k[5], k[4])):
        if key not in a or key not in b:
            problems += 1
            print(f"only in {'A' if key in a else 'B'}: {key}", file=sys.stderr)
            continue
        ra, rb = a[key], b[key]
        bad = [f for f in MUST_AGREE if _norm(ra[f]) != _norm(rb[f])]
        if bad:
            problems += 1
            print(f"disagree on {bad}: {key}", file=sys.stderr)
            continue
        row = {k: ra.get(k, "") for k in OUT}
        ambiguous = "AMBIGUOUS" in ra.get("reader_note", "") + rb.get("reader_note", "")
        row["expect"] = "quarantined" if ambiguous else "extracted"
        notes = (ra.get("reader_note", "") + rb.get("reader_note", "")).lower()
        if re.search(r"\d{4} assumed|year assumed|assumed \d{4}", notes):
            row["fiscal_year"] = ""
        for f in SOFT:
            if _norm(ra[f]) != _norm(rb[f]):
                row[f] = ""
        if key in written:
            print(f"agreed by an earlier pair, written once: {key}", file=sys.stderr)
            continue
        written.add(key)
        out.writerow(row)
    print(f"{problems} figure(s) not agreed", file=sys.stderr)


if __name__ == "__main__":
    args = [x for x in sys.argv[1:] if x != "--header"]
    sys.exit(main(args, header="--header" in sys.argv))
