"""The panel report as one self-contained HTML page (print-ready: A4, fixed-size charts).

plotly.js is embedded once, inline, so the page needs no network; the PDF is this
page printed by headless Chromium after the charts have drawn.
"""
from __future__ import annotations

import html
from string import Template

import pandas as pd
import plotly.graph_objects as go

from .figures import ALL_STAGES, ALL_TEAMS, ReportData
from .suppression import SUPPRESSED

CHART_WIDTH = 680
CHART_HEIGHT = 300
# Colour-blind safe pair (Okabe-Ito blue / orange); every bar is also labelled with its value.
THIS_COLOUR, BEFORE_COLOUR = "#0072B2", "#E69F00"
GOOD_COLOUR, BAD_COLOUR = "#009E73", "#D55E00"

PAGE = Template("""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>$title</title>
<style>
  @page { size: A4; margin: 20mm 14mm 18mm 14mm; }
  body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: #1a1a1a; max-width: 182mm; margin: 0 auto; }
  h1 { font-size: 17pt; margin: 0 0 2mm 0; }
  h2 { font-size: 13pt; margin: 6mm 0 2mm 0; border-bottom: 1px solid #999; page-break-after: avoid; }
  p.sub { margin: 0 0 4mm 0; color: #333; }
  table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm 0; font-size: 8.5pt; page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; vertical-align: top; }
  th { background: #eee; text-align: left; }
  td.num { text-align: right; white-space: nowrap; }
  table.headline td.num { white-space: normal; }
  table.headline td:first-child { width: 24%; }
  tr.total td { font-weight: bold; background: #f6f6f6; }
  .chart { width: ${width}px; height: ${height}px; margin: 2mm 0; page-break-inside: avoid; }
  ul.commentary li { margin-bottom: 1.5mm; }
  .notes { font-size: 8.5pt; }
  section { page-break-inside: auto; }
  .break { page-break-before: always; }
</style>
$plotlyjs
</head><body>
<h1>$title</h1>
<p class="sub">$authority &middot; $dates &middot; compared with $previous and $last_year</p>
$body
</body></html>
""")


def cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, float):
        return f"{value:,.0f}"
    return f"{value:,}"


def table_html(frame: pd.DataFrame, total_label: str | None = None, first_text_columns: int = 1,
               css_class: str = "") -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for row in frame.itertuples(index=False, name=None):
        cls = ' class="total"' if total_label is not None and str(row[0]) == total_label else ""
        tds = []
        for i, value in enumerate(row):
            num = i >= first_text_columns
            tds.append(f'<td class="num">{cell(value)}</td>' if num else f"<td>{cell(value)}</td>")
        rows.append(f"<tr{cls}>{''.join(tds)}</tr>")
    return f"<table class='{css_class}'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def headline_display(report: ReportData) -> pd.DataFrame:
    """The headline table as text: 'value (n = …)' per period, so n sits beside every percentage."""
    periods = report.periods
    rows = []
    for _, row in report.headline.iterrows():
        out = {"Measure": row["Measure"]}
        for period in periods.all_periods:
            out[period] = value_text(row[period], row[f"n: {period}"], row["Unit"])
        change = row["Change on previous quarter"]
        unit = {"%": " points", "score": " points", "number": ""}[row["Unit"]]
        out["Change on previous quarter"] = (SUPPRESSED if change == SUPPRESSED
                                             else f"{change:+,.0f}{unit}")
        rows.append(out)
    return pd.DataFrame(rows)


def value_text(value, n, unit: str) -> str:
    if isinstance(value, str):
        return SUPPRESSED
    if unit == "number":
        return f"{value:,.0f}"
    suffix = "%" if unit == "%" else ""
    return f"{value:.0f}{suffix} (n = {n:,})" if not isinstance(n, str) else SUPPRESSED


def _bar_layout(fig: go.Figure, title: str, x_title: str, height: int = CHART_HEIGHT) -> go.Figure:
    fig.update_layout(title=dict(text=title, font=dict(size=14)), width=CHART_WIDTH, height=height,
                      margin=dict(l=10, r=20, t=50, b=40), barmode="group", template="plotly_white",
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1),
                      font=dict(family="DejaVu Sans, Arial, sans-serif", size=11))
    fig.update_xaxes(title_text=x_title, range=[0, 105])
    fig.update_yaxes(automargin=True)
    return fig


def _numbers(values):
    # A hidden value is drawn as an empty bar labelled [c], so the reader sees it was not left out by mistake.
    return [0 if isinstance(v, str) else v for v in values]


def _labels(values, suffix=""):
    return [SUPPRESSED if isinstance(v, str) else f"{v:.0f}{suffix}" for v in values]


def stage_chart(report: ReportData) -> go.Figure:
    frame = report.stages[report.stages["Stage"] != ALL_STAGES]
    names = [f"{s}. {w[:48]}{'…' if len(w) > 48 else ''}" for s, w in zip(frame["Stage"], frame["What young people rated"])]
    fig = go.Figure()
    for column, label, colour, pattern in (("Score last quarter", report.periods.previous, BEFORE_COLOUR, "/"),
                                           ("Score (0-100)", report.quarter, THIS_COLOUR, "")):
        fig.add_bar(y=names, x=_numbers(frame[column]), orientation="h", name=label,
                    marker=dict(color=colour, pattern=dict(shape=pattern)),
                    text=_labels(frame[column]), textposition="outside", cliponaxis=False)
    fig.update_yaxes(autorange="reversed")
    return _bar_layout(fig, "Co-production score by stage of the review (0 to 100)", "score (0 to 100)", height=460)


