"""The quarterly panel report's data: small aggregated tables, already suppressed.

Reads only the public views, through the SQL files in ``report/sql/``. Every count
that leaves this module has been through ``report.suppression`` together with every
other count it is published beside (totals, teams, stages, the other periods), and
every rate is built only from counts that are shown. Nothing here carries a person
key, a name, a date of birth or a comment.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

import queries
from core import calendar
from core.calendar import last_complete_quarter, quarter_dates
from core.settings import load_settings
from core.warehouse_file import connect_read_only

from . import suppression, wording
from .suppression import SUPPRESSED, total_equation

SQL_DIR = Path(__file__).parent / "sql"
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


class ReportError(ValueError):
    """A report cannot be made: one clear line for the person who asked for it."""


@lru_cache(maxsize=None)
def sql(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text()


def query(con, name: str, **params) -> pd.DataFrame:
    text = sql(name)
    used = {k: v for k, v in params.items() if f"${k}" in text}
    return con.execute(text, used).df()


def check_quarter(label: str) -> str:
    """A quarter label like '2026-27 Q2', or ReportError saying what is wrong."""
    label = (label or "").strip()
    if not calendar.is_quarter_label(label):
        raise ReportError(f'"{label}" is not a financial quarter: write it like "2026-27 Q2" (Q1 is April to June)')
    return label


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


def unfinished_note(label: str, today: dt.date) -> str:
    """A caveat for a quarter that has not ended: its figures are partial and will change."""
    first, last = calendar.quarter_bounds(label)
    if today > last:
        return ""
    return (f"Unfinished quarter: {label} runs to {last:%-d %B %Y}; these figures cover {first:%-d %B %Y} to "
            f"{today:%-d %B %Y} only and will change.")


ALL_AUTHORITIES = "all"


def default_authority(authorities: list[str]) -> str | None:
    """The report a panel gets when it names no authority: the only one in the warehouse. With several, none: the
    caller asks which (the page), or says how to choose (the command line: --authority NAME, or all)."""
    return authorities[0] if len(authorities) == 1 else None


@dataclass
class Scope:
    authorities: list[str]
    quarters: list[str]
    today: dt.date


def scope(db_path) -> Scope:
    with connect_read_only(db_path) as con:
        frame = query(con, "scope")
    if frame.empty:
        return Scope([], [], dt.date.today())
    today = pd.Timestamp(frame["today"].iloc[0]).date()
    return Scope(sorted(frame["local_authority"].dropna().unique().tolist()),
                 sorted(frame["quarter"].dropna().unique().tolist()), today)


MAX_NAMED_AUTHORITIES = 3


def authority_label(authority: str | None, authorities: list[str]) -> str:
    if authority:
        return authority
    if len(authorities) == 1:
        return authorities[0]
    if not authorities:
        return "All authorities"
    if len(authorities) > MAX_NAMED_AUTHORITIES:
        # The label is in every page's header and footer: 150 names there would fill half of each page.
        return f"All {len(authorities):,} authorities"
    return "All authorities (" + " and ".join(authorities) + ")"


@dataclass
class ReportData:
    quarter: str
    authority: str
    periods: Periods
    headline: pd.DataFrame            # one row per measure; value / n per period, [c] where hidden
    stages: pd.DataFrame              # co-production by stage, this quarter
    coproduction_teams: pd.DataFrame  # forms, response rate and score by team
    timeliness: pd.DataFrame          # reviews and minutes by team
    quality: pd.DataFrame             # plan quality by team
    files: pd.DataFrame               # data quality: files loaded
    commentary: list[str]
    data_notes: list[str]
    small_number_max: int = 4
    # Forms with red or amber answers and their follow-up by team (issue 19), and the working days allowed
    # (setting follow_up_working_days), which every heading and note of it is written with.
    follow_up: pd.DataFrame = field(default_factory=pd.DataFrame)
    follow_up_working_days: int | None = None
    notes: list[str] = field(default_factory=list)
    # Said beside the title in every format when the quarter has not ended yet ("" when it has).
    unfinished: str = ""
    # Care leavers' outcomes by team (issue 20; empty when no care-leaver list is loaded for the quarter) and one line
    # saying which list they come from, or that there is none.
    care_leavers: pd.DataFrame = field(default_factory=pd.DataFrame)
    care_leavers_note: str = ""
    # The warehouse's settings the timeliness figures were worked out with (every phrase stating them: report/wording.py).
    review_interval_months: int = 6
    minutes_due_working_days: int = 20
    # For audits and tests only (never drawn): every count behind the tables, the equations linking them, the hidden ones.
    protection: tuple | None = field(default=None, repr=False)


# ---------------------------------------------------------------- counts


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
        self.orders: dict[tuple, tuple] = {}  # keyword order as called -> sorted column names
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

    def __call__(self, **where) -> int:
        order = tuple(where)
        names = self.orders.get(order)
        if names is None:
            names = self.orders[order] = tuple(sorted(order))
        table = self._table(names)
        keys = [()]
        for name in names:
            value = where[name]
            options = value if isinstance(value, (list, tuple, set)) else (value,)
            keys = [k + (o,) for k in keys for o in options]
        # the usual lookup (one quarter, one team) is a single dict read
        return table.get(keys[0], 0) if len(keys) == 1 else sum(table.get(k, 0) for k in keys)


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


def _unit(reviews: pd.DataFrame, forms: pd.DataFrame, ratings: pd.DataFrame, plans: pd.DataFrame,
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
            for q, team in zip(frame["quarter"], frame["team"]):
                found.setdefault(q, set()).add(team)
        teams = {q: sorted(ts) for q, ts in found.items()}
    elif not isinstance(teams, dict):
        teams = {q: list(teams) for q in set(reviews["quarter"]) | set(forms["quarter"]) | set(plans["quarter"])}
    by_team, by_stage = _ratings_sums(ratings)
    if outcomes is None:
        outcomes = outcome_frame(None)
    outcome_teams: dict = {}
    for q, team in zip(outcomes["quarter"], outcomes["team"]):
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
    """One team's (or all teams') counts for a quarter or a rolling year, with the equations between them."""
    tw = {} if team == ALL_TEAMS else {"team": team}
    # Reviews held: all = assessed + not assessed; assessed = on time + late.
    held = {s: _sum(unit.reviews, "reviews", quarter=qs, held_status=s, **tw) for s in HELD}
    all_key = ("reviews", period, team, ALL)
    cells.add(all_key, sum(held.values()), total=True)
    cells.add(("reviews", period, team, "assessed"), held["on_time"] + held["late"], total=True)
    for s in HELD:
        cells.add(("reviews", period, team, s), held[s])
    cells.sum_to(("reviews", period, team, "assessed"),
                 [("reviews", period, team, "on_time"), ("reviews", period, team, "late")])
    cells.sum_to(all_key, [("reviews", period, team, "assessed"), ("reviews", period, team, "not_assessed")])
    # Minutes of those reviews: all = due + outstanding + unknown; due = on time + late + overdue.
    minutes = {s: _sum(unit.reviews, "reviews", quarter=qs, minutes_status=s, **tw) for s in MINUTES}
    cells.add(("minutes", period, team, "due"), minutes["on_time"] + minutes["late"] + minutes["overdue"],
              total=True)
    for s in MINUTES:
        cells.add(("minutes", period, team, s), minutes[s])
    cells.sum_to(("minutes", period, team, "due"),
                 [("minutes", period, team, s) for s in ("on_time", "late", "overdue")])
    cells.sum_to(all_key, [("minutes", period, team, s) for s in ("due", "outstanding", "unknown")])
    # Forms returned.
    cells.add(("forms", period, team, ALL), _sum(unit.forms, "forms", quarter=qs, **tw), total=team == ALL_TEAMS)
    # Plan quality.
    overall = {s: _sum(unit.plans, "plans", quarter=qs, overall=s, **tw) for s in OVERALL}
    cells.add(("plans", period, team, ALL), sum(overall.values()), total=True)
    for s in OVERALL:
        cells.add(("plans", period, team, s), overall[s])
    cells.sum_to(("plans", period, team, ALL), [("plans", period, team, s) for s in OVERALL])
    # Traffic-light answers over all stages.
    _add_ratings(cells, unit.by_team, period, qs, team, ALL_STAGES, tw)
    _add_follow_up(cells, unit, period, qs, team, tw)


def _add_follow_up(cells: _Cells, unit: _Unit, period: str, qs: list[str], team: str, tw: dict):
    """Forms with red or amber answers (issue 19): all = due + not yet due; due = in time + late + overdue + unknown;
    followed up = in time + late. The share followed up in time is in time / due."""
    counts = {s: (_sum(unit.follow_ups, "forms", quarter=qs, status=s, **tw) if unit.follow_ups is not None else 0)
              for s in FOLLOW_UP}
    base = ("follow_up", period, team)
    cells.add(base + (ALL,), sum(counts.values()), total=True)
    cells.add(base + ("due",), sum(counts.values()) - counts["not_yet_due"], total=True)
    cells.add(base + ("followed_up",), counts["in_time"] + counts["late"])
    for s in FOLLOW_UP:
        cells.add(base + (s,), counts[s])
    cells.sum_to(base + (ALL,), [base + ("due",), base + ("not_yet_due",)])
    cells.sum_to(base + ("due",), [base + (s,) for s in ("in_time", "late", "overdue", "unknown")])
    cells.sum_to(base + ("followed_up",), [base + ("in_time",), base + ("late",)])


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


def _coproduction_forced(quarter: str, unit_key, unit: _Unit, cells: _Cells, hidden: set, stages: list[int],
                         small_number_max: int) -> set:
    """Answers hidden with the forms behind them (SPEC 3, small numbers: a score is a rate over young people).

    A team's score, % green / red and answer count n rest on its forms: hidden when 1-4 forms have a rated
    stage, and whenever its forms count is hidden, since n bounds it (forms <= n <= 10 x forms), so a shown n
    beside a hidden count could pin it. For all teams that includes every stage's answers.
    """
    out = set()
    for team in [ALL_TEAMS] + unit.teams.get(quarter, []):
        tw = {} if team == ALL_TEAMS else {"team": team}
        rated = _sum(unit.rated, "rated_forms", quarter=[quarter], **tw)
        if (unit_key, "forms", quarter, team, ALL) in hidden or suppression.is_small(rated, small_number_max):
            out |= {(unit_key, "ratings", quarter, team, ALL_STAGES, r) for r in RATINGS + (ALL,)}
            if team == ALL_TEAMS:
                out |= {(unit_key, "ratings", quarter, team, s, r) for s in stages for r in RATINGS + (ALL,)}
    return out


def _protect_quarter(quarter: str, units: dict, stages: list[int], small_number_max: int) -> tuple[set, dict]:
    """The hidden cells of one quarter in every report that can be made: each authority's and all authorities'.

    Decided jointly: all authorities' cell = the sum of the authorities' cells is an equation like a team total,
    so a count hidden in one authority's report cannot come back as (all authorities) - (the others).
    Returns hidden (unit, key) cells and each unit's cells.
    """
    joint, per_unit = _Cells(), {}
    for unit_key, unit in units.items():
        if unit_key is not None:
            per_unit[unit_key] = _quarter_cells(quarter, unit, stages)
    # A team of one authority has the same counts in the all-authorities report: copied, not summed again (a second).
    owners: dict = {}
    for unit_key, cells in per_unit.items():
        for team in cells.teams:
            if team != ALL_TEAMS:
                owners.setdefault(team, []).append(cells.teams[team])
    if None in units:
        shared = units[None].shared_teams
        copy = {} if shared is None else {t: c[0] for t, c in owners.items() if len(c) == 1 and t not in shared}
        per_unit[None] = _quarter_cells(quarter, units[None], stages, copy)
    per_unit = {unit_key: per_unit[unit_key] for unit_key in units}
    # A team's cells in the all-authorities report are the same numbers as in its own authority's report (and so are
    # every cell of a warehouse with one authority and no unlinked forms): one cell
    # each (an alias), not two cells and an equation, which would double the problem with 150 authorities.
    alias: dict[tuple, tuple] = {}
    parts_of: dict[tuple, list] = {}          # each cell's authorities, found once (150 authorities x their cells)
    # Forms not linked to a plan yet belong to no authority, and add to all authorities' all-teams forms, answers and
    # follow-ups. When they add 0 to one of those (none of them red, say), all authorities' cell equals the
    # authorities' sum by chance, not by construction: no alias and no equation then, or their hidden 0 would be
    # pinned by equations a panel cannot know hold (it is protected by the team sums, as any team's).
    unlinked = None in units and NOT_LINKED in units[None].teams.get(quarter, [])
    # The same for care leavers on a list whose authority has no report (none given, or no plans loaded for it): in the
    # all-authorities report only; the teams they are in, and all teams, equal the authorities' sum only by chance.
    foreign = _foreign_teams(units, quarter)

    def by_chance(key):
        return (unlinked and key[2] == ALL_TEAMS and key[0] in ("forms", "ratings", "follow_up")) or \
            (key[0] == "outcomes" and key[2] in foreign)

    if None in units and len(units) > 1:
        for a in units:
            if a is not None:
                for key in per_unit[a].values:
                    parts_of.setdefault(key, []).append((a,) + key)
        for key, value in per_unit[None].values.items():
            parts = parts_of.get(key)
            if parts and len(parts) == 1 and per_unit[parts[0][0]].values[key] == value and not by_chance(key):
                alias[(None,) + key] = parts[0]
    for unit_key, mine in per_unit.items():   # (dict updates, not a call a cell: there are ~100,000 a quarter)
        joint.values.update({(unit_key,) + k: v for k, v in mine.values.items() if (unit_key,) + k not in alias})
        joint.totals |= {(unit_key,) + k for k in mine.totals if (unit_key,) + k not in alias}
        if unit_key is not None or not alias:
            joint.equations += [{(unit_key,) + k: c for k, c in eq.items()} for eq in mine.equations]
            continue
        for eq in mine.equations:
            merged: dict = {}
            for k, c in eq.items():
                cell = alias.get((unit_key,) + k, (unit_key,) + k)
                merged[cell] = merged.get(cell, 0) + c
            merged = {k: c for k, c in merged.items() if c}
            if merged:
                joint.equations.append(merged)
    for key, value in (per_unit[None].values.items() if parts_of else ()):
        parts = parts_of.get(key)
        # Only true equations: forms not linked to a plan yet belong to no authority (see by_chance).
        if parts and (None,) + key not in alias and not by_chance(key) and value == sum(joint.values[p] for p in parts):
            joint.sum_to((None,) + key, parts)
    # Hide team-level and single-stage cells before any all-teams figure the headline is read for (a rate's numerator or
    # denominator, the answers of the score). The other all-teams counts (late, overdue, not assessed, ...) are drawn
    # once, in the all-teams row of the quarter's table, and no rate rests on them: hiding one costs that cell only,
    # where a team's count would cost the team's rate.
    keep = joint.totals | {k for k in joint.values if k[3] == ALL_TEAMS and (
        (k[1], k[-1]) in HEADLINE_COUNTS if k[1] != "ratings" else k[4] == ALL_STAGES)}
    # The all-authorities report is the one least read (one authority's panel reads its own; the page and the
    # command line default to one authority): its figures are hidden first, before any authority's own.
    # Then counts of categories no rate or chart of the report rests on, before those the story is told with.
    cheap = {k: 1 for k in joint.values if k[-1] in UNIMPORTANT.get(k[1], ())}
    if len(units) > 1:
        cheap.update({k: 0 for k in joint.values if k[0] is None})

    def with_aliases(hidden):
        return hidden | {a for a, target in alias.items() if target in hidden}

    def needed(hidden):
        full = with_aliases(hidden)
        return {alias.get(k, k) for k in set().union(*(
            _coproduction_forced(quarter, u, units[u], per_unit[u], full, stages, small_number_max) for u in units))}

    # Forms counts share no equation with anything else: their hidden cells first (a small problem), so the whole
    # quarter is usually suppressed once; the loop makes sure the answers of every hidden forms count are hidden.
    forms = {k: v for k, v in joint.values.items() if k[1] == "forms"}
    forced = needed(suppression.suppress(forms, [eq for eq in joint.equations if all(k[1] == "forms" for k in eq)],
                                         small_number_max, totals=keep & forms.keys(), cheap=cheap))
    while True:
        hidden = suppression.suppress(joint.values, joint.equations, small_number_max, totals=keep,
                                      forced=forced, cheap=cheap)
        if needed(hidden) <= hidden:
            return with_aliases(hidden), per_unit
        forced |= needed(hidden)


def _foreign_teams(units: dict, quarter: str) -> set:
    """The teams (and all teams) of the all-authorities report's outcomes holding care leavers of no authority that has
    a report of its own."""
    if None not in units or units[None].outcomes is None or units[None].outcomes.frame.empty:
        return set()
    frame = units[None].outcomes.frame
    rows = frame[(frame["quarter"] == quarter) & ~frame["local_authority"].isin([a for a in units if a is not None])]
    teams = set(rows["team"])
    return teams | {ALL_TEAMS} if teams else set()


def _add_rolling(cells: _Cells, hidden: set, periods: Periods, unit: _Unit):
    """The '12 months to' figures, each the sum of its four quarters (all teams only).

    Hidden when the same figure is hidden in any of its four quarters; no other rule is needed. Why: take any
    hidden quarter cell x. Its quarter's suppression leaves a change d of that quarter's hidden cells, d(x) != 0,
    that keeps every equation of the quarter (across teams and authorities) true. A rolling figure containing the
    quarter moves by d of the same figure, non-zero only if that figure is hidden in the quarter, so the rolling
    figure is hidden too. So every figure in every report (of any quarter: each quarter's cells are the same in
    all of them) is unchanged or hidden, and x cannot be worked out, e.g. not as R(t-1) + q(t) - R(t), whatever
    reports are put side by side. The quarter that just dropped out needs no rule: it is in R(t-1).
    """
    for q in periods.shown:
        year = periods.year_label(q)
        before = set(cells.values)
        _add_period(cells, unit, year, periods.rolling(q), ALL_TEAMS)
        if q == periods.quarter:
            # Each team's follow-up share over the year too (issue 19: a quarter's few forms are mostly hidden). The
            # same rule holds: a quarter the team has no figure in holds none of its forms (a shown 0).
            for team in unit.teams.get(q, []):
                _add_follow_up(cells, unit, year, periods.rolling(q), team, {"team": team})
        for key in [k for k in cells.values if k not in before]:
            parts = [(key[0], quarter) + key[2:] for quarter in periods.rolling(q)]
            cells.equations.append({key: 1, **{part: -1 for part in parts if part in cells.values}})
            if any(part in hidden for part in parts):
                hidden.add(key)


def _report_cells(periods: Periods, units: dict, unit_key, stages: list[int],
                  small_number_max: int) -> tuple[_Cells, set]:
    """One report's cells (every quarter it needs, and its rolling years) and the hidden ones among them."""
    cells, hidden = _Cells(), set()
    for quarter in periods.quarters_needed:
        joint_hidden, per_unit = _protect_quarter(quarter, units, stages, small_number_max)
        mine = per_unit[unit_key]
        cells.values.update(mine.values)
        cells.totals |= mine.totals
        cells.equations += mine.equations
        hidden |= {k[1:] for k in joint_hidden if k[0] == unit_key}
    _add_rolling(cells, hidden, periods, units[unit_key])
    return cells, hidden


