"""The dashboard's download buttons: every download is audited, and every file is made by core/safe_cells.py, so
that none can carry a spreadsheet formula."""
from __future__ import annotations

from typing import Callable

import pandas as pd

from core.safe_cells import csv_bytes, xlsx_bytes

# --- the buttons: every download is audited (who, which page, file name and row count) ---------------

def button(label: str, make: Callable[[], bytes], file_name: str, mime: str, key: str, rows: int | None = None,
           where=None, **kwargs):
    """st.download_button whose file is made (and the download logged) only when clicked.

    `make` must return bytes already made safe (csv_bytes / xlsx_bytes, or a report writer that
    neutralises its cells). The signed-in user is captured now: the click runs outside the script."""
    import streamlit as st

    from . import access

    user, page_key = access.who_is_here()
    if user is None:       # pages refuse first; a button without a user would be a leak
        return False

    def deliver() -> bytes:
        access.log_download(user, page_key, file_name, rows)
        return make()

    return (where or st).download_button(label, deliver, file_name=file_name, mime=mime, key=key,
                                         on_click="ignore", **kwargs)


def csv_button(label: str, df: pd.DataFrame, file_name: str, key: str, where=None, **kwargs):
    return button(label, lambda: csv_bytes(df), file_name, "text/csv", key, rows=len(df), where=where, **kwargs)


def xlsx_button(label: str, sheets: dict[str, pd.DataFrame], file_name: str, key: str, where=None, **kwargs):
    return button(label, lambda: xlsx_bytes(sheets), file_name,
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key,
                  rows=sum(len(df) for df in sheets.values()), where=where, **kwargs)
