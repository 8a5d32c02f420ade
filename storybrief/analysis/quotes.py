"""Quote extraction over news conventions: who said what, and where it is in the text.

The extractor is rule-based and runs on what the analysis stage already has:
the article text, its paragraphs and sentences, and spaCy's named entities.  It
needs no parser, so it adds little to the cost of NER (see
``bench/quotes_overhead.py``).

It reads the conventions news writers use:

* every quote-mark style: straight ``"`` and ``'``, typographic “ ” and ‘ ’,
  guillemets « », low-9 „ and the doubled ``''`` of some wire copy; apostrophes
  (``don't``, ``Corbyn’s``) are told apart from single quote marks;
* quotes that run over paragraphs, where each paragraph reopens the quote and
  only the last one closes it (the earlier closing marks are simply missing);
* attribution before (``X said:``, ``X told Y:``), after (``"…," she said.``)
  and in the middle (``"…," he said, "…"``), by a dash (``posted two words -
  "So sad."``, or a signature ``"…" — Maria Lopez, 34``), or by a colon in a
  headline (``Corbyn: "…"``);
* quotes with no attribution of their own that continue the previous speaker
  (they join that speaker's statement as further parts);
* partial quotes inside reported speech (``she said the situation was
  "delicate"``) and indirect speech with no marks at all (``X said that …``,
  ``…, X said.``, ``according to X, …``).

Reported speech is found from a lexicon of speech and report verbs (``data/cue_verbs.txt``).  How far
each verb form can be trusted was learned on PolNeAR's train split
(:data:`CUE_PRIOR`, rebuilt by :func:`storybrief.evaluate.quotes.learn_cues`);
forms under :data:`MIN_CUE_PRIOR` are not used for indirect speech.

Each :class:`Quote` records its content parts, the cue, the speaker mention as
written, the addressee or medium, and which words are inside quotation marks.
Resolving the speaker mention ("she", "the Labour leader") to a name is
:mod:`storybrief.analysis.speakers`' job.

Unbalanced, nested and stray marks never raise: a mark that cannot be paired is
ignored, and an unclosed quote ends at its paragraph's end.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

Offsets = tuple[int, int]

QUOTE_TYPES = ("direct", "partial", "indirect")
"""``direct``: the content is the quoted words; ``partial``: reported speech that
quotes some words; ``indirect``: reported speech with no quotation marks."""

ATTRIBUTIONS = ("before", "after", "middle", "colon", "none")
"""Where the attribution sits: before the content (``X said: "…"``, or a dash),
after it (``"…," she said``, or a signature ``— Maria Lopez, 34``), inside it
(``"…," he said, "…"``), a headline colon (``Corbyn: "…"``), or nowhere to be
found (a quote with no speaker).  A quote with no attribution of its own right
after someone's statement joins that statement as a further part."""


@dataclass(frozen=True)
class Quote:
    """One attributed statement in one article; all offsets index the article's text.

    ``parts`` are the content pieces in reading order (a quote interrupted by
    its attribution, or running over paragraphs, has several); for direct quotes
    they include the quotation marks, as news attribution corpora annotate them.
    ``marked`` are the words inside quotation marks (marks excluded) — the exact
    wording, for comparing outlets.  ``speaker`` is the mention as written
    ("she", "Ms Morris", "a senior source"); ``speaker_names`` are filled by
    :func:`storybrief.analysis.speakers.resolve_speakers` with the name
    mention(s) it refers to (empty when honestly unresolved), and
    ``speaker_ref`` with the description a pronoun stands for when that is not
    a name ("They" → "103 Labour MPs").
    """

    parts: tuple[Offsets, ...]
    type: str
    attribution: str
    cue: Offsets | None = None
    speaker: Offsets | None = None
    addressee: Offsets | None = None
    marked: tuple[Offsets, ...] = ()
    speaker_kind: str = ""
    speaker_names: tuple[Offsets, ...] = ()
    speaker_ref: Offsets | None = None

    def __post_init__(self) -> None:
        if not self.parts:
            raise ValueError("a quote needs at least one content part")
        if self.type not in QUOTE_TYPES:
            raise ValueError(f"unknown quote type {self.type!r}")
        if self.attribution not in ATTRIBUTIONS:
            raise ValueError(f"unknown attribution {self.attribution!r}")
        for s, e in (*self.parts, *self.marked):
            if not 0 <= s <= e:
                raise ValueError(f"bad span [{s}, {e})")

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]

    def content_text(self, text: str, sep: str = " … ") -> str:
        return sep.join(text[s:e] for s, e in self.parts)

    def wording(self, text: str, sep: str = " … ") -> str:
        """The words inside quotation marks, or the content when nothing is quoted."""
        spans = self.marked or self.parts
        return sep.join(text[s:e] for s, e in spans)

    def to_dict(self) -> dict[str, Any]:
        return {
            "parts": [list(p) for p in self.parts],
            "type": self.type,
            "attribution": self.attribution,
            "cue": list(self.cue) if self.cue else None,
            "speaker": list(self.speaker) if self.speaker else None,
            "addressee": list(self.addressee) if self.addressee else None,
            "marked": [list(m) for m in self.marked],
            "speaker_kind": self.speaker_kind,
            "speaker_names": [list(n) for n in self.speaker_names],
            "speaker_ref": list(self.speaker_ref) if self.speaker_ref else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        def opt(value: Any) -> Offsets | None:
            return (int(value[0]), int(value[1])) if value else None

        return cls(
            parts=tuple((int(s), int(e)) for s, e in data["parts"]),
            type=data["type"],
            attribution=data["attribution"],
            cue=opt(data.get("cue")),
            speaker=opt(data.get("speaker")),
            addressee=opt(data.get("addressee")),
            marked=tuple((int(s), int(e)) for s, e in data.get("marked", ())),
            speaker_kind=data.get("speaker_kind", ""),
            speaker_names=tuple((int(s), int(e)) for s, e in data.get("speaker_names", ())),
            speaker_ref=opt(data.get("speaker_ref")),
        )


# ---------------------------------------------------------------------------
# Quotation marks
# ---------------------------------------------------------------------------

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
        elif tok == "``":
            double, glyph = True, "open"
        elif tok in _DOUBLE_OPEN:
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
        from .sentences import split_paragraphs

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
                regions.append(
                    QuoteRegion(left_open.start, p_end, (left_open.end, _rstrip(text, left_open.end, p_end)), True, False,
                                continues=continues)
                )
        singles = [m for m in marks if not m.double]
        if singles:
            # Singles pair inside one double region or outside all of them, never across a boundary.
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
                    nxt = paragraphs[p_index + 1][0] if p_index + 1 < len(paragraphs) else None
                    if nxt is not None and text[nxt] in "'‘":
                        out.append(
                            QuoteRegion(single_open.start, p_end,
                                        (single_open.end, _rstrip(text, single_open.end, p_end)), False, False,
                                        continues=True)
                        )
        out.extend(regions)
    out.sort(key=lambda r: (r.start, -r.end))
    # Depth: a region inside an earlier, longer one is nested.
    result: list[QuoteRegion] = []
    stack: list[QuoteRegion] = []
    for r in out:
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


def _closes_region(regions: list[QuoteRegion], mark: _Mark) -> bool:
    return any(r.end == mark.end for r in regions)


def _opens_with_mark(text: str, pos: int) -> bool:
    return text.startswith(("''", "``"), pos) or (pos < len(text) and text[pos] in _DOUBLE_OPEN + _DOUBLE_EITHER + "”")


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _lstrip(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


# ---------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., D.C.
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:-[^\W_]+)*"  # 2,000 and 2,000-strong
    r"|[^\W_]+(?:[’'.&-][^\W_]+)*"
    r"|''|``|\S",
)
_ABBREV = frozenset(
    "mr mrs ms dr st jr sr gen sen rep gov col lt sgt capt prof rev hon maj cmdr adm supt insp det pres "
    "messrs mt ft no vs inc corp co ltd".split()
)

