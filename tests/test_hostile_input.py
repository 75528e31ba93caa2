"""Hostile and careless files (SPEC §2.6): each gives a clear message or loads correctly, loses nothing silently,
leaks no ID and cannot take the process down. Every file is written here, into tmp_path."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
import zipfile

import openpyxl
import pytest

from etl.readers import UnreadableFile
from tests.helpers import ROOT, load_into, query, write_csv, write_xlsx

PLAN = ["person_id", "team", "plan_date", "local_authority"]
TL = ["response_id", "person_id", "review_date", "submitted_date", *(f"stage_{n}" for n in range(1, 11)),
      "stage_1_comment"]


def counts(result):
    return result.rows_read, result.rows_loaded, result.rows_rejected, result.rows_duplicate


def balanced(result):
    return result.rows_read == result.rows_loaded + result.rows_rejected + result.rows_duplicate


def fingerprint(path):
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def cli(*args, limit_memory=True):
    """`python -m etl load` in its own process, its address space capped at 2 GB as the issue asks."""
    def cap():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    env = {**os.environ, "PWP_TODAY": "2026-06-30"}
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300, env=env, preexec_fn=cap if limit_memory else None)


def stored_text(db) -> str:
    """Every value of every stored column of every base table, as one text to search."""
    from core import warehouse_file
    out = []
    with warehouse_file.connect_read_only(db) as con:
        tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()
        for (table,) in tables:
            for row in con.execute(f'SELECT * FROM "{table}"').fetchall():
                out.extend(str(v) for v in row if v is not None)
    return "\n".join(out)


# ------------------------------------------------------------------ 1. a quote never swallows rows

def test_an_unclosed_quote_in_a_plan_export_rejects_its_row_and_reads_the_next_lines_as_rows(tmp_path, db):
    path = tmp_path / "plans.csv"
    path.write_text("person_id,team,plan_date,local_authority\n"
                    "YP1,North,01/04/2025,Testshire\n"
                    'YP2,North,01/04/2025,"Testshire\n'                  # line 3: the quote never closes
                    "SECRET-ID-3,South,02/04/2025,Testshire\n"
                    "SECRET-ID-4,South,03/04/2025,Testshire\n")
    [result] = load_into(db, path)
    assert counts(result) == (4, 3, 1, 0)
    [(row, column, reason)] = query(db, "SELECT row_number, column_name, reason FROM rejected_rows")
    assert (row, column) == (3, "local_authority") and "line 3" in reason and "not closed" in reason
    assert query(db, "SELECT DISTINCT local_authority FROM reviews") == [("Testshire",)]
    assert "SECRET-ID" not in stored_text(db)


def test_an_unclosed_quote_in_a_comment_does_not_swallow_the_forms_after_it(tmp_path, db):
    answers = ["Green"] * 10
    path = tmp_path / "tl.csv"
    path.write_text(",".join(TL) + "\n"
                    + ",".join(["F1", "YP1", "01/04/2025", "02/04/2025", *answers, '"Nobody listened']) + "\n"
                    + ",".join(["F2", "SECRET-2", "01/04/2025", "02/04/2025", *answers, "fine"]) + "\n"
                    + ",".join(["F3", "SECRET-3", "01/04/2025", "02/04/2025", *answers, ""]) + "\n")
    [result] = load_into(db, path)
    assert counts(result) == (3, 2, 1, 0)
    assert query(db, "SELECT row_number, column_name FROM rejected_rows") == [(2, "stage_1_comment")]
    assert "SECRET" not in stored_text(db)


def test_a_comment_over_several_lines_loads_with_its_line_breaks(tmp_path, db):
    answers = ["Green"] * 10
    path = tmp_path / "tl.csv"
    path.write_text(",".join(TL) + "\n"
                    + ",".join(["F1", "YP1", "01/04/2025", "02/04/2025", *answers, '"First line,\nsecond line"']) + "\n"
                    + ",".join(["F2", "YP2", "01/04/2025", "02/04/2025", *answers, "fine"]) + "\n")
    [result] = load_into(db, path)
    assert counts(result) == (2, 2, 0, 0)
    assert query(db, "SELECT comment FROM traffic_light_answers WHERE comment IS NOT NULL ORDER BY 1") == [
        ("First line,\nsecond line",), ("fine",)]


def test_a_line_break_inside_quotes_in_a_team_rejects_the_row_naming_the_column_and_lines(tmp_path, db):
    path = tmp_path / "plans.csv"
    path.write_text('person_id,Team Name,plan_date\nYP1,"North\nwest",01/04/2025\nYP2,South,01/04/2025\n')
    [result] = load_into(db, path)
    assert counts(result) == (2, 1, 1, 0)
    [(row, column, reason)] = query(db, "SELECT row_number, column_name, reason FROM rejected_rows")
    assert (row, column) == (2, "Team Name") and "lines 2–3" in reason


def test_a_bare_carriage_return_inside_a_quoted_value_does_not_refuse_the_file(tmp_path, db):
    path = tmp_path / "tl.csv"
    answers = ["Amber"] * 10
    path.write_bytes((",".join(TL) + "\r\n"
                      + ",".join(["F1", "YP1", "01/04/2025", "02/04/2025", *answers, '"one\rtwo"']) + "\r\n"
                      + ",".join(["F2", "YP2", "01/04/2025", "02/04/2025", *answers, "ok"]) + "\r\n").encode())
    [result] = load_into(db, path)
    assert counts(result) == (2, 2, 0, 0)


def test_a_header_longer_than_64_kib_reads_its_rows(tmp_path, db):
    # 2,000 long names rather than 10,000 short ones: the same > 64 KiB header, a quicker test
    header = PLAN + [f"a column the specification does not know, number {n}" for n in range(2_000)]
    rows = [["YP1", "North", "01/04/2025", "Testshire"] + [""] * 2_000,
            ["YP2", "South", "02/04/2025", "Testshire"] + ["x"] * 2_000]
    path = write_csv(tmp_path / "wide.csv", [header, *rows])
    assert len(path.read_text().splitlines()[0]) > 65536
    [result] = load_into(db, path)
    assert counts(result) == (2, 2, 0, 0)


def test_a_cell_over_131072_characters_rejects_its_row_with_a_clear_reason(tmp_path, db):
    path = tmp_path / "tl.csv"
    answers = ["Red"] * 10
    path.write_text(",".join(TL) + "\n"
                    + ",".join(["F1", "YP1", "01/04/2025", "02/04/2025", *answers, '"' + "x" * 200_000 + '\nmore"']) + "\n"
                    + ",".join(["F2", "YP2", "01/04/2025", "02/04/2025", *answers, "ok"]) + "\n")
    [result] = load_into(db, path)
    assert counts(result) == (2, 1, 1, 0)
    [(reason,)] = query(db, "SELECT reason FROM rejected_rows")
    assert "200,005 characters long, more than 131,072" in reason


# ------------------------------------------------------------------ 2. workbooks: bounded, and one plain line

def _rewrite_sheet(src, dst, change):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            zout.writestr(name, change(data) if name == "xl/worksheets/sheet1.xml" else data)
    return dst


def test_a_5_kb_workbook_with_a_cell_at_xfd1048576_loads_in_under_2_gb(tmp_path, db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["person_id", "team", "plan_date"])
    sheet.append(["YP1", "North", "01/04/2025"])
    sheet["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    book.save(path)
    assert path.stat().st_size < 10_000
    done = cli("load", "--db", str(db), str(path))
    assert done.returncode == 0, done.stderr
    assert "read 1 · loaded 1 · rejected 0 · duplicate 0" in done.stdout
    assert "1 cell beyond column ALL (the furthest at XFD1048576), not read" in done.stdout
    assert not list(tmp_path.glob(".*loading*"))


def test_a_row_typed_far_below_the_data_keeps_its_spreadsheet_row_number(tmp_path, db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["person_id", "team", "plan_date"])
    sheet.append(["YP1", "North", "01/04/2025"])
    sheet["A1048576"], sheet["B1048576"], sheet["C1048576"] = "YP2", "South", "not a date"
    book.save(tmp_path / "low.xlsx")
    [result] = load_into(db, tmp_path / "low.xlsx")
    assert counts(result) == (2, 1, 1, 0)
    assert query(db, "SELECT row_number FROM rejected_rows") == [(1048576,)]


@pytest.mark.parametrize("change,message", [
    (lambda xml: xml[:len(xml) // 2] + b'<c r="Z', "the workbook is damaged and cannot be read (syntax error"),
    (lambda xml: xml.replace(b'<c r="B2" t="inlineStr"><is><t>North</t></is></c>', b'<c r="B2" t="s"><v>999</v></c>'),
     "the workbook is damaged and cannot be read (Cell string index not found"),
])
def test_a_damaged_workbook_gives_one_plain_line_and_changes_nothing(tmp_path, db, change, message):
    load_into(db, write_csv(tmp_path / "first.csv", [["person_id", "team", "plan_date"], ["YP0", "East", "01/01/2025"]]))
    before = fingerprint(db)
    good = write_xlsx(tmp_path / "good.xlsx", [["person_id", "team", "plan_date"], ["YP1", "North", "01/04/2025"]])
    bad = _rewrite_sheet(good, tmp_path / "bad.xlsx", change)
    done = cli("load", "--db", str(db), str(bad))
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.strip() and "pseudonym key" not in line]
    assert len(errors) == 1 and errors[0].startswith("Error: bad.xlsx: ") and message in errors[0], done.stderr
    assert "Traceback" not in done.stderr
    assert fingerprint(db) == before


# ------------------------------------------------------------------ 3. text decoded per cell, invisible characters removed

def test_a_utf8_file_with_one_windows_1252_byte_keeps_its_welsh_letters(tmp_path, db):
    path = tmp_path / "plans.csv"
    path.write_bytes("person_id,team,plan_date,local_authority\n".encode()
                     + "YP1,Gŵyr Leaving Care,01/04/2025,Abertawe\n".encode()
                     + "YP2,Tîm Dŷ â,01/04/2025,".encode() + b"Caf\xe9 \xa3 council\n"   # one cell in Windows-1252
                     + "YP3,Gŵyr Leaving Care,02/04/2025,Abertawe\n".encode())
    [result] = load_into(db, path)
    assert counts(result) == (3, 3, 0, 0)
    assert query(db, "SELECT DISTINCT team FROM reviews ORDER BY 1") == [("Gŵyr Leaving Care",), ("Tîm Dŷ â",)]
    assert query(db, "SELECT local_authority FROM reviews WHERE team = 'Tîm Dŷ â'") == [("Café £ council",)]
    [(row, column, reason)] = query(db, "SELECT row_number, column_name, reason FROM load_warnings")
    assert (row, column) == (3, "local_authority") and "not UTF-8" in reason


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_loads(tmp_path, db, encoding):
    path = tmp_path / "plans.csv"
    path.write_bytes("person_id,team,plan_date\nYP1,Gŵyr,01/04/2025\n".encode(encoding))
    [result] = load_into(db, path)
    assert counts(result) == (1, 1, 0, 0)
    assert query(db, "SELECT team FROM reviews") == [("Gŵyr",)]


def test_nul_zero_width_and_direction_marks_never_split_a_team_or_a_person(tmp_path, db):
    filler = [[f"YP{n}", "North", "01/04/2025"] for n in range(100, 4100)]   # pushes the NUL past 64 KiB
    rows = [["person_id", "team", "plan_date"], *filler,
            ["YP1", "North", "01/05/2025"],
            ["YP1\u200b", "No\x00rth", "01/06/2025"],                  # zero-width space in the ID, NUL in the team
            ["\u202eYP1", "North\u200f", "01/07/2025"],                 # direction marks
            ["YP2", "Back\x08space", "01/07/2025"]]
    path = write_csv(tmp_path / "plans.csv", rows)
    assert path.read_bytes().index(b"\x00") > 65536
    [result] = load_into(db, path)
    assert counts(result) == (4004, 4004, 0, 0)
    assert query(db, "SELECT DISTINCT team FROM reviews ORDER BY 1") == [("Backspace",), ("North",)]
    assert query(db, "SELECT count(DISTINCT person_key) FROM reviews WHERE plan_date >= DATE '2025-05-01' "
                     "AND team = 'North'") == [(1,)]
    warned = query(db, "SELECT row_number, column_name FROM load_warnings ORDER BY 1, 2")
    assert warned == [(4003, "person_id"), (4003, "team"), (4004, "person_id"), (4004, "team"), (4005, "team")]


def test_a_control_character_in_a_team_does_not_block_the_panel_workbook(tmp_path, db):
    path = write_csv(tmp_path / "plans.csv", [["person_id", "team", "plan_date"], ["YP1", "Back\x08space", "01/05/2026"]])
    [result] = load_into(db, path)
    assert query(db, "SELECT team FROM reviews") == [("Backspace",)]
    done = cli("report", "--db", str(db), "--quarter", "2026-27 Q1", "--out", str(tmp_path / "panel.xlsx"))
    assert done.returncode == 0, done.stderr
    openpyxl.load_workbook(tmp_path / "panel.xlsx")


def test_a_spreadsheet_download_drops_characters_a_workbook_cannot_hold():
    import pandas as pd
    from core.safe_cells import xlsx_bytes
    data = xlsx_bytes({"Rows": pd.DataFrame({"team": ["Back\x08space", "=1+1"]})})
    import io
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet["A"]] == ["team", "Backspace", "'=1+1"]


# ------------------------------------------------------------------ 4. error cells, far dates, two columns as one, names

def test_excel_error_cells_are_passed_on_as_their_text_never_as_blank(tmp_path, db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["person_id", "team", "plan_date", "review_date"])
    sheet.append(["YP1", "North", dt.datetime(2025, 4, 1), None])
    sheet["D2"].value, sheet["D2"].data_type = "#N/A", "e"
    book.save(tmp_path / "plans.xlsx")
    [result] = load_into(db, tmp_path / "plans.xlsx")
    assert result.rows_read == 1 and balanced(result)
    reasons = [reason for _, column, _, reason in result.issues if column == "review_date"]
    assert reasons and '"#N/A"' in reasons[0] and "blank" not in reasons[0]


def test_an_excel_date_in_9999_is_not_told_how_to_write_a_date(tmp_path, db):
    path = write_xlsx(tmp_path / "plans.xlsx", [["person_id", "team", "plan_date"],
                                                ["YP1", "North", dt.datetime(9999, 12, 31)],
                                                ["YP2", "North", dt.datetime(2025, 4, 1)]])
    [result] = load_into(db, path)
    assert counts(result) == (2, 1, 1, 0)
    [(reason,)] = query(db, "SELECT reason FROM rejected_rows")
    assert "outside the years 1900 to 2100" in reason and "day/month/year" not in reason


def test_two_columns_read_as_team_refuse_the_file_with_a_clear_message(tmp_path, db):
    load_into(db, write_csv(tmp_path / "first.csv", [["person_id", "team", "plan_date"], ["YP0", "East", "01/01/2025"]]))
    before = fingerprint(db)
    path = write_csv(tmp_path / "two.csv", [["person_id", "Team Name", "plan_date", "Team Name"],
                                            ["YP1", "North", "01/04/2025", "South"]])
    done = cli("load", "--db", str(db), str(path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert ('two columns would both be read as team: "Team Name" (column 2) and "Team Name" (column 4)'
            in done.stderr)
    assert fingerprint(db) == before


def test_terminal_escapes_in_a_file_name_never_reach_the_terminal(tmp_path, db):
    path = write_csv(tmp_path / "plans\x1b[2J\x1b[31m.csv", [["person_id", "team", "plan_date"], ["YP1", "N", "01/04/2025"]])
    done = cli("load", "--db", str(db), str(path))
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout + done.stderr and "plans\\x1b[2J\\x1b[31m.csv" in done.stdout
    assert query(db, "SELECT file_name FROM load_log") == [("plans\\x1b[2J\\x1b[31m.csv",)]


# ------------------------------------------------------------------ 6. leftovers of killed loads

def test_a_killed_loads_working_copy_and_lock_are_cleaned_by_the_next_load(tmp_path, db):
    load_into(db, write_csv(tmp_path / "a.csv", [["person_id", "team", "plan_date"], ["YP0", "East", "01/01/2025"]]))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()                                              # a process id that is no longer running
    stale = tmp_path / f".{db.name}.loading-{dead.pid}"
    stale.write_bytes(db.read_bytes())
    (tmp_path / f"{stale.name}.wal").write_bytes(b"x")
    (tmp_path / f"{db.name}.lock").write_text("")            # a lock file left behind (nobody holds it)
    load_into(db, write_csv(tmp_path / "b.csv", [["person_id", "team", "plan_date"], ["YP1", "East", "01/01/2025"]]))
    assert not stale.exists() and not (tmp_path / f"{stale.name}.wal").exists()
    assert not (tmp_path / f"{db.name}.lock").exists()
    assert query(db, "SELECT count(*) FROM reviews") == [(2,)]


def test_a_refused_run_leaves_no_lock_and_no_working_copy(tmp_path, db):
    bad = write_csv(tmp_path / "bad.csv", [["colour"], ["red"]])
    with pytest.raises(UnreadableFile):
        load_into(db, bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]


# ------------------------------------------------------------------ 5. the dashboard's upload cannot end the server

def test_a_reader_that_dies_ends_only_its_own_process_with_one_line(tmp_path, db):
    from etl import isolated
    from tests.helpers import settings_for
    path = write_csv(tmp_path / "plans.csv", [["person_id", "team", "plan_date"], ["YP1", "North", "01/04/2025"]])
    # 64 MB of address space: the reader cannot even start, as a file that exhausts memory would end it
    with pytest.raises(UnreadableFile, match="could not be read within the limits of one load"):
        isolated.load_files([path], settings_for(db), memory=64 << 20)
    assert not db.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["plans.csv"]
    [result] = isolated.load_files([path], settings_for(db))            # and with the real limit it loads
    assert counts(result) == (1, 1, 0, 0)


def test_the_data_loads_page_reads_uploads_in_another_process_and_keeps_no_copy(tmp_path, monkeypatch):
    import tempfile
    from streamlit.testing.v1 import AppTest
    warehouse_path = tmp_path / "real" / "warehouse.duckdb"
    monkeypatch.setenv("PWP_WAREHOUSE", str(warehouse_path))
    monkeypatch.setenv("PWP_TODAY", "2026-06-30")
    uploads = tmp_path / "tmp"
    uploads.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(uploads))
    book = openpyxl.Workbook()
    book.active.append(["person_id", "team", "plan_date"])
    book.active.append(["YP1", "North", "01/04/2025"])
    book.active["XFD1048576"] = "x"
    book.save(tmp_path / "far.xlsx")
    good = b"person_id,team,plan_date\nYP1,North,01/04/2025\n"
    at = AppTest.from_file(str(ROOT / "pages" / "data_loads.py"), default_timeout=120)
    at.run()
    at.file_uploader(key="upload_files").set_value([("far.xlsx", (tmp_path / "far.xlsx").read_bytes(),
                                                     "application/octet-stream"),
                                                    ("plans.csv", good, "text/csv")]).run()
    assert not at.exception
    assert "Looks like a **plan export**" in " ".join(m.value for m in at.markdown)
    at.button(key="load_button").click().run()
    assert not at.exception
    assert query(warehouse_path, "SELECT count(*) FROM load_log") == [(2,)]
    assert list(uploads.iterdir()) == []                                 # no uploaded export left behind


# ------------------------------------------------------------------ 7. the invariant: no ID stored but through its pseudonym

def _raw_ids(path) -> set[str]:
    """Every value of the file's person_id column, as the reader gives it."""
    from core import warehouse_file
    from etl import readers
    with warehouse_file.connect_memory() as con:
        raw = readers.read_export(con, path)
        position = {name: pos for pos, name in raw.matched.items()}.get("person_id")
        if position is None:
            return set()
        return {v for (v,) in con.execute(f"SELECT DISTINCT trim(c{position}) FROM raw").fetchall() if v}


