"""The public views (SPEC 4) give exactly the figures the rules (SPEC 3) say. Today is fixed at 2026-06-30."""
import datetime as dt
import re

import pytest

from core import warehouse_file
from etl import warehouse
from tests.helpers import load_into, query, write_csv

PLAN = ["person_id", "team", "plan_date", "plan_id", "nation", "date_of_birth", "first_plan_date",
        "needs_assessment_date", "review_date", "minutes_sent_date"]


def plans(tmp_path, *rows, extra_header=(), name="plans.csv"):
    return write_csv(tmp_path / name, [PLAN + list(extra_header), *[list(r) for r in rows]])


def row(pid, plan_date, plan_id, review="", sent="", nation="England", dob="", first="", assessment="", team="North"):
    return [pid, team, plan_date, plan_id, nation, dob, first, assessment, review, sent]


def reviews(db, cols="*"):
    with warehouse_file.connect_read_only(db) as con:
        return con.execute(f"SELECT {cols} FROM reviews ORDER BY plan_id").df()


def verdict(db, plan_id, indicator):
    got = query(db, "SELECT verdict, reason FROM plan_indicators WHERE plan_id = ? AND indicator = ?", [plan_id, indicator])
    return got[0] if got else None


# ------------------------------------------------------------------ minutes

def test_minutes_status_on_time_late_outstanding_overdue(tmp_path, db):
    load_into(db, plans(tmp_path,
        row("A", "01/06/2026", "P1", review="01/06/2026", sent="29/06/2026"),   # 20 working days: on time
        row("B", "01/06/2026", "P2", review="01/06/2026", sent="30/06/2026"),   # 21: late
        row("C", "10/06/2026", "P3", review="10/06/2026"),                       # due 08/07: outstanding
        row("D", "01/05/2026", "P4", review="01/05/2026"),                       # due 02/06 (bank hol 04/05, 25/05): overdue
        row("E", "01/05/2026", "P5")))                                           # initial plan: no minutes
    got = reviews(db, "plan_id, minutes_working_days, minutes_due_date, minutes_status")
    assert got.minutes_status.tolist()[:4] == ["on_time", "late", "outstanding", "overdue"]
    assert got.minutes_status.isna().tolist()[4]
    assert got.minutes_working_days.tolist()[:2] == [20, 21]
    assert got.minutes_due_date[2].date() == dt.date(2026, 7, 8)
    assert got.minutes_due_date[3].date() == dt.date(2026, 6, 2)
    assert verdict(db, "P1", "minutes_on_time")[0] == "good"
    assert verdict(db, "P2", "minutes_on_time") == ("inadequate", "Minutes sent 21 working days after the review (due within 20)")
    assert verdict(db, "P3", "minutes_on_time") == ("unknown", "Minutes not sent yet; due by 08/07/2026")
    assert verdict(db, "P4", "minutes_on_time") == ("inadequate", "Minutes not sent; they were due by 02/06/2026")
    assert verdict(db, "P5", "minutes_on_time") is None   # does not apply to an initial plan


def test_minutes_due_soon_flags_outstanding_minutes_due_within_5_working_days(tmp_path, db):
    load_into(db, plans(tmp_path,
        row("A", "03/06/2026", "P1", review="03/06/2026"),    # due 01/07/2026: 1 working day away
        row("B", "29/06/2026", "P2", review="29/06/2026")))   # due 27/07/2026
    assert reviews(db, "minutes_due_soon").minutes_due_soon.tolist() == [True, False]


def test_minutes_threshold_is_a_setting(tmp_path, db):
    load_into(db, plans(tmp_path, row("B", "01/06/2026", "P2", review="01/06/2026", sent="30/06/2026")),
              minutes_due_working_days=25)
    assert reviews(db, "minutes_status").minutes_status.tolist() == ["on_time"]


# ------------------------------------------------------------------ review timeliness

def test_review_held_on_time_within_six_calendar_months_of_previous_version(tmp_path, db):
    load_into(db, plans(tmp_path,
        row("A", "31/08/2025", "A1"),                                  # initial plan
        row("A", "28/02/2026", "A2", review="28/02/2026"),             # 31 Aug + 6 months = 28 Feb: on time
        row("B", "31/08/2025", "B1"),
        row("B", "01/03/2026", "B2", review="01/03/2026"),             # one day late
        row("C", "10/01/2026", "C1", review="10/01/2026")))            # first version loaded: NULL
    got = reviews(db, "plan_id, held_on_time, review_due_date").set_index("plan_id")
    assert got.held_on_time["A2"] == True and got.held_on_time["B2"] == False  # noqa: E712
    assert got.held_on_time.isna()[["A1", "B1", "C1"]].all()
    assert got.review_due_date["A2"].date() == dt.date(2026, 2, 28)
    assert verdict(db, "B2", "reviewed_in_time")[0] == "inadequate"
    assert verdict(db, "A2", "reviewed_in_time")[0] == "good"
    assert verdict(db, "C1", "reviewed_in_time") is None and verdict(db, "A1", "reviewed_in_time") is None


