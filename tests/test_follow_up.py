"""Red and amber answers lead to action (issue 19, SPEC 6a): the follow-up list, recording a follow-up, its figures.

A small warehouse loaded from real CSV files; today = 2026-06-30 (2026-27 Q1: April to June 2026).
  p1  team A, IRO X, PA Ann          review 01/04/2026, form f1 returned Thu 02/04/2026: stage 1 Red ("nobody asked me"),
                                     stage 2 Amber, stage 3 Green. Good Friday 03/04, Easter Monday 06/04 and the early
                                     May bank holiday 04/05 fall in its 20 working days: due by Tue 05/05/2026.
  p2  team B, IRO Y, PA Bob, SW Cy   review 05/05/2026, form f2 returned 06/05: stage 3 Amber
  p3  team A, IRO Y, PA Ann          review 20/06/2026, form f3 returned 25/06: stage 2 Red (not due yet on 30/06)
  p4  team B, IRO X                  review 10/04/2026, form f4: all Green (nothing to follow up)
  p5  team A, IRO X                  review 01/12/2025 (2025-26 Q3), form f5 with no returned date: stage 5 Red
"""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import queries
from app import audit
from tests.helpers import ROOT, load_into, query, settings_for, write_csv
from core import calendar
from etl import load
from queries import follow_up_store
from queries.filters import Filters, Scope

Q1 = Filters(quarters=("2026-27 Q1",))
TODAY = dt.date(2026, 6, 30)
NOTE = "Talked it through at the drop-in; PA to resend the plan — NOTE-7f3a9c"
HEADER = ["person_id", "team", "plan_date", "plan_id", "review_date", "minutes_sent_date", "iro", "personal_adviser",
          "social_worker", "local_authority"]
PLANS = [
    ["p1", "A", "2026-04-01", "p1v1", "2026-04-01", "2026-04-10", "IRO X", "PA Ann", "", "LA1"],
    ["p2", "B", "2026-05-05", "p2v1", "2026-05-05", "2026-05-20", "IRO Y", "PA Bob", "SW Cy", "LA1"],
    ["p3", "A", "2026-06-20", "p3v1", "2026-06-20", "", "IRO Y", "PA Ann", "", "LA1"],
    ["p4", "B", "2026-04-10", "p4v1", "2026-04-10", "2026-04-20", "IRO X", "PA Bob", "", "LA1"],
    ["p5", "A", "2025-12-01", "p5v1", "2025-12-01", "2025-12-10", "IRO X", "PA Ann", "", "LA1"],
]
FORMS = [
    ["response_id", "person_id", "review_date", "submitted_date", "stage_1", "stage_1_comment", "stage_2", "stage_3",
     "stage_5"],
    ["f1", "p1", "2026-04-01", "2026-04-02", "Red", "nobody asked me", "Amber", "Green", ""],
    ["f2", "p2", "2026-05-05", "2026-05-06", "Green", "", "Green", "Amber", ""],
    ["f3", "p3", "2026-06-20", "2026-06-25", "Green", "", "Red", "Green", ""],
    ["f4", "p4", "2026-04-10", "2026-04-11", "Green", "", "Green", "Green", ""],
    ["f5", "p5", "2025-12-01", "", "Green", "", "", "", "Red"],
]
# The warehouse's response_id of each form: the exported ID scoped by the run's authority (SPEC 2.6).
R = load.response_keys([row[0] for row in FORMS[1:]], settings_for(Path("unused")).default_local_authority)

ACCESS_TOML = """
[users."manager@example.org"]
role = "manager"

[users."iro.x@example.org"]
role = "iro"
iro = "IRO X"

[users."panel@example.org"]
role = "panel"
"""


@pytest.fixture(scope="module")
def wh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("follow_up")
    db = tmp / "w.duckdb"
    load_into(db, write_csv(tmp / "plans.csv", [HEADER] + PLANS), write_csv(tmp / "forms.csv", FORMS, "cp1252"))
    return db


