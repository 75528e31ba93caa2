"""The panel report as one self-contained HTML page (print-ready: A4, fixed-size charts).

Charts are inline SVG drawn here (report/charts.py), so the page needs no network and no
JavaScript; the PDF is this page printed by headless Chromium. Tables by team list every
team up to MAX_PRINTED_TEAMS; past that (a national warehouse holds 1,000 teams) the teams
with the lowest figure and the all-teams row, with every team in the workbook and on screen.
"""
from __future__ import annotations

import html
import re
from string import Template

import pandas as pd

from core import palette

from .charts import WIDTH, BarChart, Series, to_plotly, to_svg
from .figures import ALL_STAGES, ALL_TEAMS, ReportData
from . import wording
from .suppression import SUPPRESSED

CHART_WIDTH = WIDTH  # px: the A4 text column
CHART_HEIGHT = 300
# Colour-blind safe pair (Okabe-Ito blue / orange); every bar is also labelled with its value.
THIS_COLOUR, BEFORE_COLOUR = palette.BLUE, palette.ORANGE
GOOD_COLOUR, BAD_COLOUR = palette.BLUISH_GREEN, palette.VERMILLION

PAGE = Template("""<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8">
<title>$title</title>
<style>
  @page { size: A4; margin: 20mm 14mm 18mm 14mm; }
  body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; color: $ink; max-width: 182mm; margin: 0 auto; }
  h1 { font-size: 17pt; margin: 0 0 2mm 0; }
  h2 { font-size: 13pt; margin: 6mm 0 2mm 0; border-bottom: 1px solid $rule; page-break-after: avoid; }
  p.sub { margin: 0 0 4mm 0; color: $muted; }
  p.unfinished { border: 2px solid $warning; padding: 2mm; font-weight: bold; }
  table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm 0; font-size: 8.5pt; page-break-inside: auto; }
  tr { page-break-inside: avoid; }
  th, td { border: 1px solid $border; padding: 1mm 1.5mm; vertical-align: top; }
  th { background: $header_fill; text-align: left; }
  td.num { text-align: right; white-space: nowrap; }
  table.headline td.num { white-space: normal; }
  table.headline td:first-child { width: 24%; }
  tr.total td { font-weight: bold; background: $total_fill; }
  table.teams td:first-child { min-width: 24mm; }
  table.files td:first-child { overflow-wrap: anywhere; }
  .chart { width: ${width}px; margin: 2mm 0; page-break-inside: avoid; }
  .chart svg { display: block; }
  p.selection { font-size: 8.5pt; margin: 1mm 0; color: $muted; }
  ul.commentary li { margin-bottom: 1.5mm; }
  .notes { font-size: 8.5pt; }
  section { page-break-inside: auto; }
  .break { }  /* no forced page break: a forced one left pages mostly blank; headings stay with their charts */
  .keep { page-break-inside: avoid; }  /* a section's heading stays with its chart */
</style>
</head><body>
<h1>$title</h1>
<p class="sub">$authority &middot; $dates &middot; compared with $previous and $last_year</p>
$unfinished
$body
</body></html>
""")


def cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return html.escape(value)
    if isinstance(value, float):
        text = f"{value:,.0f}"
        return "0" if text == "-0" else text  # a change that rounds to nothing is not a fall
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
        out["Change on previous quarter"] = SUPPRESSED if change == SUPPRESSED else change_text(change, row["Unit"])
        rows.append(out)
    return pd.DataFrame(rows)


def change_text(change: float, unit: str) -> str:
    """'+3 points', '-1 point', 'no change' (a percentage's or score's change is in points; a count's is a number)."""
    whole = round(change)
    if whole == 0:
        return "no change"
    if unit == "number":
        return f"{whole:+,}"
    return f"{whole:+,} point" + ("" if abs(whole) == 1 else "s")


def value_text(value, n, unit: str) -> str:
    if isinstance(value, str):
        return SUPPRESSED
    if unit == "number":
        return f"{value:,.0f}"
    suffix = "%" if unit == "%" else ""
    return f"{value:.0f}{suffix} (n = {n:,})" if not isinstance(n, str) else SUPPRESSED


