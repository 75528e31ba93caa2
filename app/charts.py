"""Every chart with the table behind it one click away, downloadable as CSV."""
from __future__ import annotations

import itertools
import math
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from core import wording
from core.safe_cells import csv_bytes

from . import downloads, style


def finish(fig: go.Figure, title: str, height: int | None = None) -> go.Figure:
    distinct_markers(fig)
    readable_bars(fig)
    fig.update_layout(style.CHART_LAYOUT)
    fig.update_xaxes(style.X_AXIS)
    fig.update_yaxes(style.Y_AXIS)
    # The legend sits in a row above the plot, under the title: never over the bars, lines or axis labels.
    fig.update_layout(title={"text": title}, colorway=style.SEQUENCE, legend_title_text="",
                      font={"size": style.MIN_LABEL_PX + 1},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
                      uniformtext={"minsize": style.MIN_BAR_TEXT_PX, "mode": "hide"},
                      margin={"t": 100, **room_for_labels(fig)}, **({"height": height} if height else {}))
    return fig


# Room for axis labels, in px, at the charts' 12 px font (Source Sans, measured in Chromium): narrow characters about
# 3.2 px wide, wide ones 9.5, the rest 6.4; the height of a line of labels; an axis title with its gap (14 px text,
# standoff 20-24 px); numbers on a value axis ("1,000", "100").
NARROW, WIDE = set(" .,:;'()-/|!ifjlrtI"), set("mwMW%&…")
LABEL_LINE_PX = 16
AXIS_TITLE_PX = 40
NUMBER_LABEL_PX = 40
COLOUR_BAR_PX = 90              # a heat map's colour bar and its labels, on the right


def label_px(text: str) -> float:
    """About how wide a label is drawn, in px (a little over rather than under)."""
    return 1.05 * sum(3.2 if c in NARROW else 9.5 if c in WIDE else 6.4 for c in text)


def _axis_labels(fig: go.Figure, axis: str) -> list[list[str]]:
    """The category labels on an axis ("x", "x2", "y" ...), one list per row of labels (a two-level axis has two);
    [] when its values are numbers."""
    rows: list[list[str]] = []
    for trace in fig.data:
        if (getattr(trace, axis[0] + "axis", None) or axis[0]) != axis:
            continue
        values = getattr(trace, axis[0], None)
        if values is None or len(values) == 0:
            continue
        levels = values if isinstance(values[0], (list, tuple)) else [values]      # multicategory: [groups, items]
        for level, labels in enumerate(levels):
            if not any(isinstance(v, str) for v in labels):
                continue
            while len(rows) <= level:
                rows.append([])
            rows[level] += [str(v) for v in labels]
    return rows


def room_for_labels(fig: go.Figure) -> dict:
    """Margins (l, r, b) wide enough for every axis's labels and title, worked out from the labels' lengths. An axis
    whose labels do not fit widens the margin itself (automargin), but only after drawing: plotly then draws the
    whole chart a second time, about a third of what a chart costs the browser (bench/RESULTS.md). Generous by
    design: a margin too wide wastes a little space, one too narrow only costs that second drawing."""
    layout = fig.layout
    left, bottom = NUMBER_LABEL_PX, LABEL_LINE_PX
    for name in [k for k in layout.to_plotly_json() if k.startswith(("xaxis", "yaxis"))] or ["xaxis", "yaxis"]:
        axis = layout[name]
        short = name.replace("axis", "")
        rows = _axis_labels(fig, short)
        longest = [max(label_px(label) for label in row) for row in rows if row]
        titled = AXIS_TITLE_PX if axis.title.text else 0
        if name.startswith("y"):
            left = max(left, (max(longest) + 40 if longest else NUMBER_LABEL_PX) + titled)
        elif longest:
            angle = axis.tickangle
            # plotly turns category labels that do not fit side by side by 30 degrees (or by the angle set); on a
            # two-level axis only the inner labels turn, the groups' names sit in a line under them
            turn = abs(angle) if isinstance(angle, (int, float)) else 30
            inner = longest[-1] * math.sin(math.radians(turn)) + LABEL_LINE_PX
            bottom = max(bottom, inner + (LABEL_LINE_PX + 8) * (len(longest) - 1) + 16 + titled)
        else:
            bottom = max(bottom, LABEL_LINE_PX + 16 + titled)
    right = COLOUR_BAR_PX if any(t.type == "heatmap" and t.showscale is not False for t in fig.data) else 10
    return {"l": round(left), "r": right, "b": round(bottom)}


