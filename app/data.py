"""Cached access to the named queries: keyed on the warehouse version, so a new load shows without a restart."""
from __future__ import annotations

import pandas as pd
import streamlit as st

import queries
from etl import warehouse
from queries.filters import Filters, Scope


@st.cache_data(show_spinner=False, max_entries=2000)
def _cached(name: str, db: str, db_version, filters: Filters, scope: Scope, kwargs: tuple) -> pd.DataFrame:
    return getattr(queries, name)(db, filters, scope, **dict(kwargs))


def get(name: str, db: str, filters: Filters, scope: Scope, **kwargs) -> pd.DataFrame:
    """queries.<name>(db, filters, scope, **kwargs), cached per warehouse version."""
    return _cached(name, db, warehouse.version(db), filters, scope, tuple(sorted(kwargs.items())))


def fetch(name: str, db: str, filters: Filters, scope: Scope, **kwargs) -> pd.DataFrame:
    """queries.<name>, not cached: for a download made when clicked (e.g. the whole of a list the page shows
    only the start of), which should not keep a large frame in the cache."""
    return getattr(queries, name)(db, filters, scope, **kwargs)
