"""Content terms of a text: lower-cased, stop words dropped, Snowball-stemmed.

Shared by every stage that compares sentences (duplicates, fact groups,
summarisers), so "reports", "reported" and "reporting" always meet.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_stemmer = snowballstemmer.stemmer("english")
STOP_WORDS = frozenset(ENGLISH_STOP_WORDS | {"said", "says", "say", "told", "mr", "mrs", "ms", "dr", "s", "t"})


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits, keeping inner ' . - joins)."""
    return _TOKEN_RE.findall(text.lower())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.replace("’", "'"))


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text``, in order, repeats kept."""
    return [stem(w) for w in tokens(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]
