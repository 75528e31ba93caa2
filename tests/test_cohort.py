"""The whole cohort and its outcomes (SPEC 6b): care-leaver lists in their real shapes, written from the published
headers (Ofsted's Annex A List 9 template, D2I's AA_9 extract, the DfE SSDA903 OC3 table, D2I's Standard
Safeguarding Dataset ssd_care_leavers), loaded with no settings into real warehouses; their codes in plain words;
"there is no plan"; the outcomes by team, age band and UASC; and the outcomes page."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

import queries
from tests.helpers import ROOT, TEST_TODAY, d, open_tables, query, settings_for, write_csv
from core import warehouse_file
from etl import load
from queries.filters import Filters, Scope

SNAPSHOT = dt.date(2026, 3, 31)      # a list of 2025-26 Q4; the tests' "today" is 30/06/2026

# Ofsted's Annex A List 9 template, as published (liia-tools' Annex A schema has the same headings).
LIST9_HEADERS = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)",
                 "Unaccompanied Asylum Seeking Child (UASC), or formerly UASC if 18 or over (Y/N)",
                 "Does the Child have a Disability", "Allocated Team", "Allocated Worker", "Allocated Personal Advisor",
                 "Eligibility Category", "Latest Pathway Plan Review Date", "LA in Touch", "Latest Date of Contact",
                 "Type of Accommodation", "Suitability of Accommodation", "Activity Status"]
OC3_HEADERS = ["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"]
SSD_HEADERS = ["clea_table_id", "clea_person_id", "clea_care_leaver_eligibility", "clea_care_leaver_in_touch",
               "clea_care_leaver_latest_contact", "clea_care_leaver_accommodation", "clea_care_leaver_accom_suitable",
               "clea_care_leaver_activity", "clea_pathway_plan_review_date", "clea_care_leaver_personal_advisor",
               "clea_care_leaver_allocated_team", "clea_care_leaver_worker_id"]
# D2I's AA_9 extract (the List 9 query of their Annex A scripts), column names as it writes them.
AA9_HEADERS = ["ChildUniqueID", "ChildUniqueID2", "Gender", "Ethnicity", "DateOfBirth", "Age", "UASC", "HasDisability",
               "AllocatedTeam", "AllocatedWorker", "AllocatedPersonalAdvisor", "EligibilityCategory",
               "LatestPathwayPlan", "LAInTouch", "LatestContact", "TypeOfAccommodation", "SuitabilityOfAccommodation",
               "ActivityStatus"]


def list9_row(child, dob, team, eligibility="b) Former relevant child", in_touch="a) Yes",
              accommodation="U: Independent living", suitable="a) Suitable",
              activity="F5: Young person engaged full time in training or employment (not apprenticeship)", uasc="N"):
    return [child, "b) Female", "a) WBRI", dob, 19, uasc, "b) No", team, "SW Someone", "PA Person", eligibility,
            dt.date(2026, 1, 10), in_touch, dt.date(2026, 3, 1), accommodation, suitable, activity]


def annex_a_workbook(path, list9_rows):
    """A whole Annex A workbook as a council keeps it: a cover sheet, other lists, then List 9 with its title above."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["Annex A: data for inspection"])
    cover.append(["Guidance: one sheet per list"])
    list1 = book.create_sheet("List 1")
    list1.append(["List 1: Contacts"])
    list1.append(["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Date of Contact",
                  "Contact Source"])
    list1.append(["C1", "a) Male", "a) WBRI", dt.date(2015, 1, 1), 11, dt.date(2026, 3, 1), "e) 2A: Schools"])
    list3 = book.create_sheet("List 3")
    list3.append(["List 3: Referrals"])
    list3.append(["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Date of referral",
                  "Referral Source", "Referral NFA?", "Number of Referrals in Last 12 Months", "Allocated Team",
                  "Allocated Worker"])
    for n in range(6):
        list3.append([f"C{n}", "a) Male", "a) WBRI", dt.date(2015, 1, 1), 11, dt.date(2026, 3, 1), "q) 6: Police",
                      "b) No", 1, "Front Door", "SW A"])
    list9 = book.create_sheet("List 9")
    list9.append(["List 9: Care leavers"])
    list9.append([])
    list9.append(LIST9_HEADERS)
    for row in list9_rows:
        list9.append(row)
    book.save(path)
    return path


