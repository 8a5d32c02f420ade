"""The Stories pages: the corpus (made by ``storybrief ingest`` / ``watch``) that ``serve --db`` points at.

- ``GET /stories``                        the corpus's stories, most recently updated first
- ``GET /stories/{id}``                   one story's briefing (made again only when the story changed)
- ``GET /stories/{id}/articles/{n}``      source ``n`` of that briefing, its cited sentences marked
- ``GET /api/stories``                    the same list as JSON (``storybrief stories --format json``)

The web app never fetches a URL on a request's behalf: articles enter the corpus only through the
command line, whose fetcher sits behind the SSRF guard.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..briefing import Briefing
from ..config import Options
from ..errors import StoreError
from ..renderers.html import Links, briefing_view


def add_story_routes(
    api: FastAPI,
    *,
    db_path: str | Path,
    options: Options,
    brief_lock: threading.Lock,
    page: Callable[..., HTMLResponse],
) -> None:
    """Add the Stories pages and ``/api/stories`` to ``api``, reading the corpus at ``db_path``."""
    from ..corpus import Corpus, stories_json, story_briefing

    def open_corpus() -> Corpus | None:
        try:
            return Corpus(db_path, create=False)
        except StoreError:
            return None

    # The story index is loaded again only when the corpus has gained articles since (pages only read it).
    loaded: dict[str, Any] = {"count": None, "index": None}
    loading = threading.Lock()

    def index_of(corpus: Corpus):
        with loading:
            count = corpus.count()
            if loaded["count"] != count:
                loaded.update(count=count, index=corpus.load_index(options))
            return loaded["index"]

    def rows():
        corpus = open_corpus()
        if corpus is None:
            return None
        with corpus:
            return corpus.story_rows(index_of(corpus))

    def briefing_data(story_id: str) -> dict[str, Any]:
        corpus = open_corpus()
        if corpus is None:
            raise StarletteHTTPException(404)
        with corpus, brief_lock:  # briefing is CPU-bound and shares the NLP model: one at a time
            try:
                return story_briefing(corpus, story_id, options=options, index=index_of(corpus)).to_dict()
            except StoreError as e:
                raise StarletteHTTPException(404) from e

    def links(story_id: str) -> Links:
        return Links(
            prefix="",
            article_url=lambda n: f"/stories/{story_id}/articles/{n}",
            briefing_url=f"/stories/{story_id}",
        )

    @api.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    async def stories_page(request: Request) -> Response:
        return page(request, "stories.html", items=await run_in_threadpool(rows), db=str(db_path))

    @api.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(request: Request, story_id: str) -> Response:
        data = await run_in_threadpool(briefing_data, story_id)
        return page(
            request,
            "story.html",
            b=briefing_view(Briefing.from_dict(data), links=links(story_id)),
            story_id=story_id,
        )

    @api.get("/stories/{story_id}/articles/{n}", response_class=HTMLResponse, include_in_schema=False)
    async def story_article_page(request: Request, story_id: str, n: int) -> Response:
        b = briefing_view(
            Briefing.from_dict(await run_in_threadpool(briefing_data, story_id)), links=links(story_id)
        )
        if not 1 <= n <= len(b.articles):
            raise StarletteHTTPException(404)
        return page(request, "story_article.html", b=b, a=b.articles[n - 1], story_id=story_id)

    @api.get(
        "/api/stories", summary="The corpus's stories, most recently updated first (empty without a corpus)"
    )
    async def stories_api() -> Response:
        def listing() -> str:
            corpus = open_corpus()
            if corpus is None:
                return json.dumps({"schema_version": 1, "stories": []})
            with corpus:
                return stories_json(corpus, index=index_of(corpus))

        return Response(await run_in_threadpool(listing), media_type="application/json")
