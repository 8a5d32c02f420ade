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
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from .quotes import DOCUMENT_NOUNS, PRONOUNS, ROLE_NOUNS, Quote
from .quotes.context import _ent_tuple
from .quotes.words import _PREPOSITIONS

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
        files(__package__).joinpath("data", "first_names.txt").read_text(encoding="utf-8").splitlines()
    ):
        if not line.strip() or line.startswith("#"):
            continue
        gender, name = line.split()
        (male if gender == "m" else female).add(name)
    return frozenset(male), frozenset(female)


_MALE_NAMES, _FEMALE_NAMES = _read_first_names()


def _read_person_nouns() -> frozenset[str]:
    from importlib.resources import files

    text = files(__package__).joinpath("data", "person_nouns.txt").read_text(encoding="utf-8")
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
_WORD_RE = re.compile(r"[^\W_]+(?:[’'.\-][^\W_]+)*\.?")
_PRONOUN_RE = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Ss]he|[Hh]er|[Hh]ers)\b")
_STOP_LEAD = frozenset("however but and meanwhile still yet now then so also while as if when".split())


@dataclass(frozen=True)
class Role:
    """A role stated for a name in one article: an apposition or a pre-modifier.

    ``name`` is the cleaned name span (no titles), ``role`` the role's span.
    """

    name: Offsets
    role: Offsets
    kind: str  # "apposition" | "premodifier" | "title"

    def to_dict(self) -> dict[str, Any]:
        return {"name": list(self.name), "role": list(self.role), "kind": self.kind}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Role:
        return cls(tuple(data["name"]), tuple(data["role"]), data["kind"])


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------


def _word_spans(text: str, start: int, end: int) -> list[Offsets]:
    return [m.span() for m in _WORD_RE.finditer(text, start, end)]


def clean_name_span(
    text: str, start: int, end: int, *, org_words: frozenset[str] = frozenset(), person: bool = True
) -> Offsets | None:
    """The bare name inside an entity mention: titles, leading role words and a possessive dropped.

    "Ms Morris" → "Morris"; "Labour MPs Ruth Smeeth" → "Ruth Smeeth";
    "BBC Radio 4's" → "BBC Radio 4"; "the Jewish Museum" → "Jewish Museum".
    ``org_words`` are words known as organisation names in the article
    ("Labour"), dropped when they lead a person's name.
    """
    words = _word_spans(text, start, end)
    # possessive
    if words:
        s, e = words[-1]
        w = text[s:e]
        for suffix in ("’s", "'s", "’", "'"):
            if w.endswith(suffix) and len(w) > len(suffix):
                words[-1] = (s, e - len(suffix))
                break
    while len(words) > 1:
        w = text[words[0][0] : words[0][1]].lower().rstrip(".")
        if w in {"the", "a", "an"}:
            words.pop(0)
            continue
        if w in COURTESY_TITLES and text[words[0][0]].isupper():
            words.pop(0)  # "Mr Pardoe" tagged as an organisation is still Mr Pardoe
            continue
        if person and (
            w in OFFICE_TITLES
            or w in ROLE_NOUNS
            or w in org_words
            or not (text[words[0][0]].isupper() or text[words[0][0]].isdigit())
        ):
            words.pop(0)
            continue
        break
    if not words:
        return None
    s, e = words[0][0], words[-1][1]
    if e <= s:
        return None
    return (s, e)


def fix_case(name: str) -> str:
    """ "JEREMY Corbyn" → "Jeremy Corbyn"; an all-capitals acronym ("JLM", "BBC") is kept."""
    words = name.split()
    if len(words) < 2:
        return name
    if all(w.isupper() for w in words if any(c.isalpha() for c in w)):
        if all(len(w) <= 4 for w in words):
            return name
        return " ".join(_title(w) for w in words)
    return " ".join(_title(w) if w.isupper() and len(w) > 1 and not _acronym(w) else w for w in words)


def _acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) <= 4 and not any(c in "AEIOU" for c in letters[1:-1]) if letters else False


def _title(word: str) -> str:
    return "-".join(p[:1].upper() + p[1:].lower() for p in word.split("-"))


