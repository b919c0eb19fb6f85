"""The warehouse's schemas and raw tables, for the targets that rebuild them on another engine."""

from __future__ import annotations

RAW_TABLES = [
    "load_runs",
    "documents",
    "figures",
    "quarantine",
    "table_notes",
    "tables",
    "retired_reports",
    "document_texts",
]  # parents first
SCHEMAS = ["raw", "seeds", "staging", "intermediate", "marts"]
