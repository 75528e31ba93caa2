"""Cells safe for spreadsheets: every CSV or XLSX handed out (dashboard downloads, the panel workbook, the warehouse
export) goes through here, so that none can carry a spreadsheet formula or a character a spreadsheet refuses.

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
friends (CSV/formula injection); such cells get a leading apostrophe, which shows as text.
"""
from __future__ import annotations

import csv
import io

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
