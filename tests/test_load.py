"""Loading real export files into real warehouses: shapes, bad input, duplicates, updates, safety."""
import datetime as dt
import hashlib
import hmac
import os
import signal
import subprocess
import sys
import time

import pytest

from core import warehouse_file
from etl import load, warehouse
from etl.readers import UnreadableFile
from core.settings import SAMPLE_PSEUDONYM_KEY
from tests.helpers import PLAN_HEADER, ROOT, load_into, query, settings_for, write_csv, write_xlsx

GOOD_ROWS = [
    ["YP1", "North", "01/04/2025", "PP-1", "01/05/2009", "", ""],
    ["YP1", "North", "01/10/2025", "PP-2", "01/05/2009", "01/10/2025", "20/10/2025"],
    ["YP2", "South", "2025-06-03", "PP-3", "2008-02-29", "2025-06-03", ""],
]


def plans_csv(tmp_path, rows=GOOD_ROWS, name="plans.csv", header=PLAN_HEADER, encoding="utf-8"):
    return write_csv(tmp_path / name, [header, *rows], encoding)


def counts(result):
    return result.rows_read, result.rows_loaded, result.rows_rejected, result.rows_duplicate


# ------------------------------------------------------------------ shapes

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_in_each_encoding_loads_with_text_intact(tmp_path, db, encoding):
    rows = [["YP1", "Café £ Team’s", "01/04/2025", "PP-1", "", "", ""]]
    [result] = load_into(db, plans_csv(tmp_path, rows, encoding=encoding))
    assert counts(result) == (1, 1, 0, 0)
    assert query(db, "SELECT team FROM reviews") == [("Café £ Team’s",)]


def test_xlsx_with_title_blank_and_total_rows_gives_spreadsheet_row_numbers(tmp_path, db):
    path = write_xlsx(tmp_path / "plans.xlsx", [
        ["Pathway plans export – Northshire – 16/11/2026"],
        [],
        ["Young Person ID", "Team Name", "Plan Date", "Review Date", "Minutes Sent"],
        ["YP1", "North", dt.datetime(2025, 4, 1), None, None],            # row 4: Excel date
        ["YP2", "North", "03/05/2025", "03/05/2025", "10/05/2025"],       # row 5: text dates, UK day first
        [None, None, None, None, None],                                   # row 6: blank
        ["YP3", "North", "tbc", None, None],                              # row 7: rejected
        ["Total", 3],                                                     # row 8: not data
    ])
    [result] = load_into(db, path)
    assert counts(result) == (3, 2, 1, 0)
    assert query(db, "SELECT row_number, column_name FROM rejected_rows") == [(7, "Plan Date")]
    assert query(db, "SELECT plan_date FROM reviews ORDER BY plan_date") == [
        (dt.date(2025, 4, 1),), (dt.date(2025, 5, 3),)]


def test_a_totals_row_that_starts_with_a_count_is_not_a_data_row(tmp_path, db):
    path = write_xlsx(tmp_path / "plans.xlsx", [
        ["Young Person ID", "Team Name", "Plan Date"],
        ["YP1", "North", dt.datetime(2025, 4, 1)],
        ["YP2", "Total Support", dt.datetime(2025, 4, 1)],     # a team named Total…: data
        [2, "Total", None],                                     # a count, then the label: not data
        [None, "Grand total:", 2],
    ])
    [result] = load_into(db, path)
    assert counts(result) == (2, 2, 0, 0)
    assert query(db, "SELECT team FROM reviews ORDER BY team") == [("North",), ("Total Support",)]


def test_csv_row_numbers_count_the_header_as_line_1_even_with_blank_lines_and_line_breaks(tmp_path, db):
    path = tmp_path / "plans.csv"
    path.write_text('Person ID,Team,Plan date\n'
                    'YP1,North,01/04/2025\n'
                    '\n'
                    'YP2,"North\nwest",01/04/2025\n'
                    'YP3,North,not a date\n')
    [result] = load_into(db, path)
    # SPEC 2.6: a line break inside quotes is accepted only in free-text columns; a team is not one
    assert counts(result) == (3, 1, 2, 0)
    assert query(db, "SELECT row_number, column_name FROM rejected_rows ORDER BY 1") == [(4, "Team"), (6, "Plan date")]


def test_headers_match_after_normalising_case_spaces_punctuation_and_aliases(tmp_path, db):
    header = ["  CHILD-ID ", "Locality", "Date of plan", "D.O.B.", "Reviewing Officer", "Covers: Contingency"]
    path = write_csv(tmp_path / "p.csv", [header, ["YP1", "North", "01/04/2025", "01/05/2009", "IRO Ann", "Y"]])
    [result] = load_into(db, path)
    assert result.rows_loaded == 1 and result.ignored_columns == []
    assert query(db, "SELECT iro FROM reviews") == [("IRO Ann",)]
    assert query(db, "SELECT verdict FROM plan_indicators WHERE indicator = 'contingency'") == [("good",)]


