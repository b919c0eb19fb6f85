"""The corpus reports added the way the README says, and their marts held to the hand readings.

    python -m tests.corpus_check [--keep DIR] [--pdf] [-v]   # build, then print right / missing / wrong per report

A project copy gets the five files of tests/corpus/ in data/reports/ and their rows
(tests/corpus/manifest.csv) appended to the manifest; `esgwh build` runs as a user would run it.
Each expected figure (tests/expected/corpus_figures.csv, two readings reconciled) is found where it
is printed: the report, the page, the value as printed and its rank among the places of that page
printing the same text, top to bottom and left to right (raw.figures keeps cells in reading order).
A place is keyed by page rather than line so that the readings, made on the committed pdftotext
renderings, carry over to the PDFs read through their own extracted text (`--pdf`). Then:
  right    the mart (marts.fct_reported_values) holds it with the reading's metric, split, basis,
           fiscal year and printed value
  missing  the mart does not hold it
  wrong    the mart holds it with another meaning or year, or holds a figure the readers gave no
           metric; and any mart figure of the report at a position the readers did not read
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import re
import shutil
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .conftest import ROOT, copy_reports, esgwh, project_env

CORPUS = ROOT / "tests" / "corpus"
EXPECTED = ROOT / "tests" / "expected" / "corpus_figures.csv"
MEANING = ("metric_code", "dimension", "member", "basis")


def corpus_manifest() -> list[dict]:
    with (CORPUS / "manifest.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


PDFS = {
    "ctreit_esg_2022": "ctreit_esg_2022.en.pdf",
    "godrejcp_brsr_fy2025": "godrejcp_brsr_fy2024-25.en.pdf",
    "jswsteel_brsr_fy2026": "jswsteel_brsr_fy2025-26.en.pdf",
}


def corpus_rows(pdf: bool = False) -> list[dict]:
    """The corpus manifest rows; with `pdf`, the three PDF reports registered as their PDFs."""
    rows = corpus_manifest()
    if pdf:
        for r in rows:
            if r["report_id"] in PDFS:
                r["file_name"] = PDFS[r["report_id"]]
                r["sha256"] = hashlib.sha256((CORPUS / r["file_name"]).read_bytes()).hexdigest()
    return rows


def add_corpus(project: Path, pdf: bool = False) -> None:
    """Copy the corpus files into the project's data/reports and append their manifest rows."""
    reports = project / "data" / "reports"
    rows = corpus_rows(pdf)
    for r in rows:
        shutil.copy2(CORPUS / r["file_name"], reports / r["file_name"])
    manifest = reports / "manifest.csv"
    with manifest.open(encoding="utf-8", newline="") as fh:
        existing = list(csv.DictReader(fh))
    columns = list(dict.fromkeys([*existing[0].keys(), *rows[0].keys()]))
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        for r in existing + rows:
            w.writerow({c: r.get(c, "") for c in columns})


def build_with_corpus(dest: Path, pdf: bool = False) -> tuple[Path, str]:
    project = copy_reports(dest / "project")
    add_corpus(project, pdf)
    warehouse = dest / "warehouse.duckdb"
    result = esgwh("build", "--warehouse", str(warehouse), cwd=project, timeout=900, env=project_env(project))
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse, result.stdout + result.stderr


def expected_rows() -> list[dict]:
    with EXPECTED.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@dataclass
class ReportCheck:
    report_id: str
    file_name: str
    carried: int = 0  # expected figures with a metric and a value
    right: int = 0
    missing: list[dict] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    not_carried: list[dict] = field(default_factory=list)  # read, but no metric in the dictionary
    quarantined_blocks: int = 0

    @property
    def share_right(self) -> float:
        return self.right / self.carried if self.carried else 0.0


class PageRanks:
    """Where a printed value is on its page: (page, value, rank among the same text on the page),
    counted on the text the figure was read from, so either rendering of a PDF gives the same key."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.page_of_line, page = [], 1
        for line in self.lines:
            page += line.count("\f")
            self.page_of_line.append(page)
        self._cache: dict[tuple[int, str], list[int]] = {}

    def key(self, line: int, value: str, nth: int) -> tuple[int, str, int]:
        """`line` 1-based; `nth` the value's 1-based rank among the same text on that line."""
        page = self.page_of_line[line - 1]
        starts = self._cache.get((page, value))
        if starts is None:  # lines of the page holding the value, once per holding
            token = re.compile(r"(?<![\w.,])" + re.escape(value) + r"(?![\w,]|\.\d)")
            starts = [
                i for i, text in enumerate(self.lines) if self.page_of_line[i] == page for _ in token.finditer(text)
            ]
            self._cache[(page, value)] = starts
        return page, value, bisect.bisect_left(starts, line - 1) + nth


