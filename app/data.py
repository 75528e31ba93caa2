"""Cached access to the named queries: keyed on the warehouse version, so a new load shows without a restart.

Two layers, both emptied whenever st.cache_data is cleared (after a load, in tests):
* `get`: a named query's DataFrame (each caller gets its own copy). `prefetch` runs a page's queries ahead, in the
  background on one shared read-only connection, so a first visit does not open a connection for each.
* `built`: what a page makes from those frames (a finished figure, the table behind it), kept as built, so a
  rerun with the same warehouse, filters, scope and choices draws it again without rebuilding anything. Building
  plotly figures and preparing tables took most of a warm page run (0.3-0.7 s at national scale).
"""
from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, TypeVar

import pandas as pd
import streamlit as st
from streamlit.logger import get_logger

import queries
from core import warehouse_file
from queries import runner
from queries.filters import Filters, Scope
from queries.warehouse import Warehouse

T = TypeVar("T")


@st.cache_data(show_spinner=False, max_entries=1)
def _generation() -> str:
    """Changes whenever st.cache_data is cleared (after a load, in tests, by the benchmarks), which empties both
    caches here too."""
    return uuid.uuid4().hex


class _Cache:
    """A thread-safe LRU dict, emptied when the st.cache_data generation changes. Plain Python, not st.cache_data:
    that would pickle and unpickle every value (every figure, every frame) on every hit."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self.values: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.generation: str | None = None

    def get(self, key, generation: str, default=None):
        with self.lock:
            if generation != self.generation:
                self.values.clear()
                self.generation = generation
            if key in self.values:
                self.values.move_to_end(key)
                return self.values[key]
            return default

    def put(self, key, value, generation: str) -> None:
        with self.lock:
            if generation != self.generation:      # cleared while this value was being made: it may be stale
                return
            self.values[key] = value
            self.values.move_to_end(key)
            while len(self.values) > self.max_entries:
                self.values.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.values.clear()


_MISSING = object()
_RESULTS = _Cache(max_entries=2000)
_PENDING: dict[tuple, threading.Event] = {}       # query results a prefetch worker is making
_PENDING_LOCK = threading.Lock()
_WORKERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="prefetch")
# Workers per prefetch. One is as fast as two on the 2-core machine this is sized for (each DuckDB query already
# uses both cores; measured at national scale): what saves the time is one connection for all of a page's queries,
# and the queries running while the page builds its charts.
PREFETCH_WORKERS = 1


def _key(name: str, db: str, filters: Filters, scope: Scope, kwargs: dict) -> tuple:
    # The day is in the key: figures that depend on today (overdue, out of date) move on at midnight even when
    # nothing is loaded.
    return (name, str(db), _version(db), dt.date.today(), filters, scope, tuple(sorted(kwargs.items())))


def _version(db) -> tuple | None:
    """A page run's handle carries the version it saw (stat'ed once per run); a bare path is stat'ed here."""
    return db.version if isinstance(db, Warehouse) else warehouse_file.version(db)


def _run(name: str, db: str, filters: Filters, scope: Scope, kwargs: dict) -> pd.DataFrame:
    return getattr(queries, name)(db, filters, scope, **kwargs)


def get(name: str, db: str, filters: Filters, scope: Scope, **kwargs) -> pd.DataFrame:
    """queries.<name>(db, filters, scope, **kwargs), cached per warehouse version and day; the caller's own copy."""
    generation = _generation()
    key = _key(name, db, filters, scope, kwargs)
    df = _RESULTS.get(key, generation, _MISSING)
    if df is _MISSING:
        with _PENDING_LOCK:
            pending = _PENDING.get(key)
        if pending is not None:         # a prefetch worker is on it: wait rather than run it twice
            pending.wait(timeout=600)
            df = _RESULTS.get(key, generation, _MISSING)
    if df is _MISSING:                  # not prefetched, or the prefetch failed: run it here (and raise here)
        df = _run(name, db, filters, scope, kwargs)
        _RESULTS.put(key, df, generation)
    return df.copy()


