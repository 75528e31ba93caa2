"""Named queries against a small hand-built warehouse whose right answers are worked out by hand.

today = 2026-06-30. Reviews in 2026-27 Q1 (team A: p1, p2, p3; team B: p4):
  p1  prev plan 01/10/2025, review 01/04/2026 (due 01/04/2026: on time), minutes 10/04 (5 working days, Easter: on time)
  p2  prev plan 01/09/2025, review 15/04/2026 (due 01/03: late), minutes 15/06 (41 working days, two bank holidays: late)
  p3  prev plan 10/01/2026, review 01/06/2026 (on time), minutes not sent, due 29/06: overdue
  p4  prev plan 01/12/2025, review 03/06/2026 (due 01/06: late), minutes not sent, due 01/07: due soon
  p5  team B, one plan 15/11/2025: out of date since 15/05/2026
Forms: p1 stage 1 Red, stage 2 Green; p2 stage 1 Amber ("rushed"), stage 2 Green.
"""
from __future__ import annotations

import datetime as dt

import pytest

import queries
from queries import shapes
from tests.helpers import load_into, write_csv
from queries.filters import Filters, Scope

Q1 = Filters(quarters=("2026-27 Q1",))
HEADER = ["person_id", "team", "plan_date", "plan_id", "review_date", "minutes_sent_date", "iro", "nation", "local_authority"]
PLANS = [
    ["p1", "A", "2025-10-01", "p1v1", "", "", "IRO X", "England", "LA1"],
    ["p1", "A", "2026-04-01", "p1v2", "2026-04-01", "2026-04-10", "IRO X", "England", "LA1"],
    ["p2", "A", "2025-09-01", "p2v1", "", "", "IRO Y", "England", "LA1"],
    ["p2", "A", "2026-04-15", "p2v2", "2026-04-15", "2026-06-15", "IRO Y", "England", "LA1"],
    ["p3", "A", "2026-01-10", "p3v1", "", "", "IRO X", "England", "LA1"],
    ["p3", "A", "2026-06-01", "p3v2", "2026-06-01", "", "IRO X", "England", "LA1"],
    ["p4", "B", "2025-12-01", "p4v1", "", "", "IRO X", "Wales", "LA2"],
    ["p4", "B", "2026-06-03", "p4v2", "2026-06-03", "", "IRO X", "Wales", "LA2"],
    ["p5", "B", "2025-11-15", "p5v1", "", "", "IRO Y", "Wales", "LA2"],
]
FORMS = [["response_id", "person_id", "review_date", "submitted_date", "stage_1", "stage_1_comment", "stage_2"],
         ["f1", "p1", "2026-04-01", "2026-04-02", "Red", "", "Green"],
         ["f2", "p2", "2026-04-15", "2026-04-16", "Amber", "rushed", "Green"]]


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("queries")
    db = tmp / "w.duckdb"
    load_into(db, write_csv(tmp / "plans.csv", [HEADER] + PLANS), write_csv(tmp / "forms.csv", FORMS))
    return db


def metric(frame, name, column="value"):
    return frame.set_index("metric").loc[name, column]


def test_headline_figures_and_change_on_previous_quarter(wh):
    got = queries.headline(wh, Q1)
    assert metric(got, "reviews_held") == 4
    assert (metric(got, "held_on_time", "numerator"), metric(got, "held_on_time", "denominator")) == (2, 4)
    assert metric(got, "held_on_time") == 50.0
    # outstanding minutes (p4) are not yet due, so not in the denominator
    assert (metric(got, "minutes_on_time", "numerator"), metric(got, "minutes_on_time", "denominator")) == (1, 3)
    assert metric(got, "coproduction_score") == pytest.approx(50 * (0 + 2 + 1 + 2) / 4)
    assert metric(got, "response_rate") == 50.0
    assert metric(got, "reviews_held", "previous_value") == 0      # 2025-26 Q4 had only an initial plan
    assert metric(got, "reviews_held", "change") == 4
    assert bool(metric(got, "held_on_time", "too_small"))           # 4 reviews: too small to compare


def test_scope_team_manager_sees_only_their_teams(wh):
    got = queries.headline(wh, Q1, Scope(role="team_manager", teams=("B",)))
    assert metric(got, "reviews_held") == 1
    assert queries.filter_options(wh, scope=Scope(role="team_manager", teams=("B",)))["team"].tolist() == ["B"]
    assert queries.headline(wh, Q1, Scope(role="team_manager"))["numerator"].fillna(0).sum() == 0


