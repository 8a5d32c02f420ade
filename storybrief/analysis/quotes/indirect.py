"""Reported speech outside quotation marks: ``X said (that) …``, ``…, X said``, ``according to X, …``."""

from __future__ import annotations

from dataclasses import replace

from .context import _content_end, _Ctx, _Frame, _marked_in
from .frames import _NOUN_ADJ, _REDUCED, _adjuncts_only, _parse_after, _passive
from .lexicon import _PARTICIPLE_CUES, CUE_FORMS, SPEECH_FORMS
from .marks import _ALL_MARKS
from .model import Offsets, Quote
from .phrases import _addressee, _clause_subject, _np_backward, _np_forward, _span
from .words import _AUX, _CONJ, _DETERMINERS, _POSSESSIVES, PRONOUNS, _Tok, _words


def _indirect_quotes(ctx: _Ctx, used: list[Offsets], direct: list[Quote]) -> list[Quote]:
    text = ctx.text
    out: list[Quote] = []
    used_sorted = sorted(used)
    for s_start, s_end in ctx.sents:
        if s_end <= s_start:
            continue
        # free stretches of this sentence: not inside a direct quote or its frame
        free = _free_ranges(s_start, s_end, used_sorted)
        for f_start, f_end in free:
            if _words(text[f_start:f_end]) < 4:
                continue
            for q in _indirect_in(ctx, f_start, f_end):
                q = _through_quote(ctx, q)
                if q.end > s_end:
                    # the quotation runs on past the sentence break: those sentences are this statement's
                    used_sorted = sorted(used_sorted + [(s_end, q.end)])
                out.append(q)
    return out


def _through_quote(ctx: _Ctx, q: Quote) -> Quote:
    """Reported speech that ends inside a quotation ("called him “a smart guy. I'd …”") takes all of it."""
    last_start, last_end = q.parts[-1]
    for r in ctx.regions:
        if r.depth == 0 and last_start <= r.start < last_end < r.end:
            parts = q.parts[:-1] + ((last_start, r.end),)
            marked = tuple(m for m in q.marked if m[1] <= last_end and m[0] < r.start) + (r.inner,)
            return replace(q, parts=parts, marked=marked, type="partial")
    return q


def _free_ranges(start: int, end: int, used: list[Offsets]) -> list[Offsets]:
    ranges = [(start, end)]
    for u_start, u_end in used:
        if u_end <= start or u_start >= end:
            continue
        nxt = []
        for s, e in ranges:
            if u_end <= s or u_start >= e:
                nxt.append((s, e))
                continue
            if u_start > s:
                nxt.append((s, u_start))
            if u_end < e:
                nxt.append((u_end, e))
        ranges = nxt
    return [(s, e) for s, e in ranges if e > s]


_COORD = frozenset({"and", "but", "while", "whereas"})


def _indirect_in(ctx: _Ctx, start: int, end: int, inherit: Offsets | None = None) -> list[Quote]:
    """Reported speech in one free stretch of a sentence (no direct quote in it)."""
    toks = ctx.toks(start, end)
    if len(toks) < 3:
        return []
    framed = _according_to(ctx, toks) or _comma_framed(ctx, toks) or _middle_framed(ctx, toks)
    if framed:
        return framed
    return _cue_clause(ctx, toks, end, inherit)


def _according_to(ctx: _Ctx, toks: list[_Tok]) -> list[Quote] | None:
    """According to X, CONTENT.   /   CONTENT, according to X."""
    text, n = ctx.text, len(toks)
    for a in range(n - 2):
        if toks[a].lower == "according" and toks[a + 1].lower == "to":
            sp = _np_forward(ctx, toks, a + 2)
            if sp is None:
                continue
            cue = (toks[a].start, toks[a + 1].end)
            if a == 0 or all(t.lower in _CONJ or t.text == "," for t in toks[:a]):
                k = sp[1]
                while k < n and toks[k].text != ",":
                    k += 1
                content = _content_end(text, toks, k + 1, n) if k < n else None
            else:
                content = _content_end(text, toks, 0, a)
            if content is None:
                continue
            return [_mk_indirect(ctx, (content,), cue, _span(toks, *sp), None)]
    return None


def _comma_framed(ctx: _Ctx, toks: list[_Tok]) -> list[Quote] | None:
    """CONTENT, X said.  /  CONTENT, said X."""
    comma_frame = _trailing_frame(ctx, toks)
    if comma_frame is not None:
        c_end, frame = comma_frame
        content = _content_end(ctx.text, toks, 0, c_end)
        if content is not None and frame.cue is not None:
            return [_mk_indirect(ctx, (content,), frame.cue, frame.speaker, frame.addressee)]
    return None


