"""The calendar: working days, calendar months, UK financial quarters and their labels.

These pure functions are the single definition of each rule. The warehouse
gets them as a `calendar` table built from the same functions, so the views
and any Python caller agree by construction.
"""
from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from functools import lru_cache

import holidays
import pandas as pd

CALENDAR_START = dt.date(1990, 1, 1)
CALENDAR_END = dt.date(2060, 12, 31)


@lru_cache(maxsize=None)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """Bank holidays of England and Wales (one calendar: Wales has no holidays of its own).

    subdiv="ENG" matters: plain holidays.UK() misses Easter Monday and the August holiday.
    """
    return frozenset(holidays.UK(subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in the half-open interval (start, end]: the day of the meeting does not count."""
    if end <= start:
        return -working_days_between(end, start) if end < start else 0
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n)))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date on which the `days`-th working day after `start` falls."""
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months with month ends clamped: 31 August + 6 months is 28 (or 29) February."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def financial_year_start(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def financial_quarter(day: dt.date) -> str:
    """UK financial quarter label: Q1 is April-June, e.g. 3 May 2026 -> '2026-27 Q1'."""
    start = financial_year_start(day)
    quarter = (day.month - 4) % 12 // 3 + 1
    return f"{start}-{(start + 1) % 100:02d} Q{quarter}"


def quarter_bounds(label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter label like '2026-27 Q1'."""
    start_year, q = int(label[:4]), int(label[-1])
    first = add_months(dt.date(start_year, 4, 1), 3 * (q - 1))
    return first, add_months(first, 3) - dt.timedelta(days=1)


def shift_quarter(label: str, quarters: int) -> str:
    first, _ = quarter_bounds(label)
    return financial_quarter(add_months(first, 3 * quarters))


QUARTER_LABEL = re.compile(r"^(\d{4})-(\d{2}) Q([1-4])$")


def is_quarter_label(label: str) -> bool:
    """'2026-27 Q2' is; '2026-28 Q2' (two years apart) and '2026 Q2' are not."""
    match = QUARTER_LABEL.match(label)
    return bool(match) and (int(match.group(1)) + 1) % 100 == int(match.group(2))


def last_complete_quarter(today: dt.date) -> str:
    return shift_quarter(financial_quarter(today), -1)


def quarter_dates(label: str) -> str:
    """A quarter's first and last day in words: '1 July 2026 to 30 September 2026'."""
    first, last = quarter_bounds(label)
    return f"{first:%-d %B %Y} to {last:%-d %B %Y}"


def calendar_frame(start: dt.date = CALENDAR_START, end: dt.date = CALENDAR_END) -> pd.DataFrame:
    """Every day with is_working_day, working_day_number and quarter, for the warehouse's calendar table.

    working_day_number counts working days up to and including the date, so the
    working days in (a, b] are number(b) - number(a). Built from the rules above
    (vectorised: one label per month, one holiday set), not a second copy of them.
    """
    days = pd.date_range(start, end, freq="D")
    holiday_set = {day for year in range(start.year, end.year + 1) for day in bank_holidays(year)}
    working = (days.weekday < 5) & ~days.isin(pd.to_datetime(sorted(holiday_set)))
    month_labels = {(y, m): financial_quarter(dt.date(y, m, 1)) for y in range(start.year, end.year + 1) for m in range(1, 13)}
    return pd.DataFrame({
        "day": days.date,
        "is_working_day": working,
        "working_day_number": working.cumsum().astype("int32"),
        "quarter": [month_labels[(y, m)] for y, m in zip(days.year, days.month)],
    })
