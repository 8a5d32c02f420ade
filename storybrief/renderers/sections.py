"""The reader's sections of an HTML briefing, built from the typed briefing model.

Each builder turns one part of a :class:`~storybrief.briefing.Briefing` (people,
quote ledger, coverage, disagreements, timeline, sources) into small view
records that the ``_briefing.html`` macros lay out.  Nothing here reads a
dict, and nothing a reader sees is an internal id or a field name: an article
is "Outlet [n]" (its number in the sources list, as the summary's markers
use), a date is written out ("week of 2 March 2026"), a kind is a word.

Every span a section quotes is registered with :class:`Refs`, which gives it a
link into the article view; the article view then carries an anchor at that
span (see :func:`storybrief.renderers.html.article_paragraphs`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from ..analysis.dates import DateValue
from ..articles import Span
from ..briefing import Briefing
from ..stories.ledger import Statement, Version, normalize_wording

PEOPLE_SHOWN = 12  # people and organisations listed before the rest fold away
MENTION_NAME_CHARS = 30  # an outlet's name beside its mention count
KIND_LABELS = {"person": "person", "organisation": "organisation"}
QUOTE_TYPES = {"direct": "direct quote", "partial": "partial quote", "indirect": "reported speech"}
# fmt: off
FIGURE_KINDS = {
    "count": "number", "money": "amount", "percent": "percentage", "age": "age", "duration": "duration",
    "quantity": "quantity", "date": "date",
}
# fmt: on
# A tag beside a date that is only known roughly; "week of" and "weekend of" say it in the label.
GRAIN_TAGS = {
    "day": "",
    "weekend": "",
    "week": "",
    "month": "month",
    "season": "season",
    "year": "year",
    "decade": "decade",
}


# Links to spans ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Ref:
    """A link to a span of article ``n``: shown as "Outlet [n]"."""

    n: int
    outlet: str
    href: str


class Refs:
    """Article numbers, outlets and link targets for spans, for one briefing.

    ``cited`` maps (article number, start, end) of the summary's cited spans
    to the id of their mark in the article view.  Any other span asked for
    gets an anchor of its own, collected in :attr:`anchors` (article number ->
    {(start, end): anchor id}) for the article views to place.
    """

    def __init__(
        self,
        briefing: Briefing,
        *,
        prefix: str,
        anchor_href: Callable[[int, str], str],
        cited: dict[tuple[int, int, int], str],
    ):
        self.briefing = briefing
        self.prefix = prefix
        self.number = {a.id: n for n, a in enumerate(briefing.articles, start=1)}
        self.outlet_of = {a.id: a.display_outlet for a in briefing.articles}
        self._anchor_href = anchor_href
        self._cited = cited
        self.anchors: dict[int, dict[tuple[int, int], str]] = {}

    def text(self, span: Span) -> str:
        return self.briefing.text_of(span)

    def anchor_id(self, span: Span) -> str:
        n = self.number[span.article_id]
        cited = self._cited.get((n, span.start, span.end))
        if cited:
            return cited
        return self.anchors.setdefault(n, {}).setdefault(
            (span.start, span.end), f"{self.prefix}r{n}-{span.start}-{span.end}"
        )

    def ref(self, span: Span) -> Ref:
        n = self.number[span.article_id]
        return Ref(n, self.outlet_of[span.article_id], self._anchor_href(n, self.anchor_id(span)))

    def refs(self, spans: Iterable[Span]) -> list[Ref]:
        """One link per article, in source-list order."""
        first: dict[int, Span] = {}
        for span in spans:
            first.setdefault(self.number[span.article_id], span)
        return [self.ref(first[n]) for n in sorted(first)]


@dataclass(frozen=True)
class Bit:
    """A run of text; ``hi`` marks it (the figure in its sentence, a word that drifts)."""

    text: str
    hi: bool = False


def highlight(text: str, start: int, end: int) -> list[Bit]:
    """``text`` with ``[start, end)`` marked (clipped to the text)."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    bits = [Bit(text[:start]), Bit(text[start:end], True), Bit(text[end:])]
    return [b for b in bits if b.text]