def store_path() -> str:
    from core.settings import load_settings
    return load_settings().follow_up_store


def record(response_id: str, day: dt.date, note: str | None = None) -> None:
    follow_up_store.record(store_path(), response_id, day, note, "tester@example.org")


# --- the list, scoped exactly as the worklist ---------------------------------------------------------------------

def test_the_list_has_every_red_and_amber_answer_of_the_period_newest_first(wh):
    got = queries.follow_up(wh, Q1)
    assert got[["response_id", "stage_no", "rating"]].values.tolist() == [
        [R["f3"], 2, "Red"], [R["f2"], 3, "Amber"], [R["f1"], 1, "Red"], [R["f1"], 2, "Amber"]]
    f1 = got[got["response_id"] == R["f1"]].iloc[0]
    assert f1["stage"] == "Carrying out an assessment of my needs"
    assert (f1["comment"], f1["plan_id"], f1["team"], f1["iro"], f1["personal_adviser"]) == (
        "nobody asked me", "p1v1", "A", "IRO X", "PA Ann")
    assert pd.Timestamp(f1["review_date"]).date() == dt.date(2026, 4, 1)
    assert f1["follow_up_status"] == "Overdue: not followed up"
    assert got.set_index("response_id").loc[R["f3"], "follow_up_status"] == "To follow up"
    assert (got["total_rows"].iloc[0], got["total_forms"].iloc[0]) == (4, 3)
    # filterable by worker (personal adviser or social worker), IRO, team and stage
    assert set(queries.follow_up(wh, Q1, worker="PA Ann")["response_id"]) == {R["f1"], R["f3"]}
    assert set(queries.follow_up(wh, Q1, worker="SW Cy")["response_id"]) == {R["f2"]}
    assert set(queries.follow_up(wh, Q1, iro="IRO Y")["response_id"]) == {R["f2"], R["f3"]}
    assert set(queries.follow_up(wh, Q1, team="B")["response_id"]) == {R["f2"]}
    assert queries.follow_up(wh, Q1, stage_no=2)["response_id"].tolist() == [R["f3"], R["f1"]]
    assert set(queries.follow_up(wh, Filters())["response_id"]) == {R["f1"], R["f2"], R["f3"], R["f5"]}
    choices = queries.follow_up_choices(wh, Q1)
    assert set(choices.loc[choices["choice"] == "worker", "value"]) == {"PA Ann", "PA Bob", "SW Cy"}


def test_an_iro_sees_only_their_reviews_answers_and_a_team_manager_only_their_teams(wh):
    iro_x = Scope("iro", iro="IRO X")
    assert set(queries.follow_up(wh, Filters(), iro_x)["response_id"]) == {R["f1"], R["f5"]}
    # asking for another IRO's answers gives nothing, whatever the parameter says
    assert queries.follow_up(wh, Filters(), iro_x, iro="IRO Y").empty
    assert set(queries.follow_up_choices(wh, Q1, iro_x).query("choice == 'iro'")["value"]) == {"IRO X"}
    manager_b = Scope("team_manager", teams=("B",))
    assert set(queries.follow_up(wh, Filters(), manager_b)["response_id"]) == {R["f2"]}
    assert queries.follow_up(wh, Filters(), Scope("team_manager", teams=())).empty
    assert queries.follow_up_form(wh, iro_x, R["f2"]) is None          # not theirs: cannot be recorded by them
    assert queries.follow_up_form(wh, iro_x, R["f1"])["plan_id"] == "p1v1"
    assert set(queries.follow_up_counts(wh, Q1, manager_b)["team"]) == {"B"}
    for ask in (queries.follow_up, queries.follow_up_choices, queries.follow_up_counts, queries.follow_up_rates):
        with pytest.raises(PermissionError):
            ask(wh, Q1, Scope("panel"))


