"""The server-rendered pages (Jinja2; the only script is /static/storybrief.js)."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import RequestError
from ..renderers.html import Links, asset, briefing_view
from .api import PAGE_SIZE
from .state import State, Store

router = APIRouter(include_in_schema=False)

STATIC_TYPES = {
    "storybrief.css": "text/css; charset=utf-8",
    "storybrief.js": "text/javascript; charset=utf-8",
}


def web_links(briefing_id: str) -> Links:
    return Links(
        prefix="",
        article_url=lambda n: f"/briefings/{briefing_id}/articles/{n}",
        briefing_url=f"/briefings/{briefing_id}",
    )


@router.get("/", response_class=HTMLResponse)
async def index(request: Request, state: State) -> Response:
    return state.page(request, "index.html", **state.index_context())


@router.post("/briefings")
async def post_form(request: Request, state: State) -> Response:
    try:
        intake = await state.read_intake(request)
        _, batch = await state.make_briefings(intake)
    except RequestError as e:
        response = state.page(request, "index.html", status=e.status, **state.index_context(error=e.message))
        if e.retry_after is not None:
            response.headers["retry-after"] = str(e.retry_after)
        return response
    return RedirectResponse(f"/briefings/{batch.briefing_ids[0]}", status_code=303)


@router.get("/briefings", response_class=HTMLResponse)
async def list_page(
    request: Request, state: State, store: Store, page_no: int = Query(1, alias="page", ge=1, le=100_000)
) -> Response:
    items = store.list(limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
    total = store.count()
    pages = max(1, -(-total // PAGE_SIZE))
    return state.page(request, "list.html", items=items, total=total, page_no=page_no, pages=pages)


@router.get("/briefings/{briefing_id}", response_class=HTMLResponse)
async def briefing_page(request: Request, briefing_id: str, state: State, store: Store) -> Response:
    briefing = state.load(briefing_id)
    batch = store.batch_of(briefing_id)
    siblings = [(i, store.list_item(i)) for i in batch.briefing_ids if i != briefing_id] if batch else []
    view = briefing_view(briefing, links=web_links(briefing_id), created_at=briefing.created_at)
    return state.page(
        request,
        "briefing.html",
        b=view,
        briefing_id=briefing_id,
        siblings=[(i, s) for i, s in siblings if s],
        rejections=list(batch.rejections) if batch else [],
    )


@router.get("/briefings/{briefing_id}/articles/{n}", response_class=HTMLResponse)
async def article_page(request: Request, briefing_id: str, n: int, state: State) -> Response:
    b = briefing_view(state.load(briefing_id), links=web_links(briefing_id))
    if not 1 <= n <= len(b.articles):
        raise StarletteHTTPException(404)
    return state.page(request, "article.html", b=b, a=b.articles[n - 1], briefing_id=briefing_id)


@router.get("/static/{name}")
async def static(name: str) -> Response:
    if name not in STATIC_TYPES:
        raise StarletteHTTPException(404)
    return Response(
        asset(name), media_type=STATIC_TYPES[name], headers={"cache-control": "public, max-age=3600"}
    )
