"""Readers: real CSV and XLSX files read into ``raw`` (text cells, row numbers, overflow) and loaded."""
import datetime as dt

import openpyxl
import pytest

from core import warehouse_file
from etl import load, readers
from tests.helpers import load_into, query, write_csv, write_xlsx


def counts(result):
    return result.rows_read, result.rows_loaded, result.rows_rejected, result.rows_duplicate


def raw_rows(path, monkeypatch=None):
    """read_export into an in-memory connection: (c-cells..., overflow, src_row) per row, and whether the
    careful (Python) CSV reader was used."""
    careful = []
    if monkeypatch is not None:
        python_csv = readers._python_csv
        monkeypatch.setattr(readers, "_python_csv", lambda *a: (careful.append(True), python_csv(*a))[1])
    with warehouse_file.connect_memory() as con:
        raw = readers.read_export(con, path)
        rows = con.execute("SELECT * FROM raw ORDER BY src_row").fetchall()
        names = [d[0] for d in con.execute("SELECT * FROM raw LIMIT 0").description]
    return raw, names, rows, bool(careful)


# ------------------------------------------------------------------ XLSX dates

def test_a_number_in_a_column_of_excel_dates_is_not_read_as_a_date(tmp_path, db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Young Person ID", "Team", "Plan Date", "DOB"])
    sheet.append(["YP1", "North", dt.date(2025, 5, 3), dt.date(2007, 1, 2)])
    sheet.append(["YP2", "North", 45780, 39084])             # numbers: a serial without a date format
    for column in (3, 4):
        sheet.cell(2, column).number_format = "dd/mm/yyyy"
    book.save(tmp_path / "plans.xlsx")
    [result] = load_into(db, tmp_path / "plans.xlsx")
    assert counts(result) == (2, 1, 1, 0)
    assert query(db, "SELECT row_number, column_name, reason FROM rejected_rows") == [
        (3, "Plan Date", '"45780" is not a date (write day/month/year like 03/05/2026, or 2026-05-03); '
                         "the row is not loaded")]
    assert query(db, "SELECT plan_date FROM reviews") == [(dt.date(2025, 5, 3),)]
    assert query(db, "SELECT date_of_birth FROM plan_versions") == [(dt.date(2007, 1, 2),)]


def test_zero_and_one_in_a_copy_given_column_with_an_excel_date_stay_no_and_yes(tmp_path, db):
    path = write_xlsx(tmp_path / "plans.xlsx", [
        ["Young Person ID", "Team", "Plan Date", "Copy given to YP"],
        ["YP1", "North", "03/05/2025", dt.date(2025, 5, 21)],    # a date means yes
        ["YP2", "North", "03/05/2025", 0],
        ["YP3", "North", "03/05/2025", 1],
    ])
    [result] = load_into(db, path)
    assert counts(result) == (3, 3, 0, 0)
    assert query(db, "SELECT source_row, copy_given_to_yp FROM plan_versions ORDER BY source_row") == [
        (2, True), (3, False), (4, True)]


def test_a_column_of_excel_dates_and_blank_cells_reads_as_dates(tmp_path):
    path = write_xlsx(tmp_path / "plans.xlsx", [
        ["Young Person ID", "Team", "Plan Date", "Review Date"],
        ["YP1", "North", dt.date(2025, 5, 3), None],
        ["YP2", "North", dt.date(2025, 6, 4), dt.date(2025, 6, 4)],
    ])
    _, names, rows, _ = raw_rows(path)
    assert [r[2:4] for r in rows] == [("2025-05-03", None), ("2025-06-04", "2025-06-04")]


# ------------------------------------------------------------------ cells beyond the header's last column

EXTRA_CELL_LINES = [
    "person_id,team,plan_date,iro",
    "YP1,North,03/05/2025,Smith, Jo",        # line 2: an unquoted comma: " Jo" is beyond the last column
    "YP2,North,04/05/2025,IRO Patel",        # line 3: as wide as the header
    "YP3,North,05/05/2025,IRO B,",           # line 4: a trailing comma is not a cell
    "YP4,North,06/05/2025,IRO C, ",          # line 5: nor is a blank one
]


@pytest.mark.parametrize("careful", [False, True], ids=["duckdb reader", "careful reader"])
def test_read_export_gives_the_cells_beyond_the_header_as_overflow(tmp_path, monkeypatch, careful):
    lines = list(EXTRA_CELL_LINES)
    if careful:      # a line break in a quoted cell, and two cells too many: only the careful reader reads these
        lines += ['YP5,"North\nwest",07/05/2025,IRO D', "YP6,North,08/05/2025,Smith, Jo, Jr,,"]
    path = tmp_path / "plans.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
    _, names, rows, used_careful = raw_rows(path, monkeypatch)
    assert used_careful == careful
    assert names == ["c0", "c1", "c2", "c3", "overflow", "src_row"]
    overflow = {r[0]: (r[3], r[4], r[5]) for r in rows}
    assert overflow["YP1"] == ("Smith", " Jo", 2)
    assert overflow["YP2"] == ("IRO Patel", None, 3)
    assert overflow["YP3"] == ("IRO B", None, 4)
    assert overflow["YP4"] == ("IRO C", None, 5)
    if careful:
        assert overflow["YP5"] == ("IRO D", None, 6)
        assert overflow["YP6"] == ("Smith", " Jo, Jr", 8)


def test_read_export_gives_a_null_overflow_column_for_an_xlsx_sheet(tmp_path):
    path = write_xlsx(tmp_path / "plans.xlsx", [
        ["Young Person ID", "Team", "Plan Date"],
        ["YP1", "North", dt.date(2025, 5, 3), None, None],
        ["YP2", "North", dt.date(2025, 5, 4), None, None],
    ])
    _, names, rows, _ = raw_rows(path)
    assert names[-2:] == ["overflow", "src_row"]
    assert [r[-2:] for r in rows] == [(None, 2), (None, 3)]


def test_xlsx_cells_beyond_the_header_row_are_overflow():
    # calamine gives rows as wide as the sheet's used range, so only rows longer than the header row can
    # have such cells: the table is built straight from rows here.
    rows = [["person_id", "team", "plan_date"],
            ["YP1", "North", dt.date(2025, 5, 3)],
            ["YP2", "North", dt.date(2025, 5, 4), 7.0, "", "x", ""],
            ["YP3", "North", dt.date(2025, 5, 5), "", ""]]
    table = readers._xlsx_table(rows, 0)
    assert table.column_names == ["c0", "c1", "c2", "overflow", "src_row"]
    assert table.column("overflow").to_pylist() == [None, "7,,x", None]


def test_a_csv_row_with_more_cells_than_the_header_is_rejected_not_cut_short(tmp_path, db):
    path = tmp_path / "plans.csv"
    path.write_bytes(("\n".join(EXTRA_CELL_LINES) + "\n").encode("cp1252"))
    [result] = load_into(db, path)
    assert counts(result) == (4, 3, 1, 0)
    assert query(db, "SELECT row_number FROM rejected_rows") == [(2,)]
    assert query(db, "SELECT iro FROM plan_versions ORDER BY source_row") == [("IRO Patel",), ("IRO B",), ("IRO C",)]
    [sent_back] = load.rejected_for_source(result).to_dict("records")
    assert sent_back["iro"] == "Smith" and sent_back["Cells beyond the last column"] == " Jo"


def test_rejected_cells_have_no_beyond_the_last_column_when_no_rejected_row_has_such_cells(tmp_path, db):
    path = write_csv(tmp_path / "plans.csv", [["person_id", "team", "plan_date"],
                                              ["YP1", "North", "tbc"], ["YP2", "North", "03/05/2025"]])
    [result] = load_into(db, path)
    assert list(load.rejected_for_source(result).columns) == [
        "Row in file", "person_id", "team", "plan_date", "Why it was not loaded"]


# ------------------------------------------------------------------ columns with no header

def test_a_csv_column_with_data_but_no_header_is_named_among_the_ignored_columns(tmp_path, db):
    path = write_csv(tmp_path / "plans.csv", [["person_id", "team", "plan_date", "", "iro", ""],
                                              ["YP1", "North", "03/05/2025", "Jane Doe", "IRO A", ""]],
                     encoding="utf-8-sig")
    [result] = load_into(db, path)
    assert result.ignored_columns == ["column 4 (no header)"]
    assert query(db, "SELECT ignored_columns FROM load_log") == [("column 4 (no header)",)]
    assert query(db, "SELECT iro FROM plan_versions") == [("IRO A",)]


def test_an_xlsx_column_with_data_but_no_header_is_named_among_the_ignored_columns(tmp_path, db):
    path = write_xlsx(tmp_path / "plans.xlsx", [
        ["Young Person ID", "Team", "Plan Date", "Notes", None],
        ["YP1", "North", dt.date(2025, 5, 3), "x", "Jane Doe"],
        ["YP2", "North", dt.date(2025, 5, 4), None, None],
    ])
    [result] = load_into(db, path)
    assert counts(result) == (2, 2, 0, 0)
    assert result.ignored_columns == ["Notes", "column 5 (no header)"]
    assert query(db, "SELECT ignored_columns FROM load_log") == [("Notes, column 5 (no header)",)]
