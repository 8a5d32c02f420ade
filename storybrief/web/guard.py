"""The outermost layer of the web app: request limits and security headers, as plain ASGI.

It sits outside FastAPI so that it also covers the responses FastAPI makes on
its own (404s, 500s) and can refuse a body before any of it is read:

- a ``Content-Length`` over the cap is answered 413 at once, without reading
  a byte of the body;
- a body without a length (chunked) is counted as it streams in; at the cap
  the app is told the client went away and the guard answers 413 itself, so
  no more than the cap is ever held;
- a ``Host`` header that is not a loopback name is refused (400) when the app
  is bound to loopback, which defeats DNS-rebinding pages in the browser;
- a cross-origin ``POST`` (an ``Origin`` that is not this server) is refused
  (403), so another site cannot submit the upload form;
- every response gets a strict Content-Security-Policy (unless the route set
  its own, stricter one) and the usual hardening headers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from markupsafe import escape

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

# Pages load their script and style from /static only; nothing else, from nowhere else.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# fmt: off
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make form posts send Origin: null
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
# fmt: on


def error_body(status: int, code: str, message: str, *, api: bool, **extra: Any) -> tuple[bytes, bytes]:
    """An error as (body, content type): JSON under /api/, a plain page elsewhere."""
    if api:
        payload = {"error": {"status": status, "code": code, "message": message, **extra}}
        return json.dumps(payload).encode("utf-8"), b"application/json"
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error {status}</title>'
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="/static/storybrief.css"></head><body><main>'
        f'<h1>Error {status}</h1><p class="error">{escape(message)}</p><p><a href="/">Back to the start page</a></p>'
        "</main></body></html>"
    )
    return page.encode("utf-8"), b"text/html; charset=utf-8"


# RFC 7230 Host: a bracketed IPv6 literal or a name / IPv4 address, and an optional numeric port.
_HOST_HEADER = re.compile(
    r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9.-]+))(?::(?P<port>[0-9]{1,5}))?"
)


def _hostname(host: str) -> str:
    """The host name in a Host header, or "" when the header is not a well-formed host[:port]
    (``127.0.0.1:8765@evil`` is not: a browser would send that to ``evil``)."""
    match = _HOST_HEADER.fullmatch(host)
    if match is None:
        return ""
    return match["v6"] or match["name"].lower()


class Guard:
    """ASGI middleware: body cap, host and origin checks, security headers."""

    def __init__(
        self, app: ASGIApp, *, max_body_bytes: int, allowed_hosts: frozenset[str] | None = LOOPBACK_HOSTS
    ):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", ())}
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", ())}
                extra = [h for h in SECURITY_HEADERS if h[0] not in names]
                if b"content-security-policy" not in names:
                    extra.append((b"content-security-policy", PAGE_CSP.encode("ascii")))
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        async def refuse(status: int, code: str, message: str, **extra: Any) -> None:
            body, content_type = error_body(status, code, message, api=api, **extra)
            await send_secured(
                {
                    "type": "http.response.start",
                    "status": status,
                    "headers": [
                        (b"content-type", content_type),
                        (b"content-length", str(len(body)).encode()),
                        (b"connection", b"close"),
                    ],
                }
            )
            await send_secured({"type": "http.response.body", "body": body})

        host = _hostname(headers.get("host", ""))
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            shown = headers.get("host", "")[:100]
            await refuse(400, "bad-host", f"host {shown!r} is not served here; use http://127.0.0.1")
            return
        if scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if origin is not None and origin != f"{scope.get('scheme', 'http')}://{headers.get('host', '')}":
                await refuse(403, "cross-origin", "cross-origin requests may not change anything here")
                return
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit():
                await refuse(400, "bad-content-length", "Content-Length is not a number")
                return
            if int(length) > self.max_body_bytes:
                await refuse(413, "body-too-large", self._too_large(), limit=self.max_body_bytes)
                return

        received = 0
        exceeded = False

        async def receive_limited() -> Message:
            nonlocal received, exceeded
            if exceeded:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    exceeded = True
                    return {"type": "http.disconnect"}
            return message

        async def send_unless_exceeded(message: Message) -> None:
            if not exceeded:
                await send_secured(message)

        try:
            await self.app(scope, receive_limited, send_unless_exceeded)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await refuse(413, "body-too-large", self._too_large(), limit=self.max_body_bytes)

    def _too_large(self) -> str:
        return f"request body is over the limit of {self.max_body_bytes:,} bytes (max_body_bytes)"
