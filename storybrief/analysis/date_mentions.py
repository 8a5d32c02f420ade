"""Date mentions: every date expression in an article, with the sentence's tense and the event it dates.

Mentions come from spaCy's DATE and TIME entities plus a strict scanner for the
forms the small model misses ("later today", "this week" mid-clause), so a
lower-cased Multi-News text works too.  Each is resolved by :func:`.dates.resolve_date`.
"""

from __future__ import annotations

import re

from .dates import _DAY_PART, _WD, _YEAR, MONTHS, DateMention, ParsedDate, Tense, resolve_date
from .model import AnalyzedArticle

__all__ = ["find_dates", "sentence_tense"]


# Forms the scanner looks for on its own (spaCy's small model misses some, e.g. "later today").
# Kept strict on purpose: a bare month name needs a preposition and is never "may" (the
# modal, or Theresa May in lower-cased text); a bare year needs a preposition and no
# plural noun after it ("in 2000 homes" is a count).
_MON_FULL = "|".join(m for m in MONTHS if len(m) > 3 and m != "sept")
_SCAN_RE = re.compile(
    r"\b(?:"
    r"(?:(?:early|late|earlier|later)\s+)?(?:today|tonight|yesterday|tomorrow)" + _DAY_PART + "|"
    r"this\s+(?:morning|afternoon|evening|lunchtime)|last\s+night|"
    rf"(?:(?:last|next|this)\s+)?(?:{_WD})(?:'s|’s)?{_DAY_PART}|"
    r"(?:earlier|later)\s+this\s+(?:week|month|year)|"
    r"(?:this|last|next)\s+(?:week|weekend|month|year)|at\s+the\s+weekend|"
    r"(?:\d+|an?|two|three|four|five|six|seven|eight|nine|ten)\s+(?:day|week|month|year)s?\s+ago|"
    rf"(?:(?:{_WD}),?\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MON_FULL})(?:,?\s+{_YEAR})?|"
    rf"(?:(?:{_WD}),?\s+)?(?:{_MON_FULL}|jan|feb|aug|sept?|oct|nov|dec)\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+{_YEAR})?|"
    rf"(?:{_MON_FULL})\.?,?\s+{_YEAR}|"
    rf"(?:in|since|during|until|by|from|before|after)\s+(?:early\s+|late\s+|mid-?)?(?:{_MON_FULL})(?!\s*\d)|"
    rf"(?:in|since|during|until|by|from|before|after)\s+(?:early\s+|late\s+|mid-?)?(?:19|20)\d\d"
    r"(?![\d,.]\d|\s*[-–]\s*\d|\s+(?!was\b|has\b|is\b|this\b|its\b|his\b|as\b|us\b)[^\W\d_]+[^s\W]s\b)|"
    r"(?:the\s+)?(?:1[0-9]|20)[0-9]0s"
    r")\b(?![-\d])",
    re.IGNORECASE,
)
# "Today" as a name: BBC Radio 4's Today programme, USA Today, the Today show.
_NOT_A_DATE_AFTER = re.compile(
    r"^\s*(?:programme|program|show|newspaper|paper|presenter|editor)\b", re.IGNORECASE
)
_NOT_A_DATE_BEFORE = re.compile(r"(?:usa|'s|’s)\s*$", re.IGNORECASE)
_RELATIONS = re.compile(
    r"\b(before|after|until|till|by|ahead of|prior to|through|beyond|pre|post|since|from)\s*-?\s*(?:the\s+)?"
    r"(?:(?:end|start|beginning|middle|close|turn)\s+of\s+(?:the\s+)?)?$",
    re.IGNORECASE,
)
_FUTURE_RE = re.compile(
    r"\b(?:will|won't|shall|is due|are due|due to|set to|is to|are to|going to|expected to|scheduled|"
    r"plans? to|planning to|upcoming|intends? to|ahead of|next)\b|'ll\b",
    re.IGNORECASE,
)
# Words ending in "-ed" that are not past-tense verbs ("Fenwick United on Saturday").
_NOT_PAST_ED = (
    "united|hundred|need|speed|seed|feed|breed|creed|red|bed|shed|embed|sled|fred|ted|ned|reed|greed|weed|"
    "bred|sacred|naked|wicked|ragged|rugged|beloved|alleged|aged|dogged|crooked|wretched|kindred|hatred|"
    "ahmed|mohammed|muhammad|mohamed|ed|wed"
)
_PAST_ED = rf"(?!(?:{_NOT_PAST_ED})\b)[^\W\d_]+ed"
_PAST_CUE_RE = re.compile(
    r"\b(?:said|told|announced|reported|confirmed|revealed|added|wrote|claimed|insisted|admitted|"
    rf"denied|warned|was|were|had|did|{_PAST_ED})\s*(?:on|late on|early on|last)?\s*$",
    re.IGNORECASE,
)
# Past tense anywhere in the clause: "-ed" verbs and the common irregular past forms.
_PAST_VERB_RE = re.compile(
    rf"\b(?:{_PAST_ED}|was|were|had|did|went|came|took|made|won|lost|beat|beaten|drew|drawn|met|held|left|"
    r"gave|given|got|saw|seen|told|began|begun|ran|fell|fallen|rose|broke|broken|caught|fought|found|kept|led|"
    r"paid|sent|spent|stood|struck|thought|threw|thrown|wrote|written|became|brought|bought|built|chose|"
    r"chosen|drove|driven|flew|flown|froze|frozen|knew|known|sank|sang|sat|spoke|spoken|stole|stolen|swore|"
    r"tore|woke|wore|taken|done|gone|ago)\b",
    re.IGNORECASE,
)
# The present that speaks of a fixture: "are playing on Saturday", "Rovers face Fenwick on Saturday",
# "we have a big game at the weekend".
_SCHEDULED_RE = re.compile(
    r"\b(?:am|is|are|'s|'re|’s|’re)\s+(?!being\b|going\b)[^\W\d_]+ing\b|"
    r"\b(?:face|faces|host|hosts|play|plays|visit|visits|travel|travels|meet|meets|start|starts|begin|begins|"
    r"open|opens|resume|resumes|kicks? off|takes? place|returns?|heads?|go|goes|have|has)\b(?!\s+(?:been|[^\W\d_]+ed)\b)",
    re.IGNORECASE,
)
# Nouns of an event still to come when nothing in the clause puts it in the past:
# "with a league trip to Fenwick United on Saturday", "the final on Sunday".
_EVENT_NOUN_RE = re.compile(
    r"\b(?:trip|match|game|fixture|final|semi-?final|tie|derby|clash|visit|meeting|vote|election|referendum|"
    r"hearing|trial|summit|launch|ceremony|concert|festival|race|debate|deadline|appointment|showdown|"
    r"rematch|replay|kick-?off|premiere|auction|parade|rally|sentencing|inquest|talks|fight|bout|tour|"
    r"opener|decider)s?\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK_RE = re.compile(
    r"[,;:—–()\"“”]|\bthat\b|\bbut\b|\bsaid\b|\bsays\b|\bwhile\b|\bafter\b|\bwhen\b", re.IGNORECASE
)


