"""Quotation marks: every mark style paired into regions, quotes over paragraphs, nesting.

Unbalanced, nested and stray marks never raise: a mark that cannot be paired is ignored, and an
unclosed quote ends at its paragraph's end."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .model import Offsets

_DOUBLE_OPEN = "“„‟«〝"

_DOUBLE_CLOSE = "”»〞"

_DOUBLE_EITHER = '"＂'

_SINGLE_OPEN = "‘‚‛‹`"

_SINGLE_CLOSE = "’›"

_SINGLE_EITHER = "'"

_ALL_MARKS = _DOUBLE_OPEN + _DOUBLE_CLOSE + _DOUBLE_EITHER + _SINGLE_OPEN + _SINGLE_CLOSE + _SINGLE_EITHER

_MARK_RE = re.compile(r"''|``|[" + re.escape(_ALL_MARKS) + "]")

_DASHES = "-–—―"

_OPEN_CONTEXT = "([{" + _DASHES + "/"


@dataclass(frozen=True)
class QuoteRegion:
    """A stretch of text between an opening and a closing quotation mark.

    ``start``/``end`` include the marks; ``inner`` excludes them.  An unclosed
    region ends at its paragraph's end (``closed`` is False); ``continues``
    says the next paragraph reopens the same quote (the news convention for
    quotes over several paragraphs).  ``depth`` is 0 for an outer quote and 1
    for a quote nested inside another.
    """

    start: int
    end: int
    inner: Offsets
    double: bool
    closed: bool
    depth: int = 0
    continues: bool = False


@dataclass
class _Mark:
    start: int
    end: int
    double: bool
    glyph: str  # "open", "close" or "either"
    left: bool  # left-flanking: can open by context
    right: bool  # right-flanking: can close by context


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _classify_marks(text: str, start: int, end: int) -> list[_Mark]:
    marks: list[_Mark] = []
    for m in _MARK_RE.finditer(text, start, end):
        s, e = m.span()
        tok = m.group()
        before = text[s - 1] if s > start else " "
        after = text[e] if e < end else " "
        left = (before.isspace() or before in _OPEN_CONTEXT or before in _ALL_MARKS) and not after.isspace()
        right = not before.isspace() and (after.isspace() or not _is_word_char(after) or after in _ALL_MARKS)
        if tok == "''":
            double, glyph = True, "either"
        elif tok == "``" or tok in _DOUBLE_OPEN:
            double, glyph = True, "open"
        elif tok in _DOUBLE_CLOSE:
            double, glyph = True, "close"
        elif tok in _DOUBLE_EITHER:
            double, glyph = True, "either"
        else:
            double = False
            if _is_word_char(before) and _is_word_char(after):
                continue  # apostrophe: don't, Corbyn’s, rock'n'roll
            if tok in "'’‘" and re.match(r"\d\ds\b", text[e : e + 4]):
                continue  # elision: '90s
            if tok in "'’" and before in "sSzZ" and after in ",.;:!? \n" and not left:
                # members' / Jones' — a possessive unless a single quote is open; decided by the scanner
                glyph = "close"
            elif tok in _SINGLE_OPEN:
                glyph = "open"
            elif tok in _SINGLE_CLOSE:
                glyph = "close"
            else:
                glyph = "either"
        marks.append(_Mark(s, e, double, glyph, left, right))
    return marks


def _can_open(mark: _Mark) -> bool:
    if mark.glyph == "open":
        return not (mark.right and not mark.left)
    if mark.glyph == "close":
        return mark.left and not mark.right
    return mark.left or not mark.right


def _can_close(mark: _Mark) -> bool:
    if mark.glyph == "close":
        return not (mark.left and not mark.right)
    if mark.glyph == "open":
        return mark.right and not mark.left
    return mark.right or not mark.left


def _pair(text: str, marks: list[_Mark], *, single: bool) -> tuple[list[QuoteRegion], _Mark | None]:
    """Pair marks of one kind inside one paragraph.  Returns the regions and the mark left open."""
    regions: list[QuoteRegion] = []
    open_mark: _Mark | None = None
    for mark in marks:
        if open_mark is None:
            if _can_open(mark):
                open_mark = mark
            continue
        if _can_close(mark) and mark.start > open_mark.end:
            inner = (_lstrip(text, open_mark.end, mark.start), _rstrip(text, open_mark.end, mark.start))
            regions.append(QuoteRegion(open_mark.start, mark.end, (min(inner), inner[1]), not single, True))
            open_mark = None
        elif mark.glyph != "close" and mark.left:
            # A fresh opener while a quote is open: the earlier quote lost its closing mark.
            if not single:
                end = _rstrip(text, open_mark.end, mark.start)
                regions.append(QuoteRegion(open_mark.start, end, (open_mark.end, end), True, False))
            open_mark = mark
    return regions, open_mark


def find_quote_regions(text: str, paragraphs: Sequence[Offsets] | None = None) -> list[QuoteRegion]:
    """All quotation-mark regions of ``text``, outer and nested, sorted by start.

    Never raises: stray marks are dropped, and an outer quote left open at a
    paragraph's end runs to that end (and, if the next paragraph opens with a
    quotation mark, is marked as continuing there).
    """
    if paragraphs is None:
        from ...language.sentences import split_paragraphs

        paragraphs = split_paragraphs(text)
    out: list[QuoteRegion] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        marks = _classify_marks(text, p_start, p_end)
        if not marks:
            continue
        doubles = [m for m in marks if m.double]
        regions, left_open = _pair(text, doubles, single=False)
        if left_open is not None:
            nxt = paragraphs[p_index + 1][0] if p_index + 1 < len(paragraphs) else None
            continues = nxt is not None and _opens_with_mark(text, nxt)
            if p_end - left_open.end > 0:
                regions.append(_open_to_end(text, left_open, p_end, double=True, continues=continues))
        singles = [m for m in marks if not m.double]
        if singles:
            nxt = paragraphs[p_index + 1][0] if p_index + 1 < len(paragraphs) else None
            out.extend(_single_regions(text, singles, regions, p_start, p_end, nxt))
        out.extend(regions)
    out.sort(key=lambda r: (r.start, -r.end))
    return _nest(out)


def _single_regions(
    text: str, singles: list[_Mark], regions: list[QuoteRegion], p_start: int, p_end: int, nxt: int | None
) -> list[QuoteRegion]:
    """The regions of single marks in one paragraph, given its double-mark ``regions``: singles pair
    inside one double region or outside all of them, never across a boundary.  ``nxt`` is where the
    next paragraph starts."""
    out: list[QuoteRegion] = []
    bounds = sorted((r.start, r.end) for r in regions)
    groups: dict[int, list[_Mark]] = {}
    for m in singles:
        key = -1
        for i, (s, e) in enumerate(bounds):
            if s < m.start < e - 1 or (s < m.start and m.end <= e and not _closes_region(regions, m)):
                key = i
                break
        groups.setdefault(key, []).append(m)
    for key, group in groups.items():
        single_regions, single_open = _pair(text, group, single=True)
        depth = 0 if key == -1 else 1
        for r in single_regions:
            out.append(replace(r, depth=depth))
        if single_open is not None and key == -1 and single_open.start == _lstrip(text, p_start, p_end):
            # British style: 'a quote over paragraphs, reopened at the next one
            if nxt is not None and text[nxt] in "'‘":
                out.append(_open_to_end(text, single_open, p_end, double=False, continues=True))
    return out


def _nest(regions: list[QuoteRegion]) -> list[QuoteRegion]:
    """Depth: a region inside an earlier, longer one is nested; one crossing an outer region (a
    mispaired single mark) is dropped.  ``regions`` are sorted by start, longest first."""
    result: list[QuoteRegion] = []
    stack: list[QuoteRegion] = []
    for r in regions:
        while stack and stack[-1].end <= r.start:
            stack.pop()
        depth = 1 if stack and r.end <= stack[-1].end else 0
        if stack and r.start < stack[-1].end < r.end:
            continue  # crosses an outer region: a mispaired single mark
        r = replace(r, depth=depth)
        result.append(r)
        if depth == 0:
            stack.append(r)
    return result


def _open_to_end(text: str, mark: _Mark, p_end: int, *, double: bool, continues: bool) -> QuoteRegion:
    """A quote left open at its paragraph's end: it runs to that end."""
    return QuoteRegion(
        mark.start, p_end, (mark.end, _rstrip(text, mark.end, p_end)), double, False, continues=continues
    )


def _closes_region(regions: list[QuoteRegion], mark: _Mark) -> bool:
    return any(r.end == mark.end for r in regions)


def _opens_with_mark(text: str, pos: int) -> bool:
    return text.startswith(("''", "``"), pos) or (
        pos < len(text) and text[pos] in _DOUBLE_OPEN + _DOUBLE_EITHER + "”"
    )


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start