def test_filters_team_nation_authority_and_dates(wh):
    assert metric(queries.headline(wh, Filters(quarters=Q1.quarters, teams=("A",))), "reviews_held") == 3
    assert metric(queries.headline(wh, Filters(quarters=Q1.quarters, nation="Wales")), "reviews_held") == 1
    assert metric(queries.headline(wh, Filters(quarters=Q1.quarters, local_authority="LA1")), "reviews_held") == 3
    june = Filters(date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 6, 30))
    assert metric(queries.headline(wh, june), "reviews_held") == 2


def test_worklist_order_and_iro_scope(wh):
    got = queries.worklist(wh, Q1)
    # due this week first, then overdue (issue 22), then sent late
    assert got["plan_id"].tolist() == ["p4v2", "p3v2", "p2v2"]
    assert got["action_needed"].tolist() == ["Due soon: not sent", "Overdue: not sent", "Sent late"]
    assert got.set_index("plan_id").loc["p2v2", "working_days_since_review"] == 41
    assert got.set_index("plan_id").loc["p4v2", "working_days_left"] == 1      # due 01/07, today 30/06
    assert queries.worklist(wh, Q1, iro="IRO Y")["plan_id"].tolist() == ["p2v2"]
    # an IRO sees only their own reviews at case level, whatever they ask for
    assert queries.worklist(wh, Q1, Scope(role="iro", iro="IRO Y"))["plan_id"].tolist() == ["p2v2"]
    assert queries.worklist(wh, Q1, Scope(role="iro", iro="IRO Y"), iro="IRO X").empty
    with pytest.raises(PermissionError):       # the panel sees suppressed aggregates only, never case level
        queries.worklist(wh, Q1, Scope(role="panel"))


def test_minutes_and_held_on_time_by_team(wh):
    status = queries.minutes_status_by_team_quarter(wh, Q1)
    a = status[(status["team"] == "A") & (status["quarter"] == "2026-27 Q1")].set_index("status")["reviews"].to_dict()
    assert a == {"Sent on time": 1, "Sent late": 1, "Not sent and overdue": 1}
    held = queries.held_on_time_by_team_quarter(wh, Q1).set_index("team")
    assert (held.loc["A", "held_on_time"], held.loc["A", "reviews"]) == (2, 3)
    assert (held.loc["B", "held_on_time"], held.loc["B", "reviews"]) == (0, 1)
    days = queries.minutes_working_days(wh, Q1)
    assert sorted(days["working_days"]) == [5, 41]       # Good Friday and Easter Monday 2026 fall in (01/04, 10/04]


def test_out_of_date(wh):
    got = queries.out_of_date_by_team(wh, Q1).set_index("team")
    assert (got.loc["A", "out_of_date"], got.loc["B", "out_of_date"], got.loc["B", "young_people"]) == (0, 1, 2)
    assert got["too_small"].all()
    assert queries.out_of_date_plans(wh, Q1)["plan_id"].tolist() == ["p5v1"]


def test_a_form_with_no_stage_rated_is_still_a_form_returned_and_its_comments_are_kept(tmp_path):
    db = tmp_path / "w.duckdb"
    forms = FORMS + [["f3", "p3", "2026-06-01", "2026-06-02", "", "did not want to rate", ""],   # a comment only
                     ["f4", "p4", "2026-06-03", "2026-06-04", "", "", ""]]                       # every stage blank
    [_, result] = load_into(db, write_csv(tmp_path / "plans.csv", [HEADER] + PLANS),
                            write_csv(tmp_path / "forms.csv", forms))
    assert result.rows_loaded == 4
    rate = queries.response_rate(db, Q1).set_index("team")
    assert (rate.loc["A", "forms_returned"], rate.loc["A", "reviews_held"]) == (3, 3)
    assert (rate.loc["B", "forms_returned"], rate.loc["B", "reviews_held"]) == (1, 1)
    assert rate.loc["All teams", "response_rate"] == 100.0
    assert metric(queries.headline(db, Q1), "response_rate") == 100.0
    said = queries.comments(db, Q1, stage_no=1, team="A").sort_values("comment")
    assert said["comment"].tolist() == ["did not want to rate", "rushed"]
    assert said["rating"].tolist() == ["Not rated", "Amber"]
    # an unrated stage counts in no score: the ratings are those of f1 and f2 only
    assert queries.coproduction_by_stage(db, Q1).set_index("stage_no").loc[1, "ratings"] == 2


