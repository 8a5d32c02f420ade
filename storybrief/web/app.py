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

The routes live in APIRouter modules (:mod:`.api`, :mod:`.pages`, :mod:`.stories`) and take what
they use as FastAPI dependencies from :mod:`.state` (the app state, the store, the options).

Errors are ``{"error": {"status", "code", "message", "limit"?}}`` under /api/
and a short page elsewhere (:mod:`.errors`).  CPU-bound work (reading uploads, briefing) runs in
bounded worker pools off the event loop (see :mod:`.workers`): briefings one at
a time, a few more waiting, and 503 with ``Retry-After`` past that; health
checks and reads never wait for them.
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from ..config import Options
from ..renderers.html import environment
from ..store import BriefingStore
from . import api as api_routes
from . import pages, stories
from .errors import add_error_handlers
from .guard import LOOPBACK_HOSTS, Guard
from .intake import WebLimits
from .state import AppState
from .stories import StoryCorpus
from .workers import WorkPool

WEB_TEMPLATES = str(Path(__file__).parent / "templates")


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
    brief_lock = threading.Lock()
    state = AppState(
        options=options,
        limits=limits,
        store=BriefingStore(db_path),
        stories=StoryCorpus(db_path, options=options, brief_lock=brief_lock),
        brief_lock=brief_lock,
        env=environment(WEB_TEMPLATES),
        # CPU-bound work never runs on the event loop, and waits in bounded lines (503 when they are full).
        readers=WorkPool("reading", workers=2, queue=8),
        briefers=WorkPool("briefing", workers=limits.briefing_workers, queue=limits.briefing_queue),
    )
    if not warm_up:
        state.ready.set()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm_up:
            threading.Thread(target=state.warm, name="storybrief-warm-up", daemon=True).start()
        yield
        state.readers.shutdown()
        state.briefers.shutdown()

    api = FastAPI(
        title="storybrief",
        version=_version(),
        summary="Cited multi-outlet news briefings",
        description=_description(limits),
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI and ReDoc load scripts from CDNs; this app makes no outside requests
        redoc_url=None,
        lifespan=lifespan,
    )
    api.state.storybrief = state
    add_error_handlers(api)
    api.include_router(api_routes.router)
    api.include_router(pages.router)
    api.include_router(stories.router)
    api.openapi = lambda: api_routes.openapi_schema(api)  # type: ignore[method-assign]
    guard = Guard(api, max_body_bytes=limits.max_body_bytes, allowed_hosts=allowed_hosts)
    return App(guard, api, state.store, readers=state.readers, briefers=state.briefers)


def _description(limits: WebLimits) -> str:
    return (
        "Turn a pile of articles on one story into briefings whose every sentence is a real source "
        "sentence citing every outlet that reports it. Limits per request: body "
        f"{limits.max_body_bytes:,} bytes (413), {limits.max_articles:,} articles (422), "
        f"{limits.max_text_chars:,} characters of text per article (413); past "
        f"{limits.max_request_chars:,} characters or {limits.max_request_sentences:,} sentences in all, the rest "
        "are set aside; 503 with Retry-After "
        "when the server is busy. Errors are JSON: "
        '`{"error": {"status", "code", "message", "limit"}}`.'
    )


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
