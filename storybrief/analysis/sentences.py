"""Sentence and paragraph splitting that survives news text.

syntok does the hard part (abbreviations such as "Mr", initials, "U.S.",
quotes); we slice sentences from the original text by offset so nothing is
rewritten, and repair the few things news style breaks:

* a closing quote mark or bracket that syntok leaves at the start of the next
  sentence is moved back to the sentence it closes;
* a lone quote mark or punctuation fragment never becomes a sentence;
* paragraphs are blank-line separated blocks, or lines when the text has no
  blank line at all.
"""

from __future__ import annotations

import re

from syntok import segmenter

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
