"""Pure text functions shared by the analysis stage (embeddings) and fact grouping.

* :func:`attribution_frames`: the parts of a sentence that say who speaks ("X, chief fire
  officer of Y, said", "the fire service confirmed"), not what happened;
* :func:`clauses`: the clauses of a compound sentence ("There were no casualties, although the
  roof fell in").
"""

from __future__ import annotations

import re

from ..language import WORD_RE, terms
from ..language.speech import FRAME_FORMS, forms_pattern

__all__ = [
    "MIN_CLAUSE_WORDS",
    "attribution_frames",
    "clauses",
    "main_clause",
    "name_words",
    "reported_content",
]


_SPEECH = forms_pattern(FRAME_FORMS)
_QUOTE = "\"'“”‘’"
# One character of a phrase inside a sentence: no clause punctuation and no quote mark, but an
# apostrophe inside a word ("Kellhaven's") is fine.
_IN = rf"(?:[^,;:.!?{_QUOTE}]|(?<=\w)['’](?=\w))"
_IN_DOT = rf"(?:[^,;:!?{_QUOTE}]|(?<=\w)['’](?=\w))"  # may hold a dot: "E. J. Pardoe", "Chief Supt."
_LINK = {"and", "of", "the", "for", "de", "van", "von", "der", "la", "le", "st", "st."}
# "Name[, role,] said[ that]" / "He said:" / "Mr Threlfall told Radio Kellhaven's Breakfast Show:"
_LEAD_RE = re.compile(
    rf"^\s*[{_QUOTE}]?(?P<subject>{_IN_DOT}{{1,80}}?)(?P<role>,(?:{_IN_DOT}|,){{1,160}}?,)?\s+{_SPEECH}\b"
    rf"(?P<object>\s+{_IN_DOT}{{1,60}}?(?=\s*:))?(?:\s+that\b)?\s*:?"
)
# ", the fire service confirmed." / "," Mr Pardoe said." / ", said the chief fire officer."
_TRAIL_RE = re.compile(
    rf"(?:^|,|[{_QUOTE}](?=\s))\s*(?P<frame>(?:(?P<subject>{_IN_DOT}{{1,60}}?)\s+{_SPEECH}|{_SPEECH}\s+"
    rf"(?P<inverted>{_IN_DOT}{{1,60}}?)|according to\s+{_IN_DOT}{{1,80}}?)(?:\s+(?:on|in|at|during|last|this)\b"
    rf"{_IN_DOT}{{0,40}}?)?)\s*[.!?]?[{_QUOTE}]?\s*$"
)
# '"It was a very difficult fire to fight," she said, "because ...'
_MIDDLE_RE = re.compile(
    rf"[,.!?][{_QUOTE}]\s*(?P<frame>(?P<subject>{_IN}{{1,40}}?)\s+{_SPEECH})\s*[,:.]\s*[{_QUOTE}]"
)
_LEADING_ACCORDING_RE = re.compile(rf"^\s*According to\s+{_IN_DOT}{{1,80}},")
# Every frame holds a speech verb or "according to": most sentences have neither, and this one
# search is much cheaper than the frame patterns (fact grouping runs them on every sentence).
_ANY_FRAME_RE = re.compile(rf"\b{_SPEECH}\b|\b[Aa]ccording to\b")


_PASSIVE = {"was", "were", "is", "are", "be", "been", "being", "am"}


def _is_speaker(subject: str, *, limit: int = 6) -> bool:
    """A short noun phrase that can name a speaker: a pronoun, a name, or "the fire service".

    "Residents were told ..." is passive: the subject is the news, not a speaker.
    """
    words = subject.split()
    if not words or words[-1].lower() in _PASSIVE:
        return False
    if len(words) <= limit:
        return True
    # Long names of organisations: every word capitalised or a linking word.
    return len(words) <= 12 and all(w[0].isupper() or w.lower() in _LINK for w in words)


