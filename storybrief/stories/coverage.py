"""Coverage: who reports each fact, what each outlet alone reports, and what it leaves out.

Built on the story's fact groups (sentences of different outlets that state
the same thing).  Only *independent* outlets count: a syndicated copy is shown
as carrying its original's facts but never adds an outlet to a fact, so a wire
story reprinted five times is still one source.

* A fact is **single-source** when one independent outlet reports it.  Its
  ``claim`` flag says whether it reads as a claim worth listing (a sentence of
  at least :data:`MIN_CLAIM_WORDS` words that is not a byline, caption or
  "click here" line).
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
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..analysis.terms import terms
from ..articles import Span
from ..outlets import OutletDirectory
from .model import SentRef, Story

__all__ = [
    "MIN_CLAIM_WORDS",
    "Coverage",
    "FactCoverage",
    "OutletCoverage",
    "build_coverage",
    "is_claim",
    "widely_threshold",
]

MIN_CLAIM_WORDS = 6
_NOT_A_CLAIM_RE = re.compile(
    r"^(?:by\s|photo|image|picture|caption|click here|read more|sign up|subscribe|follow us|share this|"
    r"advertisement|copyright|\(?ap\)?\s*[—-])|photograph:|\bclick here\b|all rights reserved",
    re.IGNORECASE,
)


def widely_threshold(outlets: int) -> int:
    """How many independent outlets make a fact "widely reported": a strict majority, at least 2."""
    return max(2, outlets // 2 + 1)


def is_claim(text: str) -> bool:
    """A sentence worth listing as a claim: long enough, and not a byline, caption or link."""
    return len(text.split()) >= MIN_CLAIM_WORDS and not _NOT_A_CLAIM_RE.search(text.strip())


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
    first_published: datetime | None
    last_published: datetime | None
    single_source: bool
    widely_reported: bool
    claim: bool
    disputed_by: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "fact_group": self.fact_group,
            "outlets": list(self.outlets),
            "sents": [s.to_dict() for s in self.sents],
            "carried_by": list(self.carried_by),
            "first_published": _iso(self.first_published),
            "last_published": _iso(self.last_published),
            "single_source": self.single_source,
            "widely_reported": self.widely_reported,
            "claim": self.claim,
            "disputed_by": list(self.disputed_by),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FactCoverage:
        return cls(
            fact_group=int(data["fact_group"]),
            outlets=tuple(data["outlets"]),
            sents=tuple(Span.from_dict(s) for s in data["sents"]),
            carried_by=tuple(data.get("carried_by", ())),
            first_published=_from_iso(data.get("first_published")),
            last_published=_from_iso(data.get("last_published")),
            single_source=bool(data["single_source"]),
            widely_reported=bool(data["widely_reported"]),
            claim=bool(data.get("claim", True)),
            disputed_by=tuple(data.get("disputed_by", ())),
        )


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
    labels: tuple[tuple[str, str], ...]
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet,
            "display_name": self.display_name,
            "labels": dict(self.labels),
            "article_ids": list(self.article_ids),
            "copy_ids": list(self.copy_ids),
            "copy_of": list(self.copy_of),
            "facts": list(self.facts),
            "carried": list(self.carried),
            "unique_facts": list(self.unique_facts),
            "omissions": list(self.omissions),
            "copy_additions": [s.to_dict() for s in self.copy_additions],
            "quotes": self.quotes,
            "speakers": self.speakers,
            "quote_share": self.quote_share,
            "speaker_share": self.speaker_share,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutletCoverage:
        return cls(
            outlet=data["outlet"],
            display_name=data.get("display_name") or data["outlet"],
            labels=tuple(sorted((str(k), str(v)) for k, v in (data.get("labels") or {}).items())),
            article_ids=tuple(data.get("article_ids", ())),
            copy_ids=tuple(data.get("copy_ids", ())),
            copy_of=tuple(data.get("copy_of", ())),
            facts=tuple(int(g) for g in data.get("facts", ())),
            carried=tuple(int(g) for g in data.get("carried", ())),
            unique_facts=tuple(int(g) for g in data.get("unique_facts", ())),
            omissions=tuple(int(g) for g in data.get("omissions", ())),
            copy_additions=tuple(Span.from_dict(s) for s in data.get("copy_additions", ())),
            quotes=data.get("quotes"),
            speakers=data.get("speakers"),
            quote_share=data.get("quote_share"),
            speaker_share=data.get("speaker_share"),
        )


@dataclass(frozen=True)
class Coverage:
    """Fact-by-fact and outlet-by-outlet coverage of one story."""

    story_id: str
    independent_outlets: tuple[str, ...]
    widely_threshold: int
    facts: tuple[FactCoverage, ...]
    outlets: tuple[OutletCoverage, ...]
    duplicates: tuple[tuple[str, str], ...]  # (copy article id, original article id)

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

    def to_dict(self) -> dict[str, Any]:
        return {
            "story_id": self.story_id,
            "independent_outlets": list(self.independent_outlets),
            "widely_threshold": self.widely_threshold,
            "facts": [f.to_dict() for f in self.facts],
            "outlets": [o.to_dict() for o in self.outlets],
            "duplicates": [{"copy_id": c, "original_id": o} for c, o in self.duplicates],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Coverage:
        return cls(
            story_id=data["story_id"],
            independent_outlets=tuple(data["independent_outlets"]),
            widely_threshold=int(data["widely_threshold"]),
            facts=tuple(FactCoverage.from_dict(f) for f in data["facts"]),
            outlets=tuple(OutletCoverage.from_dict(o) for o in data["outlets"]),
            duplicates=tuple((d["copy_id"], d["original_id"]) for d in data.get("duplicates", ())),
        )


# --------------------------------------------------------------------------------------


def _copy_matches(story: Story, copy: int, original: int) -> tuple[dict[int, SentRef], list[int]]:
    """Sentence by sentence: which original sentence each copy sentence reproduces.

    Returns (copy sentence -> original sentence, copy sentences with no match).
    Exact text first, then sentences sharing at least 80 % of their content terms.
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
            j = best if best_score >= 0.8 else None
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
) -> Coverage:
    """Coverage of a story (a pure function of it).

    ``outlets`` supplies display names and labels from the user's outlet file.
    ``quotes`` is one ``(outlet, speaker or None)`` pair per quote in the story;
    leave it out and the quote fields stay ``None`` for the caller to fill.
    """
    directory = outlets or OutletDirectory()
    originals = story.originals
    independent = tuple(sorted({story.outlet(i) for i in originals}))
    threshold = widely_threshold(len(independent))

    # Which groups each copy carries, and what it adds.
    carried_by_group: dict[int, set[str]] = defaultdict(set)
    carried_by_outlet: dict[str, set[int]] = defaultdict(set)
    additions: dict[str, list[Span]] = defaultdict(list)
    for copy, original in sorted(story.duplicate_of.items()):
        outlet = story.outlet(copy)
        matched, extra = _copy_matches(story, copy, original)
        for ref in matched.values():
            gid = story.group_of.get(ref)
            if gid is not None:
                carried_by_group[gid].add(outlet)
                carried_by_outlet[outlet].add(gid)
        additions[outlet].extend(story.sent_span(SentRef(copy, i)) for i in extra)

    facts: list[FactCoverage] = []
    for group in story.fact_groups:
        dates = [story.articles[m.article].article.published for m in group.members]
        known = [d for d in dates if d is not None]
        own_outlets = set(group.outlets)
        facts.append(
            FactCoverage(
                fact_group=group.id,
                outlets=group.outlets,
                sents=tuple(story.sent_span(m) for m in group.members),
                carried_by=tuple(sorted(carried_by_group.get(group.id, set()) - own_outlets)),
                first_published=min(known) if known else None,
                last_published=max(known) if known else None,
                single_source=group.size == 1,
                widely_reported=group.size >= threshold,
                claim=any(_is_claim_at(story, m) for m in group.members),
                disputed_by=tuple(
                    sorted({story.outlet(other.article) for _, other in group.disputes} - own_outlets)
                ),
            )
        )
    facts.sort(key=lambda f: _first_position(story, f))

    reports: dict[str, set[int]] = defaultdict(set)
    for group in story.fact_groups:
        for name in group.outlets:
            reports[name].add(group.id)

    quote_counts: Counter[str] | None = None
    speaker_sets: dict[str, set[str]] | None = None
    all_speakers: set[str] = set()
    total_quotes = 0
    if quotes is not None:
        quote_counts, speaker_sets = Counter(), defaultdict(set)
        for outlet, speaker in quotes:
            quote_counts[outlet] += 1
            total_quotes += 1
            if speaker:
                key = " ".join(speaker.lower().split())
                speaker_sets[outlet].add(key)
                all_speakers.add(key)

    by_outlet: dict[str, list[int]] = defaultdict(list)
    for i in range(len(story.articles)):
        by_outlet[story.outlet(i)].append(i)
    order = {fact.fact_group: k for k, fact in enumerate(facts)}
    fact_by_id = {f.fact_group: f for f in facts}
    outlet_rows: list[OutletCoverage] = []
    for name in sorted(by_outlet):
        indices = by_outlet[name]
        own_ids = tuple(story.articles[i].article.id for i in indices if i not in story.duplicate_of)
        copy_ids = tuple(story.articles[i].article.id for i in indices if i in story.duplicate_of)
        copy_of = tuple(
            sorted({story.outlet(story.duplicate_of[i]) for i in indices if i in story.duplicate_of})
        )
        own = reports.get(name, set())
        carried = carried_by_outlet.get(name, set()) - own
        covered = own | carried
        unique = [g for g in own if fact_by_id[g].single_source and fact_by_id[g].claim]
        omitted = [
            f.fact_group
            for f in facts
            if f.widely_reported and f.fact_group not in covered and name not in f.disputed_by
        ]
        info = directory.info(name)
        quotes_n = speakers_n = None
        quote_share = speaker_share = None
        if quote_counts is not None and speaker_sets is not None:
            quotes_n = quote_counts.get(name, 0)
            speakers_n = len(speaker_sets.get(name, set()))
            quote_share = quotes_n / total_quotes if total_quotes else 0.0
            speaker_share = speakers_n / len(all_speakers) if all_speakers else 0.0
        outlet_rows.append(
            OutletCoverage(
                outlet=name,
                display_name=directory.display_name(name),
                labels=info.labels if info else (),
                article_ids=own_ids,
                copy_ids=copy_ids,
                copy_of=copy_of,
                facts=tuple(sorted(own, key=order.__getitem__)),
                carried=tuple(sorted(carried, key=order.__getitem__)),
                unique_facts=tuple(sorted(unique, key=order.__getitem__)),
                omissions=tuple(omitted),
                copy_additions=tuple(additions.get(name, ())),
                quotes=quotes_n,
                speakers=speakers_n,
                quote_share=quote_share,
                speaker_share=speaker_share,
            )
        )
    return Coverage(
        story_id=story.id,
        independent_outlets=independent,
        widely_threshold=threshold,
        facts=tuple(facts),
        outlets=tuple(outlet_rows),
        duplicates=tuple(
            (story.articles[c].article.id, story.articles[o].article.id)
            for c, o in sorted(story.duplicate_of.items())
        ),
    )


_CREDIT_RE = re.compile(r"(?:photograph|photo|picture|image|credit)\s*:", re.IGNORECASE)


def _is_claim_at(story: Story, ref: SentRef) -> bool:
    """A claim, and not the text of a photo caption (a paragraph that ends in "Photograph: ...")."""
    if not is_claim(story.sent_text(ref)):
        return False
    item = story.articles[ref.article]
    paragraph = item.analysis.paragraphs[item.analysis.sent_paragraph[ref.sent]]
    return not _CREDIT_RE.search(item.article.text[paragraph[0] : paragraph[1]])


def _first_position(story: Story, fact: FactCoverage) -> tuple[int, int]:
    span = fact.sents[0]
    return (story.article_index(span.article_id), span.start)
