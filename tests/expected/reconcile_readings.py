"""Merge two independent hand readings into the expected-figures file the tests use.

Only figures on which both readers agree (value, unit, label, markers, qualifier) are kept;
disagreements are printed for a person to settle by reading the report again. Categories and
group labels are kept where the readers agree and left blank (not asserted) where they do not.

    python tests/expected/reconcile_readings.py READING_A.csv READING_B.csv >> tests/expected/figures.csv
"""
from __future__ import annotations

import csv
import sys

KEY = ("report_file", "line", "extraction", "fiscal_year", "value_text")
MUST_AGREE = ("row_label", "unit_text", "value_footnotes", "qualifier")
SOFT = ("category", "group_label", "label_footnotes")
OUT = ("report_file", "line", "extraction", "fiscal_year", "category", "group_label", "row_label",
       "value_text", "unit_text", "label_footnotes", "value_footnotes", "qualifier")


def _norm(s: str) -> str:
    return "".join(s.split())


def _load(path: str) -> dict[tuple, dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return {tuple(r[k] for k in KEY): r for r in csv.DictReader(fh)}


def main(a_path: str, b_path: str, header: bool = False) -> int:
    a, b = _load(a_path), _load(b_path)
    out = csv.DictWriter(sys.stdout, fieldnames=OUT, lineterminator="\n")
    if header:
        out.writeheader()
    problems = 0
    for key in sorted(set(a) | set(b), key=lambda k: (k[0], int(k[1]), k[3], k[4])):
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
        row = {k: ra[k] for k in OUT}
        for f in SOFT:
            if _norm(ra[f]) != _norm(rb[f]):
                row[f] = ""
        out.writerow(row)
    print(f"{problems} figure(s) not agreed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    args = [x for x in sys.argv[1:] if x != "--header"]
    sys.exit(main(*args, header="--header" in sys.argv))
