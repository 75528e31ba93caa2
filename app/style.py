"""Colours, labels and patterns in one place. Okabe-Ito colours are safe for colour-blind readers;
red / amber / green are never shown by colour alone: bars carry text labels and patterns."""
from __future__ import annotations

VERMILLION, ORANGE, BLUISH_GREEN = "#D55E00", "#E69F00", "#009E73"
SKY_BLUE, BLUE, GREY, YELLOW, PURPLE = "#56B4E9", "#0072B2", "#999999", "#F0E442", "#CC79A7"
SEQUENCE = [BLUE, ORANGE, BLUISH_GREEN, VERMILLION, SKY_BLUE, PURPLE, YELLOW, GREY]

# Lines are told apart by marker shape as well as colour: one shape per series (plotly's own list has five).
SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "triangle-down", "cross", "hexagon",
           "pentagon", "circle-open", "square-open", "diamond-open", "triangle-up-open", "star-open"]

RAG_COLOURS = {"Red": VERMILLION, "Amber": ORANGE, "Green": BLUISH_GREEN}
RAG_PATTERNS = {"Red": "x", "Amber": "/", "Green": ""}

MINUTES_COLOURS = {"Sent on time": BLUISH_GREEN, "Sent late": ORANGE,
                   "Not sent and overdue": VERMILLION, "Not sent yet, not due": SKY_BLUE}
MINUTES_PATTERNS = {"Sent on time": "", "Sent late": "/", "Not sent and overdue": "x", "Not sent yet, not due": "."}

RESULT_LABELS = {"good": "Good", "inadequate": "Inadequate", "incomplete": "Incomplete (data missing)",
                 "unknown": "Unknown (data missing)"}
RESULT_COLOURS = {"Good": BLUISH_GREEN, "Inadequate": VERMILLION, "Incomplete (data missing)": GREY,
                  "Unknown (data missing)": GREY}
RESULT_PATTERNS = {"Good": "", "Inadequate": "x", "Incomplete (data missing)": ".", "Unknown (data missing)": "."}

# Diverging scale for 0-100 scores: vermillion (low) through pale yellow to bluish green (high).
SCORE_SCALE = [[0.0, VERMILLION], [0.5, "#FFF7D6"], [1.0, BLUISH_GREEN]]

TOO_SMALL = "too small to compare"
TOO_SMALL_MARK = "*"
TOO_SMALL_NOTE = "\\* Fewer than 5 cases: too small to compare."
