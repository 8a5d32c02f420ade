"""A story: the analysed articles about one event, their duplicates and their fact groups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, overload

import numpy as np

from ..analysis import AnalyzedArticle
from ..articles import Span


class SentRef(NamedTuple):
    """Sentence ``sent`` of the story's article number ``article``."""

    article: int
    sent: int


class SentPairs(Sequence[tuple[SentRef, SentRef]]):
    """An immutable sequence of sentence pairs, kept as one int32 array of four numbers a pair
    (article and sentence of the first, of the second) rather than as two tuples a pair: the fact
    groups of a big story dispute millions of pairs.  It equals a tuple of the same pairs."""

    __slots__ = ("cells",)

    def __init__(self, pairs: Iterable[tuple[SentRef, SentRef]] | np.ndarray = ()) -> None:
        if isinstance(pairs, np.ndarray):
            cells = np.array(pairs, dtype=np.int32).reshape(-1, 4)
        else:
            cells = np.array([(*a, *b) for a, b in pairs], dtype=np.int32).reshape(-1, 4)
        cells.flags.writeable = False
        self.cells = cells

    def __len__(self) -> int:
        return len(self.cells)

    @overload
    def __getitem__(self, k: int) -> tuple[SentRef, SentRef]: ...
    @overload
    def __getitem__(self, k: slice) -> SentPairs: ...
    def __getitem__(self, k: int | slice) -> tuple[SentRef, SentRef] | SentPairs:
        if isinstance(k, slice):
            return SentPairs(self.cells[k])
        a, s, b, t = self.cells[k].tolist()
        return SentRef(a, s), SentRef(b, t)

    def __iter__(self) -> Iterator[tuple[SentRef, SentRef]]:
        for start in range(0, len(self.cells), 1 << 12):  # a slice at a time: no list of millions
            for a, s, b, t in self.cells[start : start + (1 << 12)].tolist():
                yield SentRef(a, s), SentRef(b, t)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SentPairs):
            return np.array_equal(self.cells, other.cells)
        if isinstance(other, tuple | list):
            return len(other) == len(self) and all(x == y for x, y in zip(self, other))
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.cells.tobytes())

    def __repr__(self) -> str:
        return f"SentPairs({list(self)!r})"

    def __reduce__(self) -> tuple[type[SentPairs], tuple[np.ndarray]]:
        return SentPairs, (np.array(self.cells),)


@dataclass(frozen=True)
class FactGroup:
    """Sentences from different articles that report the same thing.

    ``members`` holds at most one sentence per outlet (the best match), and
    never a sentence from a syndicated copy: a copy is not a confirmation.
    ``outlets`` is sorted and has no repeats.

    No two sentences of a group conflict (:class:`~storybrief.stories.conflicts.Conflicts`:
    a different figure, date or named actor for the same thing).  ``disputes`` holds the pairs
    (a sentence of this group, a sentence of another outlet that states the same fact otherwise)
    that were kept apart for that reason, in story order: the other outlet disputes the fact,
    it does not confirm it (a :class:`SentPairs`, compact: a big story has millions).
    """

    id: int
    members: tuple[SentRef, ...]
    outlets: tuple[str, ...]
    disputes: SentPairs = field(default_factory=SentPairs)

    def __post_init__(self) -> None:
        if not isinstance(self.disputes, SentPairs):  # a tuple of pairs, as tests write them
            object.__setattr__(self, "disputes", SentPairs(self.disputes))

    @property
    def size(self) -> int:
        return len(self.outlets)


@dataclass(frozen=True)
class Story:
    """The unit a briefing is written for.

    ``articles`` are all the story's articles, copies included, in input order.
    ``duplicate_of[i] = j`` says article ``i`` is a (near-)copy of article
    ``j``; copies are shown but their sentences never count as extra support.
    ``group_of`` maps every sentence of a non-copy article to its fact group.
    """

    id: str
    articles: tuple[AnalyzedArticle, ...]
    duplicate_of: dict[int, int] = field(default_factory=dict)
    fact_groups: tuple[FactGroup, ...] = ()
    group_of: dict[SentRef, int] = field(default_factory=dict)

    @property
    def originals(self) -> list[int]:
        """Indices of the articles that are not copies of another."""
        return [i for i in range(len(self.articles)) if i not in self.duplicate_of]

    def outlet(self, index: int) -> str:
        return self.articles[index].article.display_outlet

    def sent_span(self, ref: SentRef) -> Span:
        item = self.articles[ref.article]
        s, e = item.analysis.sents[ref.sent]
        return Span(item.article.id, s, e)

    def sent_text(self, ref: SentRef) -> str:
        return self.articles[ref.article].sent_text(ref.sent)

    def sent_refs(self, *, include_copies: bool = False) -> list[SentRef]:
        """Every sentence of the story, article by article, in reading order."""
        indices = range(len(self.articles)) if include_copies else self.originals
        return [SentRef(i, j) for i in indices for j in range(len(self.articles[i].analysis.sents))]

    def disputes_of(self, ref: SentRef) -> tuple[SentRef, ...]:
        """Sentences of other outlets that state the fact of sentence ``ref`` with a conflicting
        figure, date or named actor (see :attr:`FactGroup.disputes`), one per outlet, in story order."""
        group = self.group_of.get(ref)
        if group is None or group >= len(self.fact_groups):
            return ()
        cells = self.fact_groups[group].disputes.cells
        mine = cells[(cells[:, 0] == ref.article) & (cells[:, 1] == ref.sent), 2:]
        out: dict[str, SentRef] = {}
        for article, sent in mine.tolist():  # in story order
            out.setdefault(self.outlet(article), SentRef(article, sent))
        return tuple(sorted(out.values()))

    def article_index(self, article_id: str) -> int:
        for i, item in enumerate(self.articles):
            if item.article.id == article_id:
                return i
        raise KeyError(article_id)
