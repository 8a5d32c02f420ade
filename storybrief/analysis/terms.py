"""Content terms of a text: moved to :mod:`storybrief.language.words`, the one language layer.

Kept so that ``from storybrief.analysis.terms import terms`` goes on working.
"""

from __future__ import annotations

from ..language.words import STOP_WORDS, stem, terms, tokens

__all__ = ["STOP_WORDS", "stem", "terms", "tokens"]
