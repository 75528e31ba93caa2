"""What the panel report says: its published counts (after suppression), the headline's measures named with the
settings, and the tables by team and stage built from them. A rate is worked out only from counts that are shown.
"""
from __future__ import annotations

import pandas as pd

from . import suppression, wording
from .cells import ALL, ALL_STAGES, ALL_TEAMS, COHORT, MEASURES, OUTCOMES, RATING_POINTS, RATINGS, Periods, \
    _Cells, coproduction_score
from .suppression import SUPPRESSED


class _Published:
    """The counts after suppression: get() gives an int, or None when hidden."""

    def __init__(self, cells: _Cells, hidden: set):
        self.cells, self.hidden = cells, hidden

    def get(self, key: tuple):
        return None if key in self.hidden else self.cells.values.get(key)

    def show(self, key: tuple):
        value = self.get(key)
        return SUPPRESSED if value is None else value

    def rate(self, numerator: tuple, denominator: tuple, scale: float = 100.0):
        return suppression.rate(self.get(numerator), self.get(denominator), scale)

    def score(self, base: tuple):
        """Co-production score 0-100 = 50 x mean(red 0, amber 1, green 2); only when every count behind it is shown."""
        counts = {r: self.get(base + (r,)) for r in RATINGS + (ALL,)}
        if any(c is None for c in counts.values()) or counts[ALL] == 0:
            return None
        return coproduction_score(sum(RATING_POINTS[r] * counts[r] for r in RATINGS), counts[ALL])


def _round(value, digits=0):
    return SUPPRESSED if value is None else round(value, digits)


def pct_text(value, n) -> str:
    """'72% (n = 156)', or [c]."""
    if value is None or n is None or isinstance(n, str):
        return SUPPRESSED
    return f"{value:.0f}% (n = {n:,})"


def headline_measures(follow_up_days: int, review_months: int = 6, minutes_days: int = 20) -> list:
    """The headline's measures (cells.MEASURES), named with the settings they are worked out with (report/wording.py):
    the review interval and the working days for minutes (the warehouse's), the working days allowed for a follow-up.
    Each is (name, kind, numerator, denominator, higher is better)."""
    names = {
        "reviews_held": "Reviews held",
        "reviews_in_time": f"{wording.reviews_in_time(review_months)} of the last plan",
        "minutes_in_time": f"Review minutes sent {wording.within_working_days(minutes_days)}",
        "forms_returned": "Young people's feedback forms returned (per review held)",
        "score": "Co-production score (0 to 100, young people's ratings)",
        "green": "Review stages rated green by young people",
        "good": "Plans rated good",
        "inadequate": "Plans rated inadequate",
        "followed_up_in_time": "Forms with red or amber answers followed up "
                               f"{wording.within_working_days(follow_up_days)}",
    }
    return [(names[key],) + tuple(rest) for key, *rest in MEASURES]


HEADLINE_MEASURES = headline_measures(20)[:-1]  # with the default settings, no follow-up (tests of one-off figures)


def _key(part: tuple, period: str, team: str = ALL_TEAMS) -> tuple:
    if part[0] == "ratings":
        return ("ratings", period, team, ALL_STAGES, part[1])
    return (part[0], period, team, part[1])


def _measure(pub: _Published, measure, period: str, team: str = ALL_TEAMS):
    """(value, n) of a headline measure; value None when hidden."""
    name, kind, num, den, _ = measure
    if kind == "count":
        value = pub.get(_key(num, period, team))
        return value, None
    if kind == "score":
        base = ("ratings", period, team, ALL_STAGES)
        return pub.score(base), pub.get(base + (ALL,))
    n = pub.get(_key(den, period, team))
    return pub.rate(_key(num, period, team), _key(den, period, team)), n


def _headline(pub: _Published, periods: Periods, measures=HEADLINE_MEASURES) -> pd.DataFrame:
    rows = []
    for measure in measures:
        name, kind = measure[0], measure[1]
        row = {"Measure": name, "Unit": {"count": "number", "pct": "%", "score": "score"}[kind]}
        for period in periods.all_periods:
            value, n = _measure(pub, measure, period)
            row[period] = _round(value)
            row[f"n: {period}"] = SUPPRESSED if (kind != "count" and n is None) else ("" if kind == "count" else n)
        this, _ = _measure(pub, measure, periods.quarter)
        before, _ = _measure(pub, measure, periods.previous)
        change = None if this is None or before is None else this - before
        row["Change on previous quarter"] = _round(change)
        rows.append(row)
    return pd.DataFrame(rows)


def _stages(pub: _Published, periods: Periods, stage_names: dict) -> pd.DataFrame:
    rows = []
    for stage in list(stage_names) + [ALL_STAGES]:
        base = ("ratings", periods.quarter, ALL_TEAMS, stage)
        before = ("ratings", periods.previous, ALL_TEAMS, stage)
        score, score_before = pub.score(base), pub.score(before)
        rows.append({
            "Stage": stage if stage == ALL_STAGES else stage,
            "What young people rated": "All ten stages" if stage == ALL_STAGES else stage_names[stage],
            "Answers (n)": pub.show(base + (ALL,)),
            "Red": pub.show(base + ("red",)),
            "Amber": pub.show(base + ("amber",)),
            "Green": pub.show(base + ("green",)),
            "% green": _round(pub.rate(base + ("green",), base + (ALL,))),
            "% red": _round(pub.rate(base + ("red",), base + (ALL,))),
            "Score (0-100)": _round(score),
            "Score last quarter": _round(score_before),
            "Change": _round(None if score is None or score_before is None else score - score_before),
        })
    return pd.DataFrame(rows)


def _by_team(pub: _Published, periods: Periods, teams: list[str], columns) -> pd.DataFrame:
    rows = []
    for team in teams + [ALL_TEAMS]:
        row = {"Team": team}
        for name, make in columns:
            row[name] = make(team)
        rows.append(row)
    return pd.DataFrame(rows)


def _care_leavers_table(pub: _Published, q: str, teams: list[str], labels: dict) -> pd.DataFrame:
    """Care leavers on the list and, for each outcome, how many, the share and how many not known, by team."""
    rows = []
    for team in teams + [ALL_TEAMS]:
        cohort = ("outcomes", q, team, COHORT)
        row = {"Team": team, "Care leavers on the list": pub.show(cohort)}
        for outcome in OUTCOMES:
            label, key = labels[outcome], ("outcomes", q, team, outcome)
            row[label] = pub.show(key + ("yes",))
            row[f"% {label[0].lower() + label[1:]}"] = _round(pub.rate(key + ("yes",), cohort))
            row[f"{label}: not known"] = pub.show(key + ("not_known",))
        rows.append(row)
    return pd.DataFrame(rows)


def _fmt(value) -> str:
    return value if isinstance(value, str) else f"{value:,}"
