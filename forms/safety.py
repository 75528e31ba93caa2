"""Safe on the internet: anti-forgery fields, rate limits, security headers and a request size limit.

* Anti-forgery (CSRF): every form carries a signed field, HMAC-SHA256(store key, token hash | issued at),
  valid for CSRF_MAX_AGE. Another site cannot make one without the key, and it needs no cookie, so the form
  works on a phone that refuses cookies. A field that fails is refused without losing the answer (app.py
  shows the page again with what was typed).
* Rate limits: an in-memory sliding window per client address and per token (one process; limits reset
  when the service restarts). Behind a reverse proxy the address is the one the proxy forwards
  (uvicorn --proxy-headers trusts only the proxy's own address).
* Headers: a strict Content-Security-Policy (no script at all, nothing from elsewhere, no framing),
  no Referer (the link's token must never leak to another site), no sniffing, no caching of answers.
"""
from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict, deque

CSRF_MAX_AGE = 12 * 3600          # seconds: a page left open over lunch still sends
MAX_BODY_BYTES = 64 * 1024        # one stage's answer is a rating and at most 2,000 characters

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; "
                                "form-action 'self'; frame-ancestors 'none'; img-src 'self' data:"),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def csrf_field(key: bytes, token_hash: str, now: float | None = None) -> str:
    issued = str(int(now if now is not None else time.time()))
    mac = hmac.new(key, f"{token_hash}|{issued}".encode(), hashlib.sha256).hexdigest()
    return f"{issued}.{mac}"


def csrf_ok(key: bytes, token_hash: str, value: str | None, now: float | None = None) -> bool:
    if not value or "." not in value:
        return False
    issued, mac = value.split(".", 1)
    if not issued.isdigit():
        return False
    expected = hmac.new(key, f"{token_hash}|{issued}".encode(), hashlib.sha256).hexdigest()
    age = (now if now is not None else time.time()) - int(issued)
    return hmac.compare_digest(expected, mac) and -60 <= age <= CSRF_MAX_AGE


class SlidingWindow:
    """At most `limit` hits per key in the last `window` seconds. Memory is bounded: the oldest keys go first."""

    def __init__(self, limit: int, window: float, max_keys: int = 50_000):
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._hits: OrderedDict[str, deque] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            allowed = len(hits) < self.limit
            if allowed:
                hits.append(now)
            self._hits[key] = hits          # most recently used last
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
            return allowed


class SafetyMiddleware:
    """Pure ASGI: adds the security headers to every answer, refuses bodies over MAX_BODY_BYTES with 413."""

    def __init__(self, app, max_body: int = MAX_BODY_BYTES):
        self.app, self.max_body = app, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await _plain(send, 413, "The form sent too much text. Go back and shorten your answer.")
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _TooLarge()
            return message

        async def with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, limited_receive, with_headers)
        except _TooLarge:
            if not started:
                await _plain(send, 413, "The form sent too much text. Go back and shorten your answer.")


class _TooLarge(Exception):
    pass


async def _plain(send, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