def test_headers_match_with_their_separators_left_out(tmp_path, db):
    header = ["PersonID", "Team", "PlanDate", "PlanID", "Covers: Post-18 Arrangement", "Y.P. views recorded"]
    path = write_csv(tmp_path / "p.csv", [header, ["YP1", "North", "01/04/2025", "PP-1", "No", "Yes"]])
    [result] = load_into(db, path)
    assert result.rows_loaded == 1 and result.ignored_columns == []
    assert set(result.matched_columns.values()) == {
        "person_id", "team", "plan_date", "plan_id", "covers_post18_arrangement", "yp_views_recorded"}
    assert query(db, "SELECT plan_id FROM reviews") == [("PP-1",)]
    verdicts = dict(query(db, "SELECT indicator, verdict FROM plan_indicators"))
    assert verdicts["all_areas"] == "inadequate" and verdicts["yp_voice"] == "good"


def test_separator_free_matching_never_makes_two_columns_one():
    from etl.columns import KINDS, normalise_header, squash
    for kind, spec in KINDS.items():
        owner = {}
        for col in spec:
            for name in (col.name, *col.aliases):
                assert owner.setdefault(squash(normalise_header(name)), col.name) == col.name, (kind, name)


def test_settings_file_extends_the_alias_list(tmp_path, db, monkeypatch):
    (tmp_path / "pwp.toml").write_text('[aliases]\nperson_id = ["Client Reference"]\n')
    monkeypatch.chdir(tmp_path)
    from core.settings import load_settings
    settings = load_settings(env={"PWP_SETTINGS": str(tmp_path / "pwp.toml")}, warehouse=str(db))
    path = write_csv(tmp_path / "p.csv", [["Client Reference", "Team", "Plan date"], ["YP1", "North", "01/04/2025"]])
    [result] = load.load_files([path], settings)
    assert result.rows_loaded == 1


def test_unknown_columns_are_not_loaded_and_are_reported(tmp_path, db):
    path = write_csv(tmp_path / "p.csv", [["person_id", "team", "plan_date", "Email", "Worker notes"],
                                          ["YP1", "North", "01/04/2025", "someone@example.org", "private note"]])
    [result] = load_into(db, path)
    assert result.ignored_columns == ["Email", "Worker notes"]
    assert query(db, "SELECT ignored_columns FROM load_log") == [("Email, Worker notes",)]
    assert "private note" not in (db.read_bytes().decode("latin-1"))


# ------------------------------------------------------------------ bad rows

def test_each_bad_plan_row_is_rejected_with_row_column_and_reason(tmp_path, db):
    rows = [
        ["", "North", "01/04/2025", "A", "", "", ""],                        # line 2: no person_id
        ["YP1", "North", "31/02/2025", "B", "", "", ""],                     # line 3: impossible date
        ["YP1", "North", "", "C", "", "", ""],                               # line 4: blank required date
        ["YP1", "North", "01/05/2025", "D", "", "05/05/2025", "01/05/2025"],  # line 5: minutes before meeting
        ["YP1", "North", "01/05/2025", "E", "", "01/07/2026", ""],           # line 6: meeting after today
        ["YP1", "", "01/05/2025", "F", "", "", ""],                          # line 7: no team
    ]
    [result] = load_into(db, plans_csv(tmp_path, rows))
    assert counts(result) == (6, 0, 6, 0)
    got = query(db, "SELECT row_number, column_name, reason FROM rejected_rows ORDER BY row_number")
    assert [(r, c) for r, c, _ in got] == [(2, "person_id"), (3, "plan_date"), (4, "plan_date"),
                                          (5, "minutes_sent_date"), (6, "review_date"), (7, "team")]
    reasons = [reason for _, _, reason in got]
    assert "blank" in reasons[0] and '"31/02/2025" is not a date' in reasons[1]
    assert "before the review meeting" in reasons[3] and "in the future" in reasons[4]


def test_spaces_around_a_cell_are_not_part_of_it_and_a_cell_of_spaces_is_blank(tmp_path, db):
    # line 2: padded cells read as written without the spaces; line 3: the same young person as " yp1 "
    # (IDs are compared trimmed); line 4: a team of spaces is blank, so the row is rejected; line 5: a quoted empty
    # cell is blank too; line 6: the spaces inside a value are kept
    rows = [["  YP1 ", " North  ", " 01/04/2025 ", "PP-1 ", "  ", "", ""],
            ["YP1", "North", "01/10/2025", "PP-2", "01/05/2009", " 01/10/2025", "20/10/2025  "],
            ["YP2", "   ", "01/04/2025", "PP-3", "", "", ""],
            ["YP3", "", "01/04/2025", "PP-4", "", "", ""],
            ["YP4", "South  East", "01/04/2025", "PP-5", "", "", ""]]
    [result] = load_into(db, plans_csv(tmp_path, rows))
    assert counts(result) == (5, 3, 2, 0)
    assert query(db, "SELECT row_number, column_name FROM rejected_rows ORDER BY row_number") == [(4, "team"), (5, "team")]
    assert query(db, "SELECT plan_id, team, plan_date, review_date, minutes_sent_date FROM plan_versions "
                     "ORDER BY plan_id") == [
        ("PP-1", "North", dt.date(2025, 4, 1), None, None),
        ("PP-2", "North", dt.date(2025, 10, 1), dt.date(2025, 10, 1), dt.date(2025, 10, 20)),
        ("PP-5", "South  East", dt.date(2025, 4, 1), None, None)]
    assert query(db, "SELECT count(DISTINCT person_key) FROM plan_versions WHERE plan_id IN ('PP-1', 'PP-2')") == [(1,)]
    assert query(db, "SELECT count(*) FROM load_warnings") == [(0,)]