def name_key(name: str) -> tuple[str, ...]:
    """Lower-cased words of a cleaned name, for comparing mentions."""
    return tuple(w.lower().rstrip(".") for w in _WORD_RE.findall(name.replace("’s", "").replace("'s", "")))


def gender_of(words: Sequence[str], title: str = "") -> str:
    """ "m", "f" or "" from a title or a first name."""
    t = title.lower().rstrip(".")
    if t in _MALE_TITLES:
        return "m"
    if t in _FEMALE_TITLES:
        return "f"
    if len(words) >= 2:
        first = words[0].lower()
        if first in _MALE_NAMES:
            return "m"
        if first in _FEMALE_NAMES:
            return "f"
    return ""


# ---------------------------------------------------------------------------
# Article view
# ---------------------------------------------------------------------------


@dataclass
class _Name:
    span: Offsets  # cleaned name span
    label: str
    key: tuple[str, ...]
    title: str  # courtesy or office title right before it
    sent: int


class _Article:
    def __init__(self, text: str, entities: Sequence[Any], sents: Sequence[Offsets]):
        self.text = text
        self.sents = list(sents)
        self.sent_starts = [s for s, _ in sents]
        self.names: list[_Name] = []
        for m in find_names(text, entities):
            self.names.append(
                _Name(
                    m.span, m.label, name_key(text[m.span[0] : m.span[1]]), m.title, self.sent_of(m.span[0])
                )
            )
        self.names.sort(key=lambda n: n.span)
        self._label_votes()
        self._genders = self._gender_by_surname()

    def sent_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def _label_votes(self) -> None:
        """One label per name in the article, by majority over its mentions (PERSON wins ties)."""
        votes: dict[tuple[str, ...], dict[str, int]] = {}
        for n in self.names:
            votes.setdefault(n.key, {}).setdefault(n.label, 0)
            votes[n.key][n.label] += 1
        for n in self.names:
            v = votes[n.key]
            best = max(v.items(), key=lambda kv: (kv[1], kv[0] == "PERSON"))[0]
            n.label = best
        # A single word that is the surname of a person named in full is that person, and so is
        # a known first name of exactly one ("Jayme" for Jayme Closs, tagged an organisation).
        surnames = {n.key[-1] for n in self.names if n.label == "PERSON" and len(n.key) >= 2}
        firsts: dict[str, set[tuple[str, ...]]] = {}
        for n in self.names:
            if (
                n.label == "PERSON"
                and len(n.key) >= 2
                and not _initials(n.key)
                and n.key[0] in _MALE_NAMES | _FEMALE_NAMES
            ):
                firsts.setdefault(n.key[0], set()).add(n.key)
        self._first_names = {k: next(iter(v)) for k, v in firsts.items() if len(v) == 1}
        for n in self.names:
            if len(n.key) == 1 and (n.key[0] in surnames or n.key[0] in self._first_names):
                n.label = "PERSON"

    def _gender_by_surname(self) -> dict[str, str]:
        """Gender by surname: from a title or a first name, else from the pronouns that follow the
        person where they are the only person named ("Stanovaya said … She added …")."""
        out: dict[str, str] = {}
        self._full_genders: dict[tuple[str, ...], str] = {}
        firsts: dict[str, set[str]] = {}
        for n in self.names:
            if n.label != "PERSON":
                continue
            words = list(n.key)
            if len(words) >= 2 and not _initials(n.key):
                firsts.setdefault(words[-1], set()).add(words[0])
            g = gender_of([self.text[n.span[0] : n.span[1]].split()[0]] + words[1:], n.title) if words else ""
            if g and words:
                if len(words) >= 2:
                    self._full_genders.setdefault(n.key, g)
                out.setdefault(words[-1], g)
        # a surname two people share ("Dorie and Michael Greenspan") tells neither one's gender
        shared = {surname for surname, names in firsts.items() if len(names) > 1}
        for surname in shared:
            out.pop(surname, None)
        votes: dict[str, list[int]] = {}
        by_sent: dict[int, set[str]] = {}
        for n in self.names:
            if n.label == "PERSON" and n.key:
                by_sent.setdefault(n.sent, set()).add(n.key[-1])
        for k, keys in by_sent.items():
            if len(keys) != 1:
                continue
            (key,) = keys
            if key in out or key in shared:
                continue
            start = max(n.span[1] for n in self.names if n.sent == k and n.key and n.key[-1] == key)
            end = self.sents[k][1]
            if k + 1 < len(self.sents) and k + 1 not in by_sent:
                end = self.sents[k + 1][1]
            counts = votes.setdefault(key, [0, 0])
            for m in _PRONOUN_RE.finditer(self.text, start, end):
                counts[0 if m.group().lower() in {"he", "him", "his"} else 1] += 1
        for key, (male, female) in votes.items():
            if max(male, female) >= 2 and min(male, female) * 3 <= max(male, female):
                out[key] = "m" if male > female else "f"
        return out

    def gender(self, name: _Name) -> str:
        if name.key in self._full_genders:
            return self._full_genders[name.key]
        return self._genders.get(name.key[-1], "") if name.key else ""

    def full_form(self, name: _Name) -> _Name:
        """The fullest mention of the same person in the article ("Corbyn" → "Jeremy Corbyn").

        Among equally full mentions the first properly cased one wins ("Jeremy
        Corbyn" over "JEREMY Corbyn").
        """
        if name.label != "PERSON" or not name.key:
            return name
        best = name
        if (
            len(name.key) == 1
            and name.key[0] in self._first_names
            and not any(
                o.label == "PERSON" and len(o.key) >= 2 and o.key[-1] == name.key[0] for o in self.names
            )
        ):
            # "Michael" for Michael Greenspan: the first name of the one person who has it
            full = self._first_names[name.key[0]]
            return next(o for o in self.names if o.key == full)

        def rank(n: _Name) -> tuple[int, int, int]:
            words = self.text[n.span[0] : n.span[1]].split()
            shouting = any(w.isupper() and len(w) > 1 for w in words)
            return (len(n.key) if not _initials(n.key) else 1, 0 if shouting else 1, -n.span[0])

        for other in self.names:
            if other.label != "PERSON" or other.key[-1] != name.key[-1]:
                continue
            if len(other.key) >= 2 and len(name.key) >= 2 and other.key[0][0] != name.key[0][0]:
                continue  # another person with the same surname
            if rank(other) > rank(best):
                best = other
        return best

    def names_in(self, start: int, end: int) -> list[_Name]:
        return [n for n in self.names if start <= n.span[0] and n.span[1] <= end]


