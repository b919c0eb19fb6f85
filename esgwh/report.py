"""A static HTML page for one company with one chart per key family over the fiscal years its
reports state, drawn as inline SVG (no JavaScript, no network): restated figures are marked,
like-for-like breaks are drawn between the years they separate with the reason, and every chart
names the reports its figures come from."""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import duckdb

COLOURS = ["#1f6f8b", "#e07a5f", "#81b29a", "#f2cc8f", "#3d405b"]


@dataclass
class Chart:
    key: str
    title: str
    metrics: list[tuple[str, str]]      # (metric_code, legend label)
    kind: str                            # bar | line
    scale: float = 1.0
    unit_label: str = ""


CHARTS = [
    Chart("emissions", "Greenhouse-gas emissions by scope", [("ghg_scope1", "Scope 1"), ("ghg_scope2", "Scope 2 (market)"),
          ("ghg_scope3", "Scope 3")], "bar", 1e6, "million t CO2e"),
    Chart("pue", "Data-centre average PUE", [("pue", "PUE")], "line", 1, "ratio"),
    Chart("headcount", "Employees", [("headcount", "Employees (directly operated from 2020)")], "bar", 1e3, "thousand persons"),
    Chart("turnover", "Employee turnover rate", [("turnover_rate", "Turnover")], "line", 1, "%"),
    Chart("donations", "Donations to the company's charity foundation", [("donation_to_foundation", "Donation (mainland)")],
          "bar", 1e8, "100 million CNY"),
]


class ReportError(Exception):
    """The page cannot be drawn as asked (which company?): the message says what to pass."""


def company_of(con, company: str | None) -> tuple[str, str]:
    """(company_id, name) of the company the page is for: the one asked for, or the only one."""
    from .analyst import resolve_company

    rows = dict(con.execute("SELECT company_id, company FROM marts.dim_company ORDER BY 1").fetchall())
    if company:
        try:
            cid = resolve_company(con, company)
        except KeyError as exc:
            raise ReportError(exc.args[0]) from None
        return cid, rows[cid]
    if len(rows) == 1:
        return next(iter(rows.items()))
    raise ReportError("the page is drawn for one company: pass --company, one of "
                      + (", ".join(f"{k} ({v})" for k, v in rows.items()) or "none: build first"))


def _data(con, chart: Chart, company_id: str):
    """The company's series of the chart's metrics: the whole, on the basis the report states."""
    codes = [m for m, _ in chart.metrics]
    marks = ", ".join("?" * len(codes))
    series = f"""(SELECT * FROM marts.mart_metric_series WHERE company_id = ? AND dimension = 'total'
                  AND basis = 'as_reported' AND metric_code IN ({marks}))"""
    values = con.execute(f"""SELECT metric_code, fiscal_year, CAST(value AS DOUBLE), is_restated, report_id,
        source_file FROM {series}""", [company_id, *codes]).fetchall()
    breaks = con.execute(f"SELECT metric_code, fiscal_year, comparability_note FROM {series} WHERE NOT like_for_like",
                         [company_id, *codes]).fetchall()
    sources = con.execute(f"""SELECT DISTINCT r.report_id, r.title, v.source_file FROM {series} AS v
        JOIN marts.dim_report r USING (report_id) ORDER BY 1""", [company_id, *codes]).fetchall()
    return values, breaks, sources


