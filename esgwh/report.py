"""A static HTML page for one company: one interactive chart per key family over the fiscal years
its reports state (Plotly, its script inlined: the page needs no network). Hovering or clicking a
point shows the figure as printed, its unit, the report, page and line it came from, the raw text
and whether a later report restated it; restated figures are marked in the chart and the legend;
like-for-like breaks are drawn between the years they separate and name the series they cut; every
chart has a table view and names the reports its figures come from."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import duckdb

COLOURS = ["#1f6f8b", "#e07a5f", "#81b29a", "#f2cc8f", "#3d405b"]
BREAK_COLOUR = "#c0392b"


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    metrics: tuple[tuple[str, str], ...]  # (metric_code, legend label)
    kind: str  # bar | line
    scale: float = 1.0  # chart unit = value / scale
    unit_label: str = ""


CHARTS = [
    Chart(
        "emissions",
        "Greenhouse-gas emissions by scope",
        (("ghg_scope1", "Scope 1"), ("ghg_scope2", "Scope 2 (market)"), ("ghg_scope3", "Scope 3")),
        "bar",
        1e6,
        "million t CO2e",
    ),
    Chart("pue", "Data-centre average PUE", (("pue", "PUE"),), "line", 1, "ratio"),
    Chart(
        "headcount",
        "Employees",
        (("headcount", "Employees (directly operated from 2020)"),),
        "bar",
        1e3,
        "thousand persons",
    ),
    Chart("turnover", "Employee turnover rate", (("turnover_rate", "Turnover"),), "line", 1, "%"),
    Chart(
        "donations",
        "Donations to the company's charity foundation",
        (("donation_to_foundation", "Donation (mainland)"),),
        "bar",
        1e8,
        "100 million CNY",
    ),
]

# What a point carries (Plotly customdata, in this order) and how the page labels it.
PROVENANCE = [
    ("value_as_printed", "Figure as printed"),
    ("unit_as_printed", "Unit as printed"),
    ("value", "Value"),
    ("unit", "Unit"),
    ("fiscal_year", "Fiscal year"),
    ("report_id", "Report"),
    ("source_file", "File"),
    ("page_number", "Page"),
    ("line_number", "Line"),
    ("raw_text", "Raw text"),
    ("restated", "Restated"),
    ("label_as_printed", "Label as printed"),
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
    raise ReportError(
        "the page is drawn for one company: pass --company, one of "
        + (", ".join(f"{k} ({v})" for k, v in rows.items()) or "none: build first")
    )


def _points(con, chart: Chart, company_id: str) -> list[dict]:
    """The company's current figures of the chart's metrics (the whole, as reported), with their
    provenance and whether the year before is comparable like for like."""
    codes = [m for m, _ in chart.metrics]
    marks = ", ".join("?" * len(codes))
    cur = con.execute(
        f"""
        SELECT v.metric_code, v.fiscal_year, v.value, v.unit, v.value_as_printed, r.unit_as_printed,
               r.label_as_printed, v.report_id, v.source_file, v.page_number, v.line_number, v.raw_text,
               v.is_restated, v.first_reported_value, v.first_report_id, s.like_for_like, s.comparability_note,
               d.title AS report_title
        FROM marts.fct_metric_values v
        JOIN marts.dim_company c ON c.company = v.company
        LEFT JOIN marts.fct_reported_values r ON r.figure_id = v.figure_id
        LEFT JOIN marts.mart_metric_series s ON s.company_id = c.company_id AND s.metric_code = v.metric_code
             AND s.dimension = v.dimension AND s.member = v.member AND s.basis = v.basis
             AND s.fiscal_year = v.fiscal_year
        LEFT JOIN marts.dim_report d ON d.report_id = v.report_id
        WHERE c.company_id = ? AND v.dimension = 'total' AND v.basis = 'as_reported' AND v.metric_code IN ({marks})
        ORDER BY v.metric_code, v.fiscal_year""",
        [company_id, *codes],
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _number(value: Decimal | float, significant: int = 3) -> str:
    """A chart label: three significant figures, thousands separators (0.0188, 2.47, 1,710)."""
    v = float(value)
    if v == 0:
        return "0"
    text = f"{v:,.{significant}g}" if abs(v) < 10**significant else f"{v:,.0f}"
    return text


def _restated_text(p: dict) -> str:
    if not p["is_restated"]:
        return "no"
    return (
        f"yes: first reported as {_plain(p['first_reported_value'])} {p['unit']} in {p['first_report_id']}; "
        f"this figure is from {p['report_id']}"
    )


def _plain(value) -> str:
    if isinstance(value, Decimal):
        return f"{value.normalize():,f}"
    return "" if value is None else str(value)


def _customdata(p: dict) -> list[str]:
    values = {**p, "value": _plain(p["value"]), "restated": _restated_text(p)}
    return ["—" if values[k] is None else str(values[k]) for k, _ in PROVENANCE]


def _figure(chart: Chart, points: list[dict], years: list[int]):
    import plotly.graph_objects as go

    fig = go.Figure()
    labels = dict(chart.metrics)
    hover = (
        "<b>%{fullData.name} %{x}</b>: %{customdata[0]} %{customdata[1]}<br>"
        "%{customdata[5]}, %{customdata[6]}, page %{customdata[7]}, line %{customdata[8]}<br>"
        "restated: %{customdata[10]}<extra></extra>"
    )
    any_restated = False
    for j, (metric, label) in enumerate(chart.metrics):
        mine = [p for p in points if p["metric_code"] == metric]
        colour = COLOURS[j % len(COLOURS)]
        x = [p["fiscal_year"] for p in mine]
        y = [float(p["value"]) / chart.scale for p in mine]
        restated = [bool(p["is_restated"]) for p in mine]
        any_restated |= any(restated)
        common = dict(
            x=x,
            y=y,
            name=label,
            customdata=[_customdata(p) for p in mine],
            hovertemplate=hover,
            text=[
                (p["value_as_printed"] or _number(v)) if chart.scale == 1 else _number(v, 2 if abs(v) < 0.1 else 3)
                for p, v in zip(mine, y)
            ],
            meta=metric,
        )
        if chart.kind == "bar":
            fig.add_trace(
                go.Bar(
                    **common,
                    marker=dict(
                        color=colour,
                        line=dict(color=["#222" if r else colour for r in restated], width=1.5),
                        pattern=dict(shape=["/" if r else "" for r in restated], fgcolor="#222", size=6, solidity=0.25),
                    ),
                    textposition="outside",
                    cliponaxis=False,
                    textfont=dict(size=11),
                )
            )
        else:
            fig.add_trace(
                go.Scatter(
                    **common,
                    mode="lines+markers+text",
                    textposition="top center",
                    line=dict(color=colour, width=2),
                    cliponaxis=False,
                    textfont=dict(size=11),
                    marker=dict(
                        size=10,
                        color=["white" if r else colour for r in restated],
                        symbol=["circle-open" if r else "circle" for r in restated],
                        line=dict(color=colour, width=2),
                    ),
                )
            )
    if any_restated:  # the marker's meaning in the legend, not only in the text
        restated_key = (
            go.Bar(
                x=[None],
                y=[None],
                name="restated by a later report",
                marker=dict(
                    color="white", line=dict(color="#222", width=1.5), pattern=dict(shape="/", fgcolor="#222", size=6)
                ),
            )
            if chart.kind == "bar"
            else go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name="restated by a later report",
                marker=dict(size=10, symbol="circle-open", color="#222"),
            )
        )
        fig.add_trace(restated_key.update(hoverinfo="skip", showlegend=True))
    top = max([float(p["value"]) / chart.scale for p in points] + [0])
    breaks = [p for p in points if p["like_for_like"] is False]
    for k, (year, group) in enumerate(sorted(_by_year(breaks).items())):
        cut = ", ".join(labels[p["metric_code"]] for p in group)
        fig.add_shape(
            type="line",
            x0=year - 0.5,
            x1=year - 0.5,
            y0=0,
            y1=1,
            yref="paper",
            line=dict(color=BREAK_COLOUR, width=2, dash="dash"),
        )
        fig.add_annotation(
            x=year - 0.5,
            y=1.0,
            yref="paper",
            yanchor="bottom",
            showarrow=False,
            yshift=2 + 15 * (k % 2),
            text=f"break: {html.escape(cut)}",
            font=dict(size=10, color=BREAK_COLOUR),
            xanchor="center",
            bgcolor="rgba(255,255,255,0.85)",
        )
    if breaks:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name="like-for-like break (see below)",
                line=dict(color=BREAK_COLOUR, width=2, dash="dash"),
                hoverinfo="skip",
            )
        )
    span = [years[0] - 0.6, years[-1] + 0.6] if years else None
    fig.update_layout(
        barmode="group",
        bargap=0.12,
        bargroupgap=0.04,
        height=360,
        width=640,
        margin=dict(l=60, r=20, t=58, b=40),
        template="plotly_white",
        font=dict(family="DejaVu Sans, Arial", size=12),
        legend=dict(orientation="h", yanchor="top", y=-0.14, x=0, font=dict(size=11)),
        hoverlabel=dict(align="left"),
    )
    fig.update_xaxes(
        tickmode="array", tickvals=years, ticktext=[str(y) for y in years], range=span, showgrid=False, fixedrange=True
    )
    fig.update_yaxes(
        title_text=chart.unit_label,
        rangemode="tozero" if chart.kind == "bar" else "normal",
        range=None if chart.kind != "bar" else [0, top * 1.2 or 1],
        nticks=6,
        fixedrange=True,
        tickformat=",~g",
    )
    if chart.kind == "line" and points:
        values = [float(p["value"]) / chart.scale for p in points]
        pad = (max(values) - min(values)) * 0.35 or max(values) * 0.05 or 1
        fig.update_yaxes(range=[min(values) - pad, max(values) + pad * 1.4])
    return fig


def _by_year(points: list[dict]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for p in points:
        out.setdefault(p["fiscal_year"], []).append(p)
    return out


def _table_view(chart: Chart, points: list[dict], years: list[int]) -> str:
    """The chart as a table: one row per year, one column per series, the figure as printed with its
    unit, R for restated, the source line."""
    by = {(p["metric_code"], p["fiscal_year"]): p for p in points}
    head = "".join(f"<th scope='col'>{html.escape(label)}</th>" for _, label in chart.metrics)
    rows = []
    for year in years:
        cells = []
        for metric, _ in chart.metrics:
            p = by.get((metric, year))
            cells.append(
                "<td>—</td>"
                if p is None
                else f"<td>{html.escape(str(p['value_as_printed']))} {html.escape(p['unit_as_printed'] or '')}"
                f"{' (restated)' if p['is_restated'] else ''}<br><small>{html.escape(p['source_file'])}"
                f":{p['line_number']}{'' if p['page_number'] is None else ', p. ' + str(p['page_number'])}"
                f"</small></td>"
            )
        rows.append(f"<tr><th scope='row'>{year}</th>{''.join(cells)}</tr>")
    return (
        f"<details class='table-view'><summary>Table view</summary><table><caption>{html.escape(chart.title)} "
        f"(as printed)</caption><thead><tr><th scope='col'>Fiscal year</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></details>"
    )


def _section(chart: Chart, points: list[dict], years: list[int], first: bool) -> str:
    fig = _figure(chart, points, years)
    div = fig.to_html(
        full_html=False,
        include_plotlyjs=first,
        div_id=f"chart-{chart.key}",
        config={"displayModeBar": False, "responsive": False},
    )
    labels = dict(chart.metrics)
    breaks = sorted(
        {
            (p["fiscal_year"], labels[p["metric_code"]], p["comparability_note"] or "")
            for p in points
            if p["like_for_like"] is False
        }
    )
    notes = "".join(
        f"<li><b>{html.escape(series)}, {y - 1} → {y}</b> not like for like: {html.escape(note)}</li>"
        for y, series, note in breaks
    )
    restated = sorted({(labels[p["metric_code"]], p["fiscal_year"]) for p in points if p["is_restated"]})
    restated_html = (
        (
            "<p class='restated-note'>Hatched bar or open marker = restated by a later report: "
            + ", ".join(f"{html.escape(m)} {y}" for m, y in restated)
            + "</p>"
        )
        if restated
        else ""
    )
    sources = sorted({(p["report_id"], p["report_title"] or p["report_id"], p["source_file"]) for p in points})
    source_html = "; ".join(f"{html.escape(t)} (<code>{html.escape(f)}</code>)" for _, t, f in sources)
    fields = "".join(f"<dt>{html.escape(label)}</dt><dd data-field='{key}'>—</dd>" for key, label in PROVENANCE)
    return f"""
