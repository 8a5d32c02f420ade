"""Quote extraction over news conventions: who said what, and where it is in the text.

The extractor is rule-based and runs on what the analysis stage already has:
the article text, its paragraphs and sentences, and spaCy's named entities.  It
needs no parser, so it adds little to the cost of NER (see
``bench/quotes_overhead.py``).

It reads the conventions news writers use:

* every quote-mark style: straight ``"`` and ``'``, typographic “ ” and ‘ ’,
  guillemets « », low-9 „ and the doubled ``''`` of some wire copy; apostrophes
  (``don't``, ``Corbyn’s``) are told apart from single quote marks;
* quotes that run over paragraphs, where each paragraph reopens the quote and
  only the last one closes it (the earlier closing marks are simply missing);
* attribution before (``X said:``, ``X told Y:``), after (``"…," she said.``)
  and in the middle (``"…," he said, "…"``), by a dash (``posted two words -
  "So sad."``, or a signature ``"…" — Maria Lopez, 34``), or by a colon in a
  headline (``Corbyn: "…"``);
* quotes with no attribution of their own that continue the previous speaker
  (they join that speaker's statement as further parts);
* partial quotes inside reported speech (``she said the situation was
  "delicate"``) and indirect speech with no marks at all (``X said that …``,
  ``…, X said.``, ``according to X, …``).

Reported speech is found from a lexicon of speech and report verbs (``storybrief/language/speech_verbs.txt``).  How far
each verb form can be trusted was learned on PolNeAR's train split
(:data:`CUE_PRIOR`, rebuilt by :func:`storybrief.evaluate.quotes.learn_cues`);
forms under :data:`MIN_CUE_PRIOR` are not used for indirect speech.

Each :class:`Quote` records its content parts, the cue, the speaker mention as
written, the addressee or medium, and which words are inside quotation marks.
Resolving the speaker mention ("she", "the Labour leader") to a name is
:mod:`storybrief.analysis.speakers`' job.

Unbalanced, nested and stray marks never raise: a mark that cannot be paired is
ignored, and an unclosed quote ends at its paragraph's end.

The package has one module per concern, in the order the data flows:

* :mod:`.model` — the :class:`Quote` record;
* :mod:`.marks` — quotation marks paired into regions;
* :mod:`.words` — the tokenizer and function-word lists;
* :mod:`.lexicon` — the speech-verb lexicon and its learned prior (data files in ``analysis/data``);
* :mod:`.context` — what every step shares (the article's context, a parsed frame, span helpers);
* :mod:`.phrases` — noun phrases without a parser (speakers, addressees, clause subjects);
* :mod:`.frames` — attribution frames around a quote;
* :mod:`.direct` and :mod:`.indirect` — direct quotes, and reported speech without marks;
* :mod:`.extract` — :func:`extract_quotes`, which runs them all;
* :mod:`.speech` — :func:`is_speech`: does a quote report someone's words or thoughts, or only
  evidence, an intention or an act ("the report found", "plans to", "voted for")?
"""

from .extract import extract_quotes
from .lexicon import CUE_FORMS, CUE_PRIOR, DEFAULT_CUE_PRIOR, MIN_CUE_PRIOR, SPEECH_FORMS
from .marks import QuoteRegion, find_quote_regions
from .model import ATTRIBUTIONS, QUOTE_TYPES, Offsets, Quote
from .speech import is_speech
from .words import DOCUMENT_NOUNS, PRONOUNS, ROLE_NOUNS

# fmt: off
__all__ = [
    "ATTRIBUTIONS",
    "CUE_FORMS",
    "CUE_PRIOR",
    "DEFAULT_CUE_PRIOR",
    "DOCUMENT_NOUNS",
    "MIN_CUE_PRIOR",
    "PRONOUNS",
    "QUOTE_TYPES",
    "ROLE_NOUNS",
    "SPEECH_FORMS",
    "Offsets",
    "Quote",
    "QuoteRegion",
    "extract_quotes",
    "find_quote_regions",
    "is_speech",
]
# fmt: on
