"""Coverage: who reports each fact, what each outlet alone reports, and what it leaves out.

Built on the story's fact groups (sentences of different outlets that state
the same thing).  Only *independent* outlets count: a syndicated copy is shown
as carrying its original's facts but never adds an outlet to a fact, so a wire
story reprinted five times is still one source.

* A fact is **single-source** when one independent outlet reports it.  Its
  ``claim`` flag says whether it reads as a claim worth listing (a sentence of
  at least ``Options.coverage.min_claim_words`` words that is not a byline,
  caption or "click here" line).
* A fact is **widely reported** when at least :func:`widely_threshold` of the
  story's independent outlets report it: a strict majority and never fewer
  than two (2 of 2 or 3, 3 of 4 or 5, 6 of 10).  A majority means the outlets
  that leave it out are the exception, which is what makes leaving it out
  worth showing.  With two outlets nothing is "left out": either both report a
  fact or it is single-source.
* An outlet's **omissions** are the widely reported facts it does not report;
  its **unique facts** are the single-source claims that are its own.
* Only confirming outlets count: an outlet whose sentence states the fact with a
  conflicting figure, date or named actor ("Some 45 firefighters" against
  "Around 60 firefighters") is listed in ``disputed_by``, never among the
  fact's outlets, and does not *leave out* the fact either.

Quote and speaker shares come from the quote stage; :func:`build_coverage`
takes them as an optional input (one ``(outlet, speaker)`` pair per quote) so
this module does not depend on how quotes are found.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..articles import Duplicate, Span
from ..config import CoverageOptions, Options
from ..language import terms
from ..outlets import OutletDirectory
from ..schema import Labels, Timestamp
from .model import SentRef, Story

__all__ = [
    "Coverage",
    "FactCoverage",
    "OutletCoverage",
    "build_coverage",
    "is_claim",
    "widely_threshold",
]

_NOT_A_CLAIM_RE = re.compile(
    r"^(?:by\s|photo|image|picture|caption|click here|read more|sign up|subscribe|follow us|share this|"
    r"advertisement|copyright|\(?ap\)?\s*[—-])|photograph:|\bclick here\b|all rights reserved",
    re.IGNORECASE,
)


def widely_threshold(outlets: int) -> int:
    """How many independent outlets make a fact "widely reported": a strict majority, at least 2."""
    return max(2, outlets // 2 + 1)


def is_claim(text: str, *, min_words: int = CoverageOptions().min_claim_words) -> bool:
    """A sentence worth listing as a claim: ``min_words`` words or more, and not a byline, caption or link."""
    return len(text.split()) >= min_words and not _NOT_A_CLAIM_RE.search(text.strip())


def _iso(d: datetime | None) -> str | None:
    return d.isoformat() if d else None


def _from_iso(s: str | None) -> datetime | None:
    return datetime.fromisoformat(s) if s else None


@dataclass(frozen=True)
class FactCoverage:
    """One fact group: the independent outlets that report it and when they published it.

    ``sents`` holds one sentence per outlet (the group's members); ``carried_by``
    names outlets that carry the fact only through a syndicated copy; ``disputed_by``
    names outlets that state it with a conflicting figure, date or named actor.
    """

    fact_group: int
    outlets: tuple[str, ...]
    sents: tuple[Span, ...]
    carried_by: tuple[str, ...]
    first_published: Timestamp | None
    last_published: Timestamp | None
    single_source: bool
    widely_reported: bool
    claim: bool
    disputed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutletCoverage:
    """One outlet's view of the story.

    ``article_ids`` are its own articles, ``copy_ids`` its syndicated copies of
    another outlet's article (``copy_of`` names those outlets).  ``facts`` are
    the fact groups its own articles report; ``carried`` those it carries only
    through a copy.  ``unique_facts`` are single-source claims that are its
    own; ``omissions`` the widely reported facts it neither reports nor
    carries.  ``copy_additions`` are sentences of its copies that the original
    does not have (what it added to the wire story).

    ``quotes``/``speakers`` count its quotes and distinct speakers, and the
    shares divide them by the story's totals; all four are ``None`` when no
    quotes were given to :func:`build_coverage`.
    """

    outlet: str
    display_name: str
    labels: Labels
    article_ids: tuple[str, ...]
    copy_ids: tuple[str, ...]
    copy_of: tuple[str, ...]
    facts: tuple[int, ...]
    carried: tuple[int, ...]
    unique_facts: tuple[int, ...]
    omissions: tuple[int, ...]
    copy_additions: tuple[Span, ...] = ()
    quotes: int | None = None
    speakers: int | None = None
    quote_share: float | None = None
    speaker_share: float | None = None

    @property
    def independent(self) -> bool:
        """Does the outlet have an article of its own (not only copies)?"""
        return bool(self.article_ids)


@dataclass(frozen=True)
class Coverage:
    """Fact-by-fact and outlet-by-outlet coverage of one story."""

    story_id: str
    independent_outlets: tuple[str, ...]
    widely_threshold: int
    facts: tuple[FactCoverage, ...]
    outlets: tuple[OutletCoverage, ...]
    duplicates: tuple[Duplicate, ...]

    def fact(self, group: int) -> FactCoverage:
        for f in self.facts:
            if f.fact_group == group:
                return f
        raise KeyError(group)

    def outlet(self, name: str) -> OutletCoverage:
        for o in self.outlets:
            if o.outlet == name:
                return o
        raise KeyError(name)

    @property
    def single_source_claims(self) -> tuple[FactCoverage, ...]:
        """Facts only one independent outlet reports, that read as claims, in story order."""
        return tuple(f for f in self.facts if f.single_source and f.claim)

    @property
    def widely_reported(self) -> tuple[FactCoverage, ...]:
        return tuple(f for f in self.facts if f.widely_reported)


# --------------------------------------------------------------------------------------


def _copy_matches(
    story: Story, copy: int, original: int, min_jaccard: float
) -> tuple[dict[int, SentRef], list[int]]:
    """Sentence by sentence: which original sentence each copy sentence reproduces.

    Returns (copy sentence -> original sentence, copy sentences with no match).
    Exact text first, then sentences sharing at least ``min_jaccard`` of their content terms.
    """
    orig = story.articles[original]
    exact: dict[str, int] = {}
    orig_terms: list[set[str]] = []
    for s, text in enumerate(orig.sent_texts()):
        exact.setdefault(" ".join(text.split()), s)
        orig_terms.append(set(terms(text)))
    matched: dict[int, SentRef] = {}
    extra: list[int] = []
    for i, text in enumerate(story.articles[copy].sent_texts()):
        j = exact.get(" ".join(text.split()))
        if j is None:
            own = set(terms(text))
            best, best_score = None, 0.0
            for k, other in enumerate(orig_terms):
                union = own | other
                score = len(own & other) / len(union) if union else 0.0
                if score > best_score:
                    best, best_score = k, score
            j = best if best_score >= min_jaccard else None
        if j is None:
            extra.append(i)
        else:
            matched[i] = SentRef(original, j)
    return matched, extra


def build_coverage(
    story: Story,
    *,
    outlets: OutletDirectory | None = None,
    quotes: Iterable[tuple[str, str | None]] | None = None,
    options: Options | None = None,
) -> Coverage:
    """Coverage of a story (a pure function of it and ``options.coverage``).

    ``outlets`` supplies display names and labels from the user's outlet file.
    ``quotes`` is one ``(outlet, speaker or None)`` pair per quote in the story;
    leave it out and the quote fields stay ``None`` for the caller to fill.
    """
    settings = (options or Options()).coverage
    directory = outlets or OutletDirectory()
    independent = tuple(sorted({story.outlet(i) for i in story.originals}))
    threshold = widely_threshold(len(independent))
    copies = _carried_by_copies(story, settings)
    facts = _fact_rows(story, copies, threshold, settings)
    tally = _QuoteTally.of(quotes) if quotes is not None else None
    by_outlet: dict[str, list[int]] = defaultdict(list)
    for i in range(len(story.articles)):
        by_outlet[story.outlet(i)].append(i)
    return Coverage(
        story_id=story.id,
        independent_outlets=independent,
        widely_threshold=threshold,
        facts=tuple(facts),
        outlets=tuple(
            _outlet_row(story, name, by_outlet[name], facts, copies, directory, tally)
            for name in sorted(by_outlet)
        ),
        duplicates=tuple(
            Duplicate(story.articles[c].article.id, story.articles[o].article.id)
            for c, o in sorted(story.duplicate_of.items())
        ),
    )


@dataclass
class _Copies:
    """What the story's syndicated copies carry: fact group -> outlets carrying it through a copy,
    outlet -> fact groups it carries through a copy, and outlet -> sentences its copies add."""

    by_group: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    by_outlet: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    additions: dict[str, list[Span]] = field(default_factory=lambda: defaultdict(list))


def _carried_by_copies(story: Story, settings: CoverageOptions) -> _Copies:
    """Which fact groups each copy carries (through the original sentences it reproduces),
    and what it adds."""
    copies = _Copies()
    for copy, original in sorted(story.duplicate_of.items()):
        outlet = story.outlet(copy)
        matched, extra = _copy_matches(story, copy, original, settings.copy_sentence_min_jaccard)
        for ref in matched.values():
            group = story.group_of.get(ref)
            if group is not None:
                copies.by_group[group].add(outlet)
                copies.by_outlet[outlet].add(group)
        copies.additions[outlet].extend(story.sent_span(SentRef(copy, i)) for i in extra)
    return copies


def _fact_rows(
    story: Story, copies: _Copies, threshold: int, settings: CoverageOptions
) -> list[FactCoverage]:
    """One row per fact group, in story order."""
    facts: list[FactCoverage] = []
    for group in story.fact_groups:
        dates = [story.articles[m.article].article.published for m in group.members]
        known = [d for d in dates if d is not None]
        own = set(group.outlets)
        facts.append(
            FactCoverage(
                fact_group=group.id,
                outlets=group.outlets,
                sents=tuple(story.sent_span(m) for m in group.members),
                carried_by=tuple(sorted(copies.by_group.get(group.id, set()) - own)),
                first_published=min(known) if known else None,
                last_published=max(known) if known else None,
                single_source=group.size == 1,
                widely_reported=group.size >= threshold,
                claim=any(_is_claim_at(story, m, settings.min_claim_words) for m in group.members),
                disputed_by=tuple(sorted({story.outlet(other.article) for _, other in group.disputes} - own)),
            )
        )
    facts.sort(key=lambda f: _first_position(story, f))
    return facts


@dataclass
class _QuoteTally:
    """Quotes and distinct speakers per outlet, and the story's totals."""

    quotes: Counter[str]
    speakers: dict[str, set[str]]
    all_speakers: set[str]
    total_quotes: int

    @classmethod
    def of(cls, quotes: Iterable[tuple[str, str | None]]) -> _QuoteTally:
        tally = cls(Counter(), defaultdict(set), set(), 0)
        for outlet, speaker in quotes:
            tally.quotes[outlet] += 1
            tally.total_quotes += 1
            if speaker:
                key = " ".join(speaker.lower().split())
                tally.speakers[outlet].add(key)
                tally.all_speakers.add(key)
        return tally

    def shares(self, outlet: str) -> dict[str, Any]:
        """The outlet's quote and speaker counts and their shares of the story's totals."""
        quotes = self.quotes.get(outlet, 0)
        speakers = len(self.speakers.get(outlet, set()))
        return {
            "quotes": quotes,
            "speakers": speakers,
            "quote_share": quotes / self.total_quotes if self.total_quotes else 0.0,
            "speaker_share": speakers / len(self.all_speakers) if self.all_speakers else 0.0,
        }


def _outlet_row(
    story: Story,
    name: str,
    indices: list[int],
    facts: list[FactCoverage],
    copies: _Copies,
    directory: OutletDirectory,
    tally: _QuoteTally | None,
) -> OutletCoverage:
    """One outlet's row: its articles and copies, the facts it reports, carries, alone reports
    and leaves out, and its share of the quotes (``indices``: its articles in the story)."""
    order = {fact.fact_group: k for k, fact in enumerate(facts)}
    fact_by_id = {f.fact_group: f for f in facts}
    own_ids = tuple(story.articles[i].article.id for i in indices if i not in story.duplicate_of)
    copy_ids = tuple(story.articles[i].article.id for i in indices if i in story.duplicate_of)
    copy_of = tuple(sorted({story.outlet(story.duplicate_of[i]) for i in indices if i in story.duplicate_of}))
    own = {group.id for group in story.fact_groups if name in group.outlets}
    carried = copies.by_outlet.get(name, set()) - own
    covered = own | carried
    unique = [g for g in own if fact_by_id[g].single_source and fact_by_id[g].claim]
    omitted = [
        f.fact_group
        for f in facts
        if f.widely_reported and f.fact_group not in covered and name not in f.disputed_by
    ]
    info = directory.info(name)
    return OutletCoverage(
        outlet=name,
        display_name=directory.display_name(name),
        labels=info.labels if info else (),
        article_ids=own_ids,
        copy_ids=copy_ids,
        copy_of=copy_of,
        facts=tuple(sorted(own, key=lambda g: order.get(g, len(order)))),
        carried=tuple(sorted(carried, key=lambda g: order.get(g, len(order)))),
        unique_facts=tuple(sorted(unique, key=lambda g: order.get(g, len(order)))),
        omissions=tuple(omitted),
        copy_additions=tuple(copies.additions.get(name, ())),
        **(tally.shares(name) if tally is not None else {}),
    )


_CREDIT_RE = re.compile(r"(?:photograph|photo|picture|image|credit)\s*:", re.IGNORECASE)


def _is_claim_at(story: Story, ref: SentRef, min_words: int) -> bool:
    """A claim, and not the text of a photo caption (a paragraph that ends in "Photograph: ...")."""
    if not is_claim(story.sent_text(ref), min_words=min_words):
        return False
    item = story.articles[ref.article]
    paragraph = item.analysis.paragraphs[item.analysis.sent_paragraph[ref.sent]]
    return not _CREDIT_RE.search(item.article.text[paragraph[0] : paragraph[1]])


def _first_position(story: Story, fact: FactCoverage) -> tuple[int, int]:
    span = fact.sents[0]
    return (story.article_index(span.article_id), span.start)
