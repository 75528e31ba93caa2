"""Sign-in in a real browser: `streamlit run dashboard.py` in trusted-header mode behind a small stand-in for
the authenticating reverse proxy, with Chromium signed in as one user per browser context. Each role reaches
only its pages, by menu or by URL; a header sent by the browser itself is stripped; a download is formula-safe
and audited; the server log and the audit log hold no young person's ID, key or comment.

Why a proxy: Chromium before 151 does not send Playwright's extra HTTP headers on the WebSocket handshake,
which is where Streamlit reads `server.trustedUserHeaders`. So the browser context carries the signed-in
user in a cookie (as a proxy's session cookie would) and the proxy does what a real one must: remove any
X-Forwarded-Email the browser sent, and add its own from the session. The browser also sends the header
itself (extra_http_headers), which the proxy must and does throw away."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.helpers import browser as bs
from app import access, audit
from tests.helpers.access import ACCESS_TOML, IRO, TEAM, leaks, sensitive
from tests.helpers.browser import SESSION_COOKIE, HeaderProxy

pytestmark = pytest.mark.browser

HEADER = bs.HEADER
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
REFUSED = "is not available to your role"


@pytest.fixture(scope="module")
def server(sample_warehouse, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser_access")
    env = bs.header_sign_in_env(sample_warehouse, tmp, ACCESS_TOML)
    db = Path(env["PWP_WAREHOUSE"])
    log_path = tmp / "server.log"
    with bs.streamlit_server(env, log_path, extra_args=[bs.TRUSTED_HEADER_ARG, "--logger.level=info"]) as dashboard:
        proxy = HeaderProxy(int(dashboard.url.rsplit(":", 1)[1]))
        try:
            yield {"url": f"http://127.0.0.1:{proxy.port}", "db": db, "audit": tmp / "audit.sqlite", "log": log_path}
        finally:
            proxy.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = bs.launch_chromium(p)
        yield b
        b.close()


def open_as(browser, server, email: str | None, path: str = "", forged: str | None = None):
    """A browser signed in (at the proxy) as `email`; `forged` is a header the browser itself sends."""
    headers = {HEADER: forged or email} if (forged or email) else {}
    context = browser.new_context(extra_http_headers=headers, accept_downloads=True)
    if email:
        context.add_cookies([{"name": SESSION_COOKIE, "value": email, "url": server["url"]}])
    page = context.new_page()
    page.goto(f"{server['url']}/{path}")
    settle(page)
    return context, page


def settle(page) -> None:
    page.wait_for_selector(IDLE, timeout=45_000)
    page.wait_for_timeout(400)          # a rerun can follow the first run (navigation)
    page.wait_for_selector(IDLE, timeout=45_000)


def menu(page) -> list[str]:
    return [t.strip().splitlines()[-1] for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]


def test_panel_user_reaches_only_the_panel_report(browser, server):
    context, page = open_as(browser, server, "panel@example.org")
    try:
        assert "Corporate parenting panel report" in page.inner_text("h1")
        assert menu(page) in ([], ["Panel report"])      # one page: Streamlit may leave the menu out
        text = page.inner_text("body")
        assert not leaks(text, sensitive(server["db"]))
        for path in ("overview", "coproduction", "review_timeliness", "plan_quality", "data_loads", "audit_log"):
            page.goto(f"{server['url']}/{path}")
            settle(page)
            body = page.inner_text("body")
            assert REFUSED in body, path
            assert page.locator('[data-testid="stDataFrame"]').count() == 0, path
    finally:
        context.close()


def test_team_manager_cannot_reach_other_pages_and_sees_only_their_team(browser, server):
    context, page = open_as(browser, server, "team.manager@example.org", "review_timeliness")
    try:
        assert menu(page) == [rule.title for rule in access.PAGES.values() if "team_manager" in rule.roles]
        body = page.inner_text("body")
        assert TEAM in body and "South Leaving Care" not in body and "Coast 16+ Team" not in body
        for path in ("data_loads", "panel_report", "audit_log"):
            page.goto(f"{server['url']}/{path}")
            settle(page)
            assert REFUSED in page.inner_text("body"), path
            assert page.locator('[data-testid="stFileUploader"]').count() == 0
    finally:
        context.close()


def test_a_header_sent_by_the_browser_is_stripped_by_the_proxy(browser, server):
    context, page = open_as(browser, server, None, "data_loads", forged="admin@example.org")
    try:
        assert "not signed in" in page.inner_text("body")
        assert page.locator('[data-testid="stFileUploader"]').count() == 0
    finally:
        context.close()


def test_no_header_or_an_unknown_user_gets_no_data(browser, server):
    for email, message in ((None, "not signed in"), ("someone@else.org", "not on this dashboard's access list")):
        for path in ("", "data_loads", "panel_report"):
            context, page = open_as(browser, server, email, path)
            try:
                body = page.inner_text("body")
                assert message in body, (email, path)
                assert page.locator('[data-testid="stDataFrame"], [data-testid="stMetric"]').count() == 0
            finally:
                context.close()


def test_manager_download_is_formula_safe_and_audited_then_admin_reads_the_log(browser, server, tmp_path):
    context, page = open_as(browser, server, "manager@example.org", "review_timeliness")
    try:
        assert "Data loads" not in menu(page) and "Audit log" not in menu(page)
        with page.expect_download(timeout=30_000) as info:      # the worklist's table, the first on the page
            page.get_by_role("button", name="Download this table (CSV)").first.click()
        saved = tmp_path / "worklist.csv"
        info.value.save_as(saved)
        assert saved.read_bytes().startswith(b'\xef\xbb\xbf"Action needed"')
    finally:
        context.close()
    deadline = time.time() + 10
    while not (audit.read(server["audit"])["event"] == "download").any() and time.time() < deadline:
        time.sleep(0.2)
    log = audit.read(server["audit"])
    download = log[log["event"] == "download"].iloc[0]
    assert download["user"] == "manager@example.org" and "minutes_worklist.csv" in download["detail"]
    context, page = open_as(browser, server, "admin@example.org", "audit_log")
    try:
        assert "Audit log" in page.inner_text("h1")
        assert menu(page)[-2:] == ["Data loads", "Audit log"]
    finally:
        context.close()


def test_iro_sees_only_their_name_in_the_worklist_choice(browser, server):
    context, page = open_as(browser, server, "iro@example.org", "review_timeliness")
    try:
        page.locator('[data-testid="stSelectbox"]').filter(has_text="IRO").first.click()
        options = page.locator('[role="option"]').all_inner_texts()
        assert [o.strip() for o in options] == ["All IROs", IRO]
    finally:
        context.close()


NOT_FOUND = "Page not found"


def no_dialog(page) -> None:
    """Streamlit opens a "Page not found" dialog over the page when an address names no page it knows."""
    assert page.get_by_text(NOT_FOUND).count() == 0
    assert page.locator('[role="dialog"]').count() == 0


def test_a_typed_address_opens_the_page_for_each_role_allowed_it_with_no_dialog(browser, server):
    """Issue 22: a panel member typing /panel_report, and case-level users typing /overview (and another page),
    get that page at that address, not a "Page not found" dialog over their first page."""
    typed = (("panel@example.org", "panel_report", "Corporate parenting panel report"),
             ("manager@example.org", "overview", "Overview"),
             ("iro@example.org", "overview", "Overview"),
             ("team.manager@example.org", "overview", "Overview"),
             ("manager@example.org", "plan_quality", "Plan quality"))
    for email, path, title in typed:
        context, page = open_as(browser, server, email, path)
        try:
            page.wait_for_timeout(1_000)          # the dialog, if any, opens after the first run
            no_dialog(page)
            assert page.locator("h1").first.inner_text().strip() == title, (email, path)
            assert page.url.rstrip("/").endswith(f"/{path}"), (email, page.url)
            assert page.locator('[data-testid="stException"]').count() == 0, (email, path)
            bs.screenshot(page, f"access_{email.split('@')[0]}_typed_{path}")
        finally:
            context.close()


def test_a_panel_member_typing_a_page_not_allowed_gets_a_plain_message_and_a_link_back_not_a_dialog(browser, server):
    for path in ("overview", "follow_up", "find_young_person", "data_loads"):
        context, page = open_as(browser, server, "panel@example.org", path)
        try:
            page.wait_for_timeout(1_000)
            no_dialog(page)
            body = page.inner_text('[data-testid="stMain"]')
            assert REFUSED in body, path
            assert page.locator('[data-testid="stDataFrame"], [data-testid="stMetric"], '
                                '[data-testid="stPlotlyChart"]').count() == 0, path
            bs.screenshot(page, f"access_panel_typed_{path}_refused")
            # and a way back: the link opens the one page a panel member may open
            page.get_by_role("link", name="Go to Panel report").click()
            settle(page)
            assert "Corporate parenting panel report" in page.inner_text("h1"), path
            assert page.url.rstrip("/").endswith("/panel_report"), page.url
        finally:
            context.close()


def test_no_log_holds_a_young_persons_id_key_or_comment(server):
    # Runs last in this module: after every user above has opened pages and downloaded.
    secrets = sensitive(server["db"])
    log = audit.read(server["audit"])
    assert {"open", "refused", "download", "signed_out", "unknown_user"} <= set(log["event"])
    for path in (server["audit"], server["log"]):
        text = Path(path).read_bytes().decode("utf-8", "replace")
        assert not leaks(text, secrets), path