@dataclass(frozen=True)
class NameMention:
    """One name in an article: the entity's span cleaned of titles and role words."""

    span: Offsets
    label: str  # spaCy's label for this mention
    title: str  # the courtesy or office title written before it ("Ms", "Councillor"), if any
    entity: Offsets  # the entity span as tagged


def find_names(text: str, entities: Sequence[Any]) -> tuple[NameMention, ...]:
    """Every person, organisation, group or place name in an article, cleaned the way speakers are.

    The spans match ``Quote.speaker_names`` exactly, so the story stage can
    join quotes to the people it builds.  A known first name followed by one or
    two capitalised words where the tagger saw nothing ("Moyra Baxter") is a
    person too.  A PERSON whose name ends in a club
    word (:data:`CLUB_WORDS`: "Fenwick United", a bare "Rovers") is labelled an
    organisation, so a pronoun never resolves to it.
    """
    ents = [_ent_tuple(e) for e in entities]
    org_words = _org_words(text, ents)
    out = []
    for s, e, label in ents:
        if label not in _NAME_LABELS:
            continue
        span = clean_name_span(text, s, e, org_words=org_words, person=label == "PERSON")
        if span is None:
            continue
        if label == "PERSON" and name_key(text[span[0] : span[1]])[-1:] in _CLUB_ENDS:
            label = "ORG"  # "Fenwick United", a bare "Rovers": the small tagger's people that are clubs
        out.append(NameMention(span, label, _title_before(text, s, span[0]), (s, e)))
    taken = sorted((s, e) for s, e, _label in ents)
    for m in _UNTAGGED_NAME_RE.finditer(text):
        if m.group(1).lower() not in _MALE_NAMES | _FEMALE_NAMES or _title_case_line(text, m.start()):
            continue
        span = (m.start(), m.end())
        k = bisect.bisect_left(taken, (span[1],))
        if any(s < span[1] and span[0] < e for s, e in taken[max(0, k - 3) : k]):
            continue  # the tagger saw something here: its reading stands
        words = name_key(m.group())
        if words[-1:] in _CLUB_ENDS or any(w in _ORG_HEADS for w in words):
            continue
        out.append(NameMention(span, "PERSON", _title_before(text, span[0], span[0]), span))
    out.sort(key=lambda n: n.span)
    return tuple(out)