def test_unrecognised_optional_values_load_as_unknown_with_a_warning(tmp_path, db):
    header = ["person_id", "team", "plan_date", "yp_views_recorded", "next_review_date", "copy_given_to_yp"]
    path = write_csv(tmp_path / "p.csv", [header, ["YP1", "North", "01/04/2025", "partly", "soon", "12/04/2025"]])
    [result] = load_into(db, path)
    assert counts(result) == (1, 1, 0, 0) and result.rows_with_warnings == 1
    assert query(db, "SELECT column_name, reason FROM load_warnings ORDER BY column_name") == [
        ("next_review_date", '"soon" is not a date (write day/month/year like 03/05/2026, or 2026-05-03); loaded as unknown'),
        ("yp_views_recorded", '"partly" is not yes or no; loaded as unknown')]
    verdicts = dict(query(db, "SELECT indicator, verdict FROM plan_indicators"))
    assert verdicts["yp_voice"] == "unknown"          # blank/unknown is never silently no
    assert verdicts["copy_to_yp"] == "good"           # a date means yes


@pytest.mark.parametrize("value,expected", [
    ("Yes", True), ("y", True), ("TRUE", True), ("1", True), ("✓", True), ("✔", True),
    ("No", False), ("N", False), ("false", False), ("0", False), ("✗", False), ("✘", False),
    ("", None), ("partly", None)])
def test_yes_no_values(tmp_path, db, value, expected):
    path = write_csv(tmp_path / "p.csv", [["person_id", "team", "plan_date", "yp_views_recorded"],
                                          ["YP1", "North", "01/04/2025", value]])
    load_into(db, path)
    verdict = query(db, "SELECT verdict FROM plan_indicators WHERE indicator = 'yp_voice'")[0][0]
    assert verdict == {True: "good", False: "inadequate", None: "unknown"}[expected]


@pytest.mark.parametrize("text,expected", [
    ("03/05/2026", "2026-05-03"), ("3/5/26", "2026-05-03"), ("2026-05-03", "2026-05-03"),
    ("3 May 2026", "2026-05-03"), ("03-May-26", "2026-05-03"), ("3 May 26", "2026-05-03"), ("3May26", "2026-05-03"),
    ("15-Mar-08", "2008-03-15"), ("3 Sept 2026", "2026-09-03"), ("3 September 26", "2026-09-03"),
    ("2026-05-03 14:30", "2026-05-03"), ("03/05/2026 14:30", "2026-05-03"),
    ("2026-05-03T10:11:12Z", "2026-05-03"), ("2026-05-03T23:30:00+01:00", "2026-05-03"),
    ("31/02/2026", None), ("31-Feb-26", None), ("05/03/0026", None), ("soon", None), ("1 Mai 26", None)])
def test_dates_written_as_text_are_uk_day_first_or_iso(text, expected):
    from etl import normalise
    con = warehouse_file.connect_memory()
    normalise.create_macros(con, "test key")
    got = con.execute("SELECT parse_date(?)", [text]).fetchall()[0][0]
    assert got == (dt.date.fromisoformat(expected) if expected else None)


@pytest.mark.parametrize("mark,expected", [("✔\ufe0f", "good"), ("✓\ufe0f", "good"), ("✗\ufe0f", "inadequate"),
                                           ("✘\ufe0f", "inadequate")])
def test_tick_and_cross_marks_in_their_emoji_form_are_yes_and_no(tmp_path, db, mark, expected):
    path = write_csv(tmp_path / "p.csv", [["person_id", "team", "plan_date", "yp_views_recorded"],
                                          ["YP1", "North", "01/04/2025", mark]])
    [result] = load_into(db, path)
    assert result.rows_with_warnings == 0
    assert query(db, "SELECT verdict FROM plan_indicators WHERE indicator = 'yp_voice'") == [(expected,)]


def test_the_same_plan_id_twice_in_a_file_with_other_details_rejects_the_earlier_row(tmp_path, db):
    rows = [GOOD_ROWS[0], ["YP1", "South", "01/04/2025", "PP-1", "01/05/2009", "", ""], GOOD_ROWS[2]]
    [result] = load_into(db, plans_csv(tmp_path, rows))
    assert counts(result) == (3, 2, 1, 0)
    assert query(db, "SELECT team FROM reviews WHERE plan_id = 'PP-1'") == [("South",)]
    assert query(db, "SELECT row_number, column_name, reason FROM rejected_rows") == [
        (2, "plan_id", 'plan_id "PP-1" appears again on row 3 of this file with other details; '
                       'that later row is loaded instead')]


