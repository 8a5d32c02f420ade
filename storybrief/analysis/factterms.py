"""The terms fact grouping compares, worked out once per sentence in the analysis stage.

A sentence's *fact terms* are its content terms (:func:`~storybrief.language.words.terms`)
with weights: 1, or :data:`FRAME_WEIGHT` inside an attribution frame ("X, chief fire officer
of Y, said": who speaks, not what happened), times :data:`TIME_WEIGHT` for words of time
expressions (when a thing happened is reported in many ways; the timeline compares it).  A
negated statement also carries the :data:`NEGATION` term and one that says something is not
known yet the :data:`UNRESOLVED` term, so "No one was injured" and "Nobody was hurt" share a
term that "Two people were injured" lacks.

Everything here is a pure function of the sentence's text, so it is computed with the rest of
the analysis and cached with it (:class:`SentenceTerms` on
:attr:`storybrief.analysis.Analysis.fact_terms`); :mod:`storybrief.stories.facts` only weighs
and compares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..language import terms
from .frames import attribution_frames, clauses, main_clause, name_words

# fmt: off
__all__ = [
    "FRAME_WEIGHT",
    "NEGATION",
    "TIME_TERMS",
    "TIME_WEIGHT",
    "UNRESOLVED",
    "SentenceTerms",
    "TermProfile",
    "sentence_terms",
    "term_profile",
    "weighted_terms",
]
# fmt: on

# The weight of terms inside an attribution frame ("X, chief fire officer of Y, said").
FRAME_WEIGHT = 0.2
# The weight of the negation and "not known yet" terms (0 turns them off).
NEGATION_WEIGHT = 1.0
UNRESOLVED_WEIGHT = 1.0

_NEGATION_RE = re.compile(
    r"\b(?:no|not|nobody|none|noone|never|neither|nor|nothing|no-one)\b|n['’]t\b", re.IGNORECASE
)
# The term that stands for "this statement is negated": "No one was injured", "Nobody was hurt"
# and "There were no casualties" share it, "Two people were injured" does not.
NEGATION = "¬"
# The term that stands for "this is not known yet / is being investigated": "The cause of the fire
# is not yet known", "The cause is being investigated" and "Investigators have yet to establish
# what started the blaze" share it, though they share no content word.
UNRESOLVED = "?"
_UNRESOLVED_RE = re.compile(
    r"\b(?:not\s+(?:yet\s+)?(?:known|clear|been\s+(?:established|determined|confirmed|identified))|unknown|unclear|"
    r"undetermined|unexplained|yet\s+to\s+(?:be\s+)?(?:establish|determin|confirm|identif|discover|explain)\w*|"
    r"under\s+investigation|being\s+investigated|remains?\s+(?:a\s+)?mystery)\b",
    re.IGNORECASE,
)
_UNRESOLVED_HINTS = ("know", "clear", "determin", "explain", "yet", "investigat", "myster")

# Words of time expressions ("during the early hours of Wednesday", "last night"): when a thing
# happened is a circumstance outlets report in different ways (and the timeline compares), not
# what happened, so these terms weigh :data:`TIME_WEIGHT`.
_TIME_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december today yesterday tonight tomorrow morning afternoon evening "
    "night overnight daybreak dawn midnight midday noon hour hours early week weekend"
)
TIME_TERMS = frozenset(terms(_TIME_WORDS))
TIME_WEIGHT = 0.3


def _maybe_unresolved(text: str) -> bool:
    """A cheap test that :data:`_UNRESOLVED_RE` may match (substring search is much faster)."""
    low = text.lower()
    return any(h in low for h in _UNRESOLVED_HINTS)


def weighted_terms(text: str) -> list[tuple[str, float]]:
    """Content terms of a sentence, in order with repeats, each with its weight (see the module
    docstring), after the :data:`NEGATION` / :data:`UNRESOLVED` terms when it has them."""
    out: list[tuple[str, float]] = []
    if NEGATION_WEIGHT and _NEGATION_RE.search(text):
        out.append((NEGATION, NEGATION_WEIGHT))
    if UNRESOLVED_WEIGHT and _maybe_unresolved(text) and _UNRESOLVED_RE.search(text):
        out.append((UNRESOLVED, UNRESOLVED_WEIGHT))
    pos = 0
    for s, e in attribution_frames(text):
        out.extend((t, 1.0) for t in terms(text[pos:s]))
        out.extend((t, FRAME_WEIGHT) for t in terms(text[s:e]))
        pos = e
    out.extend((t, 1.0) for t in terms(text[pos:]))
    return [(t, w * TIME_WEIGHT) if t in TIME_TERMS else (t, w) for t, w in out]


def _masses(pairs: list[tuple[str, float]]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    """Each term once, sorted, with the sum of its weights."""
    mass: dict[str, float] = {}
    for t, w in pairs:
        mass[t] = mass.get(t, 0.0) + w
    keys = tuple(sorted(mass))
    return keys, tuple(mass[k] for k in keys)


@dataclass(frozen=True)
class TermProfile:
    """What fact grouping needs of one text (a sentence or one clause of it).

    ``keys``/``mass``: its terms, each once and sorted, with their summed weights;
    ``main_keys``/``main_mass``: the same for its main clause (asides dropped, see
    :func:`~storybrief.analysis.frames.main_clause`), ``None`` when that is the whole text;
    ``predicate``: the main clause's full-weight terms that are not part of a name, which two
    texts must share to state the same thing.
    """

    keys: tuple[str, ...]
    mass: tuple[float, ...]
    main_keys: tuple[str, ...] | None
    main_mass: tuple[float, ...] | None
    predicate: frozenset[str]

    def to_list(self) -> list[Any]:
        main = None if self.main_keys is None else [" ".join(self.main_keys), list(self.main_mass or ())]
        return [" ".join(self.keys), list(self.mass), main, " ".join(sorted(self.predicate))]

    @classmethod
    def from_list(cls, data: list[Any]) -> TermProfile:
        keys, mass, main, predicate = data
        return cls(
            keys=tuple(keys.split()),
            mass=tuple(float(m) for m in mass),
            main_keys=None if main is None else tuple(main[0].split()),
            main_mass=None if main is None else tuple(float(m) for m in main[1]),
            predicate=frozenset(predicate.split()),
        )


def term_profile(text: str) -> TermProfile:
    """The :class:`TermProfile` of ``text`` (a pure function of it)."""
    whole = weighted_terms(text)
    main = main_clause(text)
    main_terms = whole if main == text else weighted_terms(main)
    names = {t for w in name_words(main) for t in terms(w)}
    predicate = frozenset(t for t, w in main_terms if w >= 1.0 and t not in names)
    keys, mass = _masses(whole)
    main_keys, main_mass = (None, None) if main == text else _masses(main_terms)
    return TermProfile(keys, mass, main_keys, main_mass, predicate)


@dataclass(frozen=True)
class SentenceTerms:
    """The profile of a sentence and of each of its clauses (:func:`~storybrief.analysis.frames.clauses`;
    none for a simple sentence)."""

    sentence: TermProfile
    clauses: tuple[TermProfile, ...] = ()

    def to_list(self) -> list[Any]:
        return [self.sentence.to_list(), [c.to_list() for c in self.clauses]]

    @classmethod
    def from_list(cls, data: list[Any]) -> SentenceTerms:
        return cls(TermProfile.from_list(data[0]), tuple(TermProfile.from_list(c) for c in data[1]))


def sentence_terms(text: str) -> SentenceTerms:
    """The :class:`SentenceTerms` of one sentence."""
    return SentenceTerms(term_profile(text), tuple(term_profile(part) for part in clauses(text)))