def _title_case_line(text: str, pos: int) -> bool:
    """Is the line holding ``pos`` a headline in title case ("Michelle Obama Says She Will …")?"""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    words = re.findall(r"[^\W\d_]+", text[start : end if end >= 0 else len(text)])
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


# "Moyra Baxter", "Tatiana Stanovaya": a known first name then one or two capitalised words, which
# the small tagger sometimes leaves untagged; found where no entity was tagged.
_UNTAGGED_NAME_RE = re.compile(
    r"\b([A-Z][a-z]+)(?:\s+[A-Z]\.)?((?:\s+[A-Z][a-z]+(?:[’'\-][A-Z]?[a-z]+)*){1,2})\b"
)


def _org_words(text: str, ents: Sequence[tuple[int, int, str]]) -> frozenset[str]:
    return frozenset(
        text[s:e].lower() for s, e, label in ents if label in {"ORG", "NORP"} and " " not in text[s:e]
    )


def _title_before(text: str, ent_start: int, name_start: int) -> str:
    words = _word_spans(text, ent_start, name_start)
    if not words:
        m = re.search(r"([A-Za-z]+\.?)\s+$", text[max(0, ent_start - 12) : ent_start])
        return m.group(1) if m and m.group(1).lower().rstrip(".") in COURTESY_TITLES | OFFICE_TITLES else ""
    w = text[words[-1][0] : words[-1][1]]
    return w if w.lower().rstrip(".") in COURTESY_TITLES | OFFICE_TITLES else ""


def _initials(key: tuple[str, ...]) -> bool:
    return len(key) >= 2 and all(len(w) == 1 for w in key[:-1])


# ---------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Resolution
# ---------------------------------------------------------------------------


def resolve_speakers(
    text: str,
    quotes: Sequence[Quote],
    *,
    entities: Sequence[Any],
    sents: Sequence[Offsets],
) -> tuple[tuple[Quote, ...], tuple[Role, ...]]:
    """Each quote with ``speaker_kind``, ``speaker_names`` and ``speaker_ref`` filled, plus the article's roles."""
    art = _Article(text, entities, sents or [(0, len(text))])
    roles = _roles(art)
    role_text: dict[Offsets, list[str]] = {}
    for r in roles:
        name = _find_name(art, r.name)
        full = art.full_form(name) if name is not None else None
        key = full.span if full is not None else r.name
        role_text.setdefault(key, []).append(text[r.role[0] : r.role[1]].lower())
    out: list[Quote] = []
    history: list[_Said] = []
    for q in quotes:
        if q.speaker is None:
            out.append(replace(q, speaker_kind="", speaker_names=(), speaker_ref=None))
            continue
        said = _resolve(art, q.speaker, history, role_text)
        out.append(
            replace(
                q,
                speaker_kind=said.kind,
                speaker_names=tuple(n.span for n in said.names),
                speaker_ref=said.ref,
            )
        )
        history.append(said)
    return tuple(out), roles


def attribute_quotes(
    text: str,
    *,
    sents: Sequence[Offsets],
    paragraphs: Sequence[Offsets],
    entities: Sequence[Any] = (),
) -> tuple[tuple[Quote, ...], tuple[Role, ...]]:
    """Extract an article's quotes and resolve their speakers: the whole quote stage in one call."""
    from .quotes import extract_quotes

    quotes = extract_quotes(text, sents=sents, paragraphs=paragraphs, entities=entities)
    return resolve_speakers(text, quotes, entities=entities, sents=sents)


