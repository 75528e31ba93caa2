"""What the server process does once, when it starts: before any browser comes, the first page view's work.

`streamlit run dashboard.py` serves dashboard.py's `streamlit_app` (st.App), whose start-up runs `lifespan`. Without
it nothing of ours ran until the first person's page did, so that person waited for the imports (~1 s: pandas,
duckdb, plotly and ours) and the queries behind every scope's first view (issue 23: the first page view after a
restart under 2 s). It runs in a thread of its own, so the server answers at once (its health check too); a page run
that comes meanwhile waits only for what is not ready yet.
"""
from __future__ import annotations

import threading
from contextlib import asynccontextmanager


@asynccontextmanager
async def lifespan(_app):
    threading.Thread(target=prepare, daemon=True, name="start-up").start()
    open_browser()
    yield


def open_browser() -> None:
    """What `streamlit run` does for a plain script and skips for an st.App: open the dashboard in this computer's
    browser, unless headless (a server, a Linux machine without a display, or --server.headless=true)."""
    from streamlit import cli_util, config
    from streamlit.web.server import server_util
    if config.get_option("server.headless"):
        return
    if config.is_manually_set("browser.serverAddress"):
        address = config.get_option("browser.serverAddress")
    elif config.is_manually_set("server.address"):
        address = server_util.get_display_address(config.get_option("server.address"))
    else:
        address = "localhost"
    cli_util.open_browser(server_util.get_url(address))


def prepare() -> None:
    """The modules a page run imports, then the same warm-up a load starts (data.keep_warm: every scope's first
    view now, and again after each load; its log line says when they are ready)."""
    from streamlit.logger import get_logger
    log = get_logger(__name__)
    try:
        from app import access, charts, data, page  # noqa: F401  imported for their import time
        from core.settings import load_settings
        data.keep_warm(load_settings().warehouse)
        # What Streamlit itself does once per process, in the first page run (~0.3 s measured on a busy machine):
        # load its emoji table (st.set_page_config's icon), and walk the stack (its first element calls
        # env_util.is_repl, whose inspect.stack maps every loaded module to its file, then keeps the map).
        from streamlit import emojis, env_util  # noqa: F401
        env_util.is_repl()
    except Exception as exc:   # noqa: BLE001  only a head start: the first page run reports what is wrong
        log.warning("The start-up warm-up did not run (%s: %s); the first page view prepares itself.",
                    type(exc).__name__, exc)