def check(warehouse: Path, reports: Path | None = None) -> dict[str, ReportCheck]:
    """Judge the corpus reports of `warehouse`, built from the report files in `reports`."""
    reports = reports or warehouse.parent / "project" / "data" / "reports"
    manifest = {r["file_name"]: r["report_id"] for r in corpus_manifest()}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        raw = con.execute(
            """
            select d.report_id, coalesce(t.text_file, d.file_name), f.figure_id, f.line_start, f.value_text, f.figure_seq
            from raw.figures f join raw.documents d using (document_id)
            left join raw.document_texts t using (document_id)
            where d.report_id in (select unnest(?)) and d.version = (
                select max(version) from raw.documents d2 where d2.report_id = d.report_id)
            order by f.figure_seq""",
            [list(manifest.values())],
        ).fetchall()
        mart = {
            r[0]: r
            for r in con.execute(
                """
            select figure_id, metric_code, dimension, member, basis, fiscal_year, value_as_printed, report_id, line_number
            from marts.fct_reported_values where report_id in (select unnest(?))""",
                [list(manifest.values())],
            ).fetchall()
        }
        # figures the mart set aside as a second statement of one it keeps: (figure) -> kept key
        restated = {
            r[0]: r[1:]
            for r in con.execute(
                """
            select figure_id, metric_code, dimension, member, basis, fiscal_year, value_text
            from intermediate.int_figures_dated where mapping_status = 'mapped' and fiscal_year is not null
              and report_id in (select unnest(?))""",
                [list(manifest.values())],
            ).fetchall()
        }
        blocks = dict(
            con.execute("""
            select report_id, count(*) from marts.mart_extraction_issues
            where reason_code = 'unrecognised_table' group by 1""").fetchall()
        )
    finally:
        con.close()
    texts: dict[tuple[Path, str], PageRanks] = {}

    def ranks(folder: Path, name: str) -> PageRanks:
        if (folder, name) not in texts:
            texts[(folder, name)] = PageRanks((folder / name).read_text(encoding="utf-8"))
        return texts[(folder, name)]

    on_line: dict[tuple, int] = defaultdict(int)
    by_place: dict[tuple, int] = {}  # (report, page, value, rank on page) -> figure id
    for report_id, text_file, figure_id, line, value_text, _ in raw:
        on_line[(report_id, line, value_text)] += 1
        nth = on_line[(report_id, line, value_text)]
        by_place[(report_id,) + ranks(reports, text_file).key(line, value_text, nth)] = figure_id

    results = {f: ReportCheck(r, f) for f, r in manifest.items()}
    expected = [r for r in expected_rows() if r["report_file"] in manifest]
    seen_figures: set[int] = set()
    rank_on_line: dict[tuple, int] = defaultdict(int)  # a reading's nth, as a rank among its line's readings
    for r in sorted(expected, key=lambda r: (r["report_file"], int(r["line"]), int(r["nth"]))):
        res = results[r["report_file"]]
        rank_on_line[(r["report_file"], r["line"], r["value_text"])] += 1
        nth = rank_on_line[(r["report_file"], r["line"], r["value_text"])]
        place = ranks(CORPUS, r["report_file"]).key(int(r["line"]), r["value_text"], nth)
        figure_id = by_place.get((res.report_id,) + place)
        if figure_id is not None:
            seen_figures.add(figure_id)
        got = mart.get(figure_id) if figure_id is not None else None
        where = f"line {r['line']} {r['value_text']!r} ({r['row_label'][:60]} / {r['column_label'][:40]})"
        if r["qualifier"] != "exact":
            if got is not None:
                res.wrong.append(f"{where}: not reported in the text, but the mart holds {got[1:7]}")
            continue
        if not r["metric_code"]:
            res.not_carried.append(r)
            if got is not None:
                res.wrong.append(f"{where}: the readers give no metric, the mart says {got[1:6]}")
            continue
        res.carried += 1
        want = tuple(r[k] or ("as_reported" if k == "basis" else "") for k in MEANING) + (int(r["fiscal_year"]),)
        if got is None:
            # the same figure stated again in the report: the mart keeps one statement of it
            again = restated.get(figure_id)
            kept = [m for m in mart.values() if m[7] == res.report_id and tuple(m[1:6]) == want]
            if again is not None and tuple(again[:5]) == want and kept and kept[0][6] == r["value_text"]:
                res.right += 1
            elif again is not None and tuple(again[:5]) != want:
                res.wrong.append(f"{where}: want {want}, mapped as {again[:5]} (set aside in the mart)")
            else:
                res.missing.append(r)
            continue
        have = tuple(got[1:6])
        if have == want and got[6] == r["value_text"]:
            res.right += 1
        else:
            res.wrong.append(f"{where}: want {want}, mart has {have} {got[6]!r}")
    for figure_id, got in mart.items():
        if figure_id not in seen_figures:
            file_name = next(f for f, rid in manifest.items() if rid == got[7])
            results[file_name].wrong.append(
                f"line {got[8]} {got[6]!r}: in the mart as {got[1:6]} but not among the hand-read figures"
            )
    for res in results.values():
        res.quarantined_blocks = blocks.get(res.report_id, 0)
    return results


def summary(results: dict[str, ReportCheck]) -> str:
    lines = []
    for res in results.values():
        lines.append(
            f"{res.report_id}: {res.right} right / {len(res.missing)} missing / {len(res.wrong)} wrong of "
            f"{res.carried} carried figures ({res.share_right:.1%}); {len(res.not_carried)} read but not carried"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> None:
    import tempfile

    keep = Path(argv[argv.index("--keep") + 1]) if "--keep" in argv else None
    dest = keep or Path(tempfile.mkdtemp(prefix="corpus-"))
    if keep and keep.exists():
        shutil.rmtree(keep)
    dest.mkdir(parents=True, exist_ok=True)
    warehouse, log = build_with_corpus(dest, pdf="--pdf" in argv)
    print(log)
    results = check(warehouse)
    print(summary(results))
    verbose = "-v" in argv
    for res in results.values():
        if verbose:
            for w in res.wrong[:40]:
                print(f"  WRONG {res.report_id} {w}")
            for m in res.missing[:40]:
                print(
                    f"  MISSING {res.report_id} line {m['line']} {m['value_text']} {m['metric_code']} "
                    f"{m['dimension']}/{m['member']}/{m['basis']} {m['fiscal_year']} ({m['row_label'][:50]} / {m['column_label'][:30]})"
                )


if __name__ == "__main__":
    main(sys.argv[1:])
