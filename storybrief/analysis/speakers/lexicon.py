"""The word lists speaker resolution reads: titles, first names by gender, person nouns, role and
organisation heads, club names.
"""

from __future__ import annotations

import re

from ...language import WORD

Offsets = tuple[int, int]

SPEAKER_KINDS = ("name", "pronoun", "nominal", "")

COURTESY_TITLES = frozenset(
    "mr mrs ms miss mx dr sir dame lord lady prof professor rev reverend fr father sister brother".split()
)
OFFICE_TITLES = frozenset(
    "councillor cllr senator sen representative rep congressman congresswoman governor gov president "
    "vice-president mayor chancellor secretary minister ambassador judge justice general gen colonel col "
    "lieutenant lt captain capt sergeant sgt commissioner inspector superintendent supt detective det "
    "chief rabbi imam bishop archbishop cardinal pope king queen prince princess speaker baroness baron "
    "earl duke duchess mp".split()
)
_MALE_TITLES = frozenset("mr sir lord father brother king prince baron earl duke fr".split())
_FEMALE_TITLES = frozenset("mrs ms miss dame lady sister queen princess baroness duchess".split())


def _read_first_names() -> tuple[frozenset[str], frozenset[str]]:
    """The first names of ``data/first_names.txt``: (male, female)."""
    from importlib.resources import files

    male: set[str] = set()
    female: set[str] = set()
    for line in (
        files("storybrief.analysis")
        .joinpath("data", "first_names.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    ):
        if not line.strip() or line.startswith("#"):
            continue
        gender, name = line.split()
        (male if gender == "m" else female).add(name)
    return frozenset(male), frozenset(female)


_MALE_NAMES, _FEMALE_NAMES = _read_first_names()


def _read_person_nouns() -> frozenset[str]:
    from importlib.resources import files

    text = files("storybrief.analysis").joinpath("data", "person_nouns.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if not line.startswith("#") for w in line.split())


PERSON_NOUNS = _read_person_nouns()
_AGE_RE = re.compile(r"\d+-year-old$")
_PERSON_ROLE_HEADS = frozenset(
    "leader chief executive chairman chairwoman chair director spokesman spokeswoman spokesperson official "
    "aide adviser advisor secretary chancellor minister president senator governor mayor councillor "
    "candidate nominee manager officer founder head owner lawyer attorney professor economist editor "
    "commissioner inspector superintendent ceo boss judge prosecutor detective doctor master "
    "mp campaigner activist businessman businesswoman billionaire star actor actress host presenter "
    "candidate congressman congresswoman representative speaker premier chairperson convenor".split()
)
_ORG_HEADS = frozenset(
    "company firm group party campaign committee council government department ministry agency office "
    "administration organisation organization foundation charity board trust movement network "
    "association federation institute union club team museum service force paper newspaper "
    "broadcaster station website outlet magazine".split()
)
# The last word of a sports club's name ("Kellhaven Rovers", "Fenwick United", "Corran Town"): no
# person's name ends in one, and a bare "Rovers" is the club.
CLUB_WORDS = frozenset("united rovers athletic wanderers rangers albion hotspur fc afc town city".split())
_CLUB_ENDS = frozenset((w,) for w in CLUB_WORDS)
_INDEFINITE = frozenset(
    "a an some several many one two three four five few other another sources experts".split()
)
_PLURAL_PRONOUNS = frozenset({"they"})
_ORG_LABELS = frozenset({"ORG", "NORP", "GPE"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_WORD_RE = re.compile(WORD + r"\.?")  # a word and its abbreviation dot ("Gov.", "St.")
_PRONOUN_RE = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Ss]he|[Hh]er|[Hh]ers)\b")
_STOP_LEAD = frozenset("however but and meanwhile still yet now then so also while as if when".split())
