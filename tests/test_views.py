"""The public views (SPEC 4) give exactly the figures the rules (SPEC 3) say. Today is fixed at 2026-06-30."""
import datetime as dt
import re

import pytest

from etl import warehouse
from conftest import load_into, query, write_csv

PLAN = ["person_id", "team", "plan_date", "plan_id", "nation", "date_of_birth", "first_plan_date",
        "needs_assessment_date", "review_date", "minutes_sent_date"]


def plans(tmp_path, *rows, extra_header=(), name="plans.csv"):
    return write_csv(tmp_path / name, [PLAN + list(extra_header), *[list(r) for r in rows]])


def row(pid, plan_date, plan_id, review="", sent="", nation="England", dob="", first="", assessment="", team="North"):
    return [pid, team, plan_date, plan_id, nation, dob, first, assessment, review, sent]


def reviews(db, cols="*"):
    with warehouse.connect_read_only(db) as con:
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
    load_into(db, plans(tmp_path,
        row("A", "01/03/2026", "A1", dob="01/03/2010", first="28/02/2026"),  # day before 16th birthday: good
        row("B", "01/03/2026", "B1", dob="01/03/2010"),                      # on the birthday: inadequate
        row("C", "01/03/2026", "C1")))                                       # no date of birth: unknown
    assert verdict(db, "A1", "started_on_time")[0] == "good"
    assert verdict(db, "B1", "started_on_time")[0] == "inadequate"
    assert verdict(db, "C1", "started_on_time")[0] == "unknown"


def test_started_on_time_wales_needs_assessment_within_3_months_of_16th_birthday(tmp_path, db):
    load_into(db, plans(tmp_path,
        row("A", "01/09/2026", "A1", nation="Wales", dob="31/05/2010", assessment="31/08/2026"),  # exactly 3 months
        row("B", "01/03/2026", "B1", nation="Wales", dob="31/05/2009", assessment="01/09/2025"),  # one day over
        row("C", "15/06/2025", "C1", nation="Wales", dob="01/03/2009")))                          # first plan used
    assert verdict(db, "A1", "started_on_time")[0] == "good"
    assert verdict(db, "B1", "started_on_time")[0] == "inadequate"
    assert verdict(db, "C1", "started_on_time")[0] == "inadequate"   # 15/06/2025 > 01/06/2025


def test_started_on_time_applies_to_the_first_plan_only(tmp_path, db):
    load_into(db, plans(tmp_path, row("A", "01/03/2025", "A1", dob="01/03/2010"),
                        row("A", "01/09/2025", "A2", review="01/09/2025", dob="01/03/2010")))
    assert verdict(db, "A1", "started_on_time") is not None and verdict(db, "A2", "started_on_time") is None


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


def test_all_areas_needs_all_eleven_covers(tmp_path, db):
    covers = CONTENT[3:]
    base = ["yes"] * 3
    load_into(db, plans(tmp_path,
        row("G", "01/03/2026", "G") + base + ["yes"] * 11,
        row("I", "01/03/2026", "I") + base + ["yes"] * 8 + ["no", "yes", "no"],
        row("U", "01/03/2026", "U") + base + ["yes"] * 10 + [""],
        extra_header=CONTENT))
    assert verdict(db, "G", "all_areas") == ("good", "All eleven required areas are covered")
    assert verdict(db, "I", "all_areas") == ("inadequate", "Not covered: finance, contingency")
    assert verdict(db, "U", "all_areas") == ("unknown", "Not recorded whether the plan covers: contingency")
    assert len(covers) == 11


def test_started_on_time_follows_the_rules_of_the_nation_of_the_first_plan(tmp_path, db):
    load_into(db, plans(tmp_path,
        # first plan in Wales: assessment two months after the 16th birthday, on time by the Welsh rule
        row("A", "01/07/2025", "A1", nation="Wales", dob="01/04/2009", assessment="01/06/2025"),
        row("A", "01/01/2026", "A2", review="01/01/2026", nation="England")))
    assert verdict(db, "A1", "started_on_time") == (
        "good", "Needs assessment 01/06/2025, within the due date 01/07/2025 (3 months after the 16th birthday, Wales)")
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


def test_smart_actions_is_unknown_only_while_no_actions_export_was_ever_loaded(tmp_path, db):
    load_into(db, plans(tmp_path, row("A", "01/03/2026", "P1")))
    assert verdict(db, "P1", "smart_actions") == ("unknown", "No actions export has been loaded, so actions cannot be judged")
    # an actions export whose only action belongs to a plan not loaded yet: P1 has no actions, judged so
    load_into(db, write_csv(tmp_path / "actions.csv", [["action_id", "plan_id", "action", "owner", "due_date"],
                                                       ["1", "P9", "Apply to college", "PA", "01/09/2026"]]))
    assert verdict(db, "P1", "smart_actions") == ("inadequate", "The plan has no actions")
    # and a plan of another authority, loaded later, is judged the same way
    load_into(db, plans(tmp_path, row("B", "01/04/2026", "Q1") + ["Southshire"], extra_header=["local_authority"],
                        name="other.csv"))
    assert verdict(db, "Q1", "smart_actions") == ("inadequate", "The plan has no actions")


def test_plan_overall_verdict_inadequate_good_or_incomplete(tmp_path, db):
    good = ["yes"] * len(CONTENT)
    load_into(db, plans(tmp_path,
        row("G", "01/03/2026", "G", dob="01/03/2009", first="01/01/2025") + good,
        row("I", "01/03/2026", "I", dob="01/03/2009", first="01/01/2025") + good[:-1] + ["no"],
        row("U", "01/03/2026", "U", dob="01/03/2009", first="01/01/2025") + good[:-1] + [""],
        extra_header=CONTENT))
    load_into(db, write_csv(tmp_path / "a.csv", [["action_id", "plan_id", "action", "owner", "due_date"]] +
                            [[p, p, "x", "PA", "01/09/2026"] for p in "GIU"]))
    got = dict(query(db, "SELECT plan_id, overall FROM plan_quality"))
    assert got == {"G": "good", "I": "inadequate", "U": "incomplete"}


def test_plan_quality_agrees_with_the_indicators_it_summarises(sample_warehouse):
    mismatches = query(sample_warehouse, """
        WITH from_indicators AS (
            SELECT plan_id,
                   CASE WHEN count(*) FILTER (WHERE verdict = 'inadequate') > 0 THEN 'inadequate'
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


# ------------------------------------------------------------------ contract

CONTRACT = {
    "young_people": "person_key, team, local_authority, nation, date_of_birth",
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
    with warehouse.connect_read_only(sample_warehouse) as con:
        columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
    for column in CONTRACT[view].split(", "):
        assert column in columns, f"{view}.{column} missing"


def test_no_public_view_carries_a_raw_person_id_or_a_young_persons_name(sample_warehouse):
    from etl.sample import SAMPLE_DIR
    ids = set(re.findall(r"YP\d{5,}", "".join(p.read_text(errors="ignore") for p in SAMPLE_DIR.glob("*.csv"))))
    assert len(ids) > 100
    with warehouse.connect_read_only(sample_warehouse) as con:
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
    assert {("plans_northshire.csv", 71), ("plans_northshire.csv", 347), ("plans_cwm_derwen.xlsx", 977),
            ("traffic_light_northshire.csv", 269), ("traffic_light_northshire.csv", 438)} <= rejected
    assert query(sample_warehouse, "SELECT rows_duplicate FROM load_log WHERE file_name = 'plans_northshire.csv'") == [(1,)]