def sentence_tense(text: str, start: int, end: int) -> Tense:
    """Future when the clause around ``text[start:end]`` speaks of the future, else past.

    In order: a reporting or past verb right before the date ("said on Monday that he will
    resign", "arrived on Monday") keeps it in the past even when the clause goes on in the
    future; a future marker in the clause ("will", "is due to", "expected to", "next") points
    forward; a past-tense verb in the clause points back; the present of a fixture ("are
    playing", "Rovers face Fenwick", "we have a big game") or, with no verb at all, a noun of an
    event to come ("a league trip to Fenwick United on Saturday", "the final on Sunday") points
    forward; anything else is past, as news mostly is.
    """
    if _PAST_CUE_RE.search(text[max(0, start - 40) : start]):
        return "past"
    left = 0
    for m in _CLAUSE_BREAK_RE.finditer(text, 0, start):
        left = m.end()
    right_m = _CLAUSE_BREAK_RE.search(text, end)
    right = right_m.start() if right_m else len(text)
    clause = text[left:start] + " " + text[end:right]
    if _FUTURE_RE.search(clause):
        return "future"
    if _PAST_VERB_RE.search(clause):
        return "past"
    if _SCHEDULED_RE.search(clause) or _EVENT_NOUN_RE.search(text[left:start]):
        return "future"
    return "past"