@dataclass
class _Said:
    """A resolved speaker mention, remembered for later pronouns."""

    mention: Offsets
    kind: str
    names: list[_Name]
    ref: Offsets | None  # a description standing for the speaker when no name fits
    plural: bool


def _find_name(art: _Article, span: Offsets) -> _Name | None:
    for n in art.names:
        if n.span == span:
            return n
    return None


_HEAD_CUT_RE = re.compile(r",|\s(?:who|which|whose|that)\b|\s[-–—]\s|\(")


def _resolve(
    art: _Article, mention: Offsets, history: list[_Said], role_text: dict[Offsets, list[str]]
) -> _Said:
    text = art.text
    s, e = mention
    cut = _HEAD_CUT_RE.search(text, s, e)
    head_end = cut.start() if cut else e
    while head_end > s and text[head_end - 1].isspace():
        head_end -= 1
    words = [w.lower().rstrip(".") for w in _WORD_RE.findall(text[s:head_end])]
    plural = _is_plural(words)
    names = [n for n in art.names_in(s, head_end) if n.label in _NAME_LABELS]
    if names:
        last = max(names, key=lambda n: n.span[1])
        tail = text[last.span[1] : head_end].strip(" ’'s")
        if re.fullmatch(r"[a-z]+ed", tail):
            tail = ""  # "Roy Graf protested": a verb the mention took in, not a head noun
        if not tail:
            # the name is the head: "museum chief executive Abigail Morris", "Gideon Falter"
            group = _group_ending(art, names, last)
            if last.label == "PERSON":
                return _Said(mention, "name", [art.full_form(n) for n in group], None, len(group) > 1)
            return _Said(mention, "name", group, None, len(group) > 1)
    if cut is not None and cut.group().startswith(","):
        # "The company's managing director, Marcus Threlfall": the apposition is the name
        seg_start = cut.end()
        nxt = re.search(r",", text[seg_start:e])
        seg_end = seg_start + nxt.start() if nxt else e
        seg = text[seg_start:seg_end].strip()
        inner = [n for n in art.names_in(seg_start, seg_end) if n.label == "PERSON"]
        if (
            inner
            and seg
            and seg.endswith(text[inner[-1].span[0] : inner[-1].span[1]])
            and len(seg.split()) <= 5
        ):
            return _Said(mention, "name", [art.full_form(inner[-1])], None, False)
    fallback = _title_name(art, s, head_end) or _bare_name(art, s, head_end)
    if fallback is not None:
        return _Said(mention, "name", [fallback], None, False)
    if len(words) == 1 and words[0] in PRONOUNS:
        names_, ref, plural = _resolve_pronoun(art, words[0], s, history)
        return _Said(mention, "pronoun", names_, ref, plural)
    names_, ref = _resolve_nominal(art, words, s, history, role_text)
    return _Said(mention, "nominal", names_, ref, plural or len(names_) > 1)


def _is_plural(words: list[str]) -> bool:
    if not words:
        return False
    head = words[-1]
    if any(w in {"two", "three", "four", "five", "both", "several", "many", "some"} for w in words):
        return True
    return head.endswith("s") and not head.endswith(("ss", "us", "is")) and head not in {"news", "series"}


def _group_ending(art: _Article, names: list[_Name], last: _Name) -> list[_Name]:
    """ "Ruth Smeeth and Dame Margaret Hodge" → both; otherwise the last name alone."""
    group = [last]
    ordered = sorted(names, key=lambda n: n.span)
    idx = ordered.index(last)
    for other in reversed(ordered[:idx]):
        between = art.text[other.span[1] : group[0].span[0]]
        if other.label == last.label and re.fullmatch(
            r"\s*(?:,|and|&|,\s*and)\s*(?:the\s+)?(?:(?:Dame|Sir|Lord|Lady|Dr|Mr|Mrs|Ms)\.?\s+)?", between
        ):
            group.insert(0, other)
        else:
            break
    return group


