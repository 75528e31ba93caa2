"""Helpers for the browser tests: start `streamlit run dashboard.py` on a free local port, drive the system
Chromium with Playwright, wait for Streamlit to finish a run, save screenshots and run axe-core.

Shared by every browser test (tests/test_browser*.py); nothing here knows about a particular page.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Iterator

from bench.settled import SETTLED   # the one definition of "drawn", shared with the benchmarks

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Streamlit marks its root element with the state of the script run; "notRunning" means the page is drawn.
APP = '[data-testid="stApp"]'
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
EXCEPTION = '[data-testid="stException"]'
PLOTLY = '[data-testid="stPlotlyChart"] .js-plotly-plot'
NAV_LINKS = '[data-testid="stSidebarNav"] a'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A running `streamlit run dashboard.py`: its base URL and its log (shown when a test fails)."""

    def __init__(self, url: str, process: subprocess.Popen, log_path: Path):
        self.url, self.process, self.log_path = url, process, log_path

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


@contextlib.contextmanager
def streamlit_server(env: dict[str, str], log_path: Path, extra_args: list[str] | tuple[str, ...] = (),
                     timeout: float = 60) -> Iterator[Server]:
    """Run the dashboard as a person would (`streamlit run dashboard.py` in the project folder, so its
    .streamlit/config.toml applies) on a free port of 127.0.0.1, with `env` added to this process's
    environment; `extra_args` are more `--option=value` flags (e.g. trustedUserHeaders for header sign-in)."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless=true",
               f"--server.port={port}", "--server.address=127.0.0.1", "--browser.gatherUsageStats=false",
               *extra_args]
    with open(log_path, "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log,
                                   stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {process.returncode}:\n{server.log_tail()}")
            try:
                with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not answer on {server.url} in {timeout:.0f}s:\n{server.log_tail()}")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def chromium_path() -> str:
    from report.pdf import chromium_path as system_chromium   # one place knows where Chromium is
    return system_chromium()


def launch_chromium(playwright):
    """Debian's Chromium (browsers cannot be downloaded here), headless."""
    from report.pdf import CHROMIUM_ARGS
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def wait_until_idle(page, timeout_ms: float = 60_000, after_action: bool = True, quiet_ms: int = 600) -> None:
    """Wait until Streamlit has finished running the script and drawing: the app root says notRunning, no
    element is still marked stale from the previous run, no spinner is left, every plotly chart has drawn
    its SVG, and the page has not changed for `quiet_ms`. After a click or a choice, first give the rerun it
    asks for the chance to start (it may be over before we look: then the short wait simply runs out)."""
    page.wait_for_selector(APP, timeout=timeout_ms)
    if after_action:
        try:
            page.wait_for_selector('[data-testid="stApp"]:not([data-test-script-state="notRunning"])', timeout=1_000)
        except Exception:  # playwright's TimeoutError: the run was too quick to see
            pass
    page.wait_for_function(SETTLED, arg=quiet_ms, polling=100, timeout=timeout_ms)


def open_page(page, url: str, timeout_ms: float = 60_000, ready: str | None = None) -> None:
    """Open a page and wait until it is drawn. `ready`: a selector for something near the page's end; on a first
    visit Streamlit may say it is idle while the page's elements are still arriving, and this waits for them."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    if ready:
        page.wait_for_selector(ready, state="attached", timeout=timeout_ms)
    wait_until_idle(page, timeout_ms, after_action=False)


def screenshot(page, name: str, grayscale: bool = False) -> Path:
    """The whole page, not just the window: Streamlit scrolls inside its own container, so the window is
    made as tall as the content for the picture, then put back."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]') || document.documentElement;
        return Math.max(main.scrollHeight, document.documentElement.scrollHeight);
    }""")
    style = page.add_style_tag(content="html { filter: grayscale(1) !important; }") if grayscale else None
    try:
        page.set_viewport_size({"width": size["width"], "height": min(max(height, size["height"]), 12_000)})
        page.wait_for_timeout(300)
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)
        if style is not None:
            style.evaluate("element => element.remove()")
    return path


def axe_source() -> str:
    if not AXE_JS.exists():
        raise FileNotFoundError(f"{AXE_JS} is missing: run ./install.sh (it installs axe-core with npm ci)")
    return AXE_JS.read_text()


def run_axe(page, options: dict | None = None) -> list[dict]:
    """axe-core's violations on the page as drawn now (injected once per document)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    options = {"resultTypes": ["violations"], **(options or {})}
    return page.evaluate("options => axe.run(document, options).then(r => r.violations)", options)


