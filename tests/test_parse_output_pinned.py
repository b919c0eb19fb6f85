"""A parser change that alters what an unchanged report yields must come with a PARSER_VERSION
bump, or built warehouses keep the old parse (re-parsing is keyed on the version)."""

from __future__ import annotations

import json

import loaders

from .parse_pins import PINS, digests


def test_parse_output_changes_only_with_a_parser_version_bump():
    pinned = json.loads(PINS.read_text(encoding="utf-8"))
    now = digests()
    changed = sorted(k for k in now.keys() | pinned["digests"].keys() if now.get(k) != pinned["digests"].get(k))
    if pinned["parser_version"] == loaders.PARSER_VERSION:
        assert changed == [], (
            f"the parse output of {', '.join(changed)} changed under PARSER_VERSION {loaders.PARSER_VERSION}: "
            "bump PARSER_VERSION in loaders/__init__.py (warehouses then re-parse), then re-pin with "
            "`python -m tests.parse_pins`"
        )
    else:
        raise AssertionError(
            f"PARSER_VERSION is {loaders.PARSER_VERSION} but the pins are of {pinned['parser_version']}: re-pin with "
            f"`python -m tests.parse_pins` ({len(changed)} report(s) parse differently)"
        )
