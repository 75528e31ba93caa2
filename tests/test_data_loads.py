"""The Data loads page: upload, check, load with progress, rejected rows back to source, history, undo."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import ROOT, query, write_csv, write_xlsx

PAGE = str(ROOT / "pages" / "data_loads.py")
PLANS = b"Young Person ID,Team,Plan Date,Review date,Notes\nYP1,North,01/04/2025,,x\nYP2,North,tbc,,y\nYP3,South,01/05/2025,01/05/2025,z\n"


@pytest.fixture
def warehouse_env(tmp_path, monkeypatch):
    path = tmp_path / "real" / "warehouse.duckdb"
    monkeypatch.setenv("PWP_WAREHOUSE", str(path))
    monkeypatch.setenv("PWP_TODAY", "2026-06-30")
    return path


def page() -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    return at


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def frame_with(at, *columns):
    """The first table on the page with these columns (AppTest does not expose dataframe keys)."""
    for element in at.dataframe:
        if set(columns) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no table with columns {columns}")


def test_new_warehouse_shows_an_empty_history_not_an_error(warehouse_env):
    at = page()
    assert not at.exception
    assert "Nothing has been loaded" in texts(at.info)
    assert not warehouse_env.exists()


def test_upload_shows_kind_matched_and_ignored_columns_then_loads(warehouse_env):
    at = page()
    at.file_uploader(key="upload_files").set_value(("plans.csv", PLANS, "text/csv")).run()
    assert not at.exception
    assert "Looks like a **plan export**" in texts(at.markdown)
    assert "Notes" in texts(at.caption)
    matched = frame_with(at, "Column in your file", "Read as")
    assert dict(zip(matched["Column in your file"], matched["Read as"]))["Young Person ID"] == "person_id"
    assert not warehouse_env.exists()                       # checking a file loads nothing

    at.button(key="load_button").click().run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["3", "2", "1", "0", "0"]
    issues = frame_with(at, "Row", "Column", "Outcome", "Reason")
    assert issues.to_dict("records") == [{"Row": 3, "Column": "Plan Date", "Outcome": "Rejected",
                                          "Reason": '"tbc" is not a date (write day/month/year like 03/05/2026, or '
                                                    '2026-05-03); the row is not loaded'}]
    assert query(warehouse_env, "SELECT count(*) FROM reviews") == [(2,)]
    history = frame_with(at, "Loaded at", "File")
    assert history["File"].tolist() == ["plans.csv"] and history["Rejected"].tolist() == [1]


def test_rejected_rows_download_has_the_row_its_cells_and_the_reason(warehouse_env):
    at = page()
    at.file_uploader(key="upload_files").set_value(("plans.csv", PLANS, "text/csv")).run()
    at.button(key="load_button").click().run()
    assert at.download_button(key="result_0_csv").label == "Rejected rows for the source team (CSV)"
    result = at.session_state["last_results"][0]
    assert result.rejected_cells.to_dict("records") == [
        {"row_number": 3, "Young Person ID": "YP2", "Team": "North", "Plan Date": "tbc", "Review date": None, "Notes": "y"}]


def test_an_unreadable_file_is_refused_with_a_reason_and_blocks_the_load(warehouse_env):
    at = page()
    at.file_uploader(key="upload_files").set_value([
        ("plans.csv", PLANS, "text/csv"),
        ("macro.xlsm", b"PK\x03\x04 not really", "application/vnd.ms-excel.sheet.macroEnabled.12"),
    ]).run()
    assert "macro-enabled Excel files are refused" in texts(at.error)
    assert at.button(key="load_button").disabled
    assert "a load is all or nothing" in texts(at.warning)


def test_xlsx_upload_with_title_rows_loads(warehouse_env, tmp_path):
    path = write_xlsx(tmp_path / "p.xlsx", [["Export title"], [], ["Child ID", "Locality", "Date of plan"],
                                            ["YP1", "North", "01/04/2025"], ["Total", 1]])
    at = page()
    at.file_uploader(key="upload_files").set_value(("p.xlsx", path.read_bytes(), "application/octet-stream")).run()
    assert "header found on row 3" in texts(at.markdown)
    at.button(key="load_button").click().run()
    assert [m.value for m in at.metric][:2] == ["1", "1"]


def test_same_file_again_says_nothing_changed(warehouse_env):
    at = page()
    at.file_uploader(key="upload_files").set_value(("plans.csv", PLANS, "text/csv")).run()
    at.button(key="load_button").click().run()
    at.button(key="load_button").click().run()
    assert "already loaded" in texts(at.info)


def test_undo_puts_back_the_warehouse_before_the_last_load(warehouse_env):
    at = page()
    at.file_uploader(key="upload_files").set_value(("plans.csv", PLANS, "text/csv")).run()
    at.button(key="load_button").click().run()
    more = b"person_id,team,plan_date\nYP9,East,01/01/2026\n"
    at.file_uploader(key="upload_files").set_value(("more.csv", more, "text/csv")).run()
    at.button(key="load_button").click().run()
    assert query(warehouse_env, "SELECT count(*) FROM reviews") == [(3,)]
    at.checkbox(key="undo_sure").check().run()
    at.button(key="undo_button").click().run()
    assert not at.exception
    assert query(warehouse_env, "SELECT count(*) FROM reviews") == [(2,)]
    assert frame_with(at, "Loaded at", "File")["File"].tolist() == ["plans.csv"]


def test_history_shows_rejected_rows_of_an_earlier_load(warehouse_env, tmp_path):
    from etl import load
    from core.settings import load_settings
    path = write_csv(tmp_path / "old.csv", [["person_id", "team", "plan_date"], ["", "North", "01/04/2025"]])
    load.load_files([path], load_settings())
    at = page()
    issues = frame_with(at, "File", "Row", "Outcome")
    assert issues[["File", "Row", "Outcome"]].values.tolist() == [["old.csv", 2, "rejected"]]
