"""Resolution: each quote's speaker mention to a name, by kind (a name, a pronoun, a nominal)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..quotes import DOCUMENT_NOUNS, PRONOUNS, ROLE_NOUNS, Quote
from .lexicon import (
    _AGE_RE,
    _FEMALE_NAMES,
    _MALE_NAMES,
    _NAME_LABELS,
    _ORG_HEADS,
    _ORG_LABELS,
    _PERSON_ROLE_HEADS,
    _STOP_LEAD,
    _WORD_RE,
    PERSON_NOUNS,
    Offsets,
)
from .names import _Article, _Name, name_key
from .roles import Role, _roles


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
    # words in quotation marks are someone's words: a name there does not take a pronoun speaker
    quoted = tuple(part for q in quotes if q.type == "direct" for part in q.parts)
    for q in quotes:
        if q.speaker is None:
            out.append(replace(q, speaker_kind="", speaker_names=(), speaker_ref=None))
            continue
        said = _resolve(art, q.speaker, history, role_text, cue=q.cue, content=(*q.parts, *quoted))
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
    from ..quotes import extract_quotes

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
    art: _Article,
    mention: Offsets,
    history: list[_Said],
    role_text: dict[Offsets, list[str]],
    *,
    cue: Offsets | None = None,
    content: Sequence[Offsets] = (),
) -> _Said:
    named = _named_head(art, mention, cue)
    if named is not None:
        return _Said(mention, "name", [art.full_form(named)], None, False)
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
        if not tail and not (last.label == "NORP" and words[:1] == ["the"] and words[-1] in PERSON_NOUNS):
            # the name is the head: "museum chief executive Abigail Morris", "Gideon Falter"
            # (but "the Kentucky Republican" describes a person, below)
            group = _group_ending(art, names, last)
            return _Said(mention, "name", [art.full_form(n) for n in group], None, len(group) > 1)
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
        names_, ref, plural = _resolve_pronoun(art, words[0], s, history, content, role_text)
        return _Said(mention, "pronoun", names_, ref, plural)
    names_, ref = _resolve_nominal(art, words, s, history, role_text)
    return _Said(mention, "nominal", names_, ref, plural or len(names_) > 1)


_COMPOUND_RE = re.compile(r"\s+(?:and|&|or)\s+")


def _named_head(art: _Article, mention: Offsets, cue: Offsets | None) -> _Name | None:
    """The person a mis-cut speaker phrase belongs to, where the phrase holds no person itself.

    * the phrase cuts the name: "Green party leader Elizabeth" of "… Elizabeth May";
    * the phrase is the first part of a compound whose head is the name: "oil" of "said oil and
      gas worker Mike Wipf";
    * the phrase is a piece of an apposition or relative clause after a name that opens the
      sentence, right before the cue: "Sarah Buckley, who attended …, played …, said"."""
    text = art.text
    s, e = mention
    if any(n.label == "PERSON" and s <= n.span[0] and n.span[1] <= e for n in art.names):
        return None
    for n in art.names:
        if (
            n.label == "PERSON"
            and s <= n.span[0] < e < n.span[1]
            and not text[e : n.span[1]].strip(" .’'-").count(" ")
        ):
            return n
    m = _COMPOUND_RE.match(text, e)
    if m is not None and re.fullmatch(r"[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*)*", text[s:e]):
        nxt = next((n for n in art.names if n.span[0] >= m.end()), None)
        if nxt is not None and nxt.label == "PERSON" and _premodifies(text, m.end(), nxt.span[0]):
            return nxt
    if cue is None or cue[0] < e or text[e : cue[0]].strip(" ,") or text[e : cue[0]].count(",") != 1:
        return None
    s_start = art.sents[art.sent_of(s)][0]
    first = next((n for n in art.names if n.span[0] >= s_start), None)
    if (
        first is not None
        and first.label == "PERSON"
        and first.span[1] < s
        and _opens(text, s_start, first.span[0])
        and text[first.span[1] : first.span[1] + 1] == ","
    ):
        return first
    return None


def _premodifies(text: str, start: int, name_start: int) -> bool:
    """Are the words from ``start`` to a name only lower-case role words ("gas worker ")?"""
    return bool(re.fullmatch(r"(?:[a-z][\w’'-]*\s+){1,4}", text[start:name_start]))


def _author(art: _Article, pos: int, history: list[_Said]) -> list[_Name]:
    """Who a document that speaks ("the statement", "a statement") is from: the named speaker of
    this sentence or the one before ("The association said in a statement that … The statement
    also said …"); none, and the document speaks ("the report", "the complaint")."""
    if history:
        h = history[-1]
        if h.names and h.kind == "name" and art.sent_of(h.mention[0]) >= art.sent_of(pos) - 1:
            return list(h.names)
    return []


def _by_role(
    art: _Article, head: str, mods: set[str], pos: int, role_text: dict[Offsets, list[str]]
) -> _Name | None:
    """The person named before ``pos`` whose stated role holds ``head`` ("mayor" for "Mayor Doug
    McCallum"), the one sharing most other words with it and, among equals, the last named."""
    best: tuple[int, int, _Name] | None = None
    for n in art.names:
        if n.label != "PERSON" or n.span[1] > pos:
            continue
        full = art.full_form(n)
        for role in role_text.get(full.span, ()):
            rw = set(re.findall(r"[^\W_]+", role))
            if head in rw:
                score = (1 + len(mods & rw), n.span[0])
                if best is None or score >= best[:2]:
                    best = (score[0], score[1], full)
    return best[2] if best is not None else None


# A sentence whose subject is a role ("On Dec. 13, the mayor brought up …"): the role's words.
_ROLE_SUBJECT_RE = re.compile(
    r"(?:[^,\n]{1,30},\s+)?[Tt]he\s+((?:[a-z][\w-]*\s+){0,2}?)([a-z][\w-]*)\s+[a-z]"
)


def _described_person(art: _Article, mention: Offsets) -> bool:
    """Does a nominal describe a human ("a spokesperson", "the 27-year-old"), so that "he" or
    "she" may stand for it?"""
    words = [w.lower().rstrip(".") for w in _WORD_RE.findall(art.text[mention[0] : mention[1]])]
    if not words:
        return False
    head = words[-1]
    return (
        head in PERSON_NOUNS
        or head in _PERSON_ROLE_HEADS
        or head in ROLE_NOUNS
        or any(_AGE_RE.search(w) for w in words)
    )


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
    seen = next((n for n in art.names if n.key == key and n.label != "PERSON"), None)
    if seen is not None:
        # an organisation or a place the tagger saw elsewhere ("Facebook", untagged here)
        return seen if seen.label == "ORG" else None
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
    art: _Article,
    pronoun: str,
    pos: int,
    history: list[_Said],
    content: Sequence[Offsets] = (),
    role_text: dict[Offsets, list[str]] | None = None,
) -> tuple[list[_Name], Offsets | None, bool]:
    """(names, description, plural) for a pronoun speaker; a name inside the quote's own
    ``content`` is never its antecedent ("Schumer, he said, knows …")."""
    if pronoun == "who":
        return _antecedent_of_who(art, pos)
    if pronoun in {"i", "we", "you"}:
        return [], None, pronoun == "we"
    sent = art.sent_of(pos)
    gender = {"he": "m", "she": "f"}.get(pronoun, "")
    recent = [h for h in history[-3:] if art.sent_of(h.mention[0]) >= sent - 4]
    if pronoun in {"he", "she"}:
        for h in reversed(recent):
            if h.plural or (h.kind == "name" and _subordinate(art, h.mention[0])):
                continue  # "Although Trump has tweeted …, …, he said": not Trump
            if len(h.names) == 1 and h.names[0].label == "PERSON":
                g = art.gender(h.names[0])
                if gender and g and g != gender:
                    continue
                # someone named since, who fits as well (a person of unknown gender does not
                # displace one known to fit)
                closer = _nearest(
                    art,
                    pos,
                    gender,
                    after=h.mention[1],
                    known=bool(gender and g),
                    subject=True,
                    exclude=content,
                    roles=role_text,
                )
                return ([closer] if closer is not None else list(h.names)), None, False
            if (
                not h.names
                and h.kind == "nominal"
                and art.sent_of(h.mention[0]) >= sent - 2
                and _described_person(art, h.ref or h.mention)
            ):
                closer = _nearest(art, pos, gender, after=h.mention[1], exclude=content, roles=role_text)
                if closer is not None:
                    return [closer], None, False
                return [], h.ref or h.mention, False
            break
        n = _nearest(art, pos, gender, exclude=content, roles=role_text) or _chain(art, pos, gender, history)
        return ([n] if n is not None else []), None, False
    if pronoun == "they":
        for h in reversed(recent):
            if h.plural or (h.names and h.names[0].label in _ORG_LABELS):
                nearer = _nearest_group(art, pos, after=h.mention[1], single=False)
                if nearer:
                    return nearer, None, True
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


