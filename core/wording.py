"""Thresholds in words: each phrase a setting's value is written in, made here from the value, so that a changed
setting changes every page, note and sentence that states it (issue 17: "within 6 months" and "Fewer than 5" were
written as fixed text in five places).

Callers pass the value the figures were worked out with: the warehouse's own copy of a threshold stored at load
(review_interval_months, minutes_due_working_days, due_soon_working_days, small_number_max: the summary every page
reads) or, for a threshold the queries take as a parameter, the setting itself (recording_gap_months,
follow_up_working_days).
"""
from __future__ import annotations


def months(n: int) -> str:
    """'6 months' (review_interval_months, recording_gap_months)."""
    n = int(n)
    return "1 month" if n == 1 else f"{n} months"


def working_days(n: int) -> str:
    """'20 working days' (minutes_due_working_days, due_soon_working_days, follow_up_working_days)."""
    n = int(n)
    return "1 working day" if n == 1 else f"{n} working days"


def nth_working_day(n: int) -> str:
    """'the 20th working day' (minutes_due_working_days: minutes are due by it)."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"the {n}{suffix} working day"


def too_small(small_number_max: int) -> str:
    """'fewer than 5' (small_number_max 4: a group of 1 to 4 is too small to compare)."""
    return f"fewer than {int(small_number_max) + 1}"


def too_small_note(small_number_max: int) -> str:
    """The sentence under a chart with a group too small to compare."""
    return f"{too_small(small_number_max).capitalize()} cases: too small to compare."
