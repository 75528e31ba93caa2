"""What the panel report counts: every count it can publish, keyed by tuples, with the equations linking them.

A key is (kind, period, team, category...), e.g. ("minutes", "2026-27 Q2", "Valleys Leaving Care", "late"). The counts
are sums of the report's query results (report/sql/), per quarter or rolling year, team or all teams, stage or all
stages; the equations say which add up to which (a total is the sum of its parts). Nothing is hidden here: that is
report/suppression.py's job, on these cells.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from core import calendar

ALL_TEAMS = "All teams"
ALL_STAGES = "All stages"
ALL = "all"
HELD = ("on_time", "late", "not_assessed")
MINUTES = ("on_time", "late", "overdue", "outstanding", "unknown")
RATINGS = ("red", "amber", "green")
# The co-production score: 50 x the mean of these points, 0-100 (queries/sql/_scope.sql's coproduction_score).
RATING_POINTS = {"red": 0, "amber": 1, "green": 2}


def coproduction_score(points: float, ratings: int) -> float:
    return 50.0 * points / ratings
OVERALL = ("good", "requires_improvement", "inadequate", "incomplete")
# A form with red or amber answers (issue 19): followed up in time, followed up late, not followed up and past the
# working days allowed (overdue), within them (not yet due), or with no working day to count from (unknown).
FOLLOW_UP = ("in_time", "late", "overdue", "not_yet_due", "unknown")
# Counts no percentage, score or chart of the report is worked out from: the first complements to hide.
UNIMPORTANT = {"reviews": ("not_assessed",), "minutes": ("outstanding", "unknown", "overdue"), "plans": ("incomplete",),
               "follow_up": ("unknown", "late", "not_yet_due"), "outcomes": ("no", "not_known")}
NOT_LINKED = "Not linked to a plan yet"
# Care leavers' outcomes (issue 20), from the latest care-leaver list of each young person in the quarter: one cohort
# count per team ("young_people", the same for the three outcomes) = yes + no + not known for each outcome.
OUTCOMES = ("in_touch", "suitable_accommodation", "in_eet")
OUTCOME_PARTS = ("yes", "no", "not_known")
COHORT = "young_people"

# The headline's measures as counts (report/content.py names them): key, kind, numerator, denominator, higher is better.
MEASURES = [
    ("reviews_held", "count", ("reviews", ALL), None, None),
    ("reviews_in_time", "pct", ("reviews", "on_time"), ("reviews", "assessed"), True),
    ("minutes_in_time", "pct", ("minutes", "on_time"), ("minutes", "due"), True),
    ("forms_returned", "pct", ("forms", ALL), ("reviews", ALL), True),
    ("score", "score", None, None, True),
    ("green", "pct", ("ratings", "green"), ("ratings", ALL), True),
    ("good", "pct", ("plans", "good"), ("plans", ALL), True),
    ("inadequate", "pct", ("plans", "inadequate"), ("plans", ALL), False),
    ("followed_up_in_time", "pct", ("follow_up", "in_time"), ("follow_up", "due"), True),
]
# The all-teams counts a headline rate rests on (numerators and denominators; every answer count of the score), and
# the care leavers' counts the commentary's shares rest on: hidden only as a last resort (suppression.protect_quarter).
HEADLINE_COUNTS = {part for m in MEASURES for part in m[2:4] if part} | {("outcomes", "yes"), ("outcomes", COHORT)}


@dataclass(frozen=True)
class Periods:
    """The periods a report shows: this quarter, the previous one, the same quarter last year, each with its rolling year."""
    quarter: str

    @property
    def previous(self) -> str:
        return calendar.shift_quarter(self.quarter, -1)

    @property
    def last_year(self) -> str:
        return calendar.shift_quarter(self.quarter, -4)

    @property
    def shown(self) -> list[str]:
        return [self.quarter, self.previous, self.last_year]

    def rolling(self, label: str) -> list[str]:
        return _rolling(label)

    @property
    def quarters_needed(self) -> list[str]:
        return [calendar.shift_quarter(self.quarter, -n) for n in range(8)]

    @staticmethod
    def year_label(label: str) -> str:
        return f"12 months to {label}"

    @property
    def all_periods(self) -> list[str]:
        return [p for q in self.shown for p in (q, self.year_label(q))]


@lru_cache(maxsize=None)
def _rolling(label: str) -> list[str]:
    """A quarter and the three before it (asked for once per team and period: 36,000 times in a national report)."""
    return [calendar.shift_quarter(label, -n) for n in range(4)]


def total_equation(total: Hashable, parts: Iterable[Hashable]) -> dict:
    """total = sum(parts), as an equation."""
    equation = {total: 1}
    for part in parts:
        equation[part] = equation.get(part, 0) - 1
    return equation


class _Cells:
    """Every count the report publishes, keyed by tuples, with the equations that link them."""

    def __init__(self):
        self.values: dict[tuple, int] = {}
        self.equations: list[dict] = []
        self.totals: set[tuple] = set()
        self.teams: dict[str, "_Cells"] = {}  # each team's own cells and equations (for _quarter_cells' copy)

    def add(self, key: tuple, value, total: bool = False):
        self.values[key] = int(value)
        if total:
            self.totals.add(key)

    def sum_to(self, total: tuple, parts: list[tuple]):
        self.equations.append(total_equation(total, parts))


class _Sums:
    """Sums of one count column of a small frame, looked up by column values (each lookup a few dict reads).

    ``sums(quarter=[...], team="A", rating="red")``: a list is summed over. The frame is grouped once per set of
    column names asked for, so a report with 1,000 teams does not scan the frame for every cell.
    """

    def __init__(self, frame: pd.DataFrame, column: str):
        self.frame, self.column = frame, column
        self.groups: dict[tuple, dict] = {}
        self.orders: dict[tuple, tuple] = {}  # keyword order as called -> (sorted column names, their sums)
        self.whole: _Sums | None = None      # see share()
        self.authority = None
        self.by_authority: dict[tuple, dict] = {}

    def share(self, whole: "_Sums", authority: str) -> None:
        """Look sums up in the all-authorities frame, grouped once by authority: one grouping for 150 authorities,
        not one each (the frame of this authority is the whole frame's rows for it)."""
        self.whole, self.authority = whole, authority

    def _split(self, names: tuple) -> dict:
        split = self.by_authority.get(names)
        if split is None:
            split = {}
            if not self.frame.empty:
                grouped = self.frame.groupby(["local_authority", *names], dropna=False, sort=False)[self.column].sum()
                for k, v in zip(grouped.index.tolist(), grouped.tolist()):
                    split.setdefault(k[0], {})[tuple(k[1:])] = int(v)
            self.by_authority[names] = split
        return split

    def _table(self, names: tuple) -> dict:
        table = self.groups.get(names)
        if table is None and self.whole is not None:
            table = self.groups[names] = self.whole._split(names).get(self.authority, {})
        if table is None:
            if self.frame.empty:
                table = {}
            else:
                grouped = self.frame.groupby(list(names), dropna=False, sort=False)[self.column].sum()
                keys = grouped.index.tolist()
                if len(names) == 1:
                    keys = [(k,) for k in keys]
                table = {tuple(k): int(v) for k, v in zip(keys, grouped.tolist())}
            self.groups[names] = table
        return table

    def _plan(self, order: tuple) -> tuple[tuple, dict]:
        """The columns asked for (in the order they were given) -> (the same columns sorted, their sums table)."""
        plan = self.orders.get(order)
        if plan is None:
            names = tuple(sorted(order))
            plan = self.orders[order] = (names, self._table(names))
        return plan

    def __call__(self, **where) -> int:
        names, table = self._plan(tuple(where))
        key = []
        for name in names:
            value = where[name]
            if isinstance(value, (list, tuple, set)):
                if len(value) != 1:
                    return self._many(table, names, where)
                value = next(iter(value))
            key.append(value)
        return table.get(tuple(key), 0)  # the usual lookup (one quarter, one team): a single dict read

    def each(self, name: str, options: Iterable, **where) -> list[int]:
        """``[self(**where, name=o) for o in options]``, the other columns read once (a team's few categories)."""
        where[name] = None
        names, table = self._plan(tuple(where))
        key, at = [], 0
        for i, column in enumerate(names):
            value = where[column]
            if column == name:
                at = i
            elif isinstance(value, (list, tuple, set)):
                if len(value) != 1:
                    return [self._many(table, names, {**where, name: o}) for o in options]
                value = next(iter(value))
            key.append(value)
        out = []
        for option in options:
            key[at] = option
            out.append(table.get(tuple(key), 0))
        return out

    @staticmethod
    def _many(table: dict, names: tuple, where: dict) -> int:
        keys = [()]
        for name in names:
            value = where[name]
            options = value if isinstance(value, (list, tuple, set)) else (value,)
            keys = [k + (o,) for k in keys for o in options]
        return sum(table.get(k, 0) for k in keys)


def _sum(frame: "_Sums | pd.DataFrame", column: str, **where) -> int:
    sums = frame if isinstance(frame, _Sums) else _Sums(frame, column)
    return sums(**where)


@dataclass
class _Unit:
    """One report's worth of query results as sums: an authority's, or all authorities' together."""
    reviews: _Sums
    forms: _Sums
    by_team: _Sums
    by_stage: _Sums
    plans: _Sums
    rated: _Sums
    teams: dict  # quarter -> the teams with a figure in it
    follow_ups: _Sums | None = None  # forms with red or amber answers, by follow-up status (issue 19)
    outcomes: _Sums | None = None    # care leavers' outcomes by part (issue 20), see outcome_frame
    outcome_teams: dict = field(default_factory=dict)  # quarter -> the teams on a care-leaver list in it
    # All authorities' unit only: the teams whose rows are under more than one authority, or none (None: not known, so
    # no team's cells are copied from its authority's, see _protect_quarter).
    shared_teams: set | None = None


def _unit(reviews: pd.DataFrame, forms: pd.DataFrame, ratings: pd.DataFrame | tuple, plans: pd.DataFrame,
          rated: pd.DataFrame | None = None, teams=None, follow_ups: pd.DataFrame | None = None,
          outcomes: pd.DataFrame | None = None) -> _Unit:
    """``teams``: one list for every quarter (tests), or None for the teams found in each quarter's figures.
    ``follow_ups``: as ``follow_up_frame`` gives it (None: no follow-up figures, every count 0)."""
    if rated is None:  # tests without the rated-forms query: every form has a rated stage
        rated = forms.rename(columns={"forms": "rated_forms"})
    if follow_ups is None:
        follow_ups = follow_up_frame(None)
    if teams is None:
        found: dict = {}
        for frame in (reviews, forms, plans, follow_ups):
            for q, team in zip(frame["quarter"].tolist(), frame["team"].tolist()):  # lists: not an Arrow iterator
                found.setdefault(q, set()).add(team)
        teams = {q: sorted(ts) for q, ts in found.items()}
    elif not isinstance(teams, dict):
        teams = {q: list(teams) for q in set(reviews["quarter"]) | set(forms["quarter"]) | set(plans["quarter"])}
    by_team, by_stage = _ratings_sums(ratings)
    if outcomes is None:
        outcomes = outcome_frame(None)
    outcome_teams: dict = {}
    for q, team in zip(outcomes["quarter"].tolist(), outcomes["team"].tolist()):
        outcome_teams.setdefault(q, set()).add(team)
    return _Unit(_Sums(reviews, "reviews"), _Sums(forms, "forms"), by_team, by_stage, _Sums(plans, "plans"),
                 _Sums(rated, "rated_forms"), teams, _Sums(follow_ups, "forms"), _Sums(outcomes, "young_people"),
                 {q: sorted(ts) for q, ts in outcome_teams.items()})


def outcome_frame(counts: pd.DataFrame | None) -> pd.DataFrame:
    """queries.care_leaver_outcome_counts as one row per quarter, authority, team, outcome and part: the cohort
    (outcome and part both COHORT, counted once: it is the same for the three outcomes), then yes / no / not_known."""
    columns = ["quarter", "local_authority", "team", "outcome", "part", "young_people"]
    if counts is None or counts.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "young_people" else "object") for c in columns})
    counts = counts.astype({c: "int64" for c in (COHORT,) + OUTCOME_PARTS})
    if (counts[COHORT] != counts[list(OUTCOME_PARTS)].sum(axis=1)).any():
        raise ValueError("care leavers' outcome counts do not add up to the young people")  # the query changed
    base = pd.DataFrame({"quarter": counts["quarter"].astype(object),
                         "local_authority": counts["local_authority"].astype(object),
                         "team": counts["team"].astype(object),
                         "outcome": counts["outcome"].astype(object)})
    cohort = base.assign(young_people=counts[COHORT])[base["outcome"] == OUTCOMES[0]].assign(outcome=COHORT)
    parts = [base.assign(part=p, young_people=counts[p]) for p in OUTCOME_PARTS]
    long = pd.concat([cohort.assign(part=COHORT)] + parts, ignore_index=True)[columns]
    return long[long["young_people"] > 0].reset_index(drop=True)