def find_dates(item: AnalyzedArticle, *, sentence: tuple[int, int] | None = None) -> tuple[DateMention, ...]:
    """Every date expression in the article (or in one sentence of it), resolved where possible.

    Durations ("three years"), vague periods ("recent years") and names that
    look like dates ("the Today programme") are left out.
    """
    text = item.article.text
    sents = [sentence] if sentence else list(item.analysis.sents)
    lo = sents[0][0] if sents else 0
    hi = sents[-1][1] if sents else 0
    candidates: list[tuple[int, int]] = [
        (e.start, e.end)
        for e in item.analysis.entities
        if e.label in ("DATE", "TIME") and lo <= e.start and e.end <= hi
    ]
    candidates.extend((m.start(), m.end()) for m in _SCAN_RE.finditer(text, lo, hi))
    return _mentions(item, text, candidates, sents)


def _mentions(
    item: AnalyzedArticle, text: str, candidates: list[tuple[int, int]], sents
) -> tuple[DateMention, ...]:
    import bisect

    pub = item.article.published
    starts = [s for s, _ in sents]
    parsed: list[tuple[int, int, ParsedDate]] = []
    for start, end in sorted(set(candidates), key=lambda se: (se[0], -(se[1] - se[0]))):
        i = bisect.bisect_right(starts, start) - 1
        if i < 0 or end > sents[i][1]:
            continue
        s_start, s_end = sents[i]
        start, end = _trim(text, start, end)
        if start >= end or _looks_like_name(text, start, end):
            continue
        tense = sentence_tense(text[s_start:s_end], start - s_start, end - s_start)
        result = resolve_date(text[start:end], pub, tense=tense)
        if result is None:
            continue
        parsed.append((start, end, result))
    # Overlapping candidates: keep the longest that parsed (ties: the earliest).
    parsed.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    kept: list[tuple[int, int, ParsedDate]] = []
    for start, end, result in parsed:
        if any(start < k_end and k_start < end for k_start, k_end, _ in kept):
            continue
        kept.append((start, end, result))
    kept.sort()
    out = []
    for start, end, result in kept:
        relation = _RELATIONS.search(text[max(0, start - 30) : start])
        out.append(
            DateMention(
                span=item.article.span(start, end),
                relative=result.relative,
                value=result.value,
                relation=relation.group(1).lower() if relation else None,
            )
        )
    return tuple(out)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading preposition and trailing possessive or punctuation from a mention's span."""
    chunk = text[start:end]
    m = re.match(r"(?:in|on|since|during|until|by|from|before|after|of|at)\s+", chunk, re.IGNORECASE)
    if m and not re.match(r"at\s+the\s+weekend", chunk, re.IGNORECASE):
        start += m.end()
    while end > start and text[end - 1] in " .,;:'’\"”":
        end -= 1
    if text[start:end].lower().endswith(("'s", "’s")):
        end -= 2
    return start, end


def _looks_like_name(text: str, start: int, end: int) -> bool:
    chunk = text[start:end].lower()
    if chunk.startswith(("today", "tomorrow")):
        return bool(
            _NOT_A_DATE_AFTER.match(text[end : end + 20])
            or _NOT_A_DATE_BEFORE.search(text[max(0, start - 6) : start])
        )
    return False