def _build_cells(periods: Periods, teams: list[str], stages: list[int], reviews: pd.DataFrame,
                 forms: pd.DataFrame, ratings: pd.DataFrame, plans: pd.DataFrame) -> _Cells:
    """Every count of one report (teams in every quarter), unsuppressed: for tests."""
    unit = _unit(reviews, forms, ratings, plans, teams=teams)
    cells = _Cells()
    for quarter in periods.quarters_needed:
        mine = _quarter_cells(quarter, unit, stages)
        cells.values.update(mine.values)
        cells.totals |= mine.totals
        cells.equations += mine.equations
    _add_rolling(cells, set(), periods, unit)
    return cells


def _ratings_sums(ratings: pd.DataFrame) -> tuple[_Sums, _Sums]:
    """Answers by team (over stages) and by stage (over teams). The ratings query gives them as two grouping sets
    (the other key NULL); a frame with a row per team and stage (tests) serves both."""
    by_team = ratings[ratings["team"].notna()]
    by_stage = ratings[ratings["stage_no"].notna()]
    return _Sums(by_team, "answers"), _Sums(by_stage, "answers")


def _add_ratings(cells: _Cells, ratings: _Sums, period: str, qs: list[str], team: str, stage, where: dict):
    counts = {r: _sum(ratings, "answers", quarter=qs, rating=r, **where) for r in RATINGS}
    base = ("ratings", period, team, stage)
    cells.add(base + (ALL,), sum(counts.values()), total=True)
    for r in RATINGS:
        cells.add(base + (r,), counts[r])
    cells.sum_to(base + (ALL,), [base + (r,) for r in RATINGS])


