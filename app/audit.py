"""The audit log: who opened which page with which filters, who downloaded what, who was refused.

A small SQLite file (setting `audit_log`) apart from the warehouse: every load replaces the
warehouse file, and SQLite lets several dashboard processes append at once. Only what is
passed here is written, and only from an allow-list of fields: user, role, event, page and a
short detail (filters, a file name and row count). Never a young person's key, ID, name or
comment: callers pass filters and file names, not data.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pandas as pd

EVENTS = ("open", "refused", "download", "signed_out", "unknown_user", "follow_up")
MAX_TEXT = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

SCHEMA = """CREATE TABLE IF NOT EXISTS audit_log (
    at TEXT NOT NULL,          -- UTC, ISO 8601
    user TEXT NOT NULL,        -- email (header / OIDC) or 'local'
    role TEXT,                 -- from the access file; NULL for an unknown user
    event TEXT NOT NULL,       -- open, refused, download, signed_out, unknown_user, follow_up (recorded)
    page TEXT,
    detail TEXT                -- JSON: filters, or file name and row count
)"""


def clean(value, limit: int = MAX_TEXT) -> str:
    """One line of plain text: no control characters (no forged log lines), bounded length."""
    return _CONTROL.sub(" ", str(value))[:limit]


def _detail_value(value):
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [_detail_value(v) for v in list(value)[:50]]
    return clean(value)


def _connect(path: str | Path) -> sqlite3.Connection:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=10)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(SCHEMA)
    return con


def record(path: str | Path, user: str, role: str | None, event: str, page: str | None = None,
           detail: dict | None = None) -> None:
    if event not in EVENTS:
        raise ValueError(f"Unknown audit event {event!r}")
    row = (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), clean(user or "(none)"),
           None if role is None else clean(role), event, None if page is None else clean(page),
           json.dumps({clean(k, 40): _detail_value(v) for k, v in (detail or {}).items()}, sort_keys=True))
    con = _connect(path)
    try:
        with con:
            con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)", row)
    finally:
        con.close()


def read(path: str | Path, limit: int = 5000) -> pd.DataFrame:
    """The newest entries first."""
    columns = ["at", "user", "role", "event", "page", "detail"]
    if not Path(path).exists():
        return pd.DataFrame(columns=columns)
    con = _connect(path)
    try:
        rows = con.execute("SELECT * FROM audit_log ORDER BY at DESC, rowid DESC LIMIT ?", (limit,)).fetchall()
    finally:
        con.close()
    return pd.DataFrame(rows, columns=columns)


def filters_detail(filters) -> dict:
    """The sidebar filters as audit detail (team and authority names, dates, quarters: no case data)."""
    return {"quarters": list(filters.quarters), "date_from": filters.date_from, "date_to": filters.date_to,
            "nation": filters.nation, "local_authority": filters.local_authority, "teams": list(filters.teams)}
