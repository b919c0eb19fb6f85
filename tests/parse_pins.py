"""The parse output of the bundled reports and the corpus's text renderings, pinned per report as
a digest with the PARSER_VERSION that produced it (tests/expected/parse_output.json). Re-parsing
is keyed on PARSER_VERSION: a change of output under the same version would leave warehouses
serving the old parse. Regenerate after a deliberate change (and a version bump):

    python -m tests.parse_pins
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from decimal import Decimal
from pathlib import Path

import loaders
from loaders.load import parse_entry, verify_reports
from loaders.manifest import read_verified_bytes
from loaders.pdf import is_pdf

ROOT = Path(__file__).resolve().parents[1]
PINS = ROOT / "tests" / "expected" / "parse_output.json"
FOLDERS = [ROOT / "data" / "reports", ROOT / "tests" / "corpus"]


def _canonical(value):
    if isinstance(value, Decimal):
        return f"decimal:{value}"  # 1.30 and 1.3 are different parses
    raise TypeError(type(value))


def digests() -> dict[str, str]:
    """report file -> sha256 of everything its parse returns (figures, quarantine, tables, notes)."""
    out = {}
    for folder in FOLDERS:
        reports = verify_reports(folder)
        for entry in reports.entries:
            if is_pdf(entry.file_name):  # read through an extractor: pinned by the PDF tests
                continue
            doc, _ = parse_entry(read_verified_bytes(entry), entry)
            text = json.dumps(dataclasses.asdict(doc), default=_canonical, sort_keys=True, ensure_ascii=False)
            out[f"{folder.name}/{entry.file_name}"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return out


def main() -> None:
    PINS.write_text(
        json.dumps({"parser_version": loaders.PARSER_VERSION, "digests": digests()}, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {PINS} (PARSER_VERSION {loaders.PARSER_VERSION})", file=sys.stderr)


if __name__ == "__main__":
    main()