def test_previous_version_date_is_its_review_date_when_it_was_a_review(tmp_path, db):
    load_into(db, plans(tmp_path,
        row("A", "05/01/2025", "A1", review="01/01/2025"),
        row("A", "02/07/2025", "A2", review="02/07/2025")))   # 01/01 + 6 months = 01/07: late by one day
    assert verdict(db, "A2", "reviewed_in_time")[0] == "inadequate"


def test_plan_is_out_of_date_six_months_after_its_latest_version(tmp_path, db):
    load_into(db, plans(tmp_path,
        row("A", "29/12/2025", "A1", review="29/12/2025"),   # + 6 months = 29/06/2026 < today: out of date
        row("B", "30/12/2025", "B1", review="30/12/2025"),   # due 30/06/2026 = today: not yet
        row("C", "01/01/2025", "C1"), row("C", "01/06/2026", "C2", review="01/06/2026")))
    got = reviews(db, "plan_id, out_of_date").set_index("plan_id").out_of_date
    assert got["A1"] == True and got["B1"] == False and got["C2"] == False  # noqa: E712
    assert got.isna()["C1"]                            # only the latest version is judged
    assert verdict(db, "A1", "up_to_date")[0] == "inadequate"
    assert verdict(db, "B1", "up_to_date")[0] == "good"
    assert verdict(db, "C1", "up_to_date") is None


def test_quarter_is_of_review_date_or_plan_date_for_an_initial_plan(tmp_path, db):
    load_into(db, plans(tmp_path, row("A", "31/03/2026", "A1"), row("A", "02/04/2026", "A2", review="01/04/2026")))
    assert reviews(db, "quarter").quarter.tolist() == ["2025-26 Q4", "2026-27 Q1"]


# ------------------------------------------------------------------ started on time

def test_started_on_time_england_first_plan_before_16th_birthday(tmp_path, db):
    # Practice tips, "Musts": "PWP with a YP must begin before their 16th birthday".
    load_into(db, plans(tmp_path,
        row("A", "01/03/2026", "A1", dob="01/03/2010", first="28/02/2026"),  # day before 16th birthday: good
        row("B", "01/03/2026", "B1", dob="01/03/2010"),                      # on the birthday: inadequate
        row("C", "01/03/2026", "C1")))                                       # no date of birth: unknown
    assert verdict(db, "A1", "started_on_time") == (
        "good", "First plan 28/02/2026, before the 16th birthday (in March 2026, England)")
    assert verdict(db, "B1", "started_on_time") == (
        "inadequate", "First plan 01/03/2026, not before the 16th birthday (in March 2026, England)")
    assert verdict(db, "C1", "started_on_time") == (
        "unknown", "Date of birth not in the export, so the start cannot be checked")


def test_started_on_time_wales_needs_assessment_within_3_months_of_16th_birthday(tmp_path, db):
    # CPPCR (Wales) 2015 s.49, in the guide: an assessment "not more than three months after the date on which the
    # child/young person reaches the age of 16".
    load_into(db, plans(tmp_path,
        row("A", "01/09/2026", "A1", nation="Wales", dob="31/05/2010", assessment="31/08/2026"),  # exactly 3 months
        row("B", "01/03/2026", "B1", nation="Wales", dob="31/05/2009", assessment="01/09/2025"),  # one day over
        row("C", "15/06/2025", "C1", nation="Wales", dob="01/03/2009")))                          # first plan used
    assert verdict(db, "A1", "started_on_time")[0] == "good"
    assert verdict(db, "B1", "started_on_time") == (
        "inadequate", "Needs assessment 01/09/2025, more than 3 months after the 16th birthday (due in August 2025, Wales)")
    assert verdict(db, "C1", "started_on_time")[0] == "inadequate"   # 15/06/2025 > 01/06/2025


def test_started_on_time_applies_to_the_first_plan_only(tmp_path, db):
    load_into(db, plans(tmp_path, row("A", "01/03/2025", "A1", dob="01/03/2010"),
                        row("A", "01/09/2025", "A2", review="01/09/2025", dob="01/03/2010")))
    assert verdict(db, "A1", "started_on_time") is not None and verdict(db, "A2", "started_on_time") is None


