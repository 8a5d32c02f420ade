"""The scanner: every figure in one sentence, read number by number.

Dates and vague amounts ("hundreds of", "tens of thousands of") are taken first; then each number is
read on its own (scale, currency symbol, qualifier), joined with a second number into a range where
the wording says so ("10 to 20", "between 10 and 20"), and handed to :mod:`.kinds` to say what it
measures.  Scores ("won 3-2") and numbers that name rather than count are dropped on the way.
"""

from __future__ import annotations

import math
import re

from ...articles import Span
from ..dates import BOUNDING_RELATIONS, DateMention
from ..model import Entity
from .kinds import _Reading, _Sentence, read_kind
from .lexicon import (
    _AFTER_NOT_FIGURE_RE,
    _CURRENCY_BEFORE_RE,
    _CURRENCY_SYMBOLS,
    _LABEL_BEFORE_RE,
    _PER_RE,
    _QUALIFIER_AFTER,
    _QUALIFIER_BEFORE,
    _SCALE_RE,
    _VAGUE_RANGES,
    _VAGUE_RE,
)
from .model import Figure
from .numbers import _Number, _numbers, _scale_after, _slack
from .words import _anchor_before, _is_plural, _thing_after, _words_after


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any((s <= start and end <= e) or (start < e and s < end) for s, e in spans)


def _qualify(text: str, lo: int, start: int, end: int) -> tuple[str, int, int]:
    """(qualifier, new start, new end) from the words around a number."""
    before = text[max(lo, start - 30) : start]
    qualifier, q_start = "exact", start
    for pattern, name in _QUALIFIER_BEFORE:
        m = pattern.search(before)
        if m:
            qualifier, q_start = name, start - (len(before) - m.start())
            while q_start < start and text[q_start].isspace():
                q_start += 1
            break
    after = text[end : end + 20]
    q_end = end
    for pattern, name in _QUALIFIER_AFTER:
        m = pattern.match(after)
        if m:
            if qualifier == "exact":
                qualifier = name
            q_end = end + m.end()
            break
    return qualifier, q_start, q_end


def _interval(qualifier: str, value: float, slack: float) -> tuple[float, float]:
    if qualifier == "over":
        return value, math.inf
    if qualifier == "at-least":
        return value - slack, math.inf
    if qualifier == "under":
        return 0.0, value
    if qualifier == "at-most":
        return 0.0, value + slack
    if qualifier == "nearly":
        return 0.9 * value - slack, value + slack
    if qualifier == "about":
        return value * 0.9 - slack, value * 1.1 + slack
    return value - slack, value + slack


_SCORE_RE = re.compile(
    r"\b(?:won|win|wins|beat|beats|defeated|lost|loses|lose|score|scored|tied|led|leads|lead|trailing|trail|"
    r"voted|vote|votes|margin|record)\b[^.]{0,20}$",
    re.IGNORECASE,
)
_SCORE_AFTER_RE = re.compile(
    r"^\W{0,3}(?:win|victory|defeat|loss|lead|vote|decision|majority|record|draw|tie)\b", re.IGNORECASE
)
_RANGE_SEP_RE = re.compile(r"^\s*(-|–|to|and)\s*")


def scan(
    text: str,
    lo: int,
    hi: int,
    *,
    article_id: str,
    entities: tuple[Entity, ...] = (),
    dates: tuple[DateMention, ...] = (),
) -> list[Figure]:
    """Figures in ``text[lo:hi]`` (one sentence), dates included."""
    sent_dates = [d for d in dates if lo <= d.span.start and d.span.end <= hi]
    vague = list(_VAGUE_RE.finditer(text, lo, hi))
    skip = [(d.span.start, d.span.end) for d in sent_dates] + [(m.start(), m.end()) for m in vague]
    out = [_date_figure(text, lo, d) for d in sent_dates if d.relation not in BOUNDING_RELATIONS]
    out.extend(_vague_figure(text, m, article_id) for m in vague)
    sentence = _Sentence(text, lo, hi, article_id, entities, _numbers(text, lo, hi), used_until=lo)
    out.extend(_number_figures(sentence, skip))
    out.sort(key=lambda f: (f.span.start, f.span.end))
    return out


def _date_figure(text: str, lo: int, d: DateMention) -> Figure:
    return Figure(
        span=d.span,
        kind="date",
        value=None,
        unit="date",
        date=d.value,
        relative=d.relative,
        thing=_anchor_before(text, lo, d.span.start),
    )


def _vague_figure(text: str, m: re.Match[str], article_id: str) -> Figure:
    """ "hundreds of people", "tens of thousands of homes": a count known only to its order."""
    name = (m.group(1) + " of thousands") if m.group(1) else m.group(2)
    low, high = _VAGUE_RANGES[name.lower()]
    head, mods, comp, t_end = _thing_after(text, m.end())
    return Figure(
        span=Span(article_id, m.start(), max(t_end, m.end())),
        kind="count",
        value=None,
        low=low,
        high=high,
        qualifier="vague",
        thing=head,
        modifiers=mods,
        complement=comp,
    )