def follow_up_frame(counts: pd.DataFrame | None) -> pd.DataFrame:
    """queries.follow_up_counts_for_report's counts as one row per quarter, authority, team and FOLLOW_UP status.

    Forms not linked to a plan yet (team NULL) are a team of their own, named as in the other tables. The statuses
    split every form: late = followed up - in time; unknown = what is neither followed up, overdue nor not yet due
    (no working day to count from), so the counts always add up to the forms.
    """
    columns = ["quarter", "local_authority", "team", "status", "forms"]
    if counts is None or counts.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "forms" else "object") for c in columns})
    counts = counts.astype({c: "int64" for c in ("forms_with_red_or_amber", "followed_up", "followed_up_in_time",
                                                 "not_yet_due", "overdue")})
    wide = pd.DataFrame({
        "quarter": counts["quarter"].astype(object), "local_authority": counts["local_authority"].astype(object),
        "team": counts["team"].astype(object).where(counts["team"].notna(), NOT_LINKED),
        "in_time": counts["followed_up_in_time"],
        "late": counts["followed_up"] - counts["followed_up_in_time"],
        "overdue": counts["overdue"],
        "not_yet_due": counts["not_yet_due"],
        "unknown": counts["forms_with_red_or_amber"] - counts["followed_up"] - counts["not_yet_due"] - counts["overdue"],
    })
    if (wide[list(FOLLOW_UP)] < 0).any().any():
        raise ValueError("follow-up counts do not add up to the forms")  # the query's definitions changed
    # local_authority NULL (forms not linked) must survive the melt and the groupings: kept as None in object columns
    long = wide.melt(id_vars=["quarter", "local_authority", "team"], value_vars=list(FOLLOW_UP),
                     var_name="status", value_name="forms")
    return long[long["forms"] > 0].reset_index(drop=True)[columns]