def load_list(db, path, snapshot_date=SNAPSHOT, **overrides):
    return load.load_files([path], settings_for(db, **overrides), snapshot_date=snapshot_date)


def plans_csv(path, rows):
    """A plan export: (person_id, team, plan_date, date_of_birth, review_date, iro)."""
    return write_csv(path, [["person_id", "team", "plan_date", "date_of_birth", "review_date", "iro"], *rows])


# ------------------------------------------------------------------ the real shapes load as they come

def test_a_whole_annex_a_workbook_loads_its_list_9_sheet_and_says_so(tmp_path, db):
    path = annex_a_workbook(tmp_path / "annex_a.xlsx", [
        list9_row("YP1", dt.date(2007, 2, 14), "North"),
        list9_row("YP2", dt.date(2009, 8, 1), "South", eligibility="d) Eligible child", in_touch="b) No",
                  accommodation=None, suitable=None, activity=None, uasc="Y"),
        list9_row("YP3", dt.date(2005, 5, 5), "South", eligibility="c) Qualifying care leaver", in_touch="f) Rhom",
                  accommodation="B: Parents/relatives", suitable="b) Unsuitable",
                  activity="G6: Not in education, employment or training - pregnancy or parenting"),
    ])
    [result] = load_list(db, path)
    assert result.kind == "care_leavers"
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 3, 0)
    assert any('"List 9"' in note and "care-leaver list" in note for note in result.notes), result.notes
    assert {"Gender", "Ethnicity", "Allocated Worker"} <= set(result.ignored_columns)
    assert query(db, """SELECT team, eligibility, owed_pathway_plan, uasc, in_touch, is_in_touch, accommodation,
                               accommodation_suitable, activity, activity_group, in_education_employment_training
                        FROM care_leaver_snapshots ORDER BY age DESC""") == [
        ("South", "qualifying", False, False, "RHOM", False, "B", False, "G6",
         "not in education, employment or training", False),
        ("North", "former_relevant", True, False, "YES", True, "U", True, "F5", "training or employment", True),
        ("South", "eligible", True, True, "NO", False, None, None, None, None, None),
    ]


def test_an_oc3_table_loads_with_its_codes_and_accom_carries_suitability(tmp_path, db):
    path = write_csv(tmp_path / "oc3.csv", [OC3_HEADERS,
                                            ["YP1", "01/02/2007", "YES", "F1", "D1"],
                                            ["YP2", "15/06/2004", "NO", "0", "0"],
                                            ["YP3", "03/03/2005", "YES", "G5", "S2"],
                                            ["YP4", "04/04/2006", "DIED", "", ""]])
    [result] = load_list(db, path)
    assert result.kind == "care_leavers" and result.rows_loaded == 4 and not result.issues
    assert query(db, """SELECT in_touch_meaning, accommodation_meaning, accommodation_suitable, activity_meaning,
                               in_education_employment_training, owed_pathway_plan
                        FROM care_leaver_snapshots ORDER BY birth_month""") == [
        ("Not in touch", "Not known", None, "Not known", None, True),
        ("In touch", "No fixed abode or homeless", False, "Not in education, employment or training: other reasons",
         False, True),
        ("Died", None, None, None, None, True),
        ("In touch", "Semi-independent, transitional or self-contained accommodation", True,
         "Full time in higher education", True, True),
    ]
    # OC3 has no eligibility: its care leavers are relevant or former relevant by definition, and the summary says so
    assert any("no eligibility column" in note for note in result.notes)


