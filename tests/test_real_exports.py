"""What real exports do (SPEC 2.6): files shaped like the real ones, written here and loaded into real warehouses.

The shapes: SQL Server / D2I extracts (`NULL` as text, `1900-01-01 00:00:00.000` for no date), Microsoft Forms
exports of "Rate your review" (`ID`, `Start time`, `Completion time`, `Email`, `Name`, then the question titles),
councils' workbooks with cover and guidance sheets before the data.
"""
import datetime as dt

import openpyxl
import pytest

from etl import load
from conftest import load_into, query, write_csv, write_xlsx


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
