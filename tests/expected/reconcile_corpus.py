"""Reconcile two independent hand readings of a corpus report into expected figures.

    python tests/expected/reconcile_corpus.py [--report] > tests/expected/corpus_figures.csv

A figure is identified by where it is printed: (report_file, line, value_text, nth). Both readers
must have read it, with the same fiscal year, qualifier and meaning (metric_code, dimension,
member, basis), for it to become an expected figure. Where they disagree, a settlement in
readings/corpus/settled.csv (a third reading of that figure, with the reason) decides, and a third
reading may add figures of a table neither reader read; figures still in dispute are listed on
stderr and not asserted. No value here comes from the parser.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent / "readings" / "corpus"
KEY = ("report_file", "line", "value_text", "nth")
MEANING = ("fiscal_year", "qualifier", "metric_code", "dimension", "member", "basis")
OUT = (
    "report_file",
    "line",
    "page",
    "nth",
    "table_title",
    "row_label",
    "column_label",
    "fiscal_year",
    "value_text",
    "unit_text",
    "qualifier",
    "metric_code",
    "dimension",
    "member",
    "basis",
)


def _read(path: Path) -> dict[tuple, dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for r in rows:
        r = {k: (v or "").strip() for k, v in r.items() if k}
        r["nth"] = r.get("nth") or "1"
        out[tuple(r[k] for k in KEY)] = r
    return out


def _settled() -> dict[tuple, dict]:
    path = HERE / "settled.csv"
    return _read(path) if path.exists() else {}


def reconcile() -> tuple[list[dict], list[str], Counter]:
    settled = _settled()
    agreed: list[dict] = []
    disputes: list[str] = []
    stats: Counter = Counter()
    for first in sorted(HERE.glob("*.reader1.csv")):
        second = first.with_name(first.name.replace(".reader1.", ".reader2."))
        if not second.exists():
            continue
        a, b = _read(first), _read(second)
        report = next(iter(a.values()))["report_file"] if a else None
        extra = {k for k in settled if k[0] == report}  # figures a third reading added
        for key in sorted(set(a) | set(b) | extra, key=lambda k: (k[0], int(k[1]), k[2], k[3])):
            ra, rb = a.get(key), b.get(key)
            if key in settled:
                agreed.append(settled[key])
                stats[f"{key[0]} settled"] += 1
                continue
            if ra is None or rb is None:
                stats[f"{key[0]} read once"] += 1
                disputes.append(
                    f"{key}: read by one reader only: {(ra or rb)['row_label']} / {(ra or rb)['column_label']}"
                )
                continue
            diff = {k: (ra[k], rb[k]) for k in MEANING if ra[k] != rb[k]}
            if diff:
                stats[f"{key[0]} disputed"] += 1
                disputes.append(f"{key}: {ra['row_label']} / {ra['column_label']}: {diff}")
                continue
            stats[f"{key[0]} agreed"] += 1
            agreed.append(ra)
    return agreed, disputes, stats


def main() -> None:
    agreed, disputes, stats = reconcile()
    writer = csv.DictWriter(sys.stdout, fieldnames=OUT, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in agreed:
        writer.writerow(row)
    for line in disputes if "--report" in sys.argv else []:
        print(line, file=sys.stderr)
    for k, v in sorted(stats.items()):
        print(f"{k}: {v}", file=sys.stderr)


if __name__ == "__main__":
    main()