def _add_period(cells: _Cells, unit: _Unit, period: str, qs: list[str], team: str):
    """One team's (or all teams') counts for a quarter or a rolling year, with the equations between them.

    (Called for every team of every authority in every quarter: each key is made once, the dicts filled directly.)"""
    tw = {} if team == ALL_TEAMS else {"team": team}
    values, totals, equations = cells.values, cells.totals, cells.equations
    # Reviews held: all = assessed + not assessed; assessed = on time + late.
    on_time, late, not_assessed = unit.reviews.each("held_status", HELD, quarter=qs, **tw)
    all_key, assessed, on_time_key, late_key, not_assessed_key = (
        ("reviews", period, team, c) for c in (ALL, "assessed", "on_time", "late", "not_assessed"))
    values[all_key] = on_time + late + not_assessed
    values[assessed] = on_time + late
    totals.update((all_key, assessed))
    values[on_time_key], values[late_key], values[not_assessed_key] = on_time, late, not_assessed
    equations.append({assessed: 1, on_time_key: -1, late_key: -1})
    equations.append({all_key: 1, assessed: -1, not_assessed_key: -1})
    # Minutes of those reviews: all = due + outstanding + unknown; due = on time + late + overdue.
    minutes = unit.reviews.each("minutes_status", MINUTES, quarter=qs, **tw)
    due = ("minutes", period, team, "due")
    keys = [("minutes", period, team, s) for s in MINUTES]
    values[due] = minutes[0] + minutes[1] + minutes[2]  # on time, late, overdue (MINUTES' order)
    totals.add(due)
    values.update(zip(keys, minutes))
    equations.append({due: 1, keys[0]: -1, keys[1]: -1, keys[2]: -1})
    equations.append({all_key: 1, due: -1, keys[3]: -1, keys[4]: -1})  # due, outstanding, unknown
    # Forms returned.
    forms = ("forms", period, team, ALL)
    values[forms] = unit.forms(quarter=qs, **tw)
    if team == ALL_TEAMS:
        totals.add(forms)
    # Plan quality.
    overall = unit.plans.each("overall", OVERALL, quarter=qs, **tw)
    plans = ("plans", period, team, ALL)
    keys = [("plans", period, team, s) for s in OVERALL]
    values[plans] = sum(overall)
    totals.add(plans)
    values.update(zip(keys, overall))
    equations.append({plans: 1, **dict.fromkeys(keys, -1)})
    # Traffic-light answers over all stages.
    _add_ratings(cells, unit.by_team, period, qs, team, ALL_STAGES, tw)
    _add_follow_up(cells, unit, period, qs, team, tw)


