"""Cached access to the named queries: keyed on the warehouse version, so a new load shows without a restart.

Two layers:
* `get`: a named query's DataFrame (st.cache_data: each caller gets its own copy).
* `built`: what a page makes from those frames (a finished figure, the table behind it), kept as built, so a
  rerun with the same warehouse, filters, scope and choices draws it again without rebuilding anything. Building
  plotly figures and preparing tables took most of a warm page run (0.3-0.7 s at national scale).
"""
from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections import OrderedDict
from typing import Callable, TypeVar

import pandas as pd
import streamlit as st

import queries
from etl import warehouse
from queries.filters import Filters, Scope

T = TypeVar("T")


@st.cache_data(show_spinner=False, max_entries=2000)
def _cached(name: str, db: str, db_version, today: dt.date, filters: Filters, scope: Scope, kwargs: tuple) -> pd.DataFrame:
    return getattr(queries, name)(db, filters, scope, **dict(kwargs))


def get(name: str, db: str, filters: Filters, scope: Scope, **kwargs) -> pd.DataFrame:
    """queries.<name>(db, filters, scope, **kwargs), cached per warehouse version (and day: figures that depend on
    today, such as overdue, move on at midnight even when nothing is loaded)."""
    return _cached(name, db, warehouse.version(db), dt.date.today(), filters, scope, tuple(sorted(kwargs.items())))


def fetch(name: str, db: str, filters: Filters, scope: Scope, **kwargs) -> pd.DataFrame:
    """queries.<name>, not cached: for a download made when clicked (e.g. the whole of a list the page shows
    only the start of), which should not keep a large frame in the cache."""
    return getattr(queries, name)(db, filters, scope, **kwargs)


# --- things built from query results ---------------------------------------------------------------------------
# A plain dict, not st.cache_data: that would pickle and unpickle every figure on every hit. Values are shared, so
# callers must treat them as read-only (st.plotly_chart and st.dataframe copy what they send). The key must hold
# everything the value depends on (Context.section builds it: page, section, warehouse version, day, filters,
# scope and the page's own choices); the scope is always in it, so one role never sees another's rows.

BUILT_MAX_ENTRIES = 256
_BUILT: OrderedDict = OrderedDict()
_BUILT_LOCK = threading.Lock()
_built_generation: str | None = None


@st.cache_data(show_spinner=False, max_entries=1)
def _generation() -> str:
    """Changes whenever st.cache_data is cleared (after a load, in tests), which empties `built` too."""
    return uuid.uuid4().hex


def built(key: tuple, build: Callable[[], T]) -> T:
    """build(), remembered under `key` (most recently used BUILT_MAX_ENTRIES kept)."""
    global _built_generation
    generation = _generation()
    with _BUILT_LOCK:
        if generation != _built_generation:
            _BUILT.clear()
            _built_generation = generation
        if key in _BUILT:
            _BUILT.move_to_end(key)
            return _BUILT[key]
    value = build()
    with _BUILT_LOCK:
        if generation == _built_generation:
            _BUILT[key] = value
            while len(_BUILT) > BUILT_MAX_ENTRIES:
                _BUILT.popitem(last=False)
    return value


def clear() -> None:
    """Forget every query result and everything built from them."""
    _cached.clear()
    _generation.clear()
    with _BUILT_LOCK:
        _BUILT.clear()
