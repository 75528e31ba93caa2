"""Past one process: several dashboard servers (behind a reverse proxy, README "Running several server processes")
read one warehouse file while loads swap new versions in.

A load never writes the live file (core/warehouse_file.py): it writes a private copy and renames it over the live
one, so a server holding the old file read-only never blocks it, and each server notices the new version by the
file's identity (warehouse_file.version, in every cached query's key). What these tests pin down:
* a load succeeds while another process holds the warehouse open read-only;
* a connection opened after the swap reads the new version even while one opened before it is still open (DuckDB
  hands every connection to a path the database its process already has open for that path: without care, the
  new version's cache entries would hold the old version's figures until the next load);
* two real `streamlit run dashboard.py` servers on one warehouse both show a load made from a terminal
  (browser test: Chromium, screenshots in test-artifacts/screenshots/several_servers_*.png).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import data
from core import warehouse_file
from queries.filters import ADMIN, Filters
from tests.helpers import ROOT, load_into, query, write_csv
from tests.helpers import browser as bs

NEW_TEAM = "Second Server Team"


def _plans(path, team: str, people: int, day: str = "01/10/2025"):
    return write_csv(path, [["person_id", "team", "plan_date", "plan_id", "date_of_birth"]] +
                     [[f"{team[:3].upper()}-{n}", team, day, f"{team[:3].upper()}-PLAN-{n}", "01/01/2009"]
                      for n in range(1, people + 1)])


def _teams(db) -> set[str]:
    return {row[0] for row in query(db, "SELECT DISTINCT team FROM reviews")}


def test_a_load_succeeds_while_another_process_holds_the_warehouse_read_only(tmp_path, db):
    """A server process holding a read-only connection (DuckDB refuses a writer while any other process holds the
    file) does not block a load: the load writes its own copy and swaps it in."""
    load_into(db, _plans(tmp_path / "first.csv", "First Team", 3))
    held = warehouse_file.connect_read_only(db)
    try:
        done = subprocess.run([sys.executable, "-m", "etl", "load", str(_plans(tmp_path / "second.csv", NEW_TEAM, 4)),
                               "--db", str(db)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr
        assert "loaded 4" in done.stdout
        # the holder still reads the version it opened, whole
        assert {r[0] for r in held.execute("SELECT DISTINCT team FROM reviews").fetchall()} == {"First Team"}
    finally:
        held.close()
    assert _teams(db) == {"First Team", NEW_TEAM}


def test_a_connection_opened_after_a_swap_reads_the_new_version_while_an_older_one_is_still_open(tmp_path, db):
    """One session's query still running as a load swaps the file in (the Data loads page in another session, or a
    load from a terminal): the next query, and the cached named queries keyed on the new version, see the load."""
    load_into(db, _plans(tmp_path / "first.csv", "First Team", 3))
    before = warehouse_file.version(db)
    assert set(data.get("filter_options", str(db), Filters(), ADMIN)["team"]) == {"First Team"}
    running = warehouse_file.connect_read_only(db)          # a query that has not finished yet
    try:
        load_into(db, _plans(tmp_path / "second.csv", NEW_TEAM, 4))
        assert warehouse_file.version(db) != before
        assert _teams(db) == {"First Team", NEW_TEAM}
        assert set(data.get("filter_options", str(db), Filters(), ADMIN)["team"]) == {"First Team", NEW_TEAM}
        assert {r[0] for r in running.execute("SELECT DISTINCT team FROM reviews").fetchall()} == {"First Team"}
    finally:
        running.close()
    # once every old connection is closed, connections share one database again, of the new version
    with warehouse_file.connect_read_only(db) as one, warehouse_file.connect_read_only(db) as two:
        assert one.execute("SELECT count(*) FROM reviews").fetchall() == two.execute(
            "SELECT count(*) FROM reviews").fetchall() == [(7,)]


# ------------------------------------------------------------------------------------------ in the browser

def nginx_site(first: int, second: int, listen: int) -> str:
    """The README's nginx site for the two servers, with oauth2-proxy replaced by the browser tests' sign-in cookie
    (the user it names is what the proxy puts in X-Forwarded-Email, replacing any copy the browser sent)."""
    section = (ROOT / "README.md").read_text().split("## Several server processes on one warehouse")[1].split("\n## ")[0]
    site = section.split("```nginx\n")[1].split("```")[0]
    assert "server 127.0.0.1:8501;" in site and "server 127.0.0.1:8502;" in site and "listen 80;" in site
    site = site.replace("127.0.0.1:8501;", f"127.0.0.1:{first};").replace("127.0.0.1:8502;", f"127.0.0.1:{second};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    kept = [line for line in site.splitlines()
            if not line.strip().startswith(("auth_request ", "auth_request_set ", "error_page 401"))]
    return "\n".join(kept).replace("$pwp_email", f"$cookie_{bs.SESSION_COOKIE}")


def nginx_binary() -> str | None:
    return os.environ.get("PWP_TEST_NGINX") or shutil.which("nginx")


class Nginx:
    """nginx in the foreground with the README's site, its files in `folder`."""

    def __init__(self, binary: str, site: str, folder, port: int):
        folder.mkdir(parents=True, exist_ok=True)
        temp = " ".join(f"{kind}_temp_path {folder};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (folder / "nginx.conf").write_text(
            f"daemon off;\npid {folder}/nginx.pid;\nerror_log {folder}/error.log;\nevents {{}}\n"
            f"http {{\n    access_log {folder}/access.log;\n    {temp}\n{site}\n}}\n")
        self.url, self.folder = f"http://127.0.0.1:{port}", folder
        self.process = subprocess.Popen([binary, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                         "-e", str(folder / "error.log")], stderr=subprocess.STDOUT,
                                        stdout=open(folder / "nginx.out", "w"))

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def teams_in_charts(page) -> str:
    """Every category drawn on every chart of the page, as one string."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .flatMap(gd => (gd._fullData || []).flatMap(t => [...Array.from(t.x || []), ...Array.from(t.y || [])]))
        .map(String).join(' | ')""")


