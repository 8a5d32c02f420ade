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
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..briefing import Briefing
from ..config import Options
from ..errors import StoreError
from ..renderers.html import Links, briefing_view
from .state import State, get_state

if TYPE_CHECKING:
    from ..corpus import Corpus


class StoryCorpus:
    """The corpus at ``db_path`` as the pages read it: its story index, loaded again only when the corpus
    has gained articles since, and story briefings made one at a time (``brief_lock``)."""

    def __init__(self, db_path: str | Path, *, options: Options, brief_lock: threading.Lock):
        self.db_path, self.options, self.brief_lock = db_path, options, brief_lock
        self._loaded: dict[str, Any] = {"count": None, "index": None}
        self._loading = threading.Lock()

    def open(self) -> Corpus | None:
        from ..corpus import Corpus

        try:
            return Corpus(self.db_path, create=False)
        except StoreError:
            return None

    def index_of(self, corpus: Corpus) -> Any:
        with self._loading:
            count = corpus.count()
            if self._loaded["count"] != count:
                self._loaded.update(count=count, index=corpus.load_index(self.options))
            return self._loaded["index"]

    def rows(self) -> Any:
        corpus = self.open()
        if corpus is None:
            return None
        with corpus:
            return corpus.story_rows(self.index_of(corpus))

    def briefing(self, story_id: str) -> Briefing:
        """The story's briefing, or 404."""
        from ..corpus import story_briefing

        corpus = self.open()
        if corpus is None:
            raise StarletteHTTPException(404)
        with corpus, self.brief_lock:  # briefing is CPU-bound and shares the NLP model: one at a time
            try:
                return story_briefing(corpus, story_id, options=self.options, index=self.index_of(corpus))
            except StoreError as e:
                raise StarletteHTTPException(404) from e

    def listing(self) -> str:
        from ..corpus import stories_json

        corpus = self.open()
        if corpus is None:
            return json.dumps({"schema_version": 1, "stories": []})
        with corpus:
            return stories_json(corpus, index=self.index_of(corpus))


def get_stories(request: Request) -> StoryCorpus:
    return get_state(request).stories


Stories = Annotated[StoryCorpus, Depends(get_stories)]

router = APIRouter()


def links(story_id: str) -> Links:
    return Links(
        prefix="",
        article_url=lambda n: f"/stories/{story_id}/articles/{n}",
        briefing_url=f"/stories/{story_id}",
    )


@router.get("/stories", response_class=HTMLResponse, include_in_schema=False)
async def stories_page(request: Request, state: State, stories: Stories) -> Response:
    items = await run_in_threadpool(stories.rows)
    return state.page(request, "stories.html", items=items, db=str(stories.db_path))


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
async def story_page(request: Request, story_id: str, state: State, stories: Stories) -> Response:
    briefing = await run_in_threadpool(stories.briefing, story_id)
    b = briefing_view(briefing, links=links(story_id))
    return state.page(request, "story.html", b=b, story_id=story_id)


@router.get("/stories/{story_id}/articles/{n}", response_class=HTMLResponse, include_in_schema=False)
async def story_article_page(
    request: Request, story_id: str, n: int, state: State, stories: Stories
) -> Response:
    b = briefing_view(await run_in_threadpool(stories.briefing, story_id), links=links(story_id))
    if not 1 <= n <= len(b.articles):
        raise StarletteHTTPException(404)
    return state.page(request, "story_article.html", b=b, a=b.articles[n - 1], story_id=story_id)


@router.get(
    "/api/stories", summary="The corpus's stories, most recently updated first (empty without a corpus)"
)
async def stories_api(stories: Stories) -> Response:
    return Response(await run_in_threadpool(stories.listing), media_type="application/json")
