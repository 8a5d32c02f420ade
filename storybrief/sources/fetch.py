"""Fetch URLs politely and within limits: httpx behind the SSRF guard.

Limits (a hostile or broken server cannot hold or flood a run):

- connect and read timeouts (``fetch_timeout``), and a deadline for a whole
  response (``fetch_deadline``), so a body that trickles forever is cut;
- ``max_file_bytes`` on the body, counted as it streams in, both on the wire
  and after decompression: we decompress gzip and deflate ourselves, a bounded
  piece at a time, so a gzip bomb stops at the cap instead of filling memory;
- at most 5 redirects, each target checked by the guard again.

Politeness:

- robots.txt is honoured (parsed with Protego), unless ``respect_robots`` is off;
- its Crawl-delay is kept between requests to that host;
- at most 2 connections at once per host;
- 429 and 503 are retried after the server's Retry-After (seconds or a date),
  or 1, 2, 4 s without one; a wait over two minutes is a failure, not a stall;
- every request says who we are (:data:`USER_AGENT`).

Every failure is a :class:`~storybrief.errors.FetchError` whose ``reason`` is
one of :data:`FETCH_REASONS`.
"""

from __future__ import annotations

import email.utils
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import httpx

from ..config import Options
from ..errors import BlockedURL, FetchError
from .netguard import Guard, Resolver, check_scheme, guarded_transport, system_resolve

if TYPE_CHECKING:
    from protego import Protego

# fmt: off
FETCH_REASONS = {
    "blocked-scheme": "not an http or https URL",
    "blocked-address": "the host resolves to a private, loopback, link-local, multicast or reserved address",
    "dns": "the host name does not resolve",
    "robots": "the site's robots.txt disallows it",
    "timeout": "the server did not answer, or did not finish, in time",
    "connect-failed": "the connection failed",
    "too-large": "the response is over the size limit",
    "too-many-redirects": "more than 5 redirects",
    "http-error": "the server answered with an error status",
    "rate-limited": "the server kept answering 429 or 503",
    "unsupported-type": "the response is not a web page or a feed",
    "unsupported-encoding": "the response is compressed in a way we do not read",
    "bad-response": "the response is malformed",
}
# fmt: on
ROBOTS_TOKEN = "storybrief"
USER_AGENT = "storybrief/0.1 (news briefing tool; honours robots.txt)"
MAX_REDIRECTS = 5
PER_HOST = 2
_REDIRECTS = {301, 302, 303, 307, 308}
_ROBOTS_BYTES = 500 * 1024  # RFC 9309: parse at least 500 KiB


@dataclass(frozen=True)
class Fetched:
    """A response we read in full: status 200 (or 304 for a conditional GET that found no change)."""

    url: str  # after redirects
    requested: str
    status: int
    content_type: str  # the media type, lower case, without parameters ("" when not sent)
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass
class _Host:
    """What we know about one host: its robots rules, and when we may next ask it."""

    slots: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(PER_HOST))
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    robots: Protego | bool | None = None  # a Protego parser, or True (everything allowed), or False (nothing)
    delay: float = 0.0
    next_time: float = 0.0

    def wait_turn(self, sleep) -> None:
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_time)
            self.next_time = start + self.delay
        if start > now:
            sleep(start - now)

    def back_off(self, seconds: float) -> None:
        with self.lock:
            self.next_time = max(self.next_time, time.monotonic() + seconds)