# ---------------------------------------------------------------- display


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
    """The headline's measures, named with the settings they are worked out with (report/wording.py): the review
    interval and the working days for minutes (the warehouse's), the working days allowed for a follow-up."""
    return [
        # name, kind, numerator, denominator, higher is better
        ("Reviews held", "count", ("reviews", ALL), None, None),
        (f"{wording.reviews_in_time(review_months)} of the last plan", "pct", ("reviews", "on_time"),
         ("reviews", "assessed"), True),
        (f"Review minutes sent {wording.within_working_days(minutes_days)}", "pct", ("minutes", "on_time"),
         ("minutes", "due"), True),
        ("Young people's feedback forms returned (per review held)", "pct", ("forms", ALL), ("reviews", ALL), True),
        ("Co-production score (0 to 100, young people's ratings)", "score", None, None, True),
        ("Review stages rated green by young people", "pct", ("ratings", "green"), ("ratings", ALL), True),
        ("Plans rated good", "pct", ("plans", "good"), ("plans", ALL), True),
        ("Plans rated inadequate", "pct", ("plans", "inadequate"), ("plans", ALL), False),
        (f"Forms with red or amber answers followed up {wording.within_working_days(follow_up_days)}", "pct",
         ("follow_up", "in_time"), ("follow_up", "due"), True),
    ]


