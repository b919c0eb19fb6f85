"""Alembic migrations of the raw schema, run against a given warehouse file."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from .project import project_dir


def alembic_config(warehouse: Path | str) -> Config:
    """For a DuckDB file path, or a SQLAlchemy URL (the PostgreSQL target)."""
    cfg = Config(str(project_dir() / "alembic.ini"))
    cfg.attributes["url"] = warehouse if isinstance(warehouse, str) and "://" in warehouse else f"duckdb:///{warehouse}"
    return cfg


def upgrade(warehouse: Path | str, revision: str = "head") -> None:
    command.upgrade(alembic_config(warehouse), revision)


def downgrade(warehouse: Path, revision: str) -> None:
    command.downgrade(alembic_config(warehouse), revision)
