"""The words and patterns that say what a number measures: currencies, units, qualifiers, labels.

Data tables only; the readers that use them are in :mod:`.words`, :mod:`.kinds` and :mod:`.scan`.
"""

from __future__ import annotations

import re

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
