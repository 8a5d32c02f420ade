"""The speech-verb lexicon (from :mod:`storybrief.language.speech`) and the per-form prior learned on
PolNeAR train (``data/cue_prior.json``, rebuilt by :func:`storybrief.evaluate.quotes.learn_cues`)."""

from __future__ import annotations

import json

from ...language.speech import CUE_FORMS
from ...language.speech import SPEECH_FORMS as SPEECH_FORMS  # the quotes package imports it from here


# The speech-verb lexicon lives in the language layer (``storybrief/language/speech_verbs.txt``).
# ``CUE_PRIOR`` (learned on PolNeAR train by ``storybrief.evaluate.quotes.learn_cues``, kept in
# ``data/cue_prior.json``) gives each form's precision when the rules below fire on it; forms under
# ``MIN_CUE_PRIOR`` are not used for indirect speech.
def _data_text(name: str) -> str:
    from importlib.resources import files

    return files("storybrief.analysis").joinpath("data", name).read_text(encoding="utf-8")


_PARTICIPLE_CUES = frozenset(f for f in CUE_FORMS if f.endswith("ing"))

_MEDIUM_NOUNS = frozenset(
    "statement letter interview speech post tweet tweets email e-mail memo op-ed article column blog video "
    "message broadcast address podcast press release conference briefing rally appearance hearing testimony "
    "note remarks comments radio programme program show book report essay".split()
)

_PLATFORMS = frozenset(
    "twitter facebook instagram youtube x linkedin tiktok truth social medium substack".split()
)

# Per-form precision learned on PolNeAR train (see storybrief.evaluate.quotes.learn_cues).
# Forms absent here fall back to ``DEFAULT_CUE_PRIOR``.
CUE_PRIOR: dict[str, float] = json.loads(_data_text("cue_prior.json"))

DEFAULT_CUE_PRIOR = 0.5

MIN_CUE_PRIOR = 0.45

_INVERTIBLE = frozenset(
    "said says added adds asked asks wrote writes explained explains noted notes continued continues recalled recalls "
    "argued argues replied replies insisted insists remarked observed warned warns declared declares tweeted "
    "told tells answered answers responded responds countered counters added concluded concludes cautioned "
    "acknowledged admitted conceded quipped joked offered suggested suggests predicted promised stated says "
    "writes wondered pressed cried shouted chanted agreed read reads barked beamed fumed quipped sniffed "
    "boomed bellowed deadpanned interrupted agrees exhorted confessed".split()
)

_TELL_FORMS = frozenset(
    "told tells tell telling asked asks ask asking informed assured reminded urged warned".split()
)
