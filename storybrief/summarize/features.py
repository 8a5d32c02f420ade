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
* describes every n-gram type with a row of cheap numbers (how many outlets
  use it, how early, how often, whether a reference summary usually keeps
  it — a prior counted on Multi-News train — and how well supported the
  sentences holding it are);
* describes every candidate with a row of cheap numbers for a second,
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

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain, pairwise, repeat

import numpy as np

from ..analysis.model import AnalyzedArticle
from ..analysis.terms import stem as _snowball
from ..stories.model import SentRef, Story
from .base import count_words, furniture_sents, is_boilerplate_lower

# -- tokens ------------------------------------------------------------------

_TOKEN_RE = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    return _snowball(word) if len(word) > 3 else word


# The classic English stop list (the 318 words scikit-learn also ships as
# ENGLISH_STOP_WORDS, from the Glasgow IR group), kept here so that loading the
# summariser does not import scikit-learn.
_ENGLISH_STOP = frozenset(
    """
    a about above across after afterwards again against all almost alone along already also although always am
    among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at back
    be became because become becomes becoming been before beforehand behind being below beside besides between
    beyond bill both bottom but by call can cannot cant co con could couldnt cry de describe detail do done down
    due during each eg eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find fire first five for former formerly forty found four from front
    full further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers herself
    him himself his how however hundred i ie if in inc indeed interest into is it its itself keep last latter
    latterly least less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my
    myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere of
    off often on once one only onto or other others otherwise our ours ourselves out over own part per perhaps
    please put rather re same see seem seemed seeming seems serious several she should show side since sincere six
    sixty so some somehow someone something sometime sometimes somewhere still such system take ten than that the
    their them themselves then thence there thereafter thereby therefore therein thereupon these they thick thin
    third this those though three through throughout thru thus to together too top toward towards twelve twenty
    two un under until up upon us very via was we well were what whatever when whence whenever where whereafter
    whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will
    with within without would yet you your yours yourself yourselves
    """.split()
)
STOP_WORDS = _ENGLISH_STOP | {
    "said",
    "says",
    "say",
    "mr",
    "mrs",
    "ms",
    "s",
    "t",
    "it",
    "has",
    "was",
    "is",
    "will",
}
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
_END_RE = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_CLOSERS = "\"'”’)]"


def _ends_sentence(body: str) -> bool:
    """``_END_RE.search(body)``, without scanning the whole text."""
    b = body.rstrip().rstrip(_CLOSERS)
    return bool(b) and b[-1] in ".!?…"


# Tokens that end a syntok "sentence" without ending the sentence.
_ABBREV_END_RE = re.compile(
    r"(?:^|[\s(])(?:mr|mrs|ms|dr|gov|sen|rep|reps|lt|sgt|gen|col|capt|cmdr|adm|maj|cpl|pvt|st|no|nos|vol|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|prof|rev|hon|pres|supt|det|insp|atty|ft|mt|ave|blvd|"
    r"a\.m|p\.m|[a-z]|[a-z]\.[a-z])\.\s*$",
    re.IGNORECASE,
)
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