HEADLINE_MEASURES = headline_measures(20)[:-1]  # with the default settings, no follow-up (tests of one-off figures)


# The all-teams counts a headline rate rests on (numerators and denominators; every answer count of the score), and
# the care leavers' counts the commentary's shares rest on: hidden only as a last resort (_protect_quarter).
HEADLINE_COUNTS = {part for m in headline_measures(0) for part in m[2:4] if part} | {
    ("outcomes", "yes"), ("outcomes", COHORT)}


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


def _files(con, small_number_max: int) -> tuple[pd.DataFrame, list[str]]:
    files = query(con, "files_loaded")
    rejected = query(con, "rows_rejected")
    counts = files.set_index("file_name")[["rows_loaded", "rows_rejected", "rows_duplicate"]]
    counts.index.name = None
    table = suppression.suppress_table(counts, row_total="All files", column_total="rows_read",
                                       small_number_max=small_number_max)
    table = table.rename(columns={"rows_read": "Rows read", "rows_loaded": "Rows loaded",
                                  "rows_rejected": "Rows rejected", "rows_duplicate": "Duplicate rows"})
    table = table[["Rows read", "Rows loaded", "Rows rejected", "Duplicate rows"]]
    kinds = dict(zip(files["file_name"], files["kind"]))
    loaded_on = dict(zip(files["file_name"], pd.to_datetime(files["loaded_at"]).dt.strftime("%d/%m/%Y")))
    table.insert(0, "Loaded on", [loaded_on.get(f, "") for f in table.index])
    table.insert(0, "Kind of export", [{"plans": "Pathway plans", "actions": "Plan actions",
                                        "traffic_light": "Rate your review forms"}.get(kinds.get(f), "") for f in table.index])
    table = table.reset_index().rename(columns={"index": "File"})
    notes = []
    for file_name, group in rejected.groupby("file_name"):
        notes.append(f"{file_name}: rows were rejected for problems in "
                     + ", ".join(f"'{c}'" for c in sorted(group["column_name"])) + ".")
    return table, notes


