"""Where a team's reports, manifest and warehouse live, apart from the code.

A workspace is a folder with an `esgwh.toml`, found as git finds a repository: `--workspace`,
else ESGWH_WORKSPACE, else ESGWH_PROJECT_DIR (a checkout whose reports are used), else the
current folder and its parents. Never from where the package is installed: a second clone
built with the first clone's editable install reads its own reports. The repository root is a
workspace whose reports are data/reports.

    # esgwh.toml
    reports = "reports"               # folder of the reports and their manifest.csv
    warehouse = "warehouse.duckdb"    # the default warehouse file
    seeds = "seeds"                   # optional: rows of its own for the curated seeds (esgwh/seeds.py)
"""

from __future__ import annotations

import csv
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from loaders.manifest import MANIFEST_NAME, WRITTEN_COLUMNS

from .project import warehouse_path

MARKER = "esgwh.toml"
WORKSPACE_ENV = "ESGWH_WORKSPACE"


class WorkspaceError(Exception):
    """No workspace, or one whose esgwh.toml cannot be read: the message says what to do."""


@dataclass(frozen=True)
class Workspace:
    root: Path
    reports: Path  # manifest.csv and the files it lists
    warehouse: Path  # the default warehouse file
    seeds: Path | None = None  # the workspace's own seed rows, added to the package's

    @property
    def manifest(self) -> Path:
        return self.reports / MANIFEST_NAME


def find_workspace(explicit: Path | None = None, start: Path | None = None) -> Workspace:
    """The workspace to work in (see the module docstring for the order)."""
    for given, source in (
        (explicit, "--workspace"),
        (os.environ.get(WORKSPACE_ENV), WORKSPACE_ENV),
        (os.environ.get("ESGWH_PROJECT_DIR"), "ESGWH_PROJECT_DIR"),
    ):
        if given:
            root = Path(given).expanduser().resolve()
            if not (root / MARKER).is_file():
                raise WorkspaceError(
                    f"{root} (from {source}) is not a workspace: it has no {MARKER}. "
                    f"Create one with `esgwh init {root}`."
                )
            return _read(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return _read(folder)
    raise WorkspaceError(
        f"no workspace in {here} or any folder above it (a workspace has an {MARKER}). "
        "Create one with `esgwh init DIR`, or pass --workspace DIR (or set ESGWH_WORKSPACE)."
    )


def _read(root: Path) -> Workspace:
    path = root / MARKER
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise WorkspaceError(f"{path}: cannot be read as TOML ({exc})") from None
    unknown = sorted(set(settings) - {"reports", "warehouse", "seeds"})
    if unknown:
        raise WorkspaceError(f"{path}: unknown setting(s) {', '.join(unknown)} (known: reports, warehouse, seeds)")
    values: dict[str, Path | None] = {}
    for key, default in (("reports", "reports"), ("warehouse", "warehouse.duckdb"), ("seeds", None)):
        if key not in settings and default is None:
            values[key] = None
            continue
        value = settings.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise WorkspaceError(f"{path}: {key} must be a path (a string), not {value!r}")
        # relative to the workspace, so that a workspace moved or copied elsewhere still builds
        values[key] = warehouse_path(root / value) if key == "warehouse" else (root / value).resolve()
    reports, warehouse = values["reports"], values["warehouse"]
    assert reports is not None and warehouse is not None  # only seeds may be left unset
    return Workspace(root, reports, warehouse, values["seeds"])


def init_workspace(root: Path) -> Workspace:
    """A new workspace: esgwh.toml, reports/ with an empty manifest. An existing one is left alone."""
    root = root.expanduser().resolve()
    if (root / MARKER).is_file():
        raise WorkspaceError(f"{root} is already a workspace ({MARKER} exists)")
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"{root} exists and is not a folder")
    try:
        (root / "reports").mkdir(parents=True, exist_ok=True)
        manifest = root / "reports" / MANIFEST_NAME
        if not manifest.exists():
            with manifest.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh, lineterminator="\n").writerow(WRITTEN_COLUMNS)
        (root / "seeds").mkdir(exist_ok=True)
        (root / MARKER).write_text(
            "# esgwh workspace: the reports, their manifest and the warehouse built from them.\n"
            'reports = "reports"               # report files and manifest.csv (esgwh add writes both)\n'
            'warehouse = "warehouse.duckdb"    # the warehouse esgwh build writes\n'
            'seeds = "seeds"                   # rows of your own for label_aliases.csv, unit_conversions.csv, ...\n',
            encoding="utf-8",
        )
    except OSError as exc:
        raise WorkspaceError(f"cannot create a workspace in {root}: {exc.strerror}") from None
    return _read(root)