def _number_figures(s: _Sentence, skip: list[tuple[int, int]]) -> list[Figure]:
    """The figures the sentence's numbers state, in reading order; a number may take the next ones along."""
    out: list[Figure] = []
    while s.next < len(s.numbers):
        n = s.numbers[s.next]
        s.next += 1
        if n.start < s.used_until or _inside(skip, n.start, n.end) or _names_not_counts(s, n):
            continue
        r = _read_number(s, n)
        if r is None or not _read_range(s, r) or not read_kind(s, r):
            continue
        out.append(_to_figure(s, r))
        s.used_until = max(r.figure_end, r.end)
    return out


def _names_not_counts(s: _Sentence, n: _Number) -> bool:
    """A number that labels or is not a count: "flight 370", "12:03", "21st", "one of the", "two of them"."""
    text, lo, hi = s.text, s.lo, s.hi
    before = text[max(lo, n.start - 24) : n.start]
    after = text[n.end : min(hi, n.end + 40)]
    if not n.written and (_LABEL_BEFORE_RE.search(before) or _AFTER_NOT_FIGURE_RE.match(after)):
        return True
    if not n.written and (re.search(r"/\s*$", before) or (n.value == 0 and "." not in n.text)):
        return True  # "image 1 of / 42": a gallery counter; a bare "0" is mostly a typo or a score
    if n.written and n.value < 2 and not _SCALE_RE.match(after):
        return True  # "one" is mostly not a count: "one of the", "no one", "one day"
    if n.written and n.value < 10 and re.match(r"^\s*(?:of|another)\b", after, re.I):
        return True  # "two of them", "one another"
    return False


def _read_number(s: _Sentence, n: _Number) -> _Reading | None:
    """The number with its currency symbol, scale and qualifier; None for a bare year or a long id."""
    text, lo, hi = s.text, s.lo, s.hi
    cm = _CURRENCY_BEFORE_RE.search(text[max(lo, n.start - 6) : n.start])
    currency = _CURRENCY_SYMBOLS.get(re.sub(r"\s+", "", cm.group(1).lower()), "USD") if cm else None
    scale, used = _scale_after(text, n.end, hi, currency)
    end = n.end + used
    full = n.value * scale
    plain = not n.written and scale == 1.0 and not currency and "," not in n.text and "." not in n.text
    if plain and (1900 <= n.value <= 2099 or n.value >= 10000):
        probe = _words_after(text, end, 1)
        if not probe or not _is_plural(probe[0][0]):
            return None  # a bare year is a date; a long bare integer is a code or an id
    slack = _slack(n.text, full, scale)
    if "half" in n.text.lower():
        slack = max(slack, 0.05 * full)
    qualifier, q_start, q_end = _qualify(text, lo, n.start - len(cm.group(0)) if cm else n.start, end)
    end = max(end, q_end)
    return _Reading(n, currency, scale, full, slack, qualifier, q_start, end)


def _read_range(s: _Sentence, r: _Reading) -> bool:
    """Join the next number when the two make a range ("10 to 20 people", "between 10 and 20");
    False when they make a score or some other pair that is no figure ("won 3-2", "9-11")."""
    text, lo, hi, n = s.text, s.lo, s.hi, r.n
    rm = _RANGE_SEP_RE.match(text[r.end : min(hi, r.end + 8)])
    if not (rm and s.next < len(s.numbers) and s.numbers[s.next].start == r.end + rm.end()):
        return True
    nxt = s.numbers[s.next]
    sep = rm.group(1)
    lead = text[max(lo, r.start - 12) : r.start]
    if sep in ("-", "–") and (
        _SCORE_RE.search(text[max(lo, n.start - 40) : n.start])
        or _SCORE_AFTER_RE.match(text[nxt.end : nxt.end + 16])
    ):
        s.next += 1
        s.used_until = nxt.end
        return False
    is_range = (sep == "and" and re.search(r"\bbetween\s+$", lead)) or (
        sep != "and" and not re.search(r"\bfrom\s+$", lead)
    )
    if is_range and nxt.value > n.value:
        scale2, used2 = _scale_after(text, nxt.end, hi, r.currency)
        if scale2 == 1.0 and r.scale > 1.0:
            scale2 = r.scale  # "£5m to 10" is rare; keep the first number's scale
        r.range_high = nxt.value * scale2
        if r.scale > 1.0 or scale2 > 1.0:
            r.full = n.value * (r.scale if r.scale > 1.0 else scale2)
        r.slack = max(r.slack, _slack(nxt.text, r.range_high, scale2))
        r.end = nxt.end + used2
        s.next += 1
    elif sep in ("-", "–"):
        s.next += 1
        s.used_until = nxt.end
        return False  # "3-2", "9-11" and such: not a figure we can read
    return True


def _to_figure(s: _Sentence, r: _Reading) -> Figure:
    per = None
    pm = _PER_RE.match(s.text[r.figure_end : r.figure_end + 24])
    if pm:
        per = pm.group(1).lower()
    if r.range_high is not None:
        qualifier, low, high = "range", r.full - r.slack, r.range_high + r.slack
    else:
        qualifier = r.qualifier
        low, high = _interval(qualifier, r.full, r.slack)
    return Figure(
        span=Span(s.article_id, r.start, max(r.figure_end, r.end)),
        kind=r.kind,
        value=r.full,
        unit=r.unit,
        low=low,
        high=high,
        qualifier=qualifier,
        thing=r.thing,
        modifiers=tuple(m for m in r.mods if m),
        per=per,
        complement=r.comp,
        subject=r.subject,
    )
