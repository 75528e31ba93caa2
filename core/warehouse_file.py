"""The warehouse file: one writer at a time, many short-lived read-only readers.

DuckDB refuses a writer while any other process holds the file open, even
read-only. So the live file is never written in place: a load copies it,
writes the copy, checkpoints, and swaps it in with an atomic rename. Readers
holding the old file keep reading the old version until they reconnect; a
crash half-way leaves the live file untouched. Previous versions are kept as
hard links in ``<warehouse>.generations/`` for rollback.

This module knows the file (connect, version, lock, copy, swap, generations), not what is in it: the tables and
views are etl/warehouse.py's.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
import threading
import time
from pathlib import Path

import duckdb

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
    """A short-lived read-only connection to the version of the file there now; close it promptly (use ``with``).

    DuckDB gives every connection to a path the database its process already has open for that path. So while a
    connection opened before a swap is still open (another session's query, in this server or in one of several),
    a plain connect would read the old version, and a cache keyed on the new version would keep the old figures
    until the next load. Such a connection gets a database of its own instead (a little slower to open).

    A WAL beside the published file is never ours (see remove_foreign_wal): it is removed, so that no reader fails
    on it or sees a killed client's changes, when DuckDB cannot replay it onto this file, or when this connection
    holds the file (then no read-write client can be alive: it would hold the file alone)."""
    path = Path(path)
    key, now = str(path.resolve()), version(path)
    with _OPEN_LOCK:
        held, count = _OPEN.get(key, (now, 0))
        shared = count == 0 or held == now
        if shared:
            _OPEN[key] = (held if count else now, count + 1)
    if not shared:
        return _open_checked(path, _attach_read_only)
    try:
        return _Counted(_open_checked(path, _open_read_only), key)
    except BaseException:
        _release(key)
        raise


def _open_checked(path: Path, opener) -> duckdb.DuckDBPyConnection:
    try:
        con = opener(path)
    except duckdb.IOException as exc:
        if "WAL" not in str(exc):        # e.g. "WAL does not match database file"; not a lock held by a live client
            raise
        remove_foreign_wal(path)
        return opener(path)
    if wal_path(path).exists():
        con.close()
        remove_foreign_wal(path)
        con = opener(path)
    return con


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    return _quiet(duckdb.connect(str(path), read_only=True, config=_config()))


def _attach_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """The file as it is now, in a database of this connection's own (never the one its process has for the path)."""
    con = connect_memory()
    try:
        con.execute(f"ATTACH {_quoted(path)} AS warehouse (READ_ONLY)")
        con.execute("USE warehouse")
    except BaseException:
        con.close()
        raise
    return con


# Per file (resolved path): the version the shared database of this process's plain read-only connections was opened
# on, and how many of them are open. Only connect_read_only opens the live file, so this is all of them.
_OPEN: dict[str, tuple] = {}
_OPEN_LOCK = threading.Lock()


def _release(key: str) -> None:
    with _OPEN_LOCK:
        held, count = _OPEN[key]
        if count > 1:
            _OPEN[key] = (held, count - 1)
        else:
            del _OPEN[key]


class _Counted:
    """A read-only connection (everything is passed to it) that tells connect_read_only when it is closed."""

    def __init__(self, con: duckdb.DuckDBPyConnection, key: str):
        self._con, self._key, self._open = con, key, True

    def __getattr__(self, name):
        return getattr(self._con, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._open:
            self._open = False
            try:
                self._con.close()
            finally:
                _release(self._key)

    def __del__(self):          # a connection dropped without close() (an exception mid-way) still counts down
        with contextlib.suppress(Exception):
            self.close()


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
