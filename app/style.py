"""Colours, labels and patterns in one place. Okabe-Ito colours are safe for colour-blind readers;
red / amber / green are never shown by colour alone: bars carry text labels and patterns."""
from __future__ import annotations

VERMILLION, ORANGE, BLUISH_GREEN = "#D55E00", "#E69F00", "#009E73"
SKY_BLUE, BLUE, GREY, YELLOW, PURPLE = "#56B4E9", "#0072B2", "#999999", "#F0E442", "#CC79A7"
SEQUENCE = [BLUE, ORANGE, BLUISH_GREEN, VERMILLION, SKY_BLUE, PURPLE, YELLOW, GREY]

# Patterns are drawn over the bar's colour (plotly's default draws them on white, losing both the colour and any
# white label inside): thin, half-transparent white lines.
PATTERN_OVER_COLOUR = {"fillmode": "overlay", "fgcolor": "#FFFFFF", "fgopacity": 0.55, "size": 8, "solidity": 0.25}
DARK_TEXT, LIGHT_TEXT = "#111111", "#FFFFFF"
# Text too small to read is left off a bar rather than shrunk to fit (the table and hover still give it).
MIN_BAR_TEXT_PX = 11
# No text on a chart smaller than this (axis labels, heat-map cells, panel titles): read at a glance (issue 22).
MIN_LABEL_PX = 11


def contrast(colour_a: str, colour_b: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours (1 to 21)."""
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    lighter, darker = sorted((luminance(colour_a), luminance(colour_b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_on(colour: str) -> str:
    """Dark or white text, whichever reads better on this colour."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda text: contrast(text, colour))


# Lines are told apart by marker shape as well as colour: one shape per series (plotly's own list has five).
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "triangle-down", "cross", "hexagon",
           "pentagon", "circle-open", "square-open", "diamond-open", "triangle-up-open", "star-open"]

RAG_COLOURS = {"Red": VERMILLION, "Amber": ORANGE, "Green": BLUISH_GREEN}
RAG_PATTERNS = {"Red": "x", "Amber": "/", "Green": ""}

MINUTES_COLOURS = {"Sent on time": BLUISH_GREEN, "Sent late": ORANGE,
                   "Not sent and overdue": VERMILLION, "Not sent yet, not due": SKY_BLUE}
MINUTES_PATTERNS = {"Sent on time": "", "Sent late": "/", "Not sent and overdue": "x", "Not sent yet, not due": "."}

# The overall grades of a plan (SPEC 3.1) and the verdicts of its indicators. Each grade has its own colour and its
# own pattern, so the four stay apart without colour: good plain, requires improvement diagonal lines, inadequate
# crosses, incomplete / unknown dots.
GRADES = ["good", "requires_improvement", "inadequate", "incomplete"]
RESULT_LABELS = {"good": "Good", "requires_improvement": "Requires improvement", "inadequate": "Inadequate",
                 "incomplete": "Incomplete (data missing)", "unknown": "Unknown (data missing)"}
RESULT_COLOURS = {"Good": BLUISH_GREEN, "Requires improvement": ORANGE, "Inadequate": VERMILLION,
                  "Incomplete (data missing)": GREY, "Unknown (data missing)": GREY}
RESULT_PATTERNS = {"Good": "", "Requires improvement": "/", "Inadequate": "x", "Incomplete (data missing)": ".",
                   "Unknown (data missing)": "."}

# Diverging scale for 0-100 scores: vermillion (low) through pale yellow to bluish green (high).
SCORE_SCALE = [[0.0, VERMILLION], [0.5, "#FFF7D6"], [1.0, BLUISH_GREEN]]

TOO_SMALL = "too small to compare"
TOO_SMALL_MARK = "*"
TOO_SMALL_NOTE = "\\* Fewer than 5 cases: too small to compare."
