"""A real HTTP server on 127.0.0.1 serving invented news sites: article pages, RSS and Atom feeds,
an OPML list, and the misbehaviours a fetcher must survive (redirect chains, redirects to private
addresses, a body that never ends, a 50 MB body, a gzip bomb, robots.txt rules, 429 with Retry-After,
conditional GET).

Used by tests/test_ingest.py, tests/test_docs.py and bench/ingest_speed.py.  Every outlet, person and
sentence served is invented (the harbour-fire example and text made up here); nothing is fetched
from anywhere else.
"""

from __future__ import annotations

import gzip
import html
import threading
import time
import zlib
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "harbour-fire" / "articles"
FEED_DATE = "Wed, 11 Mar 2026 12:00:00 GMT"


def page_html(
    *, title: str, outlet: str, text: str, date: str | None = None, canonical: str | None = None
) -> str:
    """An article page as a news site would serve it: navigation, the article, a footer."""
    paragraphs = "\n".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())
    meta = f'<meta property="og:site_name" content="{html.escape(outlet)}">'
    if date:
        meta += f'\n<meta property="article:published_time" content="{date}">'
    if canonical:
        meta += f'\n<link rel="canonical" href="{html.escape(canonical)}">'
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | '
        f"{html.escape(outlet)}</title>\n{meta}\n</head><body>\n"
        f'<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>\n'
        f"<article><h1>{html.escape(title)}</h1>\n{paragraphs}\n</article>\n"
        f"<footer>© {html.escape(outlet)}. All rights reserved.</footer>\n</body></html>\n"
    )


def example_pages() -> dict[str, tuple[str, str, str]]:
    """The bundled example's articles as pages: path -> (title, date, html)."""
    from storybrief.sources.plaintext import article_from_text

    pages = {}
    for path in sorted(EXAMPLE.glob("*.txt")):
        article = article_from_text(path.read_text(encoding="utf-8"), source=str(path))
        date = article.published.isoformat() if article.published else None
        pages[f"/news/{path.stem}.html"] = (
            article.title,
            date,
            page_html(title=article.title, outlet=article.outlet, text=article.text, date=date),
        )
    return pages


def rss(
    items: list[tuple[str, str, str | None]], *, title: str = "The Kellhaven Courier", base: str = ""
) -> str:
    """An RSS 2.0 feed of (link, title, RFC 822 date or None) items."""
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(base + link)}</link>"
        f"<guid>{html.escape(base + link)}</guid>{f'<pubDate>{d}</pubDate>' if d else ''}</item>\n"
        for link, t, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{html.escape(title)}</title>'
        f"<link>{base}/</link><description>Invented news for tests</description>\n{entries}</channel></rss>\n"
    )


def atom(items: list[tuple[str, str, str]], *, title: str = "Coastal Press Agency", base: str = "") -> str:
    """An Atom feed of (link, title, RFC 3339 date) entries."""
    entries = "".join(
        f'<entry><title>{html.escape(t)}</title><link href="{html.escape(base + link)}"/>'
        f"<id>{html.escape(base + link)}</id><updated>{d}</updated></entry>\n"
        for link, t, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{html.escape(title)}</title><id>{base}/</id><updated>2026-03-12T00:00:00Z</updated>\n"
        f"{entries}</feed>\n"
    )


def rfc822(iso: str | None) -> str | None:
    from datetime import datetime

    return format_datetime(datetime.fromisoformat(iso)) if iso else None


class Site:
    """What the server serves; tests add routes and read the request log."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}  # path -> bytes/str body, or a callable(handler)
        self.robots = "User-agent: *\nDisallow: /private/\n"
        self.log: list[tuple[str, dict[str, str]]] = []  # (path, headers) of every request
        self.stopping = threading.Event()
        self.calls: dict[str, int] = {}

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)


class _Handler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def do_GET(self) -> None:
        site = self.site
        path = self.path.split("?", 1)[0]
        site.log.append((path, {k.lower(): v for k, v in self.headers.items()}))
        site.calls[path] = site.calls.get(path, 0) + 1
        if path == "/robots.txt":
            if site.robots is None:
                return self.send_body(404, b"not found", "text/plain")
            return self.send_body(200, site.robots.encode(), "text/plain")
        route = site.routes.get(path)
        if route is None:
            return self.send_body(404, b"<h1>Not found</h1>", "text/html")
        if callable(route):
            return route(self)
        if isinstance(route, str):  # "{base}" in a served text is this server's own URL
            route = route.replace("{base}", f"http://127.0.0.1:{self.server.server_address[1]}")
        body = route.encode("utf-8") if isinstance(route, str) else route
        kind = (
            "application/rss+xml"
            if path.endswith(".rss")
            else (
                "application/atom+xml"
                if path.endswith(".atom")
                else ("text/x-opml" if path.endswith(".opml") else "text/html; charset=utf-8")
            )
        )
        self.send_body(200, body, kind)

    def send_body(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


# misbehaviours, as route callables -------------------------------------------------------------------
def redirect(to: str, status: int = 302):
    def handle(h: _Handler) -> None:
        target = to.replace("{port}", str(h.server.server_address[1]))
        h.send_body(status, b"", "text/html", {"Location": target})

    return handle


def never_ending(h: _Handler) -> None:
    """Headers, then a byte every 0.2 s until the client goes away (or the server stops)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Connection", "close")  # no length: the body runs until the connection closes
    h.end_headers()
    h.close_connection = True
    try:
        h.wfile.write(b"<html><body><p>")
        while not h.site.stopping.is_set():
            h.wfile.write(b"a")
            h.wfile.flush()
            time.sleep(0.2)
    except OSError:
        pass


