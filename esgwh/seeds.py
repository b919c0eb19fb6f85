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

from .project import project_dir

PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "tests_dbt")


def workspace_seeds(folder: Path) -> list[Path]:
    """The workspace's seed files, each checked against the package seed it adds rows to."""
    package = project_dir() / "seeds"
    if not folder.is_dir() or folder.resolve() == package.resolve():
        return []           # no rows of its own (the repository root's seeds are the package's)
    known = sorted(p.name for p in package.glob("*.csv"))
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for path in files:
        if path.name not in known:
            raise LoaderError(str(path), f"is not a seed this warehouse has: a workspace seed adds rows to one of "
                                         f"{', '.join(known)}")
        want = _header(package / path.name)
        got = _header(path)
        if sorted(got) != sorted(want):
            raise LoaderError(str(path), f"its columns must be those of the package's {path.name}: "
                                         f"{','.join(want)} (it has {','.join(got)})", 1)
    return files


def merged_project(files: list[Path], work_dir: Path) -> Path:
    """A copy of the dbt project whose seeds carry the workspace's rows after the package's."""
    dest = work_dir / "dbt_project"
    if dest.exists():
        shutil.rmtree(dest)
    root = project_dir()
    for part in PROJECT_PARTS:
        src = root / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif src.is_file():
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / part)
    for path in files:
        target = dest / "seeds" / path.name
        base = read_csv_text(target)
        rows = list(csv.DictReader(io.StringIO(read_csv_text(path), newline="")))
        header = _header(target)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
        for r in rows:
            writer.writerow({c: r.get(c) or "" for c in header})
        target.write_text(base.rstrip("\n") + "\n" + out.getvalue(), encoding="utf-8")
    return dest


def _header(path: Path) -> list[str]:
    reader = csv.reader(io.StringIO(read_csv_text(path), newline=""))
    return [c.strip() for c in next(reader, [])]
