"""Figures: the numbers an article states, normalised so that two outlets can be compared.

A :class:`Figure` is a span of the article ("£2.3m", "two thousand
firefighters", "8.2 %", "aged 45", "for 99 years", "in 2008") with

* ``kind``: count, money, percent, age, duration, quantity or date;
* ``value`` in a normal unit: "2,000" and "two thousand" are 2000.0, "£2.3m"
  and "£2,300,000" are 2300000.0 GBP, "10 miles" is 16093.44 m, "three years"
  is 1095.75 days;
* ``low``/``high``: the range the wording allows.  Qualifiers widen it ("more
  than 80 million" is (80m, inf)), and so does the precision it is stated to
  ("8 %" is [7.5, 8.5], so it does not contradict "8.2 %");
* ``thing``: what is counted, when we can tell: the singular head noun after
  the number ("103 Labour MPs" -> "mp", with ``modifiers`` ("labour",)), the
  noun of an "of"/"in" complement for money and percentages ("$5m in
  damages" -> "damage"), and, for an age, the person as ``subject`` ("John Smith, 45," -> "smith").

Extraction is pattern-based over the sentence text, with no extra NLP pass, so
it costs little next to NER.  It works on lower-cased, tokenised text too
(Multi-News writes "$ 5 million" and "8.2 %").  Numbers that name rather
than count (flight 370, article 50, covid-19, times, scores, ordinals) are
left out, and so are bare years, which are dates.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..articles import Span
from .dates import BOUNDING_RELATIONS, NUMBER_NAMES, DateMention, DateValue, find_dates
from .model import AnalyzedArticle, Entity

KINDS = ("count", "money", "percent", "age", "duration", "quantity", "date")
QUALIFIERS = ("exact", "about", "over", "at-least", "under", "at-most", "nearly", "range", "vague")

# fmt: off
__all__ = [
    "KINDS",
    "QUALIFIERS",
    "ArticleFigures",
    "Figure",
    "article_figures",
    "figures_by_sentence",
    "find_figures",
    "number_values",
    "parse_figures",
    "parse_number",
    "singular",
]
# fmt: on


@dataclass(frozen=True)
class Figure:
    """One stated number, normalised.  See the module docstring for the fields."""

    span: Span
    kind: str
    value: float | None
    unit: str = ""
    low: float = -math.inf
    high: float = math.inf
    qualifier: str = "exact"
    thing: str | None = None
    modifiers: tuple[str, ...] = ()
    per: str | None = None
    date: DateValue | None = None
    relative: bool = False
    complement: tuple[str, ...] = field(default=())
    subject: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown figure kind {self.kind!r}")
        if self.qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {self.qualifier!r}")

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What must match before two figures can be compared at all."""
        return (self.kind, self.unit, self.per)

    def to_dict(self) -> dict[str, Any]:
        def num(x: float | None) -> float | str | None:
            if x is None:
                return None
            if math.isinf(x):
                return "inf" if x > 0 else "-inf"
            return x

        return {
            "span": self.span.to_dict(),
            "kind": self.kind,
            "value": num(self.value),
            "unit": self.unit,
            "low": num(self.low),
            "high": num(self.high),
            "qualifier": self.qualifier,
            "thing": self.thing,
            "modifiers": list(self.modifiers),
            "complement": list(self.complement),
            "per": self.per,
            "date": self.date.to_dict() if self.date else None,
            "relative": self.relative,
            "subject": self.subject,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        def num(x: Any) -> float | None:
            if x is None:
                return None
            return float(x)  # float("inf") and float("-inf") read the strings back

        return cls(
            span=Span.from_dict(data["span"]),
            kind=data["kind"],
            value=num(data.get("value")),
            unit=data.get("unit", ""),
            low=float(data.get("low", "-inf")),
            high=float(data.get("high", "inf")),
            qualifier=data.get("qualifier", "exact"),
            thing=data.get("thing"),
            modifiers=tuple(data.get("modifiers", ())),
            complement=tuple(data.get("complement", ())),
            per=data.get("per"),
            date=DateValue.from_dict(data["date"]) if data.get("date") else None,
            relative=bool(data.get("relative", False)),
            subject=data.get("subject"),
        )


# --------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------

_UNITS = NUMBER_NAMES
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SHORT_SCALES = {
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "bln": 1e9,
    "tn": 1e12,
    "trn": 1e12,
}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, "hundred", *_SCALES, "dozen"])
_WORD_NUMBER_RE = re.compile(
    rf"\b(?:an?\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?(?:{_NUMBER_WORD})"
    rf"(?:(?:\s+and\s+|\s*-\s*|\s+)(?:{_NUMBER_WORD}))*\b",
    re.IGNORECASE,
)
_HALF_RE = re.compile(r"\b(?:a\s+)?half[\s-](?:a\s+)?(million|billion|thousand|dozen)\b", re.IGNORECASE)
_DIGITS_RE = re.compile(r"(?<![\w.,/:])(?<![^\W\d_]-)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\d])")


def parse_number(text: str) -> float | None:
    """The value of a written number: "2,000", "2.3", "two thousand", "a hundred and three", "a dozen"."""
    text = text.strip().lower()
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?", text)
    if m:
        return float(m.group(1).replace(",", "") + (m.group(2) or ""))
    words = [w for w in re.split(r"[\s-]+", text) if w and w != "and"]
    if not words:
        return None
    total, current, seen = 0.0, 0.0, False
    for i, w in enumerate(words):
        if w in ("a", "an") and i == 0:
            current = 1.0
        elif w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w in _TENS:
            current += _TENS[w]
            seen = True
        elif w == "hundred":
            current = (current or 1.0) * 100
            seen = True
        elif w == "dozen":
            current = (current or 1.0) * 12
            seen = True
        elif w in _SCALES:
            total += (current or 1.0) * _SCALES[w]
            current = 0.0
            seen = True
        else:
            return None
    return total + current if seen else None


