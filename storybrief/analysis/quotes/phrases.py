"""Noun phrases without a parser: speakers before or after a cue, addressees and media, clause subjects."""

from __future__ import annotations

from .context import _Ctx
from .lexicon import _MEDIUM_NOUNS, _PLATFORMS, CUE_FORMS, SPEECH_FORMS
from .marks import _ALL_MARKS
from .model import Offsets
from .words import (
    _AUX,
    _CONJ,
    _DETERMINERS,
    _NAME_TITLES,
    _NUMERALS,
    _OBJ_PRONOUNS,
    _POSSESSIVES,
    _PREPOSITIONS,
    _TIME,
    PRONOUNS,
    ROLE_NOUNS,
    _is_adverb,
    _Tok,
)


def _has_name(ctx: _Ctx, toks: list[_Tok]) -> bool:
    return any(ctx.ent_label(t) in {"PERSON", "ORG", "NORP", "GPE"} for t in toks) or any(
        t.lower in PRONOUNS for t in toks
    )


def _span(toks: list[_Tok], i: int, j: int) -> Offsets:
    return (toks[i].start, toks[j - 1].end)


def _is_name_tok(ctx: _Ctx, tok: _Tok) -> bool:
    return tok.ent >= 0 and ctx.ent_label(tok) in {
        "PERSON",
        "ORG",
        "NORP",
        "GPE",
        "FAC",
        "LOC",
        "WORK_OF_ART",
        "PRODUCT",
    }


def _nounish(tok: _Tok) -> bool:
    """Could be part of a noun phrase (no POS tagger: a word that is not a function word)."""
    w = tok.lower
    if not tok.text[:1].isalnum():
        return False
    if w in _PREPOSITIONS or w in _CONJ or w in _AUX or w in PRONOUNS or w in _OBJ_PRONOUNS:
        return False
    if w in CUE_FORMS and not tok.text[:1].isupper():
        return False
    if w in {"that", "which", "whom", "whose", "what", "there", "here", "not", "to", "of"}:
        return False
    if (w in _DETERMINERS and not tok.text[:1].isdigit()) or w in _POSSESSIVES:
        return False
    if _is_adverb(w) and not tok.text[:1].isupper():
        return False
    return True


_SKIP_BEFORE_CUE = _AUX | {"here", "there", "too", "however", "meanwhile"}


def _after_title(toks: list[_Tok], i: int) -> bool:
    """Is token ``i`` a capitalised word right after a courtesy title ("Ms. May")?"""
    return i > 0 and toks[i].text[:1].isupper() and toks[i - 1].lower in _NAME_TITLES


def _np_backward(ctx: _Ctx, toks: list[_Tok], end: int, floor: int) -> tuple[int, int] | None:
    """The noun phrase ending just before token ``end`` (skipping auxiliaries), as token indices [i, j)."""
    j = _subject_end(toks, end, floor)
    if j <= floor:
        return None
    last = toks[j - 1]
    if last.lower in PRONOUNS:
        return (j - 1, j)  # "he", "they", and "who" (resolved to its antecedent later)
    if last.lower in {"that", "which"} and j - 1 > floor:
        # "a sign that read": the relative pronoun stands for the noun phrase before it
        k = j - 1
        while k > floor and toks[k - 1].text == ",":
            k -= 1
        return _np_backward(ctx, toks, k, floor) if k > floor and _nounish(toks[k - 1]) else None
    if last.text == ",":
        return _apposed_np(ctx, toks, j, floor)
    i, seen_noun = _np_start(ctx, toks, j, floor)
    if i >= j or not seen_noun:
        return None
    if (
        i - 1 > floor
        and toks[i - 1].text == ","
        and not toks[i].text[:1].isupper()
        and (toks[i].lower in ROLE_NOUNS or toks[i].lower in _DETERMINERS)
    ):
        head = _np_backward(ctx, toks, i - 1, floor)
        if head is not None and ctx.ent_label(toks[head[1] - 1]) == "PERSON":
            return (head[0], j)
    if j - i > 14:
        i = j - 14
    # A capitalised sentence opener that is not a name ("However") is not a speaker.
    while i < j - 1 and toks[i].lower in _OPENERS:
        i += 1
    return (i, j)


_OPENERS = frozenset("however but and meanwhile still yet now then so also".split())


