"""Bounded worker pools: CPU-bound work runs here, never on the event loop.

Reading uploads and making briefings are CPU-bound (decoding, trafilatura,
spaCy).  Run on the event loop they would stall every other request, health
checks included; run on an unbounded pool, a burst of uploads would queue
without limit and hold every body in memory.  A :class:`WorkPool` runs at most
``workers`` jobs at once and lets at most ``queue`` more wait; past that a
request is refused at once with 503 and a ``Retry-After`` hint.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from ..errors import RequestError

T = TypeVar("T")


class WorkPool:
    """A fixed number of worker threads with a bounded waiting line."""

    def __init__(self, name: str, *, workers: int, queue: int, retry_after: int = 5):
        self.name = name
        self.workers = workers
        self.queue = queue
        self.retry_after = retry_after
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"storybrief-{name}")
        self._lock = threading.Lock()
        self._admitted = 0

    @property
    def admitted(self) -> int:
        """Jobs running or waiting now."""
        return self._admitted

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn`` on a worker and wait for it; RequestError 503 when the line is full."""
        with self._lock:
            if self._admitted >= self.workers + self.queue:
                raise RequestError(
                    503,
                    "busy",
                    f"the server is busy ({self._admitted} {self.name} jobs running or waiting, the most it takes); "
                    f"try again in {self.retry_after} s",
                    retry_after=self.retry_after,
                )
            self._admitted += 1
        try:
            future = self._executor.submit(fn, *args, **kwargs)
        except BaseException:
            self._release()
            raise
        # Released when the job ends, not when the request does: a client that hangs up does not stop its job.
        future.add_done_callback(lambda _: self._release())
        return await asyncio.wrap_future(future)

    def _release(self) -> None:
        with self._lock:
            self._admitted -= 1

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