def test_started_on_time_for_a_late_entrant_is_within_3_months_of_becoming_eligible(tmp_path, db):
    # The regulations give 3 months from the 16th birthday "or becomes a category one young person after that age"
    # (CPPCR s.49, in the guide's section 10), in both nations (SPEC 3): a young person who came into care at 17 (many
    # unaccompanied asylum-seeking children) is not late for a plan made within 3 months of becoming eligible.
    header = ["Young person ID", "Team", "Plan date", "Plan ID", "Nation", "DOB", "Needs assessment date",
              "Date became eligible"]
    load_into(db, write_csv(tmp_path / "plans.csv", [
        header,
        ["E1", "North", "15/12/2025", "E1", "England", "01/03/2008", "", "15/09/2025"],  # eligible at 17: 3 months to the day
        ["E2", "North", "16/12/2025", "E2", "England", "01/03/2008", "", "15/09/2025"],  # one day over
        ["W1", "Valleys", "20/01/2026", "W1", "Wales", "01/03/2008", "10/11/2025", "01/09/2025"],   # assessment in time
        # an eligibility date before the 16th birthday is no late entry: the 16th-birthday rule applies
        ["E3", "North", "15/03/2025", "E3", "England", "01/03/2009", "", "01/01/2025"]]))
    assert verdict(db, "E1", "started_on_time") == (
        "good", "First plan 15/12/2025, within 3 months after the young person became eligible on 15/09/2025 "
                "(due by 15/12/2025)")
    assert verdict(db, "E2", "started_on_time")[0] == "inadequate"
    assert verdict(db, "W1", "started_on_time") == (
        "good", "Needs assessment 10/11/2025, within 3 months after the young person became eligible on 01/09/2025 "
                "(due by 01/12/2025)")
    assert verdict(db, "E3", "started_on_time")[0] == "inadequate"
    assert query(db, "SELECT eligibility_date FROM plan_versions WHERE plan_id = 'E1'") == [(dt.date(2025, 9, 15),)]


def test_started_on_time_is_unknown_when_the_first_plan_is_not_in_the_loaded_history(tmp_path, db):
    # SPEC 3: when the earliest loaded version is a review, the first plan is not in the data: unknown, never inadequate.
    load_into(db, plans(tmp_path,
        row("A", "01/03/2026", "A1", review="01/03/2026", dob="01/03/2007"),                     # history starts at 19
        row("B", "01/03/2026", "B1", review="01/03/2026", dob="01/03/2007", first="01/01/2023"),  # first plan given
        row("C", "01/03/2026", "C1", review="01/03/2026", nation="Wales", dob="01/03/2007"),
        row("D", "01/03/2026", "D1", review="01/03/2026", nation="Wales", dob="01/03/2007", assessment="01/04/2023")))
    assert verdict(db, "A1", "started_on_time") == (
        "unknown", "The first plan is not in the loaded history (the earliest version loaded is a review) and the "
                   "export gives no first plan date, so the start cannot be checked")
    assert verdict(db, "B1", "started_on_time")[0] == "good"         # 01/01/2023, before the 16th birthday
    assert verdict(db, "C1", "started_on_time")[0] == "unknown"
    assert verdict(db, "D1", "started_on_time")[0] == "good"         # the Welsh rule needs the assessment only
    assert sorted(query(db, "SELECT started_on_time IS NULL, count(*) FROM young_people GROUP BY ALL")) == [
        (False, 2), (True, 2)]


# ------------------------------------------------------------------ plan content indicators

CONTENT = ["yp_views_recorded", "long_term_goals", "copy_given_to_yp"] + [
    f"covers_{a}" for a in ("personal_adviser", "contact_support", "accommodation", "post18_arrangement",
                            "education_training", "employment", "relationships", "independent_living_skills",
                            "finance", "health", "contingency")]


@pytest.mark.parametrize("indicator,column", [
    ("yp_voice", "yp_views_recorded"), ("aspirational", "long_term_goals"),
    ("copy_to_yp", "copy_given_to_yp"), ("contingency", "covers_contingency")])
def test_yes_no_indicator_good_inadequate_unknown(tmp_path, db, indicator, column):
    index = CONTENT.index(column)
    values = {"G": "yes", "I": "no", "U": ""}
    rows = []
    for pid, value in values.items():
        content = ["yes"] * len(CONTENT)
        content[index] = value
        rows.append(row(pid, "01/03/2026", pid) + content)
    load_into(db, plans(tmp_path, *rows, extra_header=CONTENT))
    assert [verdict(db, pid, indicator)[0] for pid in values] == ["good", "inadequate", "unknown"]


