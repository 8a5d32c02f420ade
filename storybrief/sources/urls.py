"""Canonical URLs: one article, one key, however a feed or a share button decorated its link."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def canonical_url(url: str) -> str:
    """``url`` with its scheme and host in lower case, default port, fragment and tracking
    parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid``, ``ref``...) removed, and the rest of
    the query sorted (courlan's normalisation).  A URL courlan cannot read is returned stripped."""
    from courlan import normalize_url

    url = url.strip()
    try:
        normal = normalize_url(url)
    except (ValueError, TypeError):
        normal = url
    parts = urlsplit(normal)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def is_url(text: str) -> bool:
    """Whether a command-line source names a URL (any scheme) rather than a path."""
    scheme = urlsplit(text).scheme
    return "://" in text and len(scheme) > 1 and scheme.isascii() and scheme.replace("+", "").isalnum()