def _glue(text: str, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Should sentence ``a`` be joined with the next one ``b`` (a splitter accident)?"""
    body = text[a[0] : a[1]].rstrip()
    # a match is at most 6 characters long ("(sept."), so only the tail is searched
    if _ABBREV_END_RE.search(body, max(0, len(body) - 8)):
        return True
    if not _ends_sentence(body):
        return True  # "her glam life style" + "( she is married ... )"
    nxt = text[b[0] : b[1]].lstrip(_QUOTES + " ")
    # A lower-case start after a full stop: Multi-News capitalises every sentence
    # start it knows of, so "tucson, ariz." + "-- a tucson couple ..." is one sentence.
    lower = bool(nxt) and (nxt[0].islower() or nxt[0] in ",;:)-–—")
    last = body.rstrip().rsplit(None, 1)[-1] if body.strip() else ""
    return lower and (count_words(body) <= 3 or len(last.strip(".")) <= 5)


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
            break
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


# -- priors ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Priors:
    """How often a reference summary keeps a word or word pair that its sources use.

    Counted once on Multi-News train (:func:`count_priors`) and stored as
    arrays, so loading them costs no parsing.  ``words`` is the sorted
    vocabulary; ``uni_rows[i] = (n_src, n_ref, ref_count)`` for ``words[i]``:
    clusters whose sources hold it, how many of those references also hold
    it, and the references' total count of it (zeros for a word seen only in
    pairs; the last row is zeros, for words outside ``words``).
    ``bi_codes`` is the sorted ``i1 * len(words) + i2`` of every counted pair
    "w1 w2" and ``bi_rows`` its counts in the same order (last row zeros).
    ``n`` is the number of clusters counted.
    """

    n: int
    words: tuple[str, ...]
    uni_rows: np.ndarray
    bi_codes: np.ndarray
    bi_rows: np.ndarray

    @cached_property
    def index(self) -> dict[str, int]:
        """The number of every word of ``words``."""
        return dict(zip(self.words, range(len(self.words))))

    def tables(self) -> tuple[dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
        """``(index, uni_rows, bi_codes, bi_rows)``."""
        return self.index, self.uni_rows, self.bi_codes, self.bi_rows

    @classmethod
    def from_counts(
        cls, n: int, uni: dict[str, tuple[int, int, int]], bi: dict[str, tuple[int, int, int]]
    ) -> Priors:
        """The arrays of ``uni[w]`` and ``bi["w1 w2"]`` counts (``(n_src, n_ref, ref_count)`` each)."""
        words = sorted(set(uni) | {w for k in bi for w in k.split(" ")})
        index = {w: i for i, w in enumerate(words)}
        v = len(words)
        uni_rows = np.zeros((v + 1, 3), dtype=np.float32)
        for w, row in uni.items():
            uni_rows[index[w]] = row
        codes = np.empty(len(bi), dtype=np.int64)
        rows = np.zeros((len(bi) + 1, 3), dtype=np.float32)
        for k, (key, row) in enumerate(bi.items()):
            a, b = key.split(" ")
            codes[k] = index[a] * v + index[b]
            rows[k] = row
        order = np.argsort(codes, kind="stable")
        return cls(n, tuple(words), uni_rows, codes[order], np.vstack([rows[:-1][order], rows[-1:]]))

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The priors as named arrays (for ``numpy.savez``), every name starting with ``prefix``."""
        return {
            f"{prefix}n": np.array(self.n, dtype=np.int64),
            f"{prefix}words": np.frombuffer("\n".join(self.words).encode("utf-8"), dtype=np.uint8),
            f"{prefix}uni_rows": self.uni_rows,
            f"{prefix}bi_codes": self.bi_codes,
            f"{prefix}bi_rows": self.bi_rows,
        }

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> Priors:
        """The inverse of :meth:`to_arrays` (``arrays`` may be an open ``numpy.load`` file)."""
        text = arrays[f"{prefix}words"].tobytes().decode("utf-8")
        return cls(
            n=int(arrays[f"{prefix}n"]),
            words=tuple(text.split("\n")) if text else (),
            uni_rows=arrays[f"{prefix}uni_rows"],
            bi_codes=arrays[f"{prefix}bi_codes"],
            bi_rows=arrays[f"{prefix}bi_rows"],
        )


def count_priors(pairs: Iterable[tuple[list[str], str]], *, min_uni: int = 3, min_bi: int = 5) -> Priors:
    """Count :class:`Priors` over (source texts, reference summary) pairs."""
    uni: dict[str, list[int]] = {}
    bi: dict[str, list[int]] = {}
    n = 0
    for texts, summary in pairs:
        n += 1
        src_uni: set[str] = set()
        src_bi: set[str] = set()
        for text in texts:
            toks = ngram_tokens(text)
            src_uni.update(toks)
            src_bi.update(f"{a} {b}" for a, b in pairwise(toks))
        ref = ngram_tokens(summary)
        ref_uni = Counter(ref)
        ref_bi = Counter(f"{a} {b}" for a, b in pairwise(ref))
        for table, src, refc in ((uni, src_uni, ref_uni), (bi, src_bi, ref_bi)):
            for key in src:
                row = table.get(key)
                if row is None:
                    row = table[key] = [0, 0, 0]
                row[0] += 1
                c = refc.get(key, 0)
                if c:
                    row[1] += 1
                    row[2] += c
    return Priors.from_counts(
        n,
        {k: (v[0], v[1], v[2]) for k, v in uni.items() if v[0] >= min_uni},
        {k: (v[0], v[1], v[2]) for k, v in bi.items() if v[0] >= min_bi},
    )