def build(db_path, quarter: str | None = None, authority: str | None = None,
          small_number_max: int | None = None) -> ReportData:
    """The report for one financial quarter (default: the last complete one), suppressed and ready to draw."""
    if not Path(db_path).exists():
        raise ReportError(f"There is no warehouse at {db_path}: load some exports first (python -m etl load …)")
    found = scope(db_path)
    if authority and authority not in found.authorities:
        raise ReportError(f'There is no data for "{authority}" in the warehouse '
                          f'(it holds: {", ".join(found.authorities) or "nothing yet"})')
    quarter = check_quarter(quarter) if quarter else last_complete_quarter(found.today)
    periods = Periods(quarter)
    # A panel can get the all-authorities report (every row, forms not linked to a plan yet included: they have no
    # authority) and each authority's: every one of them is protected together with all the others
    # (_protect_quarter), even with one authority, whose report differs from all authorities' by the unlinked forms.
    params = {"quarters": periods.quarters_needed, "authority": None}
    with connect_read_only(db_path) as con:
        stored = con.execute("select small_number_max, review_interval_months, minutes_due_working_days "
                             "from settings").fetchall()[0]
        if small_number_max is None:
            small_number_max = int(stored[0])
        months, minutes_days = int(stored[1]), int(stored[2])
        frames = {name: query(con, name, **params) for name in ("reviews_held", "forms_returned", "ratings",
                                                                  "plan_quality", "rated_forms")}
        stage_frame = query(con, "stages")
        files, data_notes = _files(con, small_number_max)
        lists = query(con, "care_leaver_lists", quarters=periods.quarters_needed)
        labels = outcome_labels(con)
    # Issue 20: care leavers' outcomes, counts only, suppressed with everything else below.
    outcome_counts = queries.care_leaver_outcome_counts(db_path)
    frames["outcomes"] = outcome_frame(outcome_counts[outcome_counts["quarter"].isin(periods.quarters_needed)])
    # Issue 19: counts only, from the follow-up store beside the warehouse (no note, no form ID); every authority's
    # and the forms not linked to a plan yet, suppressed with everything else below.
    frames["follow_ups"] = follow_up_frame(queries.follow_up_counts_for_report(db_path, periods.quarters_needed, None))
    days = load_settings().follow_up_working_days
    units = {}
    # each authority's rows, split once (not one scan of every frame for each of 150 authorities)
    split = {n: dict(tuple(f.groupby("local_authority", sort=False))) for n, f in frames.items()}
    for a in [None] + found.authorities:
        picked = frames if a is None else {n: split[n].get(a, f.iloc[:0]) for n, f in frames.items()}
        units[a] = _unit(picked["reviews_held"], picked["forms_returned"], picked["ratings"], picked["plan_quality"],
                         picked["rated_forms"], follow_ups=picked["follow_ups"], outcomes=picked["outcomes"])
    owners = pd.concat([f[["team", "local_authority"]] for n, f in frames.items() if n != "ratings"]
                       + [frames["ratings"].loc[frames["ratings"]["team"].notna(), ["team", "local_authority"]]])
    owners = owners.drop_duplicates()
    units[None].shared_teams = set(owners.loc[owners["local_authority"].isna() | owners["team"].duplicated(keep=False),
                                              "team"])
    for a, unit in units.items():
        if a is not None:
            for part in ("reviews", "forms", "by_team", "by_stage", "plans", "rated", "follow_ups", "outcomes"):
                getattr(unit, part).share(getattr(units[None], part), a)
    reviews, plans, forms = units[authority].reviews.frame, units[authority].plans.frame, units[authority].forms.frame
    in_quarter = sum(int(f.loc[f["quarter"] == quarter, c].sum())
                     for f, c in ((reviews, "reviews"), (forms, "forms"), (plans, "plans")))
    if in_quarter == 0:
        held = ", ".join(found.quarters[:1] + (["…"] if len(found.quarters) > 2 else []) + found.quarters[-1:])
        raise ReportError(f"There is no data for {quarter} ({quarter_dates(quarter)})"
                          + (f" for {authority}" if authority else "")
                          + (f": the warehouse holds {held}" if found.quarters else ": the warehouse is empty"))

    teams = units[authority].teams.get(quarter, [])
    stage_names = dict(zip(stage_frame["stage_no"].astype(int), stage_frame["stage"]))
    cells, hidden = _report_cells(periods, units, authority, list(stage_names), small_number_max)
    pub = _Published(cells, hidden)
    q = periods.quarter

    def r(kind, category):
        return lambda team: pub.show((kind, q, team, category))

    def pct(num, den):
        return lambda team: _round(pub.rate((num[0], q, team, num[1]), (den[0], q, team, den[1])))

    timeliness = _by_team(pub, periods, teams, [
        ("Reviews held", r("reviews", ALL)),
        (wording.held_column(months), r("reviews", "on_time")),
        ("Held late", r("reviews", "late")),
        ("First review on record (not assessed)", r("reviews", "not_assessed")),
        (wording.held_share_column(months), pct(("reviews", "on_time"), ("reviews", "assessed"))),
        ("n (reviews assessed)", r("reviews", "assessed")),
        ("Minutes on time", r("minutes", "on_time")),
        ("Minutes late", r("minutes", "late")),
        ("Minutes overdue (not sent)", r("minutes", "overdue")),
        ("Minutes not yet due", r("minutes", "outstanding")),
        ("Minutes: dates unclear", r("minutes", "unknown")),
        ("% minutes on time", pct(("minutes", "on_time"), ("minutes", "due"))),
        ("n (minutes due)", r("minutes", "due")),
    ])
    coproduction_teams = _by_team(pub, periods, teams, [
        ("Reviews held", r("reviews", ALL)),
        ("Forms returned", r("forms", ALL)),
        ("% forms returned", pct(("forms", ALL), ("reviews", ALL))),
        ("Score (0-100)", lambda team: _round(pub.score(("ratings", q, team, ALL_STAGES)))),
        ("n (answers)", lambda team: pub.show(("ratings", q, team, ALL_STAGES, ALL))),
    ])
    quality = _by_team(pub, periods, teams, [
        ("Plans", r("plans", ALL)),
        ("Good", r("plans", "good")),
        ("Requires improvement", r("plans", "requires_improvement")),
        ("Inadequate", r("plans", "inadequate")),
        ("Incomplete", r("plans", "incomplete")),
        ("% good", pct(("plans", "good"), ("plans", ALL))),
        ("% inadequate", pct(("plans", "inadequate"), ("plans", ALL))),
    ])
    year = periods.year_label(q)

    def fu(category, period=q):
        return lambda team: pub.show(("follow_up", period, team, category))

    def fu_pct(num, den, period=q):
        return lambda team: _round(pub.rate(("follow_up", period, team, num), ("follow_up", period, team, den)))

    follow_up = _by_team(pub, periods, teams, [
        ("Forms with red or amber answers", fu(ALL)),
        ("Followed up", fu("followed_up")),
        (wording.followed_up_column(days), fu("in_time")),
        ("Overdue (not followed up)", fu("overdue")),
        ("Not yet due", fu("not_yet_due")),
        ("% followed up", fu_pct("followed_up", ALL)),
        (wording.followed_up_share_column(days), fu_pct("in_time", "due")),
        ("n (forms due a follow-up)", fu("due")),
        (f"% {wording.within_working_days(days)}, {year}", fu_pct("in_time", "due", year)),
        (f"n, {year}", fu("due", year)),
    ])
    outcome_teams = units[authority].outcome_teams.get(q, [])
    care_leavers = _care_leavers_table(pub, q, outcome_teams, labels) if outcome_teams else pd.DataFrame()
    mine = lists[lists["quarter"] == q] if authority is None else \
        lists[(lists["quarter"] == q) & (lists["local_authority"] == authority)]
    measures = headline_measures(days, months, minutes_days)
    headline = _headline(pub, periods, measures)
    stages = _stages(pub, periods, stage_names)
    data_notes = [
        f"This quarter ({quarter_dates(quarter)}) the warehouse holds {_fmt(pub.show(('plans', q, ALL_TEAMS, ALL)))} "
        f"pathway plan versions, {_fmt(pub.show(('reviews', q, ALL_TEAMS, ALL)))} reviews held and "
        f"{_fmt(pub.show(('forms', q, ALL_TEAMS, ALL)))} 'Rate your review' forms.",
        "The table lists every export loaded into the warehouse (all periods and authorities). Rejected rows are not "
        "in any figure; the data officer can see each one, with its reason, on the Data loads page.",
    ] + data_notes
    report = ReportData(quarter=quarter, authority=authority_label(authority, found.authorities), periods=periods,
                        headline=headline, stages=stages, coproduction_teams=coproduction_teams,
                        timeliness=timeliness, quality=quality, files=files,
                        commentary=commentary(pub, periods, stage_names, measures)
                        + follow_up_commentary(pub, q, teams, days)
                        + outcomes_commentary(pub, q, outcome_teams, labels), data_notes=data_notes,
                        small_number_max=small_number_max, follow_up=follow_up, follow_up_working_days=days,
                        care_leavers=care_leavers, care_leavers_note=care_leavers_note(q, mine, care_leavers),
                        review_interval_months=months, minutes_due_working_days=minutes_days)
    report.unfinished = unfinished_note(quarter, found.today)
    report.notes = notes(report)
    report.protection = (cells.values, cells.equations, hidden)
    return report


