"""Pathway plan quality dashboard: `streamlit run dashboard.py`.

The warehouse path comes from PWP_WAREHOUSE (default data/warehouse.duckdb); with no warehouse
there, the first page built from it makes the sample one from sample_data/.

The menu holds only the pages the signed-in user's role may open (app/access.py). Every other
page's address runs a stand-in that refuses it, so a page asked for by URL never runs; and each
page checks again for itself.

Streamlit reads this file in two ways. `streamlit run dashboard.py` first imports it as a module, finds
`streamlit_app` (an st.App, found by reading the file) and serves it: its start-up warms the caches before any browser
comes (app/server.py). Then each page run, in every browser session and in AppTest, executes it as the script
(`__name__` is "__main__"), which builds the menu.
"""
from functools import partial
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent


def menu() -> None:
    """The page run: the signed-in user's menu, and the page asked for."""
    from app import access, data, style

    st.set_page_config(page_title="Pathway plan quality", page_icon="🧭", layout="wide")
    st.html(style.STILL_CSS)

    settings, who = access.current()
    # Each scope's first views are prepared when the server starts (app/server.py, which starts this too) and after
    # every load, whichever process loads; called here as well, in case the start-up could not (it is cheap).
    data.keep_warm(settings.warehouse)
    # Pages other issues add are shown only once they exist.
    present = {key: rule for key, rule in access.PAGES.items() if (HERE / rule.file).exists()}

    # A default page answers only at "/", so the page chosen as default lost its own address (a typed /overview, or
    # /panel_report for a panel user, showed "Page not found"). Every page is therefore at its own address, and a hidden
    # stand-in at "/" opens the user's first page there.
    START = "start"

    if who.user is None:
        # Signed out, unknown or mis-configured: every address shows the same message, and no data.
        pages = [st.Page(partial(access.stop_without_user, settings, who, key), title=rule.title, url_path=key)
                 for key, rule in present.items()]
        pages.insert(0, st.Page(partial(access.stop_without_user, settings, who, None), title="Pathway plan quality",
                                url_path=START, visibility="hidden", default=True))
        st.navigation(pages, position="hidden").run()
    else:
        user = who.user
        allowed = [key for key in present if user.may_open(key)]
        pages, by_key = [], {}
        for key, rule in present.items():
            if key in allowed:
                by_key[key] = st.Page(rule.file, title=rule.title, icon=rule.icon, url_path=key)
                pages.append(by_key[key])
            else:
                pages.append(st.Page(partial(access.refuse, key), title=rule.title, url_path=key, visibility="hidden"))
        first = by_key[allowed[0]] if allowed else None
        start = partial(st.switch_page, first) if first else partial(access.refuse, next(iter(present)))
        pages.insert(0, st.Page(start, title=first.title if first else "Pathway plan quality", url_path=START,
                                visibility="hidden", default=True))
        access.sidebar_identity(user, settings)
        st.navigation(pages).run()


if __name__ == "__main__":
    menu()
else:
    from app import server

    streamlit_app = st.App(__file__, lifespan=server.lifespan)
