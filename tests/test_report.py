"""The HTML report: one chart per family, restatements and like-for-like breaks marked, sources
named; rendered by real headless Chromium (Debian's package) and checked on the screenshot."""
from __future__ import annotations

import re
import subprocess

import pytest
from PIL import Image

from esgwh.report import render

from .conftest import ensure_system_package

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars"]


@pytest.fixture(scope="module")
def report(built_warehouse, tmp_path_factory):
    return render(built_warehouse, tmp_path_factory.mktemp("report") / "report.html")


def test_one_chart_per_family_with_sources_breaks_and_restatements(report):
    page = report.read_text(encoding="utf-8")
    sections = re.findall(r'<section class="chart" id="(\w+)">', page)
    assert sections == ["emissions", "pue", "headcount", "turnover", "donations"]
    for block in page.split('<section class="chart"')[1:]:
        assert "Sources: " in block and ".txt</code>" in block
    assert "R = restated by a later report: ghg_scope2 2021" in page
    assert "2021 → 2022</b> not like for like: Scope 1 includes fugitive emissions" in page
    assert "2021 → 2022</b> not like for like: The turnover rate divides the year" in page
    assert page.count('class="break"') >= 5


def test_renders_in_headless_chromium(report, tmp_path):
    chromium = ensure_system_package("chromium", "chromium")
    assert chromium, "Chromium is needed: apt-get install -y chromium (.ci/run installs it)"
    shot = tmp_path / "report.png"
    result = subprocess.run([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                             "--window-size=1400,1300", f"--screenshot={shot}", report.as_uri()],
                            capture_output=True, text=True, timeout=120)
    assert shot.exists(), result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 1300)
    colours = image.getcolors(maxcolors=1 << 20)
    count = {c: n for n, c in colours}
    bars = count.get((0x1f, 0x6f, 0x8b), 0)        # the first series' bars and lines
    breaks = count.get((0xc0, 0x39, 0x2b), 0)      # the dashed like-for-like break lines
    assert bars > 5000 and breaks > 100, (bars, breaks)
    print(f"screenshot: {shot}")