def silent(h: _Handler) -> None:
    """Headers, then nothing at all."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.send_header("Content-Length", "1000")
    h.end_headers()
    h.wfile.flush()
    h.site.stopping.wait(30)


def huge(h: _Handler, *, size: int = 50 * 1024 * 1024, declare: bool = False) -> None:
    """A 50 MB page, streamed in 64 KiB pieces (chunked, so no Content-Length gives it away)."""
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    if declare:
        h.send_header("Content-Length", str(size))
    else:
        h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()
    piece = b"<p>" + b"x" * (65536 - 3)
    sent = 0
    try:
        while sent < size and not h.site.stopping.is_set():
            if declare:
                h.wfile.write(piece)
            else:
                h.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            sent += len(piece)
        if not declare:
            h.wfile.write(b"0\r\n\r\n")
    except OSError:
        pass
    h.site.calls["huge-bytes"] = sent


_BOMB: bytes | None = None


def gzip_bomb(h: _Handler) -> None:
    """About 100 KB on the wire that inflates to 100 MB of zeros."""
    global _BOMB
    if _BOMB is None:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        zeros = b"\0" * (1024 * 1024)
        _BOMB = b"".join(compressor.compress(zeros) for _ in range(100)) + compressor.flush()
    h.send_body(200, _BOMB, "text/html", {"Content-Encoding": "gzip"})


def gzipped(body: str):
    def handle(h: _Handler) -> None:
        h.send_body(
            200, gzip.compress(body.encode("utf-8")), "text/html; charset=utf-8", {"Content-Encoding": "gzip"}
        )

    return handle


def busy_then(body: str, *, times: int = 1, retry_after: str = "1", status: int = 429):
    """429 (or 503) with Retry-After ``times`` times, then the page; each answer's time is logged."""

    def handle(h: _Handler) -> None:
        key = "busy:" + h.path
        h.site.calls.setdefault("busy-times", []).append(time.monotonic())
        if h.site.calls.get(key, 0) < times:
            h.site.calls[key] = h.site.calls.get(key, 0) + 1
            return h.send_body(status, b"slow down", "text/plain", {"Retry-After": retry_after})
        h.send_body(200, body.encode("utf-8"), "text/html; charset=utf-8")

    return handle


def conditional(
    body: str, *, etag: str = '"v1"', last_modified: str = FEED_DATE, kind: str = "application/rss+xml"
):
    """A feed that answers 304 when the client already has this version."""

    def handle(h: _Handler) -> None:
        if h.headers.get("If-None-Match") == etag or h.headers.get("If-Modified-Since") == last_modified:
            h.send_response(304)
            h.send_header("ETag", etag)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        text = body.replace("{base}", f"http://127.0.0.1:{h.server.server_address[1]}")
        h.send_body(200, text.encode("utf-8"), kind, {"ETag": etag, "Last-Modified": last_modified})

    return handle


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up (as the fetcher does at a size cap) is expected here


class FeedServer:
    """``with FeedServer() as server:`` a ThreadingHTTPServer on 127.0.0.1 in a daemon thread."""

    def __init__(self, site: Site | None = None, host: str = "127.0.0.1") -> None:
        self.site = site or Site()
        handler = type("Handler", (_Handler,), {"site": self.site})
        self.httpd = _Server((host, 0), handler)
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, name=f"feed-server-{self.port}", daemon=True
        )

    def __enter__(self) -> FeedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.site.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def example_site(site: Site | None = None) -> Site:
    """The harbour-fire example as two outlets' feeds (RSS and Atom) over its article pages."""
    site = site or Site()
    pages = example_pages()
    for path, (_, _, body) in pages.items():
        site.routes[path] = body
    items = [(path, title, rfc822(date)) for path, (title, date, _) in pages.items()]
    site.routes["/courier.rss"] = rss(items[:4], base="{base}")
    site.routes["/cpa.atom"] = atom(
        [(p, t, d or "2026-03-11T00:00:00Z") for p, (t, d, _) in list(pages.items())[4:]], base="{base}"
    )
    site.routes["/feeds.opml"] = (
        '<?xml version="1.0"?><opml version="2.0"><head><title>Kellhaven</title></head><body>'
        '<outline text="Courier" type="rss" xmlUrl="{base}/courier.rss"/>'
        '<outline text="Coastal Press" type="rss" xmlUrl="{base}/cpa.atom"/></body></opml>'
    )
    return site


