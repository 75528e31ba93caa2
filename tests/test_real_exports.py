"""What real exports do (SPEC 2.6): files shaped like the real ones, written here and loaded into real warehouses.

The shapes: SQL Server / D2I extracts (`NULL` as text, `1900-01-01 00:00:00.000` for no date), Microsoft Forms
exports of "Rate your review" (`ID`, `Start time`, `Completion time`, `Email`, `Name`, then the question titles),
councils' workbooks with cover and guidance sheets before the data.
"""
import datetime as dt

import openpyxl
import pytest

from etl import load
from etl.readers import UnreadableFile
from tests.helpers import load_into, query, write_csv, write_xlsx


def counts(result):
    return result.rows_read, result.rows_loaded, result.rows_rejected, result.rows_duplicate


def warnings(db):
    return query(db, "SELECT row_number, column_name, reason FROM load_warnings ORDER BY row_number, column_name")


def rejections(db):
    return query(db, "SELECT row_number, column_name, reason FROM rejected_rows ORDER BY row_number, column_name")


# ------------------------------------------------------------------ null markers (SPEC 2.6)

SQL_PLAN_HEADER = ["PersonID", "TeamName", "PlanDate", "DateOfBirth", "ReviewDate", "MinutesSentDate",
                   "NextReviewDate", "IRO", "YPViewsRecorded"]


def test_a_sql_extracts_null_and_1900_01_01_load_as_unknown_with_a_warning(tmp_path, db):
    """SPEC 2.6: never a plan dated 1900, never an IRO called NULL; each marker a warning."""
    path = write_csv(tmp_path / "ssd_extract.csv", [
        SQL_PLAN_HEADER,
        ["YP1", "North", "2025-04-01 00:00:00.000", "1900-01-01 00:00:00.000", "1900-01-01 00:00:00.000",
         "NULL", "01/01/1900", "NULL", "NULL"],
        ["YP2", "North", "2025-05-01 00:00:00.000", "2008-03-04 00:00:00.000", "2025-05-01 00:00:00.000",
         "2025-05-09 00:00:00.000", "1900-01-01", " n/a ", "#N/A"],
    ])
    [result] = load_into(db, path)
    assert counts(result) == (2, 2, 0, 0) and result.rows_with_warnings == 2
    assert query(db, "SELECT source_row, date_of_birth, review_date, minutes_sent_date, next_review_date, iro, "
                     "yp_views_recorded FROM plan_versions ORDER BY source_row") == [
        (2, None, None, None, None, None, None),
        (3, dt.date(2008, 3, 4), dt.date(2025, 5, 1), dt.date(2025, 5, 9), None, None, None)]
    got = warnings(db)
    assert [(r, c) for r, c, _ in got] == [
        (2, "DateOfBirth"), (2, "IRO"), (2, "MinutesSentDate"), (2, "NextReviewDate"), (2, "ReviewDate"),
        (2, "YPViewsRecorded"), (3, "IRO"), (3, "NextReviewDate"), (3, "YPViewsRecorded")]
    assert got[0][2] == ('"1900-01-01 00:00:00.000" is a "no value" marker (what some systems write for nothing); '
                         "loaded as unknown")
    assert '"n/a" is a "no value" marker' in got[6][2] and '"#N/A" is a "no value" marker' in got[8][2]
    # the initial plan (review date 1900) is an initial plan, not a review held in 1900
    assert query(db, "SELECT count(*) FROM plan_versions WHERE review_date < DATE '1950-01-01' "
                     "OR date_of_birth < DATE '1950-01-01'") == [(0,)]


@pytest.mark.parametrize("marker", ["NULL", "null", "N/A", "n/a", "#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?",
                                    "#NULL!", "#NUM!", "-", "Not known", "NOT KNOWN", "N/K", "n/k", " NULL ",
                                    "01/01/1900", "1900-01-01", "1/1/1900", "1900-01-01 00:00:00"])
