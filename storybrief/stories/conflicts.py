"""Conflicts: which pairs of a story's sentences contradict each other, so that one never confirms the other.

Fact grouping, the quote ledger and coverage rest on it; it compares figures and dates by the rules
of :mod:`storybrief.stories.disagreements` and named actors by their surnames.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..analysis.frames import attribution_frames
from ..config import Options
from ..language import LETTER_WORD_RE
from .disagreements import (
    _comparable,
    _first_names,
    _Item,
    _items,
    _mark_consistency,
    _signature,
    compatible,
)
from .model import SentRef, Story

__all__ = ["Conflicts"]

# The most answers remembered at once: grouping a big story asks about millions of pairs, most of
# them once, so the memo starts afresh when it is full (~30 MB) rather than keep them all.
MEMO_PAIRS = 1 << 18


class Conflicts:
    """Which pairs of a story's sentences contradict each other, so that one never confirms the other.

    Two sentences of different outlets conflict when

    * a figure or date of one and a figure or date of the other measure the same thing by the
      rules :func:`find_disagreements` uses inside one fact ("Around 60 firefighters" / "Some 45
      firefighters", "£2.3m" / "£4m", "Marta Kellow, 45" / "Ms Kellow, 52", "built in 1887" /
      "built in 1894", "broke out on Monday" / "on Tuesday") and the ranges their wordings allow
      do not meet, and neither sentence also states the other's number nor, elsewhere in it, a
      value compatible with the other's; or
    * both name people as actors (PERSON entities outside the attribution frame: "police
      arrested Marta Kellow" / "police arrested Jonas Pettigrew") and neither names, even by
      surname, anyone the other names.

    Fact grouping (:func:`~storybrief.stories.facts.group_facts`) keeps conflicting sentences
    out of one group, so a citation, a coverage count or an omission never rests on a sentence
    that says something else.  Call an instance with two :class:`SentRef` of the story.
    ``options.disagreements`` holds the thresholds.
    """

    def __init__(self, story: Story, *, options: Options | None = None) -> None:
        self.story = story
        self._settings = (options or Options()).disagreements
        items = _items(story, self._settings.context_words)
        _mark_consistency(items)
        self._items: dict[SentRef, list[_Item]] = defaultdict(list)
        for it in items:
            self._items[it.ref].append(it)
        subjects = [it.figure.subject for it in items if it.figure.kind == "age" and it.figure.subject]
        self._first_names = (
            _first_names(story, {s.split()[-1] for s in subjects}, subjects) if subjects else {}
        )
        self._actors: dict[SentRef, frozenset[str]] = {}
        self._memo: dict[tuple[SentRef, SentRef], bool] = {}

    def __call__(self, a: SentRef, b: SentRef) -> bool:
        key = (a, b) if a <= b else (b, a)
        found = self._memo.get(key)
        if found is None:
            found = self.figures(a, b) or self._actors_conflict(a, b)
            if len(self._memo) >= MEMO_PAIRS:
                self._memo.clear()
            self._memo[key] = found
        return found

    def figures(self, a: SentRef, b: SentRef) -> bool:
        """Do the two sentences state incompatible figures or dates for one thing?"""
        xs, ys = self._items.get(a), self._items.get(b)
        if not xs or not ys:
            return False
        for x in xs:
            for y in ys:
                if not _comparable(
                    x, y, same_group=True, first_names=self._first_names, settings=self._settings
                ):
                    continue
                if compatible(x.figure, y.figure):
                    continue
                if x.figure.kind != "date" and (x.figure.value in y.numbers or y.figure.value in x.numbers):
                    continue  # "fires five workers; three are charged" does not contradict "three workers charged"
                if _other_reading(xs, x, y) or _other_reading(ys, y, x):
                    continue
                return True
        return False

    def actors(self, ref: SentRef) -> frozenset[str]:
        """The surnames (lower case) of the people a sentence names outside its attribution frames."""
        found = self._actors.get(ref)
        if found is None:
            item = self.story.articles[ref.article]
            start, end = item.analysis.sents[ref.sent]
            text = item.article.text
            frames = [(start + s, start + e) for s, e in attribution_frames(text[start:end])]
            names = set()
            for ent in item.analysis.entities:
                if ent.label != "PERSON" or ent.start < start or ent.end > end:
                    continue
                if any(s <= ent.start < e for s, e in frames):
                    continue
                words = _NAME_WORD_RE.findall(_POSSESSIVE_RE.sub("", text[ent.start : ent.end]))
                if words:
                    names.add(words[-1].lower())
            found = self._actors[ref] = frozenset(names)
        return found

    def _actors_conflict(self, a: SentRef, b: SentRef) -> bool:
        names_a, names_b = self.actors(a), self.actors(b)
        if not names_a or not names_b or names_a & names_b:
            return False
        words_a = set(_NAME_WORD_RE.findall(self.story.sent_text(a).lower()))
        words_b = set(_NAME_WORD_RE.findall(self.story.sent_text(b).lower()))
        return not (names_a & words_b or names_b & words_a)


_NAME_WORD_RE = LETTER_WORD_RE
_POSSESSIVE_RE = re.compile(r"['’]s?$")


def _other_reading(items: list[_Item], own: _Item, other: _Item) -> bool:
    """Does the sentence of ``own`` (its ``items``) also give the same thing a value compatible
    with ``other``'s?  Then it does not contradict ``other``."""
    return any(
        z is not own and _signature(z.figure) == _signature(own.figure) and compatible(z.figure, other.figure)
        for z in items
    )
