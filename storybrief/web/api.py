"""The HTTP API under /api/: JSON in, typed records out (their schema at ``/api/openapi.json``).

Every response is validated and written by the records it names as ``response_model``: a stored
briefing is a :class:`~storybrief.store.StoredBriefing`, exactly what the library writes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic.json_schema import models_json_schema

from ..briefing import BriefingSet
from ..renderers.html import render_html, report_csp
from ..renderers.markdown import render_briefing
from ..store import StoredBriefing
from ..summarize import available_methods
from .schemas import BriefingBatch, BriefingList, BriefRequest, ErrorOut, error_responses
from .state import RunOptions, State, Store

PAGE_SIZE = 50

router = APIRouter(prefix="/api")


class MarkdownResponse(PlainTextResponse):
    media_type = "text/markdown"


# fmt: off
POST_DESCRIPTION = (
    "Send articles as `application/json` (a BriefRequest) or as `multipart/form-data`: files in any "
    "file field (.txt with an optional Title/Outlet/URL/Date header, .html, .json, .jsonl), pasted "
    "articles as `article-N-text` with optional `article-N-title`, `-outlet`, `-url`, `-date`, and "
    "optional `words` and `method` fields. One briefing is made per story found, largest first, and "
    "each is stored under its own id before the response is sent."
)
MULTIPART_FIELDS = {
    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
    **{f"article-1-{name}": {"type": "string"} for name in ("text", "title", "outlet", "url", "date")},
    "words": {"type": "integer"},
    "method": {"type": "string"},
}
POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/BriefRequest"}},
            "multipart/form-data": {"schema": {"type": "object", "properties": MULTIPART_FIELDS}},
        },
    }
}
# fmt: on


@router.post(
    "/briefings",
    status_code=201,
    response_model=BriefingBatch,
    summary="Brief articles and store the briefings",
    description=POST_DESCRIPTION,
    responses=error_responses(400, 403, 413, 415, 422),
    openapi_extra=POST_BODY,
)
async def post_briefings(request: Request, response: Response, state: State) -> BriefingBatch:
    intake = await state.read_intake(request)
    result, batch = await state.make_briefings(intake)
    response.headers["location"] = f"/api/briefings/{batch.briefing_ids[0]}"
    return BriefingBatch(
        schema_version=result.schema_version,
        ids=batch.briefing_ids,
        briefings=batch.briefings,
        rejections=result.rejections,
    )


@router.get(
    "/briefings",
    response_model=BriefingList,
    summary="List stored briefings, newest first",
    responses=error_responses(422),
)
async def list_briefings(
    store: Store,
    limit: int = Query(PAGE_SIZE, ge=1, le=500),
    offset: int = Query(0, ge=0, le=2**62),
) -> BriefingList:
    return BriefingList(
        total=store.count(), limit=limit, offset=offset, briefings=store.list(limit=limit, offset=offset)
    )


def _one_briefing(suffix: str, summary: str, **kwargs: Any) -> Callable[[Any], Any]:
    """``GET /api/briefings/{briefing_id}<suffix>``: one stored briefing in some form, 404 without it."""
    return router.get(
        f"/briefings/{{briefing_id}}{suffix}", summary=summary, responses=error_responses(404), **kwargs
    )


@_one_briefing(".html", "One briefing as a self-contained HTML report", response_class=HTMLResponse)
async def get_briefing_html(briefing_id: str, state: State) -> Response:
    briefing = state.load(briefing_id)
    html = render_html(BriefingSet(briefings=(briefing,)), created_at=[briefing.created_at])
    # The report's own policy (its inline style and script by hash), sandboxed away from this origin.
    csp = report_csp() + "; sandbox allow-scripts; frame-ancestors 'none'"
    return HTMLResponse(html, headers={"content-security-policy": csp})


@_one_briefing(".md", "One briefing as Markdown", response_class=MarkdownResponse)
async def get_briefing_md(briefing_id: str, state: State) -> Response:
    return MarkdownResponse(render_briefing(state.load(briefing_id)))


@_one_briefing("", "One briefing's JSON", response_model=StoredBriefing)
async def get_briefing(briefing_id: str, state: State) -> StoredBriefing:
    return state.load(briefing_id)


@router.get("/methods", summary="Summary methods a request may name")
async def methods(options: RunOptions) -> dict[str, Any]:
    return {
        "default": options.method,
        "methods": [{"name": n, "description": c.description} for n, c in available_methods().items()],
    }


@router.get(
    "/health", summary="Liveness, whether the NLP model is loaded, and the number of stored briefings"
)
async def health(state: State) -> dict[str, Any]:
    return {
        "status": "ok",
        "nlp": "ready" if state.ready.is_set() else "loading",
        "briefings": state.store.count(),
    }


def openapi_schema(api: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI schema, with the request body and error shapes that routes name by reference."""
    if api.openapi_schema is None:
        schema = get_openapi(
            title=api.title,
            version=api.version,
            summary=api.summary,
            description=api.description,
            routes=api.routes,
        )
        _, defs = models_json_schema(
            [(BriefRequest, "validation"), (ErrorOut, "serialization")],
            ref_template="#/components/schemas/{model}",
        )
        schema.setdefault("components", {}).setdefault("schemas", {}).update(defs.get("$defs", {}))
        api.openapi_schema = schema
    return api.openapi_schema
