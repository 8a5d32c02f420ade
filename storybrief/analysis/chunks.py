"""Bounded pieces of work: no sentence, paragraph or NER call grows with the article.

News sentences run to a few hundred characters and paragraphs to a few
thousand, so for a normal article nothing here changes anything.  A hostile or
broken one (a 200,000-word "sentence", a megabyte without a blank line) would
otherwise make the per-sentence and per-paragraph steps quadratic, and spaCy
refuses a text over 1,000,000 characters outright (E088).  So:

- a sentence longer than :data:`MAX_SENT_CHARS` is cut at the last space
  before the limit (or at the limit, when there is none);
- a paragraph longer than :data:`MAX_PARAGRAPH_CHARS` is cut between its
  sentences into paragraphs under the limit;
- NER runs on chunks of whole paragraphs of at most :data:`NER_CHUNK_CHARS`
  characters, and the entities are shifted back to article offsets.  An
  article under the chunk size is one chunk: exactly the text it always was.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import entities
from .model import Entity

MAX_SENT_CHARS = 2_000
MAX_PARAGRAPH_CHARS = 20_000
NER_CHUNK_CHARS = 50_000
NER_BATCH_CHARS = 100_000

Spans = list[tuple[int, int]]


def bound_sentence(text: str, start: int, end: int, *, limit: int = MAX_SENT_CHARS) -> Spans:
    """``text[start:end]`` as pieces of at most ``limit`` characters, cut at spaces where it can be."""
    pieces: Spans = []
    while end - start > limit:
        cut = text.rfind(" ", start + 1, start + limit)
        if cut <= start:
            cut = start + limit
        pieces.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def bound_spans(
    text: str,
    sents: Sequence[tuple[int, int]],
    sent_paragraph: Sequence[int],
    paragraphs: Sequence[tuple[int, int]],
) -> tuple[Spans, list[int], Spans]:
    """Sentences and paragraphs (as :func:`~storybrief.language.sentences.split_sentences` gives them) within the limits.

    Returns the inputs unchanged (as lists) when every piece is within its limit.
    """
    if all(e - s <= MAX_SENT_CHARS for s, e in sents) and all(
        e - s <= MAX_PARAGRAPH_CHARS for s, e in paragraphs
    ):
        return list(sents), list(sent_paragraph), list(paragraphs)
    by_paragraph: list[Spans] = [[] for _ in paragraphs]
    for (s, e), p in zip(sents, sent_paragraph):
        by_paragraph[p].extend(bound_sentence(text, s, e))
    out_sents: Spans = []
    out_para_of: list[int] = []
    out_paragraphs: Spans = []
    for (p_start, p_end), pieces in zip(paragraphs, by_paragraph):
        if not pieces:
            out_paragraphs.append((p_start, p_end))
            continue
        group_start = pieces[0][0]
        group: Spans = []
        for s, e in pieces:
            if group and e - group_start > MAX_PARAGRAPH_CHARS:
                _close(group, out_sents, out_para_of, out_paragraphs)
                group, group_start = [], s
            group.append((s, e))
        _close(group, out_sents, out_para_of, out_paragraphs)
    return out_sents, out_para_of, out_paragraphs


def _close(group: Spans, sents: Spans, para_of: list[int], paragraphs: Spans) -> None:
    index = len(paragraphs)
    paragraphs.append((group[0][0], group[-1][1]))
    sents.extend(group)
    para_of.extend([index] * len(group))


def ner_chunks(text: str, paragraphs: Sequence[tuple[int, int]], *, limit: int = NER_CHUNK_CHARS) -> Spans:
    """(start, end) of the chunks NER reads: the whole text when it is short enough, else runs of whole paragraphs."""
    if len(text) <= limit or not paragraphs:
        return [(0, len(text))] if len(text) <= limit else bound_sentence(text, 0, len(text), limit=limit)
    chunks: Spans = []
    start, end = paragraphs[0][0], paragraphs[0][0]
    for p_start, p_end in paragraphs:
        if p_end - start > limit and end > start:
            chunks.append((start, end))
            start = p_start
        end = p_end
    chunks.append((start, end))
    # A paragraph can be longer than the limit only if the caller did not bound it; cut it anyway.
    return [piece for s, e in chunks for piece in bound_sentence(text, s, e, limit=limit)]


def find_entities_chunked(
    texts: Sequence[str], paragraphs: Sequence[Sequence[tuple[int, int]]]
) -> list[tuple[Entity, ...]]:
    """Entities of each text, found chunk by chunk (see :func:`ner_chunks`), in article offsets.

    Chunks go to spaCy in batches of at most 16 and at most :data:`NER_BATCH_CHARS` characters, so
    memory stays bounded whatever the articles' lengths.
    """
    chunks = [(i, s, e) for i, text in enumerate(texts) for s, e in ner_chunks(text, paragraphs[i])]
    found: list[list[Entity]] = [[] for _ in texts]
    batch: list[tuple[int, int, int]] = []
    size = 0
    for chunk in [*chunks, None]:
        if batch and (chunk is None or len(batch) == 16 or size + chunk[2] - chunk[1] > NER_BATCH_CHARS):
            for (i, offset, _), ents in zip(
                batch, entities.find_entities([texts[i][s:e] for i, s, e in batch])
            ):
                found[i].extend(Entity(ent.start + offset, ent.end + offset, ent.label) for ent in ents)
            batch, size = [], 0
        if chunk is not None:
            batch.append(chunk)
            size += chunk[2] - chunk[1]
    return [tuple(ents) for ents in found]