def _middle_framed(ctx: _Ctx, toks: list[_Tok]) -> list[Quote] | None:
    """CONTENT, he said, CONTENT."""
    middle = _middle_frame(ctx, toks)
    if middle is not None:
        c1, c2, frame = middle
        first = _content_end(ctx.text, toks, 0, c1)
        second = _content_end(ctx.text, toks, c2 + 1, len(toks))
        if first is not None and second is not None and frame.cue is not None:
            return [_mk_indirect(ctx, (first, second), frame.cue, frame.speaker, frame.addressee)]
    return None


def _cue_clause(ctx: _Ctx, toks: list[_Tok], end: int, inherit: Offsets | None) -> list[Quote]:
    """X said (that) CONTENT; a second statement after it (", adding that …") is read on its own,
    with X as its speaker when it names none."""
    text, n = ctx.text, len(toks)
    for c in range(n - 1):
        tok = toks[c]
        if not _finite_cue(ctx, toks, c):
            continue
        participle = tok.lower in _PARTICIPLE_CUES
        sp = _np_backward(ctx, toks, c, 0) if c > 0 else None
        speaker: Offsets | None = _span(toks, *sp) if sp is not None else None
        if speaker is None and participle and c >= 2 and toks[c - 1].text == ",":
            cs = _clause_subject(ctx, toks, c - 1)
            speaker = _span(toks, *cs) if cs is not None else None
        if speaker is None and inherit is not None and (c == 0 or toks[c - 1].lower in _COORD | {","}):
            speaker = inherit
        if speaker is None:
            continue
        if participle and c > 0 and toks[c - 1].text != "," and sp is not None and sp[1] == c:
            continue  # "the people saying" — a noun modifier, not a cue
        k, cue_tok, addressee = _past_the_cue(ctx, toks, c)
        e, rest = _statement_end(ctx, toks, k)
        content = _content_end(text, toks, k, e)
        if content is None or _words(text[content[0] : content[1]]) < 1:
            continue
        if _words(text[content[0] : content[1]]) < 2 and not _marked_in(ctx, content[0], content[1]):
            continue
        out = [_mk_indirect(ctx, (content,), (cue_tok.start, cue_tok.end), speaker, addressee)]
        if rest < n:
            out.extend(_indirect_in(ctx, toks[rest].start, end, inherit=speaker))
        return out
    return []


_FINITE_AFTER = frozenset(
    "is was are were has have had comes came will would could should can may might".split()
)


def _finite_cue(ctx: _Ctx, toks: list[_Tok], c: int) -> bool:
    """Is ``toks[c]`` a speech verb used as a finite cue (not a noun, a passive or an infinitive)?"""
    n = len(toks)
    tok = toks[c]
    if tok.lower not in CUE_FORMS or tok.ent >= 0 or tok.text[:1].isupper():
        return False
    if ctx.prior(tok.lower) < ctx.min_prior and not (c + 1 < n and toks[c + 1].lower == "that"):
        return False  # a form seldom used for speech, unless a that-clause follows ("she maintains that …")
    if (
        c > 0
        and toks[c - 1].lower in {"to", "the", "a", "an", "this", "that", "his", "her", "their", "its"}
        and tok.lower not in {"said", "told"}
    ):
        return False  # "to say", "the report" — not a finite cue
    if c > 1 and toks[c - 1].lower in _NOUN_ADJ and toks[c - 2].lower in _DETERMINERS | _POSSESSIVES:
        return False  # "an earlier request"
    if (
        c > 0
        and toks[c - 1].lower.endswith("ed")
        and len(toks[c - 1].lower) > 4
        and toks[c - 1].ent < 0
        and toks[c - 1].lower not in _AUX
        and not toks[c - 1].text[:1].isupper()
        and tok.lower.endswith("s")
    ):
        return False  # "approved plans", "released reports": a noun after a verb
    if _passive(toks, c):
        return False  # "was told", "has been criticised": the subject is not the source
    if c + 1 < n and toks[c + 1].lower in _FINITE_AFTER:
        return False  # "the speech plan comes …": a noun before its verb
    if tok.lower in _REDUCED and c > 0 and toks[c - 1].lower not in _AUX:
        return False  # "a letter written shortly before …"
    return True


