"""The quote ledger: every statement in a story, who made it, and how each outlet worded it.

:func:`build_ledger` takes the quotes each article's analysis found (see
:mod:`storybrief.analysis.quotes`) and groups them across outlets when they are
the same statement:

* the speakers agree (the same :class:`~storybrief.stories.people.Person`, or
  one side's speaker is unknown and the words agree even more), and
* the content words agree: at least half of the shorter version's stemmed
  content terms are in the other (three terms at least; the thresholds are
  ``Options.ledger``, :class:`~storybrief.config.LedgerOptions`).

A statement holds at most one version per outlet (the best match), and never
one from a syndicated copy: a copy is not another outlet's reporting.  Nor does
it hold two versions whose sentences state conflicting figures or dates ("We
sent 60 firefighters" / "We sent 45 firefighters",
:class:`~storybrief.stories.conflicts.Conflicts`): one outlet's version does
not confirm the other's.

**Quote drift** is flagged when two outlets put different words inside the
quotation marks for the same statement (after case, punctuation and quote-mark
style are set aside, and when neither wording is simply a shorter cut of the
other).  A statement carried by one outlet only is ``single_outlet``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pydantic import computed_field

from ..analysis.quotes import Quote, is_speech
from ..articles import Span
from ..config import LedgerOptions, Options
from ..language import terms
from ..schema import computed_before
from .model import Story
from .people import Person, person_of


@dataclass(frozen=True)
class Version:
    """One outlet's version of a statement: spans into that outlet's article."""

    article_id: str
    outlet: str
    type: str
    attribution: str
    parts: tuple[Span, ...]
    marked: tuple[Span, ...] = ()
    cue: Span | None = None
    speaker: Span | None = None
    addressee: Span | None = None
    speaker_kind: str = ""

    def wording(self, story: Story) -> str:
        """The words inside quotation marks, or the reported content when nothing is quoted."""
        return " … ".join(_text(story, s) for s in (self.marked or self.parts))

    def content(self, story: Story) -> str:
        return " … ".join(_text(story, s) for s in self.parts)


@dataclass(frozen=True)
class Statement:
    """One statement and every outlet's version of it.

    ``speaker_ids`` are :class:`Person` ids (two or more for a joint statement,
    none when the speaker is unnamed); ``speaker`` is the label to show: the
    person's name, or the unnamed speaker as written ("a senior source").
    """

    id: str
    speaker: str
    speaker_ids: tuple[str, ...]
    drift: bool = field(default=False, kw_only=True)
    versions: tuple[Version, ...]

    _json = computed_before("drift")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def type(self) -> str:
        """The most direct form any outlet uses."""
        order = {"direct": 0, "partial": 1, "indirect": 2}
        return min((v.type for v in self.versions), key=lambda t: order.get(t, 3))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.outlet for v in self.versions))

    @computed_field  # type: ignore[prop-decorator]
    @property
    def single_outlet(self) -> bool:
        return len(self.outlets) == 1


@dataclass(frozen=True)
class Ledger:
    """All statements of a story: the most widely reported first, then in reading order."""

    statements: tuple[Statement, ...] = ()

    @property
    def drifted(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.drift)

    @property
    def single_outlet(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.single_outlet)

    def by_speaker(self, speaker_id: str) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if speaker_id in s.speaker_ids)


# ---------------------------------------------------------------------------


UNATTRIBUTED = "unattributed"
"""The speaker shown for a quote whose article names no one who said it."""


def _text(story: Story, span: Span) -> str:
    item = story.articles[story.article_index(span.article_id)]
    return item.article.text[span.start : span.end]


@dataclass
class _Item:
    article: int
    outlet: str
    quote: Quote
    speakers: tuple[str, ...]
    label: str
    terms: frozenset[str]
    words: str
    pos: tuple[int, int] = field(default=(0, 0))


_QUOTE_CHARS = "\"“”„‟«»‘’‚‛'`"


def normalize_wording(text: str) -> str:
    """Case, punctuation, quote-mark style and spacing set aside: the words only."""
    text = text.lower()
    for ch in _QUOTE_CHARS:
        text = text.replace(ch, "'" if ch in "’'‘" else " ")
    text = re.sub(r"(?<=\w)'(?=\w)", "", text)  # don't → dont
    return " ".join(re.findall(r"[^\W_]+", text))


def _keep(text: str, q: Quote, include_indirect: bool) -> bool:
    if q.type != "indirect":
        return True
    if not include_indirect or not is_speech(text, q):
        return False  # evidence, an intention or an act ("the report found", "plans to") is nobody's words
    # reported speech is kept when someone can be named or described as its source
    return bool(q.speaker_names) or q.speaker_ref is not None or (q.speaker_kind == "nominal")


def _items(story: Story, people: Sequence[Person], include_indirect: bool) -> list[_Item]:
    owner = person_of(people)
    by_id = {p.id: p for p in people}
    items: list[_Item] = []
    for i in story.originals:
        item = story.articles[i]
        text = item.article.text
        aid = item.article.id
        for q in item.analysis.quotes:
            if not _keep(text, q, include_indirect):
                continue
            ids = tuple(
                dict.fromkeys(owner[Span(aid, s, e)] for s, e in q.speaker_names if Span(aid, s, e) in owner)
            )
            if ids:
                label = " and ".join(by_id[p].name for p in ids)
            elif q.speaker_ref is not None:
                label = text[q.speaker_ref[0] : q.speaker_ref[1]]
            elif q.speaker is not None:
                label = text[q.speaker[0] : q.speaker[1]]
            else:
                label = UNATTRIBUTED  # never an empty speaker: the article names nobody
            wording = " ".join(text[s:e] for s, e in (q.marked or q.parts))
            items.append(
                _Item(
                    article=i,
                    outlet=story.outlet(i),
                    quote=q,
                    speakers=ids,
                    label=label,
                    terms=frozenset(terms(wording if q.marked else " ".join(text[s:e] for s, e in q.parts))),
                    words=normalize_wording(wording) if q.marked else "",
                    pos=(i, q.start),
                )
            )
    return items


def _same(a: _Item, b: _Item, settings: LedgerOptions) -> float:
    """How surely two versions are one statement (0 when they are not)."""
    if a.outlet == b.outlet:
        return 0.0
    small = min(len(a.terms), len(b.terms))
    if small < settings.min_content_terms:
        return 0.0
    share = len(a.terms & b.terms) / small
    if a.speakers and b.speakers:
        if not set(a.speakers) & set(b.speakers):
            return 0.0
        need = settings.same_statement_min_share
    elif not a.speakers and not b.speakers and a.label != UNATTRIBUTED and a.label.lower() == b.label.lower():
        need = settings.same_statement_min_share
    else:
        need = settings.unknown_speaker_min_share
    return share if share >= need else 0.0


def _drifts(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a not in b and b not in a


def build_ledger(
    story: Story, people: Sequence[Person], *, include_indirect: bool = True, options: Options | None = None
) -> Ledger:
    """Group the story's quotes into statements across outlets (a pure function).

    ``people`` is :func:`storybrief.stories.people.build_people` of the same
    story.  Reported speech with no quotation marks is kept when its source
    can be named or described; ``include_indirect=False`` keeps only quotes
    with quotation marks.  ``options.ledger`` holds the thresholds.
    """
    options = options or Options()
    items = _items(story, people, include_indirect)
    n = len(items)
    pairs = []
    for x in range(n):
        for y in range(x + 1, n):
            sim = _same(items[x], items[y], options.ledger)
            if sim > 0:
                pairs.append((sim, x, y))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    clash = _figure_clash(story, items, options) if pairs else None
    group = list(range(n))
    members: dict[int, list[int]] = {k: [k] for k in range(n)}
    for _sim, x, y in pairs:
        gx, gy = group[x], group[y]
        if gx == gy:
            continue
        if {items[k].outlet for k in members[gx]} & {items[k].outlet for k in members[gy]}:
            continue  # one version per outlet
        if clash and any(clash(a, b) for a in members[gx] for b in members[gy]):
            continue  # conflicting figures: not the same statement
        keep, drop = (gx, gy) if gx < gy else (gy, gx)
        members[keep] = sorted(members[keep] + members[drop], key=lambda k: items[k].pos)
        for k in members.pop(drop):
            group[k] = keep

    statements: list[tuple[tuple[int, int, int], Statement]] = []
    for idx in members.values():
        its = [items[k] for k in idx]
        speakers = tuple(dict.fromkeys(s for it in its for s in it.speakers))
        label = next((it.label for it in its if it.speakers), "") or next(
            (it.label for it in its if it.label != UNATTRIBUTED), UNATTRIBUTED
        )
        versions = tuple(_version(story, it) for it in its)
        worded = [it.words for it in its if it.words]
        drift = any(_drifts(a, b) for k, a in enumerate(worded) for b in worded[k + 1 :])
        first = min(it.pos for it in its)
        statements.append(
            (
                (-len({it.outlet for it in its}), first[0], first[1]),
                Statement("", label, speakers, versions, drift=drift),
            )
        )
    statements.sort(key=lambda p: p[0])
    return Ledger(
        tuple(
            Statement(f"s{k + 1}", s.speaker, s.speaker_ids, s.versions, drift=s.drift)
            for k, (_key, s) in enumerate(statements)
        )
    )


def _figure_clash(story: Story, items: list[_Item], options: Options) -> Callable[[int, int], bool]:
    """``clash(x, y)``: do the sentences holding quotes ``items[x]`` and ``items[y]`` state
    conflicting figures or dates (see :class:`~storybrief.stories.conflicts.Conflicts`)?"""
    import bisect

    from .conflicts import Conflicts
    from .model import SentRef

    conflicts = Conflicts(story, options=options)

    def sents_of(it: _Item) -> list[SentRef]:
        """Every sentence a part of the quote falls in (a quote may run over several)."""
        starts = [s for s, _ in story.articles[it.article].analysis.sents]
        found = {
            max(bisect.bisect_right(starts, pos) - 1, 0)
            for s, e in it.quote.parts
            for pos in (s, max(s, e - 1))
        }
        return [SentRef(it.article, j) for j in range(min(found), max(found) + 1)]

    refs = [sents_of(it) for it in items]
    return lambda x, y: any(conflicts.figures(a, b) for a in refs[x] for b in refs[y])


def _version(story: Story, it: _Item) -> Version:
    aid = story.articles[it.article].article.id
    q = it.quote

    def span(offsets: tuple[int, int] | None) -> Span | None:
        return Span(aid, *offsets) if offsets else None

    return Version(
        article_id=aid,
        outlet=it.outlet,
        type=q.type,
        attribution=q.attribution,
        parts=tuple(Span(aid, s, e) for s, e in q.parts),
        marked=tuple(Span(aid, s, e) for s, e in q.marked),
        cue=span(q.cue),
        speaker=span(q.speaker),
        addressee=span(q.addressee),
        speaker_kind=q.speaker_kind,
    )


__all__ = ["UNATTRIBUTED", "Ledger", "Statement", "Version", "build_ledger", "normalize_wording"]