def test_a_null_marker_in_a_required_column_rejects_the_row_and_says_it_was_a_no_value_marker(tmp_path, db, marker):
    """Never a team called NULL: in a required column a marker is a blank, and the reason names the marker."""
    path = write_csv(tmp_path / "extract.csv", [SQL_PLAN_HEADER[:3], ["YP1", marker, "2025-04-01"],
                                                ["YP2", "North", "2025-04-01"]])
    [result] = load_into(db, path)
    assert counts(result) == (2, 1, 1, 0)
    assert rejections(db) == [(2, "TeamName", f'"{marker.strip()}" is a "no value" marker (what some systems '
                                               "write for nothing), so TeamName is blank: every row needs it")]
    assert query(db, "SELECT DISTINCT team FROM plan_versions") == [("North",)]
    assert warnings(db) == []                       # one line for the cell, not a warning as well


def test_null_marker_as_person_id_or_plan_date_rejects_the_row(tmp_path, db):
    path = write_csv(tmp_path / "extract.csv", [SQL_PLAN_HEADER[:3], ["NULL", "North", "2025-04-01"],
                                                ["YP2", "North", "1900-01-01 00:00:00.000"]])
    [result] = load_into(db, path)
    assert counts(result) == (2, 0, 2, 0)
    got = rejections(db)
    assert [(r, c) for r, c, _ in got] == [(2, "PersonID"), (3, "PlanDate")]
    assert got[0][2].startswith('"NULL" is a "no value" marker') and "every row needs it" in got[1][2]


def test_an_excel_date_cell_of_1_january_1900_is_no_date(tmp_path, db):
    """The same marker as a real Excel date (what an extract pasted into Excel becomes)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Young Person ID", "Team", "Plan Date", "DOB", "Review Date"])
    sheet.append(["YP1", "North", dt.date(2025, 4, 1), dt.datetime(1900, 1, 1), dt.date(1900, 1, 1)])
    sheet.append(["YP2", "North", dt.date(1900, 1, 1), dt.date(2008, 1, 1), None])
    for row in (2, 3):
        for column in (3, 4, 5):
            sheet.cell(row, column).number_format = "dd/mm/yyyy"
    book.save(tmp_path / "plans.xlsx")
    [result] = load_into(db, tmp_path / "plans.xlsx")
    assert counts(result) == (2, 1, 1, 0)
    assert query(db, "SELECT date_of_birth, review_date FROM plan_versions") == [(None, None)]
    assert [(r, c) for r, c, _ in warnings(db)] == [(2, "DOB"), (2, "Review Date")]
    assert rejections(db)[0][:2] == (3, "Plan Date") and '"1900-01-01" is a "no value" marker' in rejections(db)[0][2]


def test_null_markers_in_a_form_are_unanswered_questions_and_blank_comments(tmp_path, db):
    path = write_csv(tmp_path / "forms.csv", [
        ["response_id", "person_id", "review_date", "submitted_date", "stage_1", "stage_2", "stage_1_comment"],
        ["F1", "YP1", "01/10/2025", "NULL", "Red", "N/A", "-"],
    ])
    [result] = load_into(db, path)
    assert counts(result) == (1, 1, 0, 0)
    assert query(db, "SELECT stage_no, rating, comment FROM traffic_light_answers ORDER BY stage_no") == [
        (1, "red", None)]
    assert [(r, c) for r, c, _ in warnings(db)] == [(2, "stage_1_comment"), (2, "stage_2"), (2, "submitted_date")]


# ------------------------------------------------------------------ a value that would change what a row is

def test_an_unreadable_review_date_rejects_the_row_and_never_makes_the_review_an_initial_plan(tmp_path, db):
    """SPEC 2.6: "next week" in an already-loaded review's Review Date must not turn it into an initial plan."""
    header = ["Plan ID", "Young Person ID", "Team", "Plan Date", "Review Date", "Minutes Sent Date"]
    first = write_csv(tmp_path / "plans_oct.csv", [header, ["PP-1", "YP1", "North", "01/04/2025", "", ""],
                                                   ["PP-2", "YP1", "North", "01/10/2025", "01/10/2025", "08/10/2025"]])
    later = write_csv(tmp_path / "plans_nov.csv", [header, ["PP-1", "YP1", "North", "01/04/2025", "", ""],
                                                   ["PP-2", "YP1", "North", "01/10/2025", "next week", "09/10/2025"]])
    load_into(db, first)
    [result] = load_into(db, later)
    assert counts(result) == (2, 0, 1, 1)
    assert rejections(db) == [(3, "Review Date", '"next week" is not a date (write day/month/year like 03/05/2026, '
                                                 "or 2026-05-03); a blank review date would make this an initial "
                                                 "plan, so the row is not loaded")]
    # the review is still a review, with its minutes
    assert query(db, "SELECT plan_id, review_date, minutes_sent_date FROM plan_versions ORDER BY plan_id") == [
        ("PP-1", None, None), ("PP-2", dt.date(2025, 10, 1), dt.date(2025, 10, 8))]


