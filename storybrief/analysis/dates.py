"""Date expressions: find them in an article and resolve them against its publication date.

News dates are mostly relative ("yesterday", "last week", "on Wednesday night",
"in July"), so an expression is resolved *against the article's publication
date* and keeps its granularity: "last week" is a week, not a day seven days
back; "in 2008" is a year; "the 1930s" is a decade.  Without a publication
date a relative expression stays unresolved (``value is None``) and says so;
an absolute one ("3 March 2018", "in 2008") resolves on its own.

Resolution is a small explicit grammar of the forms news uses, so every
answer can be explained.  Absolute forms outside it (for example "2009-09-15"
or "15/09/2009") go to dateparser's ``DateDataParser`` with
``PREFER_DATES_FROM='past'`` and ``PREFER_DAY_OF_MONTH='first'``, relative to
the publication date, and only when the text holds a four-digit year.  We
never run ``search_dates`` over free text: it reads "We" as Wednesday.

Direction: a weekday or a month without a year is read in the sentence's
tense.  Past (the default) takes the latest such day on or before
publication, future the first on or after it; the publication weekday itself
is the same day either way ("said on Wednesday" in Wednesday's paper).
Weeks run Monday to Sunday.

Mentions come from spaCy's DATE and TIME entities plus a strict scanner for the
forms the small model misses ("later today", "this week" mid-clause), so a
lower-cased Multi-News text works too.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

from ..articles import Span
from .model import AnalyzedArticle

GRANULARITIES = ("day", "weekend", "week", "month", "season", "year", "decade")
# A date after one of these words bounds an event ("until 2016", "by the end of next year")
# rather than dating it, so it is not put on a timeline or compared.
# fmt: off
BOUNDING_RELATIONS = frozenset(
    {"before", "after", "until", "till", "by", "ahead of", "prior to", "through", "beyond", "pre", "post", "from"}
)
# fmt: on
Tense = Literal["past", "future"]

# fmt: off
__all__ = [
    "BOUNDING_RELATIONS",
    "GRANULARITIES",
    "DateMention",
    "DateValue",
    "ParsedDate",
    "find_dates",
    "publication_day",
    "resolve_date",
    "sentence_tense",
]
# fmt: on


@dataclass(frozen=True, order=True)
class DateValue:
    """A calendar range ``[start, end]`` (both inclusive) and how precise it is."""

    start: date
    end: date
    granularity: str

    def __post_init__(self) -> None:
        if self.granularity not in GRANULARITIES:
            raise ValueError(f"unknown granularity {self.granularity!r}")
        if self.end < self.start:
            raise ValueError(f"date range ends before it starts: {self.start} > {self.end}")

    @classmethod
    def day(cls, d: date) -> DateValue:
        return cls(d, d, "day")

    @classmethod
    def week_of(cls, d: date) -> DateValue:
        monday = d - timedelta(days=d.weekday())
        return cls(monday, monday + timedelta(days=6), "week")

    @classmethod
    def month(cls, year: int, month: int) -> DateValue:
        return cls(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month")

    @classmethod
    def year(cls, year: int) -> DateValue:
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def decade(cls, first_year: int) -> DateValue:
        return cls(date(first_year, 1, 1), date(first_year + 9, 12, 31), "decade")

    def overlaps(self, other: DateValue) -> bool:
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: DateValue) -> bool:
        return self.start <= other.start and other.end <= self.end

    @property
    def label(self) -> str:
        """A short human label: ``2018-08-03``, ``week of 2018-07-30``, ``2018-07``, ``2008``, ``1930s``."""
        g = self.granularity
        if g == "day":
            return self.start.isoformat()
        if g == "week":
            return f"week of {self.start.isoformat()}"
        if g == "weekend":
            return f"weekend of {self.start.isoformat()}"
        if g == "month":
            return self.start.strftime("%Y-%m")
        if g == "season":
            return f"{self.start.strftime('%Y-%m')} to {self.end.strftime('%Y-%m')}"
        if g == "year":
            return str(self.start.year)
        return f"{self.start.year}s"

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "granularity": self.granularity}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateValue:
        return cls(
            date.fromisoformat(data["start"]), date.fromisoformat(data["end"]), str(data["granularity"])
        )


@dataclass(frozen=True)
class ParsedDate:
    """What :func:`resolve_date` makes of an expression.

    ``relative`` says the expression needs a publication date ("last week",
    "3 March"); ``value`` is ``None`` exactly when it needed one and had none.
    """

    relative: bool
    value: DateValue | None

    @property
    def resolved(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class DateMention:
    """A date expression in an article: its span, and its resolved value when known.

    ``relation`` is the word that ties the date to its event when that changes
    its meaning ("before", "after", "until", "by"); such a mention bounds an
    event rather than dating it.
    """

    span: Span
    relative: bool
    value: DateValue | None
    relation: str | None = None

    @property
    def resolved(self) -> bool:
        return self.value is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": self.span.to_dict(),
            "relative": self.relative,
            "value": self.value.to_dict() if self.value else None,
            "relation": self.relation,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateMention:
        value = data.get("value")
        return cls(
            span=Span.from_dict(data["span"]),
            relative=bool(data["relative"]),
            value=DateValue.from_dict(value) if value else None,
            relation=data.get("relation"),
        )


# --------------------------------------------------------------------------------------
# The grammar
# --------------------------------------------------------------------------------------

WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
# Number names up to nineteen; figures.py reads written numbers with them too.
# fmt: off
NUMBER_NAMES = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
# fmt: on
_NUMBER_WORDS = {
    **{word: n for word, n in NUMBER_NAMES.items() if 1 <= n <= 12},
    "a": 1,
    "an": 1,
    "a couple of": 2,
    "a few": 3,
}

_WD = "|".join(WEEKDAYS)
_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_PART = r"(?:\s+(?:morning|afternoon|evening|night|lunchtime|overnight))?"
_ORD = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(1[0-9]{3}|20[0-9]{2}|2100)"
_LEAD = re.compile(
    r"^(?:(?:on|in|at|during|since|from|of|as of|around|circa|c\.)\s+)?"
    r"(?:(?:early|late|earlier|later|mid|the middle of|the end of|the start of|the beginning of)(?:\s+|-))?"
    r"(?:on\s+|in\s+)?(?:the\s+)?"
)

# fmt: off
_DAY_WORDS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "this lunchtime": 0,
    "yesterday": -1,
    "last night": -1,
    "overnight": -1,
    "tomorrow": 1,
    "tomorrow night": 1,
    "the day before yesterday": -2,
    "the day after tomorrow": 2,
}
# fmt: on
_DAY_WORD_RE = re.compile(
    r"(today|tonight|this (?:morning|afternoon|evening|lunchtime)|yesterday|last night|overnight|tomorrow"
    r"|the day before yesterday|the day after tomorrow)" + _DAY_PART
)
_WEEKDAY_RE = re.compile(
    rf"(?:(last|next|this|this coming|this past|past|coming)\s+)?({_WD})(?:'s)?{_DAY_PART}"
)
_PERIOD_RE = re.compile(
    r"(this|last|next|this past|the past|past|this coming|the coming|coming|the)\s+"
    r"(week|weekend|month|year|spring|summer|autumn|fall|winter)(?:'s)?"
)
_AGO_RE = re.compile(
    r"(\d+|a couple of|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(day|week|month|year)s?\s+ago"
)
_DECADE_RE = re.compile(r"(?:(1[0-9]|20)([0-9])0|'?([0-9])0)['’]?s")
_ISO_RE = re.compile(rf"{_YEAR}-(\d{{1,2}})-(\d{{1,2}})")
_SLASH_RE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_YEAR_ONLY_RE = re.compile(rf"(?:the year\s+|fiscal\s+|fy\s*)?{_YEAR}(?:'s)?")
_SEASON_YEAR_RE = re.compile(rf"(spring|summer|autumn|fall|winter)\s+(?:of\s+)?{_YEAR}")
_MONTH_YEAR_RE = re.compile(rf"({_MON})\.?,?\s+(?:of\s+)?{_YEAR}")
_MONTH_ONLY_RE = re.compile(rf"(last|next|this|this past|this coming)?\s*({_MON})\.?")
_DAY_MONTH_RE = re.compile(
    rf"(?:(?:{_WD}),?\s+)?(?:the\s+)?{_ORD}\s+(?:of\s+)?({_MON})\.?(?:,?\s+{_YEAR})?{_DAY_PART}"
)
_MONTH_DAY_RE = re.compile(rf"(?:(?:{_WD}),?\s+)?({_MON})\.?\s+(?:the\s+)?{_ORD}(?:,?\s+{_YEAR})?{_DAY_PART}")
_THIS_PERIOD_EDGE_RE = re.compile(r"(?:earlier|later)\s+(?:this|in the)\s+(week|month|year)")


def publication_day(published: date | datetime | None) -> date | None:
    if published is None:
        return None
    return published.date() if isinstance(published, datetime) else published


def _normalise(text: str) -> str:
    text = text.lower().replace("’", "'").replace("‘", "'")
    text = re.sub(r"\s+", " ", text).strip(" .,;:!?\"'()[]")
    return text


def _strip_lead(text: str) -> tuple[str, str]:
    """Drop prepositions and "early/late/mid" in front; return (rest, the modifier dropped)."""
    m = _LEAD.match(text)
    if not m:
        return text, ""
    return text[m.end() :], text[: m.end()]


def _weekday(pub: date, weekday: int, mode: str | None, tense: Tense) -> date:
    delta = weekday - pub.weekday()
    if mode in ("last", "this past", "past"):
        back = (pub.weekday() - weekday) % 7 or 7
        return pub - timedelta(days=back)
    if mode in ("next", "this coming", "coming"):
        ahead = (weekday - pub.weekday()) % 7 or 7
        return pub + timedelta(days=ahead)
    if mode == "this":
        return pub + timedelta(days=delta)  # inside the publication's Monday-to-Sunday week
    if delta == 0:
        return pub
    if tense == "future":
        return pub + timedelta(days=delta % 7)
    return pub - timedelta(days=(-delta) % 7)


def _weekend(pub: date, mode: str, tense: Tense) -> DateValue:
    """Saturday and Sunday.  "Last weekend" is the latest one before the publication week's,
    "next weekend" the first one after publication, and a bare "the weekend" follows the tense
    (on a Saturday or Sunday it is the current one)."""
    saturday = pub + timedelta(days=5 - pub.weekday())  # Saturday of the publication week
    on_weekend = pub.weekday() >= 5
    if mode in ("last", "this past", "past"):
        sat = saturday - timedelta(days=7)
    elif mode in ("next", "this coming", "the coming", "coming"):
        sat = saturday + timedelta(days=7) if on_weekend else saturday
    elif on_weekend or mode == "this" or tense == "future":
        sat = saturday
    else:
        sat = saturday - timedelta(days=7)
    return DateValue(sat, sat + timedelta(days=1), "weekend")


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _season(year: int, name: str) -> DateValue:
    first, last = SEASONS[name]
    if first > last:  # winter runs over the new year: winter 2018 is Dec 2018 - Feb 2019
        end_year, end_month = year + 1, last
    else:
        end_year, end_month = year, last
    return DateValue(
        date(year, first, 1), date(end_year, end_month, calendar.monthrange(end_year, end_month)[1]), "season"
    )


def _month_in_tense(pub: date, month: int, tense: Tense) -> int:
    if tense == "future":
        return pub.year if month >= pub.month else pub.year + 1
    return pub.year if month <= pub.month else pub.year - 1


def _day_month_in_tense(pub: date, month: int, day: int, tense: Tense) -> date | None:
    years = (pub.year, pub.year + 1) if tense == "future" else (pub.year, pub.year - 1)
    for year in years:
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if (tense == "future" and candidate >= pub) or (tense != "future" and candidate <= pub):
            return candidate
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve_date(
    text: str, published: date | datetime | None = None, *, tense: Tense = "past"
) -> ParsedDate | None:
    """Resolve one date expression (the text of a DATE entity, say) against a publication date.

    Returns ``None`` when ``text`` is not a date expression this grammar
    understands (durations such as "three years", vague ones such as "recent
    years"), else a :class:`ParsedDate` whose ``value`` is ``None`` when the
    expression is relative and ``published`` is missing.
    """
    pub = publication_day(published)
    return _resolve(_normalise(text), pub, tense)


@lru_cache(maxsize=4096)
def _resolve(text: str, pub: date | None, tense: Tense) -> ParsedDate | None:
    if not text:
        return None

    def relative(make) -> ParsedDate | None:
        if pub is None:
            return ParsedDate(True, None)
        value = make(pub)
        return None if value is None else ParsedDate(True, value)

    # Day words: today, yesterday, last night, tomorrow, this morning ...
    core = re.sub(r"^(?:(?:early|late|earlier|later)\s+(?:on\s+)?)", "", text)
    m = _DAY_WORD_RE.fullmatch(core)
    if m:
        offset = _DAY_WORDS[m.group(1)]
        return relative(lambda p: DateValue.day(p + timedelta(days=offset)))

    m = _THIS_PERIOD_EDGE_RE.fullmatch(text)
    if m:
        return _resolve("this " + m.group(1), pub, tense)

    rest, lead = _strip_lead(text)
    if not rest:
        return None

    m = _WEEKDAY_RE.fullmatch(rest)
    if m:
        mode, weekday = m.group(1), WEEKDAYS[m.group(2)]
        return relative(lambda p: DateValue.day(_weekday(p, weekday, mode, tense)))

    if rest == "weekend":
        return relative(lambda p: _weekend(p, "", tense))

    m = _PERIOD_RE.fullmatch(rest)
    if m:
        mode, unit = m.group(1), m.group(2)
        if mode in ("the past", "past") and unit in ("week", "month", "year"):
            return None  # "the past week" is a stretch of time up to now, not a dated event
        if mode == "the" and unit != "weekend" and unit not in SEASONS:
            return None  # "the week", "the year": which one is not said
        step = {"last": -1, "this past": -1, "next": 1, "this coming": 1, "the coming": 1, "coming": 1}.get(
            mode, 0
        )
        if unit == "week":
            return relative(lambda p: DateValue.week_of(p + timedelta(weeks=step)))
        if unit == "weekend":
            return relative(lambda p: _weekend(p, mode, tense))
        if unit == "month":
            return relative(lambda p: DateValue.month(*_shift_month(p.year, p.month, step)))
        if unit == "year":
            return relative(lambda p: DateValue.year(p.year + step))

        # seasons: "last summer" is the latest one already over, "this summer" the publication year's
        def season(p: date) -> DateValue:
            this = _season(p.year, unit)
            if step == 0:
                if unit == "winter" and p.month <= 2:
                    return _season(p.year - 1, unit)
                return this
            if step < 0:
                return this if this.end < p else _season(p.year - 1, unit)
            return this if this.start > p else _season(p.year + 1, unit)

        return relative(season)

    m = _AGO_RE.fullmatch(rest)
    if m:
        n = int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS[m.group(1)]
        unit = m.group(2)
        if unit == "day":
            return relative(lambda p: DateValue.day(p - timedelta(days=n)))
        if unit == "week":
            return relative(lambda p: DateValue.week_of(p - timedelta(weeks=n)))
        if unit == "month":
            return relative(lambda p: DateValue.month(*_shift_month(p.year, p.month, -n)))
        return relative(lambda p: DateValue.year(p.year - n))

    m = _DECADE_RE.fullmatch(rest)
    if m:
        if m.group(1):
            return ParsedDate(False, DateValue.decade(int(m.group(1)) * 100 + int(m.group(2)) * 10))
        tens = int(m.group(3)) * 10
        if pub is not None:
            first = 2000 + tens if 2000 + tens <= pub.year else 1900 + tens
            return ParsedDate(False, DateValue.decade(first))
        return ParsedDate(False, DateValue.decade(2000 + tens if tens < 30 else 1900 + tens))

    m = _ISO_RE.fullmatch(rest)
    if m:
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return ParsedDate(False, DateValue.day(d)) if d else None

    m = _SLASH_RE.fullmatch(rest)
    if m:
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if a > 12 and b <= 12:
            d = _safe_date(year, b, a)
        elif (b > 12 and a <= 12) or a == b:
            d = _safe_date(year, a, b)
        else:
            return None  # 03/04/2018: day-first or month-first is not said
        return ParsedDate(False, DateValue.day(d)) if d else None

    m = _DAY_MONTH_RE.fullmatch(rest) or _MONTH_DAY_RE.fullmatch(rest)
    if m:
        groups = m.groups()
        if m.re is _DAY_MONTH_RE:
            day, month, year_text = int(groups[0]), MONTHS[groups[1]], groups[2]
        else:
            month, day, year_text = MONTHS[groups[0]], int(groups[1]), groups[2]
        if not 1 <= day <= 31:
            return None
        if year_text:
            d = _safe_date(int(year_text), month, day)
            return ParsedDate(False, DateValue.day(d)) if d else None
        if pub is None:
            return ParsedDate(True, None)
        d = _day_month_in_tense(pub, month, day, tense)
        return ParsedDate(True, DateValue.day(d)) if d else None

    m = _MONTH_YEAR_RE.fullmatch(rest)
    if m:
        return ParsedDate(False, DateValue.month(int(m.group(2)), MONTHS[m.group(1)]))

    m = _SEASON_YEAR_RE.fullmatch(rest)
    if m:
        return ParsedDate(False, _season(int(m.group(2)), m.group(1)))

    m = _MONTH_ONLY_RE.fullmatch(rest)
    if m and (len(m.group(2)) > 3 or m.group(2) == "may"):
        mode, month = m.group(1), MONTHS[m.group(2)]

        def month_value(p: date) -> DateValue:
            if mode in ("last", "this past"):
                year = p.year if month < p.month else p.year - 1
            elif mode in ("next", "this coming"):
                year = p.year if month > p.month else p.year + 1
            elif mode == "this":
                year = p.year
            else:
                year = _month_in_tense(p, month, tense)
            return DateValue.month(year, month)

        return relative(month_value)

    m = _YEAR_ONLY_RE.fullmatch(rest)
    if m:
        return ParsedDate(False, DateValue.year(int(m.group(1))))

    if lead.strip() in ("early", "late", "mid", "mid-") or not re.search(r"\b(1[0-9]{3}|20[0-9]{2})\b", rest):
        return None
    return _dateparser_fallback(rest, pub)


def _dateparser_fallback(text: str, pub: date | None) -> ParsedDate | None:
    """Absolute forms outside the grammar, read by dateparser with the recommended settings."""
    parser = _dateparser(pub)
    if parser is None:
        return None
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    if data.period == "day":
        return ParsedDate(False, DateValue.day(d))
    if data.period == "month":
        return ParsedDate(False, DateValue.month(d.year, d.month))
    if data.period == "year":
        return ParsedDate(False, DateValue.year(d.year))
    return None


@lru_cache(maxsize=64)
def _dateparser(pub: date | None):
    try:
        from dateparser.date import DateDataParser
    except ImportError:  # dateparser is a declared dependency; without it we keep the grammar only
        return None
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day, 12)
    return DateDataParser(languages=["en"], settings=settings)


# --------------------------------------------------------------------------------------
# Finding mentions in an article
# --------------------------------------------------------------------------------------

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