def test_an_iro_on_the_sample_warehouse_sees_exactly_the_red_and_amber_answers_of_their_reviews(sample_warehouse):
    iro = "IRO Jo Hartley"
    got = queries.follow_up(sample_warehouse, Filters(), Scope("iro", iro=iro))
    expected = query(sample_warehouse, """SELECT count(*) FROM traffic_light_ratings t JOIN reviews r USING (plan_id)
                                          WHERE r.iro = ? AND t.rating IN ('red', 'amber')""", [iro])[0][0]
    assert len(got) == expected > 0 and set(got["iro"]) == {iro}


# --- recording ----------------------------------------------------------------------------------------------------

def test_a_follow_up_is_talked_through_on_a_date_not_in_the_future_nor_before_the_review():
    review = dt.date(2026, 4, 1)
    assert follow_up_store.check(TODAY, review, TODAY, "  ") is None
    assert follow_up_store.check(review, review, TODAY, " agreed\x00 to meet ") == "agreed to meet"
    with pytest.raises(follow_up_store.FollowUpError, match="future"):
        follow_up_store.check(TODAY + dt.timedelta(days=1), review, TODAY, None)
    with pytest.raises(follow_up_store.FollowUpError, match="before the review"):
        follow_up_store.check(review - dt.timedelta(days=1), review, TODAY, None)
    with pytest.raises(follow_up_store.FollowUpError, match="date"):
        follow_up_store.check(None, review, TODAY, None)


def test_a_follow_up_note_is_short():
    review = dt.date(2026, 4, 1)
    assert follow_up_store.check(TODAY, review, TODAY, "x" * follow_up_store.NOTE_MAX) == "x" * follow_up_store.NOTE_MAX
    with pytest.raises(follow_up_store.FollowUpError, match=f"keep it to {follow_up_store.NOTE_MAX}"):
        follow_up_store.check(TODAY, review, TODAY, "x" * (follow_up_store.NOTE_MAX + 1))


def test_a_recorded_follow_up_is_kept_corrected_and_outlives_a_new_load(wh, tmp_path):
    assert follow_up_store.version(store_path()) == 0 and follow_up_store.read(store_path()).empty
    record(R["f1"], dt.date(2026, 4, 20), "first")
    first = follow_up_store.version(store_path())
    record(R["f1"], dt.date(2026, 4, 21), NOTE)                        # a correction replaces, never duplicates
    assert follow_up_store.version(store_path()) > first
    stored = follow_up_store.read(store_path(), with_notes=True)
    assert stored[["response_id", "talked_through_on", "note"]].values.tolist() == [[R["f1"], dt.date(2026, 4, 21), NOTE]]
    assert "note" not in follow_up_store.read(store_path()).columns
    # every load replaces the warehouse file; the follow-up, keyed by response ID, still belongs to the form
    db = tmp_path / "w.duckdb"
    load_into(db, write_csv(tmp_path / "plans.csv", [HEADER] + PLANS), write_csv(tmp_path / "forms.csv", FORMS))
    load_into(db, write_csv(tmp_path / "forms2.csv", [FORMS[0], ["f1", "p1", "2026-04-01", "2026-04-02", "Red",
                                                                 "nobody asked me, still", "Amber", "Green", ""]]))
    row = queries.follow_up(db, Q1, stage_no=1).iloc[0]
    assert (row["response_id"], row["comment"], row["follow_up_status"]) == (R["f1"], "nobody asked me, still", "Talked through")
    assert (pd.Timestamp(row["followed_up_on"]).date(), row["follow_up_note"]) == (dt.date(2026, 4, 21), NOTE)


# --- the working-day count and the figures ----------------------------------------------------------------------