# ------------------------------------------------------------------ month-first dates

from etl.columns import STAGES, STATEMENTS  # noqa: E402

MS_FORMS_START = ["ID", "Start time", "Completion time", "Email", "Name"]


def ms_forms_rows(responses, comment_headers=None):
    """A Microsoft Forms export of Rate your review: ID, Start time, Completion time, Email, Name, then the
    questions (the young person's ID, the review date, the ten stages, each followed by its "why?" question).
    responses: (id, start, completion, person, review date, rating index 0-2, comment)."""
    comment_headers = comment_headers or [f"{n}. {s} - comments" for n, s in enumerate(STAGES, start=1)]
    header = [*MS_FORMS_START, "Young person ID", "Review date"]
    for n, stage in enumerate(STAGES, start=1):
        header += [f"{n}. {stage}", comment_headers[n - 1]]
    rows = [header]
    for rid, start, completion, person, review, rating, comment in responses:
        row = [rid, start, completion, "anonymous", "anonymous", person, review]
        for n in range(10):
            row += [STATEMENTS[n][rating], comment if n == 1 else ""]
        rows.append(row)
    return rows


def review_plans(tmp_path, reviews, name="plans.csv"):
    """A plan export with one review per (person, review date as d/m/Y)."""
    rows = [["Plan ID", "Young Person ID", "Team", "Plan Date", "Review Date"]]
    rows += [[f"PP-{i}", person, "North", review, review] for i, (person, review) in enumerate(reviews, start=1)]
    return write_csv(tmp_path / name, rows)


def test_month_first_dates_of_an_online_form_saved_as_csv_are_read_month_first_and_the_summary_says_so(tmp_path, db):
    """SPEC 2.6: "8/19/2025" in the column makes it month-first for the whole file, so 9/3/2025 is 3 September."""
    plans = review_plans(tmp_path, [("YP1", "14/08/2025"), ("YP2", "02/09/2025"), ("YP3", "30/09/2025")])
    forms = write_csv(tmp_path / "Rate your review(1-3).csv", ms_forms_rows([
        (1, "8/19/2025 13:55:02", "8/19/2025 14:03:22", "YP1", "8/14/2025", 0, ""),
        (2, "9/3/2025 9:01:00", "9/3/2025 9:15:00", "YP2", "9/2/2025", 1, ""),
        (3, "10/1/2025 10:40:00", "10/1/2025 11:00:00 AM", "YP3", "9/30/2025", 2, ""),
    ]))
    [_, result] = load_into(db, plans, forms)
    assert counts(result) == (3, 3, 0, 0) and result.rows_with_warnings == 0
    assert query(db, "SELECT person_key IS NOT NULL, review_date, submitted_date, plan_id FROM traffic_light_responses "
                     "ORDER BY review_date") == [
        (True, dt.date(2025, 8, 14), dt.date(2025, 8, 19), "PP-1"),
        (True, dt.date(2025, 9, 2), dt.date(2025, 9, 3), "PP-2"),
        (True, dt.date(2025, 9, 30), dt.date(2025, 10, 1), "PP-3")]
    text = load.summary(result)
    assert 'Completion time: read month-first (8/19/2026 is 19 August) for the whole file' in text
    assert 'Review date: read month-first' in text