@pytest.mark.browser
def test_two_servers_on_one_warehouse_both_show_a_load_made_from_a_terminal(sample_warehouse, tmp_path):
    """Two `streamlit run dashboard.py` processes (header sign-in) on one copy of the sample warehouse, each open in
    Chromium on Plan quality (and, with nginx installed, a third session through the README's nginx site); a plan
    export for a new team is loaded with `python -m etl load` while every page stays open; each session, moving
    between pages as a person would, then shows the new team, with no restart."""
    import time
    import urllib.request

    import playwright.sync_api as sync_api  # a requirement: missing, this test must fail, not skip

    import queries
    from core.calendar import quarter_bounds
    from queries.filters import default_quarter
    from tests.helpers.access import ACCESS_TOML

    env = bs.header_sign_in_env(sample_warehouse, tmp_path, ACCESS_TOML)
    db, trusted = Path(env["PWP_WAREHOUSE"]), bs.TRUSTED_HEADER_ARG
    # Plans for a new team on the last day of the quarter the pages open on.
    opens_on = default_quarter(queries.quarters(db)["quarter"].tolist(),
                               queries.warehouse_summary(db)["today"].iloc[0].date())
    export = _plans(tmp_path / "plans_new_team.csv", NEW_TEAM, 6, quarter_bounds(opens_on)[1].strftime("%d/%m/%Y"))

    logs = bs.ARTIFACTS / "logs"
    with bs.streamlit_server(env, logs / "several_servers_first.log", [trusted]) as first, \
            bs.streamlit_server(env, logs / "several_servers_second.log", [trusted]) as second, \
            sync_api.sync_playwright() as playwright:
        port = lambda server: int(server.url.rsplit(":", 1)[1])  # noqa: E731
        proxies = [bs.HeaderProxy(port(first)), bs.HeaderProxy(port(second))]
        entries = {"first": f"http://127.0.0.1:{proxies[0].port}", "second": f"http://127.0.0.1:{proxies[1].port}"}
        nginx = None
        if nginx_binary():
            listen = bs.free_port()
            nginx = Nginx(nginx_binary(), nginx_site(port(first), port(second), listen), tmp_path / "nginx", listen)
            entries["nginx"] = nginx.url
        browser = bs.launch_chromium(playwright)
        try:
            if nginx:       # nginx answers (through to a dashboard) before the browser goes there
                deadline = time.monotonic() + 30
                while True:
                    try:
                        with urllib.request.urlopen(f"{nginx.url}/_stcore/health", timeout=2) as answer:
                            assert answer.read().strip() == b"ok"
                        break
                    except OSError:
                        assert nginx.process.poll() is None and time.monotonic() < deadline, \
                            (nginx.folder / "error.log").read_text()
                        time.sleep(0.2)
            pages = {}
            for name, url in entries.items():
                # The browser sends a forged header too: the proxies (ours and nginx) must replace it.
                context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                              extra_http_headers={bs.HEADER: "admin@example.org"})
                context.set_default_timeout(90_000)
                context.add_cookies([{"name": bs.SESSION_COOKIE, "value": "manager@example.org", "url": url}])
                pages[name] = page = context.new_page()
                bs.open_page(page, f"{url}/plan_quality", 90_000, ready=bs.PLOTLY)
                assert page.locator("h1").first.text_content().strip() == "Plan quality", name
                assert "manager@example.org" in page.locator('[data-testid="stSidebar"]').inner_text(), name
                assert page.locator(bs.EXCEPTION).count() == 0, name
                assert NEW_TEAM not in teams_in_charts(page), name
                bs.screenshot(page, f"several_servers_{name}_before")

            done = subprocess.run([sys.executable, "-m", "etl", "load", str(export), "--db", str(db)], cwd=ROOT,
                                  capture_output=True, text=True, timeout=300, env={**os.environ, **env})
            assert done.returncode == 0, done.stderr
            assert "loaded 6" in done.stdout, done.stdout

            for name, page in pages.items():
                # The same session moves on and back, as a person would: no reload, no restart.
                for title in ("Overview", "Plan quality"):
                    page.locator(bs.NAV_LINKS).filter(has_text=title).first.click()
                    sync_api.expect(page.locator("h1").first).to_have_text(title, timeout=90_000)
                    bs.wait_until_idle(page, 90_000)
                page.wait_for_selector(bs.PLOTLY, timeout=90_000)
                bs.wait_until_idle(page, 90_000)
                assert page.locator("h1").first.text_content().strip() == "Plan quality", name
                assert page.locator(bs.EXCEPTION).count() == 0, name
                assert NEW_TEAM in teams_in_charts(page), (name, first.log_tail(), second.log_tail())
                bs.screenshot(page, f"several_servers_{name}_after")
        finally:
            browser.close()
            for proxy in proxies:
                proxy.close()
            if nginx:
                nginx.stop()
