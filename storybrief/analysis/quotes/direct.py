"""Direct quotes: quote-mark regions with their attribution, continued over paragraphs and sentences."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ...language import ALNUM_RE
from .context import _after_end, _Ctx, _Frame, _marked_in, _sentence_end_after, _sentence_start, _Unit
from .frames import _frame_after, _frame_before
from .lexicon import SPEECH_FORMS
from .marks import _ALL_MARKS, _DASHES, QuoteRegion
from .model import Offsets, Quote
from .phrases import _has_name, _np_forward, _span
from .words import _words


def _units(ctx: _Ctx) -> list[_Unit]:
    units: list[_Unit] = []
    chaining = False
    for r in ctx.regions:
        if r.depth:
            continue
        if chaining and units:
            units[-1].regions.append(r)
        else:
            units.append(_Unit([r]))
        chaining = r.continues
    return units


def _left_ok(ctx: _Ctx, unit: _Unit) -> bool:
    """Can a statement start here?  Paragraph or sentence start, after a colon, dash, comma or speech verb."""
    text = ctx.text
    first = unit.regions[0]
    if len(unit.regions) > 1:
        return True
    inner = text[first.inner[0] : first.inner[1]]
    n_words = _words(inner)
    if n_words == 0:
        return False
    p_start = ctx.paragraphs[ctx.para_of(first.start)][0]
    left = text[p_start : first.start].rstrip()
    line_start = text.rfind("\n", p_start, first.start) + 1
    if line_start > p_start and not text[line_start : first.start].strip():
        # the quote opens a line: a paragraph break written as a single newline
        # (lists of signed quotes, "“…” ― Name" then the next quote on its own line)
        left = ""
    s_start = _sentence_start(ctx, first.start)
    sent_left = text[max(p_start, s_start) : first.start].strip()
    ends_clause = bool(re.search(r"[,.?!…:;–—-]\s*$", inner.rstrip())) or not first.closed
    if not left or not sent_left or sent_left in _ALL_MARKS:
        return n_words >= 2 or ends_clause
    if left[-1] == ":" or left[-1] in _DASHES:
        return True
    if left[-1] in ".?!" and n_words >= 2:
        return True
    if left.endswith(",") and ends_clause:
        return True
    last_word = re.findall(r"[^\W_]+", left[-20:])
    if last_word and last_word[-1].lower() in SPEECH_FORMS and ends_clause and n_words >= 3:
        return True
    return False


def _right_empty(ctx: _Ctx, unit: _Unit, nxt_start: int | None) -> bool:
    """Nothing but punctuation follows the quote up to its sentence's end (or the next quote)."""
    last = unit.regions[-1]
    p_end = ctx.paragraphs[ctx.para_of(last.end - 1)][1]
    end = min(max(ctx.sents[ctx.sent_of(last.end - 1)][1], last.end), p_end) if ctx.sents else p_end
    if nxt_start is not None:
        end = min(end, nxt_start)
    return _words(ctx.text[last.end : max(last.end, end)]) == 0


def _direct_quotes(ctx: _Ctx) -> tuple[list[Quote], list[Offsets]]:
    """Standalone quotes with their attributions.  Also returns the character ranges they use."""
    units = [u for u in _units(ctx) if _left_ok(ctx, u)]
    quotes: list[Quote] = []
    used: list[Offsets] = []
    prev: Quote | None = None
    prev_end = -1
    i = 0
    while i < len(units):
        unit = units[i]
        nxt_start = units[i + 1].start if i + 1 < len(units) else None
        regions = list(unit.regions)
        before, after = _frames_around(ctx, units, i, prev_end)
        if after is None and before is None and len(regions) == 1 and not _right_empty(ctx, unit, nxt_start):
            i += 1
            continue  # a phrase quoted inside a sentence: left to reported speech
        frame, frame_range, attribution = _choose_frame(ctx.text, before, after)
        headline_claim = False
        if frame is not None and frame.cue and ctx.text[frame.cue[0] : frame.cue[1]] == ":":
            attribution = "colon"
            headline_claim = _take_headline_claim(ctx, frame, regions)
        # "…," he said, "…" — the next quote continues this one.
        j = i + 1
        if attribution == "after" and frame_range is not None and frame is not None:
            while (
                j < len(units)
                and _continues_middle(ctx, frame_range, units[j])
                and _frame_after(ctx, units[j], units[j + 1].start if j + 1 < len(units) else None) is None
            ):
                regions.extend(units[j].regions)
                attribution = "middle"
                j += 1
        if frame is None:
            if prev is not None and _is_continuation(ctx, prev, prev_end, unit):
                merged = replace(
                    prev,
                    parts=prev.parts + tuple((r.start, r.end) for r in regions),
                    marked=prev.marked + tuple(r.inner for r in regions),
                )
                quotes[-1] = merged
                prev = merged
                used.extend((r.start, r.end) for r in regions)
                prev_end = _after_end(ctx, regions[-1].end)
                i = j
                continue
            q = Quote(
                parts=tuple((r.start, r.end) for r in regions),
                type="direct",
                attribution="none",
                marked=tuple(r.inner for r in regions),
            )
        else:
            q = _framed_quote(ctx, frame, attribution, regions, headline_claim)
            if frame_range is not None:
                used.append(frame_range)
        used.extend((r.start, r.end) for r in regions)
        quotes.append(q)
        prev = q
        prev_end = _after_end(ctx, max(regions[-1].end, frame_range[1] if frame_range else -1))
        i = j
    return quotes, used


