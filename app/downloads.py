"""Every CSV or XLSX the app hands out goes through here, so that none can carry a spreadsheet formula.

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
friends (CSV/formula injection); such cells get a leading apostrophe, which shows as text.
"""
from __future__ import annotations

import csv
import io
from typing import Callable

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """Text without the control characters a spreadsheet file cannot hold (openpyxl refuses them, and a
    warehouse loaded before they were cleaned at load may still have some)."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def neutralise(value):
    value = spreadsheet_safe(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise)
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    # utf-8-sig so Excel opens accents and £ correctly
    # Every text cell quoted: a bare carriage return would otherwise start a new row in Excel,
    # whose first cell (after the CR) could be a formula.
    return safe_frame(df).to_csv(index=False, quoting=csv.QUOTE_NONNUMERIC).encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per DataFrame; every cell is written as a value (openpyxl never evaluates)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            safe_frame(df).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()


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