def _coordinated(art: _Article, names: list[_Name]) -> list[list[_Name]]:
    """Runs of names of one kind joined by "and", commas or "&", in text order."""
    runs: list[list[_Name]] = []
    for n in sorted(names, key=lambda n: n.span):
        if runs:
            prev = runs[-1][-1]
            between = art.text[prev.span[1] : n.span[0]]
            if prev.label == n.label and re.fullmatch(
                r"\s*(?:,|and|&|,\s*and)\s*(?:the\s+)?(?:(?:Dame|Sir|Lord|Lady|Dr|Mr|Mrs|Ms)\.?\s+)?", between
            ):
                runs[-1].append(n)
                continue
        runs.append([n])
    return runs


def _title_name(art: _Article, start: int, end: int) -> _Name | None:
    """A name the NER missed: "Mr Streeting", "Ms Marrick" — a title then capitalised words, ending the mention."""
    m = re.search(
        r"\b(Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Prof|Sen|Rep|Gov|Councillor|Cllr)\.?\s+((?:[A-Z][\w’'\-]+\s?){1,3})$",
        art.text[start:end],
    )
    if not m:
        return None
    s = start + m.start(2)
    e = s + len(m.group(2).rstrip())
    key = name_key(art.text[s:e])
    probe = _Name((s, e), "PERSON", key, m.group(1), art.sent_of(s))
    return art.full_form(probe)


_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december today yesterday".split()
)
_BARE_NAME_RE = re.compile(r"(?:[A-Z][\w’'\-]+\s){0,2}[A-Z][\w’'\-]+")


def _bare_name(art: _Article, start: int, end: int) -> _Name | None:
    """A name the tagger missed or mislabelled as the whole head: "Stanovaya", "Baxter" — the
    person of the article with that surname, or the capitalised words themselves when none is."""
    text = art.text[start:end].strip()
    for suffix in ("’s", "'s"):
        text = text.removesuffix(suffix)
    if not _BARE_NAME_RE.fullmatch(text):
        return None
    key = name_key(text)
    if (
        not key
        or key[0] in PRONOUNS
        or key[0] in _STOP_LEAD
        or key[-1] in ROLE_NOUNS
        or key[-1] in _ORG_HEADS
    ):
        return None
    people = [n for n in art.names if n.label == "PERSON" and n.key and n.key[-1] == key[-1]]
    if people:
        return art.full_form(people[0])
    if any(n.key == key and n.label != "PERSON" for n in art.names):
        return None  # an organisation or a place the tagger did see
    if any(w in _TIME_WORDS or "’" in w or "'" in w for w in key):
        return None  # "Tuesday", "August", "I've"
    if len(key) == 1 and not re.search(rf"[a-z,]\s+{re.escape(text)}\b", art.text):
        return None  # capitalised only where a sentence starts: "Lawmakers", "Having"
    s = start + art.text[start:end].index(text)
    # one word is a surname; several are a person only after a known first name ("Threlfall
    # Seafoods" is a firm): either way the mention keeps its name, but only people are "he"/"she"
    person = len(key) == 1 or key[0] in _MALE_NAMES | _FEMALE_NAMES
    return _Name((s, s + len(text)), "PERSON" if person else "ORG", key, "", art.sent_of(s))