def test_response_rate_is_reviews_with_a_form_over_reviews_held_never_forms(tmp_path):
    # SPEC 3: "Response rate = reviews held in the period with at least one form returned ÷ reviews held (never
    # above 100%; forms per review is a separate figure)". p1's review gets three forms (sent again, from a phone).
    db = tmp_path / "w.duckdb"
    forms = FORMS + [["f1b", "p1", "2026-04-01", "2026-04-03", "Green", "", "Green"],
                     ["f1c", "p1", "2026-04-01", "2026-04-04", "Amber", "", ""]]
    load_into(db, write_csv(tmp_path / "plans.csv", [HEADER] + PLANS), write_csv(tmp_path / "forms.csv", forms))
    rate = queries.response_rate(db, Q1).set_index("team")
    assert (rate.loc["A", "reviews_with_form"], rate.loc["A", "reviews_held"], rate.loc["A", "forms_returned"]) == (2, 3, 4)
    assert rate.loc["A", "response_rate"] == pytest.approx(66.7)          # not 4 forms / 3 reviews = 133%
    assert rate.loc["A", "forms_per_review"] == pytest.approx(1.33)
    assert rate.loc["All teams", "response_rate"] == 50.0 and rate.loc["B", "response_rate"] == 0.0
    got = queries.headline(db, Q1)
    assert (metric(got, "response_rate", "numerator"), metric(got, "response_rate", "denominator")) == (2, 4)


def test_coproduction(wh):
    by_stage = queries.coproduction_by_stage(wh, Q1).set_index("stage_no")
    assert by_stage.loc[1, "score"] == 25.0 and by_stage.loc[1, "pct_red"] == 50.0
    assert by_stage.loc[2, "score"] == 100.0 and by_stage.loc[2, "too_small"]
    assert queries.weakest_stage(by_stage.reset_index().assign(too_small=False))["stage_no"] == 1
    assert queries.weakest_stage(by_stage.reset_index()) is None            # every stage too small to compare
    rate = queries.response_rate(wh, Q1).set_index("team")
    assert (rate.loc["A", "forms_returned"], rate.loc["A", "reviews_held"]) == (2, 3)
    assert rate.loc["B", "response_rate"] == 0.0 and rate.loc["All teams", "response_rate"] == 50.0
    said = queries.comments(wh, Q1, stage_no=1, team="A")
    assert said["comment"].tolist() == ["rushed"] and said["rating"].tolist() == ["Amber"]
    with pytest.raises(PermissionError):       # no free text for the panel
        queries.comments(wh, Q1, Scope(role="panel"), stage_no=1)
    trend = queries.coproduction_trend(wh, Q1, by="team")
    assert trend[["quarter", "group", "ratings"]].values.tolist() == [["2026-27 Q1", "A", 4]]


def test_plan_quality_and_drilldown(wh):
    by_team = queries.plan_quality_by_team(wh, Q1).set_index("team")
    assert (by_team.loc["A", "plans"], by_team.loc["B", "plans"], by_team.loc["All teams", "plans"]) == (3, 1, 4)
    indicators = queries.indicators_by_team(wh, Q1)
    minutes = indicators[(indicators["indicator"] == "minutes_on_time") & (indicators["team"] == "All teams")].iloc[0]
    assert (minutes["good"], minutes["inadequate"], minutes["unknown"]) == (1, 2, 1)
    plans = queries.plan_drilldown(wh, Q1, indicator="minutes_on_time", verdict="inadequate")
    assert sorted(plans["plan_id"].unique()) == ["p2v2", "p3v2"]
    assert plans["reason"].notna().all()
    assert queries.plan_drilldown(wh, Q1, Scope(role="iro", iro="IRO Y"))["plan_id"].unique().tolist() == ["p2v2"]
    with pytest.raises(PermissionError):
        queries.plan_drilldown(wh, Q1, Scope(role="panel"))
    assert queries.plan_quality_trend(wh, Q1)["plans"].sum() == 9   # every version since 2024-25 Q4


def test_attention_leaves_out_groups_too_small_to_compare(wh):
    # overdue follow-ups are named however few (each is a young person waiting): not a comparison of groups
    attention = queries.attention(wh, Q1)
    assert attention[attention["kind"] != "follow_up"].empty


def test_filters_previous_period_and_trend():
    assert Filters(quarters=("2026-27 Q1",)).previous_period().quarters == ("2025-26 Q4",)
    assert Filters(quarters=("2026-27 Q1", "2026-27 Q2")).previous_period().quarters == ("2025-26 Q3", "2025-26 Q4")
    prev = Filters(date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 6, 30)).previous_period()
    assert (prev.date_from, prev.date_to) == (dt.date(2026, 5, 2), dt.date(2026, 5, 31))
    assert Filters(quarters=("2026-27 Q1",)).trend_bounds() == (dt.date(2024, 7, 1), dt.date(2026, 6, 30))
    with pytest.raises(ValueError):
        Scope(role="boss")