def _precision(number_text: str, value: float) -> float:
    """Half the step of the last stated digit, in the number's own units ("8" -> 0.5, "8.25" -> 0.005)."""
    m = re.search(r"\.(\d+)$", number_text.strip())
    if m:
        return 0.5 * 10 ** -len(m.group(1))
    return 0.5


def _round_band(number_text: str, value: float) -> float:
    """Extra slack for round figures: "2,000" or "80 million" is seldom exact (5 %)."""
    digits = re.sub(r"\D", "", number_text.split(".")[0])
    if value >= 100 and digits.endswith("0"):
        return 0.05 * value
    return 0.0


# --------------------------------------------------------------------------------------
# Words around a number
# --------------------------------------------------------------------------------------

_FUNCTION_WORDS = frozenset(
    """a an the this that these those some any each every no all both either neither other another such
    of in on at to for from by with without within into onto over under about above below between among
    through during before after since until till than as like per via across against along around behind
    beyond beside besides near off out up down upon toward towards
    and or but nor so yet if then because while whereas although though unless whether
    i you he she it we they me him her us them my your his its our their mine yours hers ours theirs
    who whom whose which what where when why how there here
    is are was were be been being am have has had having do does did done will would shall should can
    could may might must ought
    not never also just only even still already again ever too very more most less least much many
    few several lot lots own same said says say told tell according once now today tonight yesterday
    tomorrow alone apiece overall respectively instead ago later earlier last next back""".split()
)
# fmt: off
_IRREGULAR_PLURALS = {
    "people": "people",
    "persons": "people",
    "men": "man",
    "women": "woman",
    "children": "child",
    "police": "police",
    "staff": "staff",
    "personnel": "personnel",
    "cattle": "cattle",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
    "crew": "crew",
    "data": "data",
    "media": "media",
}
# fmt: on
_NOT_PLURAL = frozenset(
    """news series species politics economics physics mathematics athletics chess bus gas lens yes this his
    its was has is as us plus thus bonus census virus status campus focus always perhaps whereas besides
    sometimes afterwards towards nevertheless unless mps' analysis crisis basis thesis""".split()
)
_PARTICIPLE_NOUNS = frozenset(
    """dead injured wounded killed missing hurt arrested detained displaced evacuated infected
    homeless unemployed elderly sick""".split()
)
# fmt: off
_INCREMENTAL = frozenset(
    {"other", "more", "additional", "another", "further", "extra", "new", "remaining", "last", "first"}
)
# fmt: on
_LABEL_BEFORE_RE = re.compile(
    r"\b(?:no|nos|number|flight|route|highway|interstate|article|section|chapter|room|page|level|"
    r"stage|category|grade|class|size|version|model|season|episode|game|round|act|apartment|apt|suite|"
    r"gate|terminal|platform|lane|unit|district|ward|precinct|bus|line|channel|station|track|ranked|rank|"
    r"vol|volume|issue|pt|part|phase|tier|step|week|day|top|seed|uss|hms|boeing|airbus|windows|ios|"
    r"iphone|galaxy|jersey|amendment|proposition|prop|measure|bill|resolution|title|rule|code|form|"
    r"psalm|verse|exit|mile\s+marker|pier|block|lot|box|ext|extension)\.?\s*#?\s*$|#\s*$",
    re.IGNORECASE,
)
_AFTER_NOT_FIGURE_RE = re.compile(
    r"^(?:st|nd|rd|th|s\b|'s\b|’s\b|\s*:\s*\d|\s*/\s*\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|gmt|bst|"
    r"est|edt|cst|pst|et\b|pt\b|o'clock)|\s*-?(?:th|st|nd|rd)\b|-[a-z]+-\d|\.\d|,\d)",
    re.IGNORECASE,
)

