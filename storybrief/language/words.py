"""Words: the tokenizer patterns, the stop list, the stemmer and a text's content terms.

Every stage that splits text into words takes its pattern from here.  The patterns are one family,
a run of word characters with optional inner joins, and differ only where a caller needs it:

* :data:`WORD_RE`: letters and digits, keeping inner ``' ’ . -`` joins ("U.S.", "o'clock",
  "2.5", "long-term"); what :func:`tokens` and :func:`terms` see.
* :data:`LETTER_WORD_RE`: letters only, with inner ``' ’ -`` joins (the words sumy and name
  matching count: no numbers).
* :data:`ALNUM_RE` / :data:`LETTERS_RE`: bare runs of letters and digits / of letters, no joins.
* :data:`COUNT_WORD_RE`: words as a reader counts them (whitespace tokens holding a letter or
  digit), behind :func:`count_words`.
* :data:`ROUGE_TOKEN_RE`: ROUGE's own tokens (lower-case ``[a-z0-9]+`` runs), for features that
  must see text the way the ROUGE scorer does.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

WORD = r"[^\W_]+(?:['’.-][^\W_]+)*"
WORD_RE = re.compile(WORD)
LETTER_WORD = r"[^\W\d_]+(?:['’-][^\W\d_]+)*"
LETTER_WORD_RE = re.compile(LETTER_WORD)
ALNUM_RE = re.compile(r"[^\W_]+")
LETTERS_RE = re.compile(r"[^\W\d_]+")
COUNT_WORD_RE = re.compile(r"\S*[^\W_]\S*")
ROUGE_TOKEN_RE = re.compile(r"[a-z0-9]+")

# The classic English stop list: the 318 words of the Glasgow IR group that scikit-learn ships as
# ``sklearn.feature_extraction.text.ENGLISH_STOP_WORDS`` (tests/test_language.py checks that they
# agree).  Written out here so that a process that never fits a vectorizer does not import
# scikit-learn to read it.
ENGLISH_STOP_WORDS = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also although always am
    among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at back
    be became because become becomes becoming been before beforehand behind being below beside besides between
    beyond bill both bottom but by call can cannot cant co con could couldnt cry de describe detail do done down
    due during each eg eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find fire first five for former formerly forty found four from front
    full further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers herself
    him himself his how however hundred i ie if in inc indeed interest into is it its itself keep last latter
    latterly least less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my
    myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere of
    off often on once one only onto or other others otherwise our ours ourselves out over own part per perhaps
    please put rather re same see seem seemed seeming seems serious several she should show side since sincere six
    sixty so some somehow someone something sometime sometimes somewhere still such system take ten than that the
    their them themselves then thence there thereafter thereby therefore therein thereupon these they thick thin
    third this those though three through throughout thru thus to together too top toward towards twelve twenty
    two un under until up upon us very via was we well were what whatever when whence whenever where whereafter
    whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will
    with within without would yet you your yours yourself yourselves
    """.split()
)

# The words every news sentence carries: reporting verbs, "according (to)", courtesy titles, and the
# pieces an apostrophe leaves ("s", "t", "ll", "ve", "d", "m").
NEWS_STOP_WORDS = frozenset(
    "said says say saying told tells tell according mr mrs ms dr s t ll ve d m".split()
)

# Words of the classic list that carry news in a news sentence and so stay content terms: numbers
# ("two", "fifty"), and nouns and verbs that report what happened ("fire", "bill", "found", "move").
_NEWS_CONTENT = frozenset(
    """
    amoungst amount bill bottom call cant co con couldnt cry de describe detail eg eight eleven empty fifteen
    fifty fill find fire first five forty found four front full get give go hasnt hereupon hundred inc interest
    keep ltd made mill move name nine part put see serious show side sincere six sixty system take ten thick thin
    third three top twelve twenty two un
    """.split()
)

# The stop list of :func:`terms`: the classic list without the news content words, with the forms
# of "do"/"have" it lacks ("did", "does", "doing", "having"), "just", "theirs", and the news words.
STOP_WORDS = (
    (ENGLISH_STOP_WORDS - _NEWS_CONTENT)
    | frozenset("did does doing having just theirs".split())
    | NEWS_STOP_WORDS
)

_stemmer = snowballstemmer.stemmer("english")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens (letters/digits, keeping inner ' . - joins)."""
    return WORD_RE.findall(text.lower())


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word.replace("’", "'"))


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text``, in order, repeats kept."""
    return [stem(w) for w in tokens(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


def count_words(text: str) -> int:
    """Words as a reader counts them: whitespace tokens holding a letter or digit.

    Lone punctuation ("(", "--", "%") is not a word.
    """
    return len(COUNT_WORD_RE.findall(text))