def test_queries_sharing_one_connection_keep_each_ones_filters_and_scope(wh):
    """runner.reusing_connection: one connection for several named queries (as a page's prefetch does); each
    query still gets its own filters and scope, whatever ran before it on that connection."""
    from queries import runner
    manager_b = Scope(role="team_manager", teams=("B",))
    iro_y = Scope(role="iro", iro="IRO Y")
    asks = [(queries.headline, Q1, queries.ADMIN, {}), (queries.headline, Q1, manager_b, {}),
            (queries.worklist, Q1, iro_y, {}), (queries.worklist, Q1, queries.ADMIN, {"iro": "IRO X"}),
            (queries.filter_options, Filters(), manager_b, {}), (queries.headline, Filters(quarters=Q1.quarters, teams=("A",)), queries.ADMIN, {})]
    alone = [ask(wh, filters, scope, **kw) for ask, filters, scope, kw in asks]
    with runner.reusing_connection(wh):
        shared = [ask(wh, filters, scope, **kw) for ask, filters, scope, kw in asks]
        with pytest.raises(PermissionError):
            queries.worklist(wh, Q1, Scope(role="panel"))
    for one, other in zip(alone, shared):
        assert one.equals(other)
    assert metric(shared[1], "reviews_held") == 1 and metric(shared[5], "reviews_held") == 3
    assert shared[2]["plan_id"].tolist() == ["p2v2"]


def test_attention_is_the_same_on_every_run(wh):
    first = queries.attention(wh, Filters())
    for _ in range(3):
        assert queries.attention(wh, Filters()).equals(first)


def test_the_coproduction_score_is_one_measure_for_pages_and_report(wh):
    """Score = 50 x the mean of red 0 / amber 1 / green 2: the pages' SQL macro (queries/sql/_scope.sql) and the
    report's, worked out from the counts it publishes, give the same figure for the same ratings."""
    from report.figures import RATING_POINTS, coproduction_score
    by_stage = queries.coproduction_by_stage(wh, Q1)
    for row in by_stage.itertuples():
        points = sum(RATING_POINTS[r] * getattr(row, r) for r in ("red", "amber", "green"))
        assert row.score == round(coproduction_score(points, row.ratings), 1)
    assert by_stage.set_index("stage_no").loc[1, "score"] == 25.0      # one red, one amber: 50 x 1/2
    assert metric(queries.headline(wh, Q1), "coproduction_score") == coproduction_score(5, 4)


def test_long_queries_give_every_part_labelled_once_and_the_tables_are_those_rows_spread(wh):
    """Issue 17: a measure defined once. The grades, verdicts and ratings come long and labelled from one SQL each (the
    labels written only in sql/_scope.sql); the table behind each chart is the same rows spread a column per part."""
    grades = queries.plan_grades(wh, Q1, by="team")
    assert all(tuple(g) == queries.GRADES for g in grades.groupby("team")["grade"].agg(tuple))   # every grade, each team
    assert dict(zip(grades["grade"], grades["grade_label"]))["requires_improvement"] == "Requires improvement"
    a = grades[grades["team"] == "A"].set_index("grade")
    wide = queries.plan_quality_by_team(wh, Q1).set_index("team")
    for grade in queries.GRADES:
        assert (wide.loc["A", grade], wide.loc["A", f"pct_{grade}"]) == (a.loc[grade, "count"], a.loc[grade, "pct"])
    assert a["count"].sum() == a["plans"].iloc[0] == 3
    ratings = queries.ratings_by_stage(wh, Q1)
    stage_1 = ratings[ratings["stage_no"] == 1].set_index("rating")
    assert stage_1["rating_label"].tolist() == ["Red", "Amber", "Green"]
    assert stage_1["count"].tolist() == [1, 1, 0] and stage_1["stage_label"].iloc[0].startswith("1. ")
    assert queries.comments(wh, Q1, stage_no=1, team="A")["rating"].tolist() == ["Amber"]   # the same label
    with pytest.raises(ValueError):         # a group missing a part is never spread into the wrong columns
        shapes.spread(grades.iloc[1:], ["team", "is_total"], "grade", queries.GRADES, "plans")


def test_the_report_queries_run_through_the_runner_in_aggregate_only_mode(wh, tmp_path):
    """The panel report's SQL goes through the one runner; in its aggregate-only mode a query that gives case-level
    columns is refused, so an edit that made a report query return rows could never reach a panel (SPEC 6)."""
    from core.warehouse_file import connect_read_only
    from queries import runner
    from report import figures

    with connect_read_only(wh) as con:
        counts = figures.query(con, "plan_quality", quarters=["2026-27 Q1"], authority=None)
        assert len(counts) and "plans" in counts.columns
        (tmp_path / "rows.sql").write_text("select person_key, team from reviews")
        with pytest.raises(PermissionError, match="person_key"):
            runner.run_aggregate(con, tmp_path, "rows")
