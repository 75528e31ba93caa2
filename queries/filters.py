"""What the user asked to see (Filters) and what they are allowed to see (Scope).

Both are frozen dataclasses so they can be cache keys. Every named query applies
both inside SQL (see sql/_scope.sql); pages never filter data themselves.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import calendar

ROLES = ("admin", "manager", "team_manager", "iro", "panel")
# Roles that may see case-level rows (one row per plan or review); an IRO sees only their own.
CASE_LEVEL_ROLES = ("admin", "manager", "team_manager", "iro")
TREND_QUARTERS = 8


@dataclass(frozen=True)
class Filters:
    """The sidebar filters. Empty tuples / None mean "all"."""
    quarters: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    nation: str | None = None
    local_authority: str | None = None
    teams: tuple[str, ...] = ()

    def period_label(self) -> str:
        if self.quarters:
            return ", ".join(sorted(self.quarters))
        if self.date_from or self.date_to:
            start = self.date_from.strftime("%d/%m/%Y") if self.date_from else "the start"
            end = self.date_to.strftime("%d/%m/%Y") if self.date_to else "today"
            return f"{start} to {end}"
        return "all quarters"

    def last_quarter(self) -> str | None:
        """The quarter that ends the period (for trends and comparisons), if the period has an end."""
        if self.quarters:
            return max(self.quarters)
        if self.date_to:
            return calendar.financial_quarter(self.date_to)
        return None

    def previous_period(self) -> "Filters | None":
        """The period of the same length just before this one (the previous quarter for one quarter)."""
        if self.quarters:
            n = len(self.quarters)
            return Filters(tuple(sorted(calendar.shift_quarter(q, -n) for q in self.quarters)), None, None,
                           self.nation, self.local_authority, self.teams)
        if self.date_from and self.date_to:
            length = self.date_to - self.date_from + dt.timedelta(days=1)
            return Filters((), self.date_from - length, self.date_from - dt.timedelta(days=1),
                           self.nation, self.local_authority, self.teams)
        return None

    def unfinished(self, today: dt.date) -> bool:
        """Does the period run past today (so its counts are not complete yet)?"""
        last = self.last_quarter()
        end = self.date_to or (calendar.quarter_bounds(last)[1] if last else None)
        return end is not None and end > today

    def trend_bounds(self) -> tuple[dt.date | None, dt.date | None]:
        """Trends show up to TREND_QUARTERS quarters ending with the period's last quarter."""
        last = self.last_quarter()
        if last is None:
            return None, None
        first, _ = calendar.quarter_bounds(calendar.shift_quarter(last, -(TREND_QUARTERS - 1)))
        _, end = calendar.quarter_bounds(last)
        return first, end


def quarter_is_over(label: str, today: dt.date) -> bool:
    return calendar.quarter_bounds(label)[1] < today


def default_quarter(quarters: list[str], today: dt.date) -> str | None:
    """The period a page opens on: the newest quarter that is over (a quarter still running has few reviews yet,
    so every count would show a fall); the running one only when no quarter with data is over."""
    over = [q for q in quarters if quarter_is_over(q, today)]
    return max(over) if over else (max(quarters) if quarters else None)


def quarter_label(label: str, today: dt.date) -> str:
    """How a quarter is offered in the sidebar: the one still running says so."""
    return label if quarter_is_over(label, today) else f"{label} (so far)"


@dataclass(frozen=True)
class Scope:
    """Who is looking. Local (single-user) mode is admin over all teams; sign-in sets the others."""
    role: str = "admin"
    teams: tuple[str, ...] = ()      # team_manager: their teams (empty = none for a team manager)
    iro: str | None = None           # iro: their name as it appears in the plan export

    def __post_init__(self):
        if self.role not in ROLES:
            raise ValueError(f"Unknown role {self.role!r}; expected one of {', '.join(ROLES)}")

    @property
    def case_level(self) -> bool:
        return self.role in CASE_LEVEL_ROLES


ADMIN = Scope()
