"""What every route of the web app shares, handed to the routes as FastAPI dependencies.

One :class:`AppState` per app (``app.state.storybrief``): the pipeline options, the request limits,
the briefing store, the page templates and the worker pools.  A route asks for what it uses::

    async def route(state: State, store: Store, options: RunOptions) -> ...
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any

import jinja2
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..briefing import BriefingSet
from ..config import Options
from ..errors import RequestError, StorybriefError
from ..pipeline import brief_articles
from ..store import Batch, BriefingStore, StoredBriefing
from ..summarize import available_methods
from .intake import Intake, WebLimits, read_request
from .workers import WorkPool

if TYPE_CHECKING:
    from .stories import StoryCorpus

logger = logging.getLogger("storybrief.web")


@dataclass
class AppState:
    """The app's shared parts.  ``brief_lock`` lets one briefing run at a time (uploads and stories alike);
    ``ready`` is set once the NLP model is loaded (or warm-up is off)."""

    options: Options
    limits: WebLimits
    store: BriefingStore
    stories: StoryCorpus
    env: jinja2.Environment
    readers: WorkPool
    briefers: WorkPool
    brief_lock: threading.Lock
    ready: threading.Event = field(default_factory=threading.Event)

    # briefing ----------------------------------------------------------------------------
    def run_briefing(self, intake: Intake) -> BriefingSet:
        run_options = intake.options(self.options, self.limits)
        with self.brief_lock:  # briefing is CPU-bound and shares the NLP model: one at a time
            return brief_articles(intake.articles, options=run_options, rejections=intake.rejections)

    def warm(self) -> None:
        """Load the NLP model ahead of the first request."""
        try:
            with self.brief_lock:
                from ..analysis import load_nlp

                if self.options.ner:
                    load_nlp()
        except StorybriefError as e:  # the first request will report it properly
            logger.warning("could not load the NLP model at start-up: %s", e)
        finally:
            self.ready.set()

    async def read_intake(self, request: Request) -> Intake:
        return await read_request(request, options=self.options, limits=self.limits, run=self.readers.run)

    async def make_briefings(self, intake: Intake) -> tuple[BriefingSet, Batch]:
        """Brief the intake's articles off the event loop and store the result (committed on return)."""
        if not intake.articles:
            reasons = "; ".join(str(r) for r in intake.rejections[:10])
            message = "no readable article in the request" + (f": {reasons}" if reasons else "")
            raise RequestError(422, "no-article", message)
        try:
            result = await self.briefers.run(self.run_briefing, intake)
        except RequestError:
            raise
        except StorybriefError as e:
            raise RequestError(422, "briefing-failed", f"the articles could not be briefed: {e}") from e
        if not result.briefings:
            raise RequestError(422, "no-story", "no story could be formed from these articles")
        batch = await run_in_threadpool(self.store.add_set, result)  # committed before we answer
        return result, batch

    # reading -----------------------------------------------------------------------------
    def load(self, briefing_id: str) -> StoredBriefing:
        """The stored briefing, or 404."""
        briefing = self.store.briefing(briefing_id)
        if briefing is None:
            raise StarletteHTTPException(404)
        return briefing

    # pages -------------------------------------------------------------------------------
    def page(self, request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(name).render(path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)

    def index_context(self, error: str | None = None) -> dict[str, Any]:
        return {
            "error": error,
            "methods": list(available_methods()),
            "default_method": self.options.method,
            "default_words": self.options.words,
            "limits": self.limits,
        }


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.storybrief
    return state


def get_store(request: Request) -> BriefingStore:
    return get_state(request).store


def get_options(request: Request) -> Options:
    return get_state(request).options


State = Annotated[AppState, Depends(get_state)]
Store = Annotated[BriefingStore, Depends(get_store)]
RunOptions = Annotated[Options, Depends(get_options)]