def test_no_stored_column_holds_a_person_id_of_its_file(tmp_path, db):
    from etl.sample import sample_files
    answers = ["Green"] * 10
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "quote.csv").write_text("person_id,team,plan_date,local_authority\n"
                                       'PID-AAA-0001,North,01/04/2025,"Testshire\n'
                                       "PID-AAA-0002,South,02/04/2025,Testshire\n")
    (hostile / "comment.csv").write_text(",".join(TL) + "\n"
                                         + ",".join(["F1", "PID-BBB-0001", "01/04/2025", "02/04/2025", *answers,
                                                     '"Nobody listened']) + "\n"
                                         + ",".join(["F2", "PID-BBB-0002", "01/04/2025", "02/04/2025", *answers,
                                                     '"two\nlines"']) + "\n")
    (hostile / "mixed.csv").write_bytes(b"person_id,team,plan_date\nPID-CCC-\xa31,G\xc5\xb5yr,01/04/2025\n")
    write_csv(hostile / "invisible.csv", [["person_id", "team", "plan_date"], ["PID-DDD\u200b-0001", "North", "01/04/2025"]])
    files = [*sample_files(), *sorted(hostile.iterdir())]
    for path in files:
        load_into(db, path)
    ids = set().union(*(_raw_ids(path) for path in files))
    ids |= {cleaned for cleaned in (i.replace("\u200b", "") for i in ids)}
    assert len(ids) > 100
    from core import warehouse_file
    with warehouse_file.connect_read_only(db) as con:
        columns = con.execute("SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' "
                              "AND data_type = 'VARCHAR'").fetchall()
        found = []
        for table, column in columns:
            values = {v for (v,) in con.execute(f'SELECT DISTINCT "{column}" FROM "{table}"').fetchall() if v}
            # the whole value, or any piece of it between separators (an ID swallowed into another cell)
            found += [(table, column, v) for v in values
                      if v in ids or any(piece in ids for piece in re.split(r'[\s,;|"]+', v))]
    assert found == []
