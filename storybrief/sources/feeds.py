"""Feeds (RSS 2.0, RSS 1.0, Atom, parsed with feedparser) and OPML lists of feeds.

A feed gives article URLs, not articles: the caller fetches each item's page.
feedparser reads broken feeds loosely; a feed it can read no item from is
set aside as ``malformed-feed``.  An item that repeats (the same link, or the
same id, twice in one feed) is taken once, at its first appearance.  Items
are returned oldest first when they are dated, so stories grow in the order
the news broke; undated items keep their place in the feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from ..errors import SourceError
from .urls import canonical_url

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")
_XML_TYPES = ("application/xml", "text/xml")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed: the article's URL and what the feed says about it."""

    url: str
    title: str = ""
    published: datetime | None = None
    feed: str = ""  # the feed's URL or path
    feed_title: str = ""


@dataclass(frozen=True)
class Feed:
    source: str
    title: str
    items: tuple[FeedItem, ...]
    malformed: str | None = None  # feedparser's complaint about a feed it could still read items from


def sniff(data: bytes, content_type: str = "") -> str | None:
    """What a document is: "feed", "opml", "html", or None, from its media type and its first bytes."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<opml" in head[:1024] or content_type in ("text/x-opml", "application/x-opml+xml"):
        return "opml"
    if content_type in _FEED_TYPES or any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf")):
        return "feed"
    if content_type in _HTML_TYPES or head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if content_type in _XML_TYPES or head.startswith(b"<?xml"):
        return "feed"  # some other XML: feedparser will say whether it is a feed
    return None


def parse_feed(data: bytes, *, source: str, content_type: str = "", charset: str | None = None) -> Feed:
    """The items of an RSS or Atom document; raises :class:`SourceError` when none can be read."""
    import feedparser

    headers = {"content-location": source}
    if content_type:
        headers["content-type"] = content_type + (f"; charset={charset}" if charset else "")
    parsed = feedparser.parse(data, response_headers=headers, sanitize_html=False, resolve_relative_uris=True)
    problem = None
    if parsed.get("bozo"):
        problem = f"{type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}"
    title = (parsed.feed.get("title") or "").strip()
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        if not link:
            links = [x.get("href") for x in entry.get("links", ()) if x.get("href")]
            link = links[0] if links else ""
        if not link:
            continue
        keys = {canonical_url(link)} | ({entry["id"]} if entry.get("id") else set())
        if keys & seen:
            continue
        seen |= keys
        items.append(
            FeedItem(
                url=link,
                title=(entry.get("title") or "").strip(),
                published=_entry_time(entry),
                feed=source,
                feed_title=title,
            )
        )
    if not items:
        if problem:
            raise SourceError(
                f"[malformed-feed] no item could be read from this feed ({problem})", source=source
            )
        if not parsed.get("version"):
            raise SourceError("[not-a-feed] this is not an RSS or Atom feed", source=source)
    # oldest first where dated; a stable sort keeps undated items in feed order among themselves
    dated = [i for _, i in sorted(((i.published, i) for i in items if i.published), key=lambda p: p[0])]
    order = iter(dated)
    items = [next(order) if i.published else i for i in items]
    return Feed(source=source, title=title, items=tuple(items), malformed=problem)


def _entry_time(entry) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime(*value[:6]).replace(tzinfo=UTC)
    return None


def parse_opml(data: bytes, *, source: str) -> list[str]:
    """The feed URLs (``xmlUrl``) an OPML list names, in order, each once."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as e:
        raise SourceError(f"[malformed-opml] not well-formed XML: {e}", source=source) from e
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise SourceError("[malformed-opml] the document is not OPML (no <opml> root)", source=source)
    urls = [el.get("xmlUrl") or el.get("xmlurl") for el in root.iter("outline")]
    return list(dict.fromkeys(u.strip() for u in urls if u and u.strip()))