def stage_bars(report: ReportData) -> BarChart:
    """Co-production score by stage, this quarter against the last."""
    frame = report.stages[report.stages["Stage"] != ALL_STAGES]
    names = [f"{s}. {w}" for s, w in zip(frame["Stage"], frame["What young people rated"])]
    series = [Series(label, list(frame[column]), colour, pattern)
              for column, label, colour, pattern in (("Score last quarter", report.periods.previous, BEFORE_COLOUR, "/"),
                                                     ("Score (0-100)", report.quarter, THIS_COLOUR, ""))]
    return BarChart("Co-production score by stage of the review (0 to 100)", names, series, "score (0 to 100)",
                    height=460)


def stage_chart(report: ReportData):
    return to_plotly(_short_stage_names(stage_bars(report)))


def _short_stage_names(chart: BarChart) -> BarChart:
    # plotly does not wrap axis labels: keep them short on screen (the SVG wraps them onto two lines instead).
    chart.categories = [c if len(c) <= 51 else c[:51] + "\u2026" for c in chart.categories]
    return chart


# A chart by team shows at most this many teams, and so does each printed table by team (every team is always in
# the dashboard's table and in the workbook): 1,000 bars in one chart, or 127 pages of team tables, cannot be read,
# and laying them out made a national report's PDF miss its 10 s target.
MAX_CHART_TEAMS = 25
MAX_PRINTED_TEAMS = MAX_CHART_TEAMS
BAR_ROW_PX = 32  # height per team when the chart has to grow to keep its labels legible
ON_SCREEN = "every team is in the table below"
IN_PRINT = "the table below shows the same teams, and every team is in the Excel workbook"


# Second figure that orders teams level on the first, and whether a higher one is worse.
TIE_BREAK = {"% good": ("% inadequate", True), "Score (0-100)": ("% forms returned", False)}
HELD_SHARE = re.compile(r"% held within \d+ months?")  # wording.held_share_column, whatever the review interval


def _tie_break(column: str) -> tuple:
    if HELD_SHARE.fullmatch(column):
        return "% minutes on time", False
    return TIE_BREAK.get(column, (None, False))


def chart_teams(frame: pd.DataFrame, column: str, limit: int = MAX_CHART_TEAMS) -> tuple[pd.DataFrame, bool]:
    """The team rows to chart: all of them, or, when there are more than ``limit``, the ``limit`` teams with the
    lowest shown value of ``column`` (hidden values are never used to rank: a team shown as [c] is not picked).
    Returns the rows (in table order) and whether they are a selection."""
    frame = frame[frame["Team"] != ALL_TEAMS]
    if len(frame) <= limit:
        return frame, False
    shown = frame[[not isinstance(v, str) for v in frame[column]]]
    then, worse_when_higher = _tie_break(column)
    if then in shown:  # ties (many teams at 0% good) go to the worse second figure, a hidden one last
        tie = [float("inf") if isinstance(v, str) else (-float(v) if worse_when_higher else float(v))
               for v in shown[then]]
    else:
        tie = [0.0] * len(shown)
    picked = (shown.assign(_v=shown[column].astype(float), _t=tie)
              .sort_values(["_v", "_t", "Team"], kind="stable").head(limit))
    return frame.loc[frame.index.isin(picked.index)], True


def printed_teams(frame: pd.DataFrame, column: str, limit: int = MAX_PRINTED_TEAMS) -> tuple[pd.DataFrame, int | None]:
    """A table by team as printed: every team, or when there are more than ``limit`` the ``limit`` with the lowest
    shown ``column`` (as ``chart_teams``), always followed by the all-teams row. Only rows are left out, never
    a figure changed, so the printed table publishes a subset of what the workbook does (and is no easier to
    attack). Returns the rows and, when they are a selection, how many teams there are in all."""
    picked, selected = chart_teams(frame, column, limit)
    rows = pd.concat([picked, frame[frame["Team"] == ALL_TEAMS]])
    return rows, (int((frame["Team"] != ALL_TEAMS).sum()) if selected else None)


