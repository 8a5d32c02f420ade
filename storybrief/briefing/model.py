"""The Briefing: what a reader gets for one story, as plain data with a JSON round-trip.

A briefing carries its articles (with their full text), so every span in it
can be checked against its source: ``Briefing.text_of(span)``.  Sentence texts
appear in the JSON for convenience but are always re-derived from the spans;
``from_dict`` checks that they still match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..articles import Article, Rejection, Span
from ..errors import ArticleError, StorybriefError
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
class Duplicate:
    """Article ``copy_id`` is a syndicated or near-identical copy of ``original_id``."""

    copy_id: str
    original_id: str


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

    def to_dict(self) -> dict[str, int]:
        return {
            "articles": self.articles,
            "outlets": self.outlets,
            "independent_outlets": self.independent_outlets,
            "copies": self.copies,
        }

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


@dataclass(frozen=True)
class Briefing:
    story_id: str
    headline: str
    headline_article_id: str | None
    method: str
    words: int
    summary: tuple[SummarySentence, ...]
    articles: tuple[Article, ...]
    outlets: tuple[OutletEntry, ...]
    duplicates: tuple[Duplicate, ...] = ()
    people: tuple[Person, ...] = ()
    ledger: Ledger | None = None
    coverage: Coverage | None = None
    disagreements: tuple[Disagreement, ...] = ()
    timeline: Timeline | None = None
    schema_version: int = SCHEMA_VERSION
    _by_id: dict[str, Article] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({a.id: a for a in self.articles})
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

    @property
    def counts(self) -> SourceCounts:
        """Articles, outlets, independent outlets and copies: what headers and the matrix show."""
        return count_sources(self.articles, self.duplicates)

    @property
    def word_count(self) -> int:
        from ..summarize import count_words

        return sum(count_words(self.text_of(s.span)) for s in self.summary)

    # JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        def span_dict(span: Span) -> dict[str, Any]:
            return {**span.to_dict(), "text": self.text_of(span)}

        return {
            "schema_version": self.schema_version,
            "story_id": self.story_id,
            "headline": self.headline,
            "headline_article_id": self.headline_article_id,
            "method": self.method,
            "words": self.words,
            "summary": [
                {
                    **span_dict(s.span),
                    "fact_group": s.fact_group,
                    "citations": [{"outlet": c.outlet, **span_dict(c.span)} for c in s.citations],
                    "disputed_by": [{"outlet": c.outlet, **span_dict(c.span)} for c in s.disputed_by],
                }
                for s in self.summary
            ],
            "outlets": [
                {"name": o.name, "article_ids": list(o.article_ids), "copy_ids": list(o.copy_ids)}
                for o in self.outlets
            ],
            "duplicates": [{"copy_id": d.copy_id, "original_id": d.original_id} for d in self.duplicates],
            "counts": self.counts.to_dict(),
            "people": [self._with_texts(p.to_dict()) for p in self.people],
            "quotes": self._with_texts(self.ledger.to_dict()) if self.ledger else None,
            "coverage": self._with_texts(self.coverage.to_dict()) if self.coverage else None,
            "disagreements": [self._with_texts(d.to_dict()) for d in self.disagreements],
            "timeline": self._with_texts(self.timeline.to_dict()) if self.timeline else None,
            "articles": [a.to_dict() for a in self.articles],
        }

    def _with_texts(self, value: Any) -> Any:
        """Add the quoted ``text`` to every span found in an analysis section, for readers of the JSON."""
        if isinstance(value, dict):
            out = {k: self._with_texts(v) for k, v in value.items()}
            if {"article_id", "start", "end"} <= value.keys() and value["article_id"] in self._by_id:
                out["text"] = self.text_of(Span.from_dict(value))
            return out
        if isinstance(value, list):
            return [self._with_texts(v) for v in value]
        return value

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Briefing:
        version = data.get("schema_version")
        if version != SCHEMA_VERSION:
            raise StorybriefError(
                f"briefing schema version {version!r} is not supported (expected {SCHEMA_VERSION})",
                where="briefing",
            )
        summary = tuple(
            SummarySentence(
                span=Span.from_dict(s),
                fact_group=s.get("fact_group"),
                citations=tuple(Citation(c["outlet"], Span.from_dict(c)) for c in s["citations"]),
                disputed_by=tuple(
                    Citation(c["outlet"], Span.from_dict(c)) for c in s.get("disputed_by") or ()
                ),
            )
            for s in data["summary"]
        )
        briefing = cls(
            story_id=data["story_id"],
            headline=data["headline"],
            headline_article_id=data.get("headline_article_id"),
            method=data["method"],
            words=int(data["words"]),
            summary=summary,
            articles=tuple(Article.from_dict(a) for a in data["articles"]),
            outlets=tuple(
                OutletEntry(o["name"], tuple(o["article_ids"]), tuple(o.get("copy_ids", ())))
                for o in data["outlets"]
            ),
            duplicates=tuple(Duplicate(d["copy_id"], d["original_id"]) for d in data.get("duplicates", ())),
            people=tuple(Person.from_dict(p) for p in data.get("people") or ()),
            ledger=Ledger.from_dict(data["quotes"]) if data.get("quotes") else None,
            coverage=Coverage.from_dict(data["coverage"]) if data.get("coverage") else None,
            disagreements=tuple(Disagreement.from_dict(d) for d in data.get("disagreements") or ()),
            timeline=Timeline.from_dict(data["timeline"]) if data.get("timeline") else None,
        )
        for s, raw in zip(briefing.summary, data["summary"]):
            if "text" in raw and briefing.text_of(s.span) != raw["text"]:
                raise ArticleError("summary text does not match its span", article_id=s.span.article_id)
        return briefing


@dataclass(frozen=True)
class BriefingSet:
    """The result of briefing a pile: one briefing per story (largest first) and what was set aside."""

    briefings: tuple[Briefing, ...]
    rejections: tuple[Rejection, ...] = ()
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "briefings": [b.to_dict() for b in self.briefings],
            "rejections": [r.to_dict() for r in self.rejections],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BriefingSet:
        if data.get("schema_version") != SCHEMA_VERSION:
            raise StorybriefError(
                f"unsupported schema version {data.get('schema_version')!r}", where="briefing"
            )
        return cls(
            briefings=tuple(Briefing.from_dict(b) for b in data["briefings"]),
            rejections=tuple(Rejection.from_dict(r) for r in data.get("rejections", ())),
        )
