"""Named queries for the dashboard and report: one small function per file in sql/.

Each returns a small DataFrame, with the user's Filters and Scope applied inside SQL.
No Streamlit here; the app caches these per warehouse version (app/data.py).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from core import warehouse_file, wording
from core.settings import load_settings

from . import follow_up_store, runner
from .filters import ADMIN, Filters, Scope
from .runner import run
from .shapes import GRADES, RATINGS, VERDICTS, grades_table, indicators_table, stage_table

__all__ = ["Filters", "Scope", "ADMIN", "GRADES", "VERDICTS", "RATINGS"]

Db = str | Path


# --- the warehouse and the filter choices -------------------------------------------------------

def warehouse_summary(db: Db, filters: Filters = Filters(), scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "warehouse_summary", Filters(), scope)


def quarters(db: Db, filters: Filters = Filters(), scope: Scope = ADMIN) -> pd.DataFrame:
    """Quarters with data the user may see, newest first (ignores the filters)."""
    return run(db, "quarters", Filters(), scope)


def filter_options(db: Db, filters: Filters = Filters(), scope: Scope = ADMIN) -> pd.DataFrame:
    """(nation, local_authority, team) the user may choose (ignores the filters)."""
    return run(db, "filter_options", Filters(), scope)


def iros(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "iros", filters, scope)


# --- overview -------------------------------------------------------------------------------------

def headline(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    """The headline figures for the period beside the previous period's, with the change."""
    now = run(db, "headline", filters, scope)
    previous = filters.previous_period()
    if previous is not None:
        before = run(db, "headline", previous, scope)[["metric", "value", "numerator", "denominator"]]
        before = before.rename(columns={"value": "previous_value", "numerator": "previous_numerator",
                                        "denominator": "previous_denominator"})
        now = now.merge(before, on="metric", how="left")
    else:
        now["previous_value"] = pd.NA
        now["previous_numerator"] = pd.NA
        now["previous_denominator"] = pd.NA
    now["change"] = now["value"] - now["previous_value"]
    size = now["denominator"].where(now["denominator"].notna(), now["numerator"])
    now["too_small"] = size.between(1, _small_max(db))
    return now


def out_of_date_now(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "out_of_date_now", filters, scope)


# Each kind of attention item in words: r is the candidate, t the thresholds the warehouse's figures were worked out
# with (warehouse_summary).
_ATTENTION_WORDS = {
    "minutes": lambda r, t: (f"{r.subject}: minutes late or not sent for {r.bad} of {r.n} reviews ({r.rate:.0f}%)"
                          + (f", {int(r.extra)} still not sent and overdue." if r.extra else ".")),
    "held_late": lambda r, t: (f"{r.subject}: {r.bad} of {r.n} reviews ({r.rate:.0f}%) were held more than "
                               f"{wording.months(t.review_interval_months)} after the previous plan."),
    "out_of_date": lambda r, t: f"{r.subject}: {r.bad} of {r.n} young people ({r.rate:.0f}%) have a plan that is out of date today.",
    "stage": lambda r, t: (f"Co-production is weakest at stage {r.subject}, \u201c{r.detail}\u201d: score {100 - r.rate:.0f} out of 100, "
                        f"{int(r.extra)} of {r.n // 2} ratings red."),
    "indicator": lambda r, t: f"\u201c{r.subject}\u201d is inadequate in {r.bad} of {r.n} plans ({r.rate:.0f}%).",
}


def attention(db: Db, filters: Filters, scope: Scope = ADMIN, how_many: int = 3, store: str | None = None,
              store_version: int | None = None) -> pd.DataFrame:
    """The problems most needing attention in the period, worst first, in plain English.

    Candidates are each kind of problem at its worst team (or stage, or indicator), among those with
    enough cases to compare; ranked by the share that is wrong. At most one item per kind. Overdue follow-ups of
    red and amber answers, when there are any, come first: each is a young person waiting to be heard.
    """
    overdue = _overdue_follow_ups(db, filters, scope, store)
    cands = run(db, "attention_candidates", filters, scope)
    thresholds = warehouse_summary(db).iloc[0]
    small = int(thresholds["small_number_max"])
    cands = cands[(cands["n"] > small) & (cands["bad"] > 0)].copy()
    if cands.empty:
        return overdue
    cands["bad"] = cands["bad"].astype(int)
    cands["n"] = cands["n"].astype(int)
    cands["rate"] = 100.0 * cands["bad"] / cands["n"]
    # Ties (e.g. two teams at 100%) go to the larger group, then by name: the same answer on every run.
    worst = cands.sort_values(["rate", "n", "subject"], ascending=[False, False, True], kind="stable")
    worst = worst.groupby("kind", sort=False).head(1)
    worst = worst.head(how_many).reset_index(drop=True)
    worst["sentence"] = [_ATTENTION_WORDS[r.kind](r, thresholds) for r in worst.itertuples()]
    worst = worst[["kind", "subject", "rate", "sentence"]]
    return pd.concat([overdue, worst], ignore_index=True) if len(overdue) else worst