def outcome_labels(con) -> dict[str, str]:
    """{outcome: plain-English label} from the outcome_labels view of queries/sql/_scope.sql (their one home)."""
    from queries import runner
    statement = next(st for st in runner.sql_text("_scope").split(";\n") if "TEMP VIEW outcome_labels " in st)
    con.execute(statement)
    return dict(con.execute("SELECT outcome, outcome_label FROM outcome_labels ORDER BY sort_order").fetchall())


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


def care_leavers_note(q: str, lists: pd.DataFrame, table: pd.DataFrame) -> str:
    """Where the outcomes come from (the list's date), or the one line saying no list is loaded for the quarter."""
    if table.empty or lists.empty:
        return (f"No care-leaver list is loaded for {q} ({quarter_dates(q)}): load the list as at a date in the "
                "quarter (Annex A List 9, SSDA903 OC3 or the SSD care leavers table) to see these outcomes.")
    first, last = pd.Timestamp(lists["first_list"].min()), pd.Timestamp(lists["last_list"].max())
    dated = f"dated {last:%d/%m/%Y}" if first == last else f"dated {first:%d/%m/%Y} to {last:%d/%m/%Y}"
    return (f"From the latest care-leaver list in {q} for each young person (the list {dated}): each young person's "
            "team, whether the council is in touch with them, in suitable accommodation and in education, employment "
            "or training, as the list records it. Young people who have died are left out; 'not known' is a blank "
            "or unknown answer. Each share is of all the care leavers on the list.")