# fmt: off
_CURRENCY_SYMBOLS = {
    "us$": "USD",
    "us $": "USD",
    "a$": "AUD",
    "au$": "AUD",
    "c$": "CAD",
    "ca$": "CAD",
    "nz$": "NZD",
    "hk$": "HKD",
    "s$": "SGD",
    "$": "USD",
    "£": "GBP",
    "€": "EUR",
    "¥": "JPY",
    "₹": "INR",
    "rs": "INR",
    "rs.": "INR",
    "usd": "USD",
    "gbp": "GBP",
    "eur": "EUR",
    "jpy": "JPY",
    "cny": "CNY",
    "inr": "INR",
    "aud": "AUD",
    "cad": "CAD",
    "chf": "CHF",
}
# fmt: on
_CURRENCY_BEFORE_RE = re.compile(
    r"(us\s?\$|a\$|au\$|c\$|ca\$|nz\$|hk\$|s\$|\$|£|€|¥|₹|\brs\.?|\b(?:usd|gbp|eur|jpy|cny|inr|aud|cad|chf))\s*$",
    re.IGNORECASE,
)
# fmt: off
_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rupees": "INR",
    "rupee": "INR",
    "pesos": "MXN",
    "francs": "CHF",
    "roubles": "RUB",
    "rubles": "RUB",
    "pounds sterling": "GBP",
    "sterling": "GBP",
}
# fmt: on
# fmt: off
_CURRENCY_ADJ = {
    "us": "USD",
    "american": "USD",
    "australian": "AUD",
    "canadian": "CAD",
    "hong kong": "HKD",
    "new zealand": "NZD",
    "singapore": "SGD",
}
# fmt: on
# (name, normal unit, factor to the normal unit)
_QUANTITY_UNITS: list[tuple[str, str, float]] = [
    ("square miles", "m2", 2_589_988.11),
    ("square mile", "m2", 2_589_988.11),
    ("square kilometres", "m2", 1e6),
    ("square kilometers", "m2", 1e6),
    ("sq km", "m2", 1e6),
    ("km2", "m2", 1e6),
    ("square metres", "m2", 1.0),
    ("square meters", "m2", 1.0),
    ("square feet", "m2", 0.09290304),
    ("sq ft", "m2", 0.09290304),
    ("acres", "m2", 4046.8564224),
    ("acre", "m2", 4046.8564224),
    ("hectares", "m2", 1e4),
    ("hectare", "m2", 1e4),
    ("miles per hour", "m/s", 0.44704),
    ("mph", "m/s", 0.44704),
    ("km/h", "m/s", 1 / 3.6),
    ("kph", "m/s", 1 / 3.6),
    ("kilometres per hour", "m/s", 1 / 3.6),
    ("kilometers per hour", "m/s", 1 / 3.6),
    ("knots", "m/s", 0.514444),
    ("kilometres", "m", 1000.0),
    ("kilometers", "m", 1000.0),
    ("kilometre", "m", 1000.0),
    ("kilometer", "m", 1000.0),
    ("km", "m", 1000.0),
    ("miles", "m", 1609.344),
    ("mile", "m", 1609.344),
    ("metres", "m", 1.0),
    ("meters", "m", 1.0),
    ("metre", "m", 1.0),
    ("meter", "m", 1.0),
    ("feet", "m", 0.3048),
    ("foot", "m", 0.3048),
    ("ft", "m", 0.3048),
    ("inches", "m", 0.0254),
    ("inch", "m", 0.0254),
    ("yards", "m", 0.9144),
    ("centimetres", "m", 0.01),
    ("centimeters", "m", 0.01),
    ("cm", "m", 0.01),
    ("millimetres", "m", 0.001),
    ("millimeters", "m", 0.001),
    ("mm", "m", 0.001),
    ("tonnes", "kg", 1000.0),
    ("tonne", "kg", 1000.0),
    ("metric tons", "kg", 1000.0),
    ("tons", "kg", 907.18474),
    ("ton", "kg", 907.18474),
    ("kilograms", "kg", 1.0),
    ("kilogram", "kg", 1.0),
    ("kilos", "kg", 1.0),
    ("kg", "kg", 1.0),
    ("grams", "kg", 0.001),
    ("pounds", "kg", 0.45359237),
    ("lbs", "kg", 0.45359237),
    ("lb", "kg", 0.45359237),
    ("ounces", "kg", 0.028349523),
    ("oz", "kg", 0.028349523),
    ("litres", "l", 1.0),
    ("liters", "l", 1.0),
    ("gallons", "l", 3.785411784),
    ("barrels", "bbl", 1.0),
    ("degrees fahrenheit", "°F", 1.0),
    ("degrees celsius", "°C", 1.0),
    ("degrees f", "°F", 1.0),
    ("degrees c", "°C", 1.0),
    ("megawatts", "W", 1e6),
    ("mw", "W", 1e6),
    ("gigawatts", "W", 1e9),
    ("gw", "W", 1e9),
]
_QUANTITY_RE = re.compile(
    r"^\s*-?("
    + "|".join(re.escape(n) for n, _, _ in sorted(_QUANTITY_UNITS, key=lambda u: -len(u[0])))
    + r")\b",
    re.IGNORECASE,
)
_QUANTITY = {n: (u, f) for n, u, f in _QUANTITY_UNITS}
_DURATION_DAYS = {
    "second": 1 / 86400,
    "minute": 1 / 1440,
    "hour": 1 / 24,
    "day": 1.0,
    "week": 7.0,
    "fortnight": 14.0,
    "month": 30.4375,
    "year": 365.25,
    "decade": 3652.5,
    "century": 36525.0,
}
_DURATION_RE = re.compile(
    r"^\s*-?\s*(second|minute|hour|day|week|fortnight|month|year|decade|centur)(?:s|ies|y)?\b(?!\s*-?\s*old)",
    re.IGNORECASE,
)
_AGE_AFTER_RE = re.compile(r"^\s*-?\s*years?\s*-?\s*old\b", re.IGNORECASE)
_AGE_BEFORE_RE = re.compile(r"(?:\baged|\bage|\bat the age of)\s+$", re.IGNORECASE)
_PERCENT_RE = re.compile(r"^\s*(%|per\s*cent\b|percent\b|pct\b|percentage\s+points?\b)", re.IGNORECASE)
_SCALE_RE = re.compile(
    r"^(\s*(?:thousand|million|billion|trillion)\b|(?:k|m|mn|mln|bn|bln|b|tn|trn)\b)", re.IGNORECASE
)
_PER_RE = re.compile(
    r"^\s*(?:a|an|per|each|every)\s+(year|month|week|day|hour|minute|share|person|head|capita|barrel|gallon|"
    r"litre|liter|ton|tonne|pound|kilo|night|game|season|student|employee|household|mile|unit)\b",
    re.IGNORECASE,
)
_QUALIFIER_BEFORE = [
    (
        re.compile(
            r"(?:\bmore than|\bover|\bupwards? of|\bin excess of|\bnorth of|\bjust over|\babove|\bexceeding|\bgreater than|\bbetter than)\s+$",
            re.I,
        ),
        "over",
    ),
    (
        re.compile(r"(?:\bat least|\bno fewer than|\bno less than|\ba minimum of|\bnot less than)\s+$", re.I),
        "at-least",
    ),
    (re.compile(r"(?:\bless than|\bfewer than|\bunder|\bbelow|\bjust under|\bshy of)\s+$", re.I), "under"),
    (
        re.compile(
            r"(?:\bup to|\bas many as|\bas much as|\bat most|\bno more than|\ba maximum of|\bas high as)\s+$",
            re.I,
        ),
        "at-most",
    ),
    (re.compile(r"(?:\bnearly|\balmost|\bclose to|\bapproaching)\s+$", re.I), "nearly"),
    (
        re.compile(
            r"(?:\babout|\baround|\bapproximately|\broughly|\bsome|\ban estimated|\bestimated|\bcirca|\bc\.|\bapprox\.?|\ban? average of|\baveraging)\s+$",
            re.I,
        ),
        "about",
    ),
]
_QUALIFIER_AFTER = [
    (re.compile(r"^\s*(?:-?plus\b|\+|or more\b|and up\b|and more\b)", re.I), "at-least"),
    (re.compile(r"^\s*(?:or so\b|or thereabouts\b)", re.I), "about"),
]
_VAGUE_RE = re.compile(
    r"\b(?:(tens|hundreds) of thousands|(dozens|scores|hundreds|thousands|millions|billions|tens))\s+of\b",
    re.IGNORECASE,
)
# fmt: off
_VAGUE_RANGES = {
    "dozens": (24, 100),
    "scores": (40, 100),
    "tens": (20, 100),
    "hundreds": (200, 1000),
    "thousands": (2000, 1e5),
    "millions": (2e6, 1e9),
    "billions": (2e9, 1e12),
    "tens of thousands": (2e4, 1e5),
    "hundreds of thousands": (2e5, 1e6),
}
# fmt: on
# Words that follow "in"/"of" after a figure without naming what it measures ("8 % in March").
_NOT_A_THING = frozenset(
    [
        *(m.lower() for m in __import__("calendar").month_name if m),
        *(d.lower() for d in __import__("calendar").day_name),
        "total",
        "all",
        "addition",
        "part",
        "order",
        "fact",
        "place",
        "recent",
        "today",
        "yesterday",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "time",
        "contrast",
        "comparison",
        "response",
        "return",
        "exchange",
        "turn",
        "terms",
        "line",
        "front",
        "advance",
        "effect",
        "particular",
        "general",
        "short",
    ]
)
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*")


