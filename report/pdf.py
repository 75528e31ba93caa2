"""PDF: the HTML report printed by headless Chromium (the system one, /usr/bin/chromium).

A4, the quarter and the authority in the header of every page, page numbers in the
footer. The page is loaded from a local file with the network off; its charts are
inline SVG (no script to run), so it prints as soon as it has loaded. Chromium is driven
over its DevTools pipe (Printer), with the page settings Playwright's page.pdf used.
"""
from __future__ import annotations

import base64
import html
import json
import os
import select
import shutil
import signal
import tempfile
import time
from pathlib import Path

from core import palette

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def chromium_path() -> str:
    """PWP_CHROMIUM, else the system Chromium; the project's set-up installs it."""
    for candidate in (os.environ.get("PWP_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError("Chromium is needed to make the PDF and was not found: install it (apt-get install chromium) "
                       "or set PWP_CHROMIUM to its path")


def _band(text: str, align: str) -> str:
    # Header and footer templates are separate documents: they need their own font size and margins.
    return (f'<div style="font-family: DejaVu Sans, Arial, sans-serif; font-size: 8pt; color: {palette.BAND_TEXT}; '
            'width: 100%; '
            f'margin: 0 14mm; text-align: {align};">{text}</div>')


# The switches Playwright started Chromium with that bear on a print: nothing fetched, updated or reported, no
# extensions, colours in sRGB (the same pages as before it was driven directly, and less start-up work).
_QUIET_ARGS = ["--disable-field-trial-config", "--disable-background-timer-throttling", "--disable-breakpad",
               "--disable-component-extensions-with-background-pages", "--disable-component-update",
               "--no-default-browser-check", "--disable-default-apps", "--disable-extensions",
               "--disable-features=DestroyProfileOnBrowserClose,MediaRouter,PaintHolding,OptimizationHints,"
               "NetworkTimeServiceQuerying,PreconnectToSearch", "--disable-hang-monitor",
               "--disable-renderer-backgrounding", "--force-color-profile=srgb", "--metrics-recording-only",
               "--no-first-run", "--password-store=basic", "--use-mock-keychain", "--no-service-autorun",
               "--hide-scrollbars", "--mute-audio"]
# Page.printToPDF's parameters as Playwright's page.pdf(format="A4", margin=...mm) gave them (its mm is 3.78 px, a px
# 1/96 inch): the same pages as before Chromium was driven directly.
_A4_INCHES = (8.27, 11.7)
_MARGINS_MM = {"marginTop": 20, "marginBottom": 18, "marginLeft": 14, "marginRight": 14}
# Playwright's default fonts for Linux, set on the page as it set them (text with no font of its own).
_FONT_FAMILIES = {"standard": "Times New Roman", "fixed": "Monospace", "serif": "Times New Roman",
                  "sansSerif": "Arial", "cursive": "Comic Sans MS", "fantasy": "Impact"}


def html_to_pdf(page_html: str, out_path: Path, header: str, footer: str, timeout_ms: int = 60_000) -> None:
    with Printer(timeout_ms) as printer:
        printer.print(page_html, out_path, header, footer)


class Printer:
    """Headless Chromium started at once, as a process of its own, to print one page later.

    Starting Chromium takes about a second; the command line starts it before working out the figures, so the two
    overlap. It is driven over its DevTools pipe (fds 3 and 4, messages of JSON ended by a NUL byte), not through
    Playwright: Playwright's Node driver and its Python thread cost about a second of CPU beside the figures, on the
    same two cores. A failure to start is handed to the caller of print(). Use as a context manager: leaving it
    without printing closes Chromium.
    """

    def __init__(self, timeout_ms: int = 60_000):
        self.timeout_ms = timeout_ms
        self._pid: int | None = None
        self._error: Exception | None = None
        self._read = self._write = None
        self._buffer = b""
        self._next_id = 0
        self._profile = tempfile.mkdtemp(prefix="pwp-chromium-")
        try:
            self._start()
        except Exception as exc:  # handed to the caller of print(), as a failure while printing would be
            self._error = exc

    def _start(self) -> None:
        import fcntl

        executable = chromium_path()
        to_browser, from_browser = os.pipe(), os.pipe()
        # above fd 9, so that moving them to 3 and 4 in the child cannot overwrite one with the other
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_browser[0], from_browser[1])]
        for fd in (to_browser[0], from_browser[1]):
            os.close(fd)
        self._write, self._read = to_browser[1], from_browser[0]
        try:
            self._pid = os.posix_spawn(executable, [executable, "--headless", "--remote-debugging-pipe", *CHROMIUM_ARGS,
                                                    *_QUIET_ARGS, f"--user-data-dir={self._profile}"],
                                       os.environ, file_actions=[
                                           (os.POSIX_SPAWN_DUP2, ends[0], 3), (os.POSIX_SPAWN_DUP2, ends[1], 4),
                                           (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                                           (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                                           (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)],
                                       setpgroup=0)  # a group of its own: closed with all its processes
        finally:
            for fd in ends:
                os.close(fd)

    def _send(self, method: str, params: dict | None = None, session: str | None = None) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode("utf-8") + b"\0"
        while data:
            data = data[os.write(self._write, data):]
        return self._next_id

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._read], [], [], left)[0]:
                raise TimeoutError(f"Chromium did not finish printing the PDF within {self.timeout_ms / 1000:.0f} s")
            chunk = os.read(self._read, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed before the PDF was printed")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _call(self, deadline: float, method: str, params: dict | None = None, session: str | None = None) -> dict:
        number = self._send(method, params, session)
        while True:
            message = self._message(deadline)
            if message.get("id") == number:
                if "error" in message:
                    raise RuntimeError(f"Chromium could not print the PDF ({method}: {message['error'].get('message')})")
                return message.get("result", {})

    def print(self, page_html: str, out_path: Path, header: str, footer: str) -> None:
        if self._error is not None:
            raise self._error
        deadline = time.monotonic() + self.timeout_ms / 1000
        with tempfile.TemporaryDirectory(prefix="pwp-report-") as tmp:
            source = Path(tmp) / "report.html"
            source.write_text(page_html, encoding="utf-8")
            # in a context of its own, as Playwright's new_context(): nothing of the page is kept in the profile
            context = self._call(deadline, "Target.createBrowserContext")["browserContextId"]
            target = self._call(deadline, "Target.createTarget", {"url": "about:blank",
                                                                  "browserContextId": context})["targetId"]
            session = self._call(deadline, "Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for method, params in (("Page.enable", None), ("Network.enable", None),
                                   ("Network.emulateNetworkConditions", {"offline": True, "latency": 0,
                                                                        "downloadThroughput": -1,
                                                                        "uploadThroughput": -1}),
                                   ("Page.setFontFamilies", {"fontFamilies": _FONT_FAMILIES}),
                                   ("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 720,
                                                                           "deviceScaleFactor": 1, "mobile": False}),
                                   ("Emulation.setEmulatedMedia", {"media": "print"})):
                self._call(deadline, method, params, session)
            navigated = self._call(deadline, "Page.navigate", {"url": source.as_uri()}, session)
            if navigated.get("errorText"):
                raise RuntimeError(f"Chromium could not open the report to print it ({navigated['errorText']})")
            while self._message(deadline).get("method") != "Page.loadEventFired":
                pass
            margins = {name: mm * 3.78 / 96 for name, mm in _MARGINS_MM.items()}
            printed = self._call(deadline, "Page.printToPDF", {
                "paperWidth": _A4_INCHES[0], "paperHeight": _A4_INCHES[1], **margins, "printBackground": True,
                "displayHeaderFooter": True, "headerTemplate": _band(html.escape(header), "left"),
                "footerTemplate": _band(html.escape(footer) + ' &middot; page <span class="pageNumber"></span>'
                                        ' of <span class="totalPages"></span>', "right"),
                "landscape": False, "scale": 1, "pageRanges": "", "preferCSSPageSize": False,
                "generateTaggedPDF": False, "generateDocumentOutline": False}, session)
        Path(out_path).write_bytes(base64.b64decode(printed["data"]))

    def close(self) -> None:
        """Close Chromium, as Playwright's browser.close() did (it waits for the processes it started), or end its
        process group if it has not gone within a few seconds; then remove its profile."""
        if self._pid is not None:
            deadline = time.monotonic() + 5
            try:
                self._send("Browser.close")
                # its answers read until it closes its end (it has gone): a pipe closed under it slows its exit
                while select.select([self._read], [], [], max(0.0, deadline - time.monotonic()))[0] \
                        and os.read(self._read, 1 << 16):
                    pass
            except OSError:  # gone already
                pass
            for fd in (self._write, self._read):
                os.close(fd)
            while os.waitpid(self._pid, os.WNOHANG) == (0, 0):
                if time.monotonic() > deadline:
                    os.killpg(self._pid, signal.SIGKILL)
                    os.waitpid(self._pid, 0)
                    break
                time.sleep(0.005)
            self._pid = None
        shutil.rmtree(self._profile, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self._pid is not None

    def __enter__(self) -> "Printer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