def test_follow_up_in_time_counts_working_days_across_bank_holidays(wh):
    """In time: talked through within 20 working days of the form being returned, counted as minutes are (SPEC 3:
    weekends and bank holidays of England and Wales excluded). f1 was returned on Thursday 2 April 2026; Good Friday,
    Easter Monday and the early May bank holiday make its 20th working day Tuesday 5 May, 33 days later."""
    returned = dt.date(2026, 4, 2)
    assert calendar.add_working_days(returned, 20) == dt.date(2026, 5, 5)
    assert calendar.working_days_between(returned, dt.date(2026, 5, 5)) == 20
    assert sum(1 for n in range(1, 34) if (returned + dt.timedelta(days=n)).weekday() < 5) == 23   # weekdays alone

    def f1_counts():
        counts = queries.follow_up_counts(wh, Q1)
        return counts[counts["team"] == "A"][["followed_up", "followed_up_in_time"]].values.tolist()[0]

    record(R["f1"], dt.date(2026, 5, 5))
    assert f1_counts() == [1, 1]
    assert queries.follow_up(wh, Q1, stage_no=1)["working_days_to_follow_up"].tolist() == [20]
    record(R["f1"], dt.date(2026, 5, 6))
    assert f1_counts() == [1, 0]


def test_follow_up_figures_by_team_and_quarter(wh):
    # f1 followed up in time, f2 followed up late (review 05/05, returned 06/05: due by 03/06), f3 not due yet;
    # f5 (2025-26 Q3, no returned date: the clock starts at the review) overdue.
    record(R["f1"], dt.date(2026, 4, 9))
    record(R["f2"], dt.date(2026, 6, 10))
    counts = queries.follow_up_counts(wh, Filters(), trend=False)
    got = {(r.quarter, r.team): (r.forms_with_red_or_amber, r.followed_up, r.followed_up_in_time, r.not_yet_due, r.overdue)
           for r in counts.itertuples()}
    assert got == {("2025-26 Q3", "A"): (1, 0, 0, 0, 1), ("2026-27 Q1", "A"): (2, 1, 1, 1, 0),
                   ("2026-27 Q1", "B"): (1, 1, 0, 0, 0)}
    rates = queries.follow_up_rates(wh, Q1).set_index("team")
    assert rates.loc["A", "pct_followed_up"] == 50.0 and rates.loc["A", "pct_in_time"] == 100.0   # f3 not due: left out
    assert rates.loc["B", "pct_followed_up"] == 100.0 and rates.loc["B", "pct_in_time"] == 0.0
    assert rates["too_small"].all()
    trend = queries.follow_up_rates(wh, Q1, trend=True)
    assert set(trend["quarter"]) == {"2025-26 Q3", "2026-27 Q1"}
    # the panel report's counts: every team, by quarter and authority, for the quarters asked for
    report = queries.follow_up_counts_for_report(wh, ["2026-27 Q1"], "LA1")
    assert report[["forms_with_red_or_amber", "followed_up", "followed_up_in_time"]].sum().tolist() == [3, 2, 1]
    assert queries.follow_up_counts_for_report(wh, ["2026-27 Q1"], "LA2").empty


def test_the_overview_names_overdue_follow_ups_when_there_are_any(wh):
    attention = queries.attention(wh, Q1)
    assert attention["kind"].tolist()[:1] == ["follow_up"]
    assert "2 forms with red or amber answers" in attention["sentence"].iloc[0]      # f1 (due 05/05), f2 (04/06)
    record(R["f1"], dt.date(2026, 4, 9))
    assert "1 form with red or amber answers" in queries.attention(wh, Q1)["sentence"].iloc[0]
    record(R["f2"], dt.date(2026, 6, 10))
    assert "follow_up" not in queries.attention(wh, Q1)["kind"].tolist()


# --- the page, and where the note may never go -------------------------------------------------------------------

@pytest.fixture
def signed_in(wh, tmp_path, monkeypatch):
    access_file = tmp_path / "access.toml"
    access_file.write_text(ACCESS_TOML)
    log = tmp_path / "audit.sqlite"
    monkeypatch.setenv("PWP_WAREHOUSE", str(wh))
    monkeypatch.setenv("PWP_AUTH_MODE", "oidc")
    monkeypatch.setenv("PWP_ACCESS_FILE", str(access_file))
    monkeypatch.setenv("PWP_AUDIT_LOG", str(log))
    return log