def team_bars(frame: pd.DataFrame, columns, title: str, x_title: str, every_team: str = ON_SCREEN) -> BarChart:
    teams = frame[frame["Team"] != ALL_TEAMS]
    frame, selected = chart_teams(frame, columns[0][0])
    subtitle = (f"The {len(frame)} of {len(teams):,} teams with the lowest figure for \u201c{columns[0][1]}\u201d; "
                f"{every_team}" if selected else "")
    series = [Series(label, list(frame[column]), colour, pattern, "%") for column, label, colour, pattern in columns]
    return BarChart(title, list(frame["Team"]), series, x_title,
                    height=max(CHART_HEIGHT, 110 + BAR_ROW_PX * len(frame)), subtitle=subtitle)


def team_chart(frame: pd.DataFrame, columns, title: str, x_title: str):
    return to_plotly(team_bars(frame, columns, title, x_title))


def timeliness_columns(report: ReportData) -> list[tuple]:
    """The timeliness chart's two figures (the first one ranks the teams), named with the warehouse's settings."""
    return [(wording.held_share_column(report.review_interval_months),
             wording.reviews_in_time(report.review_interval_months), THIS_COLOUR, ""),
            ("% minutes on time", wording.minutes_in_time(report.minutes_due_working_days), BEFORE_COLOUR, "/")]


QUALITY_COLUMNS = [("% good", "Plans rated good", GOOD_COLOUR, ""),
                   ("% inadequate", "Plans rated inadequate", BAD_COLOUR, "x")]
COPRODUCTION_RANK = ("Score (0-100)", "Score (0-100)")


def chart_specs(report: ReportData, every_team: str = ON_SCREEN) -> dict[str, BarChart]:
    """The report's charts, described once (drawn as SVG in print, with plotly on the dashboard)."""
    return {
        "stages": stage_bars(report),
        "timeliness": team_bars(report.timeliness, timeliness_columns(report),
                                f"Reviews and minutes on time by team, {report.quarter}", "% on time", every_team),
        "quality": team_bars(report.quality, QUALITY_COLUMNS, f"Plan quality by team, {report.quarter}",
                             "% of plans", every_team),
    }


def charts(report: ReportData) -> dict:
    """The report's charts as plotly figures (the Streamlit page)."""
    specs = chart_specs(report)
    specs["stages"] = _short_stage_names(specs["stages"])
    return {name: to_plotly(spec) for name, spec in specs.items()}


def _team_table(frame: pd.DataFrame, rank: str, rank_label: str, columns=None) -> str:
    """A printed table by team (a selection when there are many teams, said in a line above it)."""
    rows, of = printed_teams(frame, rank)
    if columns is not None:
        rows = rows.iloc[:, columns]
    lead = ""
    if of is not None:
        lead = (f'<p class="selection">The {len(rows) - 1} of {of:,} teams with the lowest '
                f'\u201c{html.escape(rank_label)}\u201d, then all teams. Every team is in the Excel workbook '
                f'and on the dashboard\u2019s panel report page.</p>')
    return lead + table_html(rows, total_label=ALL_TEAMS, css_class="teams")


def render(report: ReportData) -> str:
    divs = {name: f'<div class="chart">{to_svg(spec, f"chart-{name}")}</div>'
            for name, spec in chart_specs(report, IN_PRINT).items()}
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
<section class="break"><div class="keep"><h2>Co-production: young people's ratings of their review</h2>
{divs['stages']}</div>
{table_html(report.stages.drop(columns=['Stage']).rename(columns={'What young people rated': 'Stage'}), total_label='All ten stages')}
<p>Forms returned and co-production score by team, {e(p.quarter)}:</p>
{_team_table(report.coproduction_teams, *COPRODUCTION_RANK)}
</section>
{follow_up_section(report)}
{care_leavers_section(report)}
<section class="break"><div class="keep"><h2>Review and minutes timeliness</h2>
{divs['timeliness']}</div>
{_team_table(report.timeliness, *timeliness_columns(report)[0][:2], columns=list(range(7)))}
{_team_table(report.timeliness, *timeliness_columns(report)[0][:2],
             columns=[0, 1] + list(range(7, report.timeliness.shape[1])))}