# A chart by team shows at most this many teams (every team is always in the table beside it): 1,000 bars in one
# chart cannot be read, and drawing them made a national report's PDF take twice as long.
MAX_CHART_TEAMS = 25
BAR_ROW_PX = 32  # height per team when the chart has to grow to keep its labels legible


def chart_teams(frame: pd.DataFrame, column: str, limit: int = MAX_CHART_TEAMS) -> tuple[pd.DataFrame, bool]:
    """The team rows to chart: all of them, or, when there are more than ``limit``, the ``limit`` teams with the
    lowest shown value of ``column`` (hidden values are never used to rank: a team shown as [c] is not picked).
    Returns the rows (in table order) and whether they are a selection."""
    frame = frame[frame["Team"] != ALL_TEAMS]
    if len(frame) <= limit:
        return frame, False
    shown = frame[[not isinstance(v, str) for v in frame[column]]]
    picked = shown.assign(_v=shown[column].astype(float)).sort_values(["_v", "Team"], kind="stable").head(limit)
    return frame.loc[frame.index.isin(picked.index)], True


def team_chart(frame: pd.DataFrame, columns, title: str, x_title: str) -> go.Figure:
    teams = frame[frame["Team"] != ALL_TEAMS]
    frame, selected = chart_teams(frame, columns[0][0])
    if selected:
        title = (f"{title}<br><span style='font-size: 11px'>The {len(frame)} of {len(teams):,} teams with the lowest figure for "
                 f"\u201c{columns[0][1]}\u201d; every team is in the table below</span>")
    fig = go.Figure()
    for column, label, colour, pattern in columns:
        fig.add_bar(y=list(frame["Team"]), x=_numbers(frame[column]), orientation="h", name=label,
                    marker=dict(color=colour, pattern=dict(shape=pattern)),
                    text=_labels(frame[column], "%"), textposition="outside", cliponaxis=False)
    fig.update_yaxes(autorange="reversed")
    fig = _bar_layout(fig, title, x_title, height=max(CHART_HEIGHT, 110 + BAR_ROW_PX * len(frame)))
    if selected:
        fig.update_layout(margin=dict(t=80), legend=dict(y=1.0))
    return fig


def charts(report: ReportData) -> dict[str, go.Figure]:
    """The report's charts (also used by the Streamlit page)."""
    return {
        "stages": stage_chart(report),
        "timeliness": team_chart(report.timeliness, [
            ("% held within 6 months", "Reviews held within 6 months", THIS_COLOUR, ""),
            ("% minutes on time", "Minutes sent within 20 working days", BEFORE_COLOUR, "/")],
            f"Reviews and minutes on time by team, {report.quarter}", "% on time"),
        "quality": team_chart(report.quality, [
            ("% good", "Plans rated good", GOOD_COLOUR, ""),
            ("% inadequate", "Plans rated inadequate", BAD_COLOUR, "x")],
            f"Plan quality by team, {report.quarter}", "% of plans"),
    }


def _chart_div(fig: go.Figure, first: bool, div_id: str) -> str:
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                       default_width=f"{CHART_WIDTH}px", default_height=f"{fig.layout.height or CHART_HEIGHT}px",
                       config={"staticPlot": True, "displayModeBar": False})


def render(report: ReportData) -> str:
    import plotly.offline

    figs = charts(report)
    divs = {name: _chart_div(fig, i == 0, f"chart-{name}") for i, (name, fig) in enumerate(figs.items())}
    plotlyjs = f'<script type="text/javascript">{plotly.offline.get_plotlyjs()}</script>'
    p = report.periods
    e = html.escape
    body = f"""
<section><h2>Summary</h2>
<ul class="commentary">{''.join(f'<li>{e(line)}</li>' for line in report.commentary)}</ul>
</section>
<section><h2>Headline figures</h2>
<p>Each quarter is shown beside the 12 months to the end of it. Percentages show n, the number they are worked out from.</p>
{table_html(headline_display(report), css_class="headline")}
</section>
<section class="break"><h2>Co-production: young people's ratings of their review</h2>
{divs['stages']}
{table_html(report.stages.drop(columns=['Stage']).rename(columns={'What young people rated': 'Stage'}), total_label='All ten stages')}
<p>Forms returned and co-production score by team, {e(p.quarter)}:</p>
{table_html(report.coproduction_teams, total_label=ALL_TEAMS)}
</section>
<section class="break"><h2>Review and minutes timeliness</h2>
{divs['timeliness']}
{table_html(report.timeliness.iloc[:, :7], total_label=ALL_TEAMS)}
{table_html(report.timeliness.iloc[:, [0, 1] + list(range(7, report.timeliness.shape[1]))], total_label=ALL_TEAMS)}
</section>
<section><h2>Plan quality: good and inadequate plans by team</h2>
{divs['quality']}
{table_html(report.quality, total_label=ALL_TEAMS)}
</section>
<section class="break"><h2>About the data</h2>
<ul>{''.join(f'<li>{e(line)}</li>' for line in report.data_notes)}</ul>
{table_html(report.files, total_label='All files', first_text_columns=3)}
<h2>Notes</h2>
<ul class="notes">{''.join(f'<li>{e(line)}</li>' for line in report.notes)}</ul>
</section>
"""
    return PAGE.substitute(title=e(title(report)), authority=e(report.authority), dates=e(dates(report)),
                           previous=e(p.previous), last_year=e(p.last_year), plotlyjs=plotlyjs, body=body,
                           width=CHART_WIDTH, height=CHART_HEIGHT)


def title(report: ReportData) -> str:
    return f"Pathway plans: corporate parenting panel report, {report.quarter}"


def dates(report: ReportData) -> str:
    from .figures import quarter_dates
    return quarter_dates(report.quarter)