def prefetch(db: str, filters: Filters, scope: Scope, requests: Iterable[str | tuple[str, dict]]) -> None:
    """Start running these named queries (a name, or (name, kwargs)) that are not cached yet, in the background
    (PREFETCH_WORKERS workers, each on one read-only connection). `get` then waits for a result instead of running
    the query itself. List them in the order the page needs them."""
    generation = _generation()
    todo = []
    with _PENDING_LOCK:
        for request in requests:
            name, kwargs = (request, {}) if isinstance(request, str) else request
            key = _key(name, db, filters, scope, kwargs)
            if key in _PENDING or _RESULTS.get(key, generation, _MISSING) is not _MISSING:
                continue
            _PENDING[key] = threading.Event()
            todo.append((key, name, kwargs))
    if not todo:
        return

    def work(share):
        try:
            with runner.reusing_connection(db):
                for key, name, kwargs in share:
                    try:
                        _RESULTS.put(key, _run(name, db, filters, scope, kwargs), generation)
                    except Exception:   # noqa: BLE001  get() runs it again in the page and shows that error
                        pass
                    finally:
                        with _PENDING_LOCK:
                            event = _PENDING.pop(key, None)
                        if event is not None:
                            event.set()
        finally:                        # the connection could not be opened: let get() run what is left
            for key, _, _ in share:
                with _PENDING_LOCK:
                    event = _PENDING.pop(key, None)
                if event is not None:
                    event.set()

    for i in range(min(PREFETCH_WORKERS, len(todo))):
        _WORKERS.submit(work, todo[i::PREFETCH_WORKERS])


def fetch(name: str, db: str, filters: Filters, scope: Scope, **kwargs) -> pd.DataFrame:
    """queries.<name>, not cached: for a download made when clicked (e.g. the whole of a list the page shows
    only the start of), which should not keep a large frame in the cache."""
    return _run(name, db, filters, scope, kwargs)


# --- things built from query results ---------------------------------------------------------------------------
# Values are shared, so callers must treat them as read-only (st.plotly_chart and st.dataframe copy what they send).
# The key must hold everything the value depends on (Context.section builds it: page, section, warehouse version,
# day, filters, scope and the page's own choices); the scope is always in it, so one role never sees another's rows.

_BUILT = _Cache(max_entries=128)


_BUILDING: dict[tuple, threading.Lock] = {}      # one lock per key being built, so it is built once
_BUILDING_LOCK = threading.Lock()


def built(key: tuple, build: Callable[[], T]) -> T:
    """build(), remembered under `key` (the most recently used 128 kept). People opening the same view at once wait
    for the first one's build instead of each building it (ten at once each built every figure, holding the GIL)."""
    generation = _generation()
    value = _BUILT.get(key, generation, _MISSING)
    if value is not _MISSING:
        return value
    with _BUILDING_LOCK:
        lock = _BUILDING.setdefault(key, threading.Lock())
    try:
        with lock:
            value = _BUILT.get(key, generation, _MISSING)
            if value is _MISSING:         # the first here: build it (an error is raised here, and the next one tries)
                value = build()
                _BUILT.put(key, value, generation)
    finally:
        with _BUILDING_LOCK:
            if _BUILDING.get(key) is lock and not lock.locked():
                del _BUILDING[key]
    return value


def default_scopes() -> list[Scope]:
    """Whose first views a warm-up prepares: the all-teams view first (an admin: the one who loads, and local mode's
    only user), then, with sign-in, each scope in the access file (a manager's all teams, each team manager's teams,
    each IRO's name). The panel runs none of these queries: its report is built apart."""
    from core.settings import load_settings
    from queries.filters import ADMIN

    scopes = [ADMIN]
    try:
        settings = load_settings()
        if settings.auth_mode != "local":
            from app import access
            scopes += [scope for scope in access.load_access(settings.access_file).values() if scope.case_level]
    except Exception:   # noqa: BLE001  an unreadable access file is reported to whoever signs in, not here
        pass
    return list(dict.fromkeys(scopes))


def _warm_scope(db: str, scope: Scope, store_version) -> None:
    """What this scope sees first: the sidebar's choices and the Overview for the default period."""
    from queries.filters import default_quarter

    prefetch(db, Filters(), scope, ["warehouse_summary", "quarters", "filter_options"])
    summary = get("warehouse_summary", db, Filters(), scope)
    quarters = get("quarters", db, Filters(), scope)["quarter"].tolist()
    get("filter_options", db, Filters(), scope)
    first = default_quarter(quarters, pd.Timestamp(summary["today"].iloc[0]).date())
    filters = Filters(quarters=(first,) if first else ())
    prefetch(db, filters, scope, ["headline", ("attention", {"store_version": store_version}), "out_of_date_now"])
    for name, kwargs in (("headline", {}), ("attention", {"store_version": store_version}), ("out_of_date_now", {})):
        get(name, db, filters, scope, **kwargs)