def attribution_frames(text: str) -> list[tuple[int, int]]:
    """Character spans of ``text`` that attribute rather than report: who said it, and in what role.

    Only short, well-formed frames are taken (a subject of at most six words,
    or a longer name, with an optional ", role," apposition); a clause such as
    "Investigators have yet to establish what started the blaze, and Ms
    Marrick said" is left alone, because its subject is itself news.
    """
    spans: list[tuple[int, int]] = []
    if not _ANY_FRAME_RE.search(text):
        return spans
    m = _LEAD_RE.match(text)
    if m and _is_speaker(m.group("subject")) and (not m.group("role") or len(m.group("role").split()) <= 20):
        spans.append((m.start("subject"), m.end()))
    else:
        m = _LEADING_ACCORDING_RE.match(text)
        if m:
            spans.append((m.start(), m.end()))
    m = _TRAIL_RE.search(text)
    if m:
        subject = m.group("subject") or m.group("inverted") or ""
        if (not subject or _is_speaker(subject, limit=5)) and not (spans and m.start("frame") < spans[-1][1]):
            spans.append((m.start("frame"), m.end("frame")))
    for m in _MIDDLE_RE.finditer(text):
        if _is_speaker(m.group("subject"), limit=4) and all(
            m.start("frame") >= e or m.end("frame") <= s for s, e in spans
        ):
            spans.append((m.start("frame"), m.end("frame")))
    return sorted(spans)


# A sentence that joins two statements ("There were no casualties, although the roof fell in")
# is split at these joins into clauses; each clause may support one more fact group.
_CLAUSE_RE = re.compile(
    r"(?:,|;|\s[—–-])\s+(?:although|though|but|while|whereas|and)\s+|;\s+|\s[—–]\s+",
    re.IGNORECASE,
)
MIN_CLAUSE_WORDS = 3


def clauses(text: str) -> list[str]:
    """The clauses of a compound sentence (``[]`` when it has one): split at ", although",
    ", but", ", and", ";" or a dash, keeping only parts of at least :data:`MIN_CLAUSE_WORDS` words."""
    parts = _CLAUSE_RE.split(text)
    if len(parts) < 2:
        return []
    parts = [p.strip(" ,;—–-") for p in parts]
    parts = [p for p in parts if len(p.split()) >= MIN_CLAUSE_WORDS and terms(p)]
    return parts if len(parts) >= 2 else []


def reported_content(text: str, *, min_words: int = 3) -> str:
    """The sentence without its attribution frames ("..., the fire service confirmed", "X, chief
    officer of Y, said"): what is reported.  The whole text when too little (fewer than
    ``min_words`` words) would be left."""
    spans = attribution_frames(text)
    if not spans:
        return text
    parts, pos = [], 0
    for s, e in spans:
        parts.append(text[pos:s])
        pos = e
    parts.append(text[pos:])
    content = " ".join(p.strip(" ,:;\"'“”‘’") for p in parts if p.strip(" ,:;.\"'“”‘’"))
    return content if len(content.split()) >= min_words else text


# A parenthetical that interrupts the main clause: a non-restrictive relative clause or an
# appositive set off by commas ("Threlfall Seafoods, which leased the building as a cold store,
# has promised ..."; "The warehouse, a cold store leased by Threlfall Seafoods, held ..."), or a
# bracketed aside.  It gives background, not the sentence's news.
_ASIDE_RE = re.compile(
    # a non-restrictive relative clause, anywhere
    rf"(?<=\w),\s+(?:which|who|whom|whose)\s[^,;:!?()\[\]{_QUOTE}]{{1,120}}?,(?=\s)"
    # a bracketed aside
    r"|\s*\([^()]{1,120}\)"
)
# an appositive right after a short sentence-initial subject ("The warehouse, a cold store ...,")
_APPOSITIVE_RE = re.compile(
    rf"^(?P<subject>[^,;:!?()\[\]{_QUOTE}]{{1,60}}?\w),\s+(?:a|an|the|one of|once|formerly|now)\s"
    rf"[^,;:!?()\[\]{_QUOTE}]{{1,120}}?,(?=\s)"
)
_MAX_SUBJECT_WORDS = 5


def main_clause(text: str) -> str:
    """``text`` without the asides that interrupt its main clause (a non-restrictive relative
    clause, an appositive after a short sentence-initial subject, a bracketed aside); the text
    itself when it has none."""
    if "," not in text and "(" not in text:
        return text
    m = _APPOSITIVE_RE.match(text)
    if m and len(m.group("subject").split()) <= _MAX_SUBJECT_WORDS:
        text = m.group("subject") + text[m.end() :]
    return _ASIDE_RE.sub("", text)


_WORD_RE = WORD_RE


def name_words(text: str) -> list[str]:
    """The capitalised words of ``text`` that are names, not sentence case: every capitalised word
    but the first, which counts only when the next word is capitalised too ("Threlfall Seafoods
    has ...").  Lower-cased text has none."""
    words = _WORD_RE.findall(text)
    out = [w for w in words[1:] if w[0].isupper()]
    if len(words) > 1 and words[0][0].isupper() and words[1][0].isupper():
        out.append(words[0])
    return out
