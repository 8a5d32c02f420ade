"""Attribution frames around a quote: ``"…," she said``, ``X told Y:``, ``according to X``, signatures."""

from __future__ import annotations

from dataclasses import replace

from .context import _content_end, _Ctx, _Frame, _overlaps, _sentence_end_after, _sentence_start, _Unit
from .lexicon import _INVERTIBLE, _PARTICIPLE_CUES, _TELL_FORMS, CUE_FORMS, SPEECH_FORMS
from .marks import _ALL_MARKS, _DASHES
from .model import Offsets
from .phrases import _addressee, _clause_subject, _has_name, _is_name_tok, _np_backward, _np_forward, _span
from .words import (
    _AUX,
    _CONJ,
    _DETERMINERS,
    _POSSESSIVES,
    _PREPOSITIONS,
    _TIME,
    PRONOUNS,
    _is_adverb,
    _Tok,
    _words,
)


def _frame_after(ctx: _Ctx, unit: _Unit, nxt_start: int | None = None) -> tuple[_Frame, Offsets] | None:
    """``"…," she said.`` — the attribution after the quote, up to the end of its sentence."""
    last = unit.regions[-1]
    if not last.closed:
        return None
    start = last.end
    p_end = ctx.paragraphs[ctx.para_of(last.end - 1)][1]
    end = _sentence_end_after(ctx, start, p_end)
    if nxt_start is not None and nxt_start < end:
        end = nxt_start
    if end <= start:
        return None
    toks = ctx.toks(start, end)
    # "…," she said — only a comma, dash or nothing may sit between quote and frame
    k = 0
    while k < len(toks) and (toks[k].text in {",", ";"} or toks[k].text in _DASHES):
        k += 1
    if k >= len(toks):
        return None
    inner = ctx.text[last.inner[0] : last.inner[1]].rstrip()
    strict = inner.endswith((".", "…")) and k == 0 and toks[0].text[:1].isupper()
    frame = _parse_after(ctx, toks[k:], strict=strict)
    if frame is None and k > 0 and toks[k - 1].text in _DASHES:
        frame = _signature(ctx, toks[k:], toks[k - 1])
    if frame is None:
        return None
    return replace(frame, tail=_tail(ctx, toks, frame)), (start, end)


_TAIL_STARTS = frozenset({"and", "but", "that", "because", "so"})


def _tail(ctx: _Ctx, toks: list[_Tok], frame: _Frame) -> Offsets | None:
    """``"…," she said, and "clear consequences …"``: the statement goes on after its frame."""
    covered = max(e for e in (frame.cue, frame.speaker, frame.addressee) if e is not None)[1]
    k = next((i for i, t in enumerate(toks) if t.start >= covered), len(toks))
    if k + 2 >= len(toks) or toks[k].text != "," or toks[k + 1].lower not in _TAIL_STARTS:
        return None
    if any(t.lower in SPEECH_FORMS and not t.text[:1].isupper() for t in toks[k + 2 : k + 5]):
        return None  # ", and added that …": a second statement
    tail = _content_end(ctx.text, toks, k + 1, len(toks))
    return tail if tail is not None and _words(ctx.text[tail[0] : tail[1]]) >= 2 else None


def _signature(ctx: _Ctx, toks: list[_Tok], dash: _Tok) -> _Frame | None:
    """``"…" — Maria Lopez, 34, of Phoenix``: a dash then only a name and its details signs the quote."""
    sp = _np_forward(ctx, toks, 0)
    if sp is None or not toks[sp[0]].text[:1].isupper():
        return None
    rest = toks[sp[1] :]
    if len(rest) > 12 or any(t.lower in CUE_FORMS for t in rest):
        return None
    if not all(
        t.text in {",", ".", "(", ")"}
        or t.text[:1].isupper()
        or t.text[:1].isdigit()
        or t.lower in {"of", "from", "in", "a", "an", "the", "and"}
        for t in rest
    ):
        return None
    return _Frame((dash.start, dash.end), _span(toks, *sp), None, 0)


def _prev_region_end(ctx: _Ctx, start: int, end: int) -> int | None:
    best = None
    for r in ctx.regions:
        if r.depth == 0 and start < r.end <= end:
            best = r.end
    return best