def test_all_areas_needs_the_ten_matters_other_than_contingency(tmp_path, db):
    # Schedule 9 of the CPPCR (Wales), the guide's section 12: eleven matters; the 11th, contingency, is its own
    # indicator and is judged once, not again inside all_areas (SPEC 3.1).
    base = ["yes"] * 3
    load_into(db, plans(tmp_path,
        row("G", "01/03/2026", "G") + base + ["yes"] * 10 + ["no"],              # no contingency: all_areas still good
        row("I", "01/03/2026", "I") + base + ["yes"] * 8 + ["no", "yes", "yes"],
        row("U", "01/03/2026", "U") + base + ["yes"] * 9 + ["", "yes"],
        row("M", "01/03/2026", "M") + base + ["yes"] * 8 + ["no", "", "yes"],   # one not covered, one not recorded
        extra_header=CONTENT))
    assert verdict(db, "G", "all_areas") == ("good", "All ten required areas besides contingency are covered")
    assert verdict(db, "G", "contingency")[0] == "inadequate"
    assert verdict(db, "I", "all_areas") == ("inadequate", "Not covered: finance")
    assert verdict(db, "U", "all_areas") == ("unknown", "Not recorded whether the plan covers: health")
    assert verdict(db, "M", "all_areas")[0] == "inadequate"        # a matter not covered outweighs one not recorded


def test_started_on_time_follows_the_rules_of_the_nation_of_the_first_plan(tmp_path, db):
    load_into(db, plans(tmp_path,
        # first plan in Wales: assessment two months after the 16th birthday, on time by the Welsh rule
        row("A", "01/07/2025", "A1", nation="Wales", dob="01/04/2009", assessment="01/06/2025"),
        row("A", "01/01/2026", "A2", review="01/01/2026", nation="England")))
    assert verdict(db, "A1", "started_on_time") == (
        "good", "Needs assessment 01/06/2025, within 3 months after the 16th birthday (due in July 2025, Wales)")
    assert query(db, "SELECT nation, started_on_time FROM young_people") == [("England", True)]


def test_smart_actions_good_inadequate_and_unknown_without_an_actions_export(tmp_path, db):
    load_into(db, plans(tmp_path, row("A", "01/03/2026", "P1"), row("B", "01/03/2026", "P2"), row("C", "01/03/2026", "P3")))
    assert verdict(db, "P1", "smart_actions")[0] == "unknown"
    actions = write_csv(tmp_path / "actions.csv", [
        ["action_id", "plan_id", "action", "owner", "due_date"],
        ["1", "P1", "Apply to college", "PA", "01/09/2026"],
        ["2", "P2", "Find a flat", "", "01/09/2026"]])
    load_into(db, actions)
    assert verdict(db, "P1", "smart_actions") == ("good", "All 1 actions have an owner and a due date")
    assert verdict(db, "P2", "smart_actions")[0] == "inadequate"
    assert verdict(db, "P3", "smart_actions") == ("inadequate", "The plan has no actions")


def test_smart_actions_is_unknown_per_local_authority_until_it_loads_an_actions_export(tmp_path, db):
    # SPEC 3.1: unknown "when no actions export was ever loaded for that plan's local authority": an authority
    # that sends no actions export is not judged on another authority's export.
    header = ["local_authority"]
    load_into(db, plans(tmp_path, row("A", "01/03/2026", "P1") + ["Northshire"], row("B", "01/03/2026", "P2") + ["Northshire"],
                        row("C", "01/03/2026", "W1", nation="Wales") + ["Cwm Derwen"], extra_header=header))
    assert verdict(db, "P1", "smart_actions") == (
        "unknown", "No actions export has been loaded for Northshire, so actions cannot be judged")
    load_into(db, write_csv(tmp_path / "actions.csv", [["action_id", "plan_id", "action", "owner", "due_date"],
                                                       ["1", "P1", "Apply to college", "PA", "01/09/2026"]]))
    assert verdict(db, "P1", "smart_actions")[0] == "good"
    assert verdict(db, "P2", "smart_actions") == ("inadequate", "The plan has no actions")
    assert verdict(db, "W1", "smart_actions") == (
        "unknown", "No actions export has been loaded for Cwm Derwen, so actions cannot be judged")
    # Cwm Derwen's actions export whose only action belongs to a plan not loaded yet: still unknown, until it arrives
    load_into(db, write_csv(tmp_path / "actions2.csv", [["action_id", "plan_id", "action", "owner", "due_date"],
                                                        ["2", "W9", "Find a flat", "PA", "01/09/2026"]]))
    assert verdict(db, "W1", "smart_actions")[0] == "unknown"
    load_into(db, plans(tmp_path, row("D", "01/04/2026", "W9", nation="Wales") + ["Cwm Derwen"], extra_header=header,
                        name="more.csv"))
    assert verdict(db, "W1", "smart_actions") == ("inadequate", "The plan has no actions")
    assert verdict(db, "W9", "smart_actions")[0] == "good"
    assert dict(query(db, "SELECT plan_id, overall FROM plan_quality"))["W1"] == "inadequate"