def singular(word: str) -> str:
    """A noun's singular, lower-cased ("MPs" -> "mp", "copies" -> "copy", "people" -> "people")."""
    w = word.lower().replace("’", "'").rstrip("'")
    if w in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[w]
    if w in _NOT_PLURAL or len(w) <= 2:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("uses") and len(w) >= 5 and w[-5] not in "aeiou":
        return w[:-2]  # buses, viruses (but causes, houses)
    if w.endswith(("sses", "xes", "ches", "shes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "ous")):
        return w[:-1]
    return w


def _is_plural(word: str) -> bool:
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return True
    if w in _NOT_PLURAL or len(w) <= 2:
        return False
    return w.endswith("s") and not w.endswith(("ss", "us", "is", "ous"))


def _words_after(text: str, pos: int, limit: int) -> list[tuple[str, int, int]]:
    """Word tokens right after ``pos``, stopping at punctuation or a number."""
    out: list[tuple[str, int, int]] = []
    i = pos
    while len(out) < limit:
        m = re.compile(r"\s*").match(text, i)
        assert m is not None  # \s* matches anywhere
        i = m.end()
        if i >= len(text):
            break
        wm = _WORD_RE.match(text, i)
        if not wm:
            break
        out.append((wm.group(0), wm.start(), wm.end()))
        i = wm.end()
    return out


def _thing_after(text: str, pos: int) -> tuple[str | None, tuple[str, ...], tuple[str, ...], int]:
    """(head noun, modifiers, "of" complement, end offset) of the noun phrase after a figure."""
    words = _words_after(text, pos, 8)
    collected: list[str] = []
    end = pos
    k = 0
    while k < len(words) and len(collected) < 3:
        w, _, w_end = words[k]
        lw = w.lower()
        if lw in _FUNCTION_WORDS:
            break
        if lw.endswith(("ed", "ing")) and lw not in _PARTICIPLE_NOUNS:
            nxt = words[k + 1][0].lower() if k + 1 < len(words) else ""
            if collected or not nxt or nxt in _FUNCTION_WORDS:
                break  # a verb ("300 people died", "40 firefighters battled")
        collected.append(lw)
        end = w_end
        k += 1
        if _is_plural(lw) or lw in _PARTICIPLE_NOUNS:
            break
    complement: tuple[str, ...] = ()
    if collected and k < len(words) and words[k][0].lower() == "of":
        comp = [
            w.lower()
            for w, _, _ in words[k + 1 : k + 5]
            if w.lower() not in ("the", "a", "an", "his", "her", "their", "its")
        ]
        stop = next((i for i, w in enumerate(comp) if w in _FUNCTION_WORDS), len(comp))
        complement = tuple(singular(w) for w in comp[: min(stop, 3)])
    if not collected:
        return None, (), (), pos
    head = singular(collected[-1])
    mods = tuple(singular(w) for w in collected[:-1])
    return head, mods, complement, end


_ANCHOR_SKIP = _FUNCTION_WORDS | {
    "early",
    "late",
    "later",
    "earlier",
    "shortly",
    "just",
    "only",
    "first",
    "mid",
    "back",
}


def _anchor_before(text: str, lo: int, pos: int) -> str | None:
    """The event word a date hangs on: "built in 1887" -> "built", "inspection in 2019" -> "inspection"."""
    chunk = text[max(lo, pos - 60) : pos]
    for token in reversed(re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+|[^\w\s]", chunk)):
        low = token.lower()
        if not low[0].isalpha():
            return None  # punctuation or a number comes first: no word to hang on
        if low in _ANCHOR_SKIP:
            continue
        return low
    return None


def _complement_noun(text: str, pos: int) -> tuple[str | None, tuple[str, ...]]:
    """For money and percentages: "$5m in damages" -> damage; "8 % of voters" -> voter."""
    words = _words_after(text, pos, 5)
    if len(words) >= 2 and words[0][0].lower() in ("in", "of", "for"):
        rest = [w.lower() for w, _, _ in words[1:] if w.lower() not in ("the", "a", "an", "its", "their")]
        if rest and rest[0] not in _FUNCTION_WORDS and rest[0] not in _NOT_A_THING:
            phrase: list[str] = []
            for w in rest:
                if w in _FUNCTION_WORDS or (phrase and w.endswith(("ed", "ing"))):
                    break
                phrase.append(w)
                if _is_plural(w) or len(phrase) == 3:
                    break
            if phrase:
                return singular(phrase[-1]), tuple(singular(w) for w in phrase[:-1])
    return None, ()


# --------------------------------------------------------------------------------------
# The scanner
# --------------------------------------------------------------------------------------


@dataclass
class _Number:
    start: int
    end: int
    value: float
    text: str
    written: bool  # in words ("two thousand")


def _numbers(text: str, lo: int, hi: int) -> list[_Number]:
    found: list[_Number] = []
    for m in _DIGITS_RE.finditer(text, lo, hi):
        found.append(
            _Number(
                m.start(), m.end(), float(m.group(1).replace(",", "") + (m.group(2) or "")), m.group(0), False
            )
        )
    for m in _HALF_RE.finditer(text, lo, hi):
        unit = m.group(1).lower()
        found.append(_Number(m.start(), m.end(), 0.5 * (_SCALES.get(unit) or 12), m.group(0), True))
    taken = [(n.start, n.end) for n in found]
    for m in _WORD_NUMBER_RE.finditer(text, lo, hi):
        s, e = m.start(), m.end()
        chunk = m.group(0)
        # A trailing "and ..." that is not part of the number ("two and three") is trimmed by parse_number failing.
        value = parse_number(chunk)
        if value is None or any(s < te and ts < e for ts, te in taken):
            continue
        found.append(_Number(s, e, value, chunk, True))
    found.sort(key=lambda n: n.start)
    return found


def number_values(text: str, start: int, end: int) -> list[float]:
    """Every number written in ``text[start:end]``, read or not as a figure, except clock
    times and slash forms ("12: 03", "1 / 42")."""
    return [
        n.value
        for n in _numbers(text, start, end)
        if ":" not in text[max(0, n.start - 2) : n.end + 2]
        and "/" not in text[max(0, n.start - 2) : n.end + 2]
    ]


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any((s <= start and end <= e) or (start < e and s < end) for s, e in spans)


def _qualify(text: str, lo: int, start: int, end: int) -> tuple[str, int, int]:
    """(qualifier, new start, new end) from the words around a number."""
    before = text[max(lo, start - 30) : start]
    qualifier, q_start = "exact", start
    for pattern, name in _QUALIFIER_BEFORE:
        m = pattern.search(before)
        if m:
            qualifier, q_start = name, start - (len(before) - m.start())
            while q_start < start and text[q_start].isspace():
                q_start += 1
            break
    after = text[end : end + 20]
    q_end = end
    for pattern, name in _QUALIFIER_AFTER:
        m = pattern.match(after)
        if m:
            if qualifier == "exact":
                qualifier = name
            q_end = end + m.end()
            break
    return qualifier, q_start, q_end


def _interval(qualifier: str, value: float, slack: float) -> tuple[float, float]:
    if qualifier == "over":
        return value, math.inf
    if qualifier == "at-least":
        return value - slack, math.inf
    if qualifier == "under":
        return 0.0, value
    if qualifier == "at-most":
        return 0.0, value + slack
    if qualifier == "nearly":
        return 0.9 * value - slack, value + slack
    if qualifier == "about":
        return value * 0.9 - slack, value * 1.1 + slack
    return value - slack, value + slack


_TITLES = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady rev fr sgt lt col gen capt cpl pc officer judge sen rep gov "
    "president councillor cllr mayor minister chancellor secretary".split()
)


_NOT_NAMES = frozenset(
    "accused named aged deceased suspected alleged injured killed wounded arrested charged married retired "
    "unidentified unnamed victim suspect man woman boy girl son daughter wife husband mother father brother "
    "sister friend student teen teenager child baby driver officer resident customer owner worker".split()
)


def _clean_name(words: list[str]) -> str | None:
    """The last one or two name-like words, lower-cased, without titles: "Ms. Kellow" -> "kellow"."""
    kept: list[str] = []
    cased = False  # the surname is capitalised, so the text keeps capitals and a first name must have one
    for w in reversed(words):
        low = w.lower().strip(".'’")
        if (
            not low
            or low in _TITLES
            or low in _FUNCTION_WORDS
            or low in _NOT_A_THING
            or low.endswith(("'s", "’s", "ing"))
            or low in _NOT_NAMES
            or (_is_plural(low) and not low.endswith("ss"))
            or len(low) < 2
        ):
            break
        if kept and cased and w[:1].islower():
            break  # "student Lena Dunmore": in cased text a name is capitalised
        if not kept:
            cased = w[:1].isupper()
        kept.append(low)
        if len(kept) == 2:
            break
    return " ".join(reversed(kept)) or None


def _person_before(entities: tuple[Entity, ...], text: str, pos: int) -> str | None:
    """The name of a PERSON entity that ends right before ``pos`` (", 45,"); never a possessive."""
    for ent in entities:
        if (
            ent.label == "PERSON"
            and 0 <= pos - ent.end <= 2
            and "'" not in text[ent.end : pos + 1]
            and "’" not in text[ent.end : pos + 1]
        ):
            return _clean_name(text[ent.start : ent.end].split())
    return None


def _person_after(entities: tuple[Entity, ...], pos: int, text: str) -> str | None:
    for ent in entities:
        if ent.label == "PERSON" and 0 <= ent.start - pos <= 2:
            return _clean_name(text[ent.start : ent.end].split())
    return None


_SCORE_RE = re.compile(
    r"\b(?:won|win|wins|beat|beats|defeated|lost|loses|lose|score|scored|tied|led|leads|lead|trailing|trail|"
    r"voted|vote|votes|margin|record)\b[^.]{0,20}$",
    re.IGNORECASE,
)
_SCORE_AFTER_RE = re.compile(
    r"^\W{0,3}(?:win|victory|defeat|loss|lead|vote|decision|majority|record|draw|tie)\b", re.IGNORECASE
)
_RANGE_SEP_RE = re.compile(r"^\s*(-|–|to|and)\s*")


def _slack(number_text: str, full: float, scale: float) -> float:
    """How far from the stated value the wording still allows: its last digit, and 5 % for round figures."""
    return max(_precision(number_text, full) * scale, _round_band(number_text, full))


_NAME_TAIL_RE = re.compile(r"((?:[^\W\d_]+(?:['’-][^\W\d_]+)*\.?\s+){0,2}[^\W\d_]+(?:['’-][^\W\d_]+)*)$")


def _apposition_name(text: str, lo: int, start: int, after: str, value: float) -> str | None:
    """The name in "Marta Kellow, 35, was ..." (lower-cased text has no PERSON entities to lean on)."""
    if not (1 <= value <= 110) or text[max(lo, start - 2) : start] != ", ":
        return None
    if not re.match(r"^(?:,|\.(?!\d)|;|\s*$)", after):
        return None
    m = _NAME_TAIL_RE.search(text[max(lo, start - 50) : start - 2])
    return _clean_name(m.group(1).split()) if m else None


def _appositive_age_name(text: str, lo: int, start: int) -> str | None:
    """The name in "Kellow, a 35-year-old Eastmoor resident"."""
    m = re.search(
        r"((?:[^\W\d_]+\.?\s+){0,2}[^\W\d_]+),\s+(?:a|an|the)\s+$", text[max(lo, start - 50) : start]
    )
    return _clean_name(m.group(1).split()) if m else None


def _scale_after(text: str, pos: int, hi: int, currency: str | None) -> tuple[float, int]:
    """(scale, characters used) of "million", "m", "bn", "k" right after a number."""
    sm = _SCALE_RE.match(text[pos : min(hi, pos + 12)])
    if not sm:
        return 1.0, 0
    word = sm.group(1).strip().lower()
    if word in _SCALES:
        return _SCALES[word], sm.end()
    if sm.group(1)[0].isspace():
        return 1.0, 0  # "5 m" is metres, "5 b" is nothing
    if word == "b" and not currency:
        return 1.0, 0
    if word == "m" and not currency:
        nxt = _words_after(text, pos + sm.end(), 1)
        nxt_word = nxt[0][0].lower() if nxt else ""
        if not _is_plural(nxt_word) or nxt_word in ("tall", "high", "long", "wide", "deep"):
            return 1.0, 0  # "100m sprint", "5m high": metres
    return _SHORT_SCALES[word], sm.end()


def _scan(
    text: str,
    lo: int,
    hi: int,
    *,
    article_id: str,
    entities: tuple[Entity, ...] = (),
    dates: tuple[DateMention, ...] = (),
) -> list[Figure]:
    """Figures in ``text[lo:hi]`` (one sentence), dates included."""
    out: list[Figure] = []
    skip: list[tuple[int, int]] = []
    for d in dates:
        if not (lo <= d.span.start and d.span.end <= hi):
            continue
        skip.append((d.span.start, d.span.end))
        if d.relation not in BOUNDING_RELATIONS:
            out.append(
                Figure(
                    span=d.span,
                    kind="date",
                    value=None,
                    unit="date",
                    date=d.value,
                    relative=d.relative,
                    thing=_anchor_before(text, lo, d.span.start),
                )
            )
    for m in _VAGUE_RE.finditer(text, lo, hi):
        name = (m.group(1) + " of thousands") if m.group(1) else m.group(2)
        low, high = _VAGUE_RANGES[name.lower()]
        head, mods, comp, t_end = _thing_after(text, m.end())
        skip.append((m.start(), m.end()))
        out.append(
            Figure(
                span=Span(article_id, m.start(), max(t_end, m.end())),
                kind="count",
                value=None,
                low=low,
                high=high,
                qualifier="vague",
                thing=head,
                modifiers=mods,
                complement=comp,
            )
        )

    numbers = _numbers(text, lo, hi)
    used_until = lo
    i = 0
    while i < len(numbers):
        n = numbers[i]
        i += 1
        if n.start < used_until or _inside(skip, n.start, n.end):
            continue
        before = text[max(lo, n.start - 24) : n.start]
        after = text[n.end : min(hi, n.end + 40)]
        if not n.written and (_LABEL_BEFORE_RE.search(before) or _AFTER_NOT_FIGURE_RE.match(after)):
            continue
        if not n.written and (re.search(r"/\s*$", before) or (n.value == 0 and "." not in n.text)):
            continue  # "image 1 of / 42": a gallery counter; a bare "0" is mostly a typo or a score
        if n.written and n.value < 2 and not _SCALE_RE.match(after):
            continue  # "one" is mostly not a count: "one of the", "no one", "one day"
        if n.written and n.value < 10 and re.match(r"^\s*(?:of|another)\b", after, re.I):
            continue  # "two of them", "one another"

        cm = _CURRENCY_BEFORE_RE.search(text[max(lo, n.start - 6) : n.start])
        currency = _CURRENCY_SYMBOLS.get(re.sub(r"\s+", "", cm.group(1).lower()), "USD") if cm else None
        scale, used = _scale_after(text, n.end, hi, currency)
        end = n.end + used
        full = n.value * scale
        plain = not n.written and scale == 1.0 and not currency and "," not in n.text and "." not in n.text
        if plain and (1900 <= n.value <= 2099 or n.value >= 10000):
            probe = _words_after(text, end, 1)
            if not probe or not _is_plural(probe[0][0]):
                continue  # a bare year is a date; a long bare integer is a code or an id
        slack = _slack(n.text, full, scale)
        if "half" in n.text.lower():
            slack = max(slack, 0.05 * full)
        qualifier, q_start, q_end = _qualify(text, lo, n.start - len(cm.group(0)) if cm else n.start, end)
        end = max(end, q_end)

        # Ranges and scores: "10 to 20 people", "between 10 and 20", "won 3-2", "passed 52-48".
        range_high = None
        rm = _RANGE_SEP_RE.match(text[end : min(hi, end + 8)])
        if rm and i < len(numbers) and numbers[i].start == end + rm.end():
            nxt = numbers[i]
            sep = rm.group(1)
            lead = text[max(lo, q_start - 12) : q_start]
            if sep in ("-", "–") and (
                _SCORE_RE.search(text[max(lo, n.start - 40) : n.start])
                or _SCORE_AFTER_RE.match(text[nxt.end : nxt.end + 16])
            ):
                i += 1
                used_until = nxt.end
                continue
            is_range = (sep == "and" and re.search(r"\bbetween\s+$", lead)) or (
                sep != "and" and not re.search(r"\bfrom\s+$", lead)
            )
            if is_range and nxt.value > n.value:
                scale2, used2 = _scale_after(text, nxt.end, hi, currency)
                if scale2 == 1.0 and scale > 1.0:
                    scale2 = scale  # "£5m to 10" is rare; keep the first number's scale
                range_high = nxt.value * scale2
                if scale > 1.0 or scale2 > 1.0:
                    full = n.value * (scale if scale > 1.0 else scale2)
                slack = max(slack, _slack(nxt.text, range_high, scale2))
                end = nxt.end + used2
                i += 1
            elif sep in ("-", "–"):
                i += 1
                used_until = nxt.end
                continue  # "3-2", "9-11" and such: not a figure we can read

        after = text[end : min(hi, end + 48)]
        kind, unit, per, subject = "count", "", None, None
        thing: str | None = None
        mods = ()
        comp = ()
        span_start, figure_end = q_start, end

        if currency is None:
            for word, code in _CURRENCY_WORDS.items():
                wm = re.match(rf"^\s*{word}\b", after, re.I)
                if wm:
                    currency = code
                    figure_end = end + wm.end()
                    break
            if currency is None:
                cents = re.match(r"^(?:p\b|\s*pence\b|\s*cents?\b)", after, re.I)
                if cents:
                    currency = "GBP" if cents.group(0).strip()[0].lower() == "p" else "USD"
                    full, slack = full / 100, slack / 100
                    range_high = range_high / 100 if range_high is not None else None
                    figure_end = end + cents.end()
        if currency:
            kind, unit = "money", currency
            thing, mods = _complement_noun(text, figure_end)
            if thing is None:
                head, hmods, hcomp, _ = _thing_after(text, figure_end)
                if head not in ("year", "month", "week", "day"):
                    thing, mods, comp = head, hmods, hcomp
        elif pm := _PERCENT_RE.match(after):
            kind, unit = "percent", ("pp" if "point" in pm.group(1).lower() else "%")
            figure_end = end + pm.end()
            thing, mods = _complement_noun(text, figure_end)
            if thing is None:
                thing, mods, comp, _ = _thing_after(text, figure_end)
        elif (
            _AGE_AFTER_RE.match(after)
            or _AGE_BEFORE_RE.search(text[max(lo, n.start - 20) : n.start])
            or (not n.written and _apposition_name(text, lo, n.start, after, n.value))
        ):
            kind, unit = "age", "years"
            am = _AGE_AFTER_RE.match(after)
            bm = _AGE_BEFORE_RE.search(text[max(lo, n.start - 20) : n.start])
            if am:
                figure_end = end + am.end()
            if bm and span_start == n.start:
                span_start = n.start - len(bm.group(0))
            named = [
                _person_after(entities, figure_end + 1, text),
                _person_before(entities, text, span_start - 2),
                _apposition_name(text, lo, n.start, after, n.value) if not am and not bm else None,
                _appositive_age_name(text, lo, span_start) if am else None,
            ]
            subject = next((x for x in named if x), None)
            if subject:  # the fullest wording of the same name ("Mohammed Zaman" over "Zaman")
                subject = max((x for x in named if x and x.split()[-1] == subject.split()[-1]), key=len)
            if am:
                thing, mods, comp, _ = _thing_after(text, figure_end)
            if qualifier == "exact":
                slack = 0.5
        elif dm := _DURATION_RE.match(after):
            figure_end = end + dm.end()
            if re.match(
                r"^\s*(?:ago|earlier|later|before|after)\b", text[figure_end : figure_end + 10], re.I
            ):
                continue  # "three years ago" is a date (the date finder's), "two days later" a step
            days = _DURATION_DAYS[dm.group(1).lower().replace("centur", "century")]
            kind, unit = "duration", "days"
            full, slack = full * days, max(slack, 0.5) * days
            range_high = range_high * days if range_high is not None else None
            # "15 years and eight months", "112 years and 178 days": one duration
            while range_high is None:
                km = re.match(r"^,?\s+and\s+", text[figure_end : figure_end + 8], re.I)
                more = next((x for x in numbers[i:] if km and x.start == figure_end + km.end()), None)
                dm2 = _DURATION_RE.match(text[more.end : more.end + 20]) if more else None
                if more is None or not dm2:
                    break
                days2 = _DURATION_DAYS[dm2.group(1).lower().replace("centur", "century")]
                full += more.value * days2
                slack = max(0.5, _precision(more.text, more.value)) * days2
                figure_end = more.end + dm2.end()
                i = numbers.index(more) + 1
            thing, mods, comp, _ = _thing_after(text, figure_end)
            if thing is None:
                cm2 = re.match(
                    r"^\s*(?:of|in)\s+(?:the\s+)?([^\W\d_]+)", text[figure_end : figure_end + 30], re.I
                )
                if cm2 and cm2.group(1).lower() not in _FUNCTION_WORDS:
                    thing = singular(cm2.group(1))
        elif _QUANTITY_RE.match(after) or (not n.written and re.match(r"^m\b", after)):
            qm = _QUANTITY_RE.match(after)
            name = qm.group(1).lower() if qm else "metres"
            unit, factor = _QUANTITY[name]
            kind = "quantity"
            full, slack = full * factor, slack * factor
            range_high = range_high * factor if range_high is not None else None
            figure_end = end + (qm.end() if qm else 1)
            thing, mods, comp, _ = _thing_after(text, figure_end)
            if re.match(
                r"^\s*(?:away|from|south|north|east|west|off|outside|inland)\b",
                text[figure_end : figure_end + 10],
                re.I,
            ):
                thing, mods = "distance", ()
        else:
            if re.match(r"^-(?!strong|member|person|seat|bed|room)[a-z]", after, re.I):
                continue  # "3-point plan", "five-star hotel": a compound adjective, not a count
            hm = re.match(r"^-(strong|member|person|seat|bed|room)\b", after, re.I)
            pos = end + hm.end() if hm else end
            thing, mods, comp, _ = _thing_after(text, pos)
            if hm:
                mods = (hm.group(1).lower(), *mods)
                figure_end = pos
            if thing in ("year", "month", "week", "day", "time", "hour", "minute"):
                continue
        pm = _PER_RE.match(text[figure_end : figure_end + 24])
        if pm:
            per = pm.group(1).lower()
        if range_high is not None:
            qualifier, low, high = "range", full - slack, range_high + slack
        else:
            low, high = _interval(qualifier, full, slack)
        out.append(
            Figure(
                span=Span(article_id, span_start, max(figure_end, end)),
                kind=kind,
                value=full,
                unit=unit,
                low=low,
                high=high,
                qualifier=qualifier,
                thing=thing,
                modifiers=tuple(m for m in mods if m),
                per=per,
                complement=comp,
                subject=subject,
            )
        )
        used_until = max(figure_end, end)
    out.sort(key=lambda f: (f.span.start, f.span.end))
    return out


def find_figures(
    item: AnalyzedArticle, *, dates: tuple[DateMention, ...] | None = None
) -> tuple[Figure, ...]:
    """Every figure in the article, sentence by sentence, in reading order."""
    if dates is None:
        dates = find_dates(item)
    text = item.article.text
    out: list[Figure] = []
    for start, end in item.analysis.sents:
        ents = tuple(e for e in item.analysis.entities if start <= e.start and e.end <= end)
        sent_dates = tuple(d for d in dates if start <= d.span.start and d.span.end <= end)
        out.extend(_scan(text, start, end, article_id=item.article.id, entities=ents, dates=sent_dates))
    return tuple(out)


def figures_by_sentence(item: AnalyzedArticle, figures: tuple[Figure, ...]) -> list[tuple[Figure, ...]]:
    """Split an article's figures by the sentence that holds them."""
    import bisect

    starts = [s for s, _ in item.analysis.sents]
    buckets: list[list[Figure]] = [[] for _ in starts]
    for f in figures:
        i = bisect.bisect_right(starts, f.span.start) - 1
        if i >= 0:
            buckets[i].append(f)
    return [tuple(b) for b in buckets]


@dataclass(frozen=True)
class ArticleFigures:
    """An article's date mentions and figures, and its figures sentence by sentence."""

    dates: tuple[DateMention, ...]
    figures: tuple[Figure, ...]
    by_sent: tuple[tuple[Figure, ...], ...]


@lru_cache(maxsize=1024)
def article_figures(item: AnalyzedArticle) -> ArticleFigures:
    """Dates and figures of one article, computed once per process for the cross-outlet stages.

    A memo of a pure function: coverage, disagreements and the timeline all
    read the same extraction instead of repeating it.
    """
    dates = find_dates(item)
    figures = find_figures(item, dates=dates)
    return ArticleFigures(dates=dates, figures=figures, by_sent=tuple(figures_by_sentence(item, figures)))


def parse_figures(text: str, *, article_id: str = "text") -> tuple[Figure, ...]:
    """Figures in a plain string (one sentence or more), without NER or dates.  For tests and tools."""
    return tuple(_scan(text, 0, len(text), article_id=article_id))