<section class="chart" id="{chart.key}" data-metrics="{html.escape(" ".join(labels))}">
  <h2>{html.escape(chart.title)} <small>{html.escape(chart.unit_label)}</small></h2>
  <div class="plot" role="img" aria-label="{html.escape(chart.title)}: chart; the table view below has every figure">{div}</div>
  {restated_html}
  <ul class="breaks">{notes}</ul>
  <aside class="provenance" aria-live="polite"><p class="hint">Click a bar or point: where the figure comes from.</p>
    <dl>{fields}</dl></aside>
  {_table_view(chart, points, years)}
  <p class="sources">Sources: {source_html or "no figures"}</p>
</section>"""


# A click fills the chart's provenance panel from the point's customdata (the same data as the hover).
CLICK_SCRIPT = """
<script>
const FIELDS = %s;
document.querySelectorAll('section.chart').forEach(function (section) {
  const plot = section.querySelector('.plotly-graph-div');
  if (!plot || !plot.on) return;
  plot.on('plotly_click', function (event) {
    const point = event.points[0];
    if (!point.customdata) return;
    section.querySelector('.provenance').classList.add('filled');
    section.querySelector('.provenance').dataset.metric = point.data.meta;
    FIELDS.forEach(function (key, i) {
      section.querySelector('[data-field="' + key + '"]').textContent = point.customdata[i];
    });
  });
});
</script>"""


def render(warehouse: Path, out: Path, company: str | None = None) -> Path:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        company_id, name = company_of(con, company)
        data = {chart.key: _points(con, chart, company_id) for chart in CHARTS}
        if not any(data.values()):
            raise ReportError(
                f"{name} has no figure for any chart of the page ("
                + ", ".join(c.title.lower() for c in CHARTS)
                + "): nothing to draw"
            )
        latest = con.execute("SELECT max(finished_at) FROM audit.build_runs WHERE status = 'published'").fetchone()
        assert latest is not None  # max() returns one row
        built = latest[0]
    finally:
        con.close()
    years_seen = sorted({p["fiscal_year"] for points in data.values() for p in points})
    years = list(range(years_seen[0], years_seen[-1] + 1)) if years_seen else []
    span = f"{years[0]}-{years[-1]}" if years else "no figures"
    sections = [_section(chart, data[chart.key], years, first=i == 0) for i, chart in enumerate(CHARTS)]
    built_text = built.strftime("%Y-%m-%d %H:%M UTC") if built else "unknown"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ESG metrics {html.escape(name)} {span}</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #222; max-width: 1400px; }}
h1 {{ font-size: 22px; margin-bottom: 4px; }} .meta {{ color: #555; font-size: 13px; }}
main {{ display: grid; grid-template-columns: repeat(2, 662px); gap: 18px; }}
.chart {{ border: 1px solid #ddd; border-radius: 6px; padding: 10px; background: #fff; }}
.chart h2 {{ font-size: 16px; margin: 0 0 6px; }} .chart h2 small {{ color: #666; font-weight: normal; }}
.breaks, .sources, .restated-note, .provenance, .table-view {{ font-size: 12px; color: #333; }}
.breaks {{ padding-left: 18px; margin: 4px 0; }} .breaks b {{ color: {BREAK_COLOUR}; }}
.provenance {{ background: #f6f8fa; border-radius: 4px; padding: 6px 8px; }}
.provenance dl {{ display: none; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 4px 0 0; }}
.provenance.filled dl {{ display: grid; }} .provenance.filled .hint {{ display: none; }}
.provenance dt {{ color: #666; }} .provenance dd {{ margin: 0; word-break: break-all; }} .hint {{ margin: 0; }}
.table-view table {{ border-collapse: collapse; margin-top: 4px; }}
.table-view th, .table-view td {{ border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }}
</style></head><body>
<h1>ESG metrics of {html.escape(name)}, fiscal years {span}</h1>
<p class="meta">Current figures from the warehouse (newest report wins; roundings are not restatements).
Built {built_text}. A dashed red line marks two years that are not comparable like for like, and
names the series it cuts. Hover over or click a bar or point for its source.</p>
<main>{"".join(sections)}</main>
{CLICK_SCRIPT % json.dumps([k for k, _ in PROVENANCE])}
</body></html>
"""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out