# ------------------------------------------------------------------ the guide's stages 9 and 10

def test_minutes_agreed_and_draft_copy_are_judged_for_reviews_only(tmp_path, db):
    # Guide, stage 9: "Before the minutes are distributed the young person should be asked if they believe them to
    # be a true and accurate record" and "a copy (even if in draft) made available to the young person".
    extra = ["yp_agreed_minutes", "draft_copy_given"]
    load_into(db, plans(tmp_path,
        row("A", "01/01/2026", "A1") + ["yes", "yes"],                       # initial plan: neither applies
        row("A", "01/06/2026", "A2", review="01/06/2026") + ["yes", "no"],
        row("B", "01/06/2026", "B1", review="01/06/2026") + ["no", ""],
        extra_header=extra))
    assert verdict(db, "A1", "minutes_agreed") is None and verdict(db, "A1", "draft_copy") is None
    assert verdict(db, "A2", "minutes_agreed") == ("good", "The young person was asked whether the minutes were accurate")
    assert verdict(db, "A2", "draft_copy") == ("inadequate", "The young person was not given a draft of the plan at the meeting")
    assert verdict(db, "B1", "minutes_agreed")[0] == "inadequate"
    assert verdict(db, "B1", "draft_copy")[0] == "unknown"


def test_next_review_set_no_later_than_6_months_after_the_review_or_plan(tmp_path, db):
    # Guide, stage 10: "The date of the next pathway review should be set before the meeting is ended"; practice
    # tips: "PWP Must be reviewed minimum of 6 monthly".
    load_into(db, plans(tmp_path,
        row("A", "31/08/2025", "A1") + ["28/02/2026"],                        # initial plan: 31 Aug + 6 months
        row("B", "01/06/2026", "B1", review="01/06/2026") + ["02/12/2026"],  # a day too late
        row("C", "01/06/2026", "C1", review="01/06/2026") + [""],            # none set
        extra_header=["next_review_date"]))
    assert verdict(db, "A1", "next_review_set") == (
        "good", "Next review set for 28/02/2026, within 6 months of the plan (by 28/02/2026)")
    assert verdict(db, "B1", "next_review_set") == (
        "inadequate", "Next review set for 02/12/2026, later than 6 months of the review (by 01/12/2026)")
    assert verdict(db, "C1", "next_review_set") == ("inadequate", "No date set for the next review")
    # an export without the column says nothing about next reviews: unknown, not "missing"
    load_into(db, plans(tmp_path, row("D", "01/06/2026", "D1", review="01/06/2026"), name="other.csv"))
    assert verdict(db, "D1", "next_review_set") == ("unknown", "The export this plan came from gives no next review dates")


# ------------------------------------------------------------------ the overall grade (SPEC 3.1)

GOOD_PLAN = ["yes"] * len(CONTENT) + ["01/08/2026"]


def _graded(tmp_path, db, *plan_rows, actions=True):
    """Initial plans of 01/03/2026 (started on time, up to date on 30/06/2026), each with one SMART action except NOACT."""
    load_into(db, plans(tmp_path, *[row(pid, "01/03/2026", pid, dob="01/03/2009", first="01/01/2025") + content
                                    for pid, content in plan_rows], extra_header=CONTENT + ["next_review_date"]))
    load_into(db, write_csv(tmp_path / "a.csv", [["action_id", "plan_id", "action", "owner", "due_date"]] +
                            [[pid, pid, "x", "PA", "01/09/2026"] for pid, _ in plan_rows if pid != "NOACT"]))
    return {plan_id: (overall, reason) for plan_id, overall, reason in
            query(db, "SELECT plan_id, overall, overall_reason FROM plan_quality")}


def _with(column, value, content=GOOD_PLAN):
    content = list(content)
    content[CONTENT.index(column)] = value
    return content


