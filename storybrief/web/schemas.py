"""The HTTP API's requests, and the envelopes around its records (they make the OpenAPI schema).

The records themselves (a stored briefing, a list row, a rejection) are the library's own
dataclasses (:class:`~storybrief.store.StoredBriefing`, :class:`~storybrief.store.StoredSummary`,
:class:`~storybrief.articles.Rejection`): the API validates and writes its responses with them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..articles import Rejection
from ..store import StoredBriefing, StoredSummary


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


@dataclass(frozen=True)
class BriefingBatch:
    """``POST /api/briefings``: one stored briefing per story (largest first) and the sources set aside.

    ``ids[i]`` is ``briefings[i].id``.
    """

    schema_version: int
    ids: tuple[str, ...]
    briefings: tuple[StoredBriefing, ...]
    rejections: tuple[Rejection, ...]


class BriefingList(BaseModel):
    """``GET /api/briefings``: a page of the stored briefings, newest first."""

    total: int
    limit: int
    offset: int
    briefings: list[StoredSummary]


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