def test_the_same_person_and_plan_date_twice_without_plan_ids_rejects_the_earlier_row(tmp_path, db):
    header = ["Person ID", "Team", "Plan date"]
    path = write_csv(tmp_path / "p.csv", [header, ["YP1", "North", "01/04/2025"], ["YP1", "South", "01/04/2025"],
                                          ["YP1", "South", "01/04/2025"]])
    [result] = load_into(db, path)
    assert counts(result) == (3, 1, 1, 1)             # the third row is identical to the second: a duplicate
    assert query(db, "SELECT team FROM reviews") == [("South",)]
    [(row, column, reason)] = query(db, "SELECT row_number, column_name, reason FROM rejected_rows")
    assert (row, column) == (2, "Person ID") and "same young person and plan date appears again on row 3" in reason
    assert "YP1" not in reason


def test_read_equals_loaded_plus_rejected_plus_duplicate(tmp_path, db):
    rows = GOOD_ROWS + [GOOD_ROWS[0], ["", "North", "01/04/2025", "X", "", "", ""]]
    [result] = load_into(db, plans_csv(tmp_path, rows))
    assert counts(result) == (5, 3, 1, 1)
    assert query(db, "SELECT rows_read, rows_loaded, rows_rejected, rows_duplicate FROM load_log") == [(5, 3, 1, 1)]


# ------------------------------------------------------------------ whole files