def test_overall_grade_inadequate_for_what_inadequate_looks_like(tmp_path, db):
    # Practice tips, "What Inadequate looks like": "Plans do not include the young person's voice", "Plans are
    # vague, and do not identify clear and specific steps", "Plans are not aspirational and do not have any long
    # term goals" (and "There is no plan or it is out of date": the next test).
    got = _graded(tmp_path, db, ("VOICE", _with("yp_views_recorded", "no")), ("GOALS", _with("long_term_goals", "no")),
                  ("NOACT", GOOD_PLAN), ("BOTH", _with("covers_finance", "no", _with("long_term_goals", "no"))))
    assert got["VOICE"] == ("inadequate", "the young person's views are not recorded")
    assert got["GOALS"] == ("inadequate", "no long-term goals")
    assert got["NOACT"] == ("inadequate", "no actions, or actions without an owner or a due date")
    assert got["BOTH"] == ("inadequate", "no long-term goals; not every required area is covered")


def test_overall_grade_inadequate_when_the_plan_is_out_of_date(tmp_path, db):
    # Practice tips, "What Inadequate looks like": "There is no plan or it is out of date".
    load_into(db, plans(tmp_path, row("A", "01/12/2025", "A1", dob="01/03/2009", first="01/01/2025")
                        + GOOD_PLAN[:-1] + ["01/05/2026"], extra_header=CONTENT + ["next_review_date"]))
    assert query(db, "SELECT overall, overall_reason FROM plan_quality") == [("inadequate", "the plan is out of date")]


def test_overall_grade_requires_improvement_when_another_must_is_missed(tmp_path, db):
    # Practice tips, "Musts": "PWP must contain a contingency plan", "Must provide the YP with a copy of the plan",
    # "PWP Must be reviewed minimum of 6 monthly".
    got = _graded(tmp_path, db, ("CONT", _with("covers_contingency", "no")), ("COPY", _with("copy_given_to_yp", "no")),
                  ("LATE", GOOD_PLAN[:-1] + ["02/09/2026"]))
    assert got["CONT"] == ("requires_improvement", "no contingency plan")
    assert got["COPY"] == ("requires_improvement", "the young person was not given a copy")
    assert got["LATE"] == ("requires_improvement", "no next review date within 6 months")


def test_overall_grade_good_when_every_check_that_applies_is_met_else_incomplete(tmp_path, db):
    got = _graded(tmp_path, db, ("GOOD", GOOD_PLAN), ("GAP", _with("long_term_goals", "")))
    assert got["GOOD"] == ("good", "Every check that applies is met (9 checks)")
    assert got["GAP"] == ("incomplete", "Nothing found wrong, but not known: whether the plan has long-term goals")


def test_plan_quality_agrees_with_the_indicators_it_summarises(sample_warehouse):
    mismatches = query(sample_warehouse, """
        WITH from_indicators AS (
            SELECT plan_id,
                   CASE WHEN count(*) FILTER (WHERE verdict = 'inadequate' AND indicator IN
                                              ('up_to_date', 'yp_voice', 'smart_actions', 'aspirational')) > 0 THEN 'inadequate'
                        WHEN count(*) FILTER (WHERE verdict = 'inadequate') > 0 THEN 'requires_improvement'
                        WHEN count(*) FILTER (WHERE verdict <> 'good') = 0 THEN 'good' ELSE 'incomplete' END AS overall,
                   count(*) FILTER (WHERE verdict = 'good') AS good,
                   count(*) FILTER (WHERE verdict = 'inadequate') AS inadequate,
                   count(*) FILTER (WHERE verdict = 'unknown') AS unknown
            FROM plan_indicators GROUP BY plan_id)
        SELECT count(*) FROM plan_quality q FULL JOIN from_indicators i USING (plan_id)
        WHERE q.overall IS DISTINCT FROM i.overall OR q.indicators_good IS DISTINCT FROM i.good
           OR q.indicators_inadequate IS DISTINCT FROM i.inadequate OR q.indicators_unknown IS DISTINCT FROM i.unknown""")
    assert mismatches == [(0,)]


def test_every_verdict_has_a_reason(tmp_path, db, sample_warehouse):
    assert query(sample_warehouse, "SELECT count(*) FROM plan_indicators WHERE reason IS NULL OR verdict IS NULL") == [(0,)]
    assert query(sample_warehouse, "SELECT DISTINCT verdict FROM plan_indicators ORDER BY 1") == [
        ("good",), ("inadequate",), ("unknown",)]


# ------------------------------------------------------------------ the sample's story (issue: grades that tell teams apart)

@pytest.fixture(scope="module")
def sample_on_its_day(tmp_path_factory):
    """The sample exports loaded on the generator's own "today", so the story does not drift with the calendar."""
    from etl import load
    from etl.sample import sample_files
    from etl.sample_data_generator import TODAY
    from tests.helpers import settings_for
    db = tmp_path_factory.mktemp("story") / "w.duckdb"
    load.load_files(sample_files(), settings_for(db, today=TODAY.isoformat()))
    return db