def sentence_with(refs: Refs, sent: Span, inner: Span) -> list[Bit]:
    """The sentence ``sent`` with the part ``inner`` marked."""
    return highlight(refs.text(sent), inner.start - sent.start, inner.end - sent.start)


def clip_middle(text: str, n: int) -> str:
    """Long names lose their middle, so names that differ only at the end stay apart ("unknown outl…29e.txt)")."""
    text = " ".join(str(text).split())
    if len(text) <= n:
        return text
    head = (n - 1) // 2 + (n - 1) % 2
    return text[:head].rstrip() + "…" + text[len(text) - (n - 1 - head) :]


# People and organisations ------------------------------------------------------------------
@dataclass
class RoleView:
    text: str
    refs: list[Ref]


@dataclass
class PersonView:
    id: str
    key: str  # the person's id, for the ledger filter (an attribute, never shown)
    name: str
    kind: str
    roles: list[RoleView]
    aliases: list[str]
    mentions: list[tuple[str, str, int]]  # outlet, its name clipped to fit a line, count
    most: int  # the largest per-outlet count of the story, the scale of the mention meters
    total: int
    statements: int


def people_view(briefing: Briefing, refs: Refs) -> list[PersonView]:
    ledger = briefing.ledger
    most = max((n for p in briefing.people for _, n in p.mentions), default=1)
    views = []
    for k, person in enumerate(briefing.people, start=1):
        aliases = [a for a in person.aliases if a != person.name]
        views.append(
            PersonView(
                id=f"{refs.prefix}p{k}",
                key=person.id,
                name=person.name,
                kind=KIND_LABELS.get(person.kind, person.kind),
                roles=[RoleView(r.text, refs.refs(r.spans)) for r in person.roles],
                aliases=aliases,
                mentions=[
                    (o, clip_middle(o, MENTION_NAME_CHARS), n)
                    for o, n in sorted(person.mentions, key=lambda m: (-m[1], m[0]))
                ],
                most=most,
                total=person.mention_count,
                statements=len(ledger.by_speaker(person.id)) if ledger else 0,
            )
        )
    return views


# Quote ledger -----------------------------------------------------------------------------
@dataclass
class WordingView:
    """One wording of a statement and every outlet that uses it (word for word, case and punctuation aside)."""

    refs: list[Ref]
    type: str  # "direct quote", "partial quote", "reported speech"
    quoted: bool
    bits: list[Bit]
    cue: str
    addressee: str


@dataclass
class StatementView:
    id: str
    speakers: str  # person ids, space-separated, for the filter
    type: str
    only_in: str | None
    drift: bool
    wordings: list[WordingView]


@dataclass
class SpeakerView:
    name: str
    speakers: str
    statements: list[StatementView] = field(default_factory=list)


_TOKEN = re.compile(r"\S+\s*")


def _tokens(text: str) -> tuple[list[str], list[str]]:
    words = _TOKEN.findall(text)
    return words, [normalize_wording(w) for w in words]


def drift_bits(wordings: Sequence[str]) -> list[list[Bit]]:
    """Each wording split into words, the words that differ between outlets marked.

    The first wording is the reference.  Where another wording has other
    words in the same place (or adds or drops words inside the quote), those
    words are marked in both.  Case, punctuation and quote-mark style do not
    count, and neither does one outlet quoting more of the statement at its
    start or end: that is a longer cut, not different words.
    """
    split = [_tokens(w) for w in wordings]
    if not split:
        return []
    ref_words, ref_norm = split[0]
    ref_marked = [False] * len(ref_words)
    out: list[list[Bit]] = [[]]
    for words, norm in split[1:]:
        marked = [False] * len(words)
        opcodes = difflib.SequenceMatcher(None, ref_norm, norm, autojunk=False).get_opcodes()
        for k, (op, i1, i2, j1, j2) in enumerate(opcodes):
            edge = k == 0 or k == len(opcodes) - 1
            if op == "equal" or (edge and op in ("insert", "delete")):
                continue
            for i in range(i1, i2):
                ref_marked[i] = ref_marked[i] or bool(ref_norm[i])
            for j in range(j1, j2):
                marked[j] = bool(norm[j])
        out.append(_merge(words, marked))
    out[0] = _merge(ref_words, ref_marked)
    return out