def _add_follow_up(cells: _Cells, unit: _Unit, period: str, qs: list[str], team: str, tw: dict):
    """Forms with red or amber answers (issue 19): all = due + not yet due; due = in time + late + overdue + unknown;
    followed up = in time + late. The share followed up in time is in time / due."""
    counts = (unit.follow_ups.each("status", FOLLOW_UP, quarter=qs, **tw) if unit.follow_ups is not None
              else [0] * len(FOLLOW_UP))
    in_time, late, _overdue, not_yet_due, _unknown = counts  # FOLLOW_UP's order
    values = cells.values
    all_key, due, followed_up = (("follow_up", period, team, c) for c in (ALL, "due", "followed_up"))
    keys = [("follow_up", period, team, s) for s in FOLLOW_UP]
    values[all_key] = sum(counts)
    values[due] = sum(counts) - not_yet_due
    values[followed_up] = in_time + late
    cells.totals.update((all_key, due))
    values.update(zip(keys, counts))
    cells.equations += [{all_key: 1, due: -1, keys[3]: -1},
                        {due: 1, keys[0]: -1, keys[1]: -1, keys[2]: -1, keys[4]: -1},
                        {followed_up: 1, keys[0]: -1, keys[1]: -1}]


def _quarter_cells(quarter: str, unit: _Unit, stages: list[int], copy: dict | None = None) -> _Cells:
    """Every count any report shows about one quarter (teams, all teams, stages) and the equations inside it.

    ``copy``: {team: its cells in another unit holding the same numbers}, taken as they are, not worked out again.

    The same in every report that shows the quarter (its own, the next quarter's, next year's): its hidden cells
    are decided from this quarter alone, so no two reports disagree on a cell.
    """
    cells = _Cells()
    teams = unit.teams.get(quarter, [])
    for team in [ALL_TEAMS] + teams:
        source = (copy or {}).get(team)
        if source is None:
            mine = cells.teams[team] = _Cells()
            _add_period(mine, unit, quarter, [quarter], team)
        else:  # the same numbers as in the team's own authority's cells (see _protect_quarter)
            mine = source
        cells.values.update(mine.values)
        cells.totals |= mine.totals
        cells.equations += mine.equations
    for stage in stages:
        _add_ratings(cells, unit.by_stage, quarter, [quarter], ALL_TEAMS, stage, {"stage_no": stage})
    if stages:
        for r in RATINGS + (ALL,):
            cells.sum_to(("ratings", quarter, ALL_TEAMS, ALL_STAGES, r),
                         [("ratings", quarter, ALL_TEAMS, s, r) for s in stages])
    # Teams add up to all teams.
    for key in [k for k in cells.values if k[2] == ALL_TEAMS]:
        if key[0] == "ratings" and key[3] != ALL_STAGES:
            continue
        cells.sum_to(key, [key[:2] + (team,) + key[3:] for team in teams])
    _add_outcomes(cells, unit, quarter)
    return cells