def outcomes_commentary(pub: _Published, q: str, teams: list[str], labels: dict) -> list[str]:
    """The share of care leavers with each outcome (all teams), and the team with the lowest share of each.

    SPEC 3, small numbers: a team is named the lowest only when every other team's share is shown; otherwise the
    lowest shown one is given as such, with how many are hidden and could be lower.
    """
    if not teams:
        return []
    cohort = pub.get(("outcomes", q, ALL_TEAMS, COHORT))
    shares = [(labels[o], pub.rate(("outcomes", q, ALL_TEAMS, o, "yes"), ("outcomes", q, ALL_TEAMS, COHORT)))
              for o in OUTCOMES]
    if not cohort or any(v is None for _, v in shares):
        lines = ["Too few care leavers are on the list this quarter to show every outcome's share."]
    else:
        lines = [f"Care leavers on the list (n = {cohort:,}): " + "; ".join(
            f"{label[0].lower() + label[1:]} {value:.0f}%" for label, value in shares) + "."]
    for outcome in OUTCOMES:
        ranked, hidden = [], 0
        for team in teams:
            key = ("outcomes", q, team)
            value, n = pub.rate(key + (outcome, "yes"), key + (COHORT,)), pub.get(key + (COHORT,))
            if value is not None:
                ranked.append((round(value), team, n))
            elif n != 0:
                hidden += 1
        what = labels[outcome][0].lower() + labels[outcome][1:]
        lines += _lowest_team(f"Lowest share of care leavers {what}", ranked, hidden)
    return lines


def _lowest_team(subject: str, ranked: list[tuple], hidden: int) -> list[str]:
    """The team(s) with the lowest shown share, as one sentence; said to be the lowest only when no team's share is
    hidden (a hidden one could be lower). None when fewer than two teams differ. ranked: (share, team, n)."""
    if len({v for v, _, _ in ranked}) < 2:
        return []
    low = min(v for v, _, _ in ranked)
    named = _listed([f"{t}, {low}% (n = {n:,})" for t, n in sorted((t, n) for v, t, n in ranked if v == low)])
    if not hidden:
        return [f"{subject}: {named}."]
    which = "one other team's share is" if hidden == 1 else f"{hidden} other teams' shares are"
    return [f"{subject} of the teams that can be shown: {named}. Not named the lowest: {which} too small to show "
            "and could be lower."]


def _fmt(value) -> str:
    return value if isinstance(value, str) else f"{value:,}"


def score_bounds(pub: _Published, base: tuple) -> tuple[float, float] | None:
    """The lowest and highest co-production score (0-100) that the shown counts of ``base`` allow: the score itself
    when shown; None when even its number of answers is hidden (then it could be anything)."""
    n = pub.get(base + (ALL,))
    if not n:
        return None
    shown = {r: pub.get(base + (r,)) for r in RATINGS}
    points = sum(RATING_POINTS[r] * v for r, v in shown.items() if v is not None)
    rest = n - sum(v for v in shown.values() if v is not None)
    hidden = [RATING_POINTS[r] for r, v in shown.items() if v is None]
    if not hidden:
        return (coproduction_score(points, n),) * 2
    return coproduction_score(points + rest * min(hidden), n), coproduction_score(points + rest * max(hidden), n)


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def commentary(pub: _Published, periods: Periods, stage_names: dict, measures=HEADLINE_MEASURES) -> list[str]:
    """A few plain-English sentences from the published figures only (never from hidden ones).

    SPEC 3, small numbers: a "largest", "weakest" or "best" is decided among the figures that can be shown, and
    named as such only when no hidden figure could rank beyond it; otherwise the sentence says that one is hidden.
    """
    q, prev = periods.quarter, periods.previous
    changes, unknown = [], 0
    for measure in measures:
        if measure[1] == "count":
            continue
        now, n_now = _measure(pub, measure, q)
        then, n_then = _measure(pub, measure, prev)
        if now is None or then is None:
            unknown += 1
            continue
        better = (now - then) if measure[4] else (then - now)
        changes.append((better, measure[0], now, n_now, then, n_then, measure[1]))
    for stage, name in stage_names.items():
        now, then = pub.score(("ratings", q, ALL_TEAMS, stage)), pub.score(("ratings", prev, ALL_TEAMS, stage))
        if now is not None and then is not None:
            n_now = pub.get(("ratings", q, ALL_TEAMS, stage, ALL))
            n_then = pub.get(("ratings", prev, ALL_TEAMS, stage, ALL))
            changes.append((now - then, f"young people's score for stage {stage} ({name})", now, n_now, then, n_then,
                            "score"))
        else:
            unknown += 1

    def said(value, n, kind):
        return f"{value:.0f} out of 100 (n = {n:,} answers)" if kind == "score" else f"{value:.0f}% (n = {n:,})"

    # A figure hidden in either quarter could have changed more than any shown one.
    hedge = "" if not unknown else (" (one other figure is too small to show in one of the two quarters and "
                                    "could have changed more)" if unknown == 1 else
                                    f" ({unknown} other figures are too small to show in one of the two quarters "
                                    "and could have changed more)")
    among = "" if not unknown else " among the figures that can be shown"
    lines = []
    rises = [c for c in changes if round(c[0]) > 0]
    falls = [c for c in changes if round(c[0]) < 0]
    if rises:
        best = max(rises, key=lambda c: c[0])
        lines.append(f"Largest improvement on last quarter{among}: {best[1][0].lower() + best[1][1:]}, "
                     f"{said(best[2], best[3], best[6])} in {q}, compared with {said(best[4], best[5], best[6])} in "
                     f"{prev}{hedge}.")
    else:
        lines.append(f"No measure that can be shown improved on last quarter ({prev}) by a whole point or more"
                     f"{hedge}.")
    if falls:
        worst = min(falls, key=lambda c: c[0])
        lines.append(f"Largest fall on last quarter{among}: {worst[1][0].lower() + worst[1][1:]}, "
                     f"{said(worst[2], worst[3], worst[6])} in {q}, compared with {said(worst[4], worst[5], worst[6])} "
                     f"in {prev}{hedge}.")
    else:
        lines.append(f"No measure that can be shown fell from last quarter ({prev}) by a whole point or more{hedge}.")
    lines.append(_weakest_stage(pub, q, stage_names))
    year = []
    for measure in measures[1:]:
        now, n_now = _measure(pub, measure, q)
        then, n_then = _measure(pub, measure, periods.last_year)
        if now is not None and then is not None:
            better = (now - then) if measure[4] else (then - now)
            year.append((better, measure))
    if year:
        up = sum(1 for b, _ in year if round(b) > 0)
        down = sum(1 for b, _ in year if round(b) < 0)
        lines.append(f"Against the same quarter last year ({periods.last_year}), {up} of the {len(year)} measures "
                     f"that can be compared are better and {down} worse.")
    return lines