def test_sample_grades_tell_the_teams_apart(sample_on_its_day):
    db = sample_on_its_day
    share = {(team, overall): pct for team, overall, pct in query(db, """
        SELECT team, overall, 100.0 * count(*) / sum(count(*)) OVER (PARTITION BY team)
        FROM plan_quality GROUP BY team, overall""")}
    teams = {team for team, _ in share}
    for team in teams:                       # no team all or nothing
        for grade in ("requires_improvement", "inadequate"):
            assert 0 < share.get((team, grade), 0) < 100, (team, grade)
    english = ["North Leaving Care", "South Leaving Care", "East 16+ Team"]
    assert all(0 < share.get((t, "good"), 0) < 100 for t in english)
    # most plans good or requiring improvement; one team clearly weaker than the rest
    [(good_or_ri,)] = query(db, "SELECT avg((overall IN ('good', 'requires_improvement'))::INTEGER) FROM plan_quality")
    assert good_or_ri > 0.5
    worst = max(teams, key=lambda t: share.get((t, "inadequate"), 0))
    assert worst == "South Leaving Care"
    assert share[(worst, "inadequate")] > 1.5 * max(share.get((t, "inadequate"), 0) for t in teams - {worst})
    # one team improving: East's share of good plans rises from its first year to its last
    [(first, last)] = query(db, """
        SELECT avg((overall = 'good')::INTEGER) FILTER (WHERE coalesce(review_date, plan_date) < DATE '2025-04-01'),
               avg((overall = 'good')::INTEGER) FILTER (WHERE coalesce(review_date, plan_date) >= DATE '2025-10-01')
        FROM plan_quality WHERE team = 'East 16+ Team'""")
    assert last > first + 0.2


def test_sample_welsh_actions_unknown_and_a_late_entrant_on_time(sample_on_its_day):
    db = sample_on_its_day
    verdicts = dict(query(db, """SELECT nation || ' ' || verdict, count(*) FROM plan_indicators
                                 WHERE indicator = 'smart_actions' GROUP BY ALL"""))
    assert set(verdicts) == {"Wales unknown", "England good", "England inadequate"}
    late = query(db, """SELECT i.nation, i.verdict FROM plan_indicators i JOIN young_people y USING (person_key)
                        WHERE i.indicator = 'started_on_time' AND y.eligibility_date IS NOT NULL""")
    assert ("England", "good") in late and ("Wales", "good") in late


# ------------------------------------------------------------------ teams and young people

def test_team_is_the_one_on_the_plan_version_and_young_people_team_is_the_latest(tmp_path, db):
    load_into(db, plans(tmp_path, row("A", "01/01/2026", "A1", team="North"),
                        row("A", "01/05/2026", "A2", review="01/05/2026", team="South")))
    assert reviews(db, "team").team.tolist() == ["North", "South"]
    assert query(db, "SELECT team, plan_versions FROM young_people") == [("South", 2)]


def test_nation_and_local_authority_default_from_settings(tmp_path, db):
    path = write_csv(tmp_path / "p.csv", [["person_id", "team", "plan_date"], ["A", "T", "01/01/2026"]])
    load_into(db, path, default_nation="Wales", default_local_authority="Cwm Test")
    assert query(db, "SELECT nation, local_authority FROM young_people") == [("Wales", "Cwm Test")]


# ------------------------------------------------------------------ dates of birth

def test_young_people_gives_the_birth_month_and_no_public_view_gives_the_date_of_birth_back(tmp_path, db):
    # SPEC 3: "public views expose the birth month only (birth_month, the first of the month) ... no public column
    # may give it back (a 16th birthday is a date of birth plus 16 years)".
    load_into(db, plans(tmp_path,
        row("A", "10/04/2025", "A1", dob="17/05/2009"),
        row("A", "09/10/2025", "A2", review="09/10/2025", sent="15/10/2025", dob="17/05/2009"),
        row("W", "20/09/2024", "W1", nation="Wales", dob="23/07/2008", assessment="01/09/2024")))
    assert query(db, "SELECT birth_month, start_due_month FROM young_people ORDER BY birth_month") == [
        (dt.date(2008, 7, 1), dt.date(2024, 10, 1)), (dt.date(2009, 5, 1), dt.date(2025, 5, 1))]
    exact = [dt.date(2009, 5, 17), dt.date(2025, 5, 17), dt.date(2008, 7, 23), dt.date(2024, 7, 23), dt.date(2024, 10, 23)]
    written = [f"{d:%d/%m/%Y}" for d in exact] + [d.isoformat() for d in exact]
    with warehouse_file.connect_read_only(db) as con:
        for view in warehouse.VIEWS:
            assert "date_of_birth" not in [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()], view
            for values in con.execute(f"SELECT * FROM {view}").fetchall():
                for value in values:
                    assert value not in exact, f"{view} gives back a date of birth or 16th birthday: {value}"
                    assert not any(w in str(value) for w in written), f"{view}: {value}"
    # the exact date stays in the base tables, for the age rules
    assert query(db, "SELECT DISTINCT date_of_birth FROM plan_versions WHERE plan_id = 'A1'") == [(dt.date(2009, 5, 17),)]