_FrameAt = tuple[_Frame, Offsets]


def _frames_around(
    ctx: _Ctx, units: list[_Unit], i: int, prev_end: int
) -> tuple[_FrameAt | None, _FrameAt | None]:
    """(frame before, frame after) unit ``i``: the attribution on either side, if any."""
    unit = units[i]
    nxt_start = units[i + 1].start if i + 1 < len(units) else None
    after = _frame_after(ctx, unit, nxt_start)
    before = _frame_before(ctx, unit, prev_end)
    if after is not None and i + 1 < len(units) and _looks_forward(ctx, unit, after[1], units[i + 1], before):
        after = None  # "…?” He answered, “…”: that frame introduces the next quote
    if after is None and before is None:
        after = _dash_line(ctx, unit)
    return before, after


def _choose_frame(
    text: str, before: _FrameAt | None, after: _FrameAt | None
) -> tuple[_Frame | None, Offsets | None, str]:
    """(frame, its range, attribution): with frames on both sides, the one whose cue sits right
    against the quote."""
    if before is not None and after is not None:
        b_frame, b_range = before
        a_frame, a_range = after
        if text[b_range[0] : b_range[1]].rstrip().endswith((":",) + tuple(_DASHES)) or a_frame.cue is None:
            return b_frame, b_range, "before"
        return a_frame, a_range, "after"
    if after is not None:
        return after[0], after[1], "after"
    if before is not None:
        return before[0], before[1], "before"
    return None, None, "none"


def _take_headline_claim(ctx: _Ctx, frame: _Frame, regions: list[QuoteRegion]) -> bool:
    """A headline "Blumenthal: ‘No Idea’ If I Would Have Told Her": the rest of the line is the
    claim, so the last region is stretched to the line's end."""
    text = ctx.text
    assert frame.cue is not None
    p_end = ctx.paragraphs[ctx.para_of(regions[-1].end - 1)][1]
    tail = text[regions[-1].end : p_end]
    if _words(tail) and "\n" not in tail and _words(text[frame.cue[1] : p_end]) <= 25:
        end = p_end
        while end > regions[-1].end and text[end - 1] in ".!? ":
            end -= 1
        regions[-1] = replace(regions[-1], end=end)
        return True
    return False


def _framed_quote(
    ctx: _Ctx, frame: _Frame, attribution: str, regions: list[QuoteRegion], headline_claim: bool
) -> Quote:
    """The quote with its frame: cue, speaker, addressee, and the frame's lead or tail when it
    holds part of the statement."""
    lead = (frame.lead,) if frame.lead is not None and attribution in {"before", "colon"} else ()
    tail = (frame.tail,) if frame.tail is not None and attribution == "after" else ()
    return Quote(
        parts=lead + tuple((r.start, r.end) for r in regions) + tail,
        type="partial" if lead or tail or headline_claim else "direct",
        attribution=attribution,
        cue=frame.cue,
        speaker=frame.speaker,
        addressee=frame.addressee,
        marked=tuple(m for ld in lead for m in _marked_in(ctx, *ld))
        + tuple(r.inner for r in regions)
        + tuple(m for tl in tail for m in _marked_in(ctx, *tl)),
    )


def _dash_line(ctx: _Ctx, unit: _Unit) -> tuple[_Frame, Offsets] | None:
    """A quote paragraph signed on the next line: ``"…"`` then ``— Bernie Sanders, in the debate.``"""
    last = unit.regions[-1]
    p_idx = ctx.para_of(max(0, last.end - 1))
    p_start, p_end = ctx.paragraphs[p_idx]
    if (
        ctx.text[last.end : p_end].strip(" .,")
        or ctx.text[p_start : unit.start].strip()
        or p_idx + 1 >= len(ctx.paragraphs)
    ):
        return None
    n_start, n_end = ctx.paragraphs[p_idx + 1]
    m = re.match(r"(?:--|[—–―-])\s*", ctx.text[n_start:n_end])
    if not m:
        return None
    toks = ctx.toks(n_start + m.end(), n_end)
    if not toks or len(toks) > 25:
        return None
    sp = _np_forward(ctx, toks, 0)
    if sp is None or (not _has_name(ctx, toks[sp[0] : sp[1]]) and not toks[sp[0]].text[:1].isupper()):
        return None
    return _Frame((n_start, n_start + m.end()), _span(toks, *sp), None, 0), (last.end, n_end)