def follow_up_commentary(pub: _Published, q: str, teams: list[str], days: int) -> list[str]:
    """The share of forms with red or amber answers followed up in time, and the team with the lowest share.

    SPEC 3, small numbers: a team is named the lowest only when every other team's share is shown (or it had no form
    due): a hidden share could be lower. Otherwise the lowest shown one is given as such, and the sentence says how
    many are hidden. Forms not linked to a plan yet are not a team and are not ranked.
    """
    base = ("follow_up", q, ALL_TEAMS)
    due = pub.get(base + ("due",))
    share = pub.rate(base + ("in_time",), base + ("due",))
    if due == 0:
        lines = [f"No form with red or amber answers was due a follow-up this quarter ({days} working days allowed)."]
    elif share is None:
        lines = ["Too few forms with red or amber answers were due a follow-up this quarter to show the share followed "
                 f"up {wording.within_working_days(days)}."]
    elif pub.get(base + ("followed_up",)) == 0:
        lines = [f"No follow-up of red or amber answers was recorded on the dashboard's Follow-up page this quarter: "
                 f"0% of the forms due a follow-up (n = {due:,}) were followed up {wording.within_working_days(days)}."]
    else:
        lines = [f"Forms with red or amber answers followed up with the young person {wording.within_working_days(days)}: "
                 f"{share:.0f}% of the forms due a follow-up (n = {due:,})."]
    ranked, hidden = [], 0
    for team in teams:
        if team == NOT_LINKED:
            continue
        key = ("follow_up", q, team)
        value, n = pub.rate(key + ("in_time",), key + ("due",)), pub.get(key + ("due",))
        if value is not None:
            ranked.append((round(value), team, n))
        elif n != 0:  # hidden, or resting on a hidden count: it could be anything
            hidden += 1
    return lines + _lowest_team("Lowest share followed up in time", ranked, hidden)


def _weakest_stage(pub: _Published, q: str, stage_names: dict) -> str:
    """The weakest stage, named only when no stage whose score is hidden could be lower (its bounds from the shown
    counts say so); else the lowest shown score, with the hidden stages that could be lower named as hidden."""
    scored, hidden = [], []
    for stage in stage_names:
        bounds = score_bounds(pub, ("ratings", q, ALL_TEAMS, stage))
        value = pub.score(("ratings", q, ALL_TEAMS, stage))
        if value is not None:
            scored.append((value, stage))
        else:
            hidden.append((stage, bounds))
    if not scored:
        return "Too few young people rated their review this quarter to name the weakest stage."
    value, stage = min(scored)
    n = pub.get(("ratings", q, ALL_TEAMS, stage, ALL))
    told = f"stage {stage}, \u201c{stage_names[stage]}\u201d, scoring {value:.0f} out of 100 (n = {n:,} answers)"
    lower = [s for s, bounds in hidden if bounds is None or round(bounds[0]) < round(value)]
    if not lower:
        return f"Weakest stage of the review for young people this quarter: {told}."
    which = ("one stage's figure (stage {}) is" if len(lower) == 1 else "the figures of stages {} are").format(
        _listed([str(s) for s in lower]))
    return (f"Lowest score of the stages that can be shown this quarter: {told}. It is not named the weakest: "
            f"{which} too small to show in full and could be lower.")


def notes(report: ReportData) -> list[str]:
    return [
        suppression.note(report.small_number_max),
        "n is the number each percentage or score is worked out from (reviews, plans, or young people's answers).",
        "Quarters are financial quarters (Q1 is April to June). '12 months to' a quarter covers it and the three "
        "before it.",
        f"A review is on time when it is held {wording.within_months(report.review_interval_months)} of the previous "
        "plan or review; a young person's first review on record cannot be assessed. Minutes are on time when sent "
        f"{wording.within_working_days(report.minutes_due_working_days)} of the meeting; 'overdue' minutes are past "
        "that date and not yet sent; 'not yet due' ones are within it.",
        "Co-production score: young people rate each of ten stages of their review red, amber or green "
        "(the Fostering Network's 'Rate your review'). Red counts 0, amber 1, green 2; the score is the average "
        "scaled to 0-100.",
        "A plan's overall grade: inadequate when it is out of date, or lacks the young person's views, clear "
        "actions with an owner and a date, or aspirational goals; requires improvement when another check is "
        "failed (a 'must' missed); good when every check that applies is met; incomplete when information is "
        "missing and nothing is wrong.",
        f"Follow-up of red and amber answers: a form with a red or amber answer is followed up when someone "
        f"records on the dashboard's Follow-up page that the answers were talked through with the young person; in "
        f"time when that was {wording.within_working_days(report.follow_up_working_days)} of the form being returned (of the "
        "review when the form has no returned date). The share is of the forms due a follow-up: forms still within "
        "the working days allowed and not yet followed up ('not yet due') are left out. The notes written with a "
        "follow-up are never in this report.",
        "Figures belong to the team that held the plan at the time. This report contains no names, no identifiers "
        "and no comments written by young people.",
    ]
