"""The form service's own store: invitations (tokens, hashed) and the answers waiting to be loaded.

SQLite in WAL mode, apart from the warehouse (which the form service never opens) and from the audit log.
What it holds, and for how long:
  * an invitation: the SHA-256 of its token (never the token), the plan_id and authority it is for, when it
    was made and when it expires, and whether it is open, sent or loaded;
  * the answers of an open or sent form (rating and comment per stage). They are deleted when the form is
    loaded into the warehouse, and when an unsent invitation expires.
Nothing else: no name, no address, no IP address, no cookie.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

# 24 random bytes: 192 bits, well past the 128 the link must carry, and 32 URL-safe characters.
TOKEN_BYTES = 24
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{22,86}")

SCHEMA = """
CREATE TABLE IF NOT EXISTS invitations (
    token_hash TEXT PRIMARY KEY,          -- SHA-256 of the token, hex; the token itself is never stored
    plan_id TEXT NOT NULL,
    local_authority TEXT,
    created_at TEXT NOT NULL,             -- UTC, ISO
    expires_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'sent', 'loaded')),
    submitted_at TEXT,
    loaded_at TEXT
);
CREATE INDEX IF NOT EXISTS invitations_status ON invitations (status);
CREATE TABLE IF NOT EXISTS answers (
    token_hash TEXT NOT NULL REFERENCES invitations (token_hash),
    stage_no INTEGER NOT NULL CHECK (stage_no BETWEEN 1 AND 10),
    rating TEXT CHECK (rating IN ('red', 'amber', 'green')),
    comment TEXT,
    PRIMARY KEY (token_hash, stage_no)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def response_id(token_hash: str) -> str:
    """The warehouse's response_id for a form: derived from the token's hash, so neither can be found from it."""
    return "OF-" + hashlib.sha256(("response|" + token_hash).encode()).hexdigest()[:20]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


@dataclass(frozen=True)
class Invitation:
    token_hash: str
    plan_id: str
    local_authority: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    status: str
    submitted_at: dt.datetime | None

    def state(self, now: dt.datetime) -> str:
        """open, expired, sent or loaded (a sent form never expires: it is waiting to be loaded)."""
        if self.status == "open" and now >= self.expires_at:
            return "expired"
        return self.status


@dataclass(frozen=True)
class WaitingForm:
    token_hash: str
    plan_id: str
    local_authority: str | None
    submitted_at: dt.datetime
    answers: dict[int, tuple[str | None, str | None]]


def _ts(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class Store:
    """One handle to the store file; each call opens a short connection (the server runs requests in threads)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            con.executescript(SCHEMA)

    @contextlib.contextmanager
    def _connect(self):
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            con.execute("PRAGMA busy_timeout=10000")
            con.execute("PRAGMA foreign_keys=ON")
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def _transaction(self):
        with self._connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise

    def secret(self) -> bytes:
        """The key that signs the forms' anti-forgery fields: made once, kept in the store."""
        with self._transaction() as con:
            row = con.execute("SELECT value FROM meta WHERE key = 'signing_key'").fetchone()
            if row is None:
                row = (secrets.token_hex(32),)
                con.execute("INSERT INTO meta VALUES ('signing_key', ?)", row)
        return bytes.fromhex(row[0])

    # --- invitations -------------------------------------------------------------------------------------
    def create_invitation(self, plan_id: str, local_authority: str | None, days: int,
                          now: dt.datetime | None = None) -> str:
        """A new link's token for one review. Only its hash is kept: the token is shown once, to whoever makes it."""
        if not plan_id or not str(plan_id).strip():
            raise ValueError("an invitation needs the plan_id of the review")
        now = now or utcnow()
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._transaction() as con:
            con.execute("INSERT INTO invitations (token_hash, plan_id, local_authority, created_at, expires_at) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (hash_token(token), str(plan_id).strip(), local_authority, now.isoformat(),
                         (now + dt.timedelta(days=days)).isoformat()))
        return token

    def find(self, token: str) -> Invitation | None:
        """The invitation a token is for, or None for a token that was never made (or is not even token-shaped)."""
        if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
            return None
        with self._connect() as con:
            row = con.execute("SELECT token_hash, plan_id, local_authority, created_at, expires_at, status, "
                              "submitted_at FROM invitations WHERE token_hash = ?", (hash_token(token),)).fetchone()
        if row is None:
            return None
        return Invitation(row[0], row[1], row[2], _ts(row[3]), _ts(row[4]), row[5], _ts(row[6]))

    def invited_plan_ids(self) -> set[str]:
        """Plans that have a link that is still usable or a form sent or loaded (for listing reviews without one)."""
        with self._connect() as con:
            rows = con.execute("SELECT DISTINCT plan_id FROM invitations WHERE status <> 'open' OR expires_at > ?",
                               (utcnow().isoformat(),)).fetchall()
        return {r[0] for r in rows}

    # --- answers -----------------------------------------------------------------------------------------
    def save_answer(self, token_hash: str, stage_no: int, rating: str | None, comment: str | None) -> bool:
        """Keep one stage's answer, only while the form is open (False when it was sent meanwhile)."""
        with self._transaction() as con:
            status = con.execute("SELECT status FROM invitations WHERE token_hash = ?", (token_hash,)).fetchone()
            if status is None or status[0] != "open":
                return False
            con.execute("INSERT INTO answers VALUES (?, ?, ?, ?) ON CONFLICT (token_hash, stage_no) "
                        "DO UPDATE SET rating = excluded.rating, comment = excluded.comment",
                        (token_hash, stage_no, rating, comment))
        return True

    def answers(self, token_hash: str) -> dict[int, tuple[str | None, str | None]]:
        with self._connect() as con:
            rows = con.execute("SELECT stage_no, rating, comment FROM answers WHERE token_hash = ?",
                               (token_hash,)).fetchall()
        return {n: (rating, comment) for n, rating, comment in rows}

    def submit(self, token_hash: str, now: dt.datetime | None = None) -> bool:
        """Send the form: spends the token. True only for the request that sent it (a double submit is False)."""
        now = now or utcnow()
        with self._transaction() as con:
            done = con.execute("UPDATE invitations SET status = 'sent', submitted_at = ? "
                               "WHERE token_hash = ? AND status = 'open' AND expires_at > ?",
                               (now.isoformat(), token_hash, now.isoformat())).rowcount
        return done == 1

    # --- into the warehouse --------------------------------------------------------------------------------
    def waiting(self) -> list[WaitingForm]:
        """Sent forms not yet loaded, oldest first."""
        with self._connect() as con:
            forms = con.execute("SELECT token_hash, plan_id, local_authority, submitted_at FROM invitations "
                                "WHERE status = 'sent' ORDER BY submitted_at, token_hash").fetchall()
            rows = con.execute("SELECT a.token_hash, stage_no, rating, comment FROM answers a "
                               "JOIN invitations i USING (token_hash) WHERE i.status = 'sent'").fetchall()
        answers: dict[str, dict] = {}
        for token_hash, n, rating, comment in rows:
            answers.setdefault(token_hash, {})[n] = (rating, comment)
        return [WaitingForm(h, plan, la, _ts(sub), answers.get(h, {})) for h, plan, la, sub in forms]

    def mark_loaded(self, token_hashes: list[str], now: dt.datetime | None = None) -> None:
        """After the warehouse load has committed: the answers are in the warehouse, so they leave this store."""
        now = now or utcnow()
        with self._transaction() as con:
            for h in token_hashes:
                con.execute("UPDATE invitations SET status = 'loaded', loaded_at = ? WHERE token_hash = ? "
                            "AND status = 'sent'", (now.isoformat(), h))
                con.execute("DELETE FROM answers WHERE token_hash = ?", (h,))

    def purge_expired(self, now: dt.datetime | None = None) -> int:
        """Answers of invitations that expired unsent are deleted: they will never be sent."""
        now = now or utcnow()
        with self._transaction() as con:
            return con.execute("DELETE FROM answers WHERE token_hash IN (SELECT token_hash FROM invitations "
                               "WHERE status = 'open' AND expires_at <= ?)", (now.isoformat(),)).rowcount

    def counts(self) -> dict[str, int]:
        with self._connect() as con:
            rows = con.execute("SELECT status, count(*) FROM invitations GROUP BY status").fetchall()
        return {status: n for status, n in rows}
