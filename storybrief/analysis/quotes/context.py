"""What every extraction step shares: the article's context, a parsed frame, and span helpers."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ...language.sentences import TITLE_END_RE as _ABBREV_END_RE
from .lexicon import DEFAULT_CUE_PRIOR, MIN_CUE_PRIOR
from .marks import QuoteRegion
from .model import Offsets
from .words import _Tok, _tokens, _words


@dataclass
class _Ctx:
    text: str
    sents: Sequence[Offsets]
    sent_starts: list[int]
    paragraphs: Sequence[Offsets]
    para_starts: list[int]
    entities: Sequence[tuple[int, int, str]]
    ent_at: dict[int, int]  # token start -> entity index
    regions: list[QuoteRegion] = field(default_factory=list)
    cue_prior: dict[str, float] = field(default_factory=dict)
    min_prior: float = MIN_CUE_PRIOR

    def sent_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.sent_starts, pos) - 1)

    def para_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, pos) - 1)

    def toks(self, start: int, end: int) -> list[_Tok]:
        return _tokens(self.text, start, end, self.ent_at)

    def prior(self, form: str) -> float:
        return self.cue_prior.get(form, DEFAULT_CUE_PRIOR)

    def ent_label(self, tok: _Tok) -> str:
        return self.entities[tok.ent][2] if tok.ent >= 0 else ""


@dataclass
class _Frame:
    cue: Offsets | None
    speaker: Offsets | None
    addressee: Offsets | None
    cue_pos: int  # index of the cue token in the frame's token list, -1 if none
    lead: Offsets | None = (
        None  # reported words before the quote that belong to it ("No change, he said, "…"")
    )
    tail: Offsets | None = None  # and after it ("…," she said, and "clear consequences …")


def _ent_tuple(e: Any) -> tuple[int, int, str]:
    if isinstance(e, tuple):
        return int(e[0]), int(e[1]), str(e[2])
    return int(e.start), int(e.end), str(e.label)


@dataclass
class _Unit:
    regions: list[QuoteRegion]

    @property
    def start(self) -> int:
        return self.regions[0].start

    @property
    def end(self) -> int:
        return self.regions[-1].end


def _sentence_start(ctx: _Ctx, pos: int) -> int:
    """Start of the sentence holding ``pos``, undoing splits after a title ("Rep. | Jim Clyburn")."""
    if not ctx.sents:
        return 0
    k = ctx.sent_of(pos)
    while k > 0 and _ABBREV_END_RE.search(ctx.text[ctx.sents[k - 1][0] : ctx.sents[k - 1][1]]):
        k -= 1
    return ctx.sents[k][0]


def _sentence_end_after(ctx: _Ctx, pos: int, p_end: int) -> int:
    """End of the sentence holding ``pos - 1``; when the quote closed its sentence, of the next one."""
    s_idx = ctx.sent_of(max(0, pos - 1))
    s_end = ctx.sents[s_idx][1] if ctx.sents else p_end
    while (
        s_idx + 1 < len(ctx.sents)
        and ctx.sents[s_idx + 1][0] < p_end
        and _ABBREV_END_RE.search(ctx.text[max(0, s_end - 6) : s_end])
    ):
        s_idx += 1
        s_end = ctx.sents[s_idx][1]
    if s_end <= pos + 1 and s_idx + 1 < len(ctx.sents) and ctx.sents[s_idx + 1][0] < p_end:
        # the quote ended its sentence: an after-frame would be the next "sentence" (' she said.')
        nxt_start, nxt_end = ctx.sents[s_idx + 1]
        if _words(ctx.text[pos:nxt_start]) == 0:
            s_end = nxt_end
    return min(max(s_end, pos), p_end)


def _after_end(ctx: _Ctx, pos: int) -> int:
    """``pos``, moved over trailing punctuation and space."""
    text = ctx.text
    while pos < len(text) and (text[pos] in ".,;:!?)" or text[pos] in " \t"):
        pos += 1
    return pos


def _overlaps(span: Offsets, ranges: Sequence[Offsets]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in ranges)


def _marked_in(ctx: _Ctx, start: int, end: int) -> tuple[Offsets, ...]:
    return tuple(r.inner for r in ctx.regions if r.depth == 0 and start <= r.start and r.end <= end)


def _content_end(text: str, toks: list[_Tok], i: int, j: int) -> Offsets | None:
    """Trim a content token range [i, j): drop trailing sentence punctuation (but keep closing quote marks)."""
    while j > i and toks[j - 1].text in {".", ",", ";", ":", "?", "!", "–", "—", "-", ")"}:
        # keep "?" when the content is a question inside marks
        j -= 1
    while i < j and toks[i].text in {",", ":", "–", "—", "-"}:
        i += 1
    if j <= i:
        return None
    return (toks[i].start, toks[j - 1].end)