def _chain(art: _Article, pos: int, gender: str, history: list[_Said], back: int = 15) -> _Name | None:
    """The last person quoted as "he"/"she" fits, when no one else who fits is named since: a
    pronoun that carries on a long passage about one speaker ("He has a son … he says")."""
    sent = art.sent_of(pos)
    for h in reversed(history):
        if art.sent_of(h.mention[0]) < sent - back:
            return None
        if h.plural or len(h.names) != 1 or h.names[0].label != "PERSON":
            continue
        g = art.gender(h.names[0])
        if g and g != gender:
            continue
        rivals = [
            n
            for n in art.names
            if n.label == "PERSON"
            and h.mention[1] <= n.span[0] < pos
            and art.full_form(n).key != h.names[0].key
            and art.gender(art.full_form(n)) in {gender, ""}
        ]
        return None if rivals else h.names[0]
    return None


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
    art: _Article,
    pos: int,
    gender: str,
    *,
    after: int = -1,
    known: bool = False,
    back: int = 6,
    subject: bool = False,
    exclude: Sequence[Offsets] = (),
    roles: dict[Offsets, list[str]] | None = None,
) -> _Name | None:
    """The nearest earlier person that fits, preferring each sentence's first (subject) mention.

    For "he"/"she", a person known to be of that gender (by title, first name or the pronouns
    used for them) is preferred to a nearer one of unknown gender; ``known`` takes only those.
    ``subject`` takes, in the sentences before the pronoun's, only a person who opens a sentence
    (its subject): one named as an object ("… a request by Brian Hemming") does not take the
    pronoun from the speaker before."""
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
            and (not subject or k == sent or _opens(art.text, s_start, n.span[0]))
            and not any(a <= n.span[0] and n.span[1] <= b for a, b in exclude)
        ]
        if roles and k < sent:
            m = _ROLE_SUBJECT_RE.match(art.text, s_start, s_end)
            if m and (m.group(2) in _PERSON_ROLE_HEADS or m.group(2) in ROLE_NOUNS) and m.end() > after:
                # a role opens the sentence ("the mayor brought up …"): the person holding it
                held = _by_role(art, m.group(2), set(m.group(1).split()), pos, roles)
                if held is not None and (not gender or art.gender(held) in {gender, ""}):
                    return held
        lead = cands[0] if k == sent and cands else None
        if lead is not None and _opens_subordinate(art.text, s_start, lead.span[0]):
            g = art.gender(art.full_form(lead))
            if not (gender and g and g != gender):
                # the subject of a clause that opens the sentence: "Even though Greenspan has
                # worked with … Julia Child, she maintains …"
                return art.full_form(lead)
        for n in cands:
            full = art.full_form(n)
            g = art.gender(full)
            if gender and g and g != gender:
                continue
            if k == sent and gender and _PRONOUN_OF[gender].search(art.text, s_start, n.span[0]):
                continue  # "Asked what he would tell Mayor John Tory, he said": the pronoun is not him
            if gender and not g:
                if (
                    k == sent - 1
                    and n is cands[0]
                    and "\n" not in art.text[s_start:pos]
                    and _opens(art.text, s_start, n.span[0])
                ):
                    # the subject of the sentence just before, in the same paragraph, whatever
                    # its gender: "Spokesperson Lu Kang gave no details … But he said …"
                    return full
                unknown = unknown or full
                continue
            return full
        if after >= 0 and s_start <= after:
            break
    return None if known else unknown


