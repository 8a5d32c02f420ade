"""The HTTP API's request and response shapes, as pydantic models (they make the OpenAPI schema).

Responses are sent as the stored JSON text, not re-validated through these
models; the models document them.  Briefings may carry more keys than listed
here (people, quotes, coverage, timeline ...) as later stages add them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ArticleIn(BaseModel):
    """One article to brief.  Only ``text`` is required."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The article's full text; paragraphs separated by blank lines.")
    title: str = ""
    outlet: str = Field("", description="The publishing outlet, e.g. 'The Kellhaven Courier'.")
    url: str | None = None
    published: datetime | None = Field(None, description="Publication time, ISO 8601.")
    language: str = "en"
    id: str | None = Field(
        None, max_length=128, description="Your id for the article; default: a content hash."
    )


class BriefRequest(BaseModel):
    """``POST /api/briefings`` as JSON."""

    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleIn] = Field(description="The articles, about one or more stories.")
    words: int | None = Field(None, ge=1, description="Word budget of each summary (default 230).")
    method: str | None = Field(None, description="Summary method (see GET /api/methods).")


class SpanOut(BaseModel):
    article_id: str
    start: int
    end: int
    text: str


class CitationOut(SpanOut):
    outlet: str


class SummarySentenceOut(SpanOut):
    fact_group: int | None
    citations: list[CitationOut]


class OutletOut(BaseModel):
    name: str
    article_ids: list[str]
    copy_ids: list[str]


class DuplicateOut(BaseModel):
    copy_id: str
    original_id: str


class ArticleOut(BaseModel):
    id: str
    outlet: str
    title: str
    url: str | None
    published: str | None
    language: str
    source: str
    text: str


class BriefingOut(BaseModel):
    """One stored briefing: the Briefing JSON (schema_version 1) plus its store ``id`` and ``created_at``."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(description="Store id; use it in /api/briefings/{id}.")
    created_at: str
    schema_version: int
    story_id: str
    headline: str
    headline_article_id: str | None
    method: str
    words: int
    summary: list[SummarySentenceOut]
    outlets: list[OutletOut]
    duplicates: list[DuplicateOut]
    articles: list[ArticleOut]


class RejectionOut(BaseModel):
    source: str
    reason: str
    detail: str


class BriefingSetOut(BaseModel):
    """The BriefingSet JSON (one briefing per story, largest first) plus the ids they were stored under.

    ``ids[i]`` is ``briefings[i].id``.
    """

    schema_version: int
    ids: list[str]
    briefings: list[BriefingOut]
    rejections: list[RejectionOut]


class BriefingListItem(BaseModel):
    id: str
    created_at: str
    headline: str
    story_id: str
    articles: int
    outlets: int
    url: str


class BriefingList(BaseModel):
    total: int
    limit: int
    offset: int
    briefings: list[BriefingListItem]


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(
        description="A short stable name, e.g. 'body-too-large', 'too-many-articles', 'not-found'."
    )
    message: str = Field(description="What went wrong, naming the limit when one was exceeded.")
    limit: int | None = Field(None, description="The limit that was exceeded, when one was.")

    model_config = ConfigDict(extra="allow")


class ErrorOut(BaseModel):
    error: ErrorDetail


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given error statuses."""
    # fmt: off
    text = {
        400: "Malformed request (bad JSON, bad multipart, bad Host)",
        403: "Cross-origin request refused",
        404: "No such briefing",
        413: "Body, file or article text over its limit (the message names it)",
        415: "Content type not accepted",
        422: "Valid syntax but unusable: too many articles, no readable article, unknown method ...",
    }
    # fmt: on
    # Spelled out (not "model"), so routes answering HTML or Markdown still document their errors as JSON.
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    return {code: {"description": text[code], "content": content} for code in codes}