def _subject_end(toks: list[_Tok], end: int, floor: int) -> int:
    """Where the subject before token ``end`` ends: auxiliaries, adverbs and a time phrase between
    subject and verb are skipped ("Corbyn last month said", "Trump on Tuesday said")."""
    j = end
    while j > floor:
        w = toks[j - 1]
        if w.lower in PRONOUNS:
            break
        if (
            w.lower in _SKIP_BEFORE_CUE or (_is_adverb(w.lower) and not w.text[:1].isupper())
        ) and not _after_title(toks, j - 1):
            j -= 1
            continue
        # a time phrase between subject and verb: "Corbyn last month said", "Trump on Tuesday said"
        # (but not a name after a title: "Ms. May said")
        if w.lower in _TIME and not _after_title(toks, j - 1):
            k = j - 1
            while k > floor and (
                toks[k - 1].lower in _TIME
                or toks[k - 1].text[:1].isdigit()
                or toks[k - 1].lower in {"on", "in", "at", "during", "earlier", "late", "early", "the"}
            ):
                k -= 1
            if k > floor:
                j = k
                continue
        break
    return j


def _apposed_np(ctx: _Ctx, toks: list[_Tok], j: int, floor: int) -> tuple[int, int] | None:
    """A subject with an apposition or relative clause before the comma at ``j - 1``:
    "Gideon Falter, chairman of …, said"."""
    k = j - 2
    while k > floor and toks[k].text != ",":
        if toks[k].text in {".", "?", "!", ";", ":"} or toks[k].text in _ALL_MARKS:
            return None
        k -= 1
    if k <= floor or toks[k].text != ",":
        return None
    inner = toks[k + 1 : j - 1]
    if not inner:
        return None
    head = _np_backward(ctx, toks, k, floor)
    if head is None:
        return None
    return (head[0], j - 1)


def _np_start(ctx: _Ctx, toks: list[_Tok], j: int, floor: int) -> tuple[int, bool]:
    """(first token, whether a noun was seen) of the noun phrase ending at ``j``: names, nouns,
    a parenthesis inside a name, a determiner, "the director of the FBI", "a spokesman for …"."""
    i = j
    seen_noun = False
    while i > floor:
        t = toks[i - 1]
        if (
            _is_name_tok(ctx, t)
            or _nounish(t)
            or _after_title(toks, i - 1)
            or (t.lower in {"&", "’s", "'s"} and seen_noun and i - 1 > floor)
        ):
            i -= 1
            seen_noun = True
            continue
        if t.text == ")":
            # a parenthesis inside the name: "Gov. Mary Fallin (R-OK)"
            k = i - 2
            while k > floor and toks[k].text != "(" and i - k < 8:
                k -= 1
            if k >= floor and toks[k].text == "(":
                i = k
                continue
            break
        if t.lower in _DETERMINERS or t.lower in _POSSESSIVES:
            i -= 1
            # "the two groups"
            if t.lower in _NUMERALS and i - 1 >= floor and toks[i - 1].lower in _DETERMINERS | _POSSESSIVES:
                i -= 1
            # "the director of the FBI"
            if i - 2 >= floor and toks[i - 1].lower == "of" and toks[i - 2].lower in ROLE_NOUNS:
                i -= 1
                continue
            break
        if (
            t.lower == "of"
            and seen_noun
            and i - 2 >= floor
            and (_nounish(toks[i - 2]) or toks[i - 2].lower in ROLE_NOUNS)
        ):
            i -= 1
            continue
        if (
            t.lower in {"for", "at", "with", "from"}
            and seen_noun
            and i - 2 >= floor
            and toks[i - 2].lower in ROLE_NOUNS
        ):
            i -= 1  # "a spokesman for House Speaker Paul Ryan"
            continue
        break
    return i, seen_noun