def _looks_forward(ctx: _Ctx, unit: _Unit, frame_range: Offsets, nxt: _Unit, before: Any) -> bool:
    """Does the frame after this quote really introduce the next one?

    It does when it ends in a comma or colon right before the next quote, and
    either this quote already has its own frame before it or it closed its
    sentence (so the frame starts a new one: ``"…?" He answered, "…"``).
    """
    frame_text = ctx.text[frame_range[0] : frame_range[1]]
    if ctx.text[frame_range[1] : nxt.start].strip() or not frame_text.rstrip().endswith((",", ":")):
        return False
    inner = ctx.text[unit.regions[-1].inner[0] : unit.regions[-1].inner[1]].rstrip()
    return before is not None or inner.endswith((".", "?", "!"))


def _continues_middle(ctx: _Ctx, frame_range: Offsets, nxt: _Unit) -> bool:
    """``"…," he said, "…"``: a frame with one cue, ending with a comma or colon, and the next quote at once."""
    gap = ctx.text[frame_range[1] : nxt.start]
    if gap.strip(" \t"):
        return False
    frame_text = ctx.text[frame_range[0] : frame_range[1]]
    if "\n" in frame_text:
        return False
    tail = frame_text.rstrip()
    if not tail.endswith((",", ":", ";", ".")) and not tail.endswith(tuple(_DASHES)):
        return False
    cues = [w for w in ALNUM_RE.findall(frame_text.lower()) if w in SPEECH_FORMS]
    if len(cues) > 1 or any(w.endswith("ing") for w in cues):
        return False  # "…," she said, adding, "…" — a second statement
    return True


def _is_continuation(ctx: _Ctx, prev: Quote, prev_end: int, unit: _Unit) -> bool:
    """A quote with no attribution, right after the previous speaker's quote in the same paragraph, continues it."""
    if prev.type != "direct" or (prev.speaker is None and prev.cue is None):
        return False
    gap = ctx.text[prev_end : unit.start]
    if "\n" in gap:
        return False
    return _words(gap) == 0


def _carry_speakers(ctx: _Ctx, quotes: list[Quote]) -> list[Quote]:
    """A quote with no attribution of its own, right after someone's statement, is theirs.

    "Right after": nothing but space and punctuation between the end of the
    sentence holding the previous statement's attribution and the quote, in the
    same paragraph or the next one.
    """
    out: list[Quote] = []
    for q in quotes:
        if q.attribution == "none" and q.type == "direct" and out:
            prev = out[-1]
            anchor = max(prev.end, prev.cue[1] if prev.cue else 0, prev.speaker[1] if prev.speaker else 0)
            p_end = ctx.paragraphs[ctx.para_of(max(0, anchor - 1))][1]
            s_end = _sentence_end_after(ctx, anchor, p_end)
            gap = ctx.text[s_end : q.start] if s_end <= q.start else ctx.text[anchor : q.start]
            if (
                prev.speaker is not None
                and _words(gap) == 0
                and gap.count("\n\n") <= 1
                and gap.count("\n") <= 2
            ):
                same_sentence = prev.cue is not None and ctx.sent_of(prev.cue[0]) == ctx.sent_of(q.start)
                between = ctx.text[prev.end : q.start]
                if (
                    prev.type != "direct"
                    and same_sentence
                    and _words(ctx.text[prev.start : prev.end]) <= 5
                    and ":" not in between
                    and "," in between
                ):
                    # "He concluded so eloquently, "…"": that cue introduces the quote itself
                    out[-1] = replace(
                        q, attribution="before", cue=prev.cue, speaker=prev.speaker, addressee=prev.addressee
                    )
                    continue
                # one statement in several parts, in this paragraph or the next
                out[-1] = replace(prev, parts=prev.parts + q.parts, marked=prev.marked + q.marked)
                continue
            else:
                q = replace(q, speaker=None, cue=None)
        elif q.speaker is None and q.cue is not None and out:
            before = out[-1].speaker
            if before is not None and ctx.sent_of(before[0]) == ctx.sent_of(q.cue[0]):
                # "X said "…," and added: "…"": the cue's subject is the one before
                q = replace(q, speaker=before)
        out.append(q)
    return out
