"""Every CSV or XLSX the app hands out goes through here, so that none can carry a spreadsheet formula.

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
friends (CSV/formula injection); such cells get a leading apostrophe, which shows as text.
"""
from __future__ import annotations

import io

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
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
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One sheet per DataFrame; every cell is written as a value (openpyxl never evaluates)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, df in sheets.items():
            safe_frame(df).to_excel(writer, sheet_name=name[:31], index=False)
    return buffer.getvalue()