def _resolve_pronoun(
    art: _Article, pronoun: str, pos: int, history: list[_Said]
) -> tuple[list[_Name], Offsets | None, bool]:
    """(names, description, plural) for a pronoun speaker."""
    if pronoun == "who":
        return _antecedent_of_who(art, pos)
    if pronoun in {"i", "we", "you"}:
        return [], None, pronoun == "we"
    sent = art.sent_of(pos)
    gender = {"he": "m", "she": "f"}.get(pronoun, "")
    recent = [h for h in history[-3:] if art.sent_of(h.mention[0]) >= sent - 4]
    if pronoun in {"he", "she"}:
        for h in reversed(recent):
            if h.plural:
                continue
            if len(h.names) == 1 and h.names[0].label == "PERSON":
                g = art.gender(h.names[0])
                if gender and g and g != gender:
                    continue
                # someone named since, who fits as well (a person of unknown gender does not
                # displace one known to fit)
                closer = _nearest(art, pos, gender, after=h.mention[1], known=bool(gender and g))
                return ([closer] if closer is not None else list(h.names)), None, False
            if not h.names and h.kind == "nominal" and art.sent_of(h.mention[0]) >= sent - 2:
                closer = _nearest(art, pos, gender, after=h.mention[1])
                if closer is not None:
                    return [closer], None, False
                return [], h.ref or h.mention, False
            break
        n = _nearest(art, pos, gender)
        return ([n] if n is not None else []), None, False
    if pronoun == "they":
        for h in reversed(recent):
            if h.plural or (h.names and h.names[0].label in _ORG_LABELS):
                group = _nearest_group(art, pos, after=h.mention[1], single=False)
                if group:
                    return group, None, True
                return list(h.names), (h.ref or (h.mention if not h.names else None)), True
        return _nearest_group(art, pos), None, True
    if pronoun == "it":
        for h in reversed(recent):
            if len(h.names) == 1 and h.names[0].label == "ORG":
                return list(h.names), None, False
            break
        # an organisation that opens this or the previous sentence
        for k in (sent, sent - 1):
            if k < 0:
                continue
            s_start = art.sents[k][0]
            first = next((n for n in art.names if n.span[0] >= s_start and n.span[1] <= pos), None)
            if (
                first is not None
                and first.label == "ORG"
                and not art.text[s_start : first.span[0]].strip(" Tthe")
            ):
                return [first], None, False
        return [], None, False
    return [], None, False


def _antecedent_of_who(art: _Article, pos: int) -> tuple[list[_Name], Offsets | None, bool]:
    """ "…, the Board of Deputies of British Jews, who say" → the nearest person or organisation before it."""
    before = [
        n for n in art.names if n.span[1] <= pos and pos - n.span[1] < 80 and n.label in {"PERSON", "ORG"}
    ]
    if not before:
        return [], None, False
    runs = _coordinated(art, before)
    run = runs[-1]
    if len(run) > 1 and pos - run[-1].span[1] < 60:
        return [art.full_form(n) for n in run], None, True
    # prefer the organisation or person that heads the phrase ("the Board of Deputies of British Jews")
    last = before[-1]
    return [art.full_form(last)], None, False


def _nearest(
    art: _Article, pos: int, gender: str, *, after: int = -1, known: bool = False, back: int = 6
) -> _Name | None:
    """The nearest earlier person that fits, preferring each sentence's first (subject) mention.

    For "he"/"she", a person known to be of that gender (by title, first name or the pronouns
    used for them) is preferred to a nearer one of unknown gender; ``known`` takes only those."""
    sent = art.sent_of(pos)
    unknown: _Name | None = None
    for k in range(sent, max(-1, sent - back), -1):
        s_start, s_end = art.sents[k]
        cands = [
            n
            for n in art.names
            if n.label == "PERSON"
            and s_start <= n.span[0] < s_end
            and n.span[1] <= pos
            and n.span[0] >= after
        ]
        for n in cands:
            full = art.full_form(n)
            g = art.gender(full)
            if gender and g and g != gender:
                continue
            if gender and not g:
                unknown = unknown or full
                continue
            return full
        if after >= 0 and s_start <= after:
            break
    return None if known else unknown


def _nearest_group(
    art: _Article, pos: int, *, after: int = -1, number: int | None = None, back: int = 6, single: bool = True
) -> list[_Name]:
    """Antecedent of "they" or "the two groups": coordinated names, else an organisation, nearest first."""
    sent = art.sent_of(pos)
    lone: list[_Name] = []
    for k in range(sent, max(-1, sent - back), -1):
        s_start, s_end = art.sents[k]
        cands = [
            n
            for n in art.names
            if s_start <= n.span[0] < s_end
            and n.span[1] <= pos
            and n.span[0] >= after
            and n.label in {"PERSON", "ORG"}
        ]
        for run in _coordinated(art, cands):
            if len(run) >= 2 and (number is None or len(run) == number):
                return [art.full_form(n) if n.label == "PERSON" else n for n in run]
        orgs = [n for n in cands if n.label == "ORG"]
        if orgs and not lone and k >= sent - 2:
            lone = [orgs[0]]
        if after >= 0 and s_start <= after:
            break
    return lone if number is None and single else []


