"""The follow-up store: which forms' red and amber answers were talked through with the young person, and when.

SPEC 6a: "Amber and red answers are followed up ... and the follow-up is recorded". A small SQLite file (setting
`follow_up_store`) apart from the warehouse, like the audit log: every load replaces the warehouse file, and a
follow-up must outlive loads. Keyed by the form's response_id, which a later load of the same form keeps.

The note is case-level text: the named queries read it only for the case-level follow-up list
(queries.follow_up); the figures read only (response_id, date). Nothing here logs anything.
"""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pandas as pd

NOTE_MAX = 300          # a short note: what was agreed, not a case record
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

SCHEMA = """CREATE TABLE IF NOT EXISTS follow_ups (
    response_id TEXT PRIMARY KEY,      -- the form (traffic_light_ratings.response_id)
    talked_through_on TEXT NOT NULL,   -- ISO date the red / amber answers were talked through
    note TEXT,                         -- optional, at most NOTE_MAX characters; case level
    recorded_by TEXT NOT NULL,         -- the signed-in user (email, or 'local')
    recorded_at TEXT NOT NULL,         -- UTC, ISO 8601
    change_no INTEGER NOT NULL         -- increases with every write: the store's version, for caches
)"""


class FollowUpError(ValueError):
    """A follow-up that cannot be recorded: one plain sentence for the person recording it."""


def check(talked_through_on: dt.date | None, review_date: dt.date, today: dt.date, note: str | None) -> str | None:
    """The rule for a follow-up: talked through on a date not in the future and not before the review; an optional
    note of at most NOTE_MAX characters. Returns the note as stored (trimmed, control characters removed, None when
    blank), or raises FollowUpError saying what to change."""
    if not isinstance(talked_through_on, dt.date):
        raise FollowUpError("Give the date the answers were talked through.")
    if talked_through_on > today:
        raise FollowUpError(f"The date talked through cannot be in the future (today is {today:%d/%m/%Y}).")
    if talked_through_on < review_date:
        raise FollowUpError(f"The date talked through cannot be before the review ({review_date:%d/%m/%Y}).")
    note = _CONTROL.sub("", note or "").strip()
    if len(note) > NOTE_MAX:
        raise FollowUpError(f"The note is {len(note)} characters long: keep it to {NOTE_MAX} "
                            "(a short note; the case record belongs in the case-management system).")
    return note or None


def _connect(path: str | Path) -> sqlite3.Connection:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=10)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute(SCHEMA)
    return con


def record(path: str | Path, response_id: str, talked_through_on: dt.date, note: str | None, recorded_by: str) -> None:
    """Store (or correct) the follow-up of one form. Call check() first: this stores what it is given."""
    con = _connect(path)
    try:
        with con:
            con.execute(
                """INSERT INTO follow_ups VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(change_no), 0) + 1 FROM follow_ups))
                   ON CONFLICT (response_id) DO UPDATE SET talked_through_on = excluded.talked_through_on,
                       note = excluded.note, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at,
                       change_no = excluded.change_no""",
                (str(response_id), talked_through_on.isoformat(), note, recorded_by,
                 dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")))
    finally:
        con.close()


def read(path: str | Path, with_notes: bool = False) -> pd.DataFrame:
    """Every follow-up: response_id and talked_through_on (a date); with_notes adds note and recorded_by
    (case level: only the follow-up list asks for them)."""
    columns = ["response_id", "talked_through_on"] + (["note", "recorded_by"] if with_notes else [])
    rows: list = []
    if Path(path).exists():
        con = _connect(path)
        try:
            rows = con.execute(f"SELECT {', '.join(columns)} FROM follow_ups").fetchall()
        finally:
            con.close()
    frame = pd.DataFrame(rows, columns=columns).astype({"response_id": "string"})
    frame["talked_through_on"] = pd.to_datetime(frame["talked_through_on"], format="%Y-%m-%d").dt.date
    for column in ("note", "recorded_by"):
        if column in frame:
            frame[column] = frame[column].astype("string")
    return frame


def version(path: str | Path) -> int:
    """Changes whenever a follow-up is recorded: cached figures that depend on the store are keyed on it."""
    if not Path(path).exists():
        return 0
    con = _connect(path)
    try:
        return int(con.execute("SELECT coalesce(max(change_no), 0) FROM follow_ups").fetchone()[0])
    finally:
        con.close()
