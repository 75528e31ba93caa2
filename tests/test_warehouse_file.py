"""The published warehouse file as analysts' own tools meet it: readable by DuckDB 1.x, read-only, and safe from a
read-write client (one that cannot open it, and one killed half-way that leaves a WAL behind)."""
import json
import os
import shutil
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import duckdb
import pytest

from etl import warehouse
from conftest import load_into, query, write_csv

# The oldest DuckDB the published file promises to open (README, "Opening the warehouse from your own tools").
DUCKDB_1X = "1.4.5"
VENV_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / f"pwp-duckdb-{DUCKDB_1X}"

READ_EVERY_VIEW = textwrap.dedent("""
    import json, sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    rows = {view: len(con.execute(f"SELECT * FROM {view}").fetchall()) for view in sys.argv[2:]}
    comments = con.execute("SELECT count(*) FROM duckdb_columns() WHERE comment IS NOT NULL").fetchall()[0][0]
    print(json.dumps({"version": duckdb.__version__, "rows": rows, "column_comments": comments}))
""")


def duckdb_1x_python() -> Path:
    """A virtual environment of its own with DuckDB 1.x installed (kept in the user's cache between runs)."""
    python = VENV_DIR / "bin" / "python"
    probe = [str(python), "-c", "import duckdb; print(duckdb.__version__)"]
    if python.exists() and subprocess.run(probe, capture_output=True, text=True).stdout.strip() == DUCKDB_1X:
        return python
    shutil.rmtree(VENV_DIR, ignore_errors=True)
    venv.create(VENV_DIR, with_pip=True)
    done = subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"duckdb=={DUCKDB_1X}"],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        shutil.rmtree(VENV_DIR, ignore_errors=True)
        pytest.skip(f"could not install duckdb=={DUCKDB_1X} from PyPI (no network?): {done.stderr.strip()[-300:]}")
    return python


@pytest.mark.slow
def test_a_duckdb_1x_client_opens_the_sample_warehouse_read_only_and_reads_every_view(sample_warehouse):
    python = duckdb_1x_python()
    done = subprocess.run([str(python), "-c", READ_EVERY_VIEW, str(sample_warehouse), *warehouse.VIEWS],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["version"] == DUCKDB_1X
    expected = {view: query(sample_warehouse, f"SELECT count(*) FROM {view}")[0][0] for view in warehouse.VIEWS}
    assert seen["rows"] == expected
    assert min(expected.values()) > 0


def test_a_new_warehouse_is_written_at_the_storage_version_duckdb_1_4_reads(tmp_path, db):
    load_into(db, write_csv(tmp_path / "p.csv", [["person_id", "team", "plan_date"], ["YP1", "North", "01/04/2025"]]))
    assert warehouse.storage_version(db) == f"{warehouse.STORAGE_VERSION}+" == "v1.4.0+"


def test_a_warehouse_written_at_duckdb_2_storage_version_is_rewritten_at_its_next_load(tmp_path, db):
    """A warehouse published by an earlier release (duckdb 2.0's own storage version, unreadable by 1.x clients)
    becomes readable at its next load, keeping every row."""
    load_into(db, write_csv(tmp_path / "a.csv", [["person_id", "team", "plan_date"], ["YP1", "North", "01/04/2025"]]))
    older = tmp_path / "older.duckdb"
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{db}' AS f (READ_ONLY)")
        con.execute(f"ATTACH '{older}' AS g")          # duckdb 2.0's default storage version
        con.execute("COPY FROM DATABASE f TO g")
    os.replace(older, db)
    assert warehouse.storage_version(db) == "v2.0.0+"
    load_into(db, write_csv(tmp_path / "b.csv", [["person_id", "team", "plan_date"], ["YP2", "South", "01/05/2025"]]))
    assert warehouse.storage_version(db) == "v1.4.0+"
    assert query(db, "SELECT team FROM reviews ORDER BY team") == [("North",), ("South",)]
    assert query(db, "SELECT count(*) FROM load_log") == [(2,)]
