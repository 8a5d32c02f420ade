"""What a number measures: one reader per kind of figure, picked by a table of tests.

A number is first read on its own (value, scale, currency symbol, qualifier, range; see :mod:`.scan`),
then the words after it decide its kind: money, percent, age, duration, quantity, or else a count.
Each kind has a test (does the wording say this kind?) and a reader that fills in the unit, the thing
measured and, for an age, whose age it is.  A reader returns False when the number turns out not to
be a figure at all ("three years ago", "a 3-point plan").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Entity
from .lexicon import (
    _AGE_AFTER_RE,
    _AGE_BEFORE_RE,
    _CURRENCY_WORDS,
    _DURATION_DAYS,
    _DURATION_RE,
    _FUNCTION_WORDS,
    _PERCENT_RE,
    _QUANTITY,
    _QUANTITY_RE,
)
from .names import _apposition_name, _appositive_age_name, _person_after, _person_before
from .numbers import _Number, _precision
from .words import _complement_noun, _thing_after, singular


@dataclass
class _Sentence:
    """The sentence being scanned, its numbers, and how far the scan has read them."""

    text: str
    lo: int
    hi: int
    article_id: str
    entities: tuple[Entity, ...]
    numbers: list[_Number]
    next: int = 0  # index of the first number not read yet
    used_until: int = 0  # end of the last figure read: a number before it belongs to that figure


@dataclass
class _Reading:
    """One number as it is read into a figure; the fields fill in as the words around it are read."""

    n: _Number
    currency: str | None
    scale: float
    full: float
    slack: float
    qualifier: str
    start: int
    end: int
    range_high: float | None = None
    kind: str = "count"
    unit: str = ""
    thing: str | None = None
    mods: tuple[str, ...] = ()
    comp: tuple[str, ...] = field(default=())
    subject: str | None = None
    figure_end: int = 0


_CENTS_RE = re.compile(r"^(?:p\b|\s*pence\b|\s*cents?\b)", re.I)


def _currency_word(after: str) -> tuple[str, int] | None:
    """(currency code, characters used) of a currency named after the number ("5 million euros")."""
    for word, code in _CURRENCY_WORDS.items():
        wm = re.match(rf"^\s*{word}\b", after, re.I)
        if wm:
            return code, wm.end()
    return None


def _is_money(s: _Sentence, r: _Reading, after: str) -> bool:
    return r.currency is not None or _currency_word(after) is not None or bool(_CENTS_RE.match(after))


def _read_money(s: _Sentence, r: _Reading, after: str) -> bool:
    if r.currency is None:
        named = _currency_word(after)
        if named:
            r.currency, r.figure_end = named[0], r.end + named[1]
        else:
            cents = _CENTS_RE.match(after)
            assert cents  # _is_money holds
            r.currency = "GBP" if cents.group(0).strip()[0].lower() == "p" else "USD"
            r.full, r.slack = r.full / 100, r.slack / 100
            r.range_high = r.range_high / 100 if r.range_high is not None else None
            r.figure_end = r.end + cents.end()
    r.kind, r.unit = "money", r.currency
    r.thing, r.mods = _complement_noun(s.text, r.figure_end)
    if r.thing is None:
        head, hmods, hcomp, _ = _thing_after(s.text, r.figure_end)
        if head not in ("year", "month", "week", "day"):
            r.thing, r.mods, r.comp = head, hmods, hcomp
    return True


def _is_percent(s: _Sentence, r: _Reading, after: str) -> bool:
    return bool(_PERCENT_RE.match(after))


def _read_percent(s: _Sentence, r: _Reading, after: str) -> bool:
    pm = _PERCENT_RE.match(after)
    assert pm  # _is_percent holds
    r.kind, r.unit = "percent", ("pp" if "point" in pm.group(1).lower() else "%")
    r.figure_end = r.end + pm.end()
    r.thing, r.mods = _complement_noun(s.text, r.figure_end)
    if r.thing is None:
        r.thing, r.mods, r.comp, _ = _thing_after(s.text, r.figure_end)
    return True


def _is_age(s: _Sentence, r: _Reading, after: str) -> bool:
    n = r.n
    return bool(
        _AGE_AFTER_RE.match(after)
        or _AGE_BEFORE_RE.search(s.text[max(s.lo, n.start - 20) : n.start])
        or (not n.written and _apposition_name(s.text, s.lo, n.start, after, n.value))
    )


def _read_age(s: _Sentence, r: _Reading, after: str) -> bool:
    text, lo, n = s.text, s.lo, r.n
    r.kind, r.unit = "age", "years"
    am = _AGE_AFTER_RE.match(after)
    bm = _AGE_BEFORE_RE.search(text[max(lo, n.start - 20) : n.start])
    if am:
        r.figure_end = r.end + am.end()
    if bm and r.start == n.start:
        r.start = n.start - len(bm.group(0))
    named = [
        _person_after(s.entities, r.figure_end + 1, text),
        _person_before(s.entities, text, r.start - 2),
        _apposition_name(text, lo, n.start, after, n.value) if not am and not bm else None,
        _appositive_age_name(text, lo, r.start) if am else None,
    ]
    subject = next((x for x in named if x), None)
    if subject:  # the fullest wording of the same name ("Mohammed Zaman" over "Zaman")
        subject = max((x for x in named if x and x.split()[-1] == subject.split()[-1]), key=len)
    r.subject = subject
    if am:
        r.thing, r.mods, r.comp, _ = _thing_after(text, r.figure_end)
    if r.qualifier == "exact":
        r.slack = 0.5
    return True


def _is_duration(s: _Sentence, r: _Reading, after: str) -> bool:
    return bool(_DURATION_RE.match(after))


def _read_duration(s: _Sentence, r: _Reading, after: str) -> bool:
    text = s.text
    dm = _DURATION_RE.match(after)
    assert dm  # _is_duration holds
    r.figure_end = r.end + dm.end()
    if re.match(r"^\s*(?:ago|earlier|later|before|after)\b", text[r.figure_end : r.figure_end + 10], re.I):
        return False  # "three years ago" is a date (the date finder's), "two days later" a step
    days = _DURATION_DAYS[dm.group(1).lower().replace("centur", "century")]
    r.kind, r.unit = "duration", "days"
    r.full, r.slack = r.full * days, max(r.slack, 0.5) * days
    r.range_high = r.range_high * days if r.range_high is not None else None
    # "15 years and eight months", "112 years and 178 days": one duration
    while r.range_high is None:
        km = re.match(r"^,?\s+and\s+", text[r.figure_end : r.figure_end + 8], re.I)
        nxt = next((x for x in s.numbers[s.next :] if km and x.start == r.figure_end + km.end()), None)
        dm2 = _DURATION_RE.match(text[nxt.end : nxt.end + 20]) if nxt else None
        if not nxt or not dm2:
            break
        days2 = _DURATION_DAYS[dm2.group(1).lower().replace("centur", "century")]
        r.full += nxt.value * days2
        r.slack = max(0.5, _precision(nxt.text, nxt.value)) * days2
        r.figure_end = nxt.end + dm2.end()
        s.next = s.numbers.index(nxt) + 1
    r.thing, r.mods, r.comp, _ = _thing_after(text, r.figure_end)
    if r.thing is None:
        cm2 = re.match(
            r"^\s*(?:of|in)\s+(?:the\s+)?([^\W\d_]+)", text[r.figure_end : r.figure_end + 30], re.I
        )
        if cm2 and cm2.group(1).lower() not in _FUNCTION_WORDS:
            r.thing = singular(cm2.group(1))
    return True


def _is_quantity(s: _Sentence, r: _Reading, after: str) -> bool:
    return bool(_QUANTITY_RE.match(after) or (not r.n.written and re.match(r"^m\b", after)))


def _read_quantity(s: _Sentence, r: _Reading, after: str) -> bool:
    qm = _QUANTITY_RE.match(after)
    name = qm.group(1).lower() if qm else "metres"
    r.unit, factor = _QUANTITY[name]
    r.kind = "quantity"
    r.full, r.slack = r.full * factor, r.slack * factor
    r.range_high = r.range_high * factor if r.range_high is not None else None
    r.figure_end = r.end + (qm.end() if qm else 1)
    r.thing, r.mods, r.comp, _ = _thing_after(s.text, r.figure_end)
    if re.match(
        r"^\s*(?:away|from|south|north|east|west|off|outside|inland)\b",
        s.text[r.figure_end : r.figure_end + 10],
        re.I,
    ):
        r.thing, r.mods = "distance", ()
    return True


def _read_count(s: _Sentence, r: _Reading, after: str) -> bool:
    if re.match(r"^-(?!strong|member|person|seat|bed|room)[a-z]", after, re.I):
        return False  # "3-point plan", "five-star hotel": a compound adjective, not a count
    hm = re.match(r"^-(strong|member|person|seat|bed|room)\b", after, re.I)
    pos = r.end + hm.end() if hm else r.end
    r.thing, r.mods, r.comp, _ = _thing_after(s.text, pos)
    if hm:
        r.mods = (hm.group(1).lower(), *r.mods)
        r.figure_end = pos
    return r.thing not in ("year", "month", "week", "day", "time", "hour", "minute")


_Test = Callable[[_Sentence, _Reading, str], bool]

# The kinds in the order they are tried: the first test that holds picks the reader; a count is the rest.
KIND_READERS: tuple[tuple[_Test, _Test], ...] = (
    (_is_money, _read_money),
    (_is_percent, _read_percent),
    (_is_age, _read_age),
    (_is_duration, _read_duration),
    (_is_quantity, _read_quantity),
)


def read_kind(s: _Sentence, r: _Reading) -> bool:
    """Fill in what the number measures from the words after it; False when it is not a figure."""
    after = s.text[r.end : min(s.hi, r.end + 48)]
    r.figure_end = r.end
    read = next((read for applies, read in KIND_READERS if applies(s, r, after)), _read_count)
    return read(s, r, after)
