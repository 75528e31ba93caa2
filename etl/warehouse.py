"""The warehouse file: one writer at a time, many short-lived read-only readers.

DuckDB refuses a writer while any other process holds the file open, even
read-only. So the live file is never written in place: a load copies it,
writes the copy, checkpoints, and swaps it in with an atomic rename. Readers
holding the old file keep reading the old version until they reconnect; a
crash half-way leaves the live file untouched. Previous versions are kept as
hard links in ``<warehouse>.generations/`` for rollback.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
import time
from pathlib import Path

import duckdb

from core import calendar

from . import columns, contract
from core.settings import Settings

SQL_DIR = Path(__file__).parent / "sql"
SCHEMA_VERSION = 7
# Tables derived from the base tables at every load, in dependency order; each is one SELECT in sql/derived/.
# Each is worked out per young person or per form (its key), so a load can refresh only the rows of the people
# and forms it touched.
# Each entry: table -> (key, the temp table of keys an incremental refresh works out again).
DERIVED = {"review_facts": ("person_key", "touched_persons"),
           "young_people_facts": ("person_key", "touched_persons"), "form_links": ("response_id", "touched_forms"),
           # a form's ratings only change where its answers were loaded again or its link (plan, team) changed
           "rating_facts": ("response_id", "rated_forms")}
TOUCHED = {"touched_persons": "person_key", "touched_forms": "response_id", "rated_forms": "response_id"}
# Load-time tables of earlier versions, dropped when a warehouse is upgraded.
RETIRED = ("indicator_facts", "plan_quality_facts", "plan_verdicts", "authorities_with_actions")
# Views in dependency order; each is one file in sql/views/.
VIEWS = ("reviews", "young_people", "traffic_light_ratings", "traffic_light_responses", "traffic_light_comments",
         "plan_indicators", "plan_quality",
         "load_log", "rejected_rows", "load_warnings")
PUBLIC_VIEWS = ("young_people", "reviews", "traffic_light_ratings", "plan_indicators", "load_log", "rejected_rows")
# Analysts open the published file from their own tools, many still on DuckDB 1.x (the CLI, R, the ODBC driver
# Power BI uses): they read storage versions up to v1.4.0 and refuse duckdb 2.0's own (v2.0.0). A working copy is
# created at this version and a byte copy keeps it, so loads pay nothing for it; an older file is rewritten once.
STORAGE_VERSION = "v1.4.0"
# The published file is read-only: a tool opening it read-write (the default of the DuckDB CLI, duckdb.connect,
# DBeaver) fails at once ("Permission denied") instead of locking every reader out or leaving a stale WAL.
PUBLISHED_MODE = 0o444


class LoadBusy(RuntimeError):
    pass


def _config() -> dict:
    # Extensions cannot be downloaded here, and nothing should be fetched behind a data officer's back.
    return {"autoload_known_extensions": False, "autoinstall_known_extensions": False}


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # No progress bars on stdout: the command's own summary is what a data officer reads.
    con.execute("SET enable_progress_bar = false").fetchall()
    return con


def connect_read_only(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A short-lived read-only connection; close it promptly (use ``with``).

    A WAL beside the published file is never ours (see remove_foreign_wal): it is removed, so that no reader fails
    on it or sees a killed client's changes, when DuckDB cannot replay it onto this file, or when this connection
    holds the file (then no read-write client can be alive: it would hold the file alone)."""
    path = Path(path)
    try:
        con = _open_read_only(path)
    except duckdb.IOException as exc:
        if "WAL" not in str(exc):        # e.g. "WAL does not match database file"; not a lock held by a live client
            raise
        remove_foreign_wal(path)
        return _open_read_only(path)
    if wal_path(path).exists():
        con.close()
        remove_foreign_wal(path)
        con = _open_read_only(path)
    return con


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return _quiet(duckdb.connect(str(path), read_only=True, config=_config()))


def connect_writer(path: str | Path) -> duckdb.DuckDBPyConnection:
    return _quiet(duckdb.connect(str(path), config=_config()))


def connect_memory() -> duckdb.DuckDBPyConnection:
    """A private in-memory database, for looking at a file without loading it."""
    return _quiet(duckdb.connect(config=_config()))


def version(path: str | Path) -> tuple[int, int] | None:
    """Changes whenever a load swaps in a new file: a cache key for readers."""
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns


def generations_dir(path: Path) -> Path:
    return path.with_name(path.name + ".generations")


