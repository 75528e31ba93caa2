"""Shared fixtures (the helpers they use are tests/helpers)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from core.settings import load_settings


def _clear_streamlit_cache() -> None:
    streamlit = sys.modules.get("streamlit")
    if streamlit is not None:
        streamlit.cache_data.clear()


@pytest.fixture(autouse=True)
def fresh_streamlit_cache():
    """st.cache_data is shared across the whole test process: every test starts and ends with it empty."""
    _clear_streamlit_cache()
    yield
    _clear_streamlit_cache()


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory) -> Path:
    """The embedded sample warehouse, built once per test session from sample_data/."""
    from etl.sample import build_sample_warehouse
    path = tmp_path_factory.mktemp("sample") / "warehouse.duckdb"
    build_sample_warehouse(load_settings(env={}, warehouse=str(path)))
    return path


@pytest.fixture(autouse=True)
def audit_log_in_tmp(tmp_path_factory, monkeypatch):
    """Pages write the audit log: keep every test's entries out of the project's data/ folder."""
    monkeypatch.setenv("PWP_AUDIT_LOG", str(tmp_path_factory.mktemp("audit") / "audit.sqlite"))


@pytest.fixture(autouse=True)
def follow_up_store_in_tmp(tmp_path_factory, monkeypatch):
    """The Follow-up page writes the follow-up store: keep it out of the project's data/ folder, one per test."""
    path = tmp_path_factory.mktemp("follow_up") / "follow_up.sqlite"
    monkeypatch.setenv("PWP_FOLLOW_UP_STORE", str(path))
    return path
