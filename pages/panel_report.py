"""Quarterly corporate parenting panel report: on screen, with PDF and XLSX downloads.

Thin page: the figures (already suppressed) come from report.figures, the charts from
report.html; nothing here reads the warehouse itself or applies a rule.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

import streamlit as st

import report
from report import figures
from report import layout as report_html
from report.suppression import note

from app import access, downloads, page
from core import calendar
from queries.warehouse import Warehouse


# Cached per warehouse handle: its path and version (a load swaps in a new file, a new version).
@st.cache_data(show_spinner=False, max_entries=16)
def _report(db: Warehouse, quarter: str, authority: str | None) -> figures.ReportData:
    return figures.build(db, quarter, authority=authority)


@st.cache_data(show_spinner=False, max_entries=8)
def _file(db: Warehouse, quarter: str, authority: str | None, fmt: str) -> bytes:
    data = _report(db, quarter, authority)
    with tempfile.TemporaryDirectory(prefix="pwp-panel-") as tmp:
        out = report.render(data, fmt, Path(tmp) / f"report.{fmt}")
        return out.read_bytes()


def main() -> None:
    # Admin, manager, IRO and panel; not a team manager, who sees only their own teams. Refused by URL too.
    settings = page.run_settings()
    user = access.require("panel_report", settings)
    st.title("Corporate parenting panel report")
    st.caption("The quarterly report for elected members: aggregates only, small numbers hidden as [c], "
               "no names, identifiers or comments.")
    db = page.bootstrap(page.warehouse(settings), settings)
    found = figures.coverage(db)
    if not found.quarters:
        st.info("No data loaded yet: load your exports first, then the report appears here.")
        st.stop()
    default = calendar.last_complete_quarter(found.today)
    quarters = sorted(found.quarters, reverse=True)
    if default not in quarters:
        default = quarters[0]
    left, right = st.columns(2)
    quarter = left.selectbox("Financial quarter", quarters, index=quarters.index(default),
                             help="Q1 is April to June. The default is the last complete quarter.", key="panel_quarter")
    # One authority's report by default, never a mix of them; with several, the page asks which (all of them
    # together is the last choice).
    several = len(found.authorities) > 1
    choices = found.authorities + (["All authorities"] if several else [])
    chosen = right.selectbox("Local authority", choices, key="panel_authority",
                             help="Which authority's panel report. " + (
                                 "This warehouse holds several: choose yours." if several else ""))
    authority = None if chosen == "All authorities" else chosen
    try:
        data = _report(db, quarter, authority)
    except figures.ReportError as exc:
        st.warning(str(exc))
        st.stop()

    access.log_view(user, "panel_report", {"quarter": quarter, "local_authority": authority}, settings)
    one, two = st.columns(2)
    # Audited buttons; the workbook's cells are formula-safe (report/xlsx.py neutralise_workbook).
    downloads.button("Download PDF (A4)", lambda: _file(db, quarter, authority, "pdf"),
                     report.file_name(data, "pdf"), "application/pdf", key="panel_pdf", where=one)
    downloads.button("Download Excel workbook", lambda: _file(db, quarter, authority, "xlsx"),
                     report.file_name(data, "xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     key="panel_xlsx", where=two)

    st.subheader(f"{data.authority}, {report_html.quarter_label(data)} ({calendar.quarter_dates(quarter)})")
    if data.unfinished:
        st.warning(data.unfinished)
    st.markdown("\n".join(f"- {line}" for line in data.commentary))

    st.subheader("Headline figures")
    st.caption(f"Against {data.periods.previous} and {data.periods.last_year}; each quarter beside the 12 months to it.")
    st.dataframe(report_html.headline_display(data), hide_index=True)

    # theme=None: drawn as in the PDF (its own template, dark labels), not in Streamlit's paler chart theme,
    # whose grey labels beside the bars fall below 4.5:1 contrast (tests/test_browser.py).
    charts = report_html.charts(data)
    st.subheader("Co-production by stage")
    st.plotly_chart(charts["stages"], key="panel_stage_chart", theme=None)
    with st.expander("Table behind this chart"):
        st.dataframe(data.stages.astype(str), hide_index=True)
    st.dataframe(data.coproduction_teams.astype(str), hide_index=True)

    if not data.follow_up.empty:
        st.subheader("Red and amber answers followed up")
        st.caption(report_html.follow_up_intro(data))
        st.dataframe(data.follow_up.astype(str), hide_index=True)

    st.subheader(report_html.CARE_LEAVERS_TITLE)
    st.caption(data.care_leavers_note)
    if not data.care_leavers.empty:
        st.dataframe(data.care_leavers.astype(str), hide_index=True)

    st.subheader("Review and minutes timeliness")
    st.plotly_chart(charts["timeliness"], key="panel_timeliness_chart", theme=None)
    st.dataframe(data.timeliness.astype(str), hide_index=True)

    st.subheader("Plan quality by team")
    st.plotly_chart(charts["quality"], key="panel_quality_chart", theme=None)
    st.dataframe(data.quality.astype(str), hide_index=True)

    st.subheader("About the data")
    st.markdown("\n".join(f"- {line}" for line in data.data_notes))
    st.dataframe(data.files.astype(str), hide_index=True)
    st.caption(note(data.small_number_max))
    with st.expander("Notes"):
        st.markdown("\n".join(f"- {line}" for line in data.notes))


main()
