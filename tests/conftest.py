"""Shared fixtures: real export files written into tmp_path, loaded into real DuckDB files."""
from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import openpyxl
import pytest

from core import warehouse_file
from etl import load
from core.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent

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


def _clear_streamlit_cache() -> None:
    streamlit = sys.modules.get("streamlit")
    if streamlit is not None:
        streamlit.cache_data.clear()


@pytest.fixture(autouse=True)
def fresh_streamlit_cache():
    """st.cache_data is shared across the whole test process: every test starts and ends with it empty."""
    _clear_streamlit_cache()
    yield
    _clear_streamlit_cache()


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> Path:
    """The embedded sample warehouse, built once per test session from sample_data/."""
    from etl.sample import build_sample_warehouse
    path = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    build_sample_warehouse(load_settings(env={}, warehouse=str(path)))
    return path


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture(autouse=True)
def audit_log_in_tmp(tmp_path_factory, monkeypatch):
    """Pages write the audit log: keep every test's entries out of the project's data/ folder."""
    monkeypatch.setenv("PWP_AUDIT_LOG", str(tmp_path_factory.mktemp("audit") / "audit.sqlite"))


@pytest.fixture(autouse=True)
def follow_up_store_in_tmp(tmp_path_factory, monkeypatch):
    """The Follow-up page writes the follow-up store: keep it out of the project's data/ folder, one per test."""
    path = tmp_path_factory.mktemp("follow_up") / "follow_up.sqlite"
    monkeypatch.setenv("PWP_FOLLOW_UP_STORE", str(path))
    return path