def _prior_cols(out: np.ndarray, base_p: float) -> np.ndarray:
    """(p_in_ref smoothed, mean ref count smoothed, log #clusters seen) from rows of
    raw prior counts ``(n_src, n_ref, ref_count)``."""
    a = 5.0
    s, r, c = out[:, 0], out[:, 1], out[:, 2]
    return np.column_stack([(r + a * base_p) / (s + a), (c + a * base_p) / (s + a), np.log1p(s)]).astype(
        np.float32
    )


# -- per-story features ---------------------------------------------------------------

# what a word and a word pair are both described by: counts, spread, position, the train prior
# fmt: off
_TYPE_FEATURES = (
    "log_tf",
    "df",
    "df_frac",
    "n_docs",
    "first_rel_pos",
    "first_sent",
    "mean_rel_pos",
    "prior_p",
    "prior_mean",
    "prior_log_src",
)
# fmt: on
UNI_FEATURES = _TYPE_FEATURES + (
    "is_stop",
    "is_digit",
    "length",
    "log_total_tokens",
    "tf_selectable",
    "tf_rank",
    "max_doc_rel",
    "density",
    "tf_lead",
    "max_outlets",
    "tf_quoted",
)
BI_FEATURES = _TYPE_FEATURES + (
    "log_total_tokens",
    "tf_selectable",
    "max_doc_rel",
    "tf_lead",
    "max_outlets",
    "tf_quoted",
    "p1",
    "p2",
    "stop1",
    "stop2",
    "df1",
    "df2",
    "known",
)


@dataclass
class StoryFeatures:
    """Everything the summariser needs about one story.

    ``cu_*`` and ``cb_*`` are the candidate x type incidence lists, flattened:
    entry ``k`` says candidate ``cu_cand[k]`` holds type ``cu_type[k]``
    ``cu_count[k]`` times (sorted by candidate).
    """

    cands: list[Candidate]
    uni_keys: list[str]
    bi_pairs: tuple[np.ndarray, np.ndarray]  # the two words (indices into uni_keys) of each bigram type
    uni_x: np.ndarray
    bi_x: np.ndarray
    cu_cand: np.ndarray
    cu_type: np.ndarray
    cu_count: np.ndarray
    cb_cand: np.ndarray
    cb_type: np.ndarray
    cb_count: np.ndarray
    tokens: np.ndarray  # ROUGE-style token count of each candidate
    doc_of: np.ndarray  # document order (0..) of each candidate
    doc_rel: np.ndarray  # per document: cosine with the rest of the story
    outlets: np.ndarray  # fact-group support (outlets) of each candidate
    quoted: np.ndarray  # share of the candidate inside quotation marks
    signals: np.ndarray  # text signals of each candidate (see ArticlePrep)

    @property
    def bi_keys(self) -> list[str]:
        """Bigram types as "w1 w2" strings (for training; the summariser never needs them)."""
        u = self.uni_keys
        return [u[a] + " " + u[b] for a, b in zip(self.bi_pairs[0].tolist(), self.bi_pairs[1].tolist())]


def _doc_relevance(
    doc_of_tok: np.ndarray, type_of_tok: np.ndarray, content: np.ndarray, n_docs: int, n_types: int
) -> np.ndarray:
    """Cosine of each document's content-word vector with the other documents' sum."""
    if n_docs <= 1:
        return np.ones(max(n_docs, 1), dtype=np.float32)
    mask = content[type_of_tok]
    m = np.zeros((n_docs, n_types), dtype=np.float32)
    np.add.at(m, (doc_of_tok[mask], type_of_tok[mask]), 1.0)
    m = np.log1p(m)
    others = m.sum(axis=0, keepdims=True) - m
    num = (m * others).sum(axis=1)
    den = np.linalg.norm(m, axis=1) * np.linalg.norm(others, axis=1)
    den[den == 0] = 1.0
    return (num / den).astype(np.float32)


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