def test_an_ssd_care_leavers_extract_loads_with_its_descriptions_and_the_plans_date_of_birth(tmp_path, db):
    load.load_files([plans_csv(tmp_path / "plans.csv", [["P-9", "Leaving Care", "10/01/2026", "20/05/2007", "", "IRO A"]])],
                    settings_for(db))
    path = write_csv(tmp_path / "ssd_care_leavers.csv", [SSD_HEADERS,
        ["1", "P-9", "Former Relevant", "YES", "2026-03-01 00:00:00.000", "Independent living", "Not Suitable",
         "Full time in higher education", "2026-01-10 00:00:00.000", "Jo PA", "Leaving Care Team", "W1"],
        ["2", "P-10", "No Current Eligibility", "RHOM", "NULL", "NULL", "NULL", "NULL", "1900-01-01", "NULL", "NULL",
         "W2"]])
    [result] = load_list(db, path)
    assert result.kind == "care_leavers" and result.rows_loaded == 2
    assert query(db, """SELECT person_key IS NOT NULL, team, eligibility, owed_pathway_plan, in_touch, accommodation,
                               accommodation_suitable, activity, latest_plan_date, birth_month, age_band
                        FROM care_leaver_snapshots ORDER BY eligibility""") == [
        (True, "Leaving Care Team", "former_relevant", True, "YES", "U", False, "F1", d("2026-01-10"),
         d("2007-05-01"), "17 to 18"),
        # no team in the list nor a plan: never a team called "NULL"; 1900-01-01 is no date
        (True, "No team given", "none", False, "RHOM", None, None, None, None, None, "Age not known"),
    ]


def test_d2i_aa9_extract_loads_with_its_column_names(tmp_path, db):
    path = write_csv(tmp_path / "AA_9_care_leavers.csv", [AA9_HEADERS,
        ["LL1", "991", "b) Female", "a) WBRI", "14/02/2007", "19", "a) Yes", "b) No", "North", "SW A", "PA B",
         "b) Former relevant child", "10/01/2026", "a) Yes", "01/03/2026",
         "D: Semi-independent, transitional accommodation and self-contained accommodation", "a) Suitable",
         "F4: Young person engaged full time in an apprenticeship"]])
    [result] = load_list(db, path)
    assert result.kind == "care_leavers" and result.rows_loaded == 1
    assert "ChildUniqueID2" in result.ignored_columns
    assert query(db, "SELECT uasc, eligibility, in_touch, accommodation, accommodation_suitable, activity, "
                     "personal_adviser FROM care_leaver_snapshots") == [
        (True, "former_relevant", "YES", "D", True, "F4", "PA B")]


def test_an_unknown_code_loads_as_unknown_with_a_warning_naming_the_row_and_column(tmp_path, db):
    path = write_csv(tmp_path / "oc3.csv", [OC3_HEADERS, ["YP1", "01/02/2007", "YES", "F1", "U1"],
                                            ["YP2", "01/02/2006", "MAYBE", "VOL", "Q1"]])
    [result] = load_list(db, path)
    assert result.rows_loaded == 2 and result.rows_with_warnings == 1
    warned = {(row, column) for row, column, severity, _ in result.issues if severity == "warning"}
    assert warned == {(3, "IN_TOUCH"), (3, "ACTIV"), (3, "ACCOM")}
    reason = next(r for _, c, _, r in result.issues if c == "IN_TOUCH")
    assert '"MAYBE"' in reason and "YES" in reason and "loaded as unknown" in reason
    assert query(db, "SELECT count(*) FROM care_leaver_snapshots WHERE in_touch IS NULL AND activity IS NULL "
                     "AND accommodation IS NULL") == [(1,)]
    assert query(db, "SELECT count(*) FROM load_warnings WHERE row_number = 3") == [(3,)]


# ------------------------------------------------------------------ the snapshot date and what a row is