def _overdue_follow_ups(db: Db, filters: Filters, scope: Scope, store: str | None) -> pd.DataFrame:
    """The attention item for forms in the period whose red or amber answers are overdue a follow-up (none: empty)."""
    counts = follow_up_counts(db, filters, scope, store=store)
    overdue = int(counts["overdue"].sum()) if len(counts) else 0
    if not overdue:
        return pd.DataFrame(columns=["kind", "subject", "rate", "sentence"])
    by_team = counts.assign(team=counts["team"].fillna(NOT_LINKED)).groupby("team")["overdue"].sum()
    by_team = by_team.sort_values(ascending=False, kind="stable")
    most = "" if len(by_team[by_team > 0]) < 2 else f" (most in {by_team.index[0]}: {int(by_team.iloc[0])})"
    forms = "form" if overdue == 1 else "forms"
    sentence = (f"Follow-up overdue: {overdue} {forms} with red or amber answers not talked through with the young "
                f"person more than {wording.working_days(_follow_up_days())} after they were returned{most}. "
                "See the Follow-up page.")
    return pd.DataFrame({"kind": ["follow_up"], "subject": [by_team.index[0]], "rate": [float("nan")],
                         "sentence": [sentence]})


# --- co-production --------------------------------------------------------------------------------

def coproduction_stage_team(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "coproduction_stage_team", filters, scope)


