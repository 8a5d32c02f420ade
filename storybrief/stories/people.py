"""People and organisations across a story: one canonical entity per real person or organisation.

:func:`build_people` gathers every person and organisation name in the
story's articles (syndicated copies left out: a copy is not another outlet's
reporting) and merges the mentions that name the same entity:

* the same words once titles and case are set aside ("JEREMY Corbyn",
  "Jeremy Corbyn", "Mr Corbyn" in an article that names him in full);
* a surname, or initials and surname ("Corbyn", "E. J. Pardoe"), when exactly
  one person in the story has that surname;
* an acronym and its expansion ("JLM", "Jewish Labour Movement"), and an
  organisation's name with or without a trailing "Party" or qualifier ("Board
  of Deputies", "Board of Deputies of British Jews");
* a bare club word and the story's one club named with it ("Rovers",
  "Kellhaven Rovers").  A name ending in a club word ("Fenwick United") is an
  organisation whatever the tagger said (:data:`~storybrief.analysis.speakers.CLUB_WORDS`).

Not everything the tagger calls a person or organisation is one.  Left out:

* the article's own outlet ("The Herald has learned", "Photograph: Courier
  staff", a "By Coastal Press Agency staff" byline): the reporter, not a party
  to the story;
* places: names the story's articles tag as places (GPE, LOC, FAC) at least as
  often as people or organisations ("Kellhaven"), and names that end in, or
  run on into, a street or waterside word ("Quay Terrace", "St. Merrow's
  Quay", "Harbour Row") unless a title or a first name makes them a person.

Each :class:`Person` then gets a display name (the fullest, properly cased
form), a kind voted over all its mentions (so "Labour" tagged PERSON once is
still an organisation), aliases as written, roles with the outlets that state
them (from appositions, pre-modifiers, office titles and the nominals that
resolve to it, see :mod:`storybrief.analysis.speakers`) and mention counts per
outlet.  Every mention is a span into its article.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..analysis.speakers import (
    CLUB_WORDS,
    COURTESY_TITLES,
    OFFICE_TITLES,
    find_names,
    fix_case,
    gender_of,
    name_key,
)
from ..articles import Span
from ..schema import Counts
from .model import Story

if TYPE_CHECKING:
    from .._disjoint import DisjointSet

PERSON_KINDS = ("person", "organisation")

_STOP = frozenset("of the and for in on at to a an &".split())
_ORG_SUFFIX = frozenset("party inc ltd plc llc group corp corporation co company".split())
_LABEL_KIND = {"PERSON": "person", "ORG": "organisation", "NORP": "organisation", "GPE": "organisation"}
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_ACTOR_LABELS = frozenset({"PERSON", "ORG"})
# The last word of a street, a waterside or a landmark name.  Words that are also common
# surnames ("Lane", "Hill", "Green", "Park") are left out: a tagger's PERSON there is often right.
PLACE_NOUNS = frozenset(
    "quay quays terrace row street road avenue square crescent wharf pier piers embankment parade "
    "boulevard esplanade promenade mews gardens harbour harbor docks dockside marina waterfront "
    "estuary island peninsula motorway highway".split()
)


@dataclass(frozen=True)
class PersonRole:
    """A role stated for a person, the outlets that state it, and where."""

    text: str
    outlets: tuple[str, ...]
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Person:
    """One person or organisation across the story.

    ``name`` is the display name (derived, case fixed); ``aliases`` are the
    other forms the articles use, as written; ``mentions`` counts name
    mentions per outlet; ``spans`` are all those mentions.
    """

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    roles: tuple[PersonRole, ...]
    mentions: Counts
    spans: tuple[Span, ...]

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(o for o, _ in self.mentions)

    @property
    def mention_count(self) -> int:
        return sum(n for _, n in self.mentions)


@dataclass
class _Mention:
    article: int
    span: tuple[int, int]
    label: str
    title: str
    surface: str  # the name as written, with its title ("Ms Morris")
    key: tuple[str, ...]


def _acronym(key: tuple[str, ...]) -> str:
    return "".join(w[0] for w in key if w not in _STOP and w)


def _is_acronym(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2,6}", text.replace(".", "")))


def _outlet_words(story: Story, index: int) -> tuple[frozenset[str], str]:
    """The words of an article's outlet name ("the kellhaven courier") and its masthead noun ("courier")."""
    article = story.articles[index].article
    words: list[str] = []
    for name in (article.outlet, story.outlet(index)):
        words.extend(w for w in name_key(name or "") if w != "the")
    return frozenset(words), (words[-1] if words else "")


