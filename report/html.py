"""The panel report drawn as one self-contained HTML page (print-ready: A4, fixed-size charts).

Charts are inline SVG (report/charts.py), so the page needs no network and no JavaScript; the PDF is this page
printed by headless Chromium. What each chart and table shows is report/layout.py's: tables by team list every team
up to MAX_PRINTED_TEAMS; past that (a national warehouse holds 1,000 teams) the teams with the lowest figure and the
all-teams row, with every team in the workbook and on screen.
"""
from __future__ import annotations

import html
from string import Template

import pandas as pd

from core import palette

from .charts import to_svg
from .figures import ALL_TEAMS, ReportData
from .layout import (CARE_LEAVERS_TITLE, CHART_HEIGHT, CHART_WIDTH, COPRODUCTION_RANK, IN_PRINT, QUALITY_COLUMNS,
                     chart_specs, dates, follow_up_columns, print_parts, follow_up_intro, headline_display, printed_teams,
                     timeliness_columns, title)

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
    # a tall chart by team in parts (layout.print_parts): the heading keeps with the first, the others follow
    parts = {name: [f'<div class="chart">{to_svg(part, f"chart-{name}-{i}" if i else f"chart-{name}")}</div>'
                    for i, part in enumerate(print_parts(spec))]
             for name, spec in chart_specs(report, IN_PRINT).items()}
    divs = {name: drawn[0] for name, drawn in parts.items()}
    more = {name: "".join(drawn[1:]) for name, drawn in parts.items()}
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
{divs['stages']}</div>{more['stages']}
{table_html(report.stages.drop(columns=['Stage']).rename(columns={'What young people rated': 'Stage'}), total_label='All ten stages')}
<p>Forms returned and co-production score by team, {e(p.quarter)}:</p>
{_team_table(report.coproduction_teams, *COPRODUCTION_RANK)}
</section>
{follow_up_section(report)}
{care_leavers_section(report)}
<section class="break"><div class="keep"><h2>Review and minutes timeliness</h2>
{divs['timeliness']}</div>{more['timeliness']}
{_team_table(report.timeliness, *timeliness_columns(report)[0][:2], columns=list(range(7)))}
{_team_table(report.timeliness, *timeliness_columns(report)[0][:2],
             columns=[0, 1] + list(range(7, report.timeliness.shape[1])))}
</section>
<section class="break"><div class="keep"><h2>Plan quality: good and inadequate plans by team</h2>
{divs['quality']}</div>{more['quality']}
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
