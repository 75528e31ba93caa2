"""The panel report as an Excel workbook: a sheet per section, native Excel charts, [c] for hidden figures.

Numbers are written as numbers (so a reader can chart or sum them); a hidden figure
is the text [c], which Excel charts leave as a gap. The Notes sheet explains [c].
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core import palette
from core.safe_cells import neutralise, spreadsheet_safe

from .figures import ALL_STAGES, ALL_TEAMS, ReportData
from .layout import CARE_LEAVERS_TITLE, follow_up_intro, quarter_label, timeliness_columns
from .suppression import SUPPRESSED

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor=palette.SHEET_HEADER_FILL.lstrip("#").upper())
TITLE = Font(bold=True, size=14)


def _value(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float):
        return round(value, 1)
    return spreadsheet_safe(value)


def _sheet(wb: Workbook, name: str, report: ReportData, title: str, frame: pd.DataFrame,
           total_label: str | None = None, widths: dict | None = None):
    ws = wb.create_sheet(name)
    ws["A1"] = title
    ws["A1"].font = TITLE
    ws["A2"] = _value(f"{report.authority} · {report.quarter} · [c] = hidden to protect privacy (see Notes)")
    header_row = 4
    for j, column in enumerate(frame.columns, start=1):
        c = ws.cell(row=header_row, column=j, value=_value(str(column)))
        c.font, c.fill = BOLD, HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(frame.itertuples(index=False), start=header_row + 1):
        for j, value in enumerate(row, start=1):
            c = ws.cell(row=i, column=j, value=_value(value))
            if value == SUPPRESSED:
                c.alignment = Alignment(horizontal="right")
            if total_label is not None and row[0] == total_label:
                c.font = BOLD
    for j, column in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = (widths or {}).get(column, 14 if j > 1 else 30)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=2)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.oddHeader.center.text = _value(f"{report.authority} · {quarter_label(report)}")
    ws.oddFooter.right.text = "Page &P of &N"
    return ws, header_row


def _bar_chart(ws, title: str, header_row: int, n_rows: int, value_columns: list[int], anchor: str,
               y_title: str, height: float = 9, width: float = 18):
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = title
    chart.y_axis.title = y_title
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.x_axis.scaling.orientation = "maxMin"  # first row at the top, as in the table
    for column in value_columns:
        data = Reference(ws, min_col=column, min_row=header_row, max_row=header_row + n_rows)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=header_row + 1, max_row=header_row + n_rows))
    chart.height, chart.width = height, width
    ws.add_chart(chart, anchor)


def write(report: ReportData, out_path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)

    summary = wb.create_sheet("Summary")
    summary["A1"] = f"Pathway plans: corporate parenting panel report, {quarter_label(report)}"
    summary["A1"].font = TITLE
    summary["A2"] = _value(report.authority)
    if report.unfinished:
        summary["A3"] = _value(report.unfinished)
        summary["A3"].font = BOLD
    summary["A4"] = "What the figures say"
    summary["A4"].font = BOLD
    for i, line in enumerate(report.commentary, start=5):
        summary.cell(row=i, column=1, value=_value(line)).alignment = Alignment(wrap_text=True)
    summary.column_dimensions["A"].width = 120

    # Headline: a value column and an n column per period, numbers kept as numbers.
    p = report.periods
    columns = ["Measure", "Unit"]
    for period in p.all_periods:
        columns += [period, f"n: {period}"]
    columns.append("Change on previous quarter")
    headline = report.headline[columns].copy()
    _sheet(wb, "Headline", report, "Headline figures: this quarter against the previous one and the same "
           "quarter last year, each with the 12 months to it", headline, widths={"Measure": 48, "Unit": 8})

    stages = report.stages.copy()
    stages["Stage"] = [s if s == ALL_STAGES else f"{s}. {w}" for s, w in zip(stages["Stage"],
                                                                             stages["What young people rated"])]
    stages = stages.drop(columns=["What young people rated"])
    ws, hr = _sheet(wb, "Co-production by stage", report,
                    f"Co-production: young people's ratings of each stage of their review, {report.quarter}",
                    stages, total_label=ALL_STAGES, widths={"Stage": 60})
    score_col = list(stages.columns).index("Score (0-100)") + 1
    last_col = list(stages.columns).index("Score last quarter") + 1
    _bar_chart(ws, "Co-production score by stage (0 to 100)", hr, len(stages) - 1, [last_col, score_col],
               f"A{hr + len(stages) + 3}", "score (0 to 100)", height=12)

    ws, hr = _sheet(wb, "Co-production by team", report,
                    f"Forms returned and co-production score by team, {report.quarter}", report.coproduction_teams,
                    total_label=ALL_TEAMS)
    cols = list(report.coproduction_teams.columns)
    _bar_chart(ws, "Forms returned (%) and co-production score by team", hr, len(report.coproduction_teams) - 1,
               [cols.index("% forms returned") + 1, cols.index("Score (0-100)") + 1],
               f"A{hr + len(report.coproduction_teams) + 3}", "% or score")

    if not report.follow_up.empty:  # issue 19
        ws, hr = _sheet(wb, "Follow-up by team", report, "Red and amber answers followed up with the young person, "
                        f"by team, {report.quarter}", report.follow_up, total_label=ALL_TEAMS)
        ws["A3"] = _value(follow_up_intro(report))

    # issue 20: the outcomes by team, or the line saying no list is loaded
    ws, hr = _sheet(wb, "Care leavers", report, f"{CARE_LEAVERS_TITLE}, by team, {report.quarter}",
                    report.care_leavers, total_label=ALL_TEAMS)
    ws["A3"] = _value(report.care_leavers_note)

    ws, hr = _sheet(wb, "Timeliness", report, f"Reviews and minutes on time by team, {report.quarter}",
                    report.timeliness, total_label=ALL_TEAMS)
    cols = list(report.timeliness.columns)
    (held, held_label, *_), (minutes, minutes_label, *_) = timeliness_columns(report)
    _bar_chart(ws, f"{held_label} and {minutes_label[0].lower() + minutes_label[1:]} (%)", hr,
               len(report.timeliness) - 1, [cols.index(held) + 1, cols.index(minutes) + 1],
               f"A{hr + len(report.timeliness) + 3}", "% on time")

    ws, hr = _sheet(wb, "Plan quality", report, f"Plan quality by team, {report.quarter}", report.quality,
                    total_label=ALL_TEAMS)
    cols = list(report.quality.columns)
    _bar_chart(ws, "Plans rated good and inadequate (%)", hr, len(report.quality) - 1,
               [cols.index("% good") + 1, cols.index("% inadequate") + 1],
               f"A{hr + len(report.quality) + 3}", "% of plans")

    ws, hr = _sheet(wb, "Data quality", report, "What was loaded and what was rejected", report.files,
                    total_label="All files", widths={"File": 40, "Kind of export": 24})
    for i, line in enumerate(report.data_notes, start=hr + len(report.files) + 2):
        ws.cell(row=i, column=1, value=_value(line))

    notes = wb.create_sheet("Notes")
    notes["A1"] = "Notes: reading this workbook"
    notes["A1"].font = TITLE
    notes["A3"] = "[c]"
    notes["A3"].font = BOLD
    for i, line in enumerate(report.notes, start=3):
        notes.cell(row=i, column=2, value=_value(line)).alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 8
    notes.column_dimensions["B"].width = 110
    neutralise_workbook(wb)
    wb.save(out_path)


def neutralise_workbook(wb: Workbook) -> None:
    """No cell may start a formula (=, +, -, @, tab, CR): team, authority and file names come from exports."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = neutralise(cell.value)