@contextlib.contextmanager
def load_lock(path: Path, timeout: int, on_wait=None):
    """Serialise loads: a second load waits for the first (up to `timeout` seconds), never interleaves.

    The lock is an flock on ``<warehouse>.lock``, so a killed load holds nothing; the file is removed when a
    load ends, and a load that finds it removed while it waited locks the new one instead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    deadline = time.monotonic() + timeout
    told = False
    while True:
        fh = open(lock_path, "a+")
        try:
            while True:
                try:
                    fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if not told and on_wait:
                        on_wait("Another load is running on this warehouse; waiting for it to finish…")
                        told = True
                    if time.monotonic() > deadline:
                        raise LoadBusy(f"Another load has held the warehouse for over {timeout} seconds; try again later")
                    time.sleep(0.2)
        except BaseException:
            fh.close()
            raise
        try:
            same = os.stat(lock_path).st_ino == os.fstat(fh.fileno()).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        fh.close()           # its holder removed it as it finished: lock the file there now
    try:
        remove_stale_copies(path)
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def _working_copy_name(path: Path, pid: int) -> Path:
    return path.with_name(f".{path.name}.loading-{pid}")


def remove_stale_copies(path: Path) -> list[Path]:
    """Working copies (and their .wal) left by loads that were killed: their process is gone. Called under the
    lock, so no live load of this warehouse can own one."""
    removed = []
    for leftover in path.parent.glob(f".{path.name}.loading-*"):
        pid = leftover.name.rsplit("-", 1)[-1].removesuffix(".wal")
        if pid.isdigit() and (int(pid) == os.getpid() or not _alive(int(pid))):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def working_copy(path: Path) -> Path:
    """A private copy of the live warehouse (or a new file) for a load to write."""
    tmp = _working_copy_name(path, os.getpid())
    for leftover in (tmp, Path(str(tmp) + ".wal")):
        leftover.unlink(missing_ok=True)
    if path.exists():
        shutil.copyfile(path, tmp)       # the file alone: a WAL beside it was left by some other program
        _to_storage_version(tmp)
    else:
        _create_at_storage_version(tmp)
    return tmp


def storage_version(path: Path) -> str:
    """How DuckDB names the storage version of a file: 'v1.4.0+' is readable by DuckDB 1.4 and later."""
    with connect_memory() as con:
        con.execute(f"ATTACH {_quoted(path)} AS f (READ_ONLY)")
        return con.execute("SELECT tags['storage_version'] FROM duckdb_databases() WHERE database_name = 'f'").fetchall()[0][0]


def _create_at_storage_version(path: Path) -> None:
    with connect_memory() as con:
        con.execute(f"ATTACH {_quoted(path)} AS f (STORAGE_VERSION '{STORAGE_VERSION}')")


def _to_storage_version(path: Path) -> None:
    """A file written at another storage version (by an earlier release) rewritten at STORAGE_VERSION, in place."""
    if storage_version(path) == STORAGE_VERSION + "+":
        return
    rewritten = path.with_name(path.name + ".rewrite")
    rewritten.unlink(missing_ok=True)
    try:
        with connect_memory() as con:
            con.execute(f"ATTACH {_quoted(path)} AS f (READ_ONLY)")
            con.execute(f"ATTACH {_quoted(rewritten)} AS g (STORAGE_VERSION '{STORAGE_VERSION}')")
            con.execute("COPY FROM DATABASE f TO g")
        os.replace(rewritten, path)
    finally:
        rewritten.unlink(missing_ok=True)


def _quoted(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def remove_foreign_wal(path: Path) -> None:
    """Remove a WAL left beside the published file by another program: a read-write client killed half-way, whose
    WAL keeps every reader failing once a load has replaced the file. Only a load writes the published file, and
    it checkpoints its copy before the swap, so a WAL beside it is never ours."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        wal_path(path).unlink()