# Words that open a subordinate clause: a name after one is not the sentence's subject
# ("Although Trump has tweeted …, voters were irritated, he said").
_SUBORDINATORS = frozenset(
    "although though when whenever if because while as since after before unless until".split()
)


def _opens_subordinate(text: str, s_start: int, name_start: int) -> bool:
    """Is the name the subject of a subordinate clause opening the sentence ("Although X …")?"""
    words = [w.lower() for w in _WORD_RE.findall(text[s_start:name_start])]
    return 1 <= len(words) <= 2 and words[-1] in _SUBORDINATORS and words[0] in _SUBORDINATORS | {"even"}


def _subordinate(art: _Article, pos: int) -> bool:
    """Is ``pos`` inside a subordinate clause that opens its sentence ("Although Trump has
    tweeted …, its inclusion …")?"""
    before = art.text[art.sents[art.sent_of(pos)][0] : pos]
    words = _WORD_RE.findall(before)
    return bool(words) and words[0].lower() in _SUBORDINATORS and "," not in before


_PRONOUN_OF = {
    "m": re.compile(r"\b(?:he|him|his)\b", re.IGNORECASE),
    "f": re.compile(r"\b(?:she|her|hers)\b", re.IGNORECASE),
}


def _opens(text: str, s_start: int, name_start: int) -> bool:
    """Does the name open its sentence: at most a title or a few words of description before it
    ("Ontario Superior Court Justice Sean Dunphy"), or a short fronted adverbial and its comma
    ("Down the street, Mike McFadden …"), and no subordinate clause?"""
    before = text[s_start:name_start]
    if before.count(",") == 1:
        lead, before = before.split(",")
        lead_words = [w.lower() for w in _WORD_RE.findall(lead)]
        # a subordinate clause of any length ("While he acknowledged …, Ham also noted") or a
        # short adverbial goes before the main clause's subject
        if not lead_words or (len(lead_words) > 4 and lead_words[0] not in _SUBORDINATORS):
            return False
    words = [w.lower() for w in _WORD_RE.findall(before)]
    return (
        "," not in before
        and len(words) <= 5
        and not (words and words[0] in _SUBORDINATORS)
        and not any(w in PRONOUNS for w in words)  # "he denied Mr. Hemming's request": an object
    )


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
# Places with a government that speaks for them ("the city said").
_GOVERNED_PLACES = frozenset({"city", "town", "province", "county"})


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
    if head in DOCUMENT_NOUNS and det in {"a", "an"}:
        return _author(art, pos, history), None  # "A statement said …"
    if det not in {"the", "both", "this", "that", "these", "those"} and re.search(
        r"\bthe\s+[\w-]+,\s*$", art.text[max(0, pos - 30) : pos], re.IGNORECASE
    ):
        det = "the"  # "the lanky, bespectacled professor": the mention starts after the comma
    if det not in {"the", "both", "this", "that", "these", "those"}:
        return [], None  # "a senior source", "experts", "campaigners": honestly unresolved
    number = next((_NUMBERS[w] for w in content if w in _NUMBERS), None)
    plural = _is_plural(words)
    if head in _GOVERNED_PLACES and content == [head]:
        # "according to the city": the City of Surrey named before speaks
        places = [n for n in art.names if n.span[1] <= pos and n.label == "GPE" and n.key[:2] == (head, "of")]
        return places[-1:], None
    # an earlier indefinite mention with the same head ("A senior official … the official") is the same, unnamed
    for h in reversed(history):
        if h.kind != "nominal" or h.names:
            continue
        prev_words = [w.lower() for w in _WORD_RE.findall(art.text[h.mention[0] : h.mention[1]])]
        if prev_words and prev_words[-1] == head:
            return [], h.ref or h.mention
    if head in DOCUMENT_NOUNS:
        return _author(art, pos, history), None  # "The statement also said …"
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
        if not mods:
            # the organisation quoted just before: "Facebook said … The company noted …"
            for h in reversed(history[-2:]):
                if len(h.names) == 1 and h.names[0].label == "ORG" and art.sent_of(h.mention[0]) >= sent - 2:
                    return list(h.names), None
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
        best = _by_role(art, head, set(content[:-1]), pos, role_text)
        if best is not None:
            return [best], None
        # otherwise the person who spoke last, or the nearest subject, when near
        for h in reversed(history[-2:]):
            if len(h.names) == 1 and h.names[0].label == "PERSON" and h.kind == "name":
                if art.sent_of(h.mention[0]) >= art.sent_of(pos) - 3:
                    return list(h.names), None
        near = _nearest(art, pos, "", back=3)  # mentioned in this sentence or the two before
        if near is not None:
            return [near], None
    return [], None