def _np_forward(ctx: _Ctx, toks: list[_Tok], start: int) -> tuple[int, int] | None:
    """The noun phrase starting at token ``start`` (``said Clinton``, ``said the former secretary of state``)."""
    n = len(toks)
    i = start
    if i >= n:
        return None
    if toks[i].lower in PRONOUNS and toks[i].lower not in {"who", "it"}:
        return (i, i + 1)
    j = i
    if toks[j].lower in _DETERMINERS or toks[j].lower in _POSSESSIVES:
        j += 1
    seen = False
    while j < n:
        t = toks[j]
        if _is_name_tok(ctx, t) or _after_title(toks, j) or (_nounish(t) and not (t.lower in _TIME and seen)):
            j += 1
            seen = True
            continue
        if t.lower in {"’s", "'s", "&"} and seen:
            j += 1
            continue
        if (
            t.lower == "of"
            and seen
            and j + 1 < n
            and (
                toks[j - 1].lower in ROLE_NOUNS
                or _is_name_tok(ctx, toks[j + 1])
                or (toks[j + 1].lower == "the" and j + 2 < n and toks[j + 2].text[:1].isupper())
            )
        ):
            j += 1
            continue
        break
    if not seen:
        return None
    # a parenthesis: "Rep. Jim Clyburn (D-S.C.)"
    if j < n and toks[j].text == "(":
        k = j + 1
        while k < n and toks[k].text != ")" and k - j < 8:
            k += 1
        if k < n and toks[k].text == ")":
            j = k + 1
    # apposition: ", a fellow with …" runs to the next comma or the end
    if j + 1 < n and toks[j].text == ",":
        k = j + 1
        while k < n and toks[k].text not in {",", ".", ";", "?", "!"} and toks[k].text not in _ALL_MARKS:
            k += 1
        seg = toks[j + 1 : k]
        first = seg[0] if seg else None
        if (
            first is not None
            and (
                first.lower in _DETERMINERS
                or first.lower in ROLE_NOUNS
                or first.lower in {"who", "whose"}
                or (_nounish(first) and not first.text[:1].isupper())
                or any(t.lower in ROLE_NOUNS for t in seg[:8])
            )
            and not any(t.lower in SPEECH_FORMS for t in seg)
        ):
            j = k
    return (i, j)


def _addressee(ctx: _Ctx, toks: list[_Tok], start: int) -> Offsets | None:
    """``told BBC Radio 4's Today programme``, ``said in a statement``, ``wrote on Twitter``, ``told reporters``."""
    n = len(toks)
    if start <= 0 or start > n:
        return None
    cue = toks[start - 1].lower
    i = start
    if cue in {
        "told",
        "tells",
        "tell",
        "telling",
        "informed",
        "assured",
        "reminded",
        "asked",
        "urged",
        "warned",
    }:
        sp = _np_forward(ctx, toks, i)
        if sp is not None and sp[1] > sp[0]:
            end = sp[1]
            while end > sp[0] and toks[end - 1].lower in _TIME:
                end -= 1
            if end > sp[0]:
                return _span(toks, sp[0], end)
    # said in a statement / said on Twitter / said in an interview with X / said to reporters
    while (
        i < n
        and toks[i].lower in _TIME | {"on", "last", "this"}
        and not (toks[i].lower == "on" and i + 1 < n and toks[i + 1].lower in _PLATFORMS)
    ):
        i += 1
    if i < n and toks[i].lower in {"in", "on", "to", "via", "during"}:
        if toks[i].lower == "to" and (
            cue not in SPEECH_FORMS
            or i + 1 >= n
            or not (
                toks[i + 1].lower in _DETERMINERS | _POSSESSIVES | {"reporters", "journalists", "supporters"}
                or _is_name_tok(ctx, toks[i + 1])
            )
        ):
            return None
        sp = _np_forward(ctx, toks, i + 1)
        if sp is not None:
            words = {t.lower for t in toks[sp[0] : sp[1]]}
            if (
                toks[i].lower == "to"
                or words & (_MEDIUM_NOUNS | _PLATFORMS)
                or any(_is_name_tok(ctx, t) for t in toks[sp[0] : sp[1]])
            ):
                end = sp[1]
                # "in an interview with X"
                if end + 1 < n and toks[end].lower in {"with", "on", "to"}:
                    sp2 = _np_forward(ctx, toks, end + 1)
                    if sp2 is not None:
                        end = sp2[1]
                return _span(toks, sp[0], end)
    return None


def _clause_subject(ctx: _Ctx, toks: list[_Tok], c: int) -> tuple[int, int] | None:
    """The subject of the clause a participle cue hangs from: ``X vowed …, adding: "…"`` → X.

    The first noun phrase of the sentence, after a leading adverbial phrase
    ("At the protest, X said …"), when a verb follows it.
    """
    k = 0
    if c > 0 and (
        toks[0].lower in _PREPOSITIONS
        or toks[0].lower in _TIME
        or _is_adverb(toks[0].lower)
        or toks[0].lower in {"then", "later", "earlier", "still", "also", "but", "and", "so"}
    ):
        m = 0
        while m < c and toks[m].text != ",":
            m += 1
        if m < c:
            k = m + 1
    while k < c and toks[k].lower in _CONJ:
        k += 1
    if k >= c:
        return None
    if toks[k].lower in PRONOUNS and toks[k].lower != "who":
        return (k, k + 1)
    sp = _np_forward(ctx, toks, k)
    if sp is None or sp[1] > c:
        return None
    return sp
