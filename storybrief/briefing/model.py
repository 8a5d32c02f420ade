"""The Briefing: what a reader gets for one story, as typed records with one JSON form.

A briefing carries its articles (with their full text), so every span in it
can be checked against its source: ``Briefing.text_of(span)``.  Span texts
appear in the JSON for convenience but are always re-derived from the spans;
reading the JSON back (:func:`storybrief.schema.from_data`) checks that the
summary's texts still match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from pydantic import Field, SerializerFunctionWrapHandler, computed_field, model_serializer, model_validator

from ..articles import Article, Duplicate, Rejection, Span
from ..errors import ArticleError, StorybriefError
from ..schema import place_computed
from ..stories.coverage import Coverage
from ..stories.disagreements import Disagreement
from ..stories.ledger import Ledger
from ..stories.people import Person
from ..stories.timeline import Timeline

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Citation:
    """One outlet's sentence supporting a summary sentence."""

    outlet: str
    span: Span


@dataclass(frozen=True)
class SummarySentence:
    """A summary sentence: a span of one article, and every outlet that reports the same fact.

    ``citations`` are confirmations only.  ``disputed_by`` holds, one per outlet, sentences that
    state the same fact with a conflicting figure, date or named actor ("Some 45 firefighters"
    against "Around 60 firefighters"): they are shown, never counted as support.
    """

    span: Span
    fact_group: int | None
    citations: tuple[Citation, ...]
    disputed_by: tuple[Citation, ...] = ()

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(c.outlet for c in self.citations)


@dataclass(frozen=True)
class OutletEntry:
    """An outlet in the story and the articles it published (copies listed apart)."""

    name: str
    article_ids: tuple[str, ...]
    copy_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceCounts:
    """How many articles, outlets, independent outlets and syndicated copies a briefing draws on.

    An *outlet* is an article's display name (:attr:`Article.display_outlet`), so articles with no
    metadata stay separate sources ("unknown outlet (a.txt)", "unknown outlet (b.txt)") instead of
    one phantom outlet.  An outlet is *independent* when at least one of its articles is not a copy.
    """

    articles: int
    outlets: int
    independent_outlets: int
    copies: int

    def describe(self) -> str:
        """The header phrase: "6 articles from 5 outlets (4 independent; 1 syndicated copy)"."""

        def plural(n: int, one: str, many: str) -> str:
            return f"{n:,} {one if n == 1 else many}"

        text = (
            f"{plural(self.articles, 'article', 'articles')} from {plural(self.outlets, 'outlet', 'outlets')}"
        )
        if self.copies:
            copies = plural(self.copies, "syndicated copy", "syndicated copies")
            text += f" ({self.independent_outlets:,} independent; {copies})"
        return text


def tally_outlets(articles: Sequence[Article], duplicates: Iterable[Duplicate]) -> tuple[OutletEntry, ...]:
    """One entry per outlet (sorted by name) with its own articles and its copies, in input order.

    The one place that decides what an outlet is: the briefing's outlet list, the counts of every
    renderer (:func:`count_sources`) and the HTML coverage matrix all come from here.
    """
    copies = {d.copy_id for d in duplicates}
    by_outlet: dict[str, tuple[list[str], list[str]]] = {}
    for article in articles:
        ids, copy_ids = by_outlet.setdefault(article.display_outlet, ([], []))
        (copy_ids if article.id in copies else ids).append(article.id)
    return tuple(OutletEntry(name, tuple(ids), tuple(c)) for name, (ids, c) in sorted(by_outlet.items()))


def count_sources(articles: Sequence[Article], duplicates: Iterable[Duplicate]) -> SourceCounts:
    """The counts a reader sees in every format's header (see :class:`SourceCounts`)."""
    outlets = tally_outlets(articles, duplicates)
    return SourceCounts(
        articles=len(articles),
        outlets=len(outlets),
        independent_outlets=sum(1 for o in outlets if o.article_ids),
        copies=sum(len(o.copy_ids) for o in outlets),
    )


