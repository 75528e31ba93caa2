"""PDF: the HTML report printed by headless Chromium (the system one, /usr/bin/chromium).

A4, the quarter and the authority in the header of every page, page numbers in the
footer. The page is loaded from a local file with the network off; its charts are
inline SVG (no script to run), so it prints as soon as it has loaded.
"""
from __future__ import annotations

import html
import os
import shutil
import tempfile
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


def _print_page(page, page_html: str, out_path: Path, header: str, footer: str, timeout_ms: int) -> None:
    with tempfile.TemporaryDirectory(prefix="pwp-report-") as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(page_html, encoding="utf-8")
        page.goto(source.as_uri(), wait_until="load", timeout=timeout_ms)
        page.emulate_media(media="print")
        page.pdf(path=str(out_path), format="A4", print_background=True, display_header_footer=True,
                 header_template=_band(html.escape(header), "left"),
                 footer_template=_band(html.escape(footer) + ' &middot; page <span class="pageNumber"></span>'
                                       ' of <span class="totalPages"></span>', "right"),
                 margin={"top": "20mm", "bottom": "18mm", "left": "14mm", "right": "14mm"})


def html_to_pdf(page_html: str, out_path: Path, header: str, footer: str, timeout_ms: int = 60_000) -> None:
    with Printer(timeout_ms) as printer:
        printer.print(page_html, out_path, header, footer)


class Printer:
    """Headless Chromium started at once on a thread of its own, to print one page later.

    Starting Chromium (Playwright's driver, the browser, a page) takes about a second; the command line starts it
    before working out the figures, so the two overlap. Playwright's sync API stays on the thread that started
    it, so the page is handed to that thread and the PDF (or the error) handed back. Use as a context manager:
    leaving it without printing closes Chromium.
    """

    def __init__(self, timeout_ms: int = 60_000):
        import queue
        import threading

        self.timeout_ms = timeout_ms
        self._jobs: "queue.Queue" = queue.Queue()
        self._results: "queue.Queue" = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="pwp-report-chromium", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                try:
                    page = browser.new_context(offline=True).new_page()
                    job = self._jobs.get()
                    if job is not None:
                        _print_page(page, *job, timeout_ms=self.timeout_ms)
                        self._results.put(None)
                finally:
                    browser.close()
        except BaseException as exc:  # handed to the caller of print(), on its own thread
            self._results.put(exc)

    def print(self, page_html: str, out_path: Path, header: str, footer: str) -> None:
        self._jobs.put((page_html, Path(out_path), header, footer))
        error = self._results.get()
        if error is not None:
            raise error

    def close(self) -> None:
        self._jobs.put(None)  # ignored if the page was printed, or if Chromium never started
        self._thread.join()

    def __enter__(self) -> "Printer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
