"""Is a quote someone's words?  Speech and thought, told apart from the other attributions.

The extractor finds attribution relations the way attribution corpora (PolNeAR)
annotate them: besides what people said or think, they hold evidence ("the
report found …", "data show …", "it seems …"), intentions ("she plans to …")
and stances taken by acting ("he voted for …", "the board declined to …").
None of those reports anybody's words, so none is a quote for a reader of the
quote ledger, nor for a quote corpus such as GenderGapTracker's.

:func:`is_speech` keeps:

* every quote with words in quotation marks (``direct`` or ``partial``), whatever its cue;
* reported speech whose cue is a verb of speech or thought and whose content
  is a clause or quoted words: not a cue of the lexicon's ``act`` kind
  (:data:`~storybrief.language.speech.ACT_FORMS`), and not a content that opens
  with ``to`` or a preposition ("called for an inquiry", "plans to resign",
  "complained about the delay"), which names an act, not what was said; and
  not a negated cue ("Singh won't say what he'll do"): nobody said it.
"""

from __future__ import annotations

import re

from ...language.speech import ACT_FORMS
from .model import Quote
from .words import _TOKEN_RE

# A cue right after a negation ("Singh won't say what …", "McCallum didn't respond …"): nobody said it.
_NEGATED_RE = re.compile(r"(?:\bnot|\bnever|n['’]t)\s+$", re.IGNORECASE)

# A content opening with one of these is a complement of the verb, not a reported clause.
_COMPLEMENT_OPENERS = frozenset("to for about of on with at by in from into over against".split())


def is_speech(text: str, quote: Quote) -> bool:
    """Does ``quote`` (of ``text``) report someone's words or thoughts?  See the module docstring."""
    if quote.type != "indirect" or quote.cue is None:
        return True
    cue = text[quote.cue[0] : quote.cue[1]].lower()
    if cue in ACT_FORMS or _NEGATED_RE.search(text, max(0, quote.cue[0] - 12), quote.cue[0]):
        return False
    if cue == "according to":
        return True
    first = _TOKEN_RE.search(text, quote.parts[0][0], quote.parts[0][1])
    return first is None or first.group().lower() not in _COMPLEMENT_OPENERS