_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "both": 2}


# Modifiers that say nothing about which organisation is meant ("the local council", "the new firm").
_GENERIC_MODIFIERS = frozenset(
    "local national regional federal state new former same other largest biggest big small private public "
    "whole entire main".split()
)


def _same_word(a: str, b: str) -> bool:
    """The same word give or take an inflection ("seafood" / "seafoods")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 2


def _resolve_nominal(
    art: _Article,
    words: list[str],
    pos: int,
    history: list[_Said],
    role_text: dict[Offsets, list[str]],
) -> tuple[list[_Name], Offsets | None]:
    if not words:
        return [], None
    det = words[0]
    content = [w for w in words if w not in {"the", "a", "an"}]
    if not content:
        return [], None
    head = content[-1]
    if det not in {"the", "both", "this", "that", "these", "those"} and re.search(
        r"\bthe\s+[\w-]+,\s*$", art.text[max(0, pos - 30) : pos], re.IGNORECASE
    ):
        det = "the"  # "the lanky, bespectacled professor": the mention starts after the comma
    if det not in {"the", "both", "this", "that", "these", "those"}:
        return [], None  # "a senior source", "experts", "campaigners": honestly unresolved
    number = next((_NUMBERS[w] for w in content if w in _NUMBERS), None)
    plural = _is_plural(words)
    # an earlier indefinite mention with the same head ("A senior official … the official") is the same, unnamed
    for h in reversed(history):
        if h.kind != "nominal" or h.names:
            continue
        prev_words = [w.lower() for w in _WORD_RE.findall(art.text[h.mention[0] : h.mention[1]])]
        if prev_words and prev_words[-1] == head:
            return [], h.ref or h.mention
    if head in DOCUMENT_NOUNS:
        return [], None  # "the letter", "the report": the document speaks
    singular_head = head[:-1] if plural and head.endswith("s") else head
    if plural and (singular_head in _ORG_HEADS or singular_head in {"organisation", "organization", "party"}):
        return _nearest_group(art, pos, number=number), None
    if plural:
        return [], None
    if head in _ORG_HEADS:
        sent = art.sent_of(pos)
        orgs = [
            n
            for n in art.names
            if n.span[1] <= pos and n.label == "ORG" and art.sent_of(n.span[0]) >= sent - 6
        ]
        mods = [w for w in content[:-1] if w not in _NUMBERS and w not in _GENERIC_MODIFIERS]
        for n in reversed(orgs):
            if head in n.key or any(_same_word(m, w) for m in mods for w in n.key):
                return [
                    n
                ], None  # "the museum" → "the Jewish Museum", "the seafood company" → "Threlfall Seafoods"
        if mods:
            return [], None  # "the fire service" is not whichever organisation was named last
        return ([orgs[-1]] if orgs else []), None
    described = head in PERSON_NOUNS or any(_AGE_RE.search(w) for w in content)
    if head in _PERSON_ROLE_HEADS or head in ROLE_NOUNS or described:
        # a role the article stated for someone ("the chief fire officer"), or a description of
        # someone named ("the 26-year-old right wing", "the lanky, bespectacled professor")
        role_mods = set(content[:-1])
        best: tuple[int, int, _Name] | None = None
        for n in art.names:
            if n.label != "PERSON" or n.span[1] > pos:
                continue
            full = art.full_form(n)
            for role in role_text.get(full.span, ()):
                rw = set(re.findall(r"[^\W_]+", role))
                if head in rw:
                    score = (1 + len(role_mods & rw), n.span[0])
                    if best is None or score >= best[:2]:
                        best = (score[0], score[1], full)
        if best is not None:
            return [best[2]], None
        # otherwise the person who spoke last, or the nearest subject, when near
        for h in reversed(history[-2:]):
            if len(h.names) == 1 and h.names[0].label == "PERSON" and h.kind == "name":
                if art.sent_of(h.mention[0]) >= art.sent_of(pos) - 3:
                    return list(h.names), None
        near = _nearest(art, pos, "", back=3)  # mentioned in this sentence or the two before
        if near is not None:
            return [near], None
    return [], None


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