def _frame_before(ctx: _Ctx, unit: _Unit, prev_end: int = -1) -> tuple[_Frame, Offsets] | None:
    """``X said: "…"`` — the attribution before the quote, from its sentence's start.

    When the quote opens its sentence, the previous sentence may be the frame:
    ``Sam Lau said in a statement. "…"`` or a paragraph ending ``He told his audience:``.
    """
    first = unit.regions[0]
    p_idx = ctx.para_of(first.start)
    p_start = ctx.paragraphs[p_idx][0]
    s_start = _sentence_start(ctx, first.start)
    start = max(p_start, s_start, prev_end if prev_end < first.start else -1)
    toks = ctx.toks(start, first.start) if start < first.start else []
    prev_quote = _prev_region_end(ctx, start, first.start) is not None
    if any(t.text[:1].isalnum() for t in toks):
        frame = _parse_before(ctx, toks)
        if frame is None:
            return None
        if frame.speaker is None and frame.cue is not None and prev_quote:
            # "X vowed to help "…", adding: "…"" — the subject is before the earlier quote
            whole = ctx.toks(max(p_start, s_start), first.start)
            c = next((i for i, t in enumerate(whole) if t.start == frame.cue[0]), -1)
            cs = _clause_subject(ctx, whole, c) if c > 0 else None
            if cs is not None:
                frame = replace(frame, speaker=_span(whole, *cs))
        # the frame is the cue and the speaker when it sits here; a subject found before an
        # earlier quote ("X vowed to help "…", adding:") stays with that earlier statement
        begin = frame.cue[0] if frame.cue else toks[0].start
        earlier = _prev_region_end(ctx, start, first.start)
        if frame.speaker is not None and (earlier is None or frame.speaker[0] >= earlier):
            begin = min(begin, frame.speaker[0])
        if frame.lead is not None:
            begin = min(begin, frame.lead[0])
        return frame, (begin, first.start)
    # the previous sentence, in this paragraph or ending the previous one with a colon
    k = ctx.sent_of(first.start) - 1 if ctx.sents else -1
    if k < 0:
        return None
    ps, pe = ctx.sents[k]
    if ps >= first.start:
        return None
    same_para = ctx.para_of(ps) == p_idx
    prev_text = ctx.text[ps:pe].rstrip()
    if not same_para and not prev_text.endswith(":"):
        return None
    if any(r.depth == 0 and 0 <= ps - r.end <= 3 for r in ctx.regions):
        return None  # that sentence is the after-frame of an earlier quote ("…?” Trump said Friday.)
    if _overlaps((ps, pe), [(r.start, r.end) for r in ctx.regions if r.depth == 0]):
        return None
    toks = ctx.toks(ps, pe)
    if not toks:
        return None
    if toks[-1].text == ".":
        toks = toks[:-1] + [replace(toks[-1], text=":", lower=":")]
        frame = _parse_before(ctx, toks, strict=True)
    elif toks[-1].text == ":":
        frame = _parse_before(ctx, toks)
    else:
        return None
    if frame is None:
        return None
    return frame, (ps, pe)


def _is_cue(ctx: _Ctx, tok: _Tok, *, speech: bool) -> bool:
    forms = SPEECH_FORMS if speech else CUE_FORMS
    if tok.lower not in forms or tok.ent >= 0:
        return False
    return not tok.text[:1].isupper() or tok.lower in {"said", "says", "added", "asked", "wrote"}


def _remainder_ok(ctx: _Ctx, toks: list[_Tok], i: int, cue: str) -> bool:
    """After a frame's cue (or inverted speaker): adjuncts, a participle clause, or the end."""
    if _adjuncts_only(ctx, toks, i, cue):
        return True
    # ", adding …", ", blaming …", ", who …" (relative clause on the speaker)
    for k in range(i, len(toks) - 1):
        if toks[k].text == ",":
            nxt = toks[k + 1].lower
            if nxt.endswith("ing") or nxt in {
                "who",
                "whose",
                "which",
                "where",
                "and",
                "but",
                "before",
                "after",
                "as",
                "when",
                "while",
                "because",
                "though",
                "although",
            }:
                return _adjuncts_only(ctx, toks[:k], i, cue)
            break
    return False