def whole_numbers(fig: go.Figure, top: float, axis: str = "y") -> go.Figure:
    """An axis of counts: whole numbers only (plotly steps a short axis by 0.2), starting at 0."""
    steps = {"tickformat": ",d", "rangemode": "tozero", **({"dtick": 1} if top <= 6 else {})}
    (fig.update_yaxes if axis == "y" else fig.update_xaxes)(**steps)
    return fig


def small_multiples(df: pd.DataFrame, x: str, y: str, group: str, custom: list[str], hover: str, y_title: str,
                    y_range: list | None = None, columns: int = 3, panel_height: int = 210) -> go.Figure:
    """One small chart per group (e.g. per stage), on the same axes, in the order the groups first appear: ten
    lines in one chart tangle and repeat colours; ten panels of one line each read at a glance."""
    from plotly.subplots import make_subplots
    groups = list(pd.unique(df[group]))
    rows = -(-len(groups) // columns)
    titles = [str(g) if len(str(g)) <= 42 else str(g)[:40].rstrip() + "…" for g in groups]
    fig = make_subplots(rows=rows, cols=columns, subplot_titles=titles, shared_yaxes=True, shared_xaxes="all",
                        vertical_spacing=min(0.5 / rows, 0.12), horizontal_spacing=0.04)
    quarters = sorted(pd.unique(df[x]))
    for i, name in enumerate(groups):
        part = df[df[group] == name]
        fig.add_trace(go.Scatter(x=part[x].tolist(), y=part[y].tolist(), name=str(name), mode="lines+markers",
                                 showlegend=False, line={"color": style.BLUE}, marker={"color": style.BLUE},
                                 customdata=part[custom].to_numpy().tolist(),
                                 hovertemplate=f"{name}<br>{hover}<extra></extra>"),
                      row=i // columns + 1, col=i % columns + 1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=quarters, tickangle=-45)
    fig.update_yaxes(**({"range": y_range} if y_range else {}))
    for r in range(1, rows + 1):
        fig.update_yaxes(title_text=y_title, row=r, col=1)
    fig.update_annotations(font={"size": style.MIN_LABEL_PX + 1})
    fig.update_layout(height=120 + panel_height * rows)
    return fig


def distinct_markers(fig: go.Figure) -> go.Figure:
    """Give each line series a marker shape of its own (the same one in every facet), so lines differ without
    colour; plotly's default repeats after five series."""
    names: list[str] = []
    for trace in fig.data:
        if trace.type == "scatter" and trace.mode and "markers" in trace.mode:
            if trace.name not in names:
                names.append(trace.name)
            trace.marker.symbol = style.SYMBOLS[names.index(trace.name) % len(style.SYMBOLS)]
    return fig


def readable_bars(fig: go.Figure) -> go.Figure:
    """Patterns over the bar's colour, and the text inside a bar dark or white, whichever reads better on it."""
    for trace in fig.data:
        if trace.type != "bar" or not isinstance(trace.marker.color, str):
            continue
        if trace.marker.pattern.shape:
            trace.marker.pattern.update(style.PATTERN_OVER_COLOUR)
        trace.insidetextfont = {"color": style.text_on(trace.marker.color)}
    return fig


# A table on the page shows at most this many rows (sending hundreds of thousands of rows to the browser on every
# rerun is slow and no one reads them there); its CSV download always has every row.
SHOWN_ROWS = 2_000


def heat_map(long: pd.DataFrame, rows: str, columns: str, value: str, text: str, row_order: list,
             colour_scale, value_range: tuple[float, float], colour_title: str, hover: str) -> go.Figure:
    """A grid chart from long rows, one per cell (plotly needs the grid, so the spreading lives here, not in a
    page); rows in `row_order` from the top, each cell's `text` written in it at a readable size."""
    z = long.pivot(index=rows, columns=columns, values=value).reindex(row_order)
    cells = long.pivot(index=rows, columns=columns, values=text).reindex(row_order)
    fig = go.Figure(go.Heatmap(z=z.values, x=list(z.columns), y=list(z.index), text=cells.values.tolist(),
                               texttemplate="%{text}", textfont={"size": style.MIN_LABEL_PX + 1},
                               colorscale=colour_scale, zmin=value_range[0], zmax=value_range[1],
                               colorbar={"title": colour_title}, hovertemplate=hover))
    fig.update_yaxes(autorange="reversed")
    return fig


@dataclass(frozen=True)
class Table:
    """A table made ready to draw: every row (for the download) and the rows shown, already in Arrow form (what
    st.dataframe sends), so a rerun does not convert them again. Built once per section (Context.section)."""
    df: pd.DataFrame
    shown: "pa.Table | pd.DataFrame"
    shown_rows: int
    total: int
    file_name: str
    column_config: dict | None = None


def prepare_table(df: pd.DataFrame, file_name: str, column_config: dict | None = None,
                  total: int | None = None) -> Table:
    """`total`: the length of the whole list when `df` is only its first rows (a query run with a limit)."""
    shown = df.head(SHOWN_ROWS).reset_index(drop=True)
    rows = len(shown)
    try:
        shown = pa.Table.from_pandas(shown, preserve_index=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass          # mixed types in a column: st.dataframe converts the frame itself
    return Table(df, shown, rows, len(df) if total is None else int(total), file_name, column_config)


def draw_table(table: Table, key: str, full: Callable[[], pd.DataFrame] | None = None, hide_index: bool = True,
               **kwargs):
    """The table with its CSV download button (formula-safe, and audited). When the table is only the first rows
    of a longer list, a note says so, and `full()` fetches the whole list, only when the download is clicked."""
    kwargs.setdefault("placeholder", "")      # a blank date or figure shows blank, never "None"
    event = st.dataframe(table.shown, hide_index=hide_index, column_config=table.column_config, key=f"{key}_df",
                         **kwargs)
    if table.total > table.shown_rows:
        st.caption(f"Showing the first {table.shown_rows:,} of {table.total:,} rows; the download has every row.")
    if full is not None and table.total > len(table.df):
        downloads.button("Download this table (CSV)", lambda: csv_bytes(full()), f"{table.file_name}.csv",
                         "text/csv", key=f"{key}_csv", rows=table.total)
    else:
        downloads.csv_button("Download this table (CSV)", table.df, f"{table.file_name}.csv", key=f"{key}_csv")
    return event


def table(df: pd.DataFrame, file_name: str, key: str, column_config: dict | None = None, hide_index: bool = True,
          total: int | None = None, full: Callable[[], pd.DataFrame] | None = None, **kwargs):
    """prepare_table then draw_table, for a table that is cheap to prepare on every rerun."""
    return draw_table(prepare_table(df, file_name, column_config, total), key, full=full, hide_index=hide_index,
                      **kwargs)


@contextmanager
def folded(label: str, key: str) -> Iterator[bool]:
    """An expander whose contents are built only while it is open: `with folded(...) as shown: if shown: draw...`.
    Opening it reruns the page (the server has the table ready: about 0.05 s). A closed expander holding a table made
    every page view send the table and build its grid in the browser, for the few who open it (bench/RESULTS.md,
    "Browser-side cost of a page"). Its key (`<key>_table`) marks it on the page (class st-key-<key>_table)."""
    box = st.expander(label, key=f"{key}_table", on_change="rerun")
    with box:
        yield bool(box.open)


@dataclass(frozen=True)
class Chart:
    """A finished figure (titled, markers and bar text made readable) and the table behind it. A selectable chart
    tells the page which bar was clicked (draw_chart returns the selection)."""
    fig: go.Figure
    table: Table
    title: str
    caption: str | None = None
    selectable: bool = False


_REVISIONS = itertools.count(1)


class FinishedFigure(go.Figure):
    """A figure that is finished: drawn again on every rerun, never changed. st.plotly_chart sends fig.to_dict(),
    which plotly makes afresh each time (a deep copy of the whole figure, arrays re-encoded); here it is made once.
    Nothing may change the figure after it is finished (prepare_chart does this last).

    What is sent lets the browser draw the chart once, not twice: Streamlit's front end copies a figure after its
    first drawing, and plotly.js then draws it again from scratch unless the copy is plainly the same figure. So it
    carries no template (its look is in its own layout, style.CHART_LAYOUT) and a data revision of its own (plotly
    then compares that number instead of treating every copied array as new data)."""

    def to_dict(self):
        if getattr(self, "_finished_dict", None) is None:
            figure = super().to_dict()
            figure["layout"].pop("template", None)
            figure["layout"]["datarevision"] = next(_REVISIONS)
            self._finished_dict = figure
        return self._finished_dict


def prepare_chart(fig: go.Figure, df: pd.DataFrame, title: str, file_name: str, column_config: dict | None = None,
                  caption: str | None = None, selectable: bool = False) -> Chart:
    """`caption` (under the chart) says what the chart leaves out, e.g. teams beyond the MAX_TEAMS most in need.
    `selectable`: a click on a bar is reported to the page (draw_chart returns it)."""
    finish(fig, title)
    if selectable:
        # What Streamlit's front end would set for a clickable chart, set here: else it changes the layout after the
        # first drawing, and plotly draws the chart again.
        fig.update_layout(clickmode="event+select", hovermode="closest", dragmode="pan")
    fig.__class__ = FinishedFigure      # same object, same data: only to_dict is remembered from now on
    return Chart(fig, prepare_table(df, file_name, column_config), title, caption, selectable)


# The chart's toolbar keeps saving a picture and Streamlit's full screen: the axes are fixed (style.X_AXIS), so zoom and
# pan buttons would do nothing, and each button is built in every chart on every page view.
CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": [
    "zoom2d", "pan2d", "select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d"]}


def draw_chart(chart: Chart, key: str):
    """Draw the chart (titled in plain English), then the table behind it, with a CSV download, one click away.
    Returns the chart's selection when the chart is selectable."""
    kwargs = {"on_select": "rerun", "selection_mode": "points"} if chart.selectable else {}
    # theme=None: the figure brings its own look (FinishedFigure)
    event = st.plotly_chart(chart.fig, key=f"{key}_chart", config=CHART_CONFIG, theme=None, **kwargs)
    if chart.caption:
        st.caption(chart.caption)
    with folded(f"Table behind this chart: {chart.title}", key) as shown:
        if shown:
            draw_table(chart.table, key)
    return event


def chart_with_table(fig: go.Figure, df: pd.DataFrame, title: str, file_name: str, key: str | None = None,
                     selectable: bool = False, column_config: dict | None = None, caption: str | None = None):
    """prepare_chart then draw_chart, for a chart that is cheap to build on every rerun."""
    return draw_chart(prepare_chart(fig, df, title, file_name, column_config, caption, selectable), key or file_name)


def n_label(value, n, too_small, fmt: str = "{:.0f}%") -> str:
    """Bar text like '72% (n=40)'; a cohort of 1-4 gets a mark and the note below the chart."""
    if pd.isna(value):
        return ""
    mark = style.TOO_SMALL_MARK if bool(too_small) else ""
    return f"{fmt.format(value)} (n={int(n)}){mark}"


def any_too_small(df: pd.DataFrame, column: str = "too_small") -> bool:
    return bool(column in df and df[column].fillna(False).astype(bool).any())


def too_small_caption(shown: bool, small_number_max: int) -> None:
    """The note under a chart with a group of 1 to small_number_max (any_too_small, worked out when the chart was
    built)."""
    if shown:
        st.caption("\\* " + wording.too_small_note(small_number_max))


def plain_columns(df: pd.DataFrame, names: dict) -> pd.DataFrame:
    """Keep and rename columns for people (plain English headers); booleans 'too small' as Yes/blank."""
    out = df[[c for c in names if c in df.columns]].rename(columns=names)
    for col in out.columns:
        if col.lower().startswith("too small"):
            out[col] = out[col].map(lambda v: "Yes" if bool(v) else "")
    return out


# --- charts that would draw one series per team --------------------------------------------------------------------
# With hundreds of teams (1,000 at national scale) a series, bar or facet per team is unreadable and slow to build
# (plotly builds each trace in Python). Such charts draw the teams most in need (or the teams chosen, when few),
# and say so; the table behind the chart always has every team.
MAX_TEAMS = 12


def team_ratio(df: pd.DataFrame, numerator: str | pd.Series, denominator: str, team: str = "team") -> pd.Series:
    """Per team, sum(numerator) / sum(denominator) over its rows (a column name, or values row by row):
    e.g. the share of reviews late, or a score weighted by its ratings."""
    top = df[numerator] if isinstance(numerator, str) else numerator
    totals = df.groupby(team)[denominator].sum()
    return top.groupby(df[team]).sum().reindex(totals.index) / totals.where(totals > 0)


def focus_teams(df: pd.DataFrame, need: pd.Series, why: str, team: str = "team", n: int = MAX_TEAMS,
                small: pd.Series | None = None, keep: tuple[str, ...] = ("All teams",)) -> tuple[pd.DataFrame, str | None]:
    """The rows of at most `n` teams for a chart: all of them when there are few, else the `n` most in need
    (highest `need`; teams too small to compare, then teams with no figure, come last). Rows whose team is in
    `keep` (the all-teams total) always stay. Returns the rows and a caption saying what was left out (or None)."""
    teams = [t for t in pd.unique(df[team]) if t not in keep and pd.notna(t)]
    if len(teams) <= n:
        return df, None
    order = pd.DataFrame({"need": need.reindex(teams)}, index=teams)
    order["small"] = small.reindex(teams).fillna(False).astype(bool) if small is not None else False
    order["unknown"] = order["need"].isna()
    order = order.sort_values(["small", "unknown", "need"], ascending=[True, True, False], kind="stable")
    shown = list(order.index[:n])
    caption = (f"The chart shows the {n} teams {why}, out of {len(teams):,}; choose teams in the sidebar to see "
               f"others. Every team is in the table behind the chart.")
    return df[df[team].isin(shown + list(keep))], caption


def too_small_teams(df: pd.DataFrame, column: str = "too_small", team: str = "team") -> pd.Series:
    """Per team: is every row of it too small to compare?"""
    return df[column].fillna(False).astype(bool).groupby(df[team]).all()


def stacked_by_group(df: pd.DataFrame, group: str, x: str, part: str, y: str, colours: dict, patterns: dict,
                     y_title: str, hover: str, custom: list[str]) -> go.Figure:
    """Stacked bars on a two-level axis (e.g. each team's quarters side by side): one trace per part (colour and
    pattern, labelled with its %), however many groups; cheap to build, unlike a subplot per group."""
    df = df.sort_values([group, x], kind="stable")
    fig = go.Figure()
    for name, colour in colours.items():
        rows = df[df[part] == name]
        if rows.empty:
            continue
        fig.add_trace(go.Bar(
            x=[rows[group].tolist(), rows[x].tolist()], y=rows[y].tolist(), name=name,
            text=[f"{v:.0f}%" for v in rows[y]], textposition="inside", customdata=rows[custom].to_numpy().tolist(),
            hovertemplate=f"{hover}<extra>{name}</extra>",
            marker={"color": colour, "pattern": {"shape": patterns.get(name, "")}}))
    fig.update_layout(barmode="stack", yaxis_title=y_title, height=480)
    fig.update_xaxes(tickangle=-90)
    return fig


def lines(df: pd.DataFrame, x: str, y: str, group: str, custom: list[str], hover: str, x_title: str, y_title: str,
          colours: dict | None = None, y_range: list | None = None) -> go.Figure:
    """A line with markers per group (in the order the groups first appear), quarters in order along x.
    Built from plotly's graph objects: plotly express takes ~30 ms a series here, which adds up on every rerun."""
    fig = go.Figure()
    for name in pd.unique(df[group]):
        rows = df[df[group] == name]
        fig.add_trace(go.Scatter(
            x=rows[x].tolist(), y=rows[y].tolist(), name=str(name), mode="lines+markers",
            customdata=rows[custom].to_numpy().tolist(), hovertemplate=f"{hover}<extra>{name}</extra>",
            **({"line": {"color": colours[name]}} if colours and name in colours else {})))
    fig.update_xaxes(title=x_title, type="category", categoryorder="category ascending")
    fig.update_yaxes(title=y_title, **({"range": y_range} if y_range else {}))
    return fig


def bars(df: pd.DataFrame, part: str, colours: dict, x: str, y: str, text: str, custom: list[str], hover: str,
         patterns: dict | None = None, orientation: str = "v", categories: list | None = None,
         x_title: str = "", y_title: str = "", barmode: str = "stack") -> go.Figure:
    """Bars with one trace per part (e.g. Red / Amber / Green), each its own colour and pattern and named in the
    legend, in the order of `colours`; `categories` orders the bars (top to bottom when horizontal). Built from
    plotly's graph objects: plotly express costs ~0.1 s a chart here."""
    fig = go.Figure()
    for name, colour in colours.items():
        rows = df[df[part] == name]
        if rows.empty:
            continue
        fig.add_trace(go.Bar(
            x=rows[x].tolist(), y=rows[y].tolist(), name=str(name), legendgroup=str(name), orientation=orientation,
            text=rows[text].tolist(), customdata=rows[custom].to_numpy().tolist(), hovertemplate=f"{hover}<extra></extra>",
            marker={"color": colour, "pattern": {"shape": (patterns or {}).get(name, "")}}))
    fig.update_layout(barmode=barmode, xaxis_title=x_title, yaxis_title=y_title, legend_title_text="")
    if categories is not None:
        axis = fig.update_yaxes if orientation == "h" else fig.update_xaxes
        axis(categoryorder="array", categoryarray=list(categories)[::-1] if orientation == "h" else list(categories))
    return fig


def single_bars(df: pd.DataFrame, x: str, y: str, text: str, colour: str, x_title: str = "", y_title: str = "",
                pattern: str = "", hover: str | None = None) -> go.Figure:
    """One series of bars (one colour, one pattern), labelled with `text`."""
    fig = go.Figure(go.Bar(x=df[x].tolist(), y=df[y].tolist(), text=df[text].tolist(), name="", showlegend=False,
                           hovertemplate=hover or "%{x}: %{text}<extra></extra>",
                           marker={"color": colour, "pattern": {"shape": pattern}}))
    fig.update_layout(xaxis_title=x_title, yaxis_title=y_title)
    return fig