def test_the_snapshot_date_comes_from_a_column_else_the_date_given_else_the_files_date(tmp_path, db):
    with_column = write_csv(tmp_path / "dated.csv", [["CHILD", "IN_TOUCH", "Snapshot date"],
                                                     ["YP1", "YES", "31/12/2025"], ["YP2", "NO", ""]])
    [result] = load_list(db, with_column, snapshot_date=dt.date(2026, 1, 15))
    assert any("Snapshot date" in n and "1 row without one taken as of 15/01/2026" in n for n in result.notes)
    assert query(db, "SELECT snapshot_date, quarter FROM care_leaver_snapshots ORDER BY 1") == [
        (d("2025-12-31"), "2025-26 Q3"), (d("2026-01-15"), "2025-26 Q4")]
    undated = write_csv(tmp_path / "undated.csv", [["CHILD", "IN_TOUCH"], ["YP3", "YES"]])
    import os
    os.utime(undated, (dt.datetime(2026, 2, 2, 12).timestamp(),) * 2)
    [result] = load_list(db, undated, snapshot_date=None)
    assert any("02/02/2026" in n and "modification date" in n for n in result.notes)


def test_an_unreadable_snapshot_date_rejects_the_row(tmp_path, db):
    path = write_csv(tmp_path / "dated.csv", [["CHILD", "IN_TOUCH", "As at date"], ["YP1", "YES", "end of March"]])
    [result] = load_list(db, path)
    assert (result.rows_rejected, result.issues[0][1]) == (1, "As at date")


def test_the_same_list_again_changes_nothing_and_a_later_list_adds(tmp_path, db):
    rows = [OC3_HEADERS, ["YP1", "01/02/2007", "YES", "F1", "U1"], ["YP2", "01/02/2006", "NO", "0", "0"]]
    first = write_csv(tmp_path / "oc3_march.csv", rows)
    load_list(db, first)
    [again] = load_list(db, first)
    assert again.already_loaded_at is not None
    resaved = write_csv(tmp_path / "oc3_march_copy.csv", rows, encoding="utf-8-sig")     # same rows, other bytes
    [copy] = load_list(db, resaved)
    assert (copy.rows_loaded, copy.rows_duplicate) == (0, 2)
    june = [OC3_HEADERS, ["YP1", "01/02/2007", "YES", "F2", "U1"], ["YP2", "01/02/2006", "YES", "G5", "D1"]]
    [later] = load_list(db, write_csv(tmp_path / "oc3_june.csv", june), snapshot_date=dt.date(2026, 6, 30))
    assert later.rows_loaded == 2
    assert query(db, "SELECT snapshot_date, count(*) FROM care_leaver_snapshots GROUP BY ALL ORDER BY 1") == [
        (SNAPSHOT, 2), (d("2026-06-30"), 2)]
    assert query(db, "SELECT DISTINCT snapshot_date, in_touch FROM care_leavers") == [(d("2026-06-30"), "YES")]


# ------------------------------------------------------------------ "there is no plan"

@pytest.fixture
def cohort(tmp_path, db):
    """Plans for two of the young people (one in date, one out of date) and a List 9 naming five, in two teams."""
    load.load_files([plans_csv(tmp_path / "plans.csv", [
        ["YP1", "North", "10/03/2026", "14/02/2007", "10/03/2026", "IRO A"],     # in date
        ["YP2", "South", "01/06/2025", "14/02/2007", "01/06/2025", "IRO B"],     # next review due 01/12/2025: out of date
    ])], settings_for(db))
    load_list(db, annex_a_workbook(tmp_path / "annex_a.xlsx", [
        list9_row("YP1", dt.date(2007, 2, 14), "North"),
        list9_row("YP2", dt.date(2007, 2, 14), "South"),
        list9_row("YP3", dt.date(2008, 7, 3), "South", eligibility="a) Relevant child"),         # no plan
        list9_row("YP4", dt.date(2005, 1, 9), "North", eligibility="c) Qualifying care leaver"), # not owed one
        list9_row("YP5", dt.date(2006, 1, 9), "North", in_touch="c) Died"),                     # died
    ]))
    return db


