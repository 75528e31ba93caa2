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

from core import warehouse_file
from etl import warehouse
from tests.helpers import load_into, query, write_csv

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
    try:
        venv.create(VENV_DIR, with_pip=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"could not make a virtual environment for duckdb=={DUCKDB_1X}: {exc}")
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
    # the contract's descriptions (COMMENT ON) reach a 1.x client too
    assert seen["column_comments"] == query(sample_warehouse, "SELECT count(*) FROM duckdb_columns() "
                                                              "WHERE comment IS NOT NULL")[0][0] > 100


def test_a_new_warehouse_is_written_at_the_storage_version_duckdb_1_4_reads(tmp_path, db):
    load_into(db, write_csv(tmp_path / "p.csv", [["person_id", "team", "plan_date"], ["YP1", "North", "01/04/2025"]]))
    assert warehouse_file.storage_version(db) == f"{warehouse_file.STORAGE_VERSION}+" == "v1.4.0+"


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
    assert warehouse_file.storage_version(db) == "v2.0.0+"
    load_into(db, write_csv(tmp_path / "b.csv", [["person_id", "team", "plan_date"], ["YP2", "South", "01/05/2025"]]))
    assert warehouse_file.storage_version(db) == "v1.4.0+"
    assert query(db, "SELECT team FROM reviews ORDER BY team") == [("North",), ("South",)]
    assert query(db, "SELECT count(*) FROM load_log") == [(2,)]


# ------------------------------------------------------------------ read-write clients cannot block or break it

# An analyst's tool opening the file read-write (the default of duckdb.connect, the DuckDB CLI and DBeaver), then
# running each line it is sent, printing "ok" after each.
READ_WRITE_CLIENT = textwrap.dedent("""
    import sys, duckdb
    try:
        con = duckdb.connect(sys.argv[1])
    except duckdb.Error as exc:
        print(exc, flush=True)
        sys.exit(1)
    print("open", flush=True)
    for line in sys.stdin:
        con.execute(line)
        print("ok", flush=True)
""")