def test_a_date_column_ambiguous_throughout_stays_day_first(tmp_path, db):
    plans = review_plans(tmp_path, [("YP1", "03/05/2025")])
    forms = write_csv(tmp_path / "forms.csv", ms_forms_rows([(1, "3/5/2025 10:00", "3/5/2025 10:05", "YP1", "3/5/2025", 0, "")]))
    [_, result] = load_into(db, plans, forms)
    assert counts(result) == (1, 1, 0, 0) and result.notes == []
    assert query(db, "SELECT review_date, submitted_date, plan_id FROM traffic_light_responses") == [
        (dt.date(2025, 5, 3), dt.date(2025, 5, 3), "PP-1")]


def test_a_date_column_with_both_month_only_and_day_only_dates_stays_day_first_and_says_so(tmp_path, db):
    plans = review_plans(tmp_path, [("YP1", "14/08/2025"), ("YP2", "20/08/2025")])
    forms = write_csv(tmp_path / "forms.csv", ms_forms_rows([
        (1, "", "8/19/2025 14:03", "YP1", "14/08/2025", 0, ""),     # month-first: cannot be day-first
        (2, "", "21/08/2025 09:00", "YP2", "20/08/2025", 0, ""),    # day-first: cannot be month-first
    ]))
    [_, result] = load_into(db, plans, forms)
    assert counts(result) == (2, 2, 0, 0) and result.rows_with_warnings == 1
    assert query(db, "SELECT submitted_date FROM traffic_light_responses ORDER BY review_date") == [
        (None,), (dt.date(2025, 8, 21),)]
    assert warnings(db)[0][:2] == (2, "Completion time") and '"8/19/2025 14:03" is not a date' in warnings(db)[0][2]
    assert result.notes == ['Completion time: 1 date only makes sense month-first (like "8/19/2025 14:03") but 1 only '
                            'day-first (like "21/08/2025 09:00"), so the column is read day-first, as UK dates; the '
                            'month-first ones are not read as dates (listed with their rows)']


def test_a_month_first_plan_export_never_swaps_day_and_month_silently(tmp_path, db):
    path = write_csv(tmp_path / "plans.csv", [["Person ID", "Team", "Plan Date", "DOB"],
                                              ["YP1", "North", "4/1/2025", "12/25/2008"],
                                              ["YP2", "North", "4/15/2025", "1/2/2009"]])
    [result] = load_into(db, path)
    assert counts(result) == (2, 2, 0, 0)
    assert query(db, "SELECT plan_date, date_of_birth FROM plan_versions ORDER BY source_row") == [
        (dt.date(2025, 4, 1), dt.date(2008, 12, 25)), (dt.date(2025, 4, 15), dt.date(2009, 1, 2))]
    assert [n.split(":")[0] for n in result.notes] == ["Plan Date", "DOB"]


# ------------------------------------------------------------------ online-form response IDs

def form_count(db):
    return query(db, "SELECT count(*) FROM traffic_light_forms")[0][0]


def this_year(ids=(1, 2, 3)):
    return [(i, dt.datetime(2025, 4, 10 + i, 17, 32, 25), dt.datetime(2025, 4, 10 + i, 17, 39, 3), f"YP{i}",
             dt.date(2025, 4, 13), i % 3, "") for i in ids]


def test_next_years_copy_of_the_form_never_overwrites_this_years_responses(tmp_path, db):
    """SPEC 2.6: Microsoft Forms numbers responses 1..N per form; a copy of the form starts again at 1."""
    load_into(db, write_xlsx(tmp_path / "Rate your review 2025(1-3).xlsx", ms_forms_rows(this_year())))
    next_year = [(i, dt.datetime(2026, 4, 1 + i, 10, 0), dt.datetime(2026, 4, 1 + i, 10, 6), f"YP{i + 10}",
                  dt.date(2026, 3, 30), 2, "") for i in (1, 2)]
    [result] = load_into(db, write_xlsx(tmp_path / "Rate your review 2026(1-2).xlsx", ms_forms_rows(next_year)))
    assert counts(result) == (2, 2, 0, 0)
    assert form_count(db) == 5