def is_outlet_mention(key: tuple[str, ...], outlet: tuple[frozenset[str], str]) -> bool:
    """Does a name key name the article's own outlet ("Courier", "The Herald", "Coastal Press Agency")?"""
    words, masthead = outlet
    return bool(key) and bool(masthead) and masthead in key and set(key) <= words


def _mentions(story: Story) -> list[_Mention]:
    out: list[_Mention] = []
    for i in story.originals:
        item = story.articles[i]
        text = item.article.text
        outlet = _outlet_words(story, i)
        for m in find_names(text, item.analysis.entities):
            if m.label not in {"PERSON", "ORG"}:
                continue
            s, e = m.span
            if not text[s].isupper() and not text[s].isdigit():
                continue  # "pro-Corbyn": a modifier, not a name
            surface = text[s:e]
            if m.title and m.title[:1].isupper():
                surface = f"{m.title} {surface}"  # "Ms Morris", as written
            surface = re.sub(r"[’']s$", "", surface.strip())
            key = name_key(text[s:e])
            if key and is_outlet_mention(key, outlet):
                continue  # the reporting outlet itself: "The Herald has learned", a byline
            if key:
                out.append(_Mention(i, (s, e), m.label, m.title, surface, key))
        # names only the speaker resolution found ("Mr Streeting" when the NER missed it)
        known = {m.span for m in out if m.article == i}
        for q in item.analysis.quotes:
            for s, e in q.speaker_names:
                if (s, e) not in known and not is_outlet_mention(name_key(text[s:e]), outlet):
                    known.add((s, e))
                    out.append(_Mention(i, (s, e), "PERSON", "", text[s:e], name_key(text[s:e])))
    return out


def _label_counts(story: Story) -> dict[tuple[str, ...], Counter[str]]:
    """How the tagger labels each name across the story's articles, places included."""
    counts: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for i in story.originals:
        item = story.articles[i]
        text = item.article.text
        for m in find_names(text, item.analysis.entities):
            counts[name_key(text[m.span[0] : m.span[1]])][m.label] += 1
        for ent in item.analysis.entities:
            if ent.label in {"LOC", "FAC"}:
                key = tuple(w for w in name_key(text[ent.start : ent.end]) if w != "the")
                counts[key][ent.label] += 1
    return counts


_NEXT_WORD_RE = re.compile(r"(?:[’']s)?\s+([A-Z][a-z]+)\b")


def _is_place(story: Story, ms: list[_Mention], labels: dict[tuple[str, ...], Counter[str]]) -> bool:
    """Is this cluster a place the tagger took for a person or an organisation?"""
    if any(m.title for m in ms) or any(len(m.key) >= 2 and gender_of(m.key) for m in ms):
        return False  # "Mr Street", "Maria Terrace": a title or a first name makes a person
    keys = {m.key for m in ms}
    place = sum(labels[k][lab] for k in keys for lab in _PLACE_LABELS)
    actor = sum(labels[k][lab] for k in keys for lab in _ACTOR_LABELS)
    if place >= actor:
        return True  # "Kellhaven": a town, whatever one mention was tagged
    for m in ms:
        if m.key[-1] in PLACE_NOUNS:
            return True  # "Quay Terrace", "Kellhaven quay", a bare "Quay"
        text = story.articles[m.article].article.text
        nxt = _NEXT_WORD_RE.match(text, m.span[1])
        if nxt and nxt.group(1).lower() in PLACE_NOUNS:
            return True  # "St. Merrow" of "St. Merrow's Quay"
        before = text[max(0, m.span[0] - 30) : m.span[0]].split()
        if before and before[-1][:1].isupper() and before[-1].lower() in PLACE_NOUNS and len(m.key) == 1:
            return True  # "Row" of "Harbour Row" cut by the tagger
    return False