class Fetcher:
    """Fetches URLs for one run; thread-safe, so a pool of threads can share it.  Close it when done."""

    def __init__(
        self,
        options: Options | None = None,
        *,
        resolve: Resolver = system_resolve,
        retries: int = 3,
        max_retry_wait: float = 120.0,
        sleep=time.sleep,
    ):
        self.options = options or Options()
        self.guard = Guard(allow_hosts=self.options.allow_hosts, resolve=resolve)
        self.retries = retries
        self.max_retry_wait = max_retry_wait
        self.sleep = sleep
        timeout = self.options.fetch_timeout
        self.client = httpx.Client(
            transport=guarded_transport(self.guard),
            timeout=httpx.Timeout(timeout, pool=self.options.fetch_deadline),
            headers={"user-agent": USER_AGENT, "accept-encoding": "gzip, deflate"},
            follow_redirects=False,
            trust_env=False,
        )
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # the public call -----------------------------------------------------------------------
    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
        "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.5",
    ) -> Fetched:
        """GET ``url``, following up to 5 redirects; raises :class:`FetchError` with a named reason.

        With ``etag`` or ``last_modified`` the request is conditional, and an unchanged
        resource comes back as a 304 :class:`Fetched` with an empty body.
        """
        headers = {"accept": accept}
        if etag:
            headers["if-none-match"] = etag
        if last_modified:
            headers["if-modified-since"] = last_modified
        return self._follow(url, headers, robots=self.options.respect_robots)

    # internals -------------------------------------------------------------------------------
    def _follow(
        self, url: str, headers: dict[str, str], *, robots: bool, limit: int | None = None
    ) -> Fetched:
        requested = url
        redirects: list[str] = []
        while True:
            check_scheme(url)
            try:
                if robots:
                    self._check_robots(url)
                status, response_headers, body = self._get(url, headers, limit=limit)
            except BlockedURL as e:
                if not redirects:
                    raise
                raise BlockedURL(
                    e.reason,
                    f"redirected from {requested} to {url}, which is refused: {e.detail}",
                    url=url,
                    hint=e.hint,
                ) from e
            location = response_headers.get("location")
            if status in _REDIRECTS and location:
                if len(redirects) >= MAX_REDIRECTS:
                    raise FetchError(
                        "too-many-redirects",
                        f"more than {MAX_REDIRECTS} redirects (last to {location})",
                        url=requested,
                    )
                target = urljoin(url, location)
                try:
                    check_scheme(target)
                except BlockedURL as e:
                    raise BlockedURL(e.reason, f"redirected from {url}: {e.detail}", url=target) from e
                redirects.append(target)
                url = target
                continue
            break
        if status == 304:
            return Fetched(
                url,
                requested,
                304,
                "",
                None,
                b"",
                response_headers.get("etag"),
                response_headers.get("last-modified"),
                tuple(redirects),
            )
        if not 200 <= status < 300:
            raise FetchError("http-error", f"the server answered {status}", url=url, status=status)
        media, _, params = response_headers.get("content-type", "").partition(";")
        charset = None
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip("\"' ").lower()
        return Fetched(
            url,
            requested,
            status,
            media.strip().lower(),
            charset,
            body,
            response_headers.get("etag"),
            response_headers.get("last-modified"),
            tuple(redirects),
        )

    def _host(self, url: str) -> _Host:
        key = _origin(url)
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host()
            return host

    def _check_robots(self, url: str) -> None:
        host = self._host(url)
        with host.robots_lock:
            if host.robots is None:
                host.robots = self._load_robots(url, host)
        rules = host.robots
        allowed = rules if isinstance(rules, bool) else rules.can_fetch(url, ROBOTS_TOKEN)
        if not allowed:
            raise FetchError(
                "robots",
                f"{_origin(url)}/robots.txt disallows this URL for {ROBOTS_TOKEN}",
                url=url,
                hint="respect_robots = false in your config turns this off, for sites you run",
            )

    def _load_robots(self, url: str, host: _Host) -> Protego | bool:
        from protego import Protego

        robots_url = _origin(url) + "/robots.txt"
        try:
            fetched = self._follow(robots_url, {"accept": "text/plain"}, robots=False, limit=_ROBOTS_BYTES)
        except BlockedURL as e:
            raise BlockedURL(
                e.reason, e.detail, url=url, hint=e.hint
            ) from e  # about the page, not its robots.txt
        except FetchError as e:
            if e.reason == "http-error" and e.status is not None and e.status < 500:
                return True  # 4xx: no rules (RFC 9309 2.3.1.3)
            if e.reason in ("http-error", "rate-limited"):
                return (
                    False  # 5xx: the site is unreachable for now; assume everything is disallowed (2.3.1.4)
                )
            if e.reason == "too-large":
                return True
            raise
        rules = Protego.parse(fetched.body.decode("utf-8", "replace"))
        delay = rules.crawl_delay(ROBOTS_TOKEN)
        if delay:
            host.delay = min(float(delay), 60.0)
        return rules

    def _get(
        self, url: str, headers: dict[str, str], *, limit: int | None
    ) -> tuple[int, httpx.Headers, bytes]:
        host = self._host(url)
        limit = limit or self.options.max_file_bytes
        for attempt in range(self.retries + 1):
            host.wait_turn(self.sleep)
            with host.slots:
                try:
                    with self.client.stream("GET", url, headers=headers) as response:
                        status = response.status_code
                        if status in (429, 503):
                            wait = _retry_after(response.headers.get("retry-after"))
                            wait = 2.0**attempt if wait is None else wait
                            if attempt == self.retries or wait > self.max_retry_wait:
                                raise FetchError(
                                    "rate-limited",
                                    f"the server answered {status} {attempt + 1} time(s)"
                                    f" (Retry-After {wait:g} s)",
                                    url=url,
                                )
                            host.back_off(wait)
                            continue
                        body = (
                            b""
                            if status in _REDIRECTS or status == 304 or status >= 400
                            else self._read(response, url, limit)
                        )
                        return status, response.headers, body
                except BlockedURL as e:
                    raise BlockedURL(e.reason, e.detail, url=url, hint=e.hint) from e
                except httpx.TimeoutException as e:
                    raise FetchError(
                        "timeout",
                        f"no answer within {self.options.fetch_timeout:g} s ({type(e).__name__})",
                        url=url,
                    ) from e
                except httpx.ConnectError as e:
                    raise FetchError("connect-failed", f"cannot connect: {e}", url=url) from e
                except (httpx.RemoteProtocolError, httpx.DecodingError, httpx.LocalProtocolError) as e:
                    raise FetchError("bad-response", f"malformed response: {e}", url=url) from e
                except httpx.HTTPError as e:
                    raise FetchError("connect-failed", f"{type(e).__name__}: {e}", url=url) from e
        raise AssertionError("unreachable")

    def _read(self, response: httpx.Response, url: str, limit: int) -> bytes:
        deadline = time.monotonic() + self.options.fetch_deadline
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(
                "too-large",
                f"the response is {int(declared):,} bytes, over the {limit:,}-byte limit (max_file_bytes)",
                url=url,
            )
        decoder = _Decoder(response.headers.get("content-encoding", ""), url)
        parts: list[bytes] = []
        size = wire = 0
        for chunk in response.iter_raw():
            wire += len(chunk)
            if wire > limit:
                raise FetchError(
                    "too-large", f"the response is over the {limit:,}-byte limit (max_file_bytes)", url=url
                )
            piece = decoder.feed(chunk, room=limit - size)
            size += len(piece)
            if size > limit:
                raise FetchError(
                    "too-large",
                    f"the response decompresses to over {limit:,} bytes (max_file_bytes);"
                    " a compression bomb?",
                    url=url,
                )
            parts.append(piece)
            if time.monotonic() > deadline:
                raise FetchError(
                    "timeout",
                    f"the response did not end within {self.options.fetch_deadline:g} s (fetch_deadline)",
                    url=url,
                )
        return b"".join(parts)