def _add_outcomes(cells: _Cells, unit: _Unit, quarter: str):
    """Care leavers' outcomes (issue 20) by team and all teams: young people = yes + no + not known for each outcome,
    and the teams add up to all teams. In every quarter's cells, as any other count, so that a quarter is suppressed
    the same in every report that holds it (a report draws only its own quarter's outcomes)."""
    teams = unit.outcome_teams.get(quarter, [])
    if unit.outcomes is None or not teams:
        return
    for team in [ALL_TEAMS] + teams:
        tw = {} if team == ALL_TEAMS else {"team": team}
        cohort = ("outcomes", quarter, team, COHORT)
        cells.add(cohort, _sum(unit.outcomes, "young_people", quarter=quarter, part=COHORT, **tw), total=True)
        for outcome in OUTCOMES:
            for p in OUTCOME_PARTS:
                cells.add(("outcomes", quarter, team, outcome, p),
                          _sum(unit.outcomes, "young_people", quarter=quarter, outcome=outcome, part=p, **tw))
            cells.sum_to(cohort, [("outcomes", quarter, team, outcome, p) for p in OUTCOME_PARTS])
    for key in [k for k in cells.values if k[0] == "outcomes" and k[1] == quarter and k[2] == ALL_TEAMS]:
        cells.sum_to(key, [key[:2] + (team,) + key[3:] for team in teams])


def _ratings_sums(ratings: pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]) -> tuple[_Sums, _Sums]:
    """Answers by team (over stages) and by stage (over teams). The ratings query gives them as two grouping sets
    (the other key NULL); a frame with a row per team and stage (tests) serves both. A pair is the two already
    apart (ratings_parts: the report splits them once for 150 authorities)."""
    by_team, by_stage = ratings if isinstance(ratings, tuple) else ratings_parts(ratings)
    return _Sums(by_team, "answers"), _Sums(by_stage, "answers")


def ratings_parts(ratings: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ratings query's rows by team and by stage (see _ratings_sums)."""
    return ratings[ratings["team"].notna()], ratings[ratings["stage_no"].notna()]


def _add_ratings(cells: _Cells, ratings: _Sums, period: str, qs: list[str], team: str, stage, where: dict):
    counts = ratings.each("rating", RATINGS, quarter=qs, **where)
    total = ("ratings", period, team, stage, ALL)
    keys = [("ratings", period, team, stage, r) for r in RATINGS]
    cells.values[total] = sum(counts)
    cells.totals.add(total)
    cells.values.update(zip(keys, counts))
    cells.equations.append({total: 1, **dict.fromkeys(keys, -1)})
