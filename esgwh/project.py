"""Where the project's files are (dbt project, migrations, bundled reports) and what version runs."""

from __future__ import annotations

import os
import subprocess
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DEFAULT_WAREHOUSE = "warehouse.duckdb"
# The dbt project's parts, in the repository root (a merged copy for workspace seed rows takes these).
DBT_PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "tests_dbt")
# What a copy of the repository needs to build, its reports apart: the dbt project, its profile,
# the migrations and the workspace file (tests and benchmarks copy these).
PROJECT_COPY_PARTS = (*DBT_PROJECT_PARTS, "profiles.yml", "alembic.ini", "migrations", "esgwh.toml")


def warehouse_path(path: Path | str) -> Path:
    """An absolute warehouse path that is not resolved through the link a build publishes (the
    warehouse is a link to its build's file, and the link, not the file, is what builds and readers
    name). A link someone else made (bi/esg.duckdb -> /srv/warehouse.duckdb) is followed to the
    warehouse it names, so a build through it updates that warehouse."""
    p = Path(os.path.abspath(os.path.expanduser(str(path))))
    for _ in range(40):  # a cycle of links ends here, not in a hang
        if not p.is_symlink() or is_published_link(p):
            return p
        p = Path(os.path.abspath(p.parent / os.readlink(p)))
    return p


def is_published_link(path: Path) -> bool:
    """Whether `path` is the link a build published: it points into its own .<name>.build/published/."""
    target = Path(os.path.normpath(path.parent / os.readlink(path)))
    releases = path.parent / f".{path.name}.build" / "published"
    return target.parent.parent == releases and target.name == path.name


def project_dir() -> Path:
    """The repository root: ESGWH_PROJECT_DIR, or the folder this package is installed from."""
    root = Path(os.environ.get("ESGWH_PROJECT_DIR") or Path(__file__).resolve().parents[1])
    if not (root / "dbt_project.yml").is_file():
        raise SystemExit(
            f"esgwh: no dbt_project.yml in {root}. Install the project with `pip install -e .` from its "
            "repository, or set ESGWH_PROJECT_DIR to the repository root."
        )
    return root


@lru_cache(maxsize=1)
def code_version() -> str:
    try:
        pkg = version("esgwh")
    except PackageNotFoundError:
        pkg = "unknown"
    try:
        sha = subprocess.run(
            ["git", "-C", str(project_dir()), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(project_dir()), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        return f"{pkg}+g{sha}{'.dirty' if dirty else ''}"
    except (OSError, subprocess.SubprocessError):
        return pkg
