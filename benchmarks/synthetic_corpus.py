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


def read_rows(reports: Path) -> tuple[list[str], list[dict]]:
    """A manifest's columns and rows."""
    with (reports / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def write_rows(reports: Path, fields: list[str], rows: list[dict]) -> None:
    with (reports / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def copy_report(source: Path, reports: Path, src: dict, prefix: str, company: str, last_line: str) -> dict:
    """The report of manifest row `src` (in folder `source`) copied into `reports` under the id and
    file name `<prefix>_…`, for `company`, with `last_line` added; returns its manifest row."""
    body = (source / src["file_name"]).read_bytes() + f"\n\n{last_line}\n".encode()
    file_name = f"{prefix}_{src['file_name']}"
    (reports / file_name).write_bytes(body)
    return {
        **src,
        "report_id": f"{prefix}_{src['report_id']}",
        "company": company,
        "file_name": file_name,
        "sha256": hashlib.sha256(body).hexdigest(),
    }


def write_corpus(n: int, out: Path) -> Path:
    """A project copy at `out` whose data/reports holds `n` synthetic reports; returns `out`."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in PROJECT_COPY_PARTS:
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, out / name)
    bundled = ROOT / "data" / "reports"
    fields, sources = read_rows(bundled)
    reports = out / "data" / "reports"
    reports.mkdir(parents=True)
    rows = [
        copy_report(
            bundled,
            reports,
            sources[i % len(sources)],
            f"syn{i:05d}",
            f"Synthetic {i // len(sources):04d} Ltd",
            # a last line of letters only (no figure in it) makes each copy's bytes, and hash, its own
            f"synthetic copy {_letters(i)}",
        )
        for i in range(n)
    ]
    write_rows(reports, fields, rows)
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
