"""A workspace's own seed rows, appended to the package's curated seeds for its builds.

An analyst fixes a mapping for the workspace (a label alias, a unit conversion, a methodology
change, a company's listing) by adding rows to `seeds/<seed>.csv` in the workspace, with the
package seed's header. The build runs dbt on a copy of the dbt project in its working folder in
which those rows follow the package's; the package itself is never written. (dbt's seed-paths
cannot point outside a project: an absolute seed path makes dbt overwrite the seed with compiled
SQL, dbt-labs/dbt-core#7373.)
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

from loaders.errors import LoaderError
from loaders.manifest import read_csv_text

from .project import DBT_PROJECT_PARTS, project_dir

# What a row is about, per seed: a workspace row with the key of a package row replaces it (an
# analyst corrects a mapping), so the two never compete (a label mapped twice would be refused as
# ambiguous, and its figure would leave the marts).
OVERRIDE_KEYS = {
    "label_aliases": ("label_key", "context_key", "match", "text_contains", "text_excludes", "part"),
    "unit_conversions": ("unit_printed", "metric_code"),
    "methodology_changes": ("metric_code", "change_fiscal_year", "report_id"),
    "metric_dictionary": ("metric_code",),
    "dimensions": ("dimension", "member"),
    "bases": ("basis",),
    "report_types": ("report_type",),
    "extraction_methods": ("extraction_method",),
    "companies": ("company_id",),
    "prose_topics": ("word",),
}


def workspace_seeds(folder: Path) -> list[Path]:
    """The workspace's seed files, each checked against the package seed it adds rows to."""
    package = project_dir() / "seeds"
    if not folder.is_dir() or folder.resolve() == package.resolve():
        return []  # no rows of its own (the repository root's seeds are the package's)
    known = sorted(p.name for p in package.glob("*.csv"))
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for path in files:
        if path.name not in known:
            raise LoaderError(
                str(path), f"is not a seed this warehouse has: a workspace seed adds rows to one of {', '.join(known)}"
            )
        want = _header(package / path.name)
        got = _header(path)
        if sorted(got) != sorted(want):
            raise LoaderError(
                str(path),
                f"its columns must be those of the package's {path.name}: {','.join(want)} (it has {','.join(got)})",
                1,
            )
        seen: dict[tuple, int] = {}
        for line, row in _rows(path):
            if None in row or any(v is None for v in row.values()):
                raise LoaderError(
                    str(path),
                    f"the row has {len(got) + len(row.get(None) or [])} fields where the "
                    f"header has {len(got)} (a comma inside a value needs quotes)",
                    line,
                )
            key = _key(path.stem, row)
            if key in seen:
                raise LoaderError(
                    str(path),
                    f"states the same {', '.join(OVERRIDE_KEYS.get(path.stem, ()))} as line {seen[key]}",
                    line,
                )
            seen[key] = line
    return files


def merged_project(files: list[Path], work_dir: Path) -> tuple[Path, list[str]]:
    """A copy of the dbt project whose seeds carry the workspace's rows after the package's, a
    workspace row replacing the package row with its key; and the package rows so replaced."""
    dest = work_dir / "dbt_project"
    if dest.exists():
        shutil.rmtree(dest)
    root = project_dir()
    for part in DBT_PROJECT_PARTS:
        src = root / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / part)
    overridden: list[str] = []
    for path in files:
        target = dest / "seeds" / path.name
        header = _header(target)
        ours = [row for _, row in _rows(path)]
        keys = {_key(path.stem, r) for r in ours}
        kept = []
        for line, row in _rows(target):
            if _key(path.stem, row) in keys:
                overridden.append(f"{path.name} line {line}")
            else:
                kept.append(row)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        for r in kept + ours:
            writer.writerow({c: r.get(c) or "" for c in header})
        target.write_text(out.getvalue(), encoding="utf-8")
    return dest, overridden


def _rows(path: Path) -> list[tuple[int, dict]]:
    """Rows with the line each starts on (1 is the header)."""
    reader = csv.DictReader(io.StringIO(read_csv_text(path), newline=""))
    reader.fieldnames = [c.strip() for c in reader.fieldnames or []]
    out, line = [], 2
    for row in reader:
        out.append((line, row))
        line = reader.line_num + 1
    return out


def _key(seed: str, row: dict) -> tuple:
    columns = OVERRIDE_KEYS.get(seed) or tuple(sorted(c for c in row if c is not None))
    return tuple((row.get(c) or "").strip() for c in columns)


def _header(path: Path) -> list[str]:
    reader = csv.reader(io.StringIO(read_csv_text(path), newline=""))
    return [c.strip() for c in next(reader, [])]