</section>
<section class="break"><div class="keep"><h2>Plan quality: good and inadequate plans by team</h2>
{divs['quality']}</div>
{_team_table(report.quality, *QUALITY_COLUMNS[0][:2])}
</section>
<section class="break"><h2>About the data</h2>
<ul>{''.join(f'<li>{e(line)}</li>' for line in report.data_notes)}</ul>
{table_html(report.files, total_label='All files', first_text_columns=3, css_class="files")}
<h2>Notes</h2>
<ul class="notes">{''.join(f'<li>{e(line)}</li>' for line in report.notes)}</ul>
</section>
"""
    return PAGE.substitute(title=e(title(report)), authority=e(report.authority), dates=e(dates(report)),
                           previous=e(p.previous), last_year=e(p.last_year), body=body,
                           unfinished=f'<p class="unfinished">{e(report.unfinished)}</p>' if report.unfinished else "",
                           width=CHART_WIDTH, height=CHART_HEIGHT, ink=palette.INK, rule=palette.RULE,
                           muted=palette.MUTED_TEXT, warning=palette.VERMILLION, border=palette.BORDER,
                           header_fill=palette.HEADER_FILL, total_fill=palette.TOTAL_FILL)


def follow_up_intro(report: ReportData) -> str:
    """One line above the follow-up table (the page and the workbook say the same)."""
    return (f"Forms on which the young person rated a stage of their review red or amber, by team, {report.quarter}: "
            "whether the answers were talked through with them, and "
            f"{wording.within_working_days(report.follow_up_working_days)} of the form being returned. The share is of "
            "the forms due a follow-up (see the notes).")


def follow_up_columns(report: ReportData) -> tuple[list[int], list[int], str]:
    """The follow-up table printed as two (counts, then shares), and the column teams are ranked on."""
    columns = list(report.follow_up.columns)
    rank = wording.followed_up_share_column(report.follow_up_working_days)
    first = columns.index("% followed up")
    return list(range(first)), [0, 1] + list(range(first, len(columns))), rank


def follow_up_section(report: ReportData) -> str:
    """Issue 19: the share of forms with red or amber answers followed up in time, by team."""
    if report.follow_up.empty:
        return ""
    counts, shares, rank = follow_up_columns(report)
    return f"""<section class="break"><h2>Red and amber answers followed up with the young person</h2>
<p>{html.escape(follow_up_intro(report))}</p>
{_team_table(report.follow_up, rank, rank, columns=counts)}
{_team_table(report.follow_up, rank, rank, columns=shares)}
</section>"""


CARE_LEAVERS_TITLE = "Care leavers: in touch, suitable accommodation, education, employment or training"


def care_leavers_section(report: ReportData) -> str:
    """Issue 20: care leavers' outcomes by team from the latest care-leaver list of the quarter, or one line saying
    no list is loaded for it. Printed as two tables (counts and shares, then how many not known)."""
    e = html.escape
    if report.care_leavers.empty:
        return f'<section><h2>{e(CARE_LEAVERS_TITLE)}</h2><p>{e(report.care_leavers_note)}</p></section>'
    columns = list(report.care_leavers.columns)
    known = [i for i, c in enumerate(columns) if not c.endswith(": not known")]
    unknown = [0, 1] + [i for i, c in enumerate(columns) if c.endswith(": not known")]
    rank = columns[3]  # % in touch
    return f"""<section class="break"><h2>{e(CARE_LEAVERS_TITLE)}</h2>
<p>{e(report.care_leavers_note)}</p>
{_team_table(report.care_leavers, rank, rank, columns=known)}
{_team_table(report.care_leavers, rank, rank, columns=unknown)}
</section>"""


def title(report: ReportData) -> str:
    return f"Pathway plans: corporate parenting panel report, {quarter_label(report)}"


def quarter_label(report: ReportData) -> str:
    """The quarter as named in titles, headers and sheet headings: marked when it has not ended."""
    return report.quarter + (" (unfinished)" if report.unfinished else "")


def dates(report: ReportData) -> str:
    from .figures import quarter_dates
    return quarter_dates(report.quarter)
