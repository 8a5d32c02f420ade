"""The language layer: how storybrief reads English, in one place that every stage may import.

It sits below ``sources -> articles -> analysis -> stories -> briefing`` and imports none of them.

* :mod:`.words`: the word tokenizer patterns, the stop list, the stemmer, content terms, word counts;
* :mod:`.vectors`: word shingles and TF-IDF sentence vectors.
"""

from __future__ import annotations

from .vectors import SHINGLE, containment, sentence_term_rows, sentence_vectors, shingles, term_cosine
from .words import (
    ALNUM_RE,
    COUNT_WORD_RE,
    ENGLISH_STOP_WORDS,
    LETTER_WORD,
    LETTER_WORD_RE,
    LETTERS_RE,
    NEWS_STOP_WORDS,
    ROUGE_TOKEN_RE,
    STOP_WORDS,
    WORD,
    WORD_RE,
    count_words,
    stem,
    terms,
    tokens,
)

__all__ = [
    "ALNUM_RE",
    "COUNT_WORD_RE",
    "ENGLISH_STOP_WORDS",
    "LETTERS_RE",
    "LETTER_WORD",
    "LETTER_WORD_RE",
    "NEWS_STOP_WORDS",
    "ROUGE_TOKEN_RE",
    "SHINGLE",
    "STOP_WORDS",
    "WORD",
    "WORD_RE",
    "containment",
    "count_words",
    "sentence_term_rows",
    "sentence_vectors",
    "shingles",
    "stem",
    "term_cosine",
    "terms",
    "tokens",
]