def _parse_after(ctx: _Ctx, toks: list[_Tok], *, strict: bool = False) -> _Frame | None:
    """Frame tokens right after a quote: ``she said``, ``said Clinton``, ``X, the …, said at …``, ``according to X``.

    ``strict``: the quote closed its sentence, so the frame must be a bare
    attribution ("Trump tweeted."), not a new statement ("Trump said the …").
    """
    while toks and toks[0].text in _ALL_MARKS:
        toks = toks[1:]  # "…,” he said" cut after the comma inside the marks
    n = len(toks)
    if n == 0:
        return None
    # according to X
    if n >= 3 and toks[0].lower == "according" and toks[1].lower == "to":
        sp = _np_forward(ctx, toks, 2)
        if sp is None:
            return None
        return _Frame((toks[0].start, toks[1].end), _span(toks, *sp), None, 0)
    # as Cruz said on Monday
    if n >= 3 and toks[0].lower == "as":
        for c in range(2, min(n, 12)):
            if _is_cue(ctx, toks[c], speech=True):
                sp = _np_backward(ctx, toks, c, 1)
                if sp is not None and sp[0] == 1:
                    return _Frame(
                        (toks[c].start, toks[c].end), _span(toks, *sp), _addressee(ctx, toks, c + 1), c
                    )
                break
        return None
    # inverted: said Clinton / says the Lincoln actor
    if toks[0].lower in _INVERTIBLE and _is_cue(ctx, toks[0], speech=True):
        sp = _np_forward(ctx, toks, 1)
        if sp is None:
            return None
        if strict and not _remainder_ok(ctx, toks, sp[1], ""):
            return None
        return _Frame((toks[0].start, toks[0].end), _span(toks, *sp), _addressee(ctx, toks, sp[1]), 0)
    # subject first: find the first cue within reach
    for c in range(1, min(n, 40)):
        tok = toks[c]
        if tok.text in {".", "?", "!", ";"} or tok.text in _ALL_MARKS:
            return None
        if not _is_cue(ctx, tok, speech=True):
            continue
        sp = _np_backward(ctx, toks, c, 0)
        if sp is None:
            return None
        if sp[0] != 0 and not all(t.lower in _CONJ or t.text == "," for t in toks[: sp[0]]):
            return None  # something other than the speaker stands between quote and cue
        if strict and not _remainder_ok(ctx, toks, c + 1, tok.lower):
            return None
        return _Frame((tok.start, tok.end), _span(toks, *sp), _addressee(ctx, toks, c + 1), c)
    return None


