"""The extractor: every quote and reported statement of one article, in reading order."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ...language import LETTERS_RE
from ...language.sentences import merge_title_splits as _merge_abbrev_splits
from .context import _Ctx, _ent_tuple
from .direct import _carry_speakers, _direct_quotes
from .indirect import _indirect_quotes
from .lexicon import CUE_PRIOR, MIN_CUE_PRIOR
from .marks import find_quote_regions
from .model import Offsets, Quote
from .words import _TOKEN_RE


def extract_quotes(
    text: str,
    *,
    sents: Sequence[Offsets],
    paragraphs: Sequence[Offsets],
    entities: Sequence[Any] = (),
    cue_prior: dict[str, float] | None = None,
    min_prior: float = MIN_CUE_PRIOR,
) -> tuple[Quote, ...]:
    """Every quote and reported statement in one article, in reading order.

    ``entities`` are objects with ``start``, ``end`` and ``label`` (spaCy NER),
    or (start, end, label) tuples.  The speaker of each quote is the mention as
    written; resolve it with :func:`storybrief.analysis.speakers.resolve_speakers`.
    """
    ents = [_ent_tuple(e) for e in entities]
    ent_at: dict[int, int] = {}
    for i, (s, e, _label) in enumerate(ents):
        for m in _TOKEN_RE.finditer(text, s, e):
            ent_at[m.start()] = i
    sents = _merge_abbrev_splits(text, sents, paragraphs)
    ctx = _Ctx(
        text=text,
        sents=sents,
        sent_starts=[s for s, _ in sents],
        paragraphs=list(paragraphs),
        para_starts=[p for p, _ in paragraphs],
        entities=ents,
        ent_at=ent_at,
        cue_prior=CUE_PRIOR if cue_prior is None else cue_prior,
        min_prior=min_prior,
    )
    if not text.strip():
        return ()
    ctx.regions = find_quote_regions(text, ctx.paragraphs)
    direct, used = _direct_quotes(ctx)
    indirect = _indirect_quotes(ctx, used, direct)
    quotes = _carry_speakers(ctx, sorted(direct + indirect, key=lambda q: (q.start, q.end)))
    # a headline's verb reports nobody's words, unless the headline names its speaker ("Corbyn: '…'")
    return tuple(
        _clip(q, len(text)) for q in quotes if q.attribution == "colon" or not _in_headline(text, q.start)
    )


_TEASER_RE = re.compile(r"(?:READ MORE|WATCH|RELATED|LISTEN|PHOTOS?|VIDEO|ALSO READ)\s*:", re.IGNORECASE)

_LINE_WORD_RE = LETTERS_RE


def _in_headline(text: str, pos: int) -> bool:
    """Does ``pos`` sit in a headline, a standfirst in title case, or a teaser for another story
    ("READ MORE: Convoy to Ottawa plans …")?  Their verbs report nobody's words."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)].strip()
    if _TEASER_RE.match(line):
        return True
    words = _LINE_WORD_RE.findall(line)
    return (
        len(words) >= 4
        and sum(w[0].isupper() for w in words) >= 0.7 * len(words)
        and not line.endswith((".", '"', "”", "’", "'"))
    )


def _clip(q: Quote, n: int) -> Quote:
    def c(span: Offsets | None) -> Offsets | None:
        if span is None:
            return None
        s, e = max(0, min(span[0], n)), max(0, min(span[1], n))
        return (s, max(s, e))

    return replace(
        q,
        parts=tuple(c(p) for p in q.parts),  # type: ignore[misc]
        marked=tuple(c(m) for m in q.marked),  # type: ignore[misc]
        cue=c(q.cue),
        speaker=c(q.speaker),
        addressee=c(q.addressee),
        speaker_ref=c(q.speaker_ref),
    )
