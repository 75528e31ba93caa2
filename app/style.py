"""The dashboard's labels, patterns and colour choices; the colours themselves are core/palette.py's, shared with the
panel report. Red / amber / green are never shown by colour alone: bars carry text labels and patterns."""
from __future__ import annotations

# Pages name the colours they draw with through this module (style.BLUE): one import for a page's look.
from core.palette import (BLUE, BLUISH_GREEN, DARK_TEXT, GREY, MUTED_TEXT, ORANGE, SEQUENCE, SKY_BLUE,  # noqa: F401
                          VERMILLION, text_on)

# Patterns are drawn over the bar's colour (plotly's default draws them on white, losing both the colour and any
# white label inside): thin, half-transparent white lines.
PATTERN_OVER_COLOUR = {"fillmode": "overlay", "fgcolor": "#FFFFFF", "fgopacity": 0.55, "size": 8, "solidity": 0.25}
# Text too small to read is left off a bar rather than shrunk to fit (the table and hover still give it).
MIN_BAR_TEXT_PX = 11
# No text on a chart smaller than this (axis labels, heat-map cells, panel titles): read at a glance (issue 22).
MIN_LABEL_PX = 11


# Lines are told apart by marker shape as well as colour: one shape per series (plotly's own list has five).
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "triangle-down", "cross", "hexagon",
           "pentagon", "circle-open", "square-open", "diamond-open", "triangle-up-open", "star-open"]

# Colours and patterns are keyed by code (red, good, ...); the words shown are the queries' labels (<code>_label
# columns, written once in queries/sql/_scope.sql), matched up by by_label().
RAG_COLOURS = {"red": VERMILLION, "amber": ORANGE, "green": BLUISH_GREEN}
RAG_PATTERNS = {"red": "x", "amber": "/", "green": ""}

MINUTES_COLOURS = {"Sent on time": BLUISH_GREEN, "Sent late": ORANGE,
                   "Not sent and overdue": VERMILLION, "Not sent yet, not due": SKY_BLUE}
MINUTES_PATTERNS = {"Sent on time": "", "Sent late": "/", "Not sent and overdue": "x", "Not sent yet, not due": "."}

# The overall grades of a plan (SPEC 3.1) and the verdicts of its indicators. Each grade has its own colour and its
# own pattern, so the four stay apart without colour: good plain, requires improvement diagonal lines, inadequate
# crosses, incomplete / unknown dots.
RESULT_COLOURS = {"good": BLUISH_GREEN, "requires_improvement": ORANGE, "inadequate": VERMILLION, "incomplete": GREY,
                  "unknown": GREY}
RESULT_PATTERNS = {"good": "", "requires_improvement": "/", "inadequate": "x", "incomplete": ".", "unknown": "."}


def by_label(rows, code: str, by_code: dict) -> dict:
    """{label: by_code[code]} for each code in the rows (column `code`, its words in `<code>_label`), in their order:
    a chart's colours or patterns keyed by the words it shows."""
    pairs = dict(zip(rows[code], rows[f"{code}_label"]))
    return {label: by_code[c] for c, label in pairs.items() if c in by_code}


# Diverging scale for 0-100 scores: vermillion (low) through pale yellow to bluish green (high).
SCORE_SCALE = [[0.0, VERMILLION], [0.5, "#FFF7D6"], [1.0, BLUISH_GREEN]]

TOO_SMALL = "too small to compare"
TOO_SMALL_MARK = "*"


# The charts' look (what Streamlit's chart theme gave them, with darker axis text), written into each figure's own
# layout: no plotly template at all. Streamlit's theme puts a template in every figure and, on drawing, copies the
# figure once more; plotly cannot tell a copied template from a changed one and drew every chart again from scratch
# (bench/RESULTS.md, "Browser-side cost of a page").
CHART_FONT = '"Source Sans", sans-serif'
CHART_LAYOUT = {
    "font": {"family": CHART_FONT, "color": MUTED_TEXT},
    "title": {"font": {"family": CHART_FONT, "size": 16, "color": DARK_TEXT, "weight": "bold"}, "x": 0, "xanchor": "left",
              "pad": {"l": 4}},
    "legend": {"font": {"color": DARK_TEXT}, "bordercolor": "rgba(0,0,0,0)", "valign": "top"},
    "paper_bgcolor": "#FFFFFF", "plot_bgcolor": "#FFFFFF",
    "hoverlabel": {"bgcolor": "#FFFFFF", "bordercolor": "#DCD8D4", "font": {"family": CHART_FONT, "color": DARK_TEXT}},
}
# Axes make room for their own labels (automargin); the value axis has light grid lines, the category axis none. Fixed
# ranges: a chart here is read, not explored, and a stray drag no longer zooms it.
GRID = "#E6EAF1"
X_AXIS = {"automargin": True, "fixedrange": True, "ticks": "", "showgrid": False, "zeroline": False, "title_standoff": 20, "title_font_size": 14}
Y_AXIS = {"automargin": True, "fixedrange": True, "ticks": "", "gridcolor": GRID, "zerolinecolor": GRID, "title_standoff": 24, "title_font_size": 14}


# Nothing on a page moves while people wait for it (issue 23, bench/RESULTS.md "Browser-side cost of a page"): the grey
# placeholders Streamlit shows while a chart's code loads pulse forever, and elements left from the previous run fade.
# Each moving frame is drawn by the browser: with ten people on two cores, animations cost CPU that drawing the
# pages needed. The placeholders stay (a still grey block says "coming"), and out-of-date elements still turn pale,
# at once. Sent at the start of every page run (dashboard.py), as a style-only st.html: it takes no room on the page.
STILL_CSS = ("<style>[data-testid=stSkeleton],[data-testid=stSkeletonElement],.stSkeleton,[data-stale=true],"
             "[data-stale=true] *{animation:none!important;transition:none!important}</style>")
