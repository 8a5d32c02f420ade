"""Cheap features for the storybrief summariser: candidate sentences and the n-grams they carry.

The summariser values *n-gram types* (stemmed words and word pairs of the
story) rather than whole sentences: a summary is worth what it says, and
saying a thing twice is worth little more than saying it once.  This module

* cuts the story into **candidates**: sentences of its original (non-copy)
  articles, with splitter accidents repaired (``"... former new york gov."``
  + ``"Eliot spitzer ..."`` is one sentence) and a conservative trim (a
  leading wire dateline such as ``washington ( ap ) --``, a leading
  ``Advertisement``, a trailing ``( see also ... )``).  Lines that are not
  prose a reader wants — bylines, photo captions and credits
  (:func:`~storybrief.summarize.base.furniture_sents`), "click here",
  newsletter and cookie boilerplate, the cut-off end of a truncated article,
  half of a quotation — are kept as evidence but marked unselectable, and a
  bare quotation ("“...”" with nobody named) records the candidate that
  attributes it (``needs``), without which it is never chosen;
* turns text into the stemmed tokens the n-grams are made of (:func:`ngram_tokens`).

The rows of numbers come next: :mod:`.story_features` describes every n-gram
type (how many outlets use it, how early, how often, whether a reference
summary usually keeps it — a prior counted on Multi-News train, see
:mod:`.priors` — and how well supported the sentences holding it are), and
:mod:`.sentence_features` describes every candidate for a second,
sentence-level correction (quotes, position, cross-outlet support, fact
groups, document relevance).

Syndicated copies never count: their sentences are not candidates and their
words are no evidence, so a wire story printed by three outlets is one
voice, as in :class:`~storybrief.stories.model.FactGroup`.

Everything is plain Python and numpy over precomputed tables, a few
milliseconds per story.  What depends on one article alone (its candidates,
their tokens and text signals: :class:`ArticlePrep`) is worked out once per
analysis record.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..analysis.model import AnalyzedArticle
from ..language import ENGLISH_STOP_WORDS, ROUGE_TOKEN_RE
from ..language import stem as _snowball
from ..language.sentences import ends_sentence as _ends_sentence
from ..language.sentences import is_split_accident as _glue
from ..language.speech import PLAIN_FORMS, forms_pattern
from ..stories.model import SentRef, Story
from .base import count_words, furniture_sents, is_boilerplate_lower

# -- tokens ------------------------------------------------------------------

_TOKEN_RE = ROUGE_TOKEN_RE


def _stem(word: str) -> str:
    return _snowball(word) if len(word) > 3 else word


# The classic English stop list plus the attribution words the summariser's model was trained with
# (a subset of the language layer's NEWS_STOP_WORDS: adding the rest would change its features).
STOP_WORDS = ENGLISH_STOP_WORDS | frozenset("said says say mr mrs ms s t".split())
_STOP_STEM = {w: _stem(w) for w in STOP_WORDS if _TOKEN_RE.fullmatch(w)}
STOP_STEMS = frozenset(_STOP_STEM.values())


class _TokenCache(dict):
    """word -> ROUGE-style token, filled on first sight."""

    def __missing__(self, w: str) -> str:
        s = _STOP_STEM.get(w)
        tok = self[w] = s if s is not None else (_snowball(w) if len(w) > 3 else w)
        return tok


_TOKENS = _TokenCache()


def ngram_tokens(text: str) -> list[str]:
    """Tokens the way ROUGE sees them: lower-cased ``[a-z0-9]+`` runs, words over
    three letters stemmed (Snowball here; ROUGE uses Porter, which agrees on
    nearly every news word)."""
    if len(_TOKENS) > 500_000:
        _TOKENS.clear()
    return list(map(_TOKENS.__getitem__, _TOKEN_RE.findall(text.lower())))


# -- candidates: repair, trim, and junk ---------------------------------------------

_OPEN_Q = '"“'
_QUOTES = '"“”'


# "washington ( ap ) --", "london ( reuters ) -", "( cnn ) --", "-- " left over by the splitter.
_DATELINE_RE = re.compile(
    r"^\s*(?:[a-z][a-z .,'’-]{1,40}?\s*)?\(\s*(?:ap|reuters|afp|cnn|upi|ians|pti|cbs|nbc|abc|ansa|dpa|bloomberg|"
    r"cnn money|the associated press|associated press|ew\.com|ew|people|tmz|ap photo)\s*\)\s*(?:--|—|–|-|:)?\s*",
    re.IGNORECASE,
)
_LEAD_DASH_RE = re.compile(r"^\s*(?:--|—|–)\s*")
_CITY_DASH_RE = re.compile(r"^\s*[a-z][a-z .,'’]{1,30}?\s(?:--|—)\s+(?=\S)", re.IGNORECASE)
# Fixed page furniture that syntok glues to the front of the first real sentence after it.
_LEAD_JUNK_RE = re.compile(
    r"^\s*(?:advertisement(?: continue reading the main story| story continues below)?|"
    r"please enable javascript to (?:watch|view) this video|media playback is (?:unsupported|not supported) on your device|"
    r"story continued below|story highlights|close|play video|watch video|loading\.\.\.|"
    r"continue reading the main story|skip ad|ad loading\.\.\.)\s*[:.]?\s+(?=\S)",
    re.IGNORECASE,
)
_TRAIL_RE = re.compile(
    r"\s*\(\s*(?:see also|see|read|click|more|related|watch|update|photos?|video|via|h/t|hat tip)\b[^()]*\)\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    """A run of one or more consecutive sentences of one article, possibly trimmed,
    that may go into a summary.  ``start``/``end`` are offsets in the article text."""

    article: int
    sents: tuple[int, ...]
    start: int
    end: int
    words: int
    selectable: bool
    junk: bool = False  # page furniture, caption, credit, call to action
    truncated: bool = False  # cut-off end of a truncated article
    unbalanced: bool = False  # half of a quotation
    trimmed: bool = False
    pronoun_start: bool = False  # "He said ..." needs the sentence before it
    needs: int = -1  # a bare quotation: the index of the candidate that attributes it

    @property
    def ref(self) -> SentRef:
        return SentRef(self.article, self.sents[0])

    @property
    def refs(self) -> tuple[SentRef, ...]:
        return tuple(SentRef(self.article, j) for j in self.sents)


_PRONOUNS = frozenset(
    "he she they it his her their its this that these those him them we i but and so also".split()
)


def trim_span(text: str, start: int, end: int, *, lead: bool = False) -> tuple[int, int]:
    """Offsets without leading page furniture or a dateline (``lead``: the
    article's first sentence, where "city --" datelines live) and without a
    trailing "( see also ... )"."""
    body = text[start:end]
    s, e = 0, len(body)
    rules = (
        (_LEAD_JUNK_RE, _DATELINE_RE, _LEAD_DASH_RE, _CITY_DASH_RE)
        if lead
        else (_LEAD_JUNK_RE, _DATELINE_RE, _LEAD_DASH_RE)
    )
    for _ in range(3):
        moved = False
        for rx in rules:
            m = rx.match(body, s)
            if m and m.end() > s and count_words(body[m.end() : e]) >= 4:
                if rx is _CITY_DASH_RE and count_words(m.group(0)) > 4:
                    continue
                s = m.end()
                moved = True
        if not moved:
            break
    m = _TRAIL_RE.search(body, s) if body.rstrip().endswith(")") else None
    if m and m.start() > s and count_words(body[s : m.start()]) >= 4:
        e = m.start()
    return start + s, start + e


# A candidate that is nothing but a quotation: "“...”" or "‘...’", punctuation after.
_BARE_QUOTE_RE = re.compile(r"^\s*(?:[\"“][^\"“”]*[\"”]|[‘'][^\"“”]*[.,!?…-][’'])[\s.,;:!?…)]*$")
_PRONOUN_SPEAKERS = frozenset("he she they it we i you".split())
# a sentence that starts with one of these (or quotes one of he/she/they) names nobody
_PERSON_PRONOUNS = frozenset("he she they".split())


def is_bare_quote(body: str) -> bool:
    """Is ``body`` only a quotation, with no speaker or cue outside the marks?"""
    return _BARE_QUOTE_RE.match(body) is not None


def _root(cands: list[Candidate], anchor: int, own: int = -1) -> int:
    """The candidate that a dependent one (``own``) must come with: ``anchor``
    itself, or what ``anchor`` depends on in turn; -1 when any of them cannot
    be chosen, or when the chain leads back to ``own`` (a quote attributed in
    a later sentence that itself opens with "he said" would otherwise depend
    on itself, and the chain never end)."""
    steps = 0
    while anchor >= 0:
        if anchor == own or not cands[anchor].selectable or steps > len(cands):
            return -1
        if cands[anchor].needs < 0:
            return anchor
        anchor = cands[anchor].needs
        steps += 1
    return -1


def _attribute_bare_quotes(item: AnalyzedArticle, cands: list[Candidate]) -> None:
    """Fill ``needs`` of the bare quotations among ``cands`` (the candidates of
    ``item``): the candidate holding the cue or speaker of the quote (from the
    article's quote analysis), else the candidate before it; a bare quotation
    that cannot be attributed is not selectable.  A candidate whose quote is
    attributed to a pronoun ("..., she said") is marked ``pronoun_start``; one
    that opens with a personal pronoun ("He said ...") or quotes he/she/they
    needs the candidate before it in the same way."""
    text = item.article.text
    quotes = item.analysis.quotes
    starts = [c.start for c in cands]

    def holder(pos: int) -> int:
        k = bisect_left(starts, pos + 1) - 1
        return k if k >= 0 and cands[k].start <= pos < cands[k].end else -1

    speakers_in: dict[int, list[str]] = {}  # candidate -> the speakers it names, lower-cased
    for q in quotes:
        if q.speaker is not None:
            h = holder(q.speaker[0])
            if h >= 0:
                speakers_in.setdefault(h, []).append(text[q.speaker[0] : q.speaker[1]].strip().lower())

    for idx in range(len(cands)):
        c = cands[idx]
        body = text[c.start : c.end]
        speakers = speakers_in.get(idx, ())
        if any(w in _PRONOUN_SPEAKERS for w in speakers):
            cands[idx] = c = replace(c, pronoun_start=True)
        head = body.lstrip(_QUOTES + "' ").split(None, 1)
        person = (bool(head) and head[0].strip(",.;:").lower() in _PERSON_PRONOUNS) or any(
            w in _PERSON_PRONOUNS for w in speakers
        )
        if person and not is_bare_quote(body):
            # "He said ...", "..., she said": who is meant is in the sentence before
            anchor = _root(cands, idx - 1, idx)
            if anchor >= 0:
                cands[idx] = replace(c, needs=anchor)
            continue
        if not is_bare_quote(body):
            continue
        anchor = -1
        for q in quotes:
            if any(ps < c.end and pe > c.start for ps, pe in q.parts):
                at = q.cue or q.speaker
                if at is not None:
                    h = holder(at[0])
                    anchor = h if h != idx else -2
                break
        if anchor == -2:
            continue  # attributed inside after all
        if anchor < 0:
            anchor = idx - 1
        anchor = _root(cands, anchor, idx)
        cands[idx] = replace(c, selectable=False) if anchor < 0 else replace(c, needs=anchor)


def _quote_parity(text: str) -> list[int]:
    """Offsets of the double quotation marks of ``text``, in order."""
    return [m.start() for m in re.finditer(r"[\"“”]", text)]


def article_candidates(item: AnalyzedArticle, *, max_run: int = 3, max_quote_run: int = 4) -> list[Candidate]:
    """Candidates of one article, in reading order (``article`` is -1 and
    ``needs`` counts within the article: :func:`story_candidates` places them).

    Quotation marks are tracked through each paragraph so a candidate never
    starts or ends inside a quotation: a closing mark that the splitter put
    at the start of the next sentence (or an opening one it left at the end
    of the previous) is trimmed off, and a quotation that runs over several
    sentences is taken whole or not at all.
    """
    out: list[Candidate] = []
    text = item.article.text
    sents = item.analysis.sents
    paras = item.analysis.sent_paragraph
    marks = _quote_parity(text)
    furniture = furniture_sents(item)
    para_starts = [ps for ps, _ in item.analysis.paragraphs]

    def inside(pos: int) -> bool:  # is offset ``pos`` inside a quotation?
        # Marks are counted from the start of the paragraph: news style leaves
        # a quote's closing mark off when the next paragraph goes on with it.
        k = bisect_left(para_starts, pos + 1) - 1
        base = bisect_left(marks, para_starts[k]) if k >= 0 else 0
        return (bisect_left(marks, pos) - base) % 2 == 1

    n = len(sents)
    j = 0
    while j < n:
        k = j
        while (
            k + 1 < n
            and k - j + 1 < max_run
            and paras[k + 1] == paras[k]
            and _glue(text, sents[k], sents[k + 1])
        ):
            k += 1
        k, s, e, s0, e0 = _whole_quotation(text, sents, paras, j, k, inside, max_quote_run)
        body = text[s:e]
        words = count_words(body)
        low = body.lower()
        junk = is_boilerplate_lower(low) or any(m in furniture for m in range(j, k + 1))
        truncated = k == n - 1 and not _ends_sentence(body)
        unbalanced = inside(s) or inside(e)
        first = low.lstrip(_QUOTES + "' ").split(None, 1)
        pronoun = bool(first) and first[0].strip(",.;:") in _PRONOUNS
        selectable = not junk and not truncated and not unbalanced and 4 <= words <= 90
        out.append(
            Candidate(
                -1,
                tuple(range(j, k + 1)),
                s,
                e,
                words,
                selectable,
                junk,
                truncated,
                unbalanced,
                (s, e) != (s0, e0),
                pronoun,
            )
        )
        j = k + 1
    _attribute_bare_quotes(item, out)
    return out


def _whole_quotation(
    text: str,
    sents: Sequence[tuple[int, int]],
    paras: Sequence[int],
    j: int,
    k: int,
    inside: Callable[[int], bool],
    max_quote_run: int,
) -> tuple[int, int, int, int, int]:
    """(last sentence, start, end, untrimmed start, untrimmed end) of the candidate of sentences
    ``j..k``, trimmed so it never starts or ends inside a quotation: stray marks go to their
    neighbours, and a quotation that goes on takes the next sentences (up to ``max_quote_run``)."""
    n = len(sents)
    while True:
        s0, e0 = sents[j][0], sents[k][1]
        s, e = trim_span(text, s0, e0, lead=j == 0)
        # a closing mark at the start, an opening mark at the end: the neighbours'
        if inside(s) and text[s] in _QUOTES and not inside(s + 1):
            s += 1
            while s < e and text[s].isspace():
                s += 1
        if inside(e) and text[e - 1] in _QUOTES and not inside(e - 1):
            e -= 1
            while e > s and text[e - 1].isspace():
                e -= 1
        if inside(e):
            # the closing mark may wait at the start of the next sentence
            m = e
            while m < len(text) and text[m].isspace():
                m += 1
            if m < len(text) and text[m] in _QUOTES and not inside(m + 1):
                e = m + 1
        if inside(e) and k + 1 < n and k - j + 1 < max_quote_run and paras[k + 1] == paras[k]:
            k += 1  # the quotation goes on: take the next sentence too
            continue
        return k, s, e, s0, e0


@dataclass(frozen=True)
class ArticlePrep:
    """What the summariser reads off one article alone: its candidates (as
    :func:`article_candidates` gives them), their ROUGE-style tokens, and the
    text signals of each.  Worked out once per analysis record (see
    :meth:`~storybrief.analysis.model.Analysis.derived`), so building a story
    again, or an article joining another story, costs only the story's own work."""

    cands: tuple[Candidate, ...]
    tokens: tuple[list[str], ...]
    quoted: np.ndarray  # share of each candidate inside quotation marks
    signals: np.ndarray  # per candidate: opens with a quotation mark, "said"/"told"/..., a question, digits


_SIGNALS = 4


def _prepare(item: AnalyzedArticle) -> ArticlePrep:
    cands = article_candidates(item)
    text = item.article.text
    bodies = [text[c.start : c.end] for c in cands]
    signals = np.zeros((len(cands), _SIGNALS), dtype=np.float32)
    for row, body in zip(signals, bodies):
        row[:] = (
            body[:1] in _QUOTES,
            _SAID_RE.search(body.lower()) is not None,
            "?" in body,
            len(_DIGIT_RE.findall(body)),
        )
    return ArticlePrep(
        cands=tuple(cands),
        tokens=tuple(map(ngram_tokens, bodies)),
        quoted=np.fromiter(
            (_quoted_share(b) if '"' in b or "“" in b else 0.0 for b in bodies),
            dtype=np.float32,
            count=len(bodies),
        ),
        signals=signals,
    )


def article_prep(item: AnalyzedArticle) -> ArticlePrep:
    """:class:`ArticlePrep` of one article, from its analysis record's memo."""
    return item.analysis.derived("summarize.prep", lambda: _prepare(item))


def story_candidates(story: Story) -> list[Candidate]:
    """Candidates of the story's original articles, in reading order, numbered for the story."""
    out: list[Candidate] = []
    for i in story.originals:
        base = len(out)
        out.extend(
            replace(c, article=i, needs=c.needs + base if c.needs >= 0 else -1)
            for c in article_prep(story.articles[i]).cands
        )
    return out


def _quoted_share(body: str) -> float:
    """Share of characters inside straight or curly double quotes."""
    inside = 0
    pos = None
    for m in re.finditer(r"[\"“”]", body):
        if pos is None:
            pos = m.end()
        else:
            inside += m.start() - pos
            pos = None
    return inside / max(len(body), 1)


_DIGIT_RE = re.compile(r"\d")
_SAID_RE = re.compile(rf"\b(?:{forms_pattern(PLAIN_FORMS)}|according)\b")