def test_an_older_warehouse_gets_birth_month_and_eligibility_date_on_open(tmp_path, db):
    load_into(db, plans(tmp_path, row("A", "10/04/2025", "A1", dob="17/05/2009")))
    with warehouse_file.connect_writer(db) as con:       # what schema version 6 left: no eligibility_date, a full date of birth
        con.execute("ALTER TABLE plan_versions DROP COLUMN eligibility_date")
        con.execute("CREATE OR REPLACE VIEW young_people AS SELECT person_key, date_of_birth FROM young_people_facts")
        con.execute("UPDATE settings SET schema_version = 6")
    from etl import load
    from tests.helpers import settings_for
    assert load.upgrade_if_needed(settings_for(db)) is True
    assert query(db, "SELECT birth_month FROM young_people") == [(dt.date(2009, 5, 1),)]
    assert query(db, "SELECT count(*) FROM plan_versions WHERE eligibility_date IS NULL") == [(1,)]


# ------------------------------------------------------------------ contract

CONTRACT = {
    "young_people": "person_key, team, local_authority, nation, birth_month",
    "reviews": "plan_id, person_key, team, iro, plan_date, review_date, quarter, held_on_time, minutes_sent_date, "
               "minutes_due_date, minutes_working_days, minutes_status",
    "traffic_light_ratings": "response_id, person_key, team, review_date, quarter, submitted_date, stage_no, stage, "
                             "rating, score, comment",
    "plan_indicators": "plan_id, person_key, team, plan_date, indicator, verdict, reason",
    "load_log": "file_name, file_sha256, kind, loaded_at, rows_read, rows_loaded, rows_rejected, rows_duplicate",
    "rejected_rows": "file_name, row_number, column_name, reason",
}


@pytest.mark.parametrize("view", CONTRACT)
def test_public_view_has_the_contract_columns(sample_warehouse, view):
    with warehouse_file.connect_read_only(sample_warehouse) as con:
        columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    for column in CONTRACT[view].split(", "):
        assert column in columns, f"{view}.{column} missing"


def test_no_public_view_carries_a_raw_person_id_or_a_young_persons_name(sample_warehouse):
    from etl.sample import SAMPLE_DIR
    ids = set(re.findall(r"YP\d{5,}", "".join(p.read_text(errors="ignore") for p in SAMPLE_DIR.glob("*.csv"))))
    assert len(ids) > 100
    with warehouse_file.connect_read_only(sample_warehouse) as con:
        for view in list(CONTRACT) + ["plan_quality", "load_warnings"]:
            columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
            assert not {"person_id", "name", "young_person_name"} & set(columns)
            text = " ".join(str(v) for r in con.execute(f"SELECT * FROM {view}").fetchall() for v in r)
            leaked = [i for i in ids if i in text]
            assert not leaked, f"{view} shows person IDs: {leaked[:3]}"


def test_sample_load_accounts_for_every_row_and_flags_the_planted_bad_rows(sample_warehouse):
    for read, loaded, rejected, duplicate in query(
            sample_warehouse, "SELECT rows_read, rows_loaded, rows_rejected, rows_duplicate FROM load_log"):
        assert read == loaded + rejected + duplicate
    rejected = set(query(sample_warehouse, "SELECT file_name, row_number FROM rejected_rows"))
    # every row the generator planted as "rejected" (listed in sample_data/README.md) is rejected, at that row
    from etl.sample import SAMPLE_DIR
    planted = {(file, int(row)) for file, row in re.findall(
        r"^\| `([^`]+)` \| (\d+) \| rejected:", (SAMPLE_DIR / "README.md").read_text(), re.M)}
    assert len(planted) >= 10 and planted <= rejected
    assert query(sample_warehouse, "SELECT rows_duplicate FROM load_log WHERE file_name = 'plans_northshire.csv'") == [(1,)]
