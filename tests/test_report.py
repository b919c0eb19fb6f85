"""The HTML report: one interactive chart per family (Plotly, inlined), restatements and
like-for-like breaks marked and named, sources and a table view per chart; driven in real headless
Chromium (Debian's package, through Playwright) with the network cut off: the layout has no
overlapping labels, and a clicked bar or point shows the provenance marts.fct_metric_values has."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from esgwh.report import CHARTS, render

from .conftest import system_binary


@pytest.fixture(scope="module")
def report(built_warehouse, tmp_path_factory):
    return render(built_warehouse, tmp_path_factory.mktemp("report") / "report.html")


def test_one_chart_per_family_with_sources_breaks_restatements_and_a_table(report):
    page = report.read_text(encoding="utf-8")
    sections = re.findall(r'<section class="chart" id="(\w+)"', page)
    assert sections == ["emissions", "pue", "headcount", "turnover", "donations"]
    for block in page.split('<section class="chart"')[1:]:
        assert "Sources: " in block and ".txt</code>" in block
        assert "<details class='table-view'>" in block and "<th scope='row'>2023</th>" in block
    assert "restated by a later report: Scope 2 (market) 2021" in page
    # each break names the series it cuts and the years it separates
    assert "Scope 1, 2021 → 2022</b> not like for like: Scope 1 includes fugitive emissions" in page
    assert "Turnover, 2021 → 2022</b> not like for like: The turnover rate divides the year" in page
    assert "break: Scope 1, Scope 3" in page
    # SSV 2023 line 3248: scope 2 2021 restated as 2,471,041.1 t, in the table view as printed
    emissions = page.split('id="emissions"')[1].split("</section>")[0]
    assert (
        "<td>2,471,041.1 吨二氧化碳当量 (restated)<br><small>tencent_ssv_2023.zh-Hans.txt:3248</small></td>"
        in emissions
    )
    # offline: the charting script is inlined, nothing is fetched
    assert not re.search(r"<script[^>]+src=", page) and "plotly" in page  # no fetch: see the Chromium test
    assert "Built " in page and not re.search(r"Built \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+", page)


# Every text Plotly draws inside a chart: value labels, break labels, legend, ticks, axis titles.
TEXTS = ".bartext, .textpoint text, .annotation-text, .legendtext, .xtick text, .ytick text, .g-ytitle text"
LAYOUT = """(selector) => Array.from(document.querySelectorAll('section.chart')).map(section => {
  const svg = section.querySelector('.main-svg').getBoundingClientRect();
  const box = e => { const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height,
                     text: e.textContent, cls: e.getAttribute('class') || e.parentNode.getAttribute('class')}; };
  return {id: section.id, svg: {x: svg.x, y: svg.y, w: svg.width, h: svg.height},
          texts: Array.from(section.querySelectorAll(selector)).map(box).filter(b => b.w > 0 && b.text.trim()),
          bars: Array.from(section.querySelectorAll('.barlayer .point path')).map(box).filter(b => b.w > 0)};
})"""


def _overlap(a: dict, b: dict) -> float:
    w = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    h = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return w * h if w > 0 and h > 0 else 0.0


@pytest.fixture(scope="module")
def browser_page(report, tmp_path_factory):
    chromium = system_binary("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    fetched: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1300})

        def cut_off(route):
            if not route.request.url.startswith(("file:", "data:", "about:")):
                fetched.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        page.route("**/*", cut_off)
        page.goto(report.as_uri())
        page.wait_for_function("document.querySelectorAll('section.chart .main-svg').length >= 5")
        page.wait_for_timeout(500)
        shot = tmp_path_factory.mktemp("shot") / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        yield page, fetched, shot
        browser.close()


def test_renders_offline_in_headless_chromium_without_overlapping_labels(browser_page):
    page, fetched, shot = browser_page
    assert fetched == []
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    count = {c: n for n, c in image.getcolors(maxcolors=1 << 22)}
    assert count.get((0x1F, 0x6F, 0x8B), 0) > 5000  # the first series' bars and lines
    charts = page.evaluate(LAYOUT, TEXTS)
    assert [c["id"] for c in charts] == [c.key for c in CHARTS]
    for chart in charts:
        texts, svg = chart["texts"], chart["svg"]
        assert len(texts) >= 8, chart["id"]
        clashes = [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1 :] if _overlap(a, b) > 1]
        assert clashes == [], (chart["id"], clashes)
        labels = [t for t in texts if "bartext" in (t["cls"] or "")]
        hidden = [(t["text"], round(_overlap(t, bar))) for t in labels for bar in chart["bars"] if _overlap(t, bar) > 1]
        assert hidden == [], (chart["id"], hidden)  # no value label behind a bar
        cut = [
            t["text"]
            for t in texts
            if t["x"] < svg["x"] - 1
            or t["y"] < svg["y"] - 1
            or t["x"] + t["w"] > svg["x"] + svg["w"] + 1
            or t["y"] + t["h"] > svg["y"] + svg["h"] + 1
        ]
        assert cut == [], (chart["id"], cut)
    ticks = [
        t["text"] for t in charts[0]["texts"] if "ytick" in (t["cls"] or "") or re.fullmatch(r"[\d.,]+", t["text"])
    ]
    assert {"0", "1", "2", "3", "4"} <= set(ticks)  # round ticks, not 0.972, 1.94, 2.92
    legend = [t["text"] for t in charts[0]["texts"]]
    assert "restated by a later report" in legend and "like-for-like break (see below)" in legend


def _provenance(con, metric: str, year: int) -> dict:
    cur = con.execute(
        """SELECT v.value_as_printed, r.unit_as_printed, v.report_id, v.source_file, v.line_number,
                                v.raw_text, v.is_restated
                         FROM marts.fct_metric_values v JOIN marts.fct_reported_values r USING (figure_id)
                         WHERE v.metric_code = ? AND v.fiscal_year = ? AND v.dimension = 'total'
                           AND v.basis = 'as_reported'""",
        [metric, year],
    )
    return dict(zip([d[0] for d in cur.description], cur.fetchone()))


@pytest.mark.parametrize(
    "chart, trace, kind, year, metric",
    [
        ("emissions", 1, "bar", 2021, "ghg_scope2"),  # SSV 2023 line 3248, restated
        ("pue", 0, "line", 2023, "pue"),  # SSV 2023 line 3263, 1.279
    ],
)
def test_a_clicked_point_shows_the_provenance_the_marts_have(
    browser_page, built_warehouse, chart, trace, kind, year, metric
):
    page = browser_page[0]
    years = page.evaluate(f"document.getElementById('chart-{chart}').data[{trace}].x")
    layer = ".barlayer .trace.bars" if kind == "bar" else ".scatterlayer .trace.scatter"
    point = page.locator(f"#{chart} {layer}").nth(trace).locator(".points .point").nth(years.index(year))
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    panel = page.locator(f"#{chart} .provenance")
    page.wait_for_function(f"document.querySelector('#{chart} .provenance').classList.contains('filled')")
    shown = {
        key: panel.locator(f"[data-field='{key}']").text_content()
        for key in (
            "value_as_printed",
            "unit_as_printed",
            "report_id",
            "source_file",
            "line_number",
            "raw_text",
            "restated",
            "fiscal_year",
        )
    }
    con = duckdb.connect(str(built_warehouse), read_only=True)
    try:
        expected = _provenance(con, metric, year)
    finally:
        con.close()
    assert shown["fiscal_year"] == str(year)
    assert {k: shown[k] for k in ("value_as_printed", "unit_as_printed", "report_id", "source_file", "raw_text")} == {
        k: str(expected[k]) for k in ("value_as_printed", "unit_as_printed", "report_id", "source_file", "raw_text")
    }
    assert shown["line_number"] == str(expected["line_number"])
    assert shown["restated"].startswith("yes" if expected["is_restated"] else "no")
    # the hand reading, not only the marts: SSV 2023 prints these on these lines
    assert (shown["value_as_printed"], shown["line_number"]) == {
        "ghg_scope2": ("2,471,041.1", "3248"),
        "pue": ("1.279", "3263"),
    }[metric]


def test_the_readme_screenshot_is_the_current_page(browser_page):
    """docs/report.png is what the page looks like now (regenerate: ESGWH_UPDATE_SCREENSHOT=1)."""
    import os

    from PIL import Image

    from .conftest import ROOT

    shot = browser_page[2]
    committed = ROOT / "docs" / "report.png"
    if os.environ.get("ESGWH_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, committed)
    (width, height), (now_width, now_height) = Image.open(committed).size, Image.open(shot).size
    # the same page: same width, and a height that fonts on another machine may move a little
    assert width == now_width and abs(height - now_height) <= 0.1 * now_height, (
        (width, height),
        (now_width, now_height),
    )


def test_a_company_with_nothing_to_draw_is_refused_not_an_empty_page(tmp_path):
    from esgwh.report import ReportError

    from .conftest import ROOT

    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(ROOT / "warehouse.duckdb.example", copy)
    con = duckdb.connect(str(copy))
    try:
        con.execute("DELETE FROM marts.fct_metric_values")
    finally:
        con.close()
    with pytest.raises(ReportError, match="no figure for any chart"):
        render(copy, tmp_path / "page.html")
    assert not (tmp_path / "page.html").exists()