class _Decoder:
    """Content-Encoding undone a bounded piece at a time (gzip, deflate), so the output never exceeds the room left."""

    def __init__(self, encoding: str, url: str):
        names = [
            e.strip().lower() for e in encoding.split(",") if e.strip() and e.strip().lower() != "identity"
        ]
        if len(names) > 1 or (names and names[0] not in ("gzip", "x-gzip", "deflate")):
            raise FetchError(
                "unsupported-encoding", f"Content-Encoding {encoding!r} is not gzip or deflate", url=url
            )
        self.url = url
        self.kind = names[0] if names else None
        self.inflate = self._new() if self.kind else None
        self.started = False

    def _new(self):
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self.kind in ("gzip", "x-gzip") else zlib.MAX_WBITS)

    def feed(self, data: bytes, *, room: int) -> bytes:
        if self.inflate is None:
            return data
        out: list[bytes] = []
        produced = 0
        try:
            while data:
                if self.kind == "deflate" and not self.started:
                    self.started = True
                    if data[0] & 0x0F != 8:  # not a zlib header: a raw deflate stream, as some servers send
                        self.inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                piece = self.inflate.decompress(data, room - produced + 1)
                out.append(piece)
                produced += len(piece)
                if produced > room:
                    break  # over the cap: the caller stops here
                if self.inflate.eof:
                    data = self.inflate.unused_data  # a gzip body may hold several members
                    self.inflate = self._new() if data else self.inflate
                else:
                    data = self.inflate.unconsumed_tail
        except zlib.error as e:
            raise FetchError(
                "bad-response", f"the {self.kind} body does not decompress: {e}", url=self.url
            ) from e
        return b"".join(out)


def _origin(url: str) -> str:
    parsed = httpx.URL(url)
    default = {"http": 80, "https": 443}.get(parsed.scheme)
    port = f":{parsed.port}" if parsed.port and parsed.port != default else ""
    host = parsed.host if ":" not in parsed.host else f"[{parsed.host}]"
    return f"{parsed.scheme}://{host}{port}"


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of seconds, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
