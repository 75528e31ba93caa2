"""The first visit after a load or a restart finds its queries ready (issue 22: "prepare the new version's default
views right after the swap"; issue 23: the first page view after a load or a restart under 2 s), for every scope
that signs in, not only the admin's."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

import queries
from app import data
from queries.filters import ADMIN, Filters, Scope, default_quarter
from tests.helpers.access import ACCESS_TOML, IRO, TEAM

TEAM_MANAGER = Scope("team_manager", teams=(TEAM,))
THE_IRO = Scope("iro", iro=IRO)


def _finish_warm_up() -> None:
    for future in list(data._WARMING):
        future.result(timeout=120)


def _overview_filters(db, scope: Scope) -> Filters:
    summary = queries.warehouse_summary(db, scope=scope)
    today = pd.Timestamp(summary["today"].iloc[0]).date()
    first = default_quarter(queries.quarters(db, scope=scope)["quarter"].tolist(), today)
    return Filters(quarters=(first,))


@pytest.fixture
def signed_in(sample_warehouse, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(sample_warehouse, db)
    (tmp_path / "access.toml").write_text(ACCESS_TOML)
    monkeypatch.setenv("PWP_AUTH_MODE", "header")
    monkeypatch.setenv("PWP_ACCESS_FILE", str(tmp_path / "access.toml"))
    monkeypatch.setenv("PWP_WAREHOUSE", str(db))
    data.clear()
    yield db
    _finish_warm_up()
    data.clear()


def _count_queries(monkeypatch) -> list[str]:
    """The names of the named queries the app runs from now on (the real ones, run as before)."""
    ran = []
    original = data._run

    def counted(name, *args, **kwargs):
        ran.append(name)
        return original(name, *args, **kwargs)

    monkeypatch.setattr(data, "_run", counted)
    return ran


def test_the_default_scopes_are_the_admins_then_each_case_level_entry_of_the_access_file(signed_in):
    scopes = data.default_scopes()
    assert scopes[0] == ADMIN
    assert set(scopes) == {ADMIN, Scope("manager"), TEAM_MANAGER, THE_IRO}     # the panel runs no dashboard query


def test_a_warm_up_prepares_each_signed_in_scopes_overview_for_its_default_quarter(signed_in, monkeypatch):
    db = str(signed_in)
    data.warm_up(db)
    _finish_warm_up()
    defaults = {scope: _overview_filters(db, scope) for scope in (TEAM_MANAGER, THE_IRO, Scope("manager"), ADMIN)}
    ran = _count_queries(monkeypatch)
    for scope, filters in defaults.items():      # what each one's first visit asks for
        for name in ("warehouse_summary", "quarters", "filter_options"):
            data.get(name, db, Filters(), scope)
        data.get("headline", db, filters, scope)
        data.get("out_of_date_now", db, filters, scope)
        assert ran == [], scope


def test_local_mode_warms_only_the_admins_view(signed_in, monkeypatch):
    monkeypatch.setenv("PWP_AUTH_MODE", "local")
    assert data.default_scopes() == [ADMIN]


def test_a_new_swap_stops_a_warm_up_and_the_swap_never_waits_for_every_scope(signed_in):
    data.warm_up(str(signed_in))
    data.before_swap()            # returns once the running query is done: nothing is left warming
    assert all(future.done() for future in data._WARMING) and not data._STOP.is_set()


def test_people_opening_the_same_view_at_once_build_it_once():
    """Issue 23: ten sessions opening a page together each built every figure (holding the GIL); the others now wait
    for the first one's build and draw the same result."""
    import threading
    import time

    data.clear()
    builds, results = [], []
    start = threading.Barrier(6)

    def build():
        builds.append(1)
        time.sleep(0.2)                 # a build long enough for every other caller to arrive meanwhile
        return object()

    def visitor():
        start.wait()
        results.append(data.built(("page", "section", "same view"), build))

    threads = [threading.Thread(target=visitor) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len(builds) == 1 and len(results) == 6 and len({id(r) for r in results}) == 1
    data.clear()
