"""Named queries for the dashboard and report: one small function per file in sql/.

Each returns a small DataFrame, with the user's Filters and Scope applied inside SQL.
No Streamlit here; the app caches these per warehouse version (app/data.py).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from etl import warehouse

from . import runner
from .filters import ADMIN, Filters, Scope
from .runner import run

__all__ = ["Filters", "Scope", "ADMIN"]

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


_ATTENTION_WORDS = {
    "minutes": lambda r: (f"{r.subject}: minutes late or not sent for {r.bad} of {r.n} reviews ({r.rate:.0f}%)"
                          + (f", {int(r.extra)} still not sent and overdue." if r.extra else ".")),
    "held_late": lambda r: f"{r.subject}: {r.bad} of {r.n} reviews ({r.rate:.0f}%) were held more than 6 months after the previous plan.",
    "out_of_date": lambda r: f"{r.subject}: {r.bad} of {r.n} young people ({r.rate:.0f}%) have a plan that is out of date today.",
    "stage": lambda r: (f"Co-production is weakest at stage {r.subject}, \u201c{r.detail}\u201d: score {100 - r.rate:.0f} out of 100, "
                        f"{int(r.extra)} of {r.n // 2} ratings red."),
    "indicator": lambda r: f"\u201c{r.subject}\u201d is inadequate in {r.bad} of {r.n} plans ({r.rate:.0f}%).",
}


def attention(db: Db, filters: Filters, scope: Scope = ADMIN, how_many: int = 3) -> pd.DataFrame:
    """The problems most needing attention in the period, worst first, in plain English.

    Candidates are each kind of problem at its worst team (or stage, or indicator), among those with
    enough cases to compare; ranked by the share that is wrong. At most one item per kind.
    """
    cands = run(db, "attention_candidates", filters, scope)
    small = _small_max(db)
    cands = cands[(cands["n"] > small) & (cands["bad"] > 0)].copy()
    if cands.empty:
        return pd.DataFrame(columns=["kind", "subject", "rate", "sentence"])
    cands["bad"] = cands["bad"].astype(int)
    cands["n"] = cands["n"].astype(int)
    cands["rate"] = 100.0 * cands["bad"] / cands["n"]
    # Ties (e.g. two teams at 100%) go to the larger group, then by name: the same answer on every run.
    worst = cands.sort_values(["rate", "n", "subject"], ascending=[False, False, True], kind="stable")
    worst = worst.groupby("kind", sort=False).head(1)
    worst = worst.head(how_many).reset_index(drop=True)
    worst["sentence"] = [_ATTENTION_WORDS[r.kind](r) for r in worst.itertuples()]
    return worst[["kind", "subject", "rate", "sentence"]]


# --- co-production --------------------------------------------------------------------------------

def coproduction_stage_team(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "coproduction_stage_team", filters, scope)


def coproduction_by_stage(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "coproduction_by_stage", filters, scope)


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


# --- review timeliness ----------------------------------------------------------------------------

def minutes_status_by_team_quarter(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "minutes_status_by_team_quarter", filters, scope)


def minutes_working_days(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "minutes_working_days", filters, scope)


def worklist(db: Db, filters: Filters, scope: Scope = ADMIN, iro: str | None = None,
             limit: int | None = None) -> pd.DataFrame:
    """Case level, most urgent first; `limit` keeps the first rows only (column total_rows: the whole list's length)."""
    return run(db, "worklist", filters, scope, {"iro": iro, "limit": limit})


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

def plan_quality_by_team(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "plan_quality_by_team", filters, scope)


def indicators_by_team(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "indicators_by_team", filters, scope)


def plan_quality_trend(db: Db, filters: Filters, scope: Scope = ADMIN) -> pd.DataFrame:
    return run(db, "plan_quality_trend", filters, scope)


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
    with warehouse.connect_read_only(db) as con:
        return con.execute(runner.sql_text("care_leaver_outcome_counts"),
                           {"quarter": quarter, "authority": authority}).df()


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