def ratings_by_stage(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    """Long: a row per stage and rating (labelled), with the stage's ratings, score and too_small."""
    return run(db, "ratings_by_stage", filters, scope)


def coproduction_by_stage(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    """A row per stage: ratings, red / amber / green counts and pct_ shares, score, too_small."""
    return stage_table(ratings_by_stage(db, filters, scope))


def weakest_stage(by_stage: pd.DataFrame) -> pd.Series | None:
    """The stage with the lowest score among stages with enough ratings to compare."""
    comparable = by_stage[~by_stage["too_small"].astype(bool) & by_stage["score"].notna()]
    if comparable.empty:
        return None
    return comparable.sort_values(["score", "pct_red"], ascending=[True, False]).iloc[0]


def coproduction_trend(db: Db, filters: Filters, scope: Scope = ADMIN, by: str = "stage") -> pd.DataFrame:
    if by not in ("stage", "team"):
        raise ValueError("by must be 'stage' or 'team'")
    return run(db, "coproduction_trend", filters, scope, {"by": by})


def response_rate(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "response_rate", filters, scope)


def comments(db: Db, filters: Filters, scope: Scope = ADMIN, stage_no: int = 1, team: str | None = None) -> pd.DataFrame:
    return run(db, "comments", filters, scope, {"stage_no": stage_no, "team": team})


# --- follow-up of red and amber answers (SPEC 6a) --------------------------------------------------------
# The follow-ups live in their own store (follow_up_store), not in the warehouse: each query reads the store into a
# small frame registered on its connection as follow_up_records. Only the case-level list reads the notes.
# `store_version` is not used here: callers that cache results by their arguments pass follow_up_store.version(),
# so that a follow-up just recorded shows at once.

def _follow_up_frames(with_notes: bool = False, store: str | None = None) -> dict[str, pd.DataFrame]:
    return {"follow_up_records": follow_up_store.read(store or load_settings().follow_up_store, with_notes)}


def _follow_up_days() -> int:
    return load_settings().follow_up_working_days


def follow_up(db: Db, filters: Filters, scope: Scope = ADMIN, team: str | None = None, iro: str | None = None,
              worker: str | None = None, stage_no: int | None = None, followed_up: bool | None = None,
              response_id: str | None = None, limit: int | None = None, store: str | None = None,
              store_version: int | None = None) -> pd.DataFrame:
    """Case level: every red or amber answer in the period with its form's follow-up, newest form first; `limit`
    keeps the first rows only (columns total_rows and total_forms: the whole list's size)."""
    return run(db, "follow_up", filters, scope,
               {"team": team, "iro": iro, "worker": worker, "stage_no": stage_no, "followed_up": followed_up,
                "response_id": response_id, "due_days": _follow_up_days(), "limit": limit}, frames=_follow_up_frames(True, store))


def follow_up_choices(db: Db, filters: Filters, scope: Scope = ADMIN, store: str | None = None,
                      store_version: int | None = None) -> pd.DataFrame:
    return run(db, "follow_up_choices", filters, scope, frames=_follow_up_frames(False, store))


def follow_up_form(db: Db, scope: Scope, response_id: str, store: str | None = None) -> pd.Series | None:
    """The form to record a follow-up for, if this user may see it at case level and it has a red or amber answer
    (whatever the period); else None. What the page records is checked here, not taken from the page's list."""
    forms = follow_up(db, Filters(), scope, response_id=str(response_id), limit=1, store=store)
    return None if forms.empty else forms.iloc[0]


def follow_up_counts(db: Db, filters: Filters, scope: Scope = ADMIN, trend: bool = False, store: str | None = None,
                     store_version: int | None = None) -> pd.DataFrame:
    """Aggregate counts by quarter, authority and team: forms_with_red_or_amber, followed_up, followed_up_in_time
    (within the follow_up_working_days setting), not_yet_due, overdue. No note, no ID: the panel report can take
    these (after its own suppression) through follow_up_counts_for_report."""
    return run(db, "follow_up_counts", filters, scope, {"due_days": _follow_up_days(), "trend": trend},
               frames=_follow_up_frames(False, store))


def follow_up_counts_for_report(db: Db, quarters: list[str], authority: str | None = None,
                                store: str | None = None) -> pd.DataFrame:
    """The panel report's follow-up counts: follow_up_counts over every team, for these quarters and one authority
    (None: all, forms not linked to a plan yet included, their team NULL). Unsuppressed: the report suppresses them
    together with everything else it publishes."""
    return follow_up_counts(db, Filters(quarters=tuple(sorted(quarters)), local_authority=authority), ADMIN,
                            store=store)


def follow_up_rates(db: Db, filters: Filters, scope: Scope = ADMIN, trend: bool = False, store: str | None = None,
                    store_version: int | None = None) -> pd.DataFrame:
    """By team and quarter (authorities added together; forms not linked to a plan yet as their own group): the
    counts with pct_followed_up (of the forms) and pct_in_time (of the forms that are due or followed up), and
    too_small when the forms number 1 to small_number_max."""
    counts = follow_up_counts(db, filters, scope, trend, store)
    measures = ["forms_with_red_or_amber", "followed_up", "followed_up_in_time", "not_yet_due", "overdue"]
    counts["team"] = counts["team"].fillna(NOT_LINKED)
    rates = counts.groupby(["quarter", "team"], as_index=False, dropna=False)[measures].sum()
    due = rates["forms_with_red_or_amber"] - rates["not_yet_due"]
    rates["pct_followed_up"] = (100.0 * rates["followed_up"] / rates["forms_with_red_or_amber"]).round(1)
    rates["pct_in_time"] = (100.0 * rates["followed_up_in_time"] / due.where(due > 0)).round(1)
    rates["too_small"] = rates["forms_with_red_or_amber"].between(1, _small_max(db))
    return rates.sort_values(["quarter", "team"], kind="stable").reset_index(drop=True)


NOT_LINKED = "Not linked to a plan yet"


# --- review timeliness ----------------------------------------------------------------------------

def minutes_status_by_team_quarter(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "minutes_status_by_team_quarter", filters, scope)


def minutes_working_days(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "minutes_working_days", filters, scope)


def worklist(db: Db, filters: Filters, scope: Scope = ADMIN, iro: str | None = None,
             limit: int | None = None) -> pd.DataFrame:
    """Case level: due soon first, then overdue (most recent first), sent late, and overdue for longer than the
    recording_gap_months setting (probably a recording gap); `limit` keeps the first rows only (column total_rows:
    the whole list's length)."""
    return run(db, "worklist", filters, scope,
               {"iro": iro, "limit": limit, "gap_months": load_settings().recording_gap_months})


def reviews_without_form(db: Db, filters: Filters, scope: Scope = ADMIN, limit: int | None = None) -> pd.DataFrame:
    """Case level: reviews in the period with no form returned, for making online-form links (newest first)."""
    return run(db, "reviews_without_form", filters, scope, {"limit": limit})


def held_on_time_by_team_quarter(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "held_on_time_by_team_quarter", filters, scope)


def out_of_date_by_team(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "out_of_date_by_team", filters, scope)


def out_of_date_plans(db: Db, filters: Filters, scope: Scope = ADMIN, iro: str | None = None,
                      limit: int | None = None) -> pd.DataFrame:
    """Case level, most urgent first; `limit` keeps the first rows only (column total_rows: the whole list's length)."""
    return run(db, "out_of_date_plans", filters, scope, {"iro": iro, "limit": limit})


# --- plan quality ---------------------------------------------------------------------------------

def plan_grades(db: Db, filters: Filters, scope: Scope = ADMIN, by: str = "team") -> pd.DataFrame:
    """Long: a row per team (and all teams) in the period, or per quarter in the trend (`by`), and grade (labelled)."""
    if by not in ("team", "quarter"):
        raise ValueError("by must be 'team' or 'quarter'")
    grades = run(db, "plan_grades", filters, scope, {"by": by, "grades": list(GRADES)}).rename(columns={"group": by})
    return grades if by == "team" else grades.drop(columns="is_total")


def plan_quality_by_team(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return grades_table(plan_grades(db, filters, scope, by="team"))


def plan_quality_trend(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return grades_table(plan_grades(db, filters, scope, by="quarter"))


def indicator_verdicts(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    """Long: a row per indicator, team (and all teams) and verdict (labelled)."""
    return run(db, "indicator_verdicts", filters, scope, {"verdicts": list(VERDICTS)})


def indicators_by_team(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return indicators_table(indicator_verdicts(db, filters, scope))


def plan_drilldown(db: Db, filters: Filters, scope: Scope = ADMIN, team: str | None = None, overall: str | None = None,
                   indicator: str | None = None, verdict: str | None = None) -> pd.DataFrame:
    return run(db, "plan_drilldown", filters, scope,
               {"team": team, "overall": overall, "indicator": indicator, "verdict": verdict})


# --- care leavers: the whole cohort and its outcomes (SPEC 6b) ------------------------------------------------------

def care_leaver_outcomes(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    """Each outcome for all, by team, by age band and by UASC (column dimension), for the lists in the period."""
    return run(db, "care_leaver_outcomes", filters, scope)


def care_leaver_outcomes_trend(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "care_leaver_outcomes_trend", filters, scope)


def without_plan_by_team(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    """Per team: young people owed a pathway plan, with none loaded, with one out of date (today, latest lists)."""
    return run(db, "without_plan_by_team", filters, scope)


def without_plan(db: Db, filters: Filters, scope: Scope = ADMIN, limit: int | None = None) -> pd.DataFrame:
    """Case level: the young people owed a pathway plan with none loaded or none in date (column total_rows: the
    whole list's length when `limit` keeps the first rows only)."""
    return run(db, "without_plan", filters, scope, {"limit": limit})


def care_leaver_outcome_counts(db: Db, quarter: str | None = None, authority: str | None = None) -> pd.DataFrame:
    """For the panel report: counts (young_people, yes, no, not_known; never rates) of each outcome by quarter x
    local_authority x team x outcome. Not scoped and not suppressed: the report suppresses what a panel sees."""
    with warehouse_file.connect_read_only(db) as con:
        return con.execute(runner.sql_text("care_leaver_outcome_counts"),
                           {"quarter": quarter, "authority": authority}).df()


# --- finding one young person by the ID in the council's case system (issue 22) --------------------------------------

def pseudonym(case_id: str, key: str | None = None) -> str | None:
    """The person_key a load gives this case ID: the loader's own keyed hash (etl/sql/macros.sql, made by
    normalise.create_macros), run on a throwaway in-memory connection, so there is one definition of it. The ID is
    used only here: never stored, cached or logged. None for a blank ID."""
    import duckdb

    from etl import normalise
    if not case_id or not case_id.strip():
        return None
    with duckdb.connect() as con:
        normalise.create_macros(con, key if key is not None else load_settings().pseudonym_key)
        return con.execute("SELECT pseudonym(?)", [case_id]).fetchone()[0]


def young_person(db: Db, filters: Filters, scope: Scope = ADMIN, person_key: str | None = None) -> pd.DataFrame:
    """Case level: one young person's plans, reviews and forms (whole history, the user's scope), newest first."""
    return run(db, "young_person", Filters(), scope, {"person_key": person_key})


def _small_max(db: Db) -> int:
    summary = warehouse_summary(db)
    return int(summary["small_number_max"].iloc[0]) if len(summary) else 4


# --- data loads (admin only) -----------------------------------------------------------------------

def _admin_only(scope: Scope) -> None:
    if scope.role != "admin":
        raise PermissionError("Only an admin may see the data loads")


def load_history(db: Db, filters: Filters = Filters(), scope: Scope = ADMIN) -> pd.DataFrame:
    """Every file loaded, newest first."""
    _admin_only(scope)
    return run(db, "load_history", Filters(), scope)


def load_issues(db: Db, filters: Filters = Filters(), scope: Scope = ADMIN, load_id: int = 0) -> pd.DataFrame:
    """The rejected rows and warnings of one load."""
    _admin_only(scope)
    return run(db, "load_issues", Filters(), scope, {"load_id": int(load_id)})
