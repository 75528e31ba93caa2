"""What tests share: real export files written into tmp_path, loaded into real DuckDB files, and read back.

Fixtures stay in conftest.py; everything else a test file needs from another lives in this package (files and
loads here; the suppression attacker, the access file and its secrets, subprocess scripts, the browser beside)."""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl

from core import warehouse_file
from core.settings import load_settings
from etl import load

ROOT = Path(__file__).resolve().parents[2]

# A fixed "today" so overdue / out-of-date figures are reproducible in tests.
TEST_TODAY = "2026-06-30"


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def settings_for(db: Path, **overrides):
    overrides.setdefault("today", TEST_TODAY)
    return load_settings(env={}, warehouse=str(db), **overrides)


def load_into(db: Path, *files: Path, **overrides):
    return load.load_files(list(files), settings_for(db, **overrides))


def query(db: Path, sql: str, params=None) -> list[tuple]:
    with warehouse_file.connect_read_only(db) as con:
        return con.execute(sql, params or []).fetchall()


PLAN_HEADER = ["person_id", "team", "plan_date", "plan_id", "date_of_birth", "review_date", "minutes_sent_date"]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def open_tables(at):
    """Open every table folded away on an AppTest page (app.charts.folded: a table is built only once its expander
    is opened), as a person clicking each would, and run the page again: checks then see every table it can show."""
    keys = [e.proto.id.split("-", 2)[2] for e in at.expander if e.proto.id.endswith("_table")]
    for key in keys:
        at.session_state[key] = True
    return at.run() if keys else at
