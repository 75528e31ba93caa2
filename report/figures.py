"""The quarterly panel report's data: small aggregated tables, already suppressed.

Reads only the public views, through the SQL files in ``report/sql/``. Every count that leaves this module has been
through ``report.suppression`` together with every other count it is published beside (totals, teams, stages, the
other periods), and every rate is built only from counts that are shown. Nothing here carries a person key, a name, a
date of birth or a comment. The report by job: cells.py (what is counted), suppression.py (what is hidden),
content.py and commentary.py (what is said), layout.py (how it is laid out, for every format), html.py / pdf.py /
xlsx.py / charts.py (drawing only); this module reads the warehouse and puts them together (``build``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

import queries
from queries import runner
from core import calendar
from core.calendar import last_complete_quarter, quarter_dates
from core.settings import load_settings
from core.warehouse_file import connect_read_only

from . import hidden_cache, suppression, wording
from .cells import (ALL, ALL_STAGES, ALL_TEAMS, COHORT, FOLLOW_UP, HEADLINE_COUNTS, HELD, MINUTES,  # noqa: F401
                    NOT_LINKED, OUTCOME_PARTS, OUTCOMES, OVERALL, RATING_POINTS, RATINGS, UNIMPORTANT, Periods, _Cells,
                    _unit, coproduction_score, follow_up_frame, outcome_frame, ratings_parts)
from .commentary import commentary, follow_up_commentary, outcomes_commentary, score_bounds  # noqa: F401
from .content import (HEADLINE_MEASURES, _by_team, _care_leavers_table, _fmt, _headline, _Published,  # noqa: F401
                      _round, _stages, headline_measures, pct_text)
from .suppression import SUPPRESSED, _build_cells, _report_cells  # noqa: F401


SQL_DIR = Path(__file__).parent / "sql"


class ReportError(ValueError):
    """A report cannot be made: one clear line for the person who asked for it."""


def query(con, name: str, **params) -> pd.DataFrame:
    """report/sql/<name>.sql through the one query runner, in its aggregate-only mode (counts, never rows)."""
    return runner.run_aggregate(con, SQL_DIR, name, **params)


def check_quarter(label: str) -> str:
    """A quarter label like '2026-27 Q2', or ReportError saying what is wrong."""
    label = (label or "").strip()
    if not calendar.is_quarter_label(label):
        raise ReportError(f'"{label}" is not a financial quarter: write it like "2026-27 Q2" (Q1 is April to June)')
    return label


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
class Coverage:
    """What the warehouse can report on: its authorities and quarters, and the day it counts as today.
    (A user's access is queries.filters.Scope; the rows a load touched are etl's touched_* views.)"""
    authorities: list[str]
    quarters: list[str]
    today: dt.date


def coverage(db_path) -> Coverage:
    with connect_read_only(db_path) as con:
        frame = query(con, "coverage")
    if frame.empty:
        return Coverage([], [], dt.date.today())
    today = pd.Timestamp(frame["today"].iloc[0]).date()
    return Coverage(sorted(frame["local_authority"].dropna().unique().tolist()),
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
    found = coverage(db_path)
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
    parts = {n: f for n, f in frames.items() if n != "ratings"}
    parts["by_team"], parts["by_stage"] = ratings_parts(frames["ratings"])  # split once too, not per authority
    split = {n: dict(tuple(f.groupby("local_authority", sort=False))) for n, f in parts.items()}
    for a in [None] + found.authorities:
        picked = parts if a is None else {n: split[n].get(a, f.iloc[:0]) for n, f in parts.items()}
        units[a] = _unit(picked["reviews_held"], picked["forms_returned"], (picked["by_team"], picked["by_stage"]),
                         picked["plan_quality"],
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
    # Every quarter's hidden cells in every report, kept for the next report of this warehouse version and inputs.
    kept_as = hidden_cache.key(db_path, frames, found.authorities, list(stage_names), small_number_max, quarter)
    known = hidden_cache.load(db_path, kept_as)
    kept = dict(known)
    cells, hidden = _report_cells(periods, units, authority, list(stage_names), small_number_max, known=known)
    if any(kept.get(q) is not cells_of_q for q, cells_of_q in known.items()):  # a quarter protected here
        hidden_cache.save(db_path, kept_as, known)
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
    statement = next(st for st in runner.sql_text("_scope").split(";\n") if "TEMP VIEW outcome_labels " in st)
    con.execute(statement)
    return dict(con.execute("SELECT outcome, outcome_label FROM outcome_labels ORDER BY sort_order").fetchall())


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
