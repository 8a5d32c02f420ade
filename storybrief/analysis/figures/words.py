"""The words around a number: what it counts ("103 Labour MPs" -> "mp") and the event a date hangs on."""

from __future__ import annotations

import re

from .lexicon import _FUNCTION_WORDS, _IRREGULAR_PLURALS, _NOT_A_THING, _NOT_PLURAL, _PARTICIPLE_NOUNS

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


_SPACES_RE = re.compile(r"\s*")


def _words_after(text: str, pos: int, limit: int) -> list[tuple[str, int, int]]:
    """Word tokens right after ``pos``, stopping at punctuation or a number."""
    out: list[tuple[str, int, int]] = []
    i = pos
    while len(out) < limit:
        space = _SPACES_RE.match(text, i)  # always matches, maybe empty
        i = space.end() if space else i
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
