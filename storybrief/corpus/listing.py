"""The story list of a corpus, as Markdown or JSON, and the durations ``--since`` and ``--every`` take."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from ..errors import ConfigError
from .store import Corpus

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)?\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """Seconds in "90s", "15m", "24h", "7d" or "2w" (a bare number is seconds)."""
    match = _DURATION.match(text)
    if not match or float(match.group(1)) <= 0:
        raise ConfigError(
            f"{text!r} is not a duration",
            where="duration",
            hint="write a number and a unit: 90s, 15m, 24h, 7d",
        )
    return float(match.group(1)) * _UNITS[(match.group(2) or "s").lower()]


def since_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.now(UTC) - timedelta(seconds=parse_duration(text))


def stories_json(corpus: Corpus, *, since: datetime | None = None, index=None) -> str:
    """Every living story with its ``id`` and its ``articles`` (id, outlet, title, URL, published time)."""
    rows = corpus.story_rows(index, since=since)
    stories = [
        {
            "id": r.id,
            "headline": r.headline,
            "first_seen": r.first_seen,
            "last_seen": r.last_seen,
            "outlets": list(r.outlets),
            "articles": corpus.article_rows(r.article_ids),
        }
        for r in rows
    ]
    return json.dumps({"schema_version": 1, "stories": stories}, ensure_ascii=False, indent=2) + "\n"


def stories_markdown(corpus: Corpus, *, since: datetime | None = None) -> str:
    rows = corpus.story_rows(since=since)
    if not rows:
        return "No stories" + (" updated in that window.\n" if since else " in this corpus yet.\n")
    lines = [
        "| story | headline | articles | outlets | first seen | last seen |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        headline = r.headline.replace("|", "\\|").replace("\n", " ") or "(untitled)"
        outlets = ", ".join(r.outlets).replace("|", "\\|")
        lines.append(
            f"| {r.id} | {headline} | {len(r.article_ids)} | {outlets} | {r.first_seen} | {r.last_seen} |"
        )
    return "\n".join(lines) + "\n"
