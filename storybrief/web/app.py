"""The local web app and HTTP API: thin routes over the pipeline, the store and the renderers.

Pages (server-rendered Jinja2; the only script is /static/storybrief.js):

- ``GET /``                               upload files or paste articles
- ``POST /briefings``                     the form's target; redirects to the new briefing
- ``GET /briefings``                      briefings made so far, newest first
- ``GET /briefings/{id}``                 one briefing
- ``GET /briefings/{id}/articles/{n}``    source ``n`` of a briefing, its cited sentences marked
- ``GET /stories``, ``/stories/{id}``     the corpus's stories and their briefings (see :mod:`.stories`)

API (JSON; schema at ``/api/openapi.json``):

- ``POST /api/briefings``                 articles as JSON or multipart → the stored briefings
- ``GET /api/briefings``                  the list
- ``GET /api/briefings/{id}``             one briefing's JSON
- ``GET /api/briefings/{id}.html``/``.md`` the self-contained report / Markdown
- ``GET /api/methods``, ``GET /api/health``

Errors are ``{"error": {"status", "code", "message", "limit"?}}`` under /api/
and a short page elsewhere.  CPU-bound work (reading uploads, briefing) runs in
bounded worker pools off the event loop (see :mod:`.workers`): briefings one at
a time, a few more waiting, and 503 with ``Retry-After`` past that; health
checks and reads never wait for them.
"""

from __future__ import annotations

import json
import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from pydantic.json_schema import models_json_schema
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..briefing import Briefing
from ..config import Options
from ..errors import RequestError, StorybriefError
from ..pipeline import brief_articles
from ..renderers.html import Links, asset, briefing_view, environment, render_report, report_csp
from ..renderers.markdown import render_briefing
from ..store import BriefingStore
from ..summarize import available_methods
from .guard import LOOPBACK_HOSTS, Guard, error_body
from .intake import Intake, WebLimits, read_request
from .schemas import BriefingList, BriefingOut, BriefingSetOut, BriefRequest, ErrorOut, error_responses
from .stories import add_story_routes
from .workers import WorkPool

logger = logging.getLogger("storybrief.web")
WEB_TEMPLATES = str(Path(__file__).parent / "templates")
PAGE_SIZE = 50


class MarkdownResponse(PlainTextResponse):
    media_type = "text/markdown"


class App:
    """The ASGI app: :class:`Guard` around FastAPI.  ``api`` is the FastAPI app, ``store`` the store,
    ``readers`` and ``briefers`` the bounded pools that read uploads and make briefings."""

    def __init__(
        self, guard: Guard, api: FastAPI, store: BriefingStore, *, readers: WorkPool, briefers: WorkPool
    ):
        self.guard, self.api, self.store = guard, api, store
        self.readers, self.briefers = readers, briefers

    async def __call__(self, scope, receive, send) -> None:
        await self.guard(scope, receive, send)


