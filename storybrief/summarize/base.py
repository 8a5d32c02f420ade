"""The one summariser interface, its name registry, and the shared word budget."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import ClassVar

from ..analysis.model import AnalyzedArticle
from ..articles import Span
from ..errors import MethodError
from ..language import COUNT_WORD_RE, count_words
from ..language.furniture import CREDIT_RE, is_boilerplate_lower, is_byline, is_caption
from ..stories.model import SentRef, Story


def cut_to_words(text: str, words: int) -> int:
    """Length of the prefix of ``text`` that holds its first ``words`` words."""
    if words <= 0:
        return 0
    for i, m in enumerate(COUNT_WORD_RE.finditer(text), start=1):
        if i == words:
            return m.end()
    return len(text)


# -- page furniture: bylines, photo captions and credits; web-page boilerplate ---------
#
# No summariser may print these, so every method asks :func:`furniture_sents` and
# :func:`is_boilerplate_lower`.


def furniture_sents(item: AnalyzedArticle) -> frozenset[int]:
    """Sentences of an article no summary may print: bylines, photo captions and credits.

    A byline is a short line "By <Name ...>"; a credit is "Photograph: ...",
    "Photo by ..."; a short paragraph holding a credit is a caption with all
    its sentences; a standalone one-sentence paragraph of at most
    :data:`~storybrief.language.furniture.CAPTION_MAX_WORDS` words that describes a picture ("... seen
    from ...", "... pictured ...") without a finite verb is a caption too.
    """
    analysis = item.analysis
    text = item.article.text
    sents = analysis.sents
    paras = analysis.sent_paragraph
    out: set[int] = set()
    n = len(sents)
    j = 0
    while j < n:
        k = j
        while k + 1 < n and paras[k + 1] == paras[j]:
            k += 1
        members = range(j, k + 1)
        bodies = [text[sents[m][0] : sents[m][1]] for m in members]
        for m, body in zip(members, bodies):
            if is_byline(body):
                out.add(m)
        if (
            len(bodies) <= 3
            and any(CREDIT_RE.search(b) for b in bodies if ":" in b or "by" in b or "By" in b or "BY" in b)
            and sum(count_words(b) for b in bodies) <= 60
        ):
            out.update(members)
        elif len(bodies) == 1 and is_caption(bodies[0]):
            out.add(j)
        j = k + 1
    return frozenset(out)


def story_furniture(story: Story) -> frozenset[SentRef]:
    """:func:`furniture_sents` of every article of the story, as sentence references."""
    return frozenset(SentRef(i, j) for i, item in enumerate(story.articles) for j in furniture_sents(item))


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

    def warm(self) -> None:  # noqa: B027 -- optional: most summarisers have nothing to load
        """Load what :meth:`summarize` needs (a model, say) ahead of the first story; the
        summaries are the same without it."""


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


def fill_budget(
    story: Story, ranked: Iterable[SentRef], words: int, *, cut_last: bool
) -> list[SentRef | Span]:
    """Take ranked sentences until the budget is spent, skipping exact repeats.

    With ``cut_last`` the sentence that crosses the budget is cut at it (the
    evaluation protocol of the reference baselines) and returned as a
    :class:`Span`; without it, sentences that do not fit are skipped and
    shorter ones later in the ranking may still fill the gap.  Bylines,
    captions and credits (:func:`story_furniture`) and web-page boilerplate
    (:func:`is_boilerplate_lower`) are never taken.
    """
    picked: list[SentRef | Span] = []
    seen: set[str] = set()
    used = 0
    furniture = story_furniture(story)
    for ref in ranked:
        if ref in furniture:
            continue
        text = story.sent_text(ref)
        low = text.lower()
        key = " ".join(low.split())
        if key in seen or is_boilerplate_lower(low):
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