PRONOUNS = frozenset("he she they we i it you who".split())
_OBJ_PRONOUNS = frozenset("him her them us me".split())
_DETERMINERS = frozenset(
    "the a an this that these those his her their its our my your some many several few most all both each "
    "every another other one two three four five six seven eight nine ten dozens hundreds thousands any no "
    "numerous various".split()
)
_AUX = frozenset(
    "has have had is are was were be been being will would could should may might must can do does did shall "
    "'s ’s 've ’ve 'd ’d 'll ’ll n't n’t not never also still now then later previously repeatedly once "
    "recently already just reportedly privately publicly earlier again often frequently separately "
    "subsequently initially originally even only simply further flatly bluntly angrily quickly quietly "
    "openly directly specifically explicitly firmly strongly emphatically tersely curtly famously herself "
    "himself themselves itself sometimes always long since last night yesterday today tonight".split()
)
_PREPOSITIONS = frozenset(
    "on in at during to for with from after before while when as by about over into since than until upon "
    "via through under across against among amid between without within outside like near despite "
    "following per whereas because although though if whether where".split()
)
_CONJ = frozenset("and but or nor so yet".split())
_TIME = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight tomorrow morning "
    "afternoon evening night week weekend month year earlier later recently last this next ago "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
ROLE_NOUNS = frozenset(
    "spokesman spokeswoman spokesperson spokespeople official officials aide aides adviser advisers advisor "
    "advisors executive chief chairman chairwoman chair director leader leaders secretary chancellor "
    "minister president senator governor mayor councillor candidate nominee manager strategist analyst "
    "analysts expert experts source sources officer officers member members mp mps mep peer activist "
    "activists campaigner campaigners founder co-founder head owner partner lawyer attorney professor "
    "economist historian researcher researchers scientist pollster editor reporter correspondent "
    "commentator columnist writer author organiser organizer coordinator chairperson convenor president "
    "vice-president deputy representative delegate voter voters supporter supporters critic critics "
    "resident residents witness witnesses neighbour neighbor neighbours neighbors friend friends colleague "
    "colleagues ally allies opponent opponents rival rivals worker workers employee employees union "
    "spokespersons commissioner inspector superintendent chief-executive ceo cfo coo boss bosses "
    "general judge justice prosecutor prosecutors detective police officer firefighter firefighters "
    "doctor doctors nurse teacher student students parent parents victim victims survivor family families "
    "group groups campaign committee council party government department ministry agency office "
    "administration organisation organization foundation charity company firm board trust movement "
    "network association federation institute".split()
)
DOCUMENT_NOUNS = frozenset(
    "report study poll polls survey statement letter memo email e-mail document documents filing "
    "lawsuit complaint ruling analysis article editorial post tweet video ad ads advert website "
    "book research data figures records".split()
)

# Speech and report verbs: their inflected forms, as written, from ``data/cue_verbs.txt`` (the one
# place the lexicon lives).  ``CUE_PRIOR`` (learned on PolNeAR train by
# ``storybrief.evaluate.quotes.learn_cues``, kept in ``data/cue_prior.json``) gives each form's
# precision when the rules below fire on it; forms under ``MIN_CUE_PRIOR`` are not used for indirect speech.


def _data_text(name: str) -> str:
    from importlib.resources import files

    return files(__package__).joinpath("data", name).read_text(encoding="utf-8")


