"""The palette of every chart and table, on screen and in the panel report. Okabe-Ito colours are safe for
colour-blind readers; red / amber / green are never shown by colour alone (labels and patterns go with them)."""
from __future__ import annotations

VERMILLION, ORANGE, BLUISH_GREEN = "#D55E00", "#E69F00", "#009E73"
SKY_BLUE, BLUE, GREY, YELLOW, PURPLE = "#56B4E9", "#0072B2", "#999999", "#F0E442", "#CC79A7"
SEQUENCE = [BLUE, ORANGE, BLUISH_GREEN, VERMILLION, SKY_BLUE, PURPLE, YELLOW, GREY]

DARK_TEXT, LIGHT_TEXT = "#111111", "#FFFFFF"
# The printed report's ink and grid lines.
INK, GRID = "#1a1a1a", "#dddddd"
# The printed report's quieter text, rules, table borders and fills (HTML/PDF, workbook, SVG charts).
MUTED_TEXT, AXIS, RULE, BORDER = "#333333", "#888888", GREY, "#bbbbbb"
HEADER_FILL, TOTAL_FILL, PATTERN = "#eeeeee", "#f6f6f6", LIGHT_TEXT
SHEET_HEADER_FILL, BAND_TEXT = "#dddddd", "#444444"  # the workbook's heading row; the PDF's header and footer


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