def open_page(page: str, email: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=60)
    at.user = {"is_logged_in": True, "email": email}
    # today (30/06) is the last day of 2026-27 Q1, so the pages would open on the last complete quarter (issue 22)
    at.session_state["flt_quarters"] = list(Q1.quarters)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def submit(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Record the follow-up").click().run()


def page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader")
             for e in getattr(at, kind)]
    parts += [df.value.to_csv() for df in at.dataframe] + [str(m.value) for m in at.metric]
    return "\n".join(map(str, parts))


def test_an_iro_records_a_follow_up_on_the_page(signed_in):
    at = open_page("pages/follow_up.py", "iro.x@example.org")
    listed = at.dataframe[0].value
    assert set(listed["IRO"]) == {"IRO X"} and listed["Plan ID"].tolist() == ["p1v1", "p1v1"]
    assert listed["What the young person said"].tolist()[0] == "nobody asked me"
    assert at.date_input(key="fu_date").value == TODAY                       # today by default
    at.date_input(key="fu_date").set_value(dt.date(2026, 3, 31))             # before the review: refused
    submit(at)
    assert any("before the review" in e.value for e in at.error)
    assert follow_up_store.read(store_path()).empty
    at.date_input(key="fu_date").set_value(dt.date(2026, 4, 20))
    at.text_area(key="fu_note").input(NOTE)
    submit(at)
    assert not at.exception and not at.error
    assert any("talked through on 20/04/2026" in s.value for s in at.success)
    stored = follow_up_store.read(store_path(), with_notes=True)
    assert stored[["response_id", "talked_through_on", "note", "recorded_by"]].values.tolist() == [
        [R["f1"], dt.date(2026, 4, 20), NOTE, "iro.x@example.org"]]
    # the list now shows it as talked through, with the note, to the case-level user
    assert "No red or amber answers match" in page_text(at)             # "Not followed up yet": none left
    at.selectbox(key="fu_show").set_value("Talked through").run()
    assert set(at.dataframe[0].value["Note"]) == {NOTE}
    # the audit log says a follow-up was recorded, by whom; not which form, and never the note
    entries = audit.read(signed_in)
    recorded = entries[entries["event"] == "follow_up"]
    assert recorded[["user", "page", "detail"]].values.tolist() == [["iro.x@example.org", "follow_up", "{}"]]


def test_the_note_never_reaches_a_log_the_audit_log_or_a_panel_visible_output(signed_in, wh, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    at = open_page("pages/follow_up.py", "iro.x@example.org")
    at.text_area(key="fu_note").input(NOTE)
    submit(at)
    assert follow_up_store.read(store_path(), with_notes=True)["note"].tolist() == [NOTE]
    marker = "NOTE-7f3a9c"
    # the audit SQLite, every byte of it (and its write-ahead log)
    for path in (signed_in, signed_in.with_name(signed_in.name + "-wal")):
        if path.exists():
            assert marker.encode() not in path.read_bytes(), path
    with sqlite3.connect(signed_in) as con:
        assert marker not in repr(con.execute("SELECT * FROM audit_log").fetchall())
    # the aggregate figures (which the panel report is to use) and the co-production page's follow-up section
    for frame in (queries.follow_up_counts(wh, Filters()), queries.follow_up_rates(wh, Filters(), trend=True),
                  queries.follow_up_counts_for_report(wh, ["2026-27 Q1"]), queries.attention(wh, Q1)):
        assert marker not in frame.to_csv() and "nobody asked me" not in frame.to_csv()
    coproduction = open_page("pages/coproduction.py", "manager@example.org")
    assert "Are red and amber answers followed up?" in page_text(coproduction)
    assert marker not in page_text(coproduction)
    # the panel: refused the follow-up page, and gets nothing from the dashboard's queries
    panel = open_page("pages/follow_up.py", "panel@example.org")
    assert any("not available to your role" in e.value for e in panel.error)
    assert marker not in page_text(panel) and not panel.dataframe
    # no log line and nothing on the console carries it
    assert marker not in caplog.text
    out, err = capfd.readouterr()
    assert marker not in out and marker not in err
