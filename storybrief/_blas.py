"""Single-threaded BLAS around storybrief's small-matrix stages.

Fact grouping and the summarisers multiply matrices of a few dozen rows (sentences by
terms, sentences by embedding dimensions).  At that size a multithreaded BLAS spends more
time waking and joining its threads than computing, and on a busy machine much more: on two
cores with one other busy process, ``build_story`` + the default summariser ran 1.6x slower
with OpenBLAS's default two threads than with one.  :func:`single_threaded_blas` limits
BLAS to one thread for the duration of a call and restores the previous setting after it
(through threadpoolctl, which scikit-learn already brings).
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_lock = threading.Lock()
_controller: Any = None


def _blas_controller() -> Any:
    global _controller
    if _controller is None:
        with _lock:
            if _controller is None:
                from threadpoolctl import ThreadpoolController

                _controller = ThreadpoolController()
    return _controller


def single_threaded_blas(func: F) -> F:
    """Decorate ``func`` so that it runs with a one-thread BLAS (about 10 µs per call)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _blas_controller().limit(limits=1, user_api="blas"):
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]
