"""The one summariser interface, its name registry, and the shared word budget."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import ClassVar

from ..articles import Span
from ..errors import MethodError
from ..stories.model import SentRef, Story

_WORD_RE = re.compile(r"\S*[^\W_]\S*")


def count_words(text: str) -> int:
    """Words as a reader counts them: whitespace tokens holding a letter or digit.

    Lone punctuation ("(", "--", "%") is not a word.
    """
    return len(_WORD_RE.findall(text))


def cut_to_words(text: str, words: int) -> int:
    """Length of the prefix of ``text`` that holds its first ``words`` words."""
    if words <= 0:
        return 0
    for i, m in enumerate(_WORD_RE.finditer(text), start=1):
        if i == words:
            return m.end()
    return len(text)


class Summarizer(ABC):
    """Picks sentences of a story for a summary of at most ``words`` words.

    ``__init__`` stores settings only; :meth:`summarize` is a pure function of
    the story.  It returns spans in presentation order.
    """

    name: ClassVar[str]
    description: ClassVar[str] = ""

    @abstractmethod
    def summarize(self, story: Story, *, words: int) -> list[Span]:
        """Return the summary as spans into the story's articles."""


_REGISTRY: dict[str, type[Summarizer]] = {}


def register(cls: type[Summarizer]) -> type[Summarizer]:
    """Class decorator: make a summariser available by its ``name``."""
    _REGISTRY[cls.name] = cls
    return cls


def available_methods() -> dict[str, type[Summarizer]]:
    from . import methods  # noqa: F401  (registers the built-in summarisers)

    return dict(sorted(_REGISTRY.items()))


def get_summarizer(name: str, **settings) -> Summarizer:
    methods = available_methods()
    try:
        cls = methods[name]
    except KeyError:
        raise MethodError(
            f"unknown summary method {name!r}", where="summarize", hint=f"choose from {', '.join(methods)}"
        ) from None
    return cls(**settings)


def fill_budget(story: Story, ranked: Iterable[SentRef], words: int, *, cut_last: bool) -> list[SentRef | Span]:
    """Take ranked sentences until the budget is spent, skipping exact repeats.

    With ``cut_last`` the sentence that crosses the budget is cut at it (the
    evaluation protocol of the reference baselines) and returned as a
    :class:`Span`; without it, sentences that do not fit are skipped and
    shorter ones later in the ranking may still fill the gap.
    """
    picked: list[SentRef | Span] = []
    seen: set[str] = set()
    used = 0
    for ref in ranked:
        text = story.sent_text(ref)
        key = " ".join(text.lower().split())
        if key in seen:
            continue
        n = count_words(text)
        if n == 0:
            continue
        if used + n <= words:
            picked.append(ref)
            seen.add(key)
            used += n
        elif cut_last:
            span = story.sent_span(ref)
            picked.append(Span(span.article_id, span.start, span.start + cut_to_words(text, words - used)))
            used = words
        if used >= words:
            break
    return picked


def to_spans(story: Story, picked: Iterable[SentRef | Span]) -> list[Span]:
    return [p if isinstance(p, Span) else story.sent_span(p) for p in picked]