def warm_up(db: str) -> None:
    """Right after a load (or the sample build) swaps in a new warehouse version, and when a server process starts
    (keep_warm): run, in the background, the queries of what each scope's first visitor sees (default_scopes), so the
    first visit after a load or a restart does not wait for them. The swap never waits for it (it runs after), and a
    new swap stops it (before_swap)."""
    from core.settings import load_settings
    from queries import follow_up_store
    from queries.filters import ADMIN

    version = warehouse_file.version(db)

    def work():
        started = time.perf_counter()
        try:
            store_version = follow_up_store.version(load_settings().follow_up_store)
            scopes = default_scopes()
            if len(scopes) > 1 or scopes[0] != ADMIN:
                prefetch(db, Filters(), ADMIN, ["iros"])     # names that match nothing in the data are looked for
            for scope in scopes:
                if _STOP.is_set() or warehouse_file.version(db) != version:
                    return          # a newer version is coming (or came): its own warm-up follows
                try:
                    _warm_scope(db, scope, store_version)
                except Exception:   # noqa: BLE001  only a head start: the page runs (and reports) whatever failed
                    pass
            _LOG.info("%s: the first views of %d scope(s) ready in %.2f s", WARMED, len(scopes),
                      time.perf_counter() - started)
        except Exception:   # noqa: BLE001
            pass

    with _WARM_LOCK:
        _WARMING[:] = [f for f in _WARMING if not f.done()]
        _WARMING.append(_WARMER.submit(work))


# The server's log says when a warm-up has finished (tests/test_server_start.py and bench/concurrency.py look for it).
WARMED = "warm-up done"
_LOG = get_logger(__name__)


# Warm-ups still running (one at a time, in their own thread: they wait for prefetch workers). A connection open while
# a load or undo swaps the file would make DuckDB hand the old file's database to every connection this process opens
# to that path until it closes: so a swap stops them and waits.
_WARMING: list = []
_WARM_LOCK = threading.Lock()
_WARMER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warm-up")
_STOP = threading.Event()


def before_swap() -> None:
    """Stop this process's warm-ups (after the query each is running) and wait for them to close their connections,
    before the warehouse file changes."""
    _STOP.set()
    try:
        while True:
            with _WARM_LOCK:
                if not _WARMING:
                    break
                future = _WARMING.pop()
            try:
                future.result(timeout=120)
            except Exception:   # noqa: BLE001  a warm-up is only a head start
                pass
    finally:
        _STOP.clear()


# How often a server process looks whether a load (from this process, another server, or `python -m etl load`) has
# swapped in a new warehouse version: a stat of the file.
WATCH_SECONDS = 1.0
_WATCHED: set = set()


def keep_warm(db: str) -> None:
    """Once per process and warehouse path (called when the server starts, app/server.py, and on every run, cheap
    after the first): a background thread that warms the default views now (the first visit after a restart) and
    whenever a new version is swapped in by any loader, so the first visit after a load finds them ready. Only in a
    served dashboard: a test's AppTest runs (a stand-in runtime) load and swap files in their own process, where a
    watcher's connection would get in the way."""
    from streamlit.runtime import Runtime
    if not Runtime.exists() or type(Runtime.instance()) is not Runtime:
        return
    with _WARM_LOCK:
        if db in _WATCHED:
            return
        _WATCHED.add(db)
    threading.Thread(target=_watch, args=(db,), daemon=True, name="warehouse-watch").start()


def _watch(db: str) -> None:
    seen = None
    while True:
        try:
            version = warehouse_file.version(db)
            if version is not None and version != seen:
                seen = version
                warm_up(db)
        except Exception:   # noqa: BLE001  keep watching
            pass
        time.sleep(WATCH_SECONDS)


def clear() -> None:
    """Forget every query result and everything built from them."""
    _generation.clear()
    _RESULTS.clear()
    _BUILT.clear()
