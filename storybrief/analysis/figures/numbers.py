"""Numbers: written in digits or words, their value, the precision they are stated to, and their scale."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..dates import NUMBER_NAMES
from .lexicon import _SCALE_RE
from .words import _is_plural, _words_after

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


def _slack(number_text: str, full: float, scale: float) -> float:
    """How far from the stated value the wording still allows: its last digit, and 5 % for round figures."""
    return max(_precision(number_text, full) * scale, _round_band(number_text, full))


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