def publish(tmp: Path, path: Path, keep: int) -> None:
    """Atomically make `tmp` the live warehouse, keeping the old one as a generation."""
    if path.exists() and keep > 0:
        gens = generations_dir(path)
        gens.mkdir(exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        os.link(path, gens / f"{stamp}.duckdb")
        for old in sorted(gens.glob("*.duckdb"))[:-keep]:
            old.unlink()
    os.chmod(tmp, PUBLISHED_MODE)
    os.replace(tmp, path)
    remove_foreign_wal(path)


def generations(path: Path) -> list[Path]:
    """The previous versions kept for rollback, oldest first."""
    return sorted(generations_dir(Path(path)).glob("*.duckdb"))


def rollback(path: Path) -> Path:
    """Put back the most recent previous version; returns the generation restored."""
    gens = generations(path)
    if not gens:
        raise FileNotFoundError(f"No previous version of {path} is kept, so there is nothing to roll back to")
    newest = gens[-1]
    os.replace(newest, path)
    remove_foreign_wal(path)
    return newest


def apply_schema(con, settings: Settings, derive: bool = True) -> None:
    """Create or upgrade base tables; refresh the calendar, settings and stage tables;
    with `derive`, also the load-time tables and the views (a load does that once, at its end)."""
    con.execute((SQL_DIR / "schema.sql").read_text())
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'calendar'").fetchall()[0][0]:
        con.register("calendar_frame", calendar.calendar_frame())
        con.execute("CREATE TABLE calendar AS SELECT CAST(day AS DATE) AS day, is_working_day, "
                    "CAST(working_day_number AS INTEGER) AS working_day_number, quarter FROM calendar_frame ORDER BY day")
        con.unregister("calendar_frame")
    con.execute("DELETE FROM stages")
    con.executemany("INSERT INTO stages VALUES (?, ?)", list(enumerate(columns.STAGES, start=1)))
    con.execute("""
        CREATE OR REPLACE TABLE settings AS SELECT
            ?::INTEGER AS schema_version, ?::INTEGER AS minutes_due_working_days, ?::INTEGER AS due_soon_working_days,
            ?::INTEGER AS review_interval_months, ?::INTEGER AS england_start_age, ?::INTEGER AS wales_start_age,
            ?::INTEGER AS wales_assessment_months, ?::INTEGER AS small_number_max, ?::DATE AS today_override""",
                [SCHEMA_VERSION, settings.minutes_due_working_days, settings.due_soon_working_days,
                 settings.review_interval_months, settings.england_start_age, settings.wales_start_age,
                 settings.wales_assessment_months, settings.small_number_max, settings.today_date])
    if derive:
        refresh_derived(con)


def refresh_derived(con, incremental: bool = False, timings: dict | None = None) -> str:
    """Work out the load-time tables from the base tables, then (re)create the public views on them.

    Incremental: only the rows of the young people and forms in temp tables touched_persons / touched_forms, and
    the ratings of the forms in rated_forms (answers loaded again) or whose link came out different (every other
    row depends only on its own person's or form's base rows). Falls back to a full refresh
    when a table is missing. Returns "incremental" or "full".
    """
    for table in RETIRED:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    for table, key in TOUCHED.items():
        con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table} ({key} VARCHAR)")
    existing = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
    incremental = incremental and all(t in existing for t in DERIVED)
    for table, scope in DERIVED.items():
        t0 = time.perf_counter()
        _scope_views(con, everything=not incremental)
        select = (SQL_DIR / "derived" / f"{table}.sql").read_text().strip().rstrip(";")
        if incremental:
            key, touched = scope
            if table == "form_links":
                con.execute("CREATE OR REPLACE TEMP TABLE links_before AS SELECT * FROM form_links "
                            "WHERE response_id IN (SELECT response_id FROM touched_forms)")
            con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {touched})")
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM (\n{select}\n)")
            if table == "form_links":      # the forms whose link came out different: their ratings follow
                con.execute("INSERT INTO rated_forms SELECT response_id FROM (SELECT * FROM form_links WHERE response_id "
                            "IN (SELECT response_id FROM touched_forms) EXCEPT SELECT * FROM links_before)")
        else:
            con.execute(f"CREATE OR REPLACE TABLE {table} AS\n{select}")
        if timings is not None:
            timings[f"derived table {table}"] = timings.get(f"derived table {table}", 0.0) + time.perf_counter() - t0
    for view in VIEWS:
        con.execute((SQL_DIR / "views" / f"{view}.sql").read_text())
    contract.write_comments(con, VIEWS)
    return "incremental" if incremental else "full"


def _scope_views(con, everything: bool) -> None:
    """The scope_* views of sql/derived/_scope.sql; one over a load-time table not made yet comes on a later pass."""
    sql = (SQL_DIR / "derived" / "_scope.sql").read_text().replace("{everything}", str(everything).lower())
    for statement in filter(str.strip, sql.split(";")):
        try:
            con.execute(statement)
        except duckdb.CatalogException:
            pass


def schema_version(path: Path) -> int | None:
    with connect_read_only(path) as con:
        try:
            return con.execute("SELECT schema_version FROM settings").fetchall()[0][0]
        except duckdb.Error:
            return None