def _fingerprint(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


@pytest.mark.parametrize("maker,message", [
    (lambda p: (p.write_bytes(bytes(range(256)) * 8), p)[1], "not a text"),
    (lambda p: write_csv(p, [["colour", "size"], ["red", "1"]]), "no recognisable header"),
    (lambda p: write_csv(p, [["person_id", "plan_date", "iro"], ["YP1", "01/04/2025", "A"]]), "required column missing"),
    # a traffic-light export with nothing to link its forms to a review by
    (lambda p: write_csv(p, [["response_id", "person_id", "submitted_date", "stage_1", "stage_2"],
                             ["F1", "YP1", "05/10/2025", "Red", "Green"]]),
     "required column missing for a traffic-light export: review_date or plan_id"),
])
def test_unreadable_file_fails_the_whole_run_and_changes_nothing(tmp_path, db, maker, message):
    load_into(db, plans_csv(tmp_path))
    before = _fingerprint(db)
    bad = maker(tmp_path / "bad.csv")
    good = plans_csv(tmp_path, [["YP9", "East", "01/01/2026", "PP-9", "", "", ""]], name="more.csv")
    with pytest.raises(UnreadableFile) as info:
        load_into(db, good, bad)
    assert message in str(info.value) and "bad.csv" in str(info.value)
    assert _fingerprint(db) == before
    assert query(db, "SELECT count(*) FROM reviews") == [(3,)]


def test_macro_enabled_and_fake_xlsx_are_refused(tmp_path, db):
    fake = tmp_path / "plans.xlsx"
    fake.write_text("person_id,team,plan_date\n")
    with pytest.raises(UnreadableFile, match="not a real Excel workbook"):
        load_into(db, fake)
    macro = write_xlsx(tmp_path / "plans.xlsm", [["person_id", "team", "plan_date"]])
    with pytest.raises(UnreadableFile, match="macro"):
        load_into(db, macro)
    assert not db.exists()


def test_loading_the_same_file_again_changes_nothing_and_says_so(tmp_path, db):
    path = plans_csv(tmp_path)
    load_into(db, path)
    version = warehouse_file.version(db)
    [again] = load_into(db, path)
    assert again.already_loaded_at is not None
    assert "nothing changed" in load.summary(again)
    assert warehouse_file.version(db) == version
    assert query(db, "SELECT count(*) FROM load_log") == [(1,)]


def test_a_later_export_updates_rows_by_plan_id_and_never_duplicates(tmp_path, db):
    load_into(db, plans_csv(tmp_path))
    changed = [GOOD_ROWS[0], GOOD_ROWS[1][:6] + ["15/10/2025"], GOOD_ROWS[2],
               ["YP3", "East", "01/01/2026", "PP-4", "", "", ""]]
    [result] = load_into(db, plans_csv(tmp_path, changed, name="plans_later.csv"))
    assert counts(result) == (4, 2, 0, 2)   # PP-2 updated, PP-4 new, PP-1 and PP-3 unchanged
    assert query(db, "SELECT plan_id, minutes_sent_date FROM reviews WHERE plan_id = 'PP-2'") == [
        ("PP-2", dt.date(2025, 10, 15))]
    assert query(db, "SELECT count(*) FROM reviews") == [(4,)]


def test_derived_plan_id_never_contains_the_person_id(tmp_path, db):
    path = write_csv(tmp_path / "p.csv", [["person_id", "team", "plan_date"], ["YP123456", "North", "01/04/2025"]])
    load_into(db, path)
    [(plan_id, person_key)] = query(db, "SELECT plan_id, person_key FROM reviews")
    assert "YP123456" not in plan_id and "123456" not in plan_id
    expected = hmac.new(SAMPLE_PSEUDONYM_KEY.encode(), b"YP123456", hashlib.sha256).hexdigest()[:16]
    assert person_key == expected


def test_person_key_is_a_keyed_hash_and_the_key_is_not_stored(tmp_path, db):
    key = "a-long-secret-key-for-this-authority-only"
    path = write_csv(tmp_path / "p.csv", [["person_id", "team", "plan_date"], ["yp777", "North", "01/04/2025"]])
    load.load_files([path], settings_for(db, pseudonym_key=key))
    expected = hmac.new(key.encode(), b"YP777", hashlib.sha256).hexdigest()[:16]
    assert query(db, "SELECT person_key FROM young_people") == [(expected,)]
    content = db.read_bytes()
    assert key.encode() not in content and b"yp777" not in content.lower()


# ------------------------------------------------------------------ traffic light

def _tl_rows(review_date="01/10/2025"):
    header = ["response_id", "person_id", "review_date", "submitted_date"] + \
             [f"stage_{n}" for n in range(1, 11)] + ["stage_1_comment"]
    ratings = ["Red", "amber", "GREEN", "R", "A", "g", "", "green", "red", "Amber"]
    return header, ["F1", "YP1", review_date, "05/10/2025", *ratings, "Nobody asked me"]


def test_traffic_light_ratings_in_any_form_and_blank_stage_is_unanswered(tmp_path, db):
    header, row = _tl_rows()
    load_into(db, plans_csv(tmp_path), write_csv(tmp_path / "tl.csv", [header, row]))
    got = query(db, "SELECT stage_no, rating, score, team, quarter FROM traffic_light_ratings ORDER BY stage_no")
    assert [(s, r, sc) for s, r, sc, _, _ in got] == [
        (1, "red", 0), (2, "amber", 1), (3, "green", 2), (4, "red", 0), (5, "amber", 1),
        (6, "green", 2), (8, "green", 2), (9, "red", 0), (10, "amber", 1)]
    assert {(t, q) for *_, t, q in got} == {("North", "2025-26 Q3")}   # team of the linked plan version
    assert query(db, "SELECT comment FROM traffic_light_ratings WHERE stage_no = 1") == [("Nobody asked me",)]


def test_online_forms_export_with_question_headers_and_statement_text(tmp_path, db):
    from etl.columns import STAGES, STATEMENTS
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Young person ID", "Review date"]
    row = [17, "2025-10-05 10:00:00", dt.datetime(2025, 10, 5, 10, 5), "x@example.org", "Anon", "YP1", dt.datetime(2025, 10, 1)]
    for n, (stage, boxes) in enumerate(zip(STAGES, STATEMENTS), start=1):
        header += [f"{n}. {stage}", f"{n}. {stage} - comments"]
        row += [boxes[n % 3], "my words" if n == 2 else None]
    path = write_xlsx(tmp_path / "forms.xlsx", [header, row])
    [_, result] = load_into(db, plans_csv(tmp_path), path)
    assert result.kind == "traffic_light" and counts(result) == (1, 1, 0, 0)
    assert set(result.ignored_columns) == {"Email", "Name"}       # Start time: part of the response's identity
    got = query(db, "SELECT response_id, stage_no, rating, submitted_date FROM traffic_light_ratings ORDER BY stage_no")
    assert [r for _, _, r, _ in got] == [["red", "amber", "green"][n % 3] for n in range(1, 11)]
    assert got[0][0].startswith("RS-") and got[0][3] == dt.date(2025, 10, 5)   # ID 17 of this form (SPEC 2.6)
    assert b"x@example.org" not in db.read_bytes()


@pytest.mark.parametrize("header,expected", [
    ("1. Carrying out an assessment of my needs", "stage_1"),
    ("Q10. The next pathway review date is set", "stage_10"),
    ("The pathway plan (review) meeting takes place", "stage_8"),
    ("4. A date is set for the pathway plan (review) meeting and the meeting is arranged - comments", "stage_4_comment"),
    ("Why do you feel like that? (3)", "stage_3_comment"),
    ("Stage 7 comments", "stage_7_comment"),
    ("Completion time", "submitted_date"),
    ("ID", "response_id"),
])
def test_traffic_light_headers_in_the_forms_own_words(header, expected):
    from etl.columns import match_headers
    assert match_headers([header], "traffic_light") == {0: expected}


def test_a_bad_rating_rejects_the_whole_form(tmp_path, db):
    header, row = _tl_rows()
    row[6] = "Purple"
    [result] = load_into(db, write_csv(tmp_path / "tl.csv", [header, row]))
    assert counts(result) == (1, 0, 1, 0)
    assert query(db, "SELECT row_number, column_name FROM rejected_rows") == [(2, "stage_3")]
    assert query(db, "SELECT count(*) FROM traffic_light_ratings") == [(0,)]


def test_a_form_sent_again_with_other_answers_updates_it(tmp_path, db):
    header, row = _tl_rows()
    load_into(db, plans_csv(tmp_path), write_csv(tmp_path / "tl.csv", [header, row]))
    changed = list(row)
    changed[4], changed[-1] = "Green", "They listened this time"              # stage 1 and its comment
    [result] = load_into(db, write_csv(tmp_path / "tl-again.csv", [header, changed]))
    assert counts(result) == (1, 1, 0, 0)
    assert query(db, "SELECT rating, comment FROM traffic_light_ratings WHERE stage_no = 1") == [
        ("green", "They listened this time")]
    [result] = load_into(db, write_csv(tmp_path / "tl-third.csv", [header, changed, changed]))
    assert counts(result) == (2, 0, 0, 2)                                    # the same answers again: duplicates


def test_form_without_review_date_or_plan_id_is_rejected(tmp_path, db):
    header, row = _tl_rows(review_date="")
    [result] = load_into(db, write_csv(tmp_path / "tl.csv", [header, row]))
    assert result.rows_rejected == 1
    assert "cannot be linked" in query(db, "SELECT reason FROM rejected_rows")[0][0]


def test_a_form_with_a_plan_id_and_a_review_date_that_is_not_a_date_loads_with_a_warning(tmp_path, db):
    header, row = _tl_rows(review_date="tbc")
    header, row = header + ["plan_id"], row + ["PP-2"]
    [_, result] = load_into(db, plans_csv(tmp_path), write_csv(tmp_path / "tl.csv", [header, row]))
    assert counts(result) == (1, 1, 0, 0) and result.rows_with_warnings == 1
    assert query(db, "SELECT row_number, column_name, reason FROM load_warnings") == [
        (2, "review_date", '"tbc" is not a date (write day/month/year like 03/05/2026, or 2026-05-03); '
                           'loaded as unknown, the form links by its plan_id')]
    assert query(db, "SELECT DISTINCT team FROM traffic_light_ratings") == [("North",)]


def test_form_loaded_before_its_plan_links_when_the_plan_arrives(tmp_path, db):
    header, row = _tl_rows()
    load_into(db, write_csv(tmp_path / "tl.csv", [header, row]))
    assert query(db, "SELECT DISTINCT team FROM traffic_light_ratings") == [(None,)]
    load_into(db, plans_csv(tmp_path))
    assert query(db, "SELECT DISTINCT team FROM traffic_light_ratings") == [("North",)]


def test_actions_link_by_person_and_plan_date_when_there_is_no_plan_id(tmp_path, db):
    actions = write_csv(tmp_path / "actions.csv", [
        ["Action ID", "Young person ID", "Plan date", "Action", "Owner", "Due date", "Status"],
        ["A1", "YP1", "01/04/2025", "Open a bank account", "PA", "01/06/2025", "open"],
        ["A2", "YP1", "01/04/2025", "Register with a GP", "", "01/06/2025", "open"]])
    load_into(db, actions, plans_csv(tmp_path))
    got = dict(query(db, "SELECT plan_id, reason FROM plan_indicators WHERE indicator = 'smart_actions'"))
    assert got["PP-1"] == "1 of 2 actions have no owner or no due date"
    assert got["PP-2"] == "The plan has no actions"


# ------------------------------------------------------------------ safety

READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT count(*) FROM reviews").fetchall()[0][0], flush=True)
time.sleep(30)
"""


def test_a_load_succeeds_while_another_process_holds_a_read_only_connection(tmp_path, db):
    load_into(db, plans_csv(tmp_path))
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "3"
        [result] = load_into(db, plans_csv(tmp_path, [["YP9", "East", "01/01/2026", "PP-9", "", "", ""]], name="more.csv"))
        assert result.rows_loaded == 1
        assert query(db, "SELECT count(*) FROM reviews") == [(4,)]
    finally:
        reader.kill()
        reader.wait()


LOADER = """
import sys
from etl import load
from core.settings import load_settings
load.load_files([sys.argv[2]], load_settings(env={}, warehouse=sys.argv[1]))
"""


def test_a_load_killed_half_way_leaves_the_previous_warehouse_intact(tmp_path, db):
    load_into(db, plans_csv(tmp_path))
    before = _fingerprint(db)
    big = plans_csv(tmp_path, [[f"YP{n}", "North", "01/04/2025", f"Q-{n}", "", "", ""] for n in range(200_000)],
                    name="big.csv")
    proc = subprocess.Popen([sys.executable, "-c", LOADER, str(db), str(big)], env={**os.environ, "PYTHONPATH": str(ROOT)})
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _fingerprint(db) == before
    assert query(db, "SELECT count(*) FROM reviews") == [(3,)]
    [result] = load_into(db, plans_csv(tmp_path, [["YP9", "East", "01/01/2026", "PP-9", "", "", ""]], name="more.csv"))
    assert result.rows_loaded == 1   # the next load works after the crash


def test_rollback_restores_the_warehouse_before_the_last_load(tmp_path, db):
    load_into(db, plans_csv(tmp_path))
    load_into(db, plans_csv(tmp_path, [["YP9", "East", "01/01/2026", "PP-9", "", "", ""]], name="more.csv"))
    assert query(db, "SELECT count(*) FROM reviews") == [(4,)]
    warehouse_file.rollback(db)
    assert query(db, "SELECT count(*) FROM reviews") == [(3,)]


# ------------------------------------------------------------------ command line

def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PWP_TODAY": "2026-06-30", **(env or {})})


def test_cli_load_prints_a_summary_and_exits_0_with_rejected_rows(tmp_path, db):
    rows = GOOD_ROWS + [["", "North", "01/04/2025", "X", "", "", ""]]
    done = _cli("load", "--db", str(db), str(plans_csv(tmp_path, rows)))
    assert done.returncode == 0, done.stderr
    assert "read 4 · loaded 3 · rejected 1 · duplicate 0" in done.stdout
    assert "row 5, person_id: rejected" in done.stdout
    assert "built-in pseudonym key" in done.stderr


def test_cli_unreadable_file_exits_non_zero_with_one_clear_line(tmp_path, db):
    bad = write_csv(tmp_path / "bad.csv", [["colour"], ["red"]])
    done = _cli("load", "--db", str(db), str(bad))
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if line.startswith("Error")] == [
        "Error: bad.csv: no recognisable header row in the first 30 rows (expected the columns of a plan, actions "
        "or traffic-light export, or of a care-leaver list, e.g. person_id, team, plan_date). Nothing was loaded from this run; the warehouse is unchanged."]
    assert not db.exists()


def test_cli_kind_option_forces_the_kind(tmp_path, db):
    path = write_csv(tmp_path / "p.csv", [["person_id", "team", "plan_date"], ["YP1", "North", "01/04/2025"]])
    done = _cli("load", "--kind", "actions", "--db", str(db), str(path))
    assert done.returncode == 0 and "p.csv (actions export)" in done.stdout
    assert query(db, "SELECT kind FROM load_log") == [("actions",)]


def test_a_warehouse_from_an_older_version_is_upgraded_on_open(tmp_path, db):
    load_into(db, plans_csv(tmp_path))
    db.chmod(0o644)                                 # published read-only: made writable to fake an older version
    with warehouse_file.connect_writer(db) as con:       # what an older version left: no plan_quality view, version 0
        con.execute("DROP VIEW plan_quality")
        con.execute("UPDATE settings SET schema_version = 0")
    assert load.upgrade_if_needed(settings_for(db)) is True
    assert warehouse.schema_version(db) == warehouse.SCHEMA_VERSION
    assert query(db, "SELECT count(*) FROM plan_quality") == [(3,)]
    assert load.upgrade_if_needed(settings_for(db)) is False


def test_a_warehouse_with_stored_row_hashes_is_upgraded_and_later_rows_are_compared_with_the_stored_ones(tmp_path, db):
    """Schema 10 stores no row_hash: a row whose key is stored is compared with the stored row's own columns."""
    load_into(db, plans_csv(tmp_path))
    db.chmod(0o644)                                 # published read-only: made writable to fake schema 9
    with warehouse_file.connect_writer(db) as con:       # what schema 9 left: a row_hash on each base table
        for table in ("plan_versions", "actions", "traffic_light_forms", "care_leaver_records"):
            con.execute(f"ALTER TABLE {table} ADD COLUMN row_hash VARCHAR NOT NULL DEFAULT 'stale'")
        con.execute("UPDATE settings SET schema_version = 9")
    assert load.upgrade_if_needed(settings_for(db)) is True
    assert query(db, "SELECT count(*) FROM duckdb_columns() WHERE column_name = 'row_hash'") == [(0,)]
    changed = [GOOD_ROWS[0], GOOD_ROWS[1][:6] + ["15/10/2025"], GOOD_ROWS[2]]
    [result] = load_into(db, plans_csv(tmp_path, changed, name="plans_later.csv"))
    assert counts(result) == (3, 1, 0, 2)   # PP-2 updated; PP-1 and PP-3 the same as stored: duplicates
    assert query(db, "SELECT count(*), count(DISTINCT plan_id) FROM reviews") == [(3, 3)]


def test_inspect_shows_kind_columns_and_first_rows_without_loading(tmp_path, db):
    path = write_csv(tmp_path / "p.csv", [["Child ID", "Team", "Plan date", "Notes"], ["YP1", "North", "01/04/2025", "x"]])
    raw, preview = load.inspect_file(path, settings_for(db))
    assert raw.kind == "plans" and raw.ignored_columns == ["Notes"]
    assert raw.matched == {0: "person_id", 1: "team", 2: "plan_date"}
    assert preview.to_dict("records") == [{"Child ID": "YP1", "Team": "North", "Plan date": "01/04/2025", "Notes": "x"}]
    assert not db.exists()


def test_rejected_rows_keep_their_cells_for_the_source_team(tmp_path, db):
    [result] = load_into(db, plans_csv(tmp_path, GOOD_ROWS + [["", "North", "tbc", "X", "", "", ""]]))
    assert load.rejected_for_source(result).to_dict("records") == [
        {"Row in file": 5, "person_id": None, "team": "North", "plan_date": "tbc", "plan_id": "X",
         "date_of_birth": None, "review_date": None, "minutes_sent_date": None,
         "Why it was not loaded": "person_id: person_id is blank: every row needs it; "
                                  'plan_date: "tbc" is not a date (write day/month/year like 03/05/2026, or '
                                  "2026-05-03); the row is not loaded"}]


# ------------------------------------------------------------------ load-time tables, refreshed for what a load touched

def _sample_csv(name: str) -> list[list[str]]:
    import csv as csv_module
    from etl.sample import SAMPLE_DIR
    data = (SAMPLE_DIR / name).read_bytes()
    text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else data.decode("cp1252")
    return list(csv_module.reader(text.splitlines()))


def _derived_rows(db) -> dict[str, list]:
    return {table: sorted(query(db, f"SELECT * FROM {table}"), key=repr) for table in warehouse.DERIVED}


def _as_a_full_refresh_makes_them(db, tmp_path) -> dict[str, list]:
    import shutil
    copy = tmp_path / "full-refresh.duckdb"
    shutil.copyfile(db, copy)
    with warehouse_file.connect_writer(copy) as con:
        assert warehouse.refresh_derived(con) == "full"
    return _derived_rows(copy)


def test_incremental_refresh_of_load_time_tables_matches_a_full_refresh(tmp_path, db, monkeypatch):
    """Each load works the load-time tables out again only for the people and forms it touched; after every
    load they must equal what a full refresh makes: new people, forms before their plans, updates by plan_id,
    a plan moving to another young person, and a second authority."""
    from etl.sample import SAMPLE_DIR
    monkeypatch.setattr(load, "INCREMENTAL_MAX_SHARE", 1.0)      # these files are small: never fall back on size
    header, *rows = _sample_csv("plans_northshire.csv")
    people = sorted({r[1] for r in rows})
    first_half = set(people[: len(people) // 2])
    part_a = [r for r in rows if r[1] in first_half]
    part_b = [r for r in rows if r[1] not in first_half]
    # one change each for three different young people (so each is touched only through its own change)
    first_row = {}
    for r in part_a:
        first_row.setdefault(r[1], r)
    renamed, unreviewed, moved = (list(first_row[p]) for p in sorted(first_row)[:3])
    renamed[2] = "Renamed Team"                                     # team on a plan version changes
    unreviewed[11], unreviewed[12] = "", ""                           # a review becomes an initial plan
    moved[1] = part_b[0][1]                                           # the plan moves to another young person
    updated = [renamed, unreviewed, moved]
    tl_header, *tl_rows = _sample_csv("traffic_light_northshire.csv")
    stage_1 = tl_header.index("stage_1")
    resent = [[*r[:stage_1], "Green" if r[stage_1] != "Green" else "Red", *r[stage_1 + 1:]] for r in tl_rows[:5]]
    steps = [
        ([SAMPLE_DIR / "actions_northshire.csv", write_csv(tmp_path / "a.csv", [header, *part_a])], "full"),
        ([SAMPLE_DIR / "traffic_light_northshire.csv"], "incremental"),          # many forms wait for part B
        ([write_csv(tmp_path / "b.csv", [header, *part_b])], "incremental"),
        ([write_csv(tmp_path / "update.csv", [header, *updated])], "incremental"),
        ([SAMPLE_DIR / "plans_cwm_derwen.xlsx", SAMPLE_DIR / "rate_your_review_online_forms.xlsx"], "incremental"),
        ([write_csv(tmp_path / "tl-again.csv", [tl_header, *resent])], "incremental"),   # same links, new answers
    ]
    for files, mode in steps:
        results = load_into(db, *files)
        assert {r.derived_refresh for r in results} == {mode}, [f.name for f in files]
        assert _derived_rows(db) == _as_a_full_refresh_makes_them(db, tmp_path), [f.name for f in files]


def test_load_time_tables_are_worked_out_again_for_everyone_when_settings_or_actions_change(tmp_path, db):
    four_people = GOOD_ROWS + [["YP3", "East", "01/04/2025", "PP-4", "", "", ""], ["YP4", "East", "01/04/2025", "PP-5", "", "", ""]]
    assert {r.derived_refresh for r in load_into(db, plans_csv(tmp_path, four_people))} == {"full"}
    more = plans_csv(tmp_path, [["YP9", "West", "01/04/2025", "PP-9", "", "", ""]], name="more.csv")
    # one young person in five touched: incremental
    assert {r.derived_refresh for r in load_into(db, more)} == {"incremental"}
    later = plans_csv(tmp_path, [["YP8", "West", "01/05/2025", "PP-8", "", "", ""]], name="later.csv")
    assert {r.derived_refresh for r in load_into(db, later, minutes_due_working_days=15)} == {"full"}   # a threshold changed
    many = plans_csv(tmp_path, [[f"YP{n}", "West", "01/05/2025", f"PP-{n}", "", "", ""] for n in range(20, 24)],
                     name="many.csv")
    assert {r.derived_refresh for r in load_into(db, many, minutes_due_working_days=15)} == {"full"}   # 4 of 10 people
    actions = write_csv(tmp_path / "actions.csv", [["action_id", "plan_id", "action", "owner", "due_date"],
                                                   ["A1", "PP-9", "Find a flat", "PA", "01/06/2025"]])
    assert {r.derived_refresh for r in load_into(db, actions, minutes_due_working_days=15)} == {"full"}


def test_the_load_time_tables_are_built_in_the_order_their_sql_headers_declare():
    """Each sql/derived/<table>.sql says its key, the keys a load refreshes, and what it depends on: the runner
    builds each after its dependencies, and passes a form whose link changed on to its ratings."""
    order = list(warehouse.DERIVED)
    assert set(order) == {"review_facts", "young_people_facts", "form_links", "rating_facts"}
    for derived in warehouse.DERIVED.values():
        assert all(order.index(dependency) < order.index(derived.table) for dependency in derived.depends_on)
    assert warehouse.DERIVED["young_people_facts"].depends_on == ("review_facts",)
    assert warehouse.DERIVED["form_links"].changed_to == "rated_forms" == warehouse.DERIVED["rating_facts"].touched
    assert warehouse.TOUCHED == {"touched_persons": "person_key", "touched_forms": "response_id",
                                 "rated_forms": "response_id"}