def test_young_people_owed_a_plan_with_none_loaded_or_none_in_date_are_listed_with_up_to_date_inadequate(cohort):
    rows = query(cohort, "SELECT team, plan_status, indicator, verdict, reason, iro FROM young_people_without_plan "
                         "ORDER BY plan_status")
    # YP1's plan is in date, YP4 is a qualifying care leaver (owed advice, not a plan), YP5 died
    assert rows == [
        ("South", "no_plan", "up_to_date", "inadequate", "no pathway plan loaded", None),
        ("South", "out_of_date", "up_to_date", "inadequate", "Out of date: the next review was due by 01/12/2025", "IRO B"),
    ]
    # plan_indicators keeps one row per plan version: the young person with no plan has none there
    assert query(cohort, "SELECT count(DISTINCT person_key) FROM plan_indicators") == [(2,)]


def test_a_young_person_only_on_an_earlier_list_is_not_owed_a_plan_now(cohort, tmp_path):
    load_list(cohort, write_csv(tmp_path / "later.csv", [["CHILD", "IN_TOUCH", "Eligibility Category"],
                                                         ["YP1", "YES", "Former relevant"]]),
              snapshot_date=dt.date(2026, 6, 1))
    assert query(cohort, "SELECT count(*) FROM young_people_without_plan") == [(0,)]


def test_the_no_plan_list_is_scoped_as_the_worklist(cohort):
    everyone = queries.without_plan(cohort, Filters())
    assert sorted(everyone["status"]) == ["No plan loaded", "Plan out of date"]
    north = queries.without_plan(cohort, Filters(), Scope(role="team_manager", teams=("North",)))
    assert north.empty
    # an IRO sees the young people of their own out-of-date plans only; nobody's without a plan (no IRO yet)
    assert queries.without_plan(cohort, Filters(), Scope(role="iro", iro="IRO B"))["status"].tolist() == ["Plan out of date"]
    assert queries.without_plan(cohort, Filters(), Scope(role="iro", iro="IRO A")).empty
    with pytest.raises(PermissionError):
        queries.without_plan(cohort, Filters(), Scope(role="panel"))
    counts = queries.without_plan_by_team(cohort, Filters()).set_index("team")
    assert counts.loc["All teams", ["owed", "no_plan", "out_of_date"]].tolist() == [3, 1, 1]
    assert counts.loc["South", ["owed", "no_plan", "out_of_date"]].tolist() == [2, 1, 1]


# ------------------------------------------------------------------ outcomes

def test_outcomes_by_age_band_use_the_dfe_bands_and_leave_out_those_who_died(tmp_path, db):
    rows = [OC3_HEADERS]
    # on 31/03/2026: ten aged 17-18 (eight in touch), six aged 19-21 (all in touch, three in EET), one died
    rows += [[f"A{n}", "01/01/2008", "YES" if n < 8 else "NO", "F2", "U1"] for n in range(10)]
    rows += [[f"B{n}", "01/01/2005", "YES", "F5" if n < 3 else "G5", "U2"] for n in range(6)]
    rows += [["C1", "01/01/2005", "DIED", "", ""]]
    load_list(db, write_csv(tmp_path / "oc3.csv", rows))
    outcomes = queries.care_leaver_outcomes(db, Filters(quarters=("2025-26 Q4",)))
    by_age = outcomes[outcomes["dimension"] == "age_band"].set_index(["group_label", "outcome"])
    assert by_age.loc[("17 to 18", "in_touch"), ["young_people", "yes", "no", "pct"]].tolist() == [10, 8, 2, 80.0]
    assert by_age.loc[("19 to 21", "in_eet"), ["young_people", "yes", "pct"]].tolist() == [6, 3, 50.0]
    assert by_age.loc[("19 to 21", "suitable_accommodation"), "yes"] == 0
    assert bool(by_age.loc[("17 to 18", "in_touch"), "too_small"])           # 2 not in touch: could be worked out
    everyone = outcomes[outcomes["dimension"] == "all"].set_index("outcome")
    assert everyone.loc["in_touch", "young_people"] == 16                     # the one who died is left out
    # the list's quarter is the period: another quarter has none
    assert queries.care_leaver_outcomes(db, Filters(quarters=("2026-27 Q1",))).empty


