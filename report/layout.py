"""How the panel report is laid out, the same in every format: which figures each chart and table by team shows
(and which teams when there are many), the headline as text, titles and headings. The renderers only draw it:
html.py (and the PDF printed from it), xlsx.py, and the dashboard's Panel report page.
"""
from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

from core import palette
from core.calendar import quarter_dates

from . import wording
from .charts import WIDTH, BarChart, Series, to_plotly
from .figures import ALL_STAGES, ALL_TEAMS, ReportData
from .suppression import SUPPRESSED

CHART_WIDTH = WIDTH  # px: the A4 text column
CHART_HEIGHT = 300
# Colour-blind safe pair (Okabe-Ito blue / orange); every bar is also labelled with its value.
THIS_COLOUR, BEFORE_COLOUR = palette.BLUE, palette.ORANGE
GOOD_COLOUR, BAD_COLOUR = palette.BLUISH_GREEN, palette.VERMILLION


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


# In print a chart by team is cut into parts of at most this many teams, each a block of its own (a third of a page
# or less), so a tall chart never pushes the rest of a page blank; rows are a little tighter than on screen.
PRINT_PART_TEAMS = 10
PRINT_ROW_PX = 24


def print_parts(chart: BarChart) -> list[BarChart]:
    """A chart as printed: itself, or when it has more than PRINT_PART_TEAMS bars, balanced parts, the later ones
    titled as continued (each part keeps its legend and axis, so it reads on its own)."""
    n = len(chart.categories)
    if n <= PRINT_PART_TEAMS:
        return [chart]
    count = -(-n // PRINT_PART_TEAMS)
    bounds = [round(i * n / count) for i in range(count + 1)]
    return [replace(chart, title=chart.title if i == 0 else f"{chart.title} (continued)",
                    subtitle=chart.subtitle if i == 0 else "", categories=chart.categories[a:b],
                    series=[replace(s, values=s.values[a:b]) for s in chart.series],
                    height=max(CHART_HEIGHT // 2, 110 + PRINT_ROW_PX * (b - a)))
            for i, (a, b) in enumerate(zip(bounds, bounds[1:]))]


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


CARE_LEAVERS_TITLE = "Care leavers: in touch, suitable accommodation, education, employment or training"


def title(report: ReportData) -> str:
    return f"Pathway plans: corporate parenting panel report, {quarter_label(report)}"


def quarter_label(report: ReportData) -> str:
    """The quarter as named in titles, headers and sheet headings: marked when it has not ended."""
    return report.quarter + (" (unfinished)" if report.unfinished else "")


def dates(report: ReportData) -> str:
    return quarter_dates(report.quarter)