def _merge(words: list[str], marked: list[bool]) -> list[Bit]:
    """Runs of marked words become one marked bit (the space after the run is left unmarked)."""
    bits: list[Bit] = []
    k = 0
    while k < len(words):
        j = k
        while j < len(words) and marked[j] == marked[k]:
            j += 1
        run = "".join(words[k:j])
        if marked[k]:
            core = run.rstrip()
            bits.append(Bit(core, True))
            if run[len(core) :]:
                bits.append(Bit(run[len(core) :]))
        else:
            bits.append(Bit(run))
        k = j
    return bits


REPORTED_GAP = 40  # characters between a cue and reported content that may be shown with them


def _wording_text(refs: Refs, version: Version) -> tuple[str, bool]:
    """The words an outlet gives, and whether its cue is already in them.

    Quoted words stand alone.  Reported speech reads badly without its verb
    ("to question a decision"), so when the cue sits right before or after the
    content the article's text from one to the other is shown ("appeared to
    question a decision").
    """
    if version.marked or not version.cue or not version.parts:
        return " … ".join(refs.text(s).strip() for s in (version.marked or version.parts)), False
    start = min(version.cue.start, version.parts[0].start)
    end = max(version.cue.end, version.parts[-1].end)
    content = sum(len(s) for s in version.parts) + len(version.cue)
    if len(version.parts) == 1 and end - start <= content + REPORTED_GAP:
        return " ".join(refs.text(Span(version.article_id, start, end)).split()), True
    return " … ".join(refs.text(s).strip() for s in version.parts), False


def statement_view(statement: Statement, refs: Refs, k: int, *, several_outlets: bool) -> StatementView:
    """A statement's distinct wordings, the most widely used first, each with the outlets that use it.

    When the statement drifts, the words that differ between the quoted wordings are marked.
    """
    same: dict[tuple[str, str], list[tuple[Version, str, bool]]] = {}
    for version in statement.versions:
        text, with_cue = _wording_text(refs, version)
        same.setdefault((version.type, normalize_wording(text)), []).append((version, text, with_cue))
    groups = sorted(same.values(), key=lambda g: -len(g))  # stable: ties keep the ledger's order
    bits: list[list[Bit]] = [[Bit(g[0][1])] for g in groups]
    diffable = [i for i, g in enumerate(groups) if g[0][0].marked]
    if statement.drift and len(diffable) > 1:
        for i, b in zip(diffable, drift_bits([groups[i][0][1] for i in diffable])):
            bits[i] = b
    wordings = []
    for group, b in zip(groups, bits):
        version, _, with_cue = group[0]
        wordings.append(
            WordingView(
                refs=[refs.ref((v.marked or v.parts)[0]) for v, _, _ in group],
                type=QUOTE_TYPES.get(version.type, version.type),
                quoted=bool(version.marked),
                bits=b,
                cue=refs.text(version.cue) if version.cue and not with_cue else "",
                addressee=refs.text(version.addressee) if version.addressee else "",
            )
        )
    return StatementView(
        id=f"{refs.prefix}q{k}",
        speakers=" ".join(statement.speaker_ids),
        type=QUOTE_TYPES.get(statement.type, statement.type),
        only_in=statement.outlets[0] if statement.single_outlet and several_outlets else None,
        drift=statement.drift,
        wordings=wordings,
    )


