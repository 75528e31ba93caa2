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
    return (f'<div style="font-family: DejaVu Sans, Arial, sans-serif; font-size: 8pt; color: #444; width: 100%; '
            f'margin: 0 14mm; text-align: {align};">{text}</div>')


def html_to_pdf(page_html: str, out_path: Path, header: str, footer: str, timeout_ms: int = 60_000) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="pwp-report-") as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(page_html, encoding="utf-8")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(offline=True)
                page = context.new_page()
                page.goto(source.as_uri(), wait_until="load", timeout=timeout_ms)
                page.emulate_media(media="print")
                page.pdf(path=str(out_path), format="A4", print_background=True, display_header_footer=True,
                         header_template=_band(html.escape(header), "left"),
                         footer_template=_band(html.escape(footer) + ' &middot; page <span class="pageNumber"></span>'
                                               ' of <span class="totalPages"></span>', "right"),
                         margin={"top": "20mm", "bottom": "18mm", "left": "14mm", "right": "14mm"})
            finally:
                browser.close()