def _link(mentions: list[_Mention], story: Story) -> DisjointSet:
    """The mention keys (``uf.merge``-d) that name one person or organisation."""
    from .._disjoint import DisjointSet

    uf = DisjointSet()
    by_key: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for idx, m in enumerate(mentions):
        by_key[m.key].append(idx)
        uf.add(m.key)
    label_votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for m in mentions:
        label_votes[m.key][m.label] += 1

    def is_person(key: tuple[str, ...]) -> bool:
        v = label_votes[key]
        return v["PERSON"] >= v["ORG"]

    full_persons = [
        k for k in by_key if len(k) >= 2 and is_person(k) and not all(len(w) == 1 for w in k[:-1])
    ]
    # 1. surnames and initials, inside each article first (where "Mr Corbyn" is unambiguous)
    for i in story.originals:
        keys = {m.key for m in mentions if m.article == i}
        fulls = [k for k in keys if k in full_persons]
        for k in keys:
            cands = _full_matches(k, fulls)
            if len(cands) == 1:
                uf.merge(k, cands[0])
    # 2. then across the story, when only one person has that surname
    for k in by_key:
        if k in full_persons:
            continue
        cands = _full_matches(k, full_persons)
        if len(cands) == 1 or (len({uf[c] for c in cands}) == 1 and cands):
            uf.merge(k, cands[0])
    # full names that differ only by a middle name or initial: "Donald J. Trump" / "Donald Trump"
    for a in full_persons:
        for b in full_persons:
            if a < b and a[0] == b[0] and a[-1] == b[-1]:
                uf.merge(a, b)
    # a bare "Rovers" is the one club of the story whose name ends in it
    for k in by_key:
        if len(k) == 1 and k[0] in CLUB_WORDS:
            clubs = [b for b in by_key if len(b) >= 2 and b[-1] == k[0]]
            if len(clubs) == 1:
                uf.merge(k, clubs[0])
    # 3. organisations: acronyms, a trailing "Party", a longer name that extends a shorter one
    orgs = [k for k in by_key if not is_person(k)]
    acronyms = {_acronym(k): k for k in orgs if len(k) >= 2 and len(_acronym(k)) >= 2}
    for k in orgs:
        if len(k) == 1 and k[0] in acronyms:
            surface = next(mentions[j].surface for j in by_key[k])
            if _is_acronym(surface):
                uf.merge(k, acronyms[k[0]])
    for a in orgs:
        stripped = tuple(w for w in a if w not in _ORG_SUFFIX)
        for b in orgs:
            if a == b:
                continue
            b_stripped = tuple(w for w in b if w not in _ORG_SUFFIX)
            if stripped and stripped == b_stripped:
                uf.merge(a, b)
            elif len(a) >= 2 and len(b) > len(a) and b[: len(a)] == a and b[len(a)] == "of":
                uf.merge(a, b)  # "board of deputies" / "board of deputies of british jews"
    return uf