def _svg(chart: Chart, values, breaks, years: list[int]) -> str:
    width, height, left, right, top, bottom = 640, 300, 60, 20, 20, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    by = {(m, y): (v / chart.scale, restated) for m, y, v, restated, *_ in values}
    top_value = max([v for v, _ in by.values()] + [0]) or 1
    ymax = top_value * 1.15
    ymin = 0.0 if chart.kind == "bar" else min(v for v, _ in by.values()) * 0.9 if by else 0
    def x(i: float) -> float:
        return left + plot_w * (i + 0.5) / len(years)
    def yv(v: float) -> float:
        return top + plot_h * (1 - (v - ymin) / (ymax - ymin or 1))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'role="img" aria-label="{html.escape(chart.title)}">']
    for k in range(5):                                   # grid and axis labels
        v = ymin + (ymax - ymin) * k / 4
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{yv(v):.1f}" y2="{yv(v):.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 6}" y="{yv(v) + 4:.1f}" class="axis" text-anchor="end">{v:,.3g}</text>')
    for i, year in enumerate(years):
        parts.append(f'<text x="{x(i):.1f}" y="{height - bottom + 18}" class="axis" text-anchor="middle">{year}</text>')
    for metric, year, note in breaks:                    # like-for-like breaks between year-1 and year
        bx = x(years.index(year) - 0.5) if year in years else None
        if bx is not None:
            parts.append(f'<line x1="{bx:.1f}" x2="{bx:.1f}" y1="{top}" y2="{top + plot_h}" class="break">'
                         f'<title>{html.escape(f"{year - 1} → {year} not like for like: {note}")}</title></line>')
    n = len(chart.metrics)
    for j, (metric, label) in enumerate(chart.metrics):
        colour = COLOURS[j % len(COLOURS)]
        points = []
        for i, year in enumerate(years):
            if (metric, year) not in by:
                continue
            v, restated = by[(metric, year)]
            if chart.kind == "bar":
                bw = plot_w / len(years) * 0.7 / n
                bx = x(i) - plot_w / len(years) * 0.35 + j * bw
                parts.append(f'<rect x="{bx:.1f}" y="{yv(v):.1f}" width="{bw:.1f}" height="{yv(ymin) - yv(v):.1f}" '
                             f'fill="{colour}" class="{"restated" if restated else "value"}">'
                             f'<title>{label} {year}: {v:,.4g}{" (restated by a later report)" if restated else ""}</title></rect>')
                cx = bx + bw / 2
            else:
                cx = x(i)
                points.append(f"{cx:.1f},{yv(v):.1f}")
                parts.append(f'<circle cx="{cx:.1f}" cy="{yv(v):.1f}" r="5" fill="{"white" if restated else colour}" '
                             f'stroke="{colour}" stroke-width="2"><title>{label} {year}: {v:,.4g}</title></circle>')
            parts.append(f'<text x="{cx:.1f}" y="{yv(v) - 8:.1f}" class="value-label" text-anchor="middle">{v:,.4g}'
                         f'{" R" if restated else ""}</text>')
        if points:
            parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def render(warehouse: Path, out: Path, company: str | None = None) -> Path:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        company_id, name = company_of(con, company)
        data = {chart.key: _data(con, chart, company_id) for chart in CHARTS}
        years_seen = sorted({y for values, _, _ in data.values() for _, y, *_ in values})
        years = list(range(years_seen[0], years_seen[-1] + 1)) if years_seen else []
        span = f"{years[0]}-{years[-1]}" if years else "no figures"
        sections = []
        for chart in CHARTS:
            values, breaks, sources = data[chart.key]
            legend = "".join(f'<span class="key" style="--c:{COLOURS[j % len(COLOURS)]}">{html.escape(label)}</span>'
                             for j, (_, label) in enumerate(chart.metrics))
            notes = "".join(f"<li><b>{y - 1} → {y}</b> not like for like: {html.escape(note or '')}</li>"
                            for _, y, note in sorted(set(breaks), key=lambda b: b[1]))
            restated = sorted({(m, y) for m, y, _, r, *_ in values if r})
            restated_html = ("<p class='restated-note'>R = restated by a later report: "
                             + ", ".join(f"{m} {y}" for m, y in restated) + "</p>") if restated else ""
            source_html = "; ".join(f"{html.escape(t)} (<code>{html.escape(f)}</code>)" for _, t, f in sources)
            sections.append(f"""
<section class="chart" id="{chart.key}">
  <h2>{html.escape(chart.title)} <small>{html.escape(chart.unit_label)}</small></h2>
  <div class="legend">{legend}<span class="key break-key">like-for-like break</span></div>
  {_svg(chart, values, breaks, years)}
  {restated_html}
  <ul class="breaks">{notes}</ul>
  <p class="sources">Sources: {source_html or "no figures"}</p>
</section>""")
        built = con.execute("SELECT max(finished_at) FROM audit.build_runs WHERE status = 'published'").fetchone()[0]
    finally:
        con.close()
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ESG metrics {html.escape(name)} {span}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #222; max-width: 1400px; }}
h1 {{ font-size: 22px; margin-bottom: 4px; }} .meta {{ color: #666; font-size: 13px; }}
main {{ display: grid; grid-template-columns: repeat(2, 660px); gap: 18px; }}
.chart {{ border: 1px solid #ddd; border-radius: 6px; padding: 10px; background: #fff; }}
.chart h2 {{ font-size: 16px; margin: 0 0 6px; }} .chart h2 small {{ color: #777; font-weight: normal; }}
.grid {{ stroke: #eee; }} .axis {{ font-size: 11px; fill: #555; }} .value-label {{ font-size: 10px; fill: #333; }}
.break {{ stroke: #c0392b; stroke-width: 2; stroke-dasharray: 5 4; }}
rect.restated {{ stroke: #222; stroke-width: 1.5; stroke-dasharray: 3 2; }}
.legend {{ font-size: 12px; margin-bottom: 4px; }} .key::before {{ content: ""; display: inline-block; width: 10px;
  height: 10px; background: var(--c); margin: 0 4px 0 10px; }} .break-key::before {{ background: none;
  border-left: 2px dashed #c0392b; }}
.breaks, .sources, .restated-note {{ font-size: 12px; color: #444; }} .breaks {{ padding-left: 18px; margin: 4px 0; }}
</style></head><body>
<h1>ESG metrics of {html.escape(name)}, fiscal years {span}</h1>
<p class="meta">Current figures from the warehouse (newest report wins; roundings are not restatements).
Built {built or "unknown"} UTC. A dashed red line marks two years that are not comparable like for like.</p>
<main>{"".join(sections)}</main>
</body></html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