def without_root_rights() -> list[str]:
    """How to run a program as an analyst would, without the right to write a read-only file: as is for an
    ordinary user; for root (as on CI machines), with its file-permission override dropped."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot run a client that file permissions apply to")
    return ["setpriv", "--bounding-set", "-dac_override", "--inh-caps", "-dac_override"]


def read_write_client(db: Path, as_analyst: bool = True) -> subprocess.Popen:
    prefix = without_root_rights() if as_analyst else []
    return subprocess.Popen([*prefix, sys.executable, "-c", READ_WRITE_CLIENT, str(db)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def plans_file(tmp_path, name, person, team="North Leaving Care"):
    return write_csv(tmp_path / name, [["person_id", "team", "plan_date"], [person, team, "01/10/2026"]])


def test_the_published_file_and_the_one_put_back_by_undo_are_read_only(tmp_path, db):
    load_into(db, plans_file(tmp_path, "a.csv", "YP1"))
    assert db.stat().st_mode & 0o777 == 0o444
    load_into(db, plans_file(tmp_path, "b.csv", "YP2"))
    warehouse_file.rollback(db)
    assert db.stat().st_mode & 0o777 == 0o444
    assert query(db, "SELECT count(*) FROM reviews") == [(1,)]


def test_a_read_write_client_fails_at_once_with_a_plain_message_and_holds_nothing(tmp_path, db):
    load_into(db, plans_file(tmp_path, "a.csv", "YP1"))
    client = read_write_client(db)
    out, _ = client.communicate(timeout=30)
    assert client.returncode == 1
    assert f'Cannot open file "{db}": Permission denied' in out
    assert not warehouse_file.wal_path(db).exists()
    load_into(db, plans_file(tmp_path, "b.csv", "YP2"))
    assert query(db, "SELECT count(*) FROM reviews") == [(2,)]


def writable_client_with_changes(db: Path) -> subprocess.Popen:
    """A client that could open the file read-write (root, or a file published before this release was
    read-only), emptied a table and committed, its changes still in its WAL."""
    db.chmod(0o644)
    client = read_write_client(db, as_analyst=False)
    assert client.stdout.readline().strip() == "open", client.stderr.read()
    client.stdin.write("DELETE FROM review_facts\n")
    client.stdin.flush()
    assert client.stdout.readline().strip() == "ok"
    assert warehouse_file.wal_path(db).exists()
    return client


def test_a_killed_read_write_client_changes_nothing_readers_see_and_the_next_load_succeeds(tmp_path, db):
    load_into(db, plans_file(tmp_path, "a.csv", "YP1"), plans_file(tmp_path, "b.csv", "YP2"))
    client = writable_client_with_changes(db)
    client.kill()                        # SIGKILL: no checkpoint, its WAL stays beside the file
    client.wait()
    assert warehouse_file.wal_path(db).exists()
    assert query(db, "SELECT count(*) FROM reviews") == [(2,)]          # not the client's empty table
    assert not warehouse_file.wal_path(db).exists()
    load_into(db, plans_file(tmp_path, "c.csv", "YP3"))
    assert query(db, "SELECT count(*) FROM reviews") == [(3,)]


def test_a_read_write_client_open_during_a_load_then_killed_leaves_pages_and_loads_working(tmp_path, db, monkeypatch):
    """What happened before: the load succeeded, then every reader failed ("WAL does not match database file")
    for as long as the client's WAL stayed beside the new file, even after later loads."""
    from streamlit.testing.v1 import AppTest
    from tests.helpers import ROOT
    load_into(db, plans_file(tmp_path, "a.csv", "YP1"))
    client = writable_client_with_changes(db)
    stale_wal = warehouse_file.wal_path(db).read_bytes()
    load_into(db, plans_file(tmp_path, "b.csv", "YP2"))                # while the client holds the old file
    monkeypatch.setenv("PWP_WAREHOUSE", str(db))
    monkeypatch.setenv("PWP_TODAY", "2026-11-30")
    at = AppTest.from_file(str(ROOT / "pages" / "review_timeliness.py"), default_timeout=60).run()
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    client.kill()
    client.wait()
    warehouse_file.wal_path(db).write_bytes(stale_wal)                      # as if it had landed beside the new file
    assert query(db, "SELECT count(*) FROM reviews") == [(2,)]
    at = AppTest.from_file(str(ROOT / "pages" / "review_timeliness.py"), default_timeout=60).run()
    assert not at.exception and not at.error
    load_into(db, plans_file(tmp_path, "c.csv", "YP3"))
    assert query(db, "SELECT count(*) FROM reviews") == [(3,)]
    assert not warehouse_file.wal_path(db).exists()


@pytest.mark.slow
def test_read_write_clients_during_page_renders_and_loads_fail_fast_and_block_nothing(sample_warehouse, tmp_path):
    from tests.helpers.scripts import LOADER, RENDERER
    from tests.helpers import ROOT
    import time
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(sample_warehouse, db)
    files = [plans_file(tmp_path, f"month_{n}.csv", f"NEW{n}") for n in range(6)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    renderer = subprocess.Popen([sys.executable, "-c", RENDERER, str(ROOT), str(db), "15"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    loader = subprocess.Popen([sys.executable, "-c", LOADER, str(ROOT), str(db), *map(str, files)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    refused = []
    while loader.poll() is None or renderer.poll() is None:
        started = time.monotonic()
        out, _ = read_write_client(db).communicate(timeout=30)
        refused.append((time.monotonic() - started, out))
    assert loader.returncode == 0, loader.stderr.read()
    assert json.loads(loader.stdout.read()) == [1] * 6                   # no lost load
    report = json.loads(renderer.stdout.read().strip().splitlines()[-1])
    assert report["renders"] >= 4 and report["failures"] == 0, report["messages"]
    assert len(refused) >= 3
    assert all("Permission denied" in out and seconds < 10 for seconds, out in refused), refused[:3]