# invented stories, as many as a test needs ---------------------------------------------------------------
_TOWNS = [
    "Kellhaven",
    "Eastmoor",
    "Corran",
    "Fenwick",
    "Northgate",
    "Brackley Vale",
    "Ostry",
    "Maldon Cross",
    "Tarrow",
    "Wenlock Bay",
    "Silverdene",
    "Harkmoor",
]
# fmt: off
_EVENTS = [
    ("flood water rose through the streets of {town} after the River {river} burst its banks", [
        "Sandbags were handed out at the fire station as the water reached the market square.",
        "Pumps from three counties worked through the night to drain flooded cellars.",
        "Forecasters warned that more rain was expected before the weekend.",
        "Dozens of families spent the night with relatives on higher ground."]),
    ("the old {river} bridge in {town} was closed after engineers found cracks in its main arch", [
        "Structural engineers said the Victorian masonry had shifted by several centimetres.",
        "Lorries were diverted along the ring road, adding an hour to some journeys.",
        "Shopkeepers on the far bank said trade had fallen sharply since the closure.",
        "A temporary footbridge could be built within weeks, the highways department said."]),
    ("bus drivers in {town} walked out in a dispute over pay and rest breaks", [
        "Pickets gathered outside the depot before dawn holding union banners.",
        "Commuters queued for taxis as timetables were suspended across the district.",
        "The operator said its pay offer was the best in the region.",
        "Union negotiators demanded guaranteed rest breaks on long rural routes."]),
    ("a new secondary school opened in {town} with places for {count} pupils", [
        "Pupils explored the science laboratories and the new sports hall.",
        "The headteacher said the library would be open to families in the evenings.",
        "Builders finished the roof only weeks before the first term began.",
        "Parents welcomed the end of long coach journeys to neighbouring towns."]),
    ("the {town} harvest festival drew {count} visitors to the riverside meadow", [
        "Cider makers and cheese stalls lined the meadow beside the mill.",
        "A lantern parade wound through the old town after dusk.",
        "Morris dancers and a brass band performed on the bandstand.",
        "Organisers said takings would fund the restoration of the tithe barn."]),
    ("plans for a {count}-bed hospital wing in {town} were approved by the health board", [
        "Surgeons said the wing would cut waiting times for hip and knee operations.",
        "The scheme includes a maternity unit and an expanded emergency department.",
        "Construction on the former car park is expected to take two years.",
        "Campaigners had fought for a decade to keep acute services in the town."]),
]
# fmt: on
_OUTLETS = [
    "The Kellhaven Courier",
    "Coastal Press Agency",
    "The Eastmoor Gazette",
    "Harbourside Post",
    "The Northshire Herald",
    "Valley Evening News",
]
_RIVERS = ["Aske", "Leven", "Dorran", "Mire", "Callow", "Brent"]
_PEOPLE = ["Alys Tremayne", "Jonah Pettifer", "Marta Okonedo", "Declan Hurst", "Priya Vell", "Tomas Ruddock"]


def invented_article(story: int, outlet: int) -> tuple[str, str, str]:
    """(title, outlet, text) of an invented report: story ``story`` as outlet ``outlet`` tells it."""
    what, facts = _EVENTS[story % len(_EVENTS)]
    town = _TOWNS[story % len(_TOWNS)]
    river = _RIVERS[story % len(_RIVERS)]
    person = _PEOPLE[(story + outlet) % len(_PEOPLE)]
    event = what.format(town=town, river=river, count=300 + 37 * story)
    chosen = [facts[(outlet + k) % len(facts)] for k in range(3)]
    text = "\n\n".join(
        [
            f"{event[0].upper() + event[1:]}.",
            chosen[0],
            f'"I have never seen {town} like this," said {person}, speaking to {_OUTLETS[outlet % len(_OUTLETS)]}.',
            *chosen[1:],
        ]
    )
    title = event.split(" after ")[0].split(" with ")[0]
    return title[0].upper() + title[1:90], _OUTLETS[outlet % len(_OUTLETS)], text


def invented_site(stories: int, per_story: int, site: Site | None = None) -> Site:
    """``stories`` invented stories told by ``per_story`` outlets each, as pages and one RSS feed (/all.rss)."""
    site = site or Site()
    items = []
    for s in range(stories):
        for o in range(per_story):
            title, outlet, text = invented_article(s, o)
            day = 1 + (s * per_story + o) // 24
            date = f"2026-03-{day:02d}T{(s * per_story + o) % 24:02d}:00:00+00:00"
            path = f"/story{s}/report{o}.html"
            site.routes[path] = page_html(title=title, outlet=outlet, text=text, date=date)
            items.append((path, title, rfc822(date)))
    site.routes["/all.rss"] = rss(items, title="Invented wire", base="{base}")
    return site