def _past_the_cue(ctx: _Ctx, toks: list[_Tok], c: int) -> tuple[int, _Tok, Offsets | None]:
    """(where the content may start, the cue token, the addressee) after the cue ``toks[c]``."""
    n = len(toks)
    tok = toks[c]
    k = c + 1
    addressee = _addressee(ctx, toks, c + 1)
    if addressee is not None:
        while k < n and toks[k].end <= addressee[1]:
            k += 1
    cue_tok = tok
    if addressee is None and k < n - 1 and tok.lower not in SPEECH_FORMS:
        # "has written to the JLM saying …": the participle is the cue
        sp2 = _np_forward(ctx, toks, k + 1) if toks[k].lower == "to" else None
        if sp2 is not None and sp2[1] < n and toks[sp2[1]].lower in _PARTICIPLE_CUES:
            addressee = _span(toks, *sp2)
            cue_tok = toks[sp2[1]]
            k = sp2[1] + 1
    elif (
        addressee is not None
        and k < n - 1
        and toks[k].lower in _PARTICIPLE_CUES
        and toks[k].lower in SPEECH_FORMS
    ):
        cue_tok = toks[k]
        k += 1
    # skip adjuncts up to "that" when it comes soon: "said on Friday that …"
    for m in range(k, min(n, k + 10)):
        if toks[m].lower == "that":
            if _adjuncts_only(ctx, toks[:m], k, tok.lower):
                k = m
            break
        if toks[m].text in {";", ":"} or toks[m].text in _ALL_MARKS:
            break
    return k, cue_tok, addressee


def _statement_end(ctx: _Ctx, toks: list[_Tok], k: int) -> tuple[int, int]:
    """(end of the content, start of a second statement) for content from ``toks[k]``: it stops
    before ", adding that …", "and said …", "but he said …" (both ``len(toks)`` when none)."""
    n = len(toks)
    for m in range(k + 1, n - 1):
        nxt = toks[m + 1]
        if (
            toks[m].text == ","
            and nxt.lower in CUE_FORMS
            and nxt.ent < 0
            and not nxt.text[:1].isupper()
            and ctx.prior(nxt.lower) >= ctx.min_prior
            and (nxt.lower in _PARTICIPLE_CUES or nxt.lower.endswith(("ed", "s")))
        ):
            return m, m + 1
        if toks[m].lower in _COORD:
            probe = m + 1
            if probe < n and toks[probe].lower in PRONOUNS:
                probe += 1
            while probe < n and toks[probe].lower in _AUX:
                probe += 1
            if (
                probe < n
                and toks[probe].lower in CUE_FORMS
                and toks[probe].ent < 0
                and not toks[probe].text[:1].isupper()
                and ctx.prior(toks[probe].lower) >= ctx.min_prior
            ):
                return (m - 1 if toks[m - 1].text == "," else m), m + 1
    return n, n


def _middle_frame(ctx: _Ctx, toks: list[_Tok]) -> tuple[int, int, _Frame] | None:
    """``CONTENT, he said, CONTENT`` — a frame between two commas, with content on both sides."""
    n = len(toks)
    commas = [i for i, t in enumerate(toks) if t.text == ","]
    for a, c1 in enumerate(commas):
        if c1 < 3:
            continue
        for c2 in commas[a + 1 : a + 3]:
            seg = toks[c1 + 1 : c2]
            if not seg or len(seg) > 12 or c2 >= n - 3:
                continue
            frame = _parse_after(ctx, seg, strict=True)
            if frame is None or frame.cue is None:
                continue
            if ctx.prior(ctx.text[frame.cue[0] : frame.cue[1]].lower()) < ctx.min_prior:
                continue
            return c1, c2, frame
    return None


def _trailing_frame(ctx: _Ctx, toks: list[_Tok]) -> tuple[int, _Frame] | None:
    """``…, X said.`` — the last comma whose remainder is an attribution frame."""
    n = len(toks)
    for c in range(n - 2, 0, -1):
        if toks[c].text != ",":
            continue
        rest = toks[c + 1 :]
        while rest and rest[-1].text in {".", "?", "!", ";"}:
            rest = rest[:-1]
        if not rest or len(rest) > 30:
            return None
        frame = _parse_after(ctx, rest, strict=True)
        if frame is None or frame.cue is None:
            continue
        if ctx.prior(ctx.text[frame.cue[0] : frame.cue[1]].lower()) < ctx.min_prior:
            continue
        # nothing but adjuncts may follow the cue
        after = rest[frame.cue_pos + 1 :]
        if (
            any(t.lower in CUE_FORMS and t.lower not in {"statement"} for t in after[1:])
            and frame.cue_pos > 0
        ):
            continue
        return c, frame
    return None


def _mk_indirect(
    ctx: _Ctx,
    parts: tuple[Offsets, ...],
    cue: Offsets | None,
    speaker: Offsets | None,
    addressee: Offsets | None,
) -> Quote:
    marked = tuple(m for p in parts for m in _marked_in(ctx, p[0], p[1]))
    if len(parts) > 1:
        attribution = "middle"
    else:
        attribution = "after" if cue is not None and cue[0] > parts[0][0] else "before"
    return Quote(
        parts=parts,
        type="partial" if marked else "indirect",
        attribution=attribution,
        cue=cue,
        speaker=speaker,
        addressee=addressee,
        marked=marked,
    )
