"""The speech-verb lexicon (``speech_verbs.txt``, the one place it lives), shared by the quotes
package, attribution frames of fact grouping and anything else that looks for who said what."""

from __future__ import annotations

import re
from importlib.resources import files

__all__ = ["ACT_FORMS", "CUE_FORMS", "FRAME_FORMS", "PLAIN_FORMS", "SPEECH_FORMS", "forms_pattern"]


def _read_speech_verbs() -> dict[str, frozenset[str]]:
    """The forms of each kind of ``speech_verbs.txt``: ``cue``, ``speech``, ``frame``, ``plain`` and ``act``."""
    kinds: dict[str, set[str]] = {"cue": set(), "speech": set(), "frame": set(), "plain": set(), "act": set()}
    text = files("storybrief.language").joinpath("speech_verbs.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, forms = line.partition(":")
        kinds[kind.strip()].update(forms.split())
    return {k: frozenset(v) for k, v in kinds.items()}


_KINDS = _read_speech_verbs()

# Forms that may introduce reported speech ("X said that ...", "X warned ...").
CUE_FORMS: frozenset[str] = _KINDS["cue"]
# Forms that introduce a direct quote after them with no further complement ("X said:").
SPEECH_FORMS: frozenset[str] = _KINDS["speech"]
# The everyday reporting verbs whose frames fact grouping sets aside ("X, chief fire officer, said").
FRAME_FORMS: frozenset[str] = _KINDS["frame"]
# The plainest attribution forms ("said", "told"): a signal of the summariser's model.
PLAIN_FORMS: frozenset[str] = _KINDS["plain"]
# Cue forms that attribute content without speech or thought ("the report found", "plans to", "voted for").
ACT_FORMS: frozenset[str] = _KINDS["act"]


def forms_pattern(forms: frozenset[str]) -> str:
    """A regular expression (a non-capturing group) that matches any of ``forms``, longest first."""
    return "(?:" + "|".join(map(re.escape, sorted(forms, key=lambda f: (-len(f), f)))) + ")"
