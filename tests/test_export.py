"""`python -m etl export` and the Data loads page's export: every view of the contract, with a data dictionary, in
files that pandas, DuckDB (and polars, where installed), Excel and Power BI read."""
import csv
import datetime as dt
import hashlib
import io
import os
import subprocess
import sys
import zipfile

import duckdb
import openpyxl
import pandas as pd
import pytest

from core import warehouse_file
from etl import contract, export, warehouse
from tests.helpers import ROOT, load_into, query, write_csv


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "etl", "export", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PWP_TODAY": "2026-06-30"}, timeout=300)


def _columns(db, view):
    return [r[0] for r in query(db, f"DESCRIBE {view}")]


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def parquet_export(sample_warehouse, tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "parquet"
    before = _sha(sample_warehouse)
    done = _cli("--db", str(sample_warehouse), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert _sha(sample_warehouse) == before and not warehouse_file.wal_path(sample_warehouse).exists()
    return out, done.stdout


@pytest.mark.parametrize("view", warehouse.VIEWS)
def test_parquet_of_every_view_is_read_by_pandas_and_duckdb_with_every_row_and_column(sample_warehouse,
                                                                                       parquet_export, view):
    out, stdout = parquet_export
    rows = query(sample_warehouse, f"SELECT count(*) FROM {view}")[0][0]
    assert f"{view}: {rows:,} rows -> {out / (view + '.parquet')}" in stdout
    frame = pd.read_parquet(out / f"{view}.parquet")
    assert len(frame) == rows and list(frame.columns) == _columns(sample_warehouse, view)
    with duckdb.connect() as con:
        assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(out / f"{view}.parquet")]).fetchall() == [(rows,)]


def test_parquet_keeps_dates_as_dates_and_the_same_values(sample_warehouse, parquet_export):
    out, _ = parquet_export
    frame = pd.read_parquet(out / "reviews.parquet")
    assert type(frame["plan_date"].iloc[0]) is dt.date              # a DATE in Parquet, not text
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{sample_warehouse}' AS w (READ_ONLY)")
        assert con.execute(f"SELECT * FROM w.reviews EXCEPT SELECT * FROM read_parquet('{out / 'reviews.parquet'}')"
                           ).fetchall() == []


def test_parquet_is_read_by_polars(sample_warehouse, parquet_export):
    polars = pytest.importorskip("polars", reason="polars is not a dependency; install it to run this check")
    out, _ = parquet_export
    assert polars.read_parquet(out / "plan_indicators.parquet").height == \
        query(sample_warehouse, "SELECT count(*) FROM plan_indicators")[0][0]


def test_the_data_dictionary_has_every_column_with_its_type_and_description(sample_warehouse, parquet_export):
    out, _ = parquet_export
    with open(out / "data_dictionary.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["view"], r["column"]) for r in rows] == [(v, c) for v in warehouse.VIEWS for c in _columns(sample_warehouse, v)]
    types = {(v, c): t for v, c, t, *_ in query(sample_warehouse, "SELECT table_name, column_name, data_type "
                                                                   "FROM duckdb_columns()")}
    for r in rows:
        assert r["type"] == types[r["view"], r["column"]]
        described = contract.describe(r["view"])["columns"]
        if r["column"] in described:          # young_people.date_of_birth until issue 15: not described
            assert r["description"] == described[r["column"]]
    text = (out / "data_dictionary.md").read_text()
    assert "## reviews" in text and contract.describe("reviews")["description"] in text
    assert "| `minutes_due_date` | DATE | the 20th working day after review_date |" in text


@pytest.fixture
def awkward(tmp_path):
    """A warehouse with Welsh letters, and a young person's comment that a spreadsheet would run as a formula."""
    db = tmp_path / "w.duckdb"
    load_into(db, write_csv(tmp_path / "plans.csv", [["person_id", "team", "plan_date", "plan_id", "review_date"],
                                                     ["p1", "Tîm Gŵyr", "2026-04-01", "v1", "2026-04-01"]]),
              write_csv(tmp_path / "forms.csv", [["response_id", "person_id", "review_date", "stage_1", "stage_1_comment"],
                                                 ["f1", "p1", "2026-04-01", "Red", '=HYPERLINK("http://x","click")']]))
    return db


def test_csv_is_read_by_pandas_keeps_welsh_letters_and_writes_a_formula_as_text(awkward, tmp_path):
    done = _cli("--db", str(awkward), "--out", str(tmp_path / "csv"), "--format", "csv")
    assert done.returncode == 0, done.stderr
    ratings = pd.read_csv(tmp_path / "csv" / "traffic_light_ratings.csv", encoding="utf-8-sig")
    assert ratings["team"].tolist() == ["Tîm Gŵyr"]
    assert ratings["comment"].tolist() == ['\'=HYPERLINK("http://x","click")']
    assert (tmp_path / "csv" / "reviews.csv").read_bytes().startswith("\ufeff".encode())    # Excel keeps ŵ
    for view in warehouse.VIEWS:
        assert len(pd.read_csv(tmp_path / "csv" / f"{view}.csv")) == query(awkward, f"SELECT count(*) FROM {view}")[0][0]


def test_xlsx_has_every_row_a_formula_as_text_and_a_long_view_goes_on_to_more_sheets(awkward, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "XLSX_SHEET_ROWS", 4)
    export.export(awkward, tmp_path / "xlsx", "xlsx")
    book = openpyxl.load_workbook(tmp_path / "xlsx" / "traffic_light_ratings.xlsx")
    [sheet] = book.worksheets
    header, row = list(sheet.values)
    assert row[header.index("comment")] == '\'=HYPERLINK("http://x","click")' and row[header.index("team")] == "Tîm Gŵyr"
    indicators = query(awkward, "SELECT count(*) FROM plan_indicators")[0][0]
    assert indicators > 4
    book = openpyxl.load_workbook(tmp_path / "xlsx" / "plan_indicators.xlsx")
    assert book.sheetnames[:2] == ["plan_indicators", "plan_indicators (2)"]
    assert sum(sheet.max_row - 1 for sheet in book.worksheets) == indicators
    assert all(next(sheet.values) == tuple(_columns(awkward, "plan_indicators")) for sheet in book.worksheets)


def test_export_of_a_missing_warehouse_says_so_plainly(tmp_path):
    done = _cli("--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert done.stderr.strip() == f"Error: There is no warehouse at {tmp_path / 'none.duckdb'}: load some exports first"


def test_the_data_loads_page_downloads_the_export_as_a_zip(awkward, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.testing.v1 import AppTest
    made = {}
    original = MediaFileManager.add_deferred

    def remember(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", remember)
    monkeypatch.setenv("PWP_WAREHOUSE", str(awkward))
    at = AppTest.from_file(str(ROOT / "pages" / "data_loads.py"), default_timeout=60).run()
    at.radio(key="export_format").set_value("csv").run()
    assert not at.exception
    assert at.download_button(key="export_button").label == "Download the warehouse (CSV, zip)"
    archive = zipfile.ZipFile(io.BytesIO(made["pathway_plan_quality_csv.zip"]()))
    assert sorted(archive.namelist()) == sorted([f"{v}.csv" for v in warehouse.VIEWS] +
                                                ["data_dictionary.csv", "data_dictionary.md"])
    reviews = pd.read_csv(archive.open("reviews.csv"), encoding="utf-8-sig")
    assert reviews["team"].tolist() == ["Tîm Gŵyr"]