def test_the_same_export_sent_again_changes_nothing_even_saved_as_csv_with_us_dates(tmp_path, db):
    load_into(db, write_xlsx(tmp_path / "Rate your review(1-3).xlsx", ms_forms_rows(this_year())))
    stored = ("SELECT f.* EXCLUDE (load_id, source_file, source_row), a.* FROM traffic_light_forms f "
              "JOIN traffic_light_answers a USING (response_id) ORDER BY ALL")
    before = query(db, stored)
    # the same responses, opened in Excel (US settings) and saved as CSV: times written m/d/yyyy h:mm:ss AM/PM
    as_csv = [(i, f"4/{10 + i}/2025 5:32:25 PM", f"4/{10 + i}/2025 5:39:03 PM", f"YP{i}", "4/13/2025", i % 3, "")
              for i in (1, 2, 3)]
    [result] = load_into(db, write_csv(tmp_path / "Rate your review(1-3).csv", ms_forms_rows(as_csv)))
    assert counts(result) == (3, 0, 0, 3)
    assert query(db, stored) == before


def test_a_later_export_of_the_same_form_updates_its_earlier_responses(tmp_path, db):
    load_into(db, write_xlsx(tmp_path / "Rate your review(1-3).xlsx", ms_forms_rows(this_year())))
    later = this_year((1, 2, 3, 4))
    later[1] = (*later[1][:5], 2, "I changed my mind")                # response 2 edited
    [result] = load_into(db, write_xlsx(tmp_path / "Rate your review(1-4).xlsx", ms_forms_rows(later)))
    assert counts(result) == (4, 2, 0, 2)                             # 2 updated or new, 2 unchanged
    assert form_count(db) == 4
    assert query(db, "SELECT comment FROM traffic_light_answers WHERE comment IS NOT NULL") == [("I changed my mind",)]


def test_two_authorities_forms_with_the_same_ids_never_overwrite_each_other(tmp_path, db):
    rows = ms_forms_rows(this_year())
    load_into(db, write_xlsx(tmp_path / "northshire.xlsx", rows), default_local_authority="Northshire")
    # not byte-identical (a title row above the header: an appended blank row wrote the same bytes within a second)
    [result] = load_into(db, write_xlsx(tmp_path / "cwm_derwen.xlsx", [["Rate your review – Cwm Derwen"]] + rows),
                         default_local_authority="Cwm Derwen")
    assert counts(result) == (3, 3, 0, 0) and form_count(db) == 6


def test_explicit_response_ids_are_scoped_by_local_authority(tmp_path, db):
    """A stage_1..stage_10 export with its own response_id: the same IDs from another authority are other forms;
    the authority from a local_authority column, or else the setting."""
    header = ["response_id", "person_id", "review_date", "submitted_date", "local_authority", "stage_1"]
    first = write_csv(tmp_path / "tl_a.csv", [header, ["TL-00001", "YP1", "01/04/2025", "02/04/2025", "Northshire", "Red"],
                                              ["TL-00002", "YP2", "01/04/2025", "02/04/2025", "Northshire", "Red"]])
    other = write_csv(tmp_path / "tl_b.csv", [header[:4] + ["stage_1"],
                                              ["TL-00001", "YP9", "03/04/2025", "04/04/2025", "Green"]])
    load_into(db, first)
    [result] = load_into(db, other, default_local_authority="Cwm Derwen")
    assert counts(result) == (1, 1, 0, 0) and form_count(db) == 3
    update = write_csv(tmp_path / "tl_a_later.csv", [header, ["TL-00001", "YP1", "01/04/2025", "02/04/2025",
                                                              "northshire", "Amber"]])
    [result] = load_into(db, update, default_local_authority="Cwm Derwen")
    assert counts(result) == (1, 1, 0, 0) and form_count(db) == 3     # updated, not added
    assert sorted(r for (r,) in query(db, "SELECT rating FROM traffic_light_answers")) == ["amber", "green", "red"]


# ------------------------------------------------------------------ workbooks with several sheets

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

from tests.helpers import ROOT  # noqa: E402