def ledger_view(briefing: Briefing, refs: Refs) -> list[SpeakerView]:
    """The statements grouped by speaker, speakers in the ledger's order (most widely reported first)."""
    if not briefing.ledger:
        return []
    several = briefing.counts.independent_outlets > 1
    groups: dict[str, SpeakerView] = {}
    for k, statement in enumerate(briefing.ledger.statements, start=1):
        name = statement.speaker.strip() or "Speaker not identified"
        name = name[:1].upper() + name[1:]  # an unnamed source as written: "a council source" heads its group
        key = " ".join(statement.speaker_ids) or name.lower()
        group = groups.setdefault(key, SpeakerView(name=name, speakers=" ".join(statement.speaker_ids)))
        group.statements.append(statement_view(statement, refs, k, several_outlets=several))
    return list(groups.values())


# Coverage ---------------------------------------------------------------------------------
@dataclass
class ClaimView:
    bits: list[Bit]
    refs: list[Ref]
    outlets: list[str] = field(default_factory=list)


@dataclass
class OutletClaims:
    outlet: str
    claims: list[ClaimView]


@dataclass
class CoverageView:
    independent: int
    threshold: int
    single: list[OutletClaims]
    omissions: list[OutletClaims]
    additions: list[OutletClaims]


def coverage_view(briefing: Briefing, refs: Refs) -> CoverageView | None:
    coverage = briefing.coverage
    if coverage is None:
        return None
    facts = {f.fact_group: f for f in coverage.facts}
    single: dict[str, list[ClaimView]] = {}
    for f in coverage.single_source_claims:
        single.setdefault(f.outlets[0], []).append(
            ClaimView([Bit(refs.text(f.sents[0]))], [refs.ref(f.sents[0])])
        )
    omissions = []
    additions = []
    for o in coverage.outlets:
        if o.independent and o.omissions:
            omissions.append(
                OutletClaims(
                    o.display_name,
                    [
                        ClaimView(
                            [Bit(refs.text(facts[g].sents[0]))],
                            refs.refs(facts[g].sents),
                            list(facts[g].outlets),
                        )
                        for g in o.omissions
                        if g in facts
                    ],
                )
            )
        if o.copy_additions:
            additions.append(
                OutletClaims(
                    o.display_name, [ClaimView([Bit(refs.text(s))], [refs.ref(s)]) for s in o.copy_additions]
                )
            )
    names = {o.outlet: o.display_name for o in coverage.outlets}
    return CoverageView(
        independent=len(coverage.independent_outlets),
        threshold=coverage.widely_threshold,
        single=[
            OutletClaims(names.get(o, o), claims)
            for o, claims in sorted(single.items(), key=lambda i: (-len(i[1]), i[0]))
        ],
        omissions=sorted(omissions, key=lambda g: (-len(g.claims), g.outlet)),
        additions=additions,
    )


# Disagreements ----------------------------------------------------------------------------
@dataclass
class FigureClaimView:
    value: str  # as the outlet wrote it, or the day a relative date resolves to
    bits: list[Bit]
    ref: Ref
    note: str = ""  # how a relative date was read


@dataclass
class DisagreementView:
    title: str
    claims: list[FigureClaimView]


_IRREGULAR_PLURALS = {
    "child": "children",
    "person": "people",
    "man": "men",
    "woman": "women",
    "foot": "feet",
    "tooth": "teeth",
    "mouse": "mice",
    "sheep": "sheep",
    "fish": "fish",
    "police": "police",
}


_PARTICIPLES = frozenset("built begun born held made run set won sold shut rebuilt".split())


def plural_noun(word: str) -> str:
    """A rough English plural for a counted thing ("firefighter" -> "firefighters")."""
    head, _, last = word.rpartition(" ")
    lower = last.lower()
    if lower in _IRREGULAR_PLURALS:
        out = _IRREGULAR_PLURALS[lower]
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        out = last if lower.endswith("s") else last + "es"
    elif lower.endswith("y") and lower[-2:-1] not in tuple("aeiou"):
        out = last[:-1] + "ies"
    else:
        out = last + "s"
    return f"{head} {out}" if head else out