def _full_matches(key: tuple[str, ...], fulls: Iterable[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Full person names that ``key`` can be short for: its surname, or initials plus surname."""
    out = []
    for f in fulls:
        if f == key or f[-1] != key[-1]:
            continue
        if len(key) == 1:
            out.append(f)
        elif all(len(w) == 1 for w in key[:-1]) and key[0] == f[0][0]:
            out.append(f)  # "e j pardoe" → "edwin pardoe"
    return out


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "entity"


def _display_name(surfaces: Counter[str], kind: str) -> str:
    def plain(s: str) -> str:
        words = s.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in COURTESY_TITLES | OFFICE_TITLES:
            words = words[1:]
        return " ".join(words)

    forms: Counter[str] = Counter()
    for s, n in surfaces.items():
        forms[fix_case(plain(s))] += n

    def rank(form: str) -> tuple[int, int, int, int]:
        words = form.split()
        initials = sum(1 for w in words[:-1] if len(w.rstrip(".")) == 1)
        if kind == "person":
            return (min(len(words), 3) - initials, 0 if form.isupper() else 1, forms[form], -len(form))
        short = _is_acronym(form) or (
            len(words) == 1 and form.lower() in CLUB_WORDS
        )  # "JLM", a bare "Rovers"
        return (0 if short else 1, forms[form], len(words), -len(form))

    return max(forms, key=rank)


def build_people(story: Story) -> tuple[Person, ...]:
    """Every person and organisation named in the story, most mentioned first (a pure function)."""
    mentions = _mentions(story)
    if not mentions:
        return ()
    clusters = _clusters(story, mentions)
    evidence = _gather_evidence(story, clusters)
    surnames = {m.key[-1] for m in mentions if m.label == "PERSON" and len(m.key) >= 2 and gender_of(m.key)}
    people = [_person(story, root, ms, evidence, surnames) for root, ms in clusters.items()]
    people.sort(key=lambda p: (-p.mention_count, p.name))
    return _with_ids(people)


def _clusters(story: Story, mentions: list[_Mention]) -> dict[Any, list[_Mention]]:
    """The mentions of each entity, places and unsupported bare words left out."""
    uf = _link(mentions, story)
    clusters: dict[Any, list[_Mention]] = defaultdict(list)
    for m in mentions:
        clusters[uf[m.key]].append(m)
    labels = _label_counts(story)
    clusters = {root: ms for root, ms in clusters.items() if not _is_place(story, ms, labels)}
    return _settle_bare_words(story, clusters)


@dataclass
class _Evidence:
    """What the articles say about each entity besides its name (by cluster root): roles as
    (text, span, outlet), nominal speaker mentions that are aliases, and pronouns that refer to it."""

    roles: dict[Any, dict[str, list[tuple[str, Span, str]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    aliases: dict[Any, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    pronouns: dict[Any, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add_role(self, root: Any, written: str, start: int, article_id: str, outlet: str) -> None:
        """The role in ``written`` (a phrase starting at ``start``), if it names one."""
        role = _clean_role(written)
        if role:
            begin = start + written.index(role)
            self.roles[root][role.lower()].append((role, Span(article_id, begin, begin + len(role)), outlet))


def _gather_evidence(story: Story, clusters: dict[Any, list[_Mention]]) -> _Evidence:
    """Roles, nominal aliases and pronouns from the analysis of the story's original articles."""
    span_owner: dict[tuple[int, tuple[int, int]], Any] = {}
    for root, ms in clusters.items():
        for m in ms:
            span_owner[(m.article, m.span)] = root
    evidence = _Evidence()
    for i in story.originals:
        item = story.articles[i]
        text = item.article.text
        outlet = story.outlet(i)
        for r in item.analysis.roles:
            root = span_owner.get((i, r.name))
            if root is not None:
                evidence.add_role(root, text[r.role[0] : r.role[1]], r.role[0], item.article.id, outlet)
        for q in item.analysis.quotes:
            if not q.speaker_names or q.speaker is None:
                continue
            roots = {span_owner.get((i, (n[0], n[1]))) for n in q.speaker_names} - {None}
            if len(roots) != 1:
                continue
            root = roots.pop()
            mention = text[q.speaker[0] : q.speaker[1]]
            if q.speaker_kind == "nominal":
                evidence.aliases[root][mention] += 1
                evidence.add_role(root, mention, q.speaker[0], item.article.id, outlet)
            elif q.speaker_kind == "pronoun":
                evidence.pronouns[root][mention.lower()] += 1
    return evidence


def _kind(story: Story, ms: list[_Mention], pronouns: Counter[str], surnames: set[str]) -> str:
    """Person or organisation, voted over the mentions, the pronouns and the names' shape."""
    votes: Counter[str] = Counter()
    for m in ms:
        # a courtesy title makes a person, whatever the tagger said; ", which" makes an organisation
        if m.title.lower().rstrip(".") in COURTESY_TITLES:
            votes["PERSON"] += 1
        elif _followed_by_which(story, m):
            votes["ORG"] += 2
        else:
            votes[m.label] += 1
    if pronouns["he"] + pronouns["she"] > pronouns["it"]:
        votes["PERSON"] += sum(pronouns.values())
    if any(len(m.key) >= 2 and gender_of(m.surface.split()[-2:]) for m in ms):
        votes["PERSON"] += 1
    if any(
        len(m.key) == 2 and m.key[0] in surnames and m.key[1] not in surnames and not gender_of(m.key)
        for m in ms
    ) and not any(len(m.key) >= 2 and gender_of(m.key) for m in ms):
        votes["ORG"] += len(ms)  # "Threlfall Seafoods": a family name then a trade — a firm
    label = max(votes, key=lambda lab: (votes[lab], lab == "PERSON"))
    return _LABEL_KIND.get(label, "organisation")


def _person(story: Story, root: Any, ms: list[_Mention], evidence: _Evidence, surnames: set[str]) -> Person:
    """One entity's record, before it gets its id."""
    kind = _kind(story, ms, evidence.pronouns[root], surnames)
    surfaces = Counter(m.surface for m in ms)
    name = _display_name(surfaces, kind)
    aliases = sorted(
        {s for s in surfaces if s != name} | set(evidence.aliases[root]), key=lambda a: (a.lower(), a)
    )
    per_outlet = Counter(story.outlet(m.article) for m in ms)
    spans = tuple(sorted(Span(story.articles[m.article].article.id, *m.span) for m in ms))
    roles = []
    for hits in evidence.roles[root].values():
        text_form = Counter(h[0] for h in hits).most_common(1)[0][0]
        roles.append(
            PersonRole(text_form, tuple(sorted({h[2] for h in hits})), tuple(sorted({h[1] for h in hits})))
        )
    roles.sort(key=lambda r: (-len(r.outlets), -len(r.spans), r.text.lower()))
    return Person(
        id="",
        name=name,
        kind=kind,
        aliases=tuple(aliases),
        roles=tuple(roles),
        mentions=tuple(sorted(per_outlet.items())),
        spans=spans,
    )


def _with_ids(people: list[Person]) -> tuple[Person, ...]:
    """Each person's id: the slug of its name, numbered from the second of a slug on."""
    seen: Counter[str] = Counter()
    out = []
    for p in people:
        slug = _slug(p.name)
        seen[slug] += 1
        pid = slug if seen[slug] == 1 else f"{slug}-{seen[slug]}"
        out.append(Person(pid, p.name, p.kind, p.aliases, p.roles, p.mentions, p.spans))
    return tuple(out)


def _settle_bare_words(story: Story, clusters: dict[Any, list[_Mention]]) -> dict[Any, list[_Mention]]:
    """Single words the tagger called people with nothing to show they are one.

    A person is shown by a title, a first name (a mention of two words or more), or by speaking
    or having a role in some article.  A bare word with none of these that begins an
    organisation's name is that organisation ("Dunmore" of "Dunmore Athletic", in "the Dunmore
    defence"); any other ("Stalingrad", "the Rothschilds") is left out of the list rather than
    typed as a person.
    """
    supported: set[tuple[int, tuple[int, int]]] = set()
    for i in story.originals:
        analysis = story.articles[i].analysis
        supported.update((i, (s, e)) for q in analysis.quotes for s, e in q.speaker_names)
        supported.update((i, tuple(r.name)) for r in analysis.roles)  # type: ignore[misc]
    org_first: dict[str, Any] = {}
    for root, ms in clusters.items():
        if all(m.label == "ORG" for m in ms):
            for m in ms:
                if len(m.key) >= 2:
                    org_first.setdefault(m.key[0], root)
    out: dict[Any, list[_Mention]] = {}
    moved: list[tuple[Any, list[_Mention]]] = []
    for root, ms in clusters.items():
        bare = all(len(m.key) == 1 and m.label == "PERSON" and not m.title for m in ms)
        if bare and not any((m.article, m.span) in supported for m in ms):
            home = org_first.get(ms[0].key[0])
            if home is not None:
                # counted under the organisation's full name, so the bare word never names it
                full = max((m.surface for m in clusters[home] if len(m.key) >= 2), key=len)
                moved.append((home, [replace(m, label="ORG", surface=full) for m in ms]))
            continue
        out[root] = ms
    for home, ms in moved:
        out[home] = out[home] + ms
    return out


def _followed_by_which(story: Story, m: _Mention) -> bool:
    text = story.articles[m.article].article.text
    return bool(re.match(r"[’']?s?,?\s+which\b", text[m.span[1] : m.span[1] + 12]))


def _clean_role(text: str) -> str:
    """ "a member of the Labour party" → "member of the Labour party"; "the Labour leader" → "Labour leader"."""
    words = text.strip().strip(",").split()
    while words and words[0].lower() in {"a", "an", "the", "its", "his", "her", "their"}:
        words = words[1:]
    return " ".join(words)


def person_of(people: Iterable[Person]) -> dict[Span, str]:
    """Person id by mention span: join quotes (``Quote.speaker_names``) to people."""
    out: dict[Span, str] = {}
    for p in people:
        for s in p.spans:
            out[s] = p.id
    return out


__all__ = ["PERSON_KINDS", "Person", "PersonRole", "build_people", "person_of"]