def _parse_before(ctx: _Ctx, toks: list[_Tok], *, strict: bool = False) -> _Frame | None:
    """Frame tokens right before a quote: ``X said:``, ``X told Y:``, ``adding:``, ``X said``, ``Corbyn:``.

    ``strict``: the frame is a whole earlier sentence, so it must end in a
    speech verb and its adjuncts ("X said in a statement.").
    """
    end_tok = toks[-1]
    colon = end_tok.text == ":" or end_tok.text in _DASHES
    body = toks[:-1] if colon or end_tok.text == "," else toks
    if not body:
        return None
    # the nearest cue to the quote
    for c in range(len(body) - 1, -1, -1):
        tok = body[c]
        if not _is_cue(ctx, tok, speech=True):
            continue
        if c > 0 and (
            body[c - 1].lower in _DETERMINERS | _POSSESSIVES | {"to"}
            or body[c - 1].text.endswith(("’s", "'s"))
        ):
            continue  # "Trump's remarks", "to tell": not the attribution's verb
        if _passive(body, c):
            break  # "Blumenthal was asked, "…"": the subject is not the speaker
        if (
            c > 0
            and body[c - 1].lower.endswith("ed")
            and body[c - 1].ent < 0
            and tok.lower in {"state", "report", "statement"}
        ):
            continue  # "her economically depressed state"
        rest = body[c + 1 :]
        # only an addressee, medium or time phrase may follow the cue before the quote
        # (after a colon or dash, any short phrase: "posted just two words on his network -")
        if len(rest) > 14 or any(t.text in {".", "?", "!", ";"} for t in rest):
            break
        if tok.lower in _INVERTIBLE and rest:
            fw = _np_forward(ctx, body, c + 1)
            if fw is not None and fw[1] == len(body) and (_np_backward(ctx, body, c, 0) is None):
                return _Frame((tok.start, tok.end), _span(body, *fw), None, c)
        lead: Offsets | None = None
        if not _remainder_ok(ctx, body, c + 1, tok.lower) or any(t.lower == "that" for t in rest):
            if strict:
                break
            # "X said Trump was a start-up kind of guy: "…"" — the clause belongs to the quote
            lead = _clause_after_cue(ctx, body, c)
            if not colon and not any(t.lower == "that" for t in rest):
                break
        addressee = _addressee(ctx, body, c + 1)
        sp = _np_backward(ctx, body, c, 0)
        if sp is None and (tok.lower in _PARTICIPLE_CUES or (c > 0 and body[c - 1].lower in _CONJ | {","})):
            sp = _clause_subject(ctx, body, c)
        if sp is None:
            # "Said X:" inverted
            fw = _np_forward(ctx, body, c + 1)
            if fw is not None and colon:
                return _Frame((tok.start, tok.end), _span(body, *fw), None, c)
            if strict or not (colon or tok.lower in _PARTICIPLE_CUES):
                return None
            return _Frame((tok.start, tok.end), None, addressee, c, lead)
        if (
            lead is None
            and not strict
            and not colon
            and end_tok.text == ","
            and sp[0] >= 2
            and body[sp[0] - 1].text == ","
        ):
            # "Instead, Axelrod said, "…"": the words before the frame begin the statement
            lead = _lead_fragment(ctx, body, sp[0] - 1)
        return _Frame((tok.start, tok.end), _span(body, *sp), addressee, c, lead)
    if strict:
        return None
    if colon and end_tok.text == ":":
        return _colon_header(ctx, body, end_tok)
    return None


def _clause_after_cue(ctx: _Ctx, body: list[_Tok], c: int) -> Offsets | None:
    """The clause after the cue ``body[c]`` (past its addressee), when one starts there: a clause,
    not an object ("two words")."""
    k = c + 1
    ad = _addressee(ctx, body, c + 1)
    while ad is not None and k < len(body) and body[k].end <= ad[1]:
        k += 1
    if k < len(body) and (body[k].lower == "that" or body[k].lower in PRONOUNS or _is_name_tok(ctx, body[k])):
        return _content_end(ctx.text, body, k, len(body))
    return None


def _colon_header(ctx: _Ctx, body: list[_Tok], end_tok: _Tok) -> _Frame | None:
    """A frame that is a header ending in a colon, with no speech verb."""
    # headline style  "Corbyn: …"  or  "The Labour leader:"
    sp = _np_backward(ctx, body, len(body), 0)
    if (
        sp is not None
        and sp[0] == 0
        and sp[1] - sp[0] <= 8
        and (_has_name(ctx, body[sp[0] : sp[1]]) or all(t.text[:1].isupper() for t in body[sp[0] : sp[1]]))
    ):
        return _Frame((end_tok.start, end_tok.end), _span(body, *sp), None, len(body))
    # a name and its details as a header: "Maria Lopez, 34, Phoenix:"
    header = _signature(ctx, body, end_tok)
    if header is not None and len(body) <= 12:
        return header
    # any clause that introduces the quote with a colon: "He also played up his strength:"
    return _colon_clause(ctx, body)


_PASSIVE_AUX = frozenset("is are was were be been being get gets got getting".split())

_REDUCED = frozenset(
    "written shown known seen given taken spoken chosen drawn thrown sworn proven heard".split()
)

_NOUN_ADJ = frozenset(
    "earlier recent new latest first final formal public official previous initial similar separate second "
    "further strong sharp brief short long direct frequent repeated widespread angry personal".split()
)

_SCENE_SETTERS = frozenset(
    "after when while as before during at in on speaking asked told following since upon with if although though "
    "because once later earlier last this yesterday today addressing writing appearing responding".split()
)

