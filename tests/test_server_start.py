"""The first page view after a restart (issue 23: under 2 s): the server prepares it when it starts, before any browser
comes, with the README's run command unchanged.

`streamlit run dashboard.py` finds `streamlit_app` (an st.App) in dashboard.py and serves it; its start-up
(app/server.py) imports what a page run needs and starts the same warm-up a load starts (app/data.py). Before, nothing
of ours ran until the first person's page did, and that person waited for it all.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app import data, server
from tests.helpers import ROOT
from tests.helpers import browser as bs
from tests.helpers.access import ACCESS_TOML


def readme_run_command() -> list[str]:
    """The README's command that starts the dashboard, as arguments to streamlit."""
    block = (ROOT / "README.md").read_text().split("## Set-up: two commands")[1].split("```sh")[1].split("```")[0]
    start = block.strip().splitlines()[0].split("#")[0].split("&&")[1].split()
    assert start[0] == ".venv/bin/streamlit", start
    return start[1:]


@pytest.mark.slow
def test_the_server_prepares_every_scopes_first_view_before_any_browser_comes(sample_warehouse, tmp_path, monkeypatch):
    """The README's command on a copy of the sample warehouse, header sign-in: the server's log says the warm-up is
    done for the admin and every case-level entry of the access file, while no page has run (a page run, signed in
    or not, writes the audit log: it is still absent). Only its health check has been asked for."""
    assert readme_run_command() == ["run", "dashboard.py"]      # what bs.streamlit_server runs, with a port
    env = bs.header_sign_in_env(sample_warehouse, tmp_path, ACCESS_TOML)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    scopes = len(data.default_scopes())
    assert scopes == 4                          # the admin, the manager, the team manager, the IRO
    with bs.streamlit_server(env, bs.ARTIFACTS / "logs" / "server_start.log", [bs.TRUSTED_HEADER_ARG]) as running:
        deadline = time.monotonic() + 180
        while data.WARMED not in running.log_path.read_text() and time.monotonic() < deadline:
            assert running.process.poll() is None, running.log_tail()
            time.sleep(0.2)
        log = running.log_path.read_text()
        assert data.WARMED in log, f"no warm-up in the server's log:\n{running.log_tail()}"
        assert f"{data.WARMED}: the first views of {scopes} scope(s) ready" in log, running.log_tail()
        assert not (tmp_path / "audit.sqlite").exists(), "a page ran: the warm-up was not the server's own"
        with urllib.request.urlopen(running.url, timeout=30) as answer:     # and the server serves the dashboard
            assert answer.status == 200 and b"<noscript>" in answer.read()


def test_streamlit_run_finds_the_dashboards_app_and_importing_it_is_light():
    """Streamlit's own discovery finds `streamlit_app` in dashboard.py (so `streamlit run dashboard.py` serves it), and
    importing dashboard.py, as the server does before it answers anything, loads none of the heavy modules: those load
    in the start-up thread, so the health check never waits for them."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "dashboard.py")
    assert found.is_asgi_app and found.import_string == "dashboard:streamlit_app"
    code = ("import sys, dashboard, streamlit as st; assert isinstance(dashboard.streamlit_app, st.App); "
            "print(sorted(m for m in ('pandas', 'duckdb', 'pyarrow', 'app.data', 'queries') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_page_run_never_makes_a_server(sample_warehouse, monkeypatch):
    """Each page run executes dashboard.py as the script (AppTest too): it draws the page, and never builds the
    st.App, which only the server's import of the file does."""
    monkeypatch.setenv("PWP_WAREHOUSE", str(sample_warehouse))
    made = []
    monkeypatch.setattr(st, "App", lambda *args, **kwargs: made.append(args))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(m.label == "Reviews held" for m in at.metric)       # the Overview, drawn
    at.run()
    assert made == []


@pytest.mark.parametrize("headless", [False, True])
def test_the_browser_opens_at_start_as_streamlit_run_does_unless_headless(monkeypatch, headless):
    """`streamlit run` opens a plain script in the computer's browser unless headless, and skips that for an st.App:
    the start-up does it instead, at the address the server listens on."""
    from streamlit import cli_util, config

    opened = []
    monkeypatch.setattr(cli_util, "open_browser", opened.append)
    before = {name: (config.get_option(name), config._config_options[name].where_defined)
              for name in ("server.headless", "server.address", "server.port")}
    try:
        config.set_option("server.headless", headless, "test")
        config.set_option("server.address", "127.0.0.1", "test")
        config.set_option("server.port", 8765, "test")
        server.open_browser()
    finally:
        for name, (value, where) in before.items():
            config.set_option(name, value, where)
    assert opened == ([] if headless else ["http://127.0.0.1:8765"])
