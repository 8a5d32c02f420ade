"""The per-article analysis record: plain data, spans into the article, JSON round-trip."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

import numpy as np
from pydantic import BeforeValidator, PlainSerializer

from ..articles import Article, Span
from .factterms import SentenceTerms
from .quotes import Quote
from .speakers import Role

ANALYSIS_VERSION = 14  # 2-4: quotes and roles (2 and 3 were development versions); 5: signed quotes per line, organisation nominals;
# 6: sentence embeddings; 7: one sentence per encoder run (int8 activations are quantized per run); 8: fact terms;
# 9: a plural role before a list of names is each one's, and a role stops at the sentence before;
# 10: a sports club's name ("Fenwick United") is an organisation, so "he said" never resolves to it;
# 11: names the tagger missed (a known first name and a surname), gender from the pronouns used for a person,
# "she" prefers a person known to fit, a first name alone is its one full name, "Ms. May" is a name;
# headlines and teasers ("READ MORE: …") hold no quotes; descriptive nominals ("the 26-year-old right wing") are
# the person just named; a shared surname gives nobody a gender; a that-clause after a seldom speech verb is reported
# 12: sentences, paragraphs and NER chunks bounded (only articles with 2,000+-character sentences,
# 20,000+-character paragraphs or 50,000+ characters change)
# 13: "he"/"she" keeps the speaker before unless a person named since opens a sentence (one named as an object
# does not take the pronoun)
# 14: speakers beyond political news: bylines and "Oakville, Ont." are not people, a lone surname or leading
# name is its full name, "he"/"she" carries on a long passage about one speaker, mis-cut speaker phrases
# ("oil" of "oil and gas worker Mike Wipf", "X, who …, said") go to their named head

T = TypeVar("T")


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    label: str  # spaCy label: PERSON, ORG, GPE, DATE, CARDINAL, ...


# In the analysis cache an entity is a row ``[start, end, label]`` and a sentence's fact terms are
# their compact list (:meth:`SentenceTerms.to_list`): the cache holds one per sentence of every article.
EntityRow = Annotated[
    Entity,
    BeforeValidator(lambda v: Entity(*v) if isinstance(v, list | tuple) else v),
    PlainSerializer(lambda e: [e.start, e.end, e.label]),
]
SentenceTermsRow = Annotated[
    SentenceTerms,
    BeforeValidator(lambda v: SentenceTerms.from_list(v) if isinstance(v, list | tuple) else v),
    PlainSerializer(lambda t: t.to_list()),
]


@dataclass(frozen=True)
class Analysis:
    """What the NLP stage learned about one article.

    Offsets are character offsets into the article's text; ``sent_spans`` and
    friends turn them into :class:`Span` objects.  The record is keyed by the
    article's content hash, so it is shared by every copy of the same text.
    """

    version: int = field(default=ANALYSIS_VERSION, kw_only=True)
    content_hash: str
    sents: tuple[tuple[int, int], ...]
    sent_paragraph: tuple[int, ...]
    paragraphs: tuple[tuple[int, int], ...]
    entities: tuple[EntityRow, ...] = ()
    ner: bool = False
    quotes: tuple[Quote, ...] = ()  # who said what, speakers resolved in the article (see analysis.quotes)
    roles: tuple[Role, ...] = ()  # roles stated for people: appositions, pre-modifiers, office titles
    # MiniLM vectors of the sentences, packed (see analysis.embeddings.pack); a sentence too short
    # to state a fact has a zero row; "" when the analysis has none (hand-built records)
    vectors: str = ""
    # the fact terms of every sentence (what fact grouping compares); () when the analysis has none
    fact_terms: tuple[SentenceTermsRow, ...] = ()

    def sent_vectors(self) -> np.ndarray | None:
        """The sentence vectors (one float32 row per sentence, then the clause rows; read-only),
        or ``None`` without them.  Decoded once per record: fact grouping asks for them every time
        a story is built."""
        if not self.vectors:
            return None
        return self.derived("vectors", self._unpack_vectors)

    def _unpack_vectors(self) -> np.ndarray:
        from .embeddings import unpack

        rows = unpack(self.vectors)
        rows.flags.writeable = False
        return rows

    def derived(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, worked out once per record and kept with it.

        For what a later stage reads off one article alone (decoded vectors,
        the summariser's candidates): a story that is built again, or an
        article that joins a second story, does not pay for it twice.  It is a
        memo, not a field: equality, ``repr``, JSON and pickles leave it out.
        """
        memo = self.__dict__.get("_derived")
        if memo is None:
            memo = {}
            object.__setattr__(self, "_derived", memo)
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_derived"}

    def sent_spans(self, article: Article) -> list[Span]:
        return [Span(article.id, s, e) for s, e in self.sents]

    def entities_in(self, start: int, end: int) -> list[Entity]:
        return [ent for ent in self.entities if ent.start >= start and ent.end <= end]


@dataclass(frozen=True)
class AnalyzedArticle:
    """An article with its analysis: the unit every later stage consumes."""

    article: Article
    analysis: Analysis

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    def sent_text(self, index: int) -> str:
        s, e = self.analysis.sents[index]
        return self.article.text[s:e]

    def sent_texts(self) -> list[str]:
        text = self.article.text
        return [text[s:e] for s, e in self.analysis.sents]
