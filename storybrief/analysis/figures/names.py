"""Whose age a figure is: the person named next to it ("John Smith, 45," -> "john smith")."""

from __future__ import annotations

import re

from ...language import LETTER_WORD
from ..model import Entity
from .lexicon import _FUNCTION_WORDS, _NOT_A_THING
from .words import _is_plural

_TITLES = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady rev fr sgt lt col gen capt cpl pc officer judge sen rep gov "
    "president councillor cllr mayor minister chancellor secretary".split()
)


_NOT_NAMES = frozenset(
    "accused named aged deceased suspected alleged injured killed wounded arrested charged married retired "
    "unidentified unnamed victim suspect man woman boy girl son daughter wife husband mother father brother "
    "sister friend student teen teenager child baby driver officer resident customer owner worker".split()
)


def _clean_name(words: list[str]) -> str | None:
    """The last one or two name-like words, lower-cased, without titles: "Ms. Kellow" -> "kellow"."""
    kept: list[str] = []
    cased = False  # the surname is capitalised, so the text keeps capitals and a first name must have one
    for w in reversed(words):
        low = w.lower().strip(".'’")
        if (
            not low
            or low in _TITLES
            or low in _FUNCTION_WORDS
            or low in _NOT_A_THING
            or low.endswith(("'s", "’s", "ing"))
            or low in _NOT_NAMES
            or (_is_plural(low) and not low.endswith("ss"))
            or len(low) < 2
        ):
            break
        if kept and cased and w[:1].islower():
            break  # "student Lena Dunmore": in cased text a name is capitalised
        if not kept:
            cased = w[:1].isupper()
        kept.append(low)
        if len(kept) == 2:
            break
    return " ".join(reversed(kept)) or None


def _person_before(entities: tuple[Entity, ...], text: str, pos: int) -> str | None:
    """The name of a PERSON entity that ends right before ``pos`` (", 45,"); never a possessive."""
    for ent in entities:
        if (
            ent.label == "PERSON"
            and 0 <= pos - ent.end <= 2
            and "'" not in text[ent.end : pos + 1]
            and "’" not in text[ent.end : pos + 1]
        ):
            return _clean_name(text[ent.start : ent.end].split())
    return None


def _person_after(entities: tuple[Entity, ...], pos: int, text: str) -> str | None:
    for ent in entities:
        if ent.label == "PERSON" and 0 <= ent.start - pos <= 2:
            return _clean_name(text[ent.start : ent.end].split())
    return None


_NAME_TAIL_RE = re.compile(rf"((?:{LETTER_WORD}\.?\s+){{0,2}}{LETTER_WORD})$")


def _apposition_name(text: str, lo: int, start: int, after: str, value: float) -> str | None:
    """The name in "Marta Kellow, 35, was ..." (lower-cased text has no PERSON entities to lean on)."""
    if not (1 <= value <= 110) or text[max(lo, start - 2) : start] != ", ":
        return None
    if not re.match(r"^(?:,|\.(?!\d)|;|\s*$)", after):
        return None
    m = _NAME_TAIL_RE.search(text[max(lo, start - 50) : start - 2])
    return _clean_name(m.group(1).split()) if m else None


def _appositive_age_name(text: str, lo: int, start: int) -> str | None:
    """The name in "Kellow, a 35-year-old Eastmoor resident"."""
    m = re.search(
        r"((?:[^\W\d_]+\.?\s+){0,2}[^\W\d_]+),\s+(?:a|an|the)\s+$", text[max(lo, start - 50) : start]
    )
    return _clean_name(m.group(1).split()) if m else None
