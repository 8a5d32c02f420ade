"""Speaker resolution inside one article: "she", "Ms Morris" and "the Labour leader" to a name.

:func:`resolve_speakers` takes the quotes found by
:mod:`storybrief.analysis.quotes` and fills each one's ``speaker_kind`` and
``speaker_names``:

* ``name`` — the mention holds a name; a short form ("Ms Morris", "Corbyn") is
  linked to the fullest mention of the same person in the article
  ("Abigail Morris").
* ``pronoun`` — "he", "she", "they", "it": the nearest earlier antecedent that
  fits (gender from titles and first names, number, person or organisation),
  preferring the previous speaker and sentence subjects.
* ``nominal`` — "the Labour leader", "the chief fire officer", "the two
  groups": a person whose stated role shares the nominal's head, or the
  organisations the plural refers to.  Indefinite nominals ("a senior source",
  "experts") are kept as written, honestly unresolved, and so is anything that
  no entity fits.

Titles and roles are kept apart from names: "Gideon Falter, chairman of
Campaign Against Anti-Semitism" and "museum chief executive Abigail Morris"
give the names "Gideon Falter" and "Abigail Morris" and the roles "chairman of
Campaign Against Anti-Semitism" and "museum chief executive" (see
:func:`find_roles`).

The package reads top-down: :mod:`.resolve` (the quotes' speakers), :mod:`.roles` (roles stated for
names), :mod:`.names` (names and the article view they are read from) and :mod:`.lexicon` (word lists).
"""

from __future__ import annotations

from .lexicon import CLUB_WORDS as CLUB_WORDS  # read by stories.people
from .lexicon import COURTESY_TITLES, OFFICE_TITLES, SPEAKER_KINDS
from .names import NameMention, clean_name_span, find_names, fix_case, gender_of, name_key
from .resolve import attribute_quotes, resolve_speakers
from .roles import Role, find_roles

# fmt: off
__all__ = [
    "COURTESY_TITLES",
    "OFFICE_TITLES",
    "SPEAKER_KINDS",
    "NameMention",
    "Role",
    "attribute_quotes",
    "clean_name_span",
    "find_names",
    "find_roles",
    "fix_case",
    "gender_of",
    "name_key",
    "resolve_speakers",
]
# fmt: on
