"""What the form asks: the guide's ten stages and, per stage, its red, amber and green statements.

The English text is the loader's own (etl/columns.py, copied from the guide), so a form and an export can
never word a box differently; the Welsh is in the message catalogue (locale/cy/LC_MESSAGES/messages.po).
"""
from __future__ import annotations

from etl.columns import RATINGS, STAGES, STATEMENTS

STAGE_COUNT = len(STAGES)
# The guide's own marks: ✗ for the red and amber boxes, ✓ for the green one (never colour alone).
SYMBOL = {"red": "✗", "amber": "✗", "green": "✓"}
# The words an export carries: the loader reads Red / Amber / Green (any case).
EXPORT_WORD = {"red": "Red", "amber": "Amber", "green": "Green"}
RATING_WORD = {"red": "Red", "amber": "Amber", "green": "Green"}   # shown to the young person, translated
COMMENT_MAX_CHARS = 2000


def stage_heading(n: int) -> str:
    return STAGES[n - 1]


def statement(n: int, rating: str) -> str:
    return STATEMENTS[n - 1][RATINGS.index(rating)]


__all__ = ["RATINGS", "STAGES", "STATEMENTS", "STAGE_COUNT", "SYMBOL", "EXPORT_WORD", "RATING_WORD",
           "COMMENT_MAX_CHARS", "stage_heading", "statement"]