def describe(violations: list[dict]) -> str:
    """Violations as a readable list for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


# Header sign-in in the browser tests: the header a proxy sets, and the cookie naming the signed-in user that our
# stand-in for the proxy reads (see HeaderProxy).
HEADER = "X-Forwarded-Email"
SESSION_COOKIE = "test_proxy_user"
TRUSTED_HEADER_ARG = f"--server.trustedUserHeaders={json.dumps({HEADER: 'email'})}"


def header_sign_in_env(sample_warehouse: Path, folder: Path, access_toml: str) -> dict[str, str]:
    """A copy of the sample warehouse in `folder`, with an access file and its own audit log and follow-up store:
    the environment of a server that signs people in from HEADER (start it with TRUSTED_HEADER_ARG)."""
    import shutil
    db = folder / "warehouse.duckdb"
    shutil.copyfile(sample_warehouse, db)
    (folder / "access.toml").write_text(access_toml)
    return {"PWP_WAREHOUSE": str(db), "PWP_AUTH_MODE": "header", "PWP_AUTH_HEADER": HEADER,
            "PWP_ACCESS_FILE": str(folder / "access.toml"), "PWP_AUDIT_LOG": str(folder / "audit.sqlite"),
            "PWP_FOLLOW_UP_STORE": str(folder / "follow_up.sqlite"), "PWP_SAMPLE_ON_FIRST_START": "no"}


class HeaderProxy:
    """A minimal authenticating-proxy stand-in on 127.0.0.1: per connection, rewrite the request head
    (drop the client's identity header, add the one for the session cookie, one request per connection),
    then pipe bytes both ways (WebSocket frames included)."""

    def __init__(self, upstream_port: int):
        self.upstream_port, self.port = upstream_port, free_port()
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        threading.Thread(target=self._run, args=(started,), daemon=True).start()
        started.wait(10)

    def _run(self, started):
        asyncio.set_event_loop(self.loop)
        self.server = self.loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", self.port))
        started.set()
        self.loop.run_forever()

    def close(self):
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)

    @staticmethod
    def rewrite(head: bytes) -> bytes:
        lines = head.decode("latin-1").split("\r\n")
        kept, user, upgrade = [lines[0]], None, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            lower = name.strip().lower()
            if lower == HEADER.lower():
                continue                                  # never trust the browser's copy
            if lower == "cookie":
                for part in value.split(";"):
                    key, _, val = part.strip().partition("=")
                    if key == SESSION_COOKIE:
                        user = val
            if lower == "upgrade":
                upgrade = True
            if lower == "connection" and not upgrade and "upgrade" not in value.lower():
                continue
            kept.append(line)
        if not upgrade:
            kept.append("Connection: close")
        if user:
            kept.append(f"{HEADER}: {user}")
        return ("\r\n".join(kept) + "\r\n\r\n").encode("latin-1")

    async def _handle(self, reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            up_writer.write(self.rewrite(head[:-4]))

            async def pipe(src, dst):
                try:
                    while data := await src.read(65536):
                        dst.write(data)
                        await dst.drain()
                except (ConnectionError, asyncio.IncompleteReadError):
                    pass
                finally:
                    dst.close()
            await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            writer.close()