def create_app(
    db_path: str | Path,
    *,
    options: Options | None = None,
    limits: WebLimits | None = None,
    allowed_hosts: frozenset[str] | None = LOOPBACK_HOSTS,
    warm_up: bool = True,
) -> App:
    """The web app over the briefing store at ``db_path``.

    ``options`` are the pipeline defaults (a request may change words and
    method); ``allowed_hosts`` None accepts any Host header (for a server
    deliberately exposed beyond loopback); ``warm_up`` loads the NLP model in
    the background at start-up so the first upload does not wait for it.
    """
    options = options or Options()
    limits = limits or WebLimits()
    store = BriefingStore(db_path)
    brief_lock = threading.Lock()
    ready = threading.Event()  # set once the NLP model is loaded (or warm-up is off)
    if not warm_up:
        ready.set()
    env = environment(WEB_TEMPLATES)
    # CPU-bound work never runs on the event loop, and waits in bounded lines (503 when they are full).
    readers = WorkPool("reading", workers=2, queue=8)
    briefers = WorkPool("briefing", workers=limits.briefing_workers, queue=limits.briefing_queue)

    def run_briefing(intake: Intake):
        run_options = intake.options(options, limits)
        with brief_lock:
            return brief_articles(intake.articles, options=run_options, rejections=intake.rejections)

    def warm() -> None:
        try:
            with brief_lock:
                from ..analysis import load_nlp

                if options.ner:
                    load_nlp()
        except StorybriefError as e:  # the first request will report it properly
            logger.warning("could not load the NLP model at start-up: %s", e)
        finally:
            ready.set()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_up:
            threading.Thread(target=warm, name="storybrief-warm-up", daemon=True).start()
        yield
        readers.shutdown()
        briefers.shutdown()

    api = FastAPI(
        title="storybrief",
        version=_version(),
        summary="Cited multi-outlet news briefings",
        description=(
            "Turn a pile of articles on one story into briefings whose every sentence is a real source "
            "sentence citing every outlet that reports it. Limits per request: body "
            f"{limits.max_body_bytes:,} bytes (413), {limits.max_articles:,} articles (422), "
            f"{limits.max_text_chars:,} characters of text per article (413); past "
            f"{limits.max_request_chars:,} characters or {limits.max_request_sentences:,} sentences in all, the rest "
            "are set aside; 503 with Retry-After "
            "when the server is busy. Errors are JSON: "
            '`{"error": {"status", "code", "message", "limit"}}`.'
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load scripts from CDNs; this app makes no outside requests
        redoc_url=None,
        lifespan=lifespan,
    )

    # errors ------------------------------------------------------------------------------
    def error_response(request: Request, status: int, code: str, message: str, **extra: Any) -> Response:
        body, content_type = error_body(
            status, code, message, api=request.url.path.startswith("/api/"), **extra
        )
        return Response(body, status_code=status, media_type=content_type.decode())

    @api.exception_handler(RequestError)
    async def on_request_error(request: Request, e: RequestError) -> Response:
        extra = {"limit": e.limit} if e.limit is not None else {}
        response = error_response(request, e.status, e.code, e.message, **extra)
        if e.retry_after is not None:
            response.headers["retry-after"] = str(e.retry_after)
        return response

    @api.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, e: StarletteHTTPException) -> Response:
        code = {404: "not-found", 405: "method-not-allowed"}.get(e.status_code, "http-error")
        message = "no such page or briefing" if e.status_code == 404 else str(e.detail)
        return error_response(request, e.status_code, code, message)

    @api.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, e: RequestValidationError) -> Response:
        parts = [f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors()[:5]]
        return error_response(request, 422, "invalid-request", "; ".join(parts) or "invalid request")

    @api.exception_handler(Exception)
    async def on_crash(request: Request, e: Exception) -> Response:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(
            request, 500, "internal-error", "the server failed on this request; see its log"
        )

    # shared steps ------------------------------------------------------------------------
    async def read_intake(request: Request) -> Intake:
        return await read_request(request, options=options, limits=limits, run=readers.run)

    async def make_briefings(intake: Intake):
        if not intake.articles:
            reasons = "; ".join(str(r) for r in intake.rejections[:10])
            message = "no readable article in the request" + (f": {reasons}" if reasons else "")
            raise RequestError(422, "no-article", message)
        try:
            result = await briefers.run(run_briefing, intake)
        except RequestError:
            raise
        except StorybriefError as e:
            raise RequestError(422, "briefing-failed", f"the articles could not be briefed: {e}") from e
        if not result.briefings:
            raise RequestError(422, "no-story", "no story could be formed from these articles")
        batch = await run_in_threadpool(store.add_set, result)  # committed before we answer
        return result, batch

    def load(briefing_id: str) -> dict[str, Any]:
        data = store.get(briefing_id)
        if data is None:
            raise StarletteHTTPException(404)
        return data

    # API ---------------------------------------------------------------------------------
    @api.post(
        "/api/briefings",
        status_code=201,
        response_model=BriefingSetOut,
        summary="Brief articles and store the briefings",
        description=(
            "Send articles as `application/json` (a BriefRequest) or as `multipart/form-data`: files in any "
            "file field (.txt with an optional Title/Outlet/URL/Date header, .html, .json, .jsonl), pasted "
            "articles as `article-N-text` with optional `article-N-title`, `-outlet`, `-url`, `-date`, and "
            "optional `words` and `method` fields. One briefing is made per story found, largest first, and "
            "each is stored under its own id before the response is sent."
        ),
        responses=error_responses(400, 403, 413, 415, 422),
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/BriefRequest"}},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                                "article-1-text": {"type": "string"},
                                "article-1-title": {"type": "string"},
                                "article-1-outlet": {"type": "string"},
                                "article-1-url": {"type": "string"},
                                "article-1-date": {"type": "string"},
                                "words": {"type": "integer"},
                                "method": {"type": "string"},
                            },
                        }
                    },
                },
            }
        },
    )
    async def post_briefings(request: Request) -> Response:
        intake = await read_intake(request)
        result, batch = await make_briefings(intake)
        body = (
            f'{{"schema_version":{result.schema_version},"ids":{json.dumps(list(batch.briefing_ids))},'
            f'"briefings":[{",".join(batch.data)}],'
            f'"rejections":{json.dumps(list(batch.rejections), ensure_ascii=False)}}}'
        )
        headers = {"location": f"/api/briefings/{batch.briefing_ids[0]}"}
        return Response(body, status_code=201, media_type="application/json", headers=headers)

    @api.get(
        "/api/briefings",
        response_model=BriefingList,
        summary="List stored briefings, newest first",
        responses=error_responses(422),
    )
    async def list_briefings(
        limit: int = Query(PAGE_SIZE, ge=1, le=500), offset: int = Query(0, ge=0, le=2**62)
    ) -> Response:
        items = [
            {**s.to_dict(), "url": f"/api/briefings/{s.id}"} for s in store.list(limit=limit, offset=offset)
        ]
        return JSONResponse({"total": store.count(), "limit": limit, "offset": offset, "briefings": items})

    @api.get(
        "/api/briefings/{briefing_id}.html",
        response_class=HTMLResponse,
        summary="One briefing as a self-contained HTML report",
        responses=error_responses(404),
    )
    async def get_briefing_html(briefing_id: str) -> Response:
        html = render_report({"briefings": [load(briefing_id)], "rejections": []})
        # The report's own policy (its inline style and script by hash), sandboxed away from this origin.
        return HTMLResponse(
            html,
            headers={
                "content-security-policy": report_csp() + "; sandbox allow-scripts; frame-ancestors 'none'"
            },
        )

    @api.get(
        "/api/briefings/{briefing_id}.md",
        response_class=MarkdownResponse,
        summary="One briefing as Markdown",
        responses=error_responses(404),
    )
    async def get_briefing_md(briefing_id: str) -> Response:
        return MarkdownResponse(render_briefing(Briefing.from_dict(load(briefing_id))))

    @api.get(
        "/api/briefings/{briefing_id}",
        response_model=BriefingOut,
        summary="One briefing's JSON",
        responses=error_responses(404),
    )
    async def get_briefing(briefing_id: str) -> Response:
        text = store.get_json(briefing_id)
        if text is None:
            raise StarletteHTTPException(404)
        return Response(text, media_type="application/json")

    @api.get("/api/methods", summary="Summary methods a request may name")
    async def methods() -> dict[str, Any]:
        return {
            "default": options.method,
            "methods": [{"name": n, "description": c.description} for n, c in available_methods().items()],
        }

    @api.get(
        "/api/health", summary="Liveness, whether the NLP model is loaded, and the number of stored briefings"
    )
    async def health() -> dict[str, Any]:
        return {"status": "ok", "nlp": "ready" if ready.is_set() else "loading", "briefings": store.count()}

    # pages -------------------------------------------------------------------------------
    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)

    def index_context(error: str | None = None) -> dict[str, Any]:
        return {
            "error": error,
            "methods": list(available_methods()),
            "default_method": options.method,
            "default_words": options.words,
            "limits": limits,
        }

    @api.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index(request: Request) -> Response:
        return page(request, "index.html", **index_context())

    @api.post("/briefings", include_in_schema=False)
    async def post_form(request: Request) -> Response:
        try:
            intake = await read_intake(request)
            _, batch = await make_briefings(intake)
        except RequestError as e:
            response = page(request, "index.html", status=e.status, **index_context(error=e.message))
            if e.retry_after is not None:
                response.headers["retry-after"] = str(e.retry_after)
            return response
        return RedirectResponse(f"/briefings/{batch.briefing_ids[0]}", status_code=303)

    @api.get("/briefings", response_class=HTMLResponse, include_in_schema=False)
    async def list_page(
        request: Request, page_no: int = Query(1, alias="page", ge=1, le=100_000)
    ) -> Response:
        items = store.list(limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE)
        total = store.count()
        return page(
            request,
            "list.html",
            items=items,
            total=total,
            page_no=page_no,
            pages=max(1, -(-total // PAGE_SIZE)),
        )

    def web_links(briefing_id: str) -> Links:
        return Links(
            prefix="",
            article_url=lambda n: f"/briefings/{briefing_id}/articles/{n}",
            briefing_url=f"/briefings/{briefing_id}",
        )

    @api.get("/briefings/{briefing_id}", response_class=HTMLResponse, include_in_schema=False)
    async def briefing_page(request: Request, briefing_id: str) -> Response:
        data = load(briefing_id)
        batch = store.batch_of(briefing_id)
        siblings = [(i, store.list_item(i)) for i in batch.briefing_ids if i != briefing_id] if batch else []
        view = briefing_view(
            Briefing.from_dict(data), links=web_links(briefing_id), created_at=data.get("created_at")
        )
        return page(
            request,
            "briefing.html",
            b=view,
            briefing_id=briefing_id,
            siblings=[(i, s) for i, s in siblings if s],
            rejections=list(batch.rejections) if batch else [],
        )

    @api.get("/briefings/{briefing_id}/articles/{n}", response_class=HTMLResponse, include_in_schema=False)
    async def article_page(request: Request, briefing_id: str, n: int) -> Response:
        b = briefing_view(Briefing.from_dict(load(briefing_id)), links=web_links(briefing_id))
        if not 1 <= n <= len(b.articles):
            raise StarletteHTTPException(404)
        return page(request, "article.html", b=b, a=b.articles[n - 1], briefing_id=briefing_id)

    add_story_routes(api, db_path=db_path, options=options, brief_lock=brief_lock, page=page)

    @api.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        types = {
            "storybrief.css": "text/css; charset=utf-8",
            "storybrief.js": "text/javascript; charset=utf-8",
        }
        if name not in types:
            raise StarletteHTTPException(404)
        return Response(
            asset(name), media_type=types[name], headers={"cache-control": "public, max-age=3600"}
        )

    def openapi() -> dict[str, Any]:
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

    api.openapi = openapi  # type: ignore[method-assign]
    guard = Guard(api, max_body_bytes=limits.max_body_bytes, allowed_hosts=allowed_hosts)
    return App(guard, api, store, readers=readers, briefers=briefers)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("storybrief")
    except PackageNotFoundError:
        return "0"


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_HOSTS or host.startswith("127.")


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    db_path: str | Path,
    options: Options | None = None,
    log_level: str = "info",
) -> None:
    """Run the app with uvicorn until interrupted.  Binds loopback unless another host is asked for."""
    import uvicorn

    app = create_app(db_path, options=options, allowed_hosts=LOOPBACK_HOSTS if is_loopback(host) else None)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False, proxy_headers=False)
