"""Roles stated for a name: "Gideon Falter, chairman of ..." (apposition) and "museum chief executive
Abigail Morris" (pre-modifier).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..quotes import PRONOUNS, ROLE_NOUNS
from ..quotes.words import _PREPOSITIONS
from .lexicon import _PERSON_ROLE_HEADS, _STOP_LEAD, _WORD_RE, COURTESY_TITLES, OFFICE_TITLES, Offsets
from .names import _Article


@dataclass(frozen=True)
class Role:
    """A role stated for a name in one article: an apposition or a pre-modifier.

    ``name`` is the cleaned name span (no titles), ``role`` the role's span.
    """

    name: Offsets
    role: Offsets
    kind: str  # "apposition" | "premodifier" | "title"


_ROLE_STOP = (
    frozenset(
        "the a an and or but of in on at to for with by from as his her their its our my your this that these those "
        "however said says told was were is are has have had will would who which alongside including like unlike "
        "besides beside among between".split()
    )
    | _PREPOSITIONS
)
_VERB_BEFORE = frozenset("to will would could should can may might must did does do not".split())


def find_roles(text: str, entities: Sequence[Any], sents: Sequence[Offsets] = ()) -> tuple[Role, ...]:
    """Roles stated for people in one article, from appositions, pre-modifiers and office titles.

    A plural pre-modifier before a list of names is each name's role ("Labour MPs John Mann,
    Chuka Umunna and Dame Margaret Hodge")."""
    art = _Article(text, entities, sents or [(0, len(text))])
    return _roles(art)


def _roles(art: _Article) -> tuple[Role, ...]:
    text = art.text
    out: list[Role] = []
    shared: tuple[int, Offsets] | None = (
        None  # (end of the last name, a plural pre-modifier that names a list)
    )
    for n in art.names:
        if n.label != "PERSON":
            continue
        s, e = n.span
        # office title right before the name: "Councillor Tobias Quayle"
        pre = _premodifier(text, s)
        if pre is None and shared is not None and _list_link(text[shared[0] : s]):
            # "Labour MPs John Mann, Chuka Umunna and Dame Margaret Hodge": the plural role is everyone's
            pre = shared[1]
        if pre is not None:
            out.append(Role(n.span, pre, "premodifier"))
        shared = (e, pre) if pre is not None and _plural_role(text[pre[0] : pre[1]]) else None
        app = _apposition(text, e)
        if app is not None:
            out.append(Role(n.span, app, "apposition"))
    return tuple(out)


def _plural_role(role: str) -> bool:
    """Does a pre-modifier role name several people ("Labour MPs", "cabinet ministers")?"""
    head = role.rsplit(None, 1)[-1].lower().rstrip(".")
    return head in {"mps", "meps"} or (
        head.endswith("s") and (head[:-1] in _PERSON_ROLE_HEADS or head[:-1] in OFFICE_TITLES)
    )


def _list_link(between: str) -> bool:
    """Is ``between`` what joins two names of a list: a comma or "and", courtesy titles allowed?"""
    words = between.replace(",", " , ").split()
    return (
        bool(words)
        and any(w in {",", "and", "&"} for w in words)
        and all(w in {",", "and", "&"} or w.lower().rstrip(".") in COURTESY_TITLES for w in words)
    )


def _premodifier(text: str, name_start: int) -> Offsets | None:
    """``museum chief executive Abigail Morris`` → "museum chief executive"; ``Councillor X`` → "Councillor"."""
    pos = name_start
    words: list[Offsets] = []
    # walk back over words separated by single spaces
    while pos > 0:
        m = re.search(r"([^\W_]+(?:[’'\-][^\W_]+)*\.?)([ \t]+)$", text[max(0, pos - 40) : pos])
        if not m:
            break
        w_end = pos - len(m.group(2))
        w_start = w_end - len(m.group(1))
        word = m.group(1)
        low = word.lower().rstrip(".")
        if word.endswith(".") and len(low) > 1 and low not in COURTESY_TITLES and low not in OFFICE_TITLES:
            break  # the end of the sentence before ("... Jane Roe. Senior officials Ann Grey")
        if low in _ROLE_STOP or low in _STOP_LEAD or low in PRONOUNS:
            if low in _VERB_BEFORE and words:
                words.pop(0)  # "to discipline activist X": the first word was a verb
            break
        if word.endswith(("’s", "'s")):
            break
        if low in COURTESY_TITLES:
            pos = w_start
            continue  # "Labour MP Dame Margaret Hodge": skip "Dame", keep looking
        words.insert(0, (w_start, w_end))
        pos = w_start
        if len(words) >= 6:
            break
    # the role runs up to its last role word
    while words:
        low = text[words[-1][0] : words[-1][1]].lower().rstrip(".")
        if low in ROLE_NOUNS or low in OFFICE_TITLES or low in _PERSON_ROLE_HEADS or _plural_role(low):
            break
        words.pop()
    if not words:
        return None
    # a sentence-initial capitalised non-role word is not part of the role ("However museum …" handled above)
    return (words[0][0], words[-1][1])


def _apposition(text: str, name_end: int) -> Offsets | None:
    """``Gideon Falter, chairman of Campaign Against Anti-Semitism, said`` → the text between the commas."""
    m = re.match(r"\s*,\s*", text[name_end : name_end + 4])
    if not m:
        return None
    start = name_end + m.end()
    stop = re.search(
        r",|;|\.\s|\n|[“”\"]|\s(?:said|says|told|added|wrote|who|which|has|had|is|was)\b|:",
        text[start : start + 200],
    )
    end = start + (stop.start() if stop else min(200, len(text) - start))
    phrase = text[start:end].strip()
    words = [w.lower().rstrip(".") for w in _WORD_RE.findall(phrase)]
    if not words or len(words) > 25:
        return None
    if words[0] in {"who", "which", "whose", "where", "when", "and", "but", "said", "says", "told"}:
        return None
    lead = words[1:] if words[0] in {"a", "an", "the"} else words
    head_window = lead[:4]
    if not any(w in _PERSON_ROLE_HEADS or w in ROLE_NOUNS or w in OFFICE_TITLES for w in head_window):
        return None
    if any(w in {"is", "was", "has", "had", "are", "were"} for w in words):
        return None
    # trim to the phrase
    s = start + (len(text[start:end]) - len(text[start:end].lstrip()))
    e = s + len(phrase)
    return (s, e) if e > s else None
