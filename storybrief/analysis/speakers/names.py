"""Names in one article: cleaning a name span, its key and gender, and the article view
(:class:`_Article`) that every later step reads its names, pronouns and sentences from.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..quotes import ROLE_NOUNS
from ..quotes.context import _ent_tuple
from .lexicon import (
    _CLUB_ENDS,
    _FEMALE_NAMES,
    _FEMALE_TITLES,
    _MALE_NAMES,
    _MALE_TITLES,
    _NAME_LABELS,
    _ORG_HEADS,
    _PRONOUN_RE,
    _WORD_RE,
    COURTESY_TITLES,
    OFFICE_TITLES,
    Offsets,
)


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


# The last word of a company's name ("Samsung Electronics Co.", "Rogers Communications Inc.").
_FIRM_ENDS = frozenset("co inc corp ltd llc llp plc limited corporation company group holdings".split())


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
        # A known first name and one or two more capitalised words, tagged an organisation, is a
        # person ("Amanda Nunes", "Alison Uncles"), unless an organisation word is in it.
        for n in self.names:
            if (
                n.label == "ORG"
                and 2 <= len(n.key) <= 3
                and n.key[0] in _MALE_NAMES | _FEMALE_NAMES
                and all(w[:1].isupper() for w in self.text[n.span[0] : n.span[1]].split())
                and not any(w in _ORG_HEADS or (w,) in _CLUB_ENDS for w in n.key)
            ):
                n.label = "PERSON"
        # A single word that is the surname of a person named in full is that person, and so is
        # a known first name of exactly one ("Jayme" for Jayme Closs, tagged an organisation).
        surnames = {n.key[-1] for n in self.names if n.label == "PERSON" and len(n.key) >= 2}
        full = [n for n in self.names if n.label == "PERSON" and len(n.key) >= 2 and not _initials(n.key)]
        firsts: dict[str, set[tuple[str, ...]]] = {}
        for n in full:
            if n.key[0] in _MALE_NAMES | _FEMALE_NAMES:
                firsts.setdefault(n.key[0], set()).add(n.key)
        self._first_names = {k: next(iter(v)) for k, v in firsts.items() if len(v) == 1}
        for n in self.names:
            if len(n.key) == 1 and (n.key[0] in surnames or n.key[0] in self._first_names):
                n.label = "PERSON"
        # A one-word person who is nobody's surname but opens exactly one full name is that
        # person, first name or not: "Mahathir" for Mahathir Mohamad, "Kim" for Kim Jong-un.
        # Shared by several, it is the one named in full most often, first ("Kim" for Kim Jong-un,
        # not Kim Yong-chol named once further down).
        leads: dict[str, Counter[tuple[str, ...]]] = {}
        for n in full:
            if not _title_case_line(self.text, n.span[0]):  # "Obama Says …" in a headline
                leads.setdefault(n.key[0], Counter())[n.key] += 1
        for k, counts in leads.items():
            ranked = counts.most_common()  # ties in order of first mention
            if k not in surnames and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
                self._first_names.setdefault(k, ranked[0][0])
        for n in self.names:
            if len(n.key) == 1 and n.label == "ORG" and n.key[0] in self._first_names:
                n.label = "PERSON"  # "Jayme", tagged an organisation where the sentence is odd

    def _gender_by_surname(self) -> dict[str, str]:
        """Gender by surname: from a title or a first name, else from the pronouns that follow the
        person where they are the only person named ("Stanovaya said … She added …")."""
        out: dict[str, str] = {}
        self._full_genders: dict[tuple[str, ...], str] = {}
        firsts: dict[str, set[str]] = {}
        titled: set[str] = set()  # surnames whose gender a title gives ("Ms. Finell")
        for n in self.names:
            if n.label != "PERSON":
                continue
            words = list(n.key)
            if len(words) >= 2 and not _initials(n.key):
                firsts.setdefault(words[-1], set()).add(words[0])
            g = gender_of([self.text[n.span[0] : n.span[1]].split()[0]] + words[1:], n.title) if words else ""
            if g and gender_of([], n.title):
                titled.add(words[-1])
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
            if key in titled or key in shared:
                continue
            start = max(n.span[1] for n in self.names if n.sent == k and n.key and n.key[-1] == key)
            end = self.sents[k][1]
            if k + 1 < len(self.sents) and k + 1 not in by_sent:
                end = self.sents[k + 1][1]
            counts = votes.setdefault(key, [0, 0])
            for m in _PRONOUN_RE.finditer(self.text, start, end):
                counts[0 if m.group().lower() in {"he", "him", "his"} else 1] += 1
        for key, (male, female) in votes.items():
            voted = "m" if male > female else "f"
            if key not in out and max(male, female) >= 2 and min(male, female) * 3 <= max(male, female):
                out[key] = voted
            elif key in out and out[key] != voted and max(male, female) >= 2 and min(male, female) == 0:
                # the pronouns used for the person overrule a first name ("Lee Finell … she")
                out[key] = voted
                for full in [f for f in self._full_genders if f[-1] == key]:
                    self._full_genders[full] = voted
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
        if name.label == "ORG" and len(name.key) == 1:
            # "Samsung" for Samsung Electronics Co.: the one company name it opens (not "DNC" for
            # the DNC Rules Committee, nor "U.N." for the U.N. Security Council)
            firms = {
                o.key
                for o in self.names
                if o.label == "ORG" and len(o.key) > 1 and o.key[0] == name.key[0] and o.key[-1] in _FIRM_ENDS
            }
            if len(firms) == 1:
                (key,) = firms
                return next(o for o in self.names if o.key == key)
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
    alone = {text[s:e] for s, e, label in ents if label in _NAME_LABELS and " " not in text[s:e]}
    out = []
    for s, e, label in ents:
        if label not in _NAME_LABELS or _credit(text, s, e):
            continue
        span = clean_name_span(text, s, e, org_words=org_words, person=label == "PERSON")
        if span is None:
            continue
        if label == "PERSON":
            span = _with_first_name(text, span, alone)
        if label == "PERSON" and name_key(text[span[0] : span[1]])[-1:] in _CLUB_ENDS:
            label = "ORG"  # "Fenwick United", a bare "Rovers": the small tagger's people that are clubs
        if label == "PERSON" and _PLACE_ABBREV_RE.match(text, span[0]) and _after_place(text, span[0]):
            label = "GPE"  # "Oakville, Ont.", "Dundas, Ont.": a state or province, not a person
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
    out.extend(_bare_surnames(text, out, taken))
    out.sort(key=lambda n: n.span)
    return tuple(out)


def _with_first_name(text: str, span: Offsets, alone: set[str]) -> Offsets:
    """A surname tagged without the first name before it ("13-year-old Jayme Closs" tagged
    "Closs"): the span takes a capitalised word before it that is a known first name or a name
    the article uses alone ("Jayme told police …")."""
    if " " in text[span[0] : span[1]].strip():
        return span
    m = re.search(r"\b([A-Z][a-z]+)\s$", text[max(0, span[0] - 30) : span[0]])
    if m is None:
        return span
    word = m.group(1)
    low = word.lower()
    if low in COURTESY_TITLES or low in OFFICE_TITLES or low in ROLE_NOUNS:
        return span
    if low in _MALE_NAMES or low in _FEMALE_NAMES or word in alone:
        return (span[0] - len(m.group(0)), span[1])
    return span


def _credit(text: str, start: int, end: int) -> bool:
    """Is the entity a byline or photo credit ("Lauren Pelley / CBC News", "Doug Ives/Canadian
    Press"), not a name of its own?"""
    return "/" in text[start:end] or "\n" in text[start:end]


# "Ont.", "Mo.", "Sask.": a short capitalised abbreviation right after "<Place>, "
_PLACE_ABBREV_RE = re.compile(r"[A-Z][a-z]{1,4}\.")


def _after_place(text: str, pos: int) -> bool:
    return re.search(r"[A-Z][\w.’'\-]+,\s$", text[max(0, pos - 40) : pos]) is not None


_CAP_WORD_RE = re.compile(r"\b[A-Z][^\W\d_]+\b")
_LOWER_WORD_RE = re.compile(r"\b[a-z][^\W\d_]*\b")


def _bare_surnames(text: str, found: Sequence[NameMention], taken: Sequence[Offsets]) -> list[NameMention]:
    """The surname of a person named in full, alone where the tagger saw nothing ("Lonechild was
    elected …" after "Darian Lonechild"): a person too.  Only a surname never written in lower
    case in the article ("May", "Young" as words are left alone)."""
    surnames = set()
    for m in found:
        key = name_key(text[m.span[0] : m.span[1]])
        if m.label == "PERSON" and len(key) >= 2 and not _initials(key):
            word = text[m.span[0] : m.span[1]].split()[-1]
            if word[:1].isupper() and word.isalpha() and len(word) >= 3:
                surnames.add(word)
    out: list[NameMention] = []
    if not surnames:
        return out
    lower = set(_LOWER_WORD_RE.findall(text))
    surnames = {w for w in surnames if w.lower() not in lower}
    spans = sorted([*taken, *(m.span for m in found)])
    for hit in _CAP_WORD_RE.finditer(text):
        if hit.group() not in surnames or re.match(r"-|\s+[A-Z]", text[hit.end() : hit.end() + 3]):
            continue  # "Lonechild-Smith", "Young Liberals"
        span = hit.span()
        k = bisect.bisect_left(spans, (span[1],))
        if any(s < span[1] and span[0] < e for s, e in spans[max(0, k - 4) : k]):
            continue
        out.append(NameMention(span, "PERSON", _title_before(text, span[0], span[0]), span))
    return out


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
