"""Sentence and paragraph splitting that survives news text: every repair of syntok's splits lives here.

syntok does the hard part (abbreviations such as "Mr", initials, "U.S.",
quotes); we slice sentences from the original text by offset so nothing is
rewritten, and repair the few things news style breaks:

* a closing quote mark or bracket that syntok leaves at the start of the next
  sentence is moved back to the sentence it closes;
* a lone quote mark or punctuation fragment never becomes a sentence;
* paragraphs are blank-line separated blocks, or lines when the text has no
  blank line at all.

Two later repairs join what a reader of one stage must see as one sentence, each with its own list
of abbreviations, and leave the stored sentences as they are:

* :func:`merge_title_splits` (quotes): a split after a title or an initial ("Rep. | Jim Clyburn",
  "the U.S. | “does not …”"), :data:`TITLE_END_RE`;
* :func:`is_split_accident` (summary candidates): a split after any short abbreviation, month,
  "a.m." or initial in any case (:data:`ABBREV_END_RE`, for lower-cased Multi-News text), after a
  text that does not end a sentence, or before a lower-case start.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from syntok import segmenter

from .words import count_words

_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_NEWLINE_RE = re.compile(r"\n\s*")
_CLOSERS = "\"'”’»)]"
_NO_WORD_RE = re.compile(r"^[\W_]*$")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs as (start, end), stripped of surrounding space.

    Text with blank lines is split at them (single newlines are then line
    wrapping); text without any blank line has one paragraph per line, as
    extracted web text and many plain-text dumps do.
    """
    breaker = _BLANK_LINE_RE if _BLANK_LINE_RE.search(text) else _NEWLINE_RE
    spans = []
    pos = 0
    for m in breaker.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for start, end in spans:
        block = text[start:end]
        lead = len(block) - len(block.lstrip())
        trail = len(block.rstrip())
        if trail > lead:
            out.append((start + lead, start + trail))
    return out


def _syntok_sents(text: str, start: int, end: int) -> list[list[int]]:
    chunk = text[start:end]
    sents: list[list[int]] = []
    for paragraph in segmenter.analyze(chunk):
        for sent in paragraph:
            if not sent:
                continue
            s = start + sent[0].offset
            e = start + sent[-1].offset + len(sent[-1].value)
            sents.append([s, e])
    return sents


def split_sentences(text: str) -> tuple[list[tuple[int, int]], list[int], list[tuple[int, int]]]:
    """Return (sentence spans, paragraph index of each sentence, paragraph spans)."""
    paragraphs = split_paragraphs(text)
    sents: list[tuple[int, int]] = []
    para_of: list[int] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        raw = _syntok_sents(text, p_start, p_end)
        merged: list[list[int]] = []
        for s, e in raw:
            # Pull leading closing marks back into the previous sentence.
            while (
                merged and s < e and text[s] in _CLOSERS and _is_unbalanced_close(text, merged[-1], text[s])
            ):
                merged[-1][1] = s + 1
                s += 1
                while s < e and text[s].isspace():
                    s += 1
            if s >= e:
                continue
            if _NO_WORD_RE.match(text[s:e]):
                if merged:
                    merged[-1][1] = e
                continue
            merged.append([s, e])
        for s, e in merged:
            sents.append((s, e))
            para_of.append(p_index)
    return sents, para_of, paragraphs


def _is_unbalanced_close(text: str, prev: list[int], mark: str) -> bool:
    body = text[prev[0] : prev[1]]
    pairs = {"”": "“", "’": "‘", "»": "«", ")": "(", "]": "["}
    if mark in pairs:
        return body.count(pairs[mark]) > body.count(mark)
    # straight quotes: odd count means one is open
    return body.count(mark) % 2 == 1


# A sentence of the quotes stage that ends in a title or an initial goes on in the next one.
TITLE_END_RE = re.compile(
    r"(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|St|Jr|Sr|Prof|Rev|Hon|Supt|Insp|Det)\.)$"
)


def merge_title_splits(
    text: str, sents: Sequence[tuple[int, int]], paragraphs: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Join sentences split after a title or initial ("Rep. | Jim Clyburn", "the U.S. | “does not …”")."""
    para_ends = sorted(e for _, e in paragraphs)
    out: list[list[int]] = []
    for s, e in sents:
        if out and TITLE_END_RE.search(text[max(0, out[-1][1] - 6) : out[-1][1]]):
            k = bisect.bisect_left(para_ends, out[-1][1])
            if k < len(para_ends) and s < para_ends[k]:
                out[-1][1] = e
                continue
        out.append([s, e])
    return [(s, e) for s, e in out]


# Tokens that end a syntok "sentence" without ending the sentence (in any case: Multi-News is lower-cased).
ABBREV_END_RE = re.compile(
    r"(?:^|[\s(])(?:mr|mrs|ms|dr|gov|sen|rep|reps|lt|sgt|gen|col|capt|cmdr|adm|maj|cpl|pvt|st|no|nos|vol|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|prof|rev|hon|pres|supt|det|insp|atty|ft|mt|ave|blvd|"
    r"a\.m|p\.m|[a-z]|[a-z]\.[a-z])\.\s*$",
    re.IGNORECASE,
)
_END_CLOSERS = "\"'”’)]"
_OPEN_QUOTES = '"“”'


def ends_sentence(body: str) -> bool:
    """Does ``body`` end as a sentence does (``.!?…`` before any closing marks)?"""
    b = body.rstrip().rstrip(_END_CLOSERS)
    return bool(b) and b[-1] in ".!?…"


def is_split_accident(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Should sentence ``a`` be joined with the next one ``b`` (a splitter accident)?"""
    body = text[a[0] : a[1]].rstrip()
    # a match is at most 6 characters long ("(sept."), so only the tail is searched
    if ABBREV_END_RE.search(body, max(0, len(body) - 8)):
        return True
    if not ends_sentence(body):
        return True  # "her glam life style" + "( she is married ... )"
    nxt = text[b[0] : b[1]].lstrip(_OPEN_QUOTES + " ")
    # A lower-case start after a full stop: Multi-News capitalises every sentence
    # start it knows of, so "tucson, ariz." + "-- a tucson couple ..." is one sentence.
    lower = bool(nxt) and (nxt[0].islower() or nxt[0] in ",;:)-–—")
    last = body.rstrip().rsplit(None, 1)[-1] if body.strip() else ""
    return lower and (count_words(body) <= 3 or len(last.strip(".")) <= 5)