def disagreement_title(kind: str, thing: str | None) -> str:
    """ "Number of firefighters", "When built", "Age of Ann Ferris": the kind of figure and what it is about."""
    label = FIGURE_KINDS.get(kind, kind)
    if not thing:
        return label.capitalize()
    if kind == "count":
        return f"Number of {plural_noun(thing)}"
    if kind == "date":
        return f"When {thing}" if thing.endswith("ed") or thing in _PARTICIPLES else f"Date ({thing})"
    return f"{label.capitalize()} of {thing}"


def figure_claim(refs: Refs, claim) -> FigureClaimView:
    """One outlet's value: a relative date ("tomorrow") shows the day it means, counted from its article's date."""
    words = " ".join(refs.text(claim.figure.span).split())
    value, note = words, ""
    if claim.figure.kind == "date" and claim.figure.date is not None and claim.figure.relative:
        value, note = date_label(claim.figure.date), f"“{words}”, counted from the article's publication date"
    return FigureClaimView(
        value=value,
        bits=sentence_with(refs, claim.sent, claim.figure.span),
        ref=refs.ref(claim.sent),
        note=note,
    )


def disagreements_view(briefing: Briefing, refs: Refs) -> list[DisagreementView]:
    views = []
    for d in briefing.disagreements:
        views.append(
            DisagreementView(
                title=disagreement_title(d.kind, d.thing),
                claims=[figure_claim(refs, c) for c in d.claims],
            )
        )
    return views


# Timeline ---------------------------------------------------------------------------------
@dataclass
class EventView:
    bits: list[Bit]
    refs: list[Ref]
    expression: str


@dataclass
class DateGroup:
    label: str
    tag: str
    iso: str
    events: list[EventView]
    day: bool = False


def date_label(value: DateValue) -> str:
    """A date as a reader writes it: "Tue 10 March 2026", "Week of 2 March 2026", "March 2026", "2019"."""

    def day(d: date) -> str:
        return f"{d.day} {d:%B %Y}"

    g, start, end = value.granularity, value.start, value.end
    if g == "day":
        return f"{start:%a} {day(start)}"
    if g in ("week", "weekend"):
        return f"{g.capitalize()} of {day(start)}"
    if g == "month":
        return f"{start:%B %Y}"
    if g == "season":
        return f"{start:%B} to {end:%B %Y}" if start.year == end.year else f"{start:%B %Y} to {end:%B %Y}"
    if g == "year":
        return str(start.year)
    return f"{start.year}s"


def timeline_view(briefing: Briefing, refs: Refs) -> tuple[list[DateGroup], list[EventView]]:
    """Resolved events grouped by date, in date order, and the events whose relative date could not be resolved."""
    timeline = briefing.timeline
    if timeline is None:
        return [], []

    def event(e) -> EventView:
        first = e.citations[0]
        return EventView(
            bits=sentence_with(refs, first.sent, first.date_span),
            refs=[refs.ref(c.sent) for c in e.citations],
            expression=" ".join(refs.text(first.date_span).split()),
        )

    groups: dict[tuple[date, date, str], DateGroup] = {}
    for e in timeline.resolved:
        if e.date is None:  # never: resolved events are the dated ones
            continue
        key = (e.date.start, e.date.end, e.date.granularity)
        group = groups.get(key)
        if group is None:
            group = groups[key] = DateGroup(
                date_label(e.date),
                GRAIN_TAGS.get(e.date.granularity, ""),
                e.date.start.isoformat(),
                [],
                day=e.date.granularity == "day",
            )
        group.events.append(event(e))
    return list(groups.values()), [event(e) for e in timeline.unresolved]


# Sources ----------------------------------------------------------------------------------
@dataclass
class SectionLink:
    id: str
    title: str
    count: int | None = None


def join_outlets(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
