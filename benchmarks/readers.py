"""How fast each reader reads, per MB of text, against a floor measured in the same run.

    python benchmarks/readers.py [--repeat N]

For every bundled report and every corpus rendering (tests/corpus), the document is parsed the
way `loaders.parse.parse_document` parses it, timing each stage: each table reader's find + read,
the unclaimed-block scan, and highlights + prose. The floor is the least any reader does: decode
the bytes, split the lines and cut every line into chunks at runs of spaces (what the cheapest
reader needs before it can decide anything). Printed per stage: seconds per MB of text over all
documents and the ratio to the floor; then whole-document parse speed, and the ratio between
parsing the corpus four times over in one document and four times one at a time (1.0 is linear;
a reader that looks back over the whole document would show up here).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders import parse as parse_module  # noqa: E402
from loaders.load import context_of, decode_lines  # noqa: E402
from loaders.manifest import read_manifest, read_verified_bytes  # noqa: E402
from loaders.readers import readers  # noqa: E402
from loaders.text import DocumentContext  # noqa: E402

_GAP = re.compile(r" {2,}|\t")


def documents() -> list[tuple[str, bytes, DocumentContext]]:
    out = []
    for folder in (ROOT / "data" / "reports", ROOT / "tests" / "corpus"):
        for entry in read_manifest(folder):
            out.append((entry.file_name, read_verified_bytes(entry), context_of(entry)))
    return out


def floor_seconds(data: bytes, name: str) -> float:
    t = time.perf_counter()
    lines = decode_lines(data, name)
    for line in lines:
        _GAP.split(line)
    return time.perf_counter() - t


def timed_parse(data: bytes, name: str, context: DocumentContext, stages: dict[str, float]) -> None:
    """parse_document with each stage timed (readers wrapped, the rest timed around)."""

    def timed(fn, key):
        def inner(*a, **k):
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                stages[key] += time.perf_counter() - t

        return inner

    originals = {}
    for reader in readers():
        originals[reader] = (reader.find, reader.read)
        reader.find = timed(reader.find, reader.method)
        reader.read = timed(reader.read, reader.method)
    blocks, prose = parse_module.unclaimed_table_blocks, parse_module.parse_prose
    parse_module.unclaimed_table_blocks = timed(blocks, "unclaimed blocks")
    parse_module.parse_prose = timed(prose, "highlights + prose")
    try:
        t = time.perf_counter()
        lines = decode_lines(data, name)
        stages["decode + lines"] += time.perf_counter() - t
        parse_module.parse_document(lines, name, context)
    finally:
        parse_module.unclaimed_table_blocks, parse_module.parse_prose = blocks, prose
        for reader, (find, read) in originals.items():
            reader.find, reader.read = find, read


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest counts")
    args = ap.parse_args(argv)
    docs = documents()
    mb = sum(len(d) for _, d, _ in docs) / 1e6

    floor = min(sum(floor_seconds(d, n) for n, d, _ in docs) for _ in range(args.repeat))
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        stages: dict[str, float] = defaultdict(float)
        for name, data, context in docs:
            timed_parse(data, name, context, stages)
        for k, v in stages.items():
            best[k] = min(best.get(k, v), v)

    print(f"{len(docs)} documents, {mb:.2f} MB of text; fastest of {args.repeat} runs")
    print(f"{'stage':<28}{'s per MB':>10}{'MB/s':>10}{'x floor':>10}")
    print(f"{'floor (decode, split, chunk)':<28}{floor / mb:>10.3f}{mb / floor:>10.1f}{1.0:>10.1f}")
    order = ["decode + lines"] + [r.method for r in readers()] + ["unclaimed blocks", "highlights + prose"]
    for k in order:
        v = best.get(k, 0.0)
        print(f"{k:<28}{v / mb:>10.3f}{(mb / v if v else float('inf')):>10.1f}{v / floor:>10.1f}")
    total = sum(best.values())
    print(f"{'whole parse':<28}{total / mb:>10.3f}{mb / total:>10.1f}{total / floor:>10.1f}")

    print("\nper document (whole parse):")
    for name, data, context in docs:
        t = min(_parse_once(data, name, context) for _ in range(args.repeat))
        print(f"  {name:<58}{len(data) / 1e6:>6.2f} MB{t:>8.2f} s{len(data) / 1e6 / t:>8.2f} MB/s")

    # scaling: the whole corpus as one document four times over vs four separate passes
    joined = b"\n".join(d for _, d, _ in docs)
    one = min(_parse_once(joined, "joined.txt", DocumentContext(2019, 2026)) for _ in range(args.repeat))
    four = min(
        _parse_once(b"\n".join([joined] * 4), "joined4.txt", DocumentContext(2019, 2026))
        for _ in range(max(1, args.repeat - 1))
    )
    print(
        f"\nscaling: 1x corpus in one document {one:.2f} s, 4x {four:.2f} s: ratio {four / (4 * one):.2f} (1.00 = linear)"
    )


def _parse_once(data: bytes, name: str, context: DocumentContext) -> float:
    t = time.perf_counter()
    parse_module.parse_document(decode_lines(data, name), name, context)
    return time.perf_counter() - t


if __name__ == "__main__":
    main(sys.argv[1:])
