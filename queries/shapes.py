"""Shapes of query results for people: the long, labelled rows the named queries return (a row per group and part)
spread into the tables people download beside a chart (a row per group, a column per part). Pure functions on
DataFrames, no SQL: what a page would otherwise melt or pivot itself."""
from __future__ import annotations

import pandas as pd

# The parts the long queries count, in the order of their labels (queries/sql/_scope.sql): a plan's overall grades
# (SPEC 3.1), an indicator's verdicts, a young person's ratings of a stage.
GRADES = ("good", "requires_improvement", "inadequate", "incomplete")
VERDICTS = ("good", "inadequate", "unknown")
RATINGS = ("red", "amber", "green")


def spread(long: pd.DataFrame, keys: list[str], part: str, parts: tuple[str, ...], total: str,
           after: list[str] = ()) -> pd.DataFrame:
    """Long rows (a row per group and part, every part in every group, in the order of `parts`: as the long queries
    return them) as a row per group: the keys, the total, a count column per part, a pct_ column per part, `after`,
    and too_small. The shape of the tables people download beside a chart."""
    n = len(parts)
    if len(long) % n or (long[part].to_numpy().reshape(-1, n) != list(parts)).any():
        raise ValueError(f"spread: every group must have every {part} ({', '.join(parts)}), in that order")
    wide = long.iloc[::n][list(keys) + [total]].reset_index(drop=True)
    for measure, prefix in (("count", ""), ("pct", "pct_")):
        values = long[measure].to_numpy().reshape(-1, n)
        for i, name in enumerate(parts):
            wide[prefix + name] = values[:, i]
    rest = long.iloc[::n][list(after) + ["too_small"]].reset_index(drop=True)
    return pd.concat([wide, rest], axis=1)


def grades_table(grades: pd.DataFrame) -> pd.DataFrame:
    """plan_grades' rows as the table behind the chart: a row per team or quarter."""
    keys = ["team", "is_total"] if "team" in grades.columns else ["quarter"]
    return spread(grades, keys, "grade", GRADES, "plans")


def indicators_table(verdicts: pd.DataFrame) -> pd.DataFrame:
    """indicator_verdicts' rows as the table behind the chart: a row per indicator and team."""
    return spread(verdicts, ["sort_order", "indicator", "indicator_label", "team", "is_total"], "verdict", VERDICTS, "plans")


def stage_table(by_stage: pd.DataFrame) -> pd.DataFrame:
    """ratings_by_stage's rows as the table behind the chart: a row per stage."""
    return spread(by_stage, ["stage_no", "stage"], "rating", RATINGS, "ratings", after=["score"])


def follow_up_forms(answers: pd.DataFrame) -> pd.DataFrame:
    """follow_up's answers as a row per form (index response_id), in the list's order: its plan, review date, team,
    status, and the stages answered red or amber ("1, 4")."""
    return answers.groupby("response_id", sort=False).agg(
        plan_id=("plan_id", "first"), review_date=("review_date", "first"), team=("team", "first"),
        status=("follow_up_status", "first"), answers=("stage_no", lambda s: ", ".join(str(n) for n in s)))
