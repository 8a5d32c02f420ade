"""Content terms of a text: lower-cased, stop words dropped, Snowball-stemmed.

Shared by every stage that compares sentences (duplicates, fact groups,
summarisers), so "reports", "reported" and "reporting" always meet.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
_stemmer = snowballstemmer.stemmer("english")
# English function words, plus the reporting verbs and titles that every news sentence carries.
STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also although always am
    among amongst an and another any anyhow anyone anything anyway anywhere are around as at back be became
    because become becomes becoming been before beforehand behind being below beside besides between beyond both
    but by can cannot could did do does doing done down due during each either else elsewhere enough etc even ever
    every everyone everything everywhere except few for former formerly from further had has have having he hence
    her here hereafter hereby herein hers herself him himself his how however i ie if in indeed into is it its
    itself just last latter latterly least less many may me meanwhile might mine more moreover most mostly much
    must my myself namely neither never nevertheless next no nobody none noone nor not nothing now nowhere of off
    often on once one only onto or other others otherwise our ours ourselves out over own per perhaps please
    rather re same seem seemed seeming seems several she should since so some somehow someone something sometime
    sometimes somewhere still such than that the their theirs them themselves then thence there thereafter
    thereby therefore therein thereupon these they this those though through throughout thru thus to together too
    toward towards under until up upon us very via was we well were what whatever when whence whenever where
    whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose
    why will with within without would yet you your yours yourself yourselves
    said says say saying told tells tell according mr mrs ms dr s t ll ve d m
    """.split()
)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits, keeping inner ' . - joins)."""
    return _TOKEN_RE.findall(text.lower())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.replace("’", "'"))


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text``, in order, repeats kept."""
    return [stem(w) for w in tokens(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]