def test_outcome_counts_for_the_panel_report_are_counts_by_quarter_authority_team_and_outcome(cohort):
    counts = queries.care_leaver_outcome_counts(cohort)
    assert list(counts.columns) == ["quarter", "local_authority", "team", "outcome", "young_people", "yes", "no",
                                    "not_known"]
    north = counts[(counts["team"] == "North") & (counts["outcome"] == "in_touch")].iloc[0]
    assert (north["quarter"], north["young_people"], north["yes"]) == ("2025-26 Q4", 2, 2)    # YP5 died: left out
    assert queries.care_leaver_outcome_counts(cohort, quarter="2026-27 Q1").empty


def test_public_views_give_the_birth_month_never_the_date_of_birth(cohort, tmp_path):
    exact = {dt.date(2007, 2, 14), dt.date(2008, 7, 3), dt.date(2005, 1, 9), dt.date(2006, 1, 9)}
    for view in ("care_leaver_snapshots", "care_leavers", "young_people_without_plan"):
        columns = [r[0] for r in query(cohort, f"DESCRIBE {view}")]
        assert "date_of_birth" not in columns, view
        for values in query(cohort, f"SELECT * FROM {view}"):
            assert not exact & set(values), f"{view} gives back a date of birth"
    assert query(cohort, "SELECT DISTINCT birth_month FROM care_leavers ORDER BY 1")[0] == (dt.date(2005, 1, 1),)
    assert query(cohort, "SELECT count(*) FROM care_leaver_records WHERE date_of_birth = DATE '2007-02-14'") == [(2,)]


def test_an_older_warehouse_gets_the_care_leaver_tables_and_views_on_open(tmp_path, db):
    load.load_files([plans_csv(tmp_path / "plans.csv", [["YP1", "North", "10/03/2026", "14/02/2007", "", "IRO A"]])],
                    settings_for(db))
    import os
    os.chmod(db, 0o644)
    with warehouse_file.connect_writer(db) as con:       # what schema version 7 left: no care-leaver tables or views
        for view in ("young_people_without_plan", "care_leavers", "care_leaver_snapshots"):
            con.execute(f"DROP VIEW {view}")
        con.execute("DROP TABLE care_leaver_records")
        con.execute("DROP TABLE care_leaver_codes")
        con.execute("UPDATE settings SET schema_version = 7")
    assert load.upgrade_if_needed(settings_for(db)) is True
    assert query(db, "SELECT count(*) FROM care_leavers") == [(0,)]
    assert query(db, "SELECT count(*) FROM care_leaver_codes WHERE field = 'in_touch'") == [(6,)]


# ------------------------------------------------------------------ the outcomes page

def test_the_outcomes_page_draws_each_outcome_by_team_age_and_uasc_with_its_table(cohort, monkeypatch):
    monkeypatch.setenv("PWP_WAREHOUSE", str(cohort))
    monkeypatch.setenv("PWP_TODAY", TEST_TODAY)
    at = AppTest.from_file(str(ROOT / "pages/outcomes.py"), default_timeout=60)
    at.run()
    open_tables(at.sidebar.multiselect(key="flt_quarters").set_value(["2025-26 Q4"]).run())
    assert not at.exception, [e.value for e in at.exception]
    assert [m.label for m in at.metric] == ["In touch", "In suitable accommodation",
                                            "In education, employment or training"]
    assert at.metric[0].value.startswith("100%")          # four listed (one died: left out), all four in touch
    assert [s.value for s in at.subheader][:4] == ["All young people listed", "By team", "By age",
                                                   "Unaccompanied asylum-seeking children"]
    tables = [df.value for df in at.dataframe]
    by_team = next(t for t in tables if "Group" in t.columns and set(t["Group"]) == {"North", "South"})
    assert by_team[by_team["Outcome"] == "In touch"].set_index("Group")["Young people"].to_dict() == {
        "North": 2, "South": 2}
    assert any("Fewer than 5" in c.value for c in at.caption)     # groups of 1-4 are marked, as on other pages
