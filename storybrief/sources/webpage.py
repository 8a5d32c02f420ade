"""Saved web pages (``.html``, ``.htm``): the article's main text and metadata, via trafilatura.

trafilatura finds the article body and drops navigation, footers, comments and
boilerplate.  We ask it to favour precision — a missed paragraph costs a
briefing less than a menu or a cookie notice quoted as news — and leave tables
out.  Each extracted block (paragraph, list item, subheading) becomes one
paragraph of ``Article.text``, separated by blank lines; a leading heading that
repeats the title is dropped because ``Article.title`` holds it.

Metadata: the title; the site name as outlet (else the host name); the
canonical URL; the original publication date (htmldate, date only); the
language from ``<html lang>``.  A page with no article text left after
extraction is set aside as ``no-text``.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, cast

from ..articles import Article
from ..articles.model import ArticleFields
from .base import Reject, normalize_language, parse_date

if TYPE_CHECKING:
    from trafilatura.settings import Document


def article_from_html(html: str, *, source: str) -> Article:
    """Extract one article from a page's decoded HTML."""
    # Imported here: trafilatura takes ~0.2 s to import and most runs read no HTML.
    import trafilatura
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        raise Reject("no-text", "does not parse as an HTML page")
    language = _page_language(tree)
    try:
        # without as_dict=True trafilatura returns a Document (its annotation also allows the dict)
        document = cast(
            "Document | None",
            trafilatura.bare_extraction(
                tree,
                with_metadata=True,
                favor_precision=True,
                include_comments=False,
                include_tables=False,
                date_extraction_params={"original_date": True, "extensive_search": False},
            ),
        )
    except Exception as e:
        raise Reject("no-text", f"trafilatura failed on this page: {type(e).__name__}: {e}") from e
    if document is None or not (document.text or "").strip():
        raise Reject(
            "no-text",
            "trafilatura found no article text (an index page, a login wall, or a page built by JavaScript?)",
        )
    title = (document.title or "").strip()
    fields: ArticleFields = {
        "title": title,
        "outlet": (document.sitename or document.hostname or "").strip(),
        "url": document.url or None,
    }
    if language:
        fields["language"] = language
    if document.date:
        # htmldate validates its dates; an unreadable one is not worth losing the article over
        with contextlib.suppress(ValueError):
            fields["published"] = parse_date(document.date)
    text = _paragraphs(document.text or "", title)
    if not text:
        raise Reject("no-text", "trafilatura found only the headline, no article text")
    return Article(text=text, source=source, **fields)


def _paragraphs(text: str, title: str) -> str:
    blocks = [line.strip() for line in text.split("\n") if line.strip()]
    if blocks and title and blocks[0] == title:
        blocks = blocks[1:]
    return "\n\n".join(blocks)


def _page_language(tree) -> str | None:
    root = tree.getroottree().getroot()
    value = root.get("lang") or root.get("xml:lang")
    return normalize_language(value) or None if value else None