_DISCOURSE_LEADS = ("in other words", "in fact", "for example", "in short", "at the same time", "in the end")


def _lead_fragment(ctx: _Ctx, toks: list[_Tok], end: int) -> Offsets | None:
    """Reported words before an inserted frame ("Sooner or later, he said, …"), not scene-setting ("At the rally, …")."""
    if end <= 0:
        return None
    head = " ".join(t.lower for t in toks[:4])
    if toks[0].lower in _SCENE_SETTERS and not head.startswith(_DISCOURSE_LEADS):
        return None
    if (
        toks[0].lower in _TIME
        or any(t.text in _ALL_MARKS for t in toks[:end])
        or _words(ctx.text[toks[0].start : toks[end - 1].end]) > 12
    ):
        return None
    if toks[0].lower.endswith("ing") or (toks[0].lower in {"regarding", "instead"} and end > 1):
        return None
    return _content_end(ctx.text, toks, 0, end)


def _adjuncts_only(ctx: _Ctx, toks: list[_Tok], i: int, cue: str) -> bool:
    """Tokens ``toks[i:]`` after a cue hold only an addressee, a medium, a time, or "that"/"of X"."""
    n = len(toks)
    first = i
    if i < n and cue in _TELL_FORMS:
        sp = _np_forward(ctx, toks, i)
        if sp is not None:
            i = sp[1]
    while i < n:
        t = toks[i]
        if t.lower in {"who", "whom", "which"} and i > 0 and n - i <= 12:
            return True  # "told the mayors who gathered in Indianapolis,"
        if (
            i == first
            and t.lower in {"back", "out", "up", "off", "down", "in", "on"}
            and (i + 1 >= n or toks[i + 1].text in {",", ":", "–", "—", "-"})
        ):
            i += 1  # "shot back", "chimed in"
            continue
        if (
            t.text in {",", "(", ")"}
            or t.lower in _TIME
            or t.lower
            in {"that", "this", "then", "also", "again", "simply", "recently", "later", "earlier", "once"}
        ):
            i += 1
            continue
        if t.lower in _PREPOSITIONS or t.lower in {"of"}:
            sp = _np_forward(ctx, toks, i + 1)
            i = sp[1] if sp is not None else i + 1
            continue
        if t.text[:1].isdigit():
            i += 1
            continue
        return False
    return True


def _colon_clause(ctx: _Ctx, body: list[_Tok]) -> _Frame | None:
    """Subject and verb of a clause ending in a colon; the verb is the cue."""
    k = 0
    if body and (body[0].lower in _PREPOSITIONS or body[0].lower in _TIME):
        while k < len(body) and body[k].text != ",":
            k += 1
        k += 1
    while k < len(body) and body[k].lower in _CONJ | {"then", "also", "later", "and"}:
        k += 1
    if k >= len(body):
        return None
    sp = _np_forward(ctx, body, k)
    if sp is None or sp[1] >= len(body):
        return None
    np_toks = body[sp[0] : sp[1]]
    if not (_has_name(ctx, np_toks) or np_toks[0].lower in _DETERMINERS | _POSSESSIVES):
        return None
    v = sp[1]
    while v < len(body) and body[v].lower in _AUX:
        v += 1
    if v >= len(body) or not body[v].text[:1].islower() or body[v].lower in _PREPOSITIONS | _CONJ:
        return None
    return _Frame((body[v].start, body[v].end), _span(body, *sp), None, v)


def _passive(toks: list[_Tok], c: int) -> bool:
    """Is the cue at ``c`` a passive participle ("were told", "has been widely criticised") with no "by" agent?"""
    tok = toks[c]
    if not (
        tok.lower.endswith(("ed", "en"))
        or tok.lower in {"told", "said", "thought", "sought", "known", "seen"}
    ):
        return False
    k = c - 1
    while k >= 0 and (
        _is_adverb(toks[k].lower)
        or toks[k].lower in {"not", "also", "still", "never", "already", "reportedly"}
    ):
        k -= 1
    if k < 0 or toks[k].lower not in _PASSIVE_AUX:
        return False
    return not any(t.lower == "by" for t in toks[c + 1 : c + 4])
