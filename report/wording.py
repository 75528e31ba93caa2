"""The report's phrases that carry a setting, built from its value (issue 17: a threshold is never fixed text).

The review interval and the working days for minutes are the warehouse's own (stored at load time, the figures
were worked out with them); the working days for a follow-up are the dashboard's setting. Every table heading,
chart label, measure name and note that states one of them is made here, so HTML, PDF, workbook and page agree.
"""
from __future__ import annotations

from core import wording as core_wording   # the unit words ('6 months', '20 working days') have one home


def within_months(months: int) -> str:
    return f"within {core_wording.months(months)}"


def within_working_days(days: int) -> str:
    return f"within {core_wording.working_days(days)}"


def held_column(months: int) -> str:
    """The timeliness table's count of reviews held on time."""
    return f"Held {within_months(months)}"


def held_share_column(months: int) -> str:
    """The timeliness table's share of reviews held on time (teams are ranked on it)."""
    return f"% held {within_months(months)}"


def reviews_in_time(months: int) -> str:
    return f"Reviews held {within_months(months)}"


def minutes_in_time(days: int) -> str:
    return f"Minutes sent {within_working_days(days)}"


def followed_up_column(days: int) -> str:
    return f"Followed up {within_working_days(days)}"


def followed_up_share_column(days: int) -> str:
    return f"% followed up {within_working_days(days)}"

