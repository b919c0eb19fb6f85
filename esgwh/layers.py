"""The warehouse's schemas and raw tables, for the targets that rebuild them on another engine."""

from __future__ import annotations

from loaders.raw_schema import RAW

RAW_TABLES = list(RAW)  # parents first, as loaders/raw_schema.py declares them
SCHEMAS = ["raw", "seeds", "staging", "intermediate", "marts"]