def _read_cue_verbs() -> dict[str, frozenset[str]]:
    """The forms of each kind of ``data/cue_verbs.txt``: ``cue`` and ``speech``."""
    kinds: dict[str, set[str]] = {"cue": set(), "speech": set()}
    for line in _data_text("cue_verbs.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, forms = line.partition(":")
        kinds[kind.strip()].update(forms.split())
    return {k: frozenset(v) for k, v in kinds.items()}


_CUE_VERBS = _read_cue_verbs()
CUE_FORMS: frozenset[str] = _CUE_VERBS["cue"]
# Forms that introduce a direct quote after them with no further complement ("X said:").
SPEECH_FORMS: frozenset[str] = _CUE_VERBS["speech"]
_PARTICIPLE_CUES = frozenset(f for f in CUE_FORMS if f.endswith("ing"))
_MEDIUM_NOUNS = frozenset(
    "statement letter interview speech post tweet tweets email e-mail memo op-ed article column blog video "
    "message broadcast address podcast press release conference briefing rally appearance hearing testimony "
    "note remarks comments radio programme program show book report essay".split()
)
_PLATFORMS = frozenset("twitter facebook instagram youtube x linkedin tiktok truth social medium substack".split())

# Per-form precision learned on PolNeAR train (see storybrief.evaluate.quotes.learn_cues).
# Forms absent here fall back to ``DEFAULT_CUE_PRIOR``.
CUE_PRIOR: dict[str, float] = json.loads(_data_text("cue_prior.json"))
DEFAULT_CUE_PRIOR = 0.5
MIN_CUE_PRIOR = 0.45


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str
    lower: str
    ent: int  # index of the entity covering it, or -1


def _tokens(text: str, start: int, end: int, ent_at: dict[int, int]) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        s, e = m.span()
        if toks and s < toks[-1].end:
            continue  # the period already joined to an abbreviation
        word = m.group()
        # Keep a final period on abbreviations and initials: "Mr.", "J.", "Jr."
        if e < end and text[e] == "." and (word.lower() in _ABBREV or (len(word) == 1 and word.isupper())):
            e += 1
            word += "."
        toks.append(_Tok(s, e, word, word.lower().rstrip("."), ent_at.get(s, -1)))
    return toks


# ---------------------------------------------------------------------------
# The extractor
# ---------------------------------------------------------------------------


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
    lead: Offsets | None = None  # reported words before the quote that belong to it ("No change, he said, "…"")
    tail: Offsets | None = None  # and after it ("…," she said, and "clear consequences …")


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
    return tuple(_clip(q, len(text)) for q in quotes if q.attribution == "colon" or not _in_headline(text, q.start))


_TEASER_RE = re.compile(r"(?:READ MORE|WATCH|RELATED|LISTEN|PHOTOS?|VIDEO|ALSO READ)\s*:", re.IGNORECASE)
_LINE_WORD_RE = re.compile(r"[^\W\d_]+")


def _in_headline(text: str, pos: int) -> bool:
    """Does ``pos`` sit in a headline, a standfirst in title case, or a teaser for another story
    ("READ MORE: Convoy to Ottawa plans …")?  Their verbs report nobody's words."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)].strip()
    if _TEASER_RE.match(line):
        return True
    words = _LINE_WORD_RE.findall(line)
    return (len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)
            and not line.endswith((".", '"', "”", "’", "'")))


def _merge_abbrev_splits(text: str, sents: Sequence[Offsets], paragraphs: Sequence[Offsets]) -> list[Offsets]:
    """Join sentences split after a title or initial ("Rep. | Jim Clyburn", "the U.S. | “does not …”")."""
    para_ends = sorted(e for _, e in paragraphs)
    out: list[list[int]] = []
    for s, e in sents:
        if out and _ABBREV_END_RE.search(text[max(0, out[-1][1] - 6) : out[-1][1]]):
            k = bisect.bisect_left(para_ends, out[-1][1])
            if k < len(para_ends) and s < para_ends[k]:
                out[-1][1] = e
                continue
        out.append([s, e])
    return [(s, e) for s, e in out]


def _ent_tuple(e: Any) -> tuple[int, int, str]:
    if isinstance(e, tuple):
        return int(e[0]), int(e[1]), str(e[2])
    return int(e.start), int(e.end), str(e.label)


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


# ----- direct quotes --------------------------------------------------------


@dataclass
class _Unit:
    regions: list[QuoteRegion]

    @property
    def start(self) -> int:
        return self.regions[0].start

    @property
    def end(self) -> int:
        return self.regions[-1].end


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


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


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


_ABBREV_END_RE = re.compile(r"(?:\b(?:[A-Z]|Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Capt|Sgt|St|Jr|Sr|Prof|Rev|Hon|Supt|Insp|Det)\.)$")


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
    while (s_idx + 1 < len(ctx.sents) and ctx.sents[s_idx + 1][0] < p_end
           and _ABBREV_END_RE.search(ctx.text[max(0, s_end - 6) : s_end])):
        s_idx += 1
        s_end = ctx.sents[s_idx][1]
    if s_end <= pos + 1 and s_idx + 1 < len(ctx.sents) and ctx.sents[s_idx + 1][0] < p_end:
        # the quote ended its sentence: an after-frame would be the next "sentence" (' she said.')
        nxt_start, nxt_end = ctx.sents[s_idx + 1]
        if _words(ctx.text[pos:nxt_start]) == 0:
            s_end = nxt_end
    return min(max(s_end, pos), p_end)


def _direct_quotes(ctx: _Ctx) -> tuple[list[Quote], list[Offsets]]:
    """Standalone quotes with their attributions.  Also returns the character ranges they use."""
    text = ctx.text
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
        after = _frame_after(ctx, unit, nxt_start)
        before = _frame_before(ctx, unit, prev_end)
        if after is not None and i + 1 < len(units) and _looks_forward(ctx, unit, after[1], units[i + 1], before):
            after = None  # "…?” He answered, “…”: that frame introduces the next quote
        if after is None and before is None:
            after = _dash_line(ctx, unit)
        if after is None and before is None and len(regions) == 1 and not _right_empty(ctx, unit, nxt_start):
            i += 1
            continue  # a phrase quoted inside a sentence: left to reported speech
        frame: _Frame | None = None
        attribution = "none"
        frame_range: Offsets | None = None
        headline_claim = False
        if before is not None and after is not None:
            # Prefer the frame whose cue sits right against the quote.
            b_frame, b_range = before
            a_frame, a_range = after
            if text[b_range[0] : b_range[1]].rstrip().endswith((":",) + tuple(_DASHES)) or a_frame.cue is None:
                frame, frame_range, attribution = b_frame, b_range, "before"
            else:
                frame, frame_range, attribution = a_frame, a_range, "after"
        elif after is not None:
            frame, frame_range = after
            attribution = "after"
        elif before is not None:
            frame, frame_range = before
            attribution = "before"
        if frame is not None and frame.cue and text[frame.cue[0] : frame.cue[1]] == ":":
            attribution = "colon"
            # a headline "Blumenthal: ‘No Idea’ If I Would Have Told Her": the rest of the line is the claim
            p_end = ctx.paragraphs[ctx.para_of(regions[-1].end - 1)][1]
            tail = text[regions[-1].end : p_end]
            if _words(tail) and "\n" not in tail and _words(text[frame.cue[1] : p_end]) <= 25:
                end = p_end
                while end > regions[-1].end and text[end - 1] in ".!? ":
                    end -= 1
                regions[-1] = replace(regions[-1], end=end)
                headline_claim = True
        # "…," he said, "…" — the next quote continues this one.
        j = i + 1
        if attribution == "after" and frame_range is not None and frame is not None:
            while j < len(units) and _continues_middle(ctx, frame_range, units[j]) and _frame_after(
                ctx, units[j], units[j + 1].start if j + 1 < len(units) else None
            ) is None:
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
            lead = (frame.lead,) if frame.lead is not None and attribution in {"before", "colon"} else ()
            tail = (frame.tail,) if frame.tail is not None and attribution == "after" else ()
            q = Quote(
                parts=lead + tuple((r.start, r.end) for r in regions) + tail,
                type="partial" if lead or tail or headline_claim else "direct",
                attribution=attribution,
                cue=frame.cue,
                speaker=frame.speaker,
                addressee=frame.addressee,
                marked=tuple(m for ld in lead for m in _marked_in(ctx, *ld)) + tuple(r.inner for r in regions)
                + tuple(m for tl in tail for m in _marked_in(ctx, *tl)),
            )
            if frame_range is not None:
                used.append(frame_range)
        used.extend((r.start, r.end) for r in regions)
        quotes.append(q)
        prev = q
        prev_end = _after_end(ctx, max(regions[-1].end, frame_range[1] if frame_range else -1))
        i = j
    return quotes, used


def _dash_line(ctx: _Ctx, unit: _Unit) -> tuple[_Frame, Offsets] | None:
    """A quote paragraph signed on the next line: ``"…"`` then ``— Bernie Sanders, in the debate.``"""
    last = unit.regions[-1]
    p_idx = ctx.para_of(max(0, last.end - 1))
    p_start, p_end = ctx.paragraphs[p_idx]
    if ctx.text[last.end : p_end].strip(" .,") or ctx.text[p_start : unit.start].strip() or p_idx + 1 >= len(ctx.paragraphs):
        return None
    n_start, n_end = ctx.paragraphs[p_idx + 1]
    m = re.match(r"(?:--|[—–―-])\s*", ctx.text[n_start:n_end])
    if not m:
        return None
    toks = ctx.toks(n_start + m.end(), n_end)
    if not toks or len(toks) > 25:
        return None
    sp = _np_forward(ctx, toks, 0)
    if sp is None or not _has_name(ctx, toks[sp[0] : sp[1]]) and not toks[sp[0]].text[:1].isupper():
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


def _after_end(ctx: _Ctx, pos: int) -> int:
    """``pos``, moved over trailing punctuation and space."""
    text = ctx.text
    while pos < len(text) and (text[pos] in ".,;:!?)" or text[pos] in " \t"):
        pos += 1
    return pos


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
    cues = [w for w in re.findall(r"[^\W_]+", frame_text.lower()) if w in SPEECH_FORMS]
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
            if prev.speaker is not None and _words(gap) == 0 and gap.count("\n\n") <= 1 and gap.count("\n") <= 2:
                same_sentence = prev.cue is not None and ctx.sent_of(prev.cue[0]) == ctx.sent_of(q.start)
                between = ctx.text[prev.end : q.start]
                if prev.type != "direct" and same_sentence and _words(ctx.text[prev.start : prev.end]) <= 5 \
                        and ":" not in between and "," in between:
                    # "He concluded so eloquently, "…"": that cue introduces the quote itself
                    out[-1] = replace(q, attribution="before", cue=prev.cue, speaker=prev.speaker,
                                      addressee=prev.addressee)
                    continue
                # one statement in several parts, in this paragraph or the next
                out[-1] = replace(prev, parts=prev.parts + q.parts, marked=prev.marked + q.marked)
                continue
            else:
                q = replace(q, speaker=None, cue=None)
        out.append(q)
    return out


# ----- frames ---------------------------------------------------------------


def _frame_after(ctx: _Ctx, unit: _Unit, nxt_start: int | None = None) -> tuple[_Frame, Offsets] | None:
    """``"…," she said.`` — the attribution after the quote, up to the end of its sentence."""
    last = unit.regions[-1]
    if not last.closed:
        return None
    start = last.end
    p_end = ctx.paragraphs[ctx.para_of(last.end - 1)][1]
    end = _sentence_end_after(ctx, start, p_end)
    if nxt_start is not None and nxt_start < end:
        end = nxt_start
    if end <= start:
        return None
    toks = ctx.toks(start, end)
    # "…," she said — only a comma, dash or nothing may sit between quote and frame
    k = 0
    while k < len(toks) and (toks[k].text in {",", ";"} or toks[k].text in _DASHES):
        k += 1
    if k >= len(toks):
        return None
    inner = ctx.text[last.inner[0] : last.inner[1]].rstrip()
    strict = inner.endswith((".", "…")) and k == 0 and toks[0].text[:1].isupper()
    frame = _parse_after(ctx, toks[k:], strict=strict)
    if frame is None and k > 0 and toks[k - 1].text in _DASHES:
        frame = _signature(ctx, toks[k:], toks[k - 1])
    if frame is None:
        return None
    return replace(frame, tail=_tail(ctx, toks, frame)), (start, end)


_TAIL_STARTS = frozenset({"and", "but", "that", "because", "so"})


def _tail(ctx: _Ctx, toks: list[_Tok], frame: _Frame) -> Offsets | None:
    """``"…," she said, and "clear consequences …"``: the statement goes on after its frame."""
    covered = max(e for e in (frame.cue, frame.speaker, frame.addressee) if e is not None)[1]
    k = next((i for i, t in enumerate(toks) if t.start >= covered), len(toks))
    if k + 2 >= len(toks) or toks[k].text != "," or toks[k + 1].lower not in _TAIL_STARTS:
        return None
    if any(t.lower in SPEECH_FORMS and not t.text[:1].isupper() for t in toks[k + 2 : k + 5]):
        return None  # ", and added that …": a second statement
    tail = _content_end(ctx.text, toks, k + 1, len(toks))
    return tail if tail is not None and _words(ctx.text[tail[0] : tail[1]]) >= 2 else None


def _signature(ctx: _Ctx, toks: list[_Tok], dash: _Tok) -> _Frame | None:
    """``"…" — Maria Lopez, 34, of Phoenix``: a dash then only a name and its details signs the quote."""
    sp = _np_forward(ctx, toks, 0)
    if sp is None or not toks[sp[0]].text[:1].isupper():
        return None
    rest = toks[sp[1] :]
    if len(rest) > 12 or any(t.lower in CUE_FORMS for t in rest):
        return None
    if not all(t.text in {",", ".", "(", ")"} or t.text[:1].isupper() or t.text[:1].isdigit()
               or t.lower in {"of", "from", "in", "a", "an", "the", "and"} for t in rest):
        return None
    return _Frame((dash.start, dash.end), _span(toks, *sp), None, 0)


def _prev_region_end(ctx: _Ctx, start: int, end: int) -> int | None:
    best = None
    for r in ctx.regions:
        if r.depth == 0 and start < r.end <= end:
            best = r.end
    return best


def _frame_before(ctx: _Ctx, unit: _Unit, prev_end: int = -1) -> tuple[_Frame, Offsets] | None:
    """``X said: "…"`` — the attribution before the quote, from its sentence's start.

    When the quote opens its sentence, the previous sentence may be the frame:
    ``Sam Lau said in a statement. "…"`` or a paragraph ending ``He told his audience:``.
    """
    first = unit.regions[0]
    p_idx = ctx.para_of(first.start)
    p_start = ctx.paragraphs[p_idx][0]
    s_start = _sentence_start(ctx, first.start)
    start = max(p_start, s_start, prev_end if prev_end < first.start else -1)
    toks = ctx.toks(start, first.start) if start < first.start else []
    prev_quote = _prev_region_end(ctx, start, first.start) is not None
    if any(t.text[:1].isalnum() for t in toks):
        frame = _parse_before(ctx, toks)
        if frame is None:
            return None
        if frame.speaker is None and frame.cue is not None and prev_quote:
            # "X vowed to help "…", adding: "…"" — the subject is before the earlier quote
            whole = ctx.toks(max(p_start, s_start), first.start)
            c = next((i for i, t in enumerate(whole) if t.start == frame.cue[0]), -1)
            cs = _clause_subject(ctx, whole, c) if c > 0 else None
            if cs is not None:
                frame = replace(frame, speaker=_span(whole, *cs))
        # the frame is the cue and the speaker when it sits here; a subject found before an
        # earlier quote ("X vowed to help "…", adding:") stays with that earlier statement
        begin = frame.cue[0] if frame.cue else toks[0].start
        earlier = _prev_region_end(ctx, start, first.start)
        if frame.speaker is not None and (earlier is None or frame.speaker[0] >= earlier):
            begin = min(begin, frame.speaker[0])
        if frame.lead is not None:
            begin = min(begin, frame.lead[0])
        return frame, (begin, first.start)
    # the previous sentence, in this paragraph or ending the previous one with a colon
    k = ctx.sent_of(first.start) - 1 if ctx.sents else -1
    if k < 0:
        return None
    ps, pe = ctx.sents[k]
    if ps >= first.start:
        return None
    same_para = ctx.para_of(ps) == p_idx
    prev_text = ctx.text[ps:pe].rstrip()
    if not same_para and not prev_text.endswith(":"):
        return None
    if any(r.depth == 0 and 0 <= ps - r.end <= 3 for r in ctx.regions):
        return None  # that sentence is the after-frame of an earlier quote ("…?” Trump said Friday.)
    if _overlaps((ps, pe), [(r.start, r.end) for r in ctx.regions if r.depth == 0]):
        return None
    toks = ctx.toks(ps, pe)
    if not toks:
        return None
    if toks[-1].text == ".":
        toks = toks[:-1] + [replace(toks[-1], text=":", lower=":")]
        frame = _parse_before(ctx, toks, strict=True)
    elif toks[-1].text == ":":
        frame = _parse_before(ctx, toks)
    else:
        return None
    if frame is None:
        return None
    return frame, (ps, pe)


def _is_cue(ctx: _Ctx, tok: _Tok, *, speech: bool) -> bool:
    forms = SPEECH_FORMS if speech else CUE_FORMS
    if tok.lower not in forms or tok.ent >= 0:
        return False
    return not tok.text[:1].isupper() or tok.lower in {"said", "says", "added", "asked", "wrote"}


def _remainder_ok(ctx: _Ctx, toks: list[_Tok], i: int, cue: str) -> bool:
    """After a frame's cue (or inverted speaker): adjuncts, a participle clause, or the end."""
    if _adjuncts_only(ctx, toks, i, cue):
        return True
    # ", adding …", ", blaming …", ", who …" (relative clause on the speaker)
    for k in range(i, len(toks) - 1):
        if toks[k].text == ",":
            nxt = toks[k + 1].lower
            if nxt.endswith("ing") or nxt in {"who", "whose", "which", "where", "and", "but", "before", "after", "as",
                                               "when", "while", "because", "though", "although"}:
                return _adjuncts_only(ctx, toks[:k], i, cue)
            break
    return False


def _parse_after(ctx: _Ctx, toks: list[_Tok], *, strict: bool = False) -> _Frame | None:
    """Frame tokens right after a quote: ``she said``, ``said Clinton``, ``X, the …, said at …``, ``according to X``.

    ``strict``: the quote closed its sentence, so the frame must be a bare
    attribution ("Trump tweeted."), not a new statement ("Trump said the …").
    """
    while toks and toks[0].text in _ALL_MARKS:
        toks = toks[1:]  # "…,” he said" cut after the comma inside the marks
    n = len(toks)
    if n == 0:
        return None
    # according to X
    if n >= 3 and toks[0].lower == "according" and toks[1].lower == "to":
        sp = _np_forward(ctx, toks, 2)
        if sp is None:
            return None
        return _Frame((toks[0].start, toks[1].end), _span(toks, *sp), None, 0)
    # as Cruz said on Monday
    if n >= 3 and toks[0].lower == "as":
        for c in range(2, min(n, 12)):
            if _is_cue(ctx, toks[c], speech=True):
                sp = _np_backward(ctx, toks, c, 1)
                if sp is not None and sp[0] == 1:
                    return _Frame((toks[c].start, toks[c].end), _span(toks, *sp), _addressee(ctx, toks, c + 1), c)
                break
        return None
    # inverted: said Clinton / says the Lincoln actor
    if toks[0].lower in _INVERTIBLE and _is_cue(ctx, toks[0], speech=True):
        sp = _np_forward(ctx, toks, 1)
        if sp is None:
            return None
        if strict and not _remainder_ok(ctx, toks, sp[1], ""):
            return None
        return _Frame((toks[0].start, toks[0].end), _span(toks, *sp), _addressee(ctx, toks, sp[1]), 0)
    # subject first: find the first cue within reach
    for c in range(1, min(n, 40)):
        tok = toks[c]
        if tok.text in {".", "?", "!", ";"} or tok.text in _ALL_MARKS:
            return None
        if not _is_cue(ctx, tok, speech=True):
            continue
        sp = _np_backward(ctx, toks, c, 0)
        if sp is None:
            return None
        if sp[0] != 0 and not all(t.lower in _CONJ or t.text == "," for t in toks[: sp[0]]):
            return None  # something other than the speaker stands between quote and cue
        if strict and not _remainder_ok(ctx, toks, c + 1, tok.lower):
            return None
        return _Frame((tok.start, tok.end), _span(toks, *sp), _addressee(ctx, toks, c + 1), c)
    return None


def _parse_before(ctx: _Ctx, toks: list[_Tok], *, strict: bool = False) -> _Frame | None:
    """Frame tokens right before a quote: ``X said:``, ``X told Y:``, ``adding:``, ``X said``, ``Corbyn:``.

    ``strict``: the frame is a whole earlier sentence, so it must end in a
    speech verb and its adjuncts ("X said in a statement.").
    """
    end_tok = toks[-1]
    colon = end_tok.text == ":" or end_tok.text in _DASHES
    body = toks[:-1] if colon or end_tok.text == "," else toks
    if not body:
        return None
    # the nearest cue to the quote
    for c in range(len(body) - 1, -1, -1):
        tok = body[c]
        if not _is_cue(ctx, tok, speech=True):
            continue
        if c > 0 and (body[c - 1].lower in _DETERMINERS | _POSSESSIVES | {"to"} or body[c - 1].text.endswith(("’s", "'s"))):
            continue  # "Trump's remarks", "to tell": not the attribution's verb
        if _passive(body, c):
            break  # "Blumenthal was asked, "…"": the subject is not the speaker
        if c > 0 and body[c - 1].lower.endswith("ed") and body[c - 1].ent < 0 and tok.lower in {"state", "report", "statement"}:
            continue  # "her economically depressed state"
        rest = body[c + 1 :]
        # only an addressee, medium or time phrase may follow the cue before the quote
        # (after a colon or dash, any short phrase: "posted just two words on his network -")
        if len(rest) > 14 or any(t.text in {".", "?", "!", ";"} for t in rest):
            break
        if tok.lower in _INVERTIBLE and rest:
            fw = _np_forward(ctx, body, c + 1)
            if fw is not None and fw[1] == len(body) and (_np_backward(ctx, body, c, 0) is None):
                return _Frame((tok.start, tok.end), _span(body, *fw), None, c)
        lead: Offsets | None = None
        if not _remainder_ok(ctx, body, c + 1, tok.lower) or any(t.lower == "that" for t in rest):
            if strict:
                break
            # "X said Trump was a start-up kind of guy: "…"" — the clause belongs to the quote
            k = c + 1
            ad = _addressee(ctx, body, c + 1)
            while ad is not None and k < len(body) and body[k].end <= ad[1]:
                k += 1
            if k < len(body) and (body[k].lower == "that" or body[k].lower in PRONOUNS or _is_name_tok(ctx, body[k])):
                lead = _content_end(ctx.text, body, k, len(body))  # a clause, not an object ("two words")
            if not colon and not any(t.lower == "that" for t in rest):
                break
        addressee = _addressee(ctx, body, c + 1)
        sp = _np_backward(ctx, body, c, 0)
        if sp is None and (tok.lower in _PARTICIPLE_CUES or (c > 0 and body[c - 1].lower in _CONJ | {","})):
            sp = _clause_subject(ctx, body, c)
        if sp is None:
            # "Said X:" inverted
            fw = _np_forward(ctx, body, c + 1)
            if fw is not None and colon:
                return _Frame((tok.start, tok.end), _span(body, *fw), None, c)
            if strict or not (colon or tok.lower in _PARTICIPLE_CUES):
                return None
            return _Frame((tok.start, tok.end), None, addressee, c, lead)
        if lead is None and not strict and not colon and end_tok.text == "," and sp[0] >= 2 and body[sp[0] - 1].text == ",":
            # "Instead, Axelrod said, "…"": the words before the frame begin the statement
            lead = _lead_fragment(ctx, body, sp[0] - 1)
        return _Frame((tok.start, tok.end), _span(body, *sp), addressee, c, lead)
    if strict:
        return None
    if colon and end_tok.text == ":":
        # headline style  "Corbyn: …"  or  "The Labour leader:"
        sp = _np_backward(ctx, body, len(body), 0)
        if sp is not None and sp[0] == 0 and sp[1] - sp[0] <= 8 and (
            _has_name(ctx, body[sp[0] : sp[1]]) or all(t.text[:1].isupper() for t in body[sp[0] : sp[1]])
        ):
            return _Frame((end_tok.start, end_tok.end), _span(body, *sp), None, len(body))
        # a name and its details as a header: "Maria Lopez, 34, Phoenix:"
        header = _signature(ctx, body, end_tok)
        if header is not None and len(body) <= 12:
            return header
        # any clause that introduces the quote with a colon: "He also played up his strength:"
        return _colon_clause(ctx, body)
    return None


_INVERTIBLE = frozenset(
    "said says added adds asked asks wrote writes explained explains noted notes continued continues recalled recalls "
    "argued argues replied replies insisted insists remarked observed warned warns declared declares tweeted "
    "told tells answered answers responded responds countered counters added concluded concludes cautioned "
    "acknowledged admitted conceded quipped joked offered suggested suggests predicted promised stated says "
    "writes wondered pressed cried shouted chanted agreed read reads barked beamed fumed quipped sniffed "
    "boomed bellowed deadpanned interrupted agrees exhorted confessed".split()
)
_PASSIVE_AUX = frozenset("is are was were be been being get gets got getting".split())
_REDUCED = frozenset("written shown known seen given taken spoken chosen drawn thrown sworn proven heard".split())
_NOUN_ADJ = frozenset(
    "earlier recent new latest first final formal public official previous initial similar separate second "
    "further strong sharp brief short long direct frequent repeated widespread angry personal".split()
)

_TELL_FORMS = frozenset("told tells tell telling asked asks ask asking informed assured reminded urged warned".split())


_SCENE_SETTERS = frozenset(
    "after when while as before during at in on speaking asked told following since upon with if although though "
    "because once later earlier last this yesterday today addressing writing appearing responding".split()
)
_DISCOURSE_LEADS = ("in other words", "in fact", "for example", "in short", "at the same time", "in the end")


def _lead_fragment(ctx: _Ctx, toks: list[_Tok], end: int) -> Offsets | None:
    """Reported words before an inserted frame ("Sooner or later, he said, …"), not scene-setting ("At the rally, …")."""
    if end <= 0:
        return None
    head = " ".join(t.lower for t in toks[:4])
    if toks[0].lower in _SCENE_SETTERS and not head.startswith(_DISCOURSE_LEADS):
        return None
    if toks[0].lower in _TIME or any(t.text in _ALL_MARKS for t in toks[:end]) or _words(
            ctx.text[toks[0].start : toks[end - 1].end]) > 12:
        return None
    if toks[0].lower.endswith("ing") or toks[0].lower in {"regarding", "instead"} and end > 1:
        return None
    return _content_end(ctx.text, toks, 0, end)


def _adjuncts_only(ctx: _Ctx, toks: list[_Tok], i: int, cue: str) -> bool:
    """Tokens ``toks[i:]`` after a cue hold only an addressee, a medium, a time, or "that"/"of X"."""
    n = len(toks)
    first = i
    if i < n and cue in _TELL_FORMS:
        sp = _np_forward(ctx, toks, i)
        if sp is not None:
            i = sp[1]
    while i < n:
        t = toks[i]
        if t.lower in {"who", "whom", "which"} and i > 0 and n - i <= 12:
            return True  # "told the mayors who gathered in Indianapolis,"
        if i == first and t.lower in {"back", "out", "up", "off", "down", "in", "on"} and (
                i + 1 >= n or toks[i + 1].text in {",", ":", "–", "—", "-"}):
            i += 1  # "shot back", "chimed in"
            continue
        if t.text in {",", "(", ")"} or t.lower in _TIME or t.lower in {"that", "this", "then", "also", "again", "simply",
                                                                          "recently", "later", "earlier", "once"}:
            i += 1
            continue
        if t.lower in _PREPOSITIONS or t.lower in {"of"}:
            sp = _np_forward(ctx, toks, i + 1)
            i = sp[1] if sp is not None else i + 1
            continue
        if t.text[:1].isdigit():
            i += 1
            continue
        return False
    return True


def _colon_clause(ctx: _Ctx, body: list[_Tok]) -> _Frame | None:
    """Subject and verb of a clause ending in a colon; the verb is the cue."""
    k = 0
    if body and (body[0].lower in _PREPOSITIONS or body[0].lower in _TIME):
        while k < len(body) and body[k].text != ",":
            k += 1
        k += 1
    while k < len(body) and body[k].lower in _CONJ | {"then", "also", "later", "and"}:
        k += 1
    if k >= len(body):
        return None
    sp = _np_forward(ctx, body, k)
    if sp is None or sp[1] >= len(body):
        return None
    np_toks = body[sp[0] : sp[1]]
    if not (_has_name(ctx, np_toks) or np_toks[0].lower in _DETERMINERS | _POSSESSIVES):
        return None
    v = sp[1]
    while v < len(body) and body[v].lower in _AUX:
        v += 1
    if v >= len(body) or not body[v].text[:1].islower() or body[v].lower in _PREPOSITIONS | _CONJ:
        return None
    return _Frame((body[v].start, body[v].end), _span(body, *sp), None, v)


def _has_name(ctx: _Ctx, toks: list[_Tok]) -> bool:
    return any(ctx.ent_label(t) in {"PERSON", "ORG", "NORP", "GPE"} for t in toks) or any(
        t.lower in PRONOUNS for t in toks
    )


def _span(toks: list[_Tok], i: int, j: int) -> Offsets:
    return (toks[i].start, toks[j - 1].end)


def _is_name_tok(ctx: _Ctx, tok: _Tok) -> bool:
    return tok.ent >= 0 and ctx.ent_label(tok) in {"PERSON", "ORG", "NORP", "GPE", "FAC", "LOC", "WORK_OF_ART", "PRODUCT"}


def _nounish(tok: _Tok) -> bool:
    """Could be part of a noun phrase (no POS tagger: a word that is not a function word)."""
    w = tok.lower
    if not tok.text[:1].isalnum():
        return False
    if w in _PREPOSITIONS or w in _CONJ or w in _AUX or w in PRONOUNS or w in _OBJ_PRONOUNS:
        return False
    if w in CUE_FORMS and not tok.text[:1].isupper():
        return False
    if w in {"that", "which", "whom", "whose", "what", "there", "here", "not", "to", "of"}:
        return False
    if w in _DETERMINERS and not tok.text[:1].isdigit() or w in _POSSESSIVES:
        return False
    if _is_adverb(w) and not tok.text[:1].isupper():
        return False
    return True


_LY_NOUNS = frozenset("family ally rally italy july assembly supply belly bully fly reply lily folly anomaly "
                      "monopoly homily melancholy jolly holly sally molly kelly emily billy".split())


def _is_adverb(word: str) -> bool:
    return len(word) > 4 and word.endswith("ly") and word not in _LY_NOUNS


_POSSESSIVES = frozenset("his her their its our my your".split())
_NUMERALS = frozenset("one two three four five six seven eight nine ten both dozens hundreds thousands".split())


_SKIP_BEFORE_CUE = _AUX | {"here", "there", "too", "however", "meanwhile"}


_NAME_TITLES = frozenset("mr mrs ms miss dr sir dame lord lady prof sen rep gov".split())


def _after_title(toks: list[_Tok], i: int) -> bool:
    """Is token ``i`` a capitalised word right after a courtesy title ("Ms. May")?"""
    return i > 0 and toks[i].text[:1].isupper() and toks[i - 1].lower in _NAME_TITLES


def _np_backward(ctx: _Ctx, toks: list[_Tok], end: int, floor: int) -> tuple[int, int] | None:
    """The noun phrase ending just before token ``end`` (skipping auxiliaries), as token indices [i, j)."""
    j = end
    while j > floor:
        w = toks[j - 1]
        if w.lower in PRONOUNS:
            break
        if (w.lower in _SKIP_BEFORE_CUE or (_is_adverb(w.lower) and not w.text[:1].isupper())) and not _after_title(
                toks, j - 1):
            j -= 1
            continue
        # a time phrase between subject and verb: "Corbyn last month said", "Trump on Tuesday said"
        # (but not a name after a title: "Ms. May said")
        if w.lower in _TIME and not _after_title(toks, j - 1):
            k = j - 1
            while k > floor and (toks[k - 1].lower in _TIME or toks[k - 1].text[:1].isdigit()
                                 or toks[k - 1].lower in {"on", "in", "at", "during", "earlier", "late", "early", "the"}):
                k -= 1
            if k > floor:
                j = k
                continue
        break
    if j <= floor:
        return None
    last = toks[j - 1]
    if last.lower in PRONOUNS:
        return (j - 1, j)  # "he", "they", and "who" (resolved to its antecedent later)
    if last.lower in {"that", "which"} and j - 1 > floor:
        # "a sign that read": the relative pronoun stands for the noun phrase before it
        k = j - 1
        while k > floor and toks[k - 1].text == ",":
            k -= 1
        return _np_backward(ctx, toks, k, floor) if k > floor and _nounish(toks[k - 1]) else None
    if last.text == ",":
        # apposition or relative clause: "Gideon Falter, chairman of …, said"
        k = j - 2
        while k > floor and toks[k].text != ",":
            if toks[k].text in {".", "?", "!", ";", ":"} or toks[k].text in _ALL_MARKS:
                return None
            k -= 1
        if k <= floor or toks[k].text != ",":
            return None
        inner = toks[k + 1 : j - 1]
        if not inner:
            return None
        head = _np_backward(ctx, toks, k, floor)
        if head is None:
            return None
        return (head[0], j - 1)
    i = j
    seen_noun = False
    while i > floor:
        t = toks[i - 1]
        if _is_name_tok(ctx, t) or _nounish(t) or _after_title(toks, i - 1) or (
                t.lower in {"&", "’s", "'s"} and seen_noun and i - 1 > floor):
            i -= 1
            seen_noun = True
            continue
        if t.text == ")":
            # a parenthesis inside the name: "Gov. Mary Fallin (R-OK)"
            k = i - 2
            while k > floor and toks[k].text != "(" and i - k < 8:
                k -= 1
            if k >= floor and toks[k].text == "(":
                i = k
                continue
            break
        if t.lower in _DETERMINERS or t.lower in _POSSESSIVES:
            i -= 1
            # "the two groups"
            if t.lower in _NUMERALS and i - 1 >= floor and toks[i - 1].lower in _DETERMINERS | _POSSESSIVES:
                i -= 1
            # "the director of the FBI"
            if i - 2 >= floor and toks[i - 1].lower == "of" and toks[i - 2].lower in ROLE_NOUNS:
                i -= 1
                continue
            break
        if t.lower == "of" and seen_noun and i - 2 >= floor and (_nounish(toks[i - 2]) or toks[i - 2].lower in ROLE_NOUNS):
            i -= 1
            continue
        if t.lower in {"for", "at", "with", "from"} and seen_noun and i - 2 >= floor and toks[i - 2].lower in ROLE_NOUNS:
            i -= 1  # "a spokesman for House Speaker Paul Ryan"
            continue
        break
    if i >= j or not seen_noun:
        return None
    if (i - 1 > floor and toks[i - 1].text == "," and not toks[i].text[:1].isupper()
            and (toks[i].lower in ROLE_NOUNS or toks[i].lower in _DETERMINERS)):
        head = _np_backward(ctx, toks, i - 1, floor)
        if head is not None and ctx.ent_label(toks[head[1] - 1]) == "PERSON":
            return (head[0], j)
    if j - i > 14:
        i = j - 14
    # A capitalised sentence opener that is not a name ("However") is not a speaker.
    while i < j - 1 and toks[i].lower in {"however", "but", "and", "meanwhile", "still", "yet", "now", "then", "so", "also"}:
        i += 1
    return (i, j)


def _np_forward(ctx: _Ctx, toks: list[_Tok], start: int) -> tuple[int, int] | None:
    """The noun phrase starting at token ``start`` (``said Clinton``, ``said the former secretary of state``)."""
    n = len(toks)
    i = start
    if i >= n:
        return None
    if toks[i].lower in PRONOUNS and toks[i].lower not in {"who", "it"}:
        return (i, i + 1)
    j = i
    if toks[j].lower in _DETERMINERS or toks[j].lower in _POSSESSIVES:
        j += 1
    seen = False
    while j < n:
        t = toks[j]
        if _is_name_tok(ctx, t) or _after_title(toks, j) or (_nounish(t) and not (t.lower in _TIME and seen)):
            j += 1
            seen = True
            continue
        if t.lower in {"’s", "'s", "&"} and seen:
            j += 1
            continue
        if t.lower == "of" and seen and j + 1 < n and (
            toks[j - 1].lower in ROLE_NOUNS
            or _is_name_tok(ctx, toks[j + 1])
            or (toks[j + 1].lower == "the" and j + 2 < n and toks[j + 2].text[:1].isupper())
        ):
            j += 1
            continue
        break
    if not seen:
        return None
    # a parenthesis: "Rep. Jim Clyburn (D-S.C.)"
    if j < n and toks[j].text == "(":
        k = j + 1
        while k < n and toks[k].text != ")" and k - j < 8:
            k += 1
        if k < n and toks[k].text == ")":
            j = k + 1
    # apposition: ", a fellow with …" runs to the next comma or the end
    if j + 1 < n and toks[j].text == ",":
        k = j + 1
        while k < n and toks[k].text not in {",", ".", ";", "?", "!"} and toks[k].text not in _ALL_MARKS:
            k += 1
        seg = toks[j + 1 : k]
        first = seg[0] if seg else None
        if first is not None and (
            first.lower in _DETERMINERS or first.lower in ROLE_NOUNS or first.lower in {"who", "whose"}
            or (_nounish(first) and not first.text[:1].isupper())
            or any(t.lower in ROLE_NOUNS for t in seg[:8])
        ) and not any(t.lower in SPEECH_FORMS for t in seg):
            j = k
    return (i, j)


def _addressee(ctx: _Ctx, toks: list[_Tok], start: int) -> Offsets | None:
    """``told BBC Radio 4's Today programme``, ``said in a statement``, ``wrote on Twitter``, ``told reporters``."""
    n = len(toks)
    if start <= 0 or start > n:
        return None
    cue = toks[start - 1].lower
    i = start
    if cue in {"told", "tells", "tell", "telling", "informed", "assured", "reminded", "asked", "urged", "warned"}:
        sp = _np_forward(ctx, toks, i)
        if sp is not None and sp[1] > sp[0]:
            end = sp[1]
            while end > sp[0] and toks[end - 1].lower in _TIME:
                end -= 1
            if end > sp[0]:
                return _span(toks, sp[0], end)
    # said in a statement / said on Twitter / said in an interview with X / said to reporters
    while i < n and toks[i].lower in _TIME | {"on", "last", "this"} and not (toks[i].lower == "on" and i + 1 < n and toks[i + 1].lower in _PLATFORMS):
        i += 1
    if i < n and toks[i].lower in {"in", "on", "to", "via", "during"}:
        if toks[i].lower == "to" and (cue not in SPEECH_FORMS or i + 1 >= n or not (
                toks[i + 1].lower in _DETERMINERS | _POSSESSIVES | {"reporters", "journalists", "supporters"}
                or _is_name_tok(ctx, toks[i + 1]))):
            return None
        sp = _np_forward(ctx, toks, i + 1)
        if sp is not None:
            words = {t.lower for t in toks[sp[0] : sp[1]]}
            if toks[i].lower == "to" or words & (_MEDIUM_NOUNS | _PLATFORMS) or any(_is_name_tok(ctx, t) for t in toks[sp[0]:sp[1]]):
                end = sp[1]
                # "in an interview with X"
                if end + 1 < n and toks[end].lower in {"with", "on", "to"}:
                    sp2 = _np_forward(ctx, toks, end + 1)
                    if sp2 is not None:
                        end = sp2[1]
                return _span(toks, sp[0], end)
    return None


def _clause_subject(ctx: _Ctx, toks: list[_Tok], c: int) -> tuple[int, int] | None:
    """The subject of the clause a participle cue hangs from: ``X vowed …, adding: "…"`` → X.

    The first noun phrase of the sentence, after a leading adverbial phrase
    ("At the protest, X said …"), when a verb follows it.
    """
    k = 0
    if c > 0 and (toks[0].lower in _PREPOSITIONS or toks[0].lower in _TIME or _is_adverb(toks[0].lower)
                  or toks[0].lower in {"then", "later", "earlier", "still", "also", "but", "and", "so"}):
        m = 0
        while m < c and toks[m].text != ",":
            m += 1
        if m < c:
            k = m + 1
    while k < c and toks[k].lower in _CONJ:
        k += 1
    if k >= c:
        return None
    if toks[k].lower in PRONOUNS and toks[k].lower != "who":
        return (k, k + 1)
    sp = _np_forward(ctx, toks, k)
    if sp is None or sp[1] > c:
        return None
    return sp


# ----- indirect speech ------------------------------------------------------


def _overlaps(span: Offsets, ranges: Sequence[Offsets]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in ranges)


def _indirect_quotes(ctx: _Ctx, used: list[Offsets], direct: list[Quote]) -> list[Quote]:
    text = ctx.text
    out: list[Quote] = []
    used_sorted = sorted(used)
    for s_start, s_end in ctx.sents:
        if s_end <= s_start:
            continue
        # free stretches of this sentence: not inside a direct quote or its frame
        free = _free_ranges(s_start, s_end, used_sorted)
        for f_start, f_end in free:
            if _words(text[f_start:f_end]) < 4:
                continue
            for q in _indirect_in(ctx, f_start, f_end):
                q = _through_quote(ctx, q)
                if q.end > s_end:
                    # the quotation runs on past the sentence break: those sentences are this statement's
                    used_sorted = sorted(used_sorted + [(s_end, q.end)])
                out.append(q)
    return out


def _through_quote(ctx: _Ctx, q: Quote) -> Quote:
    """Reported speech that ends inside a quotation ("called him “a smart guy. I'd …”") takes all of it."""
    last_start, last_end = q.parts[-1]
    for r in ctx.regions:
        if r.depth == 0 and last_start <= r.start < last_end < r.end:
            parts = q.parts[:-1] + ((last_start, r.end),)
            marked = tuple(m for m in q.marked if m[1] <= last_end and m[0] < r.start) + (r.inner,)
            return replace(q, parts=parts, marked=marked, type="partial")
    return q


def _free_ranges(start: int, end: int, used: list[Offsets]) -> list[Offsets]:
    ranges = [(start, end)]
    for u_start, u_end in used:
        if u_end <= start or u_start >= end:
            continue
        nxt = []
        for s, e in ranges:
            if u_end <= s or u_start >= e:
                nxt.append((s, e))
                continue
            if u_start > s:
                nxt.append((s, u_start))
            if u_end < e:
                nxt.append((u_end, e))
        ranges = nxt
    return [(s, e) for s, e in ranges if e > s]


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


_COORD = frozenset({"and", "but", "while", "whereas"})


def _indirect_in(ctx: _Ctx, start: int, end: int, inherit: Offsets | None = None) -> list[Quote]:
    """Reported speech in one free stretch of a sentence (no direct quote in it)."""
    text = ctx.text
    toks = ctx.toks(start, end)
    n = len(toks)
    if n < 3:
        return []
    # According to X, CONTENT.   /   CONTENT, according to X.
    for a in range(n - 2):
        if toks[a].lower == "according" and toks[a + 1].lower == "to":
            sp = _np_forward(ctx, toks, a + 2)
            if sp is None:
                continue
            cue = (toks[a].start, toks[a + 1].end)
            if a == 0 or all(t.lower in _CONJ or t.text == "," for t in toks[:a]):
                k = sp[1]
                while k < n and toks[k].text != ",":
                    k += 1
                content = _content_end(text, toks, k + 1, n) if k < n else None
            else:
                content = _content_end(text, toks, 0, a)
            if content is None:
                continue
            return [_mk_indirect(ctx, (content,), cue, _span(toks, *sp), None)]
    # CONTENT, X said.  /  CONTENT, said X.
    comma_frame = _trailing_frame(ctx, toks)
    if comma_frame is not None:
        c_end, frame = comma_frame
        content = _content_end(text, toks, 0, c_end)
        if content is not None and frame.cue is not None:
            return [_mk_indirect(ctx, (content,), frame.cue, frame.speaker, frame.addressee)]
    # CONTENT, he said, CONTENT.
    middle = _middle_frame(ctx, toks)
    if middle is not None:
        c1, c2, frame = middle
        first = _content_end(text, toks, 0, c1)
        second = _content_end(text, toks, c2 + 1, n)
        if first is not None and second is not None and frame.cue is not None:
            return [_mk_indirect(ctx, (first, second), frame.cue, frame.speaker, frame.addressee)]
    # X said (that) CONTENT.
    for c in range(n - 1):
        tok = toks[c]
        if tok.lower not in CUE_FORMS or tok.ent >= 0 or tok.text[:1].isupper():
            continue
        if ctx.prior(tok.lower) < ctx.min_prior:
            continue
        if c > 0 and toks[c - 1].lower in {"to", "the", "a", "an", "this", "that", "his", "her", "their", "its"} and tok.lower not in {"said", "told"}:
            continue  # "to say", "the report" — not a finite cue
        if c > 1 and toks[c - 1].lower in _NOUN_ADJ and toks[c - 2].lower in _DETERMINERS | _POSSESSIVES:
            continue  # "an earlier request"
        if (c > 0 and toks[c - 1].lower.endswith("ed") and len(toks[c - 1].lower) > 4 and toks[c - 1].ent < 0
                and toks[c - 1].lower not in _AUX and not toks[c - 1].text[:1].isupper() and tok.lower.endswith("s")):
            continue  # "approved plans", "released reports": a noun after a verb
        if _passive(toks, c):
            continue  # "was told", "has been criticised": the subject is not the source
        if c + 1 < n and toks[c + 1].lower in {"is", "was", "are", "were", "has", "have", "had", "comes", "came",
                                                "will", "would", "could", "should", "can", "may", "might"}:
            continue  # "the speech plan comes …": a noun before its verb
        if tok.lower in _REDUCED and c > 0 and toks[c - 1].lower not in _AUX:
            continue  # "a letter written shortly before …"
        participle = tok.lower in _PARTICIPLE_CUES
        sp = _np_backward(ctx, toks, c, 0) if c > 0 else None
        speaker: Offsets | None = _span(toks, *sp) if sp is not None else None
        if speaker is None and participle and c >= 2 and toks[c - 1].text == ",":
            cs = _clause_subject(ctx, toks, c - 1)
            speaker = _span(toks, *cs) if cs is not None else None
        if speaker is None and inherit is not None and (c == 0 or toks[c - 1].lower in _COORD | {","}):
            speaker = inherit
        if speaker is None:
            continue
        if participle and c > 0 and toks[c - 1].text != "," and sp is not None and sp[1] == c:
            continue  # "the people saying" — a noun modifier, not a cue
        k = c + 1
        addressee = _addressee(ctx, toks, c + 1)
        if addressee is not None:
            while k < n and toks[k].end <= addressee[1]:
                k += 1
        cue_tok = tok
        if addressee is None and k < n - 1 and tok.lower not in SPEECH_FORMS:
            # "has written to the JLM saying …": the participle is the cue
            sp2 = _np_forward(ctx, toks, k + 1) if toks[k].lower == "to" else None
            if sp2 is not None and sp2[1] < n and toks[sp2[1]].lower in _PARTICIPLE_CUES:
                addressee = _span(toks, *sp2)
                cue_tok = toks[sp2[1]]
                k = sp2[1] + 1
        elif addressee is not None and k < n - 1 and toks[k].lower in _PARTICIPLE_CUES and toks[k].lower in SPEECH_FORMS:
            cue_tok = toks[k]
            k += 1
        # skip adjuncts up to "that" when it comes soon: "said on Friday that …"
        for m in range(k, min(n, k + 10)):
            if toks[m].lower == "that":
                if _adjuncts_only(ctx, toks[:m], k, tok.lower):
                    k = m
                break
            if toks[m].text in {";", ":"} or toks[m].text in _ALL_MARKS:
                break
        # stop before a second statement: ", adding that …", "and said …", "but he said …"
        e, rest = n, n
        for m in range(k + 1, n - 1):
            nxt = toks[m + 1]
            if toks[m].text == "," and nxt.lower in CUE_FORMS and nxt.ent < 0 and not nxt.text[:1].isupper() \
                    and ctx.prior(nxt.lower) >= ctx.min_prior and (nxt.lower in _PARTICIPLE_CUES or nxt.lower.endswith(("ed", "s"))):
                e, rest = m, m + 1
                break
            if toks[m].lower in _COORD:
                probe = m + 1
                if probe < n and toks[probe].lower in PRONOUNS:
                    probe += 1
                while probe < n and toks[probe].lower in _AUX:
                    probe += 1
                if probe < n and toks[probe].lower in CUE_FORMS and toks[probe].ent < 0 and not toks[probe].text[:1].isupper() \
                        and ctx.prior(toks[probe].lower) >= ctx.min_prior:
                    e = m - 1 if toks[m - 1].text == "," else m
                    rest = m + 1
                    break
        content = _content_end(text, toks, k, e)
        if content is None or _words(text[content[0] : content[1]]) < 1:
            continue
        if _words(text[content[0] : content[1]]) < 2 and not _marked_in(ctx, content[0], content[1]):
            continue
        out = [_mk_indirect(ctx, (content,), (cue_tok.start, cue_tok.end), speaker, addressee)]
        if rest < n:
            out.extend(_indirect_in(ctx, toks[rest].start, end, inherit=speaker))
        return out
    return []


def _passive(toks: list[_Tok], c: int) -> bool:
    """Is the cue at ``c`` a passive participle ("were told", "has been widely criticised") with no "by" agent?"""
    tok = toks[c]
    if not (tok.lower.endswith(("ed", "en")) or tok.lower in {"told", "said", "thought", "sought", "known", "seen"}):
        return False
    k = c - 1
    while k >= 0 and (_is_adverb(toks[k].lower) or toks[k].lower in {"not", "also", "still", "never", "already", "reportedly"}):
        k -= 1
    if k < 0 or toks[k].lower not in _PASSIVE_AUX:
        return False
    return not any(t.lower == "by" for t in toks[c + 1 : c + 4])


def _middle_frame(ctx: _Ctx, toks: list[_Tok]) -> tuple[int, int, _Frame] | None:
    """``CONTENT, he said, CONTENT`` — a frame between two commas, with content on both sides."""
    n = len(toks)
    commas = [i for i, t in enumerate(toks) if t.text == ","]
    for a, c1 in enumerate(commas):
        if c1 < 3:
            continue
        for c2 in commas[a + 1 : a + 3]:
            seg = toks[c1 + 1 : c2]
            if not seg or len(seg) > 12 or c2 >= n - 3:
                continue
            frame = _parse_after(ctx, seg, strict=True)
            if frame is None or frame.cue is None:
                continue
            if ctx.prior(ctx.text[frame.cue[0] : frame.cue[1]].lower()) < ctx.min_prior:
                continue
            return c1, c2, frame
    return None


def _trailing_frame(ctx: _Ctx, toks: list[_Tok]) -> tuple[int, _Frame] | None:
    """``…, X said.`` — the last comma whose remainder is an attribution frame."""
    n = len(toks)
    for c in range(n - 2, 0, -1):
        if toks[c].text != ",":
            continue
        rest = toks[c + 1 :]
        while rest and rest[-1].text in {".", "?", "!", ";"}:
            rest = rest[:-1]
        if not rest or len(rest) > 30:
            return None
        frame = _parse_after(ctx, rest, strict=True)
        if frame is None or frame.cue is None:
            continue
        if ctx.prior(ctx.text[frame.cue[0] : frame.cue[1]].lower()) < ctx.min_prior:
            continue
        # nothing but adjuncts may follow the cue
        after = rest[frame.cue_pos + 1 :]
        if any(t.lower in CUE_FORMS and t.lower not in {"statement"} for t in after[1:]) and frame.cue_pos > 0:
            continue
        return c, frame
    return None


def _mk_indirect(
    ctx: _Ctx, parts: tuple[Offsets, ...], cue: Offsets | None, speaker: Offsets | None, addressee: Offsets | None
) -> Quote:
    marked = tuple(m for p in parts for m in _marked_in(ctx, p[0], p[1]))
    if len(parts) > 1:
        attribution = "middle"
    else:
        attribution = "after" if cue is not None and cue[0] > parts[0][0] else "before"
    return Quote(
        parts=parts,
        type="partial" if marked else "indirect",
        attribution=attribution,
        cue=cue,
        speaker=speaker,
        addressee=addressee,
        marked=marked,
    )


__all__ = [
    "ATTRIBUTIONS",
    "CUE_FORMS",
    "CUE_PRIOR",
    "QUOTE_TYPES",
    "Quote",
    "QuoteRegion",
    "extract_quotes",
    "find_quote_regions",
]
