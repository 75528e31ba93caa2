"""The dashboard's labels, patterns and colour choices; the colours themselves are core/palette.py's, shared with the
panel report. Red / amber / green are never shown by colour alone: bars carry text labels and patterns."""
from __future__ import annotations

# Pages name the colours they draw with through this module (style.BLUE): one import for a page's look.
from core.palette import BLUE, BLUISH_GREEN, DARK_TEXT, GREY, ORANGE, SEQUENCE, SKY_BLUE, VERMILLION, text_on  # noqa: F401

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
