"""Disagreements: where outlets state different figures or dates for the same thing.

A false "disagreement" erodes trust faster than a missed one, so two figures
are compared only when everything says they measure the same quantity:

* they come from different independent outlets (a syndicated copy never counts);
* same kind, unit and rate ("$5 a share" is not "$5"), and the same counted
  thing: "103 Labour MPs" and "100 MPs" may be compared, "20 British soldiers"
  and "12 American soldiers" may not, and a count with no noun is never compared;
* the same act when one is named ("shooting eight people" is not "killing six
  people", "30 tents were flattened" is not "two tents were filled"), and a
  change is not compared with a level ("rose 5 %" vs "rose to 5 %");
* neither figure is a whole or a part ("seven of the family's eight children",
  "two people ... and then a third"), neither sentence holds a second figure of
  the same sort ("rose from 12 to 30" says nothing alone), and the sentences
  are not dated to different times ("63,000 died in 2016" / "72,000 in 2017");
* inside one fact group, the words around the figures meet; across groups, the
  thing must be specific (not "people" or "children", unless both count a toll:
  "killed at least 13 people" / "11 people were killed"), each outlet must give
  it one value, the sentences must share wording, and the values must be within
  a factor of three;
* a named person's age is compared across the whole story, by full name (a bare
  surname only when the story knows one person by it); a date is compared when
  it dates the same act ("built in 1887" / "built in 1894").

They disagree when the ranges their wordings allow do not meet, after
normalising numbers and units: "more than 80 million" and "81m" agree, "8 %"
and "8.2 %" agree (8 % is stated to the unit), "2,000" and "two thousand"
agree, "£2.3m" and "£2,300,000" agree; "around 60" and "some 45" do not.  A
conflict is dropped when either sentence also states the other's number.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from pydantic import computed_field

from ..analysis import AnalyzedArticle
from ..analysis.dates import DateValue
from ..analysis.figures import Figure, article_figures, number_values
from ..articles import Span
from ..config import DisagreementOptions, Options
from ..language import sentence_term_rows, stem, term_cosine, terms
from ..schema import computed_before
from .model import SentRef, Story

# The thresholds are Options.disagreements (storybrief.config.DisagreementOptions).  Two sentences
# of one fact group count as one statement for comparing figures only when their words agree too
# (same_statement_min_cosine): paraphrase-aware fact groups also join sentences about related
# quantities ("2,000 had previously been evacuated" / "nearly 3,000 were evacuated"), and a false
# disagreement costs more than a missed one.

__all__ = ["Claim", "Disagreement", "compatible", "find_disagreements"]

# A count of people is one quantity across a story when both outlets count the same toll.
_TOLL_VERBS = frozenset(
    stem(w)
    for w in "killed died injured wounded hurt evacuated arrested rescued displaced hospitalized hospitalised".split()
)
# Counted things too common to be one quantity across a story: "40 people" in one sentence
# and "12 people" in another are usually two different groups of people.
_GENERIC_THINGS = frozenset(
    """people person man woman child kid adult teen teenager boy girl student member resident worker
    employee family home house building car vehicle country state city town county village year month
    week day hour minute second time case death victim patient officer soldier troop user customer voter
    visitor fan player team game company business job point percent dollar share vote seat school sample
    participant study survey incident attack shot round count charge number part thing way place area site
    life species animal dog cat bird tree plant room floor story page book word item product unit order
    bill law rule deal meeting event show episode film movie song album child parent son daughter friend
    other dead injured wounded killed missing arrested""".split()
)
# Events that happen once to the thing a story is about, so two dates for one of them
# conflict wherever in the story they are stated.
_ONCE_ONLY_EVENTS = frozenset(
    stem(w) for w in "built founded established constructed erected incorporated".split()
)


@dataclass(frozen=True)
class Claim:
    """One outlet's wording of a figure: the figure's span and the sentence that holds it."""

    outlet: str
    article_id: str
    fact_group: int | None = field(default=None, kw_only=True)
    figure: Figure
    sent: Span


@dataclass(frozen=True)
class Disagreement:
    """Outlets that state incompatible values for the same thing.

    ``claims`` holds every outlet's wording that was compared (at least two
    of them incompatible), in story order.  ``scope`` is ``"fact-group"`` when
    the claims sit in one fact group and ``"story"`` when they were matched
    across groups (same thing, same event, or the same named person's age).
    """

    kind: str
    unit: str
    thing: str | None
    scope: str
    fact_groups: tuple[int, ...]
    claims: tuple[Claim, ...]

    _json = computed_before("claims")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(sorted({c.outlet for c in self.claims}))


# --------------------------------------------------------------------------------------


def compatible(a: Figure, b: Figure) -> bool:
    """Can both wordings be true at once?  (Ranges meet; dates overlap.)"""
    if a.kind == "date" or b.kind == "date":
        if a.date is None or b.date is None:
            return True
        return a.date.overlaps(b.date)
    # Strict: "35" allows [34.5, 35.5) and "36" allows [35.5, 36.5); they do not meet.
    return a.low < b.high and b.low < a.high


def _same_reading(a: Figure, b: Figure) -> bool:
    """One figure worded twice: compatible, and (numbers) the same value ("about 300" and "300")."""
    return compatible(a, b) and (a.kind == "date" or a.value == b.value)


_CHANGE_BEFORE_RE = re.compile(
    r"\b(?:by|rose|fell|up|down|increased|decreased|grew|dropped|jumped|climbed|declined|slipped|gained|lost|"
    r"rise|fall|increase|decrease|drop|jump|gain|loss|cut|boost|raised|lowered|surged|plunged|soared|tumbled|"
    r"slumped|added|shed|rising|falling|increasing|dropping)\s+(?:(?:of|about|nearly|almost|more than|some|"
    r"roughly|around|over|just|a further|another|an extra|an additional)\s+)*$",
    re.IGNORECASE,
)
_LEVEL_BEFORE_RE = re.compile(
    r"\b(?:to|at|was|is|were|are|be|been|stood at|reached|hit|totalled|totaled|totaling|totalling|worth|"
    r"valued at|of|with|has|have|had|now|currently)\s+(?:(?:about|nearly|almost|more than|some|roughly|"
    r"around|over|just|a|an|the)\s+)*$",
    re.IGNORECASE,
)
_CHANGE_NOUNS = frozenset(
    "rise increase drop fall decline gain loss jump cut surge growth hike reduction boost decrease climb plunge".split()
)
_DATE_WORDS = frozenset(
    terms(
        "today tonight yesterday tomorrow morning afternoon evening night week weekend month year day last next "
        "this earlier later ago monday tuesday wednesday thursday friday saturday sunday january february march "
        "april may june july august september october november december"
    )
)
_NUMBER_TERM_RE = re.compile(
    r"^[\d.,]+$|^(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|m|bn|k)$"
)


@dataclass
class _Item:
    ref: SentRef
    outlet: str
    figure: Figure
    group: int | None
    context: frozenset[str]
    sent_terms: frozenset[str]
    sent_dates: tuple[DateValue, ...]
    role: str
    verb: str | None = None
    verb_after: str | None = None
    ambiguous: bool = False
    others: tuple[Figure, ...] = ()
    consistent: bool = True
    numbers: frozenset[float] = frozenset()


def _role(text: str, fig: Figure) -> str:
    before = text[max(0, fig.span.start - 40) : fig.span.start]
    if fig.thing in _CHANGE_NOUNS:
        return "change"
    if _CHANGE_BEFORE_RE.search(before):
        return "change"
    if _LEVEL_BEFORE_RE.search(before):
        return "level"
    return "unknown"


def _context(text: str, sent: tuple[int, int], fig: Figure, words: int) -> frozenset[str]:
    """The content terms of the ``words`` words either side of a figure (its own words left out)."""
    left = text[sent[0] : fig.span.start].split()[-words:] if words else []
    right = text[fig.span.end : sent[1]].split()[:words]
    own = set(terms(" ".join((fig.thing or "", *fig.modifiers, *fig.complement))))
    return frozenset(
        t
        for t in terms(" ".join(left + right))
        if t not in own and t not in _DATE_WORDS and not _NUMBER_TERM_RE.match(t)
    )


def _signature(fig: Figure) -> tuple[str | None, ...]:
    if fig.kind == "age" and fig.subject:
        return ("age", fig.subject.split()[-1])
    if fig.kind == "date":
        return (*fig.key, stem(fig.thing) if fig.thing else None)
    return (*fig.key, fig.thing)


def _eligible(fig: Figure) -> bool:
    if fig.qualifier == "vague":
        return False
    if fig.kind == "date":
        return fig.date is not None and fig.thing is not None
    if fig.kind == "count" and not fig.thing:
        return False
    if fig.kind == "age" and not (fig.subject or fig.thing):
        return False
    if set(fig.modifiers) & {"other", "more", "additional", "another", "further", "extra", "remaining"}:
        return False  # a part of a count, not the count
    return True


_ITEMS_MEMO: list[
    tuple[tuple[tuple[AnalyzedArticle, ...], tuple[tuple[int, int], ...], int], list[_Item]]
] = []  # the last few stories' items (keyed by articles, copies and context width), newest last
_ITEMS_MEMO_SIZE = 4


def _items(story: Story, context_words: int) -> list[_Item]:
    """The comparable figures of a story's original articles, with each sentence's fact group.

    Fact grouping (:class:`~storybrief.stories.conflicts.Conflicts`), the quote ledger and :func:`find_disagreements` all
    read them, so the extraction is kept for the last few stories (keyed by the very article
    records and the copies); only the fact groups are filled in anew."""
    key = (story.articles, tuple(sorted(story.duplicate_of.items())), context_words)
    for cached_key, cached in _ITEMS_MEMO:
        if (
            len(cached_key[0]) == len(key[0])
            and all(x is y for x, y in zip(cached_key[0], key[0]))
            and cached_key[1:] == key[1:]
        ):
            return [replace(it, group=story.group_of.get(it.ref)) for it in cached]
    items = _extract_items(story, context_words)
    _ITEMS_MEMO.append((key, items))
    del _ITEMS_MEMO[:-_ITEMS_MEMO_SIZE]
    return [replace(it, group=story.group_of.get(it.ref)) for it in items]


def _extract_items(story: Story, context_words: int) -> list[_Item]:
    items: list[_Item] = []
    for index in story.originals:
        item = story.articles[index]
        text = item.article.text
        extracted = article_figures(item)
        for sent_index, figures in enumerate(extracted.by_sent):
            if not figures:
                continue
            sent = item.analysis.sents[sent_index]
            ref = SentRef(index, sent_index)
            sent_text = text[sent[0] : sent[1]]
            sent_terms = frozenset(t for t in terms(sent_text) if not _NUMBER_TERM_RE.match(t))
            sent_dates = tuple(f.date for f in figures if f.kind == "date" and f.date is not None)
            sent_numbers = frozenset(number_values(text, sent[0], sent[1]))
            chosen = [
                f
                for f in figures
                if _eligible(f)
                and not _partitive_whole(text, sent[0], f)
                and not _continued(text, sent[1], f)
            ]
            by_sig: dict[tuple[str | None, ...], list[Figure]] = defaultdict(list)
            for f in chosen:
                # Two named people in one sentence are two ages, not one ambiguous age.
                by_sig[("age", f.subject) if f.kind == "age" and f.subject else _signature(f)].append(f)
            # Lists and comparisons ("96 % of marine life and 70 % of land species",
            # "71 % of X compared to 82 % of Y") pair up too easily with the wrong half.
            listed = {
                (f.kind, f.unit)
                for f in chosen
                if f.kind in ("percent", "money")
                and sum(1 for g in chosen if (g.kind, g.unit) == (f.kind, f.unit) and not compatible(f, g))
                > 0
            }
            for same in by_sig.values():
                # Two values of one thing in one sentence ("two canada geese ... as many as 300
                # geese") leave it unclear which one another outlet's figure answers, even when an
                # open bound makes them compatible.
                ambiguous = (len(same) > 1 and not all(_same_reading(same[0], g) for g in same[1:])) or (
                    (same[0].kind, same[0].unit) in listed
                )
                for f in same[:1] if not ambiguous else same:
                    items.append(
                        _Item(
                            ref=ref,
                            outlet=story.outlet(index),
                            figure=f,
                            group=None,
                            context=_context(text, sent, f, context_words),
                            sent_terms=sent_terms,
                            sent_dates=tuple(d for d in sent_dates if f.kind != "date" or d != f.date),
                            role=_role(text, f),
                            verb=_verb_before(text, sent[0], f),
                            verb_after=_verb_after(text, sent[1], f),
                            others=tuple(g for g in figures if g.kind != "date" and g.value is not None),
                            numbers=sent_numbers,
                            ambiguous=ambiguous,
                        )
                    )
    return items


_IRREGULAR_VERBS = frozenset(
    "shot hit hurt left lost won spent paid sold cost made took gave got put set cut bought brought held led "
    "kill shoot hurt lose win spend pay sell buy bring hold lead leave take give get seize raise".split()
)
_PARTITIVE_RE = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|some|all|most|many|half|none)\s+"
    r"of\s+(?:the\s+|their\s+|his\s+|her\s+|its\s+|our\s+)?(?:[^\W\d_]+\s+)?(?:[^\W\d_]+['’]s\s+)?$",
    re.IGNORECASE,
)


def _partitive_whole(text: str, sent_start: int, fig: Figure) -> bool:
    """ "seven of the family's eight children": eight is the whole, and the sentence is about the seven."""
    return bool(_PARTITIVE_RE.search(text[max(sent_start, fig.span.start - 45) : fig.span.start]))


_CONTINUED_RE = re.compile(
    r"\b(?:and|then|plus)\s+(?:then\s+)?(?:a|an)\s+(?:second|third|fourth|fifth|sixth|further|additional)\b|"
    r"\band\s+(?:then\s+)?another\b|\bplus\b|\bas well as\b|\bin addition to\b",
    re.IGNORECASE,
)


def _continued(text: str, sent_end: int, fig: Figure) -> bool:
    """ "killing two people outside the centre and then a third nearby": the figure is a part."""
    return bool(_CONTINUED_RE.search(text[fig.span.end : min(sent_end, fig.span.end + 90)]))


def _verb_before(text: str, sent_start: int, fig: Figure) -> str | None:
    """The verb a figure is the object of, when it is close: "charged with shooting eight people" -> shoot."""
    words = re.findall(r"[^\W\d_]+", text[max(sent_start, fig.span.start - 40) : fig.span.start].lower())
    for w in reversed(words[-4:]):
        if w in _FUNCTION_WORDS_SHORT:
            continue
        if w.endswith(("ed", "ing")) or w in _IRREGULAR_VERBS:
            return stem(w)
        return None
    return None


_AUX_RE = re.compile(
    r"^(?:\s+(?:[^\W\d_]+\s+){0,3}?)?\s*(?:were|was|are|is|have been|had been|has been|been|being|be|got|get)"
    r"(?:\s+(?:also|all|reportedly|later|then|still|already))?\s+([^\W\d_]+(?:ed|en|wn|ung|ot|ut|eft))\b",
    re.IGNORECASE,
)


def _verb_after(text: str, sent_end: int, fig: Figure) -> str | None:
    """The passive verb that follows a counted thing: "30 tents were flattened" -> flatten."""
    chunk = text[fig.span.end : min(sent_end, fig.span.end + 60)]
    words = _words_of(fig)
    pattern = r"^(?:\s*(?:" + "|".join(re.escape(w) + r"[\w'’]*" for w in words) + r"))*"
    m = re.match(pattern, chunk, re.IGNORECASE) if words else None
    rest = chunk[m.end() :] if m else chunk
    m2 = _AUX_RE.match(rest)
    return stem(m2.group(1).lower()) if m2 else None


def _words_of(fig: Figure) -> list[str]:
    return [w for w in (*fig.modifiers, fig.thing) if w]


_FUNCTION_WORDS_SHORT = frozenset(
    "a an the of to for with by at in on about around nearly almost more than over some least at up down just only "
    "another further an estimated roughly approximately".split()
)


def _same_person(a: str, b: str, first_names: dict[str, set[str]]) -> bool:
    """Same surname, and the same first name when both give one; a bare surname only when the
    story knows one person of that name ("Ms Kellow" is "Marta Kellow" unless another
    Kellow appears)."""
    sa, sb = a.split(), b.split()
    if sa[-1] != sb[-1]:
        return False
    if len(sa) > 1 and len(sb) > 1:
        return sa[0] == sb[0]
    return len(first_names.get(sa[-1], ())) <= 1


def _first_names(story: Story, surnames: set[str], subjects: Iterable[str] = ()) -> dict[str, set[str]]:
    """The first names the story gives each surname: the people who share it.

    A word right before the surname counts when it is not the first word of its
    sentence (lower-cased text capitalises that word, whatever it is: "Close
    Kellow's lawyer speaks" is page furniture, not a Close Kellow), or when a
    PERSON entity or another age's subject also has it.
    """
    out: dict[str, set[str]] = {s: set() for s in surnames}
    if not surnames:
        return out
    for subject in subjects:
        parts = subject.split()
        if len(parts) > 1 and parts[-1] in out:
            out[parts[-1]].add(parts[0])
    names = "|".join(re.escape(s) for s in surnames)
    pattern = re.compile(r"\b([^\W\d_]+)\s+(?=(" + names + r")\b)", re.IGNORECASE)
    for index in story.originals:
        item = story.articles[index]
        text = item.article.text
        sent_starts = {s for s, _ in item.analysis.sents}
        entity_words = {
            w.lower()
            for e in item.analysis.entities
            if e.label == "PERSON"
            for w in text[e.start : e.end].split()[:-1]
        }
        for m in pattern.finditer(text):
            word = m.group(1).lower()
            if word in _FUNCTION_WORDS_SHORT or word in _NAME_SKIP or word.endswith("ing"):
                continue
            if m.start(1) in sent_starts and word not in entity_words:
                continue
            out[m.group(2).lower()].add(word)
    return out


_NAME_SKIP = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady rev said says and or but that when as if was is told says "
    "judge officer sen rep gov president councillor mayor from court".split()
)


def _far_apart(a: Figure, b: Figure, max_ratio: float) -> bool:
    """Values more than ``max_ratio`` apart ("two geese" in a caption, "300 geese" culled)
    are nearly always two different quantities, not two reports of one."""
    x, y = a.value, b.value
    if x is None or y is None or x <= 0 or y <= 0:
        return True
    return max(x, y) / min(x, y) > max_ratio


def _mark_consistency(items: list[_Item]) -> None:
    """An article that states two incompatible values for one thing is not one voice on it."""
    by_key: dict[tuple[int, tuple[str | None, ...], tuple[str, ...]], list[_Item]] = defaultdict(list)
    for it in items:
        by_key[(it.ref.article, _signature(it.figure), it.figure.modifiers)].append(it)
    for same in by_key.values():
        if len(same) > 1 and not all(compatible(x.figure, y.figure) for x in same for y in same):
            for it in same:
                it.consistent = False


def _things_match(a: Figure, b: Figure) -> bool:
    if a.thing != b.thing:
        return False
    if a.modifiers and b.modifiers and not set(a.modifiers) & set(b.modifiers):
        return False
    if a.complement and b.complement and not set(a.complement) & set(b.complement):
        return False
    return True


def _parallel(a: _Item, b: _Item) -> bool:
    """Two dated sentences that also state different figures of one sort are two observations
    ("63,000 died in 2016" / "72,000 died in 2017"), not one fact dated twice."""
    for fa in a.others:
        for fb in b.others:
            if fa.key == fb.key and fa.thing == fb.thing and fa.value != fb.value:
                return True
    return False


def _dated_apart(a: _Item, b: _Item) -> bool:
    """Both sentences are dated, and to times that do not meet."""
    if not a.sent_dates or not b.sent_dates:
        return False
    return not any(x.overlaps(y) for x in a.sent_dates for y in b.sent_dates)


def _comparable(
    a: _Item,
    b: _Item,
    *,
    same_group: bool,
    first_names: dict[str, set[str]],
    settings: DisagreementOptions,
) -> bool:
    fa, fb = a.figure, b.figure
    if a.ambiguous or b.ambiguous or a.outlet == b.outlet:
        return False
    if fa.kind == "age" and fb.kind == "age" and fa.subject and fb.subject:
        # A named person has one age, wherever the story says it.
        return _same_person(fa.subject, fb.subject, first_names)
    if a.verb and b.verb and a.verb != b.verb:
        return False  # "shooting eight people" and "killing six people" count different things
    if a.verb_after and b.verb_after and a.verb_after != b.verb_after:
        return False  # "two tents were filled" and "30 tents were flattened"
    if fa.key != fb.key:
        return False
    if fa.kind == "date":
        # Same event word ("built in 1887" / "built in 1894"), same precision.
        if fa.date is None or fb.date is None:
            return False  # not a stated date (never so for an extracted date figure)
        if fa.date.granularity != fb.date.granularity or stem(fa.thing) != stem(fb.thing):
            return False
        if _parallel(a, b):
            return False
        if same_group:
            return len(a.context & b.context) >= 1
        return stem(fa.thing) in _ONCE_ONLY_EVENTS
    if {a.role, b.role} == {"change", "level"}:
        return False
    if _dated_apart(a, b):
        return False
    if fa.thing and fb.thing:
        if not _things_match(fa, fb):
            return False
        need = 1
    elif fa.thing or fb.thing or fa.kind in ("count", "age"):
        return False
    else:
        need = 2  # money, percentages, durations, quantities with no named thing: the words must match
    if same_group:
        if len(a.context & b.context) >= need:
            return True
        # One fact, worded apart: a named thing in two sentences that share much of their wording.
        union = a.sent_terms | b.sent_terms
        return (
            need == 1
            and bool(union)
            and len(a.sent_terms & b.sent_terms) / len(union) >= settings.same_fact_min_jaccard
        )
    # Across fact groups: the thing must be named and specific enough to be one quantity in
    # the story ("a 13-hour filibuster", "four Israelis killed"), each outlet must give it one
    # value, and the words around it must still meet.
    if not (fa.thing and fb.thing) or not (a.consistent and b.consistent):
        return False
    event_a, event_b = a.verb or a.verb_after, b.verb or b.verb_after
    specific = (
        fa.thing not in _GENERIC_THINGS
        or bool(set(fa.modifiers) & set(fb.modifiers))
        # a toll: "killed at least 13 people" / "11 people were killed"
        or (event_a is not None and event_a == event_b and event_a in _TOLL_VERBS)
    )
    if not specific or _far_apart(fa, fb, settings.cross_fact_max_ratio):
        return False
    union = a.sent_terms | b.sent_terms
    jaccard = len(a.sent_terms & b.sent_terms) / len(union) if union else 0.0
    return (
        jaccard >= settings.cross_fact_min_jaccard
        and len(a.context & b.context) >= settings.cross_fact_min_shared_context
    )


def find_disagreements(story: Story, *, options: Options | None = None) -> tuple[Disagreement, ...]:
    """Every disagreement in the story (a pure function of it and ``options.disagreements``), in story order."""
    settings = (options or Options()).disagreements
    items = _items(story, settings.context_words)
    _mark_consistency(items)
    subjects = [it.figure.subject for it in items if it.figure.kind == "age" and it.figure.subject]
    first_names = _first_names(story, {s.split()[-1] for s in subjects}, subjects)
    # Sentences that state one fact but were kept in two groups because they conflict
    # (FactGroup.disputes) are compared as one fact, like members of one group.
    disputed = DisputedPairs(story)
    edges = _comparable_pairs(story, items, first_names, disputed, settings)
    members, conflicts = _components(len(items), edges)
    out: list[Disagreement] = []
    for root, pairs in conflicts.items():
        real = [(i, j) for i, j in pairs if not _reconciled(items, members[root], i, j)]
        if real:
            out.append(_disagreement(story, items, members[root], real, disputed))
    return tuple(sorted(out, key=lambda d: _story_position(story, d)))


class DisputedPairs:
    """``(a, b) in disputed``: is the pair of sentences among the fact groups' disputes
    (:attr:`FactGroup.disputes`)?  One sorted array of pair keys: a big story's groups dispute
    millions of pairs, whose set of tuples would take gigabytes."""

    def __init__(self, story: Story) -> None:
        counts = [len(item.analysis.sents) for item in story.articles]
        self._first = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))
        self._n = int(self._first[-1]) or 1
        parts = [
            self._key(c[:, 0], c[:, 1], c[:, 2], c[:, 3])
            for c in (g.disputes.cells for g in story.fact_groups)
            if len(c)
        ]
        self._keys = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        del parts
        self._keys.sort()

    def _key(self, a: Any, s: Any, b: Any, t: Any) -> Any:
        """The key of pairs (article a, sentence s) x (article b, sentence t): their rows among all
        the story's sentences, as one number."""
        return (self._first[a] + s) * self._n + (self._first[b] + t)

    def __contains__(self, pair: tuple[SentRef, SentRef]) -> bool:
        (a, s), (b, t) = pair
        key = int(self._key(a, s, b, t))
        k = int(np.searchsorted(self._keys, key))
        return k < len(self._keys) and int(self._keys[k]) == key


def _comparable_pairs(
    story: Story,
    items: list[_Item],
    first_names: dict[str, set[str]],
    disputed: DisputedPairs,
    settings: DisagreementOptions,
) -> list[tuple[int, int, bool]]:
    """Every pair of items of different articles that measure the same thing, as
    ``(i, j, conflict)`` with ``conflict`` true when their values cannot both be right."""
    edges: list[tuple[int, int, bool]] = []
    by_sig: dict[tuple[str | None, ...], list[int]] = defaultdict(list)
    for k, it in enumerate(items):
        by_sig[_signature(it.figure)].append(k)
    if not items:
        return edges
    refs = story.sent_refs()
    row = {ref: k for k, ref in enumerate(refs)}
    # sparse rows: the vocabulary of a big story would make a dense sentence x term matrix huge
    vectors = sentence_term_rows([terms(story.sent_text(ref)) for ref in refs])
    for idx in by_sig.values():
        for x in range(len(idx)):
            for y in range(x + 1, len(idx)):
                a, b = items[idx[x]], items[idx[y]]
                if a.ref.article == b.ref.article:
                    continue
                same_group = (
                    a.group is not None
                    and (a.group == b.group or (a.ref, b.ref) in disputed)
                    and term_cosine(vectors[row[a.ref]], vectors[row[b.ref]])
                    >= settings.same_statement_min_cosine
                )
                if not _comparable(a, b, same_group=same_group, first_names=first_names, settings=settings):
                    continue
                edges.append((idx[x], idx[y], not compatible(a.figure, b.figure)))
    return edges


def _components(
    n: int, edges: list[tuple[int, int, bool]]
) -> tuple[dict[int, set[int]], dict[int, list[tuple[int, int]]]]:
    """Comparable figures form components; a component with a conflict that no outlet's
    other wording reconciles is one disagreement.  Returns the members of each component
    and its conflicting pairs, by component root."""
    from .._disjoint import DisjointSet

    components = DisjointSet(range(n))
    for i, j, _ in edges:
        components.merge(i, j)
    members: dict[int, set[int]] = defaultdict(set)
    conflicts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, j, conflict in edges:
        root = components[i]
        members[root].update((i, j))
        if conflict:
            conflicts[root].append((i, j))
    return members, conflicts


def _disagreement(
    story: Story,
    items: list[_Item],
    members: set[int],
    real: list[tuple[int, int]],
    disputed: DisputedPairs,
) -> Disagreement:
    """The disagreement of one component: every member's claim, in story order, scoped to one
    fact group when all its real conflicts sit in one fact (or in disputing groups)."""
    involved = sorted(
        members, key=lambda k: (items[k].ref.article, items[k].ref.sent, items[k].figure.span.start)
    )
    groups = {items[k].group for k in involved}
    one_fact = len(groups) == 1 or all(
        (items[i].ref, items[j].ref) in disputed or items[i].group == items[j].group for i, j in real
    )
    scope = "fact-group" if one_fact and None not in groups else "story"
    first = items[involved[0]].figure
    thing: str | None
    if first.kind == "age" and first.subject:
        thing = max((items[k].figure.subject or "" for k in involved), key=len)
    else:
        thing = first.thing
    return Disagreement(
        kind=first.kind,
        unit=first.unit,
        thing=thing,
        scope=scope,
        fact_groups=tuple(sorted(g for g in groups if g is not None)),
        claims=tuple(
            Claim(
                outlet=items[k].outlet,
                article_id=story.articles[items[k].ref.article].article.id,
                figure=items[k].figure,
                sent=story.sent_span(items[k].ref),
                fact_group=items[k].group,
            )
            for k in involved
        ),
    )


def _reconciled(items: list[_Item], members: set[int], i: int, j: int) -> bool:
    """True when an outlet of the pair also states a value compatible with the other outlet's,
    or its sentence holds the other's number at all ("fires five workers; three of the workers
    are charged" does not contradict "three workers charged")."""
    a, b = items[i], items[j]
    if a.figure.kind != "date" and (a.figure.value in b.numbers or b.figure.value in a.numbers):
        return True
    for k in members:
        c = items[k]
        if c.outlet == a.outlet and k != i and compatible(c.figure, b.figure):
            return True
        if c.outlet == b.outlet and k != j and compatible(c.figure, a.figure):
            return True
    return False


def _story_position(story: Story, d: Disagreement) -> tuple[int, int]:
    c = d.claims[0]
    return (story.article_index(c.article_id), c.sent.start)