@dataclass(frozen=True, kw_only=True)
class Briefing:
    """One story's briefing.  Its fields, in order, are the JSON's keys (``ledger`` is written ``quotes``);
    the JSON adds the counts, each span's text, and writes a summary sentence's span inline."""

    schema_version: int = SCHEMA_VERSION
    story_id: str
    headline: str
    headline_article_id: str | None
    method: str
    words: int
    summary: tuple[SummarySentence, ...]
    outlets: tuple[OutletEntry, ...]
    duplicates: tuple[Duplicate, ...] = ()
    people: tuple[Person, ...] = ()
    ledger: Annotated[Ledger | None, Field(alias="quotes")] = None
    coverage: Coverage | None = None
    disagreements: tuple[Disagreement, ...] = ()
    timeline: Timeline | None = None
    articles: tuple[Article, ...]
    _by_id: ClassVar[dict[str, Article]]  # set per instance in __post_init__: not a field

    def __post_init__(self) -> None:
        if self.schema_version != SCHEMA_VERSION:
            raise StorybriefError(
                f"briefing schema version {self.schema_version!r} is not supported (expected {SCHEMA_VERSION})",
                where="briefing",
            )
        object.__setattr__(self, "_by_id", {a.id: a for a in self.articles})  # an attribute, not a field
        for sent in self.summary:
            for span in (sent.span, *(c.span for c in sent.citations), *(c.span for c in sent.disputed_by)):
                self.text_of(span)  # raises ArticleError if a span does not fit its article

    def article(self, article_id: str) -> Article:
        try:
            return self._by_id[article_id]
        except KeyError:
            raise ArticleError("cited article is not in the briefing", article_id=article_id) from None

    def text_of(self, span: Span) -> str:
        return self.article(span.article_id).text_of(span)

    @property
    def summary_text(self) -> str:
        return "\n".join(self.text_of(s.span) for s in self.summary)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> SourceCounts:
        """Articles, outlets, independent outlets and copies: what headers and the matrix show."""
        return count_sources(self.articles, self.duplicates)

    @property
    def word_count(self) -> int:
        from ..summarize import count_words

        return sum(count_words(self.text_of(s.span)) for s in self.summary)

    # JSON ------------------------------------------------------------------------------
    @model_serializer(mode="wrap")
    def _to_json(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        # (no return annotation: the JSON schema stays the dataclass's)
        return self._json_form(handler(self))

    def _json_form(self, data: dict[str, Any]) -> dict[str, Any]:
        """The fields' JSON as readers get it: span texts added, summary spans inline, counts placed."""
        for key in _SECTIONS_WITH_SPANS:
            data[key] = self._with_texts(data[key])
        data["summary"] = [
            {
                **s.pop("span"),
                **s,
                "citations": [{"outlet": c["outlet"], **c["span"]} for c in s["citations"]],
                "disputed_by": [{"outlet": c["outlet"], **c["span"]} for c in s["disputed_by"]],
            }
            for s in data["summary"]
        ]
        return place_computed(self, data, before="people")

    @model_validator(mode="before")
    @classmethod
    def _from_json(cls, data: Any) -> Any:
        """The summary's inline spans read back, and their texts checked against the articles."""
        if not isinstance(data, dict) or not isinstance(data.get("summary"), list):
            return data
        data = {**data, "summary": [_nest(s) for s in data["summary"]]}
        texts = {
            a["id"]: a.get("text", "")
            for a in data.get("articles") or ()
            if isinstance(a, dict) and "id" in a
        }
        for s in data["summary"]:
            span, text = s.get("span"), s.get("text")
            if isinstance(span, dict) and text is not None and span.get("article_id") in texts:
                if texts[span["article_id"]][span.get("start", 0) : span.get("end", 0)] != text:
                    raise ArticleError("summary text does not match its span", article_id=span["article_id"])
        return data

    def _with_texts(self, value: Any) -> Any:
        """Add the quoted ``text`` to every span found in the JSON, for its readers."""
        if isinstance(value, dict):
            out = {k: self._with_texts(v) for k, v in value.items()}
            if {"article_id", "start", "end"} <= value.keys() and value["article_id"] in self._by_id:
                out["text"] = self.text_of(Span(value["article_id"], value["start"], value["end"]))
            return out
        if isinstance(value, list):
            return [self._with_texts(v) for v in value]
        return value


_SPAN_KEYS = ("article_id", "start", "end")
_SECTIONS_WITH_SPANS = ("summary", "people", "quotes", "coverage", "disagreements", "timeline")


def _nest(data: Any) -> Any:
    """A summary sentence or citation written with its span inline, as the record reads it."""
    if not isinstance(data, dict) or "span" in data:
        return data
    out = {k: v for k, v in data.items() if k not in _SPAN_KEYS}
    out["span"] = {k: data[k] for k in _SPAN_KEYS if k in data}
    for key in ("citations", "disputed_by"):
        if isinstance(out.get(key), list):
            out[key] = [_nest(c) for c in out[key]]
    return out


@dataclass(frozen=True)
class BriefingSet:
    """The result of briefing a pile: one briefing per story (largest first) and what was set aside."""

    schema_version: int = field(default=SCHEMA_VERSION, kw_only=True)
    briefings: tuple[Briefing, ...]
    rejections: tuple[Rejection, ...] = ()

    def __post_init__(self) -> None:
        if self.schema_version != SCHEMA_VERSION:
            raise StorybriefError(f"unsupported schema version {self.schema_version!r}", where="briefing")
