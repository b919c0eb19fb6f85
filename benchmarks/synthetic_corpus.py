"""A synthetic corpus of N reports derived from the bundled ones, in a private project copy.

    python benchmarks/synthetic_corpus.py --reports 500 --out /tmp/syn500

Report i is a copy of bundled report i mod 5 (the same text and a last line `synthetic copy <letters>`
that makes its hash its own, so the same parse work and figures the dbt tests accept), filed for company `Synthetic NNNN Ltd` (five reports per company: one of
each bundled report, so every company has the Tencent series' shape) under a new report id and
file name; the manifest rows carry the copies' hashes. Build it with

    ESGWH_PROJECT_DIR=/tmp/syn500 esgwh build --warehouse /tmp/syn500/warehouse.duckdb
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
from pathlib import Path

from esgwh.project import PROJECT_COPY_PARTS

ROOT = Path(__file__).resolve().parents[1]


def _letters(i: int) -> str:
    out = ""
    while True:
        i, r = divmod(i, 26)
        out = "abcdefghijklmnopqrstuvwxyz"[r] + out
        if i == 0:
            return out


def write_corpus(n: int, out: Path) -> Path:
    """A project copy at `out` whose data/reports holds `n` synthetic reports; returns `out`."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in PROJECT_COPY_PARTS:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, out / name)
    bundled = ROOT / "data" / "reports"
    with (bundled / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        fields, sources = reader.fieldnames, list(reader)
    reports = out / "data" / "reports"
    reports.mkdir(parents=True)
    rows = []
    for i in range(n):
        src = sources[i % len(sources)]
        # a last line of letters only (no figure in it) makes each copy's bytes, and hash, its own
        body = (bundled / src["file_name"]).read_bytes() + f"\n\nsynthetic copy {_letters(i)}\n".encode()
        file_name = f"syn{i:05d}_{src['file_name']}"
        (reports / file_name).write_bytes(body)
        rows.append(
            {
                **src,
                "report_id": f"syn{i:05d}_{src['report_id']}",
                "company": f"Synthetic {i // len(sources):04d} Ltd",
                "file_name": file_name,
                "sha256": hashlib.sha256(body).hexdigest(),
            }
        )
    with (reports / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_corpus(args.reports, args.out)
    print(f"{args.reports} reports in {args.out / 'data' / 'reports'}")


if __name__ == "__main__":
    main()
