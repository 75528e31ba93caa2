"""The online form in a real browser: `python -m forms` as a council starts it, driven by the system Chromium at
a phone's size (390×844) and on a desktop, in English and Cymraeg; axe-core on every page; keyboard only.

The pages forbid every script (Content-Security-Policy), so the browser context bypasses CSP only to let
axe-core in; the pages themselves never run JavaScript (the tests also run with JavaScript off).
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.helpers.browser import ARTIFACTS, ROOT, describe, free_port, launch_chromium, run_axe
from forms.store import Store

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@contextlib.contextmanager
def forms_server(store_path, log_path):
    port = free_port()
    env = {**os.environ, "PWP_FORMS_STORE": str(store_path)}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "forms", "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text())
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def server(tmp_path):
    """A fresh server for each test: the rate limit per address (all tests come from 127.0.0.1) starts afresh."""
    store_path = tmp_path / "forms.sqlite"
    log_path = ARTIFACTS / "forms_server.log"
    with forms_server(store_path, log_path) as url:
        yield url, Store(store_path), log_path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


def serious(violations):
    return [v for v in violations if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_page_passes_axe_and_the_form_is_sent(server, browser, viewport, lang):
    url, store, _log = server
    token = store.create_invitation(f"PP-axe-{lang}-{viewport['width']}", "Cardiff", 28)
    context = browser.new_context(viewport=viewport, bypass_csp=True, java_script_enabled=True)
    page = context.new_page()
    problems = {}

    def check(name):
        found = serious(run_axe(page, {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                                "wcag21aa", "wcag22aa", "best-practice"]}}))
        if found:
            problems[name] = describe(found)
        # nothing wider than the screen: no sideways scrolling on a phone
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1"), name

    page.goto(f"{url}/r/{token}?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    check("start")
    page.locator("a.button--start").click()
    for n in range(1, 11):
        assert f"{n} o 10" in page.inner_text(".caption") or f"{n} of 10" in page.inner_text(".caption")
        if n == 1:
            check("question")
        page.locator(f"#rating-{['red', 'amber', 'green'][n % 3]}").check()
        if n == 2:
            page.fill("#comment", "Welsh letters: ŵ ŷ â")
        page.locator("button[type=submit]").click()
    check("check answers")
    page.locator("button[type=submit]").click()
    assert "/sent" in page.url
    check("thank you")
    page.goto(f"{url}/r/{'Z' * 32}?lang={lang}")
    check("link does not work")
    page.goto(f"{url}/r/{token}/q/1?lang={lang}")
    check("already sent")
    # a question page with an error on it
    other = store.create_invitation("PP-axe-error", "Cardiff", 28)
    page.goto(f"{url}/r/{other}/q/1?lang={lang}")
    page.fill("#comment", "x" * 2001)
    page.locator("button[type=submit]").click()
    check("question with an error")
    context.close()
    assert not problems, problems
    sent = {f.plan_id: f for f in store.waiting()}[f"PP-axe-{lang}-{viewport['width']}"]
    assert sent.answers[2] == ("green", "Welsh letters: ŵ ŷ â")


def test_keyboard_only_with_javascript_off(server, browser):
    url, store, _log = server
    token = store.create_invitation("PP-keyboard", "Cardiff", 28)
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{url}/r/{token}?lang=cy")
    # Tab from the top: the skip link comes first, then the language switch, then Start now
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.className") == "skip-link"
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('button--start')"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/q/1?lang=cy")
    for n in range(1, 11):
        page.locator("#rating-red").focus()               # the radio group is one tab stop
        page.keyboard.press("ArrowDown")                  # red → amber
        page.keyboard.press("Tab")                        # to the comment box
        page.keyboard.type(f"ateb {n}")
        page.keyboard.press("Tab")                        # to Continue
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/{'q/' + str(n + 1) if n < 10 else 'check'}?lang=cy")
        assert page.locator("#rating-red").count() or n == 10, page.inner_text("main")
    assert "/check" in page.url
    page.locator("form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/sent?lang=cy")
    context.close()
    form = {f.plan_id: f for f in store.waiting()}["PP-keyboard"]
    assert all(form.answers[n] == ("amber", f"ateb {n}") for n in range(1, 11))


def test_the_server_log_has_no_tokens(server, browser):
    url, store, log_path = server
    token = store.create_invitation("PP-log", "Cardiff", 28)
    with urllib.request.urlopen(f"{url}/r/{token}") as answer:
        assert answer.status == 200
        assert answer.headers["Referrer-Policy"] == "no-referrer"
    time.sleep(0.3)
    text = log_path.read_text()
    assert token not in text and "/r/" not in text and "PP-" not in text
