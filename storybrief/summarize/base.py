"""The one summariser interface, its name registry, and the shared word budget."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterable
from typing import ClassVar

from ..analysis.model import AnalyzedArticle
from ..articles import Span
from ..errors import MethodError
from ..language import COUNT_WORD_RE, count_words
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

# "By Coastal Press Agency staff", "By JANE DOE, Associated Press", "By Jane Doe and John Roe"
_BYLINE_RE = re.compile(
    r"^\s*[Bb][Yy]\s+[A-Z][\w.'’-]*(?:[\s,]+(?:[A-Z][\w.'’-]*|and|&|of|the|for|in|de|van|von|der|la|le|staff|"
    r"reporters?|correspondents?|writers?|editors?|wire|services?|Staff|Reporters?|Correspondents?|Writers?)){0,8}\s*[.,]?\s*$"
)
_BYLINE_CASE_RE = re.compile(r"^\s*[Bb][Yy]\s+[A-Z]")  # a name follows "By"
# "Photograph: Courier staff", "Photo by Jane Doe", "(Image credit: ...)", "Picture: PA"
_CREDIT_RE = re.compile(
    r"(?:^\s*|[(.;|]\s*)(?:photo(?:graph)?s?|pictures?|images?|illustrations?|graphics?|credits?|(?:photo|image) credit)"
    r"(?:\s*:\s*\S|\s+by\s+[A-Z])",
    re.IGNORECASE,
)
# participles that make a caption: "The gutted warehouse seen from the harbour wall."
_CAPTION_VERB_RE = re.compile(r"\b(?:seen|pictured|shown|photographed|depicted|captured)\b")
_FINITE_RE = re.compile(
    r"\b(?:is|are|was|were|am|be|been|has|have|had|do|does|did|will|would|can|could|may|might|must|shall|should|"
    r"said|says|say|told|tells|get|gets|got|'s|’s|n't|n’t)\b"
)
_CAPTION_MAX_WORDS = 25


_CAPTION_WORDS = ("seen", "pictured", "shown", "photographed", "depicted", "captured")


def _is_caption(sentence: str) -> bool:
    """A standalone line that names what a picture shows, without a finite verb."""
    low = sentence.lower()
    if not any(w in low for w in _CAPTION_WORDS):
        return False
    if count_words(sentence) > _CAPTION_MAX_WORDS or low.rstrip()[-1:] in "?!\"”’'":
        return False
    if any(q in sentence for q in '"“”'):
        return False
    return _CAPTION_VERB_RE.search(low) is not None and _FINITE_RE.search(low) is None


# Lines no reader wants: captions, credits, calls to action, page furniture.
_JUNK_RE = re.compile(
    r"click here|sign up|subscribe|newsletter|all rights reserved|copyright|©|\bclick\b|"
    r"getty images|ap photo|reuters/|afp/|/ap\b|/getty|photo credit|image caption|image copyright|"
    r"\bphotos?:|\(\s*photos?\b|\bcredit:|follow (?:us|him|her|them|@)|e-mail us|email us|share this|read more|"
    r"\brelated:|cookies? (?:policy|on|to)|javascript|your browser|terms of (?:use|service)|privacy policy|"
    r"\blog ?in\b|\bsign in\b|\bhttps?:|www\.|\.com/|pic\.twitter|@[a-z0-9_]+\)|"
    r"this (?:article|story) (?:was|has been) (?:updated|corrected)|listen to|podcast|"
    r"app store|google play|slideshow|view photos|enlarge this image|view full caption|buy photo|"
    r"toggle caption|hide caption|\bfile photo|\bfile -|contributed to this report|"
    r"\bwatch:|\bvideo:|^related|^more:|^see also|^read:|^update:|tweet with a location|"
    r"no more 404|internet archive|crawl|wayback|&#124;|&amp;|_taboola|rating is available when|"
    r"this feature is not available|please try again|breaking news emails|notifications|"
    r"text size|thank you for reading|subscription|\bad choices\b|report this ad",
)
_JUNK_PAREN_RE = re.compile(r"\(\s*(?:associated press|ap|reuters)\s*\)\s*\S|\.\.\. \(")
# Every match of _JUNK_RE holds one of these strings: a line without any of them
# is not junk, and _JUNK_RE (slow: a long alternation tried at every offset) is
# not run on it.
# fmt: off
_JUNK_TRIGGERS = (
    "click", "sign", "subscri", "newsletter", "reserved", "copyright", "©", "getty", "photo", "reuters/", "afp/",
    "/ap", "caption", "credit:", "follow ", "mail us", "share this", "read more", "related", "cookie", "javascript",
    "browser", "terms of ", "privacy", "log", "http", "www.", ".com/", "pic.twitter", "@", "updated", "corrected",
    "listen", "podcast", "app store", "google play", "slideshow", "enlarge", "file -", "contributed", "watch:",
    "video:", "more:", "see also", "read:", "update:", "tweet", "404", "archive", "crawl", "wayback", "&", "taboola",
    "rating", "not available", "try again", "emails", "notifications", "text size", "thank you", "ad choices",
    "report this",
)
# fmt: on


def is_boilerplate_lower(low: str, triggers: tuple[str, ...] = _JUNK_TRIGGERS) -> bool:
    """Web-page boilerplate ("Click here", "Sign up", cookie and app-store lines, wire credits), given lower-cased text."""
    if _JUNK_PAREN_RE.search(low) is not None:
        return True
    return any(map(low.__contains__, triggers)) and _JUNK_RE.search(low) is not None


def is_byline(sentence: str) -> bool:
    return (
        _BYLINE_CASE_RE.match(sentence) is not None
        and count_words(sentence) <= 10
        and _BYLINE_RE.match(sentence) is not None
    )


def furniture_sents(item: AnalyzedArticle) -> frozenset[int]:
    """Sentences of an article no summary may print: bylines, photo captions and credits.

    A byline is a short line "By <Name ...>"; a credit is "Photograph: ...",
    "Photo by ..."; a short paragraph holding a credit is a caption with all
    its sentences; a standalone one-sentence paragraph of at most
    :data:`_CAPTION_MAX_WORDS` words that describes a picture ("... seen
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
            and any(_CREDIT_RE.search(b) for b in bodies if ":" in b or "by" in b or "By" in b or "BY" in b)
            and sum(count_words(b) for b in bodies) <= 60
        ):
            out.update(members)
        elif len(bodies) == 1 and _is_caption(bodies[0]):
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
