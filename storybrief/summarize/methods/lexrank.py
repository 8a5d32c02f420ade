"""LexRank baseline: sumy's ``LexRankSummarizer`` over the story's own sentences.

sumy's default tokenizer needs NLTK data that cannot be downloaded offline,
so we build its document model ourselves: one sumy ``Paragraph`` per original
article, one sumy ``Sentence`` per sentence span, with :class:`WordTokenizer`
for words, our Snowball stemmer and sumy's bundled English stop words.

sumy returns its picks in document order; we need the ranking, so we pass a
callable sentence count, which sumy calls with every sentence sorted by
rating (best first), and record that order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..._blas import single_threaded_blas
from ...articles import Span
from ...errors import MethodError
from ...language import LETTER_WORD_RE, stem
from ...stories.model import SentRef, Story
from ..base import Summarizer, fill_budget, register, to_spans

# sumy keeps a token as a word when it is letters with inner ' or - (no digits).
_WORD_RE = LETTER_WORD_RE


class WordTokenizer:
    """The tokenizer protocol sumy expects, without NLTK.

    Only :meth:`to_words` is used when sentences are given; :meth:`to_sentences`
    uses storybrief's sentence splitter so the object is complete.
    """

    language = "english"

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(_WORD_RE.findall(sentence))

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        from ...analysis import split_sentences

        sents, _, _ = split_sentences(paragraph)
        return tuple(paragraph[s:e] for s, e in sents)


def _sumy() -> Any:
    try:
        import sumy.models.dom as dom
        from sumy.summarizers.lex_rank import LexRankSummarizer as SumyLexRank
        from sumy.utils import get_stop_words
    except ImportError as e:
        raise MethodError(
            "the lexrank baseline needs sumy",
            where="summarize.lexrank",
            hint="pip install 'storybrief[eval]'",
        ) from e
    return dom, SumyLexRank, get_stop_words


def to_sumy_document(paragraphs: Sequence[Sequence[str]], tokenizer: WordTokenizer | None = None) -> Any:
    """A sumy document from sentence texts already split, one inner list per paragraph."""
    dom, _, _ = _sumy()
    tokenizer = tokenizer or WordTokenizer()
    return dom.ObjectDocumentModel(
        [dom.Paragraph([dom.Sentence(text, tokenizer) for text in sents]) for sents in paragraphs]
    )


def make_lexrank() -> Any:
    """sumy's LexRank set up as a user of sumy would: English stemmer and stop words."""
    _, SumyLexRank, get_stop_words = _sumy()
    summarizer = SumyLexRank(stem)
    summarizer.stop_words = get_stop_words("english")
    return summarizer


# Ratings are compared at this precision.  sumy sums cosine terms over a
# frozenset, whose order follows Python's per-process string hashing, so equal
# ratings (symmetric sentences) can differ in the last bits from run to run;
# rounding makes such ties go to the earlier sentence every time.
_DECIMALS = 12


def rank_document(summarizer: Any, document: Any) -> list[int]:
    """Indices into ``document.sentences``, best rated first (ties in document order)."""
    infos: list[Any] = []

    def take_all(rated):
        infos.extend(rated)
        return rated

    # A story whose sentences share no word gives sumy's power method a zero
    # matrix; the ratings are then NaN and the ranking falls back to order.
    with np.errstate(invalid="ignore", divide="ignore"):
        summarizer(document, take_all)
    return [info.order for info in sorted(infos, key=lambda info: (-_rounded(info.rating), info.order))]


def _rounded(rating: float) -> float:
    return round(float(rating), _DECIMALS) if math.isfinite(rating) else -math.inf


@register
class LexRankSummarizer(Summarizer):
    name = "lexrank"
    description = "baseline: sumy LexRank (threshold 0.1) over the story's sentences"

    def __init__(self) -> None:
        self._lexrank = make_lexrank()
        self._tokenizer = WordTokenizer()

    def rank(self, story: Story) -> list[SentRef]:
        refs = story.sent_refs()
        paragraphs: dict[int, list[str]] = {}
        for ref in refs:
            paragraphs.setdefault(ref.article, []).append(story.sent_text(ref))
        document = to_sumy_document(list(paragraphs.values()), self._tokenizer)
        return [refs[i] for i in rank_document(self._lexrank, document)]

    @single_threaded_blas
    def summarize(self, story: Story, *, words: int) -> list[Span]:
        return to_spans(story, fill_budget(story, self.rank(story), words, cut_last=True))
