"""Alembic migrations of the raw schema, run against a given warehouse file.

Alembic (with SQLAlchemy, about 0.4 s to import) is imported when a migration runs, not with the
command line: the commands that only read the warehouse start without it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .project import project_dir

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(warehouse: Path | str) -> Config:
    """For a DuckDB file path, or a SQLAlchemy URL (the PostgreSQL target)."""
    from alembic.config import Config

    cfg = Config(str(project_dir() / "alembic.ini"))
    cfg.attributes["url"] = warehouse if isinstance(warehouse, str) and "://" in warehouse else f"duckdb:///{warehouse}"
    return cfg


def upgrade(warehouse: Path | str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(warehouse), revision)


def downgrade(warehouse: Path, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(warehouse), revision)