def workbook(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


COVER = [["Pathway plans: monthly return"], ["Prepared by the performance team"], [],
         ["Contents: the data is on the next sheets. Team names as in the case-management system."]]
GUIDANCE = [["Column", "Meaning"], ["Client Reference", "the young person's ID"], ["Plan Date", "date agreed"]]


def test_a_cover_sheet_before_data_whose_headers_need_the_settings_aliases(tmp_path, db):
    """SPEC 2.6: the header search across sheets uses the settings' aliases, and the summary names the sheet."""
    path = workbook(tmp_path / "return.xlsx", {
        "Cover": COVER, "Guidance": GUIDANCE,
        "Data": [["Client Reference", "Allocated Service", "Plan Date"], ["YP1", "North", "01/04/2025"],
                 ["YP2", "South", "02/04/2025"]]})
    [result] = load_into(db, path, aliases={"person_id": ["Client Reference"], "team": ["Allocated Service"]})
    assert counts(result) == (2, 2, 0, 0)
    assert result.notes == ['read the sheet "Data" (chosen of 3 sheets by its headers, those of a plan export)']
    assert 'read the sheet "Data"' in load.summary(result)


def test_a_workbook_with_no_sheet_of_data_says_so_of_the_whole_file(tmp_path, db):
    path = workbook(tmp_path / "return.xlsx", {"Cover": COVER, "Guidance": GUIDANCE})
    with pytest.raises(UnreadableFile, match=r"^return.xlsx \(in any of its 2 sheets\): no recognisable header row"):
        load_into(db, path)


ANNEX_A = {
    "List 1": [["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Date of Contact",
                "Contact Source"], ["C1", "a", "WBRI", "01/01/2010", "15", "01/04/2025", "Police"]],
    "List 3": [["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)", "Disability",
                "Date of Referral", "Referral Source", "Referral NFA?", "Number of Referrals in Last 12 Months",
                "Allocated Team", "Allocated Worker"],
               ["C1", "a", "WBRI", "01/01/2010", "15", "No", "01/04/2025", "Police", "No", "1", "North", "W1"]],
    "Pathway plans": [["Child ID", "Allocated Team", "Date of Birth", "Plan Date", "Review Date"],
                      ["C9", "Leaving Care", "01/01/2007", "01/04/2025", ""]],
}


def test_an_annex_a_style_workbook_reads_the_sheet_whose_headers_match_and_says_which(tmp_path, db):
    path = workbook(tmp_path / "annex_a.xlsx", {"Cover": COVER, **ANNEX_A})
    [result] = load_into(db, path)
    assert result.kind == "plans" and counts(result) == (1, 1, 0, 0)
    assert query(db, "SELECT team FROM plan_versions") == [("Leaving Care",)]
    assert result.notes == ['read the sheet "Pathway plans" (chosen of 4 sheets by its headers, those of a plan export)']


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PWP_TODAY": "2026-06-30", **(env or {})})


def test_the_user_names_the_sheet_with_dash_dash_sheet(tmp_path, db):
    header = ["Young Person ID", "Team", "Plan Date"]
    path = workbook(tmp_path / "plans.xlsx", {"Plans 2025": [header, ["YP1", "North", "01/04/2025"]],
                                              "Plans 2026": [header, ["YP2", "South", "01/04/2026"],
                                                             ["YP3", "South", "02/04/2026"]]})
    done = _cli("load", "--db", str(db), "--sheet", "plans 2026", str(path))
    assert done.returncode == 0, done.stderr
    assert 'read the sheet "Plans 2026" (the sheet named)' in done.stdout and "read 2 · loaded 2" in done.stdout
    assert query(db, "SELECT DISTINCT team FROM plan_versions") == [("South",)]
    done = _cli("load", "--db", str(db), "--sheet", "Plans 2027", str(path))
    assert done.returncode == 1
    assert ('Error: plans.xlsx: there is no sheet called "Plans 2027"; its sheets are "Plans 2025", "Plans 2026". '
            "Nothing was loaded") in done.stderr


def test_the_data_loads_page_reads_the_sheet_named_in_its_text_box(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    monkeypatch.setenv("PWP_WAREHOUSE", str(tmp_path / "real" / "warehouse.duckdb"))
    monkeypatch.setenv("PWP_TODAY", "2026-06-30")
    header = ["Young Person ID", "Team", "Plan Date"]
    path = workbook(tmp_path / "plans.xlsx", {"Plans 2025": [header, ["YP1", "North", "01/04/2025"]],
                                              "Plans 2026": [header, ["YP2", "South", "01/04/2026"]]})
    at = AppTest.from_file(str(ROOT / "pages" / "data_loads.py"), default_timeout=60)
    at.run()
    at.text_input(key="upload_sheet").set_value("Plans 2026")
    at.file_uploader(key="upload_files").set_value(("plans.xlsx", path.read_bytes(), "application/vnd.ms-excel")).run()
    assert not at.exception
    assert 'Read the sheet "Plans 2026" (the sheet named)' in " ".join(c.value for c in at.caption)
    at.button(key="load_button").click().run()
    assert not at.exception
    assert query(tmp_path / "real" / "warehouse.duckdb", "SELECT DISTINCT team FROM plan_versions") == [("South",)]
    assert 'read the sheet "Plans 2026"' in " ".join(i.value for i in at.info)


# ------------------------------------------------------------------ settings and messages

def test_a_settings_file_named_but_missing_is_an_error_with_a_clear_line(tmp_path, db):
    from core.settings import SettingsError, load_settings
    missing = tmp_path / "pwp_settings.toml"
    with pytest.raises(SettingsError, match="PWP_SETTINGS names the settings file .* which does not exist"):
        load_settings(env={"PWP_SETTINGS": str(missing)})
    done = _cli("load", "--db", str(db), str(write_csv(tmp_path / "p.csv", [["person_id", "team", "plan_date"],
                                                                             ["YP1", "North", "01/04/2025"]])),
                env={"PWP_SETTINGS": str(missing)})
    assert done.returncode == 2 and not db.exists()
    assert done.stderr.strip() == (f"Error: PWP_SETTINGS names the settings file {missing}, which does not exist: "
                                   "correct the path, or unset PWP_SETTINGS to use none")


def test_the_kind_option_message_names_the_kind_once(tmp_path, db):
    bad = write_csv(tmp_path / "bad.csv", [["colour", "size"], ["red", "big"]])
    done = _cli("load", "--kind", "plans", "--db", str(db), str(bad))
    assert done.returncode == 1
    assert "expected the columns of a plan export, e.g." in done.stderr and "export export" not in done.stderr


# ------------------------------------------------------------------ repeated "why?" questions

@pytest.mark.parametrize("copy_name", [
    lambda title, k: title,                                   # Microsoft Forms: the same title each time
    lambda title, k: title if k == 0 else f"{title}.{k}",    # pandas / some tools: .1, .2 ...
    lambda title, k: title if k == 0 else f"{title}_{k + 1}",  # _2, _3 ...
    lambda title, k: title if k == 0 else f"{title}{k + 1}",   # an Excel table: Why?2, Why?3 ...
], ids=["same title", "dot suffix", "underscore suffix", "excel table suffix"])
def test_repeated_why_questions_are_the_comments_of_the_stage_they_follow(tmp_path, db, copy_name):
    title = "Why did you choose this answer?"
    headers = [copy_name(title, k) for k in range(10)]
    responses = [(1, dt.datetime(2025, 4, 11, 17, 32), dt.datetime(2025, 4, 11, 17, 39), "YP1",
                  dt.date(2025, 4, 10), 0, "")]
    rows = ms_forms_rows(responses, comment_headers=headers)
    rows[1] = rows[1][:7] + [cell if i % 2 == 0 else f"because {i // 2 + 1}" for i, cell in enumerate(rows[1][7:])]
    [result] = load_into(db, write_xlsx(tmp_path / "Rate your review.xlsx", rows))
    assert counts(result) == (1, 1, 0, 0)
    assert query(db, "SELECT stage_no, rating, comment FROM traffic_light_answers ORDER BY stage_no") == [
        (n, "red", f"because {n}") for n in range(1, 11)]
    assert not [c for c in result.ignored_columns if c.startswith("Why")]