def story_features(story: Story, priors: Priors) -> StoryFeatures:
    cands = story_candidates(story)
    preps = [article_prep(story.articles[i]) for i in story.originals]
    nc = len(cands)
    # documents that hold a candidate, in reading order
    doc_index = {a: d for d, a in enumerate(dict.fromkeys(c.article for c in cands))}
    per_cand = [toks for prep in preps for toks in prep.tokens]
    all_toks = list(chain.from_iterable(per_cand))
    # ids in order of first sight (tf_rank breaks ties by it)
    uni_keys = list(dict.fromkeys(all_toks))
    vocab = {k: i for i, k in enumerate(uni_keys)}
    t_type = np.fromiter(map(vocab.__getitem__, all_toks), dtype=np.int64, count=len(all_toks))
    nu = len(uni_keys)
    n_docs = max(len(doc_index), 1)
    lens = np.fromiter(map(len, per_cand), dtype=np.int64, count=nc)
    t_cand = np.repeat(np.arange(nc), lens)
    doc_of = np.fromiter((doc_index[c.article] for c in cands), dtype=np.int64, count=nc)
    sent_of = np.fromiter((c.sents[0] for c in cands), dtype=np.float32, count=nc)
    sel_of = np.fromiter((c.selectable for c in cands), dtype=np.float32, count=nc)
    group_of = story.group_of
    groups = story.fact_groups
    outlets = np.fromiter(
        (
            max(
                (
                    groups[g].size
                    for g in (group_of.get(r) for r in c.refs)
                    if g is not None and g < len(groups)
                ),
                default=1,
            )
            for c in cands
        ),
        dtype=np.float32,
        count=nc,
    )
    quoted = np.concatenate([prep.quoted for prep in preps]) if preps else np.zeros(0, np.float32)
    signals = (
        np.concatenate([prep.signals for prep in preps]) if preps else np.zeros((0, _SIGNALS), np.float32)
    )
    t_doc = doc_of[t_cand]
    # relative position of each token in its document
    doc_len = np.bincount(t_doc, minlength=n_docs).astype(np.float32)
    first_tok = np.zeros(len(t_type), dtype=np.float32)
    if len(t_type):
        order_in_doc: np.ndarray | None = (
            np.arange(len(t_type)) - np.searchsorted(t_doc, t_doc, side="left")
            if np.all(np.diff(t_doc) >= 0)
            else None
        )
        if order_in_doc is None:  # documents are contiguous by construction; keep a safe fallback
            order_in_doc = np.zeros(len(t_type))
            seen: dict[int, int] = {}
            for k, d in enumerate(t_doc.tolist()):
                order_in_doc[k] = seen.get(d, 0)
                seen[d] = seen.get(d, 0) + 1
        first_tok = (order_in_doc / np.maximum(doc_len[t_doc], 1)).astype(np.float32)
    total = max(len(t_type), 1)
    is_stop = np.fromiter(map(STOP_STEMS.__contains__, uni_keys), dtype=np.float32, count=nu)
    doc_rel = _doc_relevance(t_doc, t_type, is_stop == 0, n_docs, nu) if nu else np.ones(n_docs, np.float32)

    t_sent = sent_of[t_cand]
    t_sel = sel_of[t_cand]
    t_out = outlets[t_cand]
    t_quo = quoted[t_cand]
    t_rel = doc_rel[t_doc]

    def stats(types: np.ndarray, n: int, tok: np.ndarray) -> list[np.ndarray]:
        d = t_doc[tok]
        tf = np.bincount(types, minlength=n).astype(np.float32)
        pair = np.unique(types * n_docs + d)
        df = np.bincount(pair // n_docs, minlength=n).astype(np.float32)
        # per-type minima and maxima by one sort and reduceat (every type 0..n-1 occurs)
        order = np.argsort(types, kind="stable")
        sorted_types = types[order]
        starts = np.flatnonzero(np.concatenate(([True], sorted_types[1:] != sorted_types[:-1])))
        tok_sorted = tok[order]

        def group(values: np.ndarray, ufunc: np.ufunc, init: float) -> np.ndarray:
            return ufunc(ufunc.reduceat(values[tok_sorted], starts), np.float32(init)).astype(np.float32)

        first_pos = group(first_tok, np.minimum, 1.0)
        first_sent = group(t_sent, np.minimum, 50.0)
        mean_pos = np.bincount(types, weights=first_tok[tok], minlength=n).astype(np.float32) / np.maximum(
            tf, 1
        )
        tf_sel = np.bincount(types, weights=t_sel[tok], minlength=n).astype(np.float32)
        maxrel = group(t_rel, np.maximum, 0.0)
        lead = np.bincount(types, weights=(t_sent[tok] == 0), minlength=n).astype(np.float32)
        maxout = group(t_out, np.maximum, 1.0)
        quo = np.bincount(types, weights=t_quo[tok], minlength=n).astype(np.float32) / np.maximum(tf, 1)
        return [tf, df, first_pos, first_sent, mean_pos, tf_sel, maxrel, lead, maxout, quo]

    if nu:
        tf, df, first_pos, first_sent, mean_pos, tf_sel, maxrel, lead, maxout, quo = stats(
            t_type, nu, np.arange(len(t_type))
        )
        index, uni_rows, bi_codes, bi_rows = priors.tables()
        gid = np.fromiter(map(index.get, uni_keys, repeat(-1, nu)), dtype=np.int64, count=nu)
        up = _prior_cols(uni_rows[gid], 0.05)
        is_digit = np.fromiter(map(str.isdigit, uni_keys), dtype=np.float32, count=nu)
        length = np.fromiter(map(len, uni_keys), dtype=np.float32, count=nu)
        rank = np.empty(nu, dtype=np.float32)
        rank[np.argsort(-tf, kind="stable")] = np.arange(nu, dtype=np.float32) / nu
        uni_x = np.column_stack(
            [
                np.log1p(tf),
                df,
                df / n_docs,
                np.full(nu, n_docs, np.float32),
                first_pos,
                first_sent,
                mean_pos,
                up,
                is_stop,
                is_digit,
                length,
                np.full(nu, math.log(total), np.float32),
                tf_sel,
                rank,
                maxrel,
                tf * 1000.0 / total,
                lead,
                maxout,
                quo,
            ]
        ).astype(np.float32)
    else:
        uni_x = np.zeros((0, len(UNI_FEATURES)), np.float32)
        up = np.zeros((0, 3), np.float32)
        df = np.zeros(0, np.float32)

    # bigrams inside each candidate
    if len(t_type) > 1:
        same = t_cand[1:] == t_cand[:-1]
        b_tok = np.nonzero(same)[0]
        code = t_type[b_tok] * max(nu, 1) + t_type[b_tok + 1]
        codes, b_type = np.unique(code, return_inverse=True)
    else:
        b_tok = np.zeros(0, np.int64)
        codes = np.zeros(0, np.int64)
        b_type = np.zeros(0, np.int64)
    nb = len(codes)
    if nb:
        first = codes // max(nu, 1)
        second = codes % max(nu, 1)
        g1, g2 = gid[first], gid[second]
        code = g1 * (len(uni_rows) - 1) + g2
        at = np.minimum(np.searchsorted(bi_codes, code), max(len(bi_codes) - 1, 0))
        found = (g1 >= 0) & (g2 >= 0) & (bi_codes[at] == code) if len(bi_codes) else np.zeros(nb, bool)
        bi_pairs = (first, second)
        tf, bdf, first_pos, first_sent, mean_pos, tf_sel, maxrel, lead, maxout, quo = stats(b_type, nb, b_tok)
        bp = _prior_cols(bi_rows[np.where(found, at, len(bi_rows) - 1)], 0.01)
        known = (bp[:, 2] > 0).astype(np.float32)
        bi_x = np.column_stack(
            [
                np.log1p(tf),
                bdf,
                bdf / n_docs,
                np.full(nb, n_docs, np.float32),
                first_pos,
                first_sent,
                mean_pos,
                bp,
                np.full(nb, math.log(total), np.float32),
                tf_sel,
                maxrel,
                lead,
                maxout,
                quo,
                up[first, 0],
                up[second, 0],
                is_stop[first],
                is_stop[second],
                df[first],
                df[second],
                known,
            ]
        ).astype(np.float32)
    else:
        bi_pairs = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        bi_x = np.zeros((0, len(BI_FEATURES)), np.float32)

    def incidence(cand: np.ndarray, types: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if len(types) == 0:
            z = np.zeros(0, np.int64)
            return z, z, z
        key, count = np.unique(cand * max(n, 1) + types, return_counts=True)
        return key // max(n, 1), key % max(n, 1), count

    cu = incidence(t_cand, t_type, nu)
    cb = incidence(t_cand[b_tok], b_type, nb)
    return StoryFeatures(
        cands=cands,
        uni_keys=uni_keys,
        bi_pairs=bi_pairs,
        uni_x=uni_x,
        bi_x=bi_x,
        cu_cand=cu[0],
        cu_type=cu[1],
        cu_count=cu[2],
        cb_cand=cb[0],
        cb_type=cb[1],
        cb_count=cb[2],
        tokens=lens,
        doc_of=doc_of,
        doc_rel=doc_rel,
        outlets=outlets,
        quoted=quoted,
        signals=signals,
    )


# -- value tables ---------------------------------------------------------------------------

UNI_DEPTH = 40  # a summary may use "the" forty times
_LOG_FACT = np.array([math.lgamma(k + 1.0) for k in range(64)])
BI_DEPTH = 10


def coverage_table(mu: np.ndarray, depth: int) -> np.ndarray:
    """``F[g, n] = E[min(n, C_g)]`` for ``C_g ~ Poisson(mu_g)``, ``n = 0..depth+1``.

    The expected number of ROUGE matches that ``n`` uses of n-gram ``g`` earn
    when the reference uses it ``C_g`` times: each further use is worth
    ``P(C_g >= n)``, so repeats pay less and less.
    """
    mu = np.maximum(np.asarray(mu, dtype=np.float64), 1e-9)
    k = np.arange(depth, dtype=np.float64)
    # log P(C = k) for k = 0..depth-1, then P(C >= k + 1) = 1 - P(C <= k)
    logpmf = k[None, :] * np.log(mu)[:, None] - mu[:, None] - _LOG_FACT[:depth][None, :]
    survival = 1.0 - np.cumsum(np.exp(logpmf), axis=1)
    table = np.zeros((len(mu), depth + 2), dtype=np.float64)
    np.cumsum(np.maximum(survival, 0.0), axis=1, out=table[:, 1 : depth + 1])
    table[:, depth + 1] = table[:, depth]
    return table


def exact_table(counts: np.ndarray, depth: int) -> np.ndarray:
    """``F[g, n] = min(n, counts_g)``: the same table when the reference is known (training)."""
    n = np.arange(depth + 2)
    return np.minimum(n[None, :], np.asarray(counts)[:, None]).astype(np.float64)


def standalone_values(sf: StoryFeatures, fu: np.ndarray, fb: np.ndarray, beta: float) -> np.ndarray:
    """Value of each candidate on its own (uni + beta * bi expected matches)."""
    nc = len(sf.cands)
    vu = fu[sf.cu_type, np.minimum(sf.cu_count, fu.shape[1] - 1)] if len(sf.cu_type) else np.zeros(0)
    vb = fb[sf.cb_type, np.minimum(sf.cb_count, fb.shape[1] - 1)] if len(sf.cb_type) else np.zeros(0)
    return np.bincount(sf.cu_cand, weights=vu, minlength=nc) + beta * np.bincount(
        sf.cb_cand, weights=vb, minlength=nc
    )


# -- per-candidate features ------------------------------------------------------------------

# fmt: off
SENT_FEATURES = (
    "sent",
    "rel_sent",
    "doc_order",
    "n_docs",
    "words",
    "run",
    "trimmed",
    "pronoun_start",
    "quoted",
    "starts_quote",
    "has_said",
    "question",
    "digits",
    "value",
    "p_content_mean",
    "p_content_max",
    "p_bi_mean",
    "content_frac",
    "prior_content_mean",
    "sim_other_max",
    "sim_other_top3",
    "sim_centroid",
    "sim_own_doc",
    "sim_leads",
    "fact_outlets",
    "fact_outlets_frac",
    "doc_rel",
    "doc_words",
    "doc_sents",
)
# fmt: on
_DIGIT_RE = re.compile(r"\d")
_SAID_RE = re.compile(r"\b(?:said|says|say|told|tells|according)\b")


def sentence_features(
    story: Story, sf: StoryFeatures, mu_uni: np.ndarray, mu_bi: np.ndarray, value: np.ndarray
) -> np.ndarray:
    """One row of :data:`SENT_FEATURES` per candidate; ``value`` is its standalone predicted value per word."""
    cands = sf.cands
    n = len(cands)
    nu = len(sf.uni_keys)
    out = np.zeros((n, len(SENT_FEATURES)), dtype=np.float32)
    if n == 0:
        return out
    stop = sf.uni_x[:, UNI_FEATURES.index("is_stop")] > 0 if nu else np.zeros(0, bool)
    prior = sf.uni_x[:, UNI_FEATURES.index("prior_p")] if nu else np.zeros(0, np.float32)
    p_uni = 1.0 - np.exp(-np.asarray(mu_uni, dtype=np.float64))
    p_bi = 1.0 - np.exp(-np.asarray(mu_bi, dtype=np.float64))

    # candidate x content-type tf-idf, idf over the story's candidates
    m = np.zeros((n, max(nu, 1)), dtype=np.float32)
    cc, ct, cn = sf.cu_cand, sf.cu_type, sf.cu_count
    content = ~stop[ct] if nu else np.zeros(0, bool)
    if nu:
        m[cc[content], ct[content]] = 1.0 + np.log(cn[content])
        df = (m > 0).sum(axis=0)
        m *= (np.log((1.0 + n) / (1.0 + df)) + 1.0)[None, :]
    norms = np.linalg.norm(m, axis=1)
    norms[norms == 0] = 1.0
    unit = m / norms[:, None]
    sims = unit @ unit.T
    doc = sf.doc_of
    same = doc[:, None] == doc[None, :]
    other = np.where(same, 0.0, sims)
    sim_max = other.max(axis=1)
    k3 = min(3, n)
    top3 = np.sort(other, axis=1)[:, -k3:].mean(axis=1)
    centroid = unit.sum(axis=0)
    sim_centroid = unit @ (centroid / (np.linalg.norm(centroid) or 1.0))
    sent0 = np.fromiter((c.sents[0] for c in cands), dtype=np.int64, count=n)
    lead_vec = unit[sent0 == 0].sum(axis=0)
    sim_leads = unit @ (lead_vec / (np.linalg.norm(lead_vec) or 1.0))
    n_docs = int(doc.max()) + 1
    doc_vec = np.zeros((n_docs, unit.shape[1]), dtype=np.float32)
    np.add.at(doc_vec, doc, unit)
    dn = np.linalg.norm(doc_vec, axis=1)
    dn[dn == 0] = 1.0
    sim_own = (unit * (doc_vec / dn[:, None])[doc]).sum(axis=1)
    words = np.fromiter((c.words for c in cands), dtype=np.float32, count=n)
    doc_words = np.bincount(doc, weights=words, minlength=n_docs)
    doc_sents = np.bincount(doc, minlength=n_docs).astype(np.float32)
    pos_in_doc = np.zeros(n, dtype=np.float32)
    seen: dict[int, int] = {}
    for i, d in enumerate(doc.tolist()):
        pos_in_doc[i] = seen.get(d, 0)
        seen[d] = seen.get(d, 0) + 1

    ntok = np.maximum(np.bincount(cc, weights=cn, minlength=n), 1)
    if nu:
        ccount: np.ndarray = np.bincount(cc[content], weights=cn[content], minlength=n)
        pc_sum: np.ndarray = np.bincount(cc[content], weights=(p_uni[ct] * cn)[content], minlength=n)
        pc_max = np.zeros(n)
        np.maximum.at(pc_max, cc[content], p_uni[ct][content])
        prior_sum: np.ndarray = np.bincount(cc[content], weights=(prior[ct] * cn)[content], minlength=n)
    else:
        ccount = pc_sum = pc_max = prior_sum = np.zeros(n)
    nbt = np.maximum(np.bincount(sf.cb_cand, weights=sf.cb_count, minlength=n), 1)
    pb_sum = (
        np.bincount(sf.cb_cand, weights=p_bi[sf.cb_type] * sf.cb_count, minlength=n)
        if len(sf.cb_type)
        else np.zeros(n)
    )

    out[:, 0] = sent0
    out[:, 1] = pos_in_doc / np.maximum(doc_sents[doc], 1)
    out[:, 2] = doc
    out[:, 3] = n_docs
    out[:, 4] = words
    out[:, 5] = [len(c.sents) for c in cands]
    out[:, 6] = [c.trimmed for c in cands]
    out[:, 7] = [c.pronoun_start for c in cands]
    out[:, 8] = sf.quoted
    out[:, 9:13] = sf.signals
    out[:, 13] = value
    out[:, 14] = pc_sum / np.maximum(ccount, 1)
    out[:, 15] = pc_max
    out[:, 16] = pb_sum / nbt
    out[:, 17] = ccount / ntok
    out[:, 18] = prior_sum / np.maximum(ccount, 1)
    out[:, 19] = sim_max
    out[:, 20] = top3
    out[:, 21] = sim_centroid
    out[:, 22] = sim_own
    out[:, 23] = sim_leads
    out[:, 24] = sf.outlets
    out[:, 25] = sf.outlets / n_docs
    out[:, 26] = sf.doc_rel[doc]
    out[:, 27] = doc_words[doc]
    out[:, 28] = doc_sents[doc]
    return out
