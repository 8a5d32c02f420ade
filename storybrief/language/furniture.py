"""Page furniture: bylines, photo credits and captions, and web-page boilerplate lines.

No summary may print these and no coverage row counts them as a claim; the sentence-level tests live
here, below every stage (:func:`storybrief.summarize.base.furniture_sents` applies them to an article's
sentences and paragraphs).
"""

from __future__ import annotations

import re

from .words import count_words

__all__ = ["CAPTION_MAX_WORDS", "CREDIT_RE", "is_boilerplate_lower", "is_byline", "is_caption"]

# "By Coastal Press Agency staff", "By JANE DOE, Associated Press", "By Jane Doe and John Roe"
_BYLINE_RE = re.compile(
    r"^\s*[Bb][Yy]\s+[A-Z][\w.'’-]*(?:[\s,]+(?:[A-Z][\w.'’-]*|and|&|of|the|for|in|de|van|von|der|la|le|staff|"
    r"reporters?|correspondents?|writers?|editors?|wire|services?|Staff|Reporters?|Correspondents?|Writers?)){0,8}\s*[.,]?\s*$"
)
_BYLINE_CASE_RE = re.compile(r"^\s*[Bb][Yy]\s+[A-Z]")  # a name follows "By"
# "Photograph: Courier staff", "Photo by Jane Doe", "(Image credit: ...)", "Picture: PA"
CREDIT_RE = re.compile(
    r"(?:^\s*|[(.;|]\s*)(?:photo(?:graph)?s?|pictures?|images?|illustrations?|graphics?|credits?|(?:photo|image) credit)"
    r"(?:\s*:\s*\S|\s+by\s+[A-Z])",
    re.IGNORECASE,
)
# participles that make a caption: "The gutted warehouse seen from the harbour wall."
_CAPTION_VERB_RE = re.compile(r"\b(?:seen|pictured|shown|photographed|depicted|captured)\b")
_FINITE_RE = re.compile(
    r"\b(?:is|are|was|were|am|be|been|has|have|had|do|does|did|will|would|can|could|may|might|must|shall|should|"
    r"said|says|say|told|tells|get|gets|got|'s|’s|n't|n’t)\b"
)
CAPTION_MAX_WORDS = 25


_CAPTION_WORDS = ("seen", "pictured", "shown", "photographed", "depicted", "captured")


def is_caption(sentence: str) -> bool:
    """A standalone line that names what a picture shows, without a finite verb."""
    low = sentence.lower()
    if not any(w in low for w in _CAPTION_WORDS):
        return False
    if count_words(sentence) > CAPTION_MAX_WORDS or low.rstrip()[-1:] in "?!\"”’'":
        return False
    if any(q in sentence for q in '"“”'):
        return False
    return _CAPTION_VERB_RE.search(low) is not None and _FINITE_RE.search(low) is None


# Lines no reader wants: captions, credits, calls to action, page furniture.
_JUNK_RE = re.compile(
    r"click here|sign up|subscribe|newsletter|all rights reserved|copyright|©|\bclick\b|"
    r"getty images|ap photo|reuters/|afp/|/ap\b|/getty|photo credit|image caption|image copyright|"
    r"\bphotos?:|\(\s*photos?\b|\bcredit:|follow (?:us|him|her|them|@)|e-mail us|email us|share this|read more|"
    r"\brelated:|cookies? (?:policy|on|to)|javascript|your browser|terms of (?:use|service)|privacy policy|"
    r"\blog ?in\b|\bsign in\b|\bhttps?:|www\.|\.com/|pic\.twitter|@[a-z0-9_]+\)|"
    r"this (?:article|story) (?:was|has been) (?:updated|corrected)|listen to|podcast|"
    r"app store|google play|slideshow|view photos|enlarge this image|view full caption|buy photo|"
    r"toggle caption|hide caption|\bfile photo|\bfile -|contributed to this report|"
    r"\bwatch:|\bvideo:|^related|^more:|^see also|^read:|^update:|tweet with a location|"
    r"no more 404|internet archive|crawl|wayback|&#124;|&amp;|_taboola|rating is available when|"
    r"this feature is not available|please try again|breaking news emails|notifications|"
    r"text size|thank you for reading|subscription|\bad choices\b|report this ad",
)
_JUNK_PAREN_RE = re.compile(r"\(\s*(?:associated press|ap|reuters)\s*\)\s*\S|\.\.\. \(")
# Every match of _JUNK_RE holds one of these strings: a line without any of them
# is not junk, and _JUNK_RE (slow: a long alternation tried at every offset) is
# not run on it.
# fmt: off
_JUNK_TRIGGERS = (
    "click", "sign", "subscri", "newsletter", "reserved", "copyright", "©", "getty", "photo", "reuters/", "afp/",
    "/ap", "caption", "credit:", "follow ", "mail us", "share this", "read more", "related", "cookie", "javascript",
    "browser", "terms of ", "privacy", "log", "http", "www.", ".com/", "pic.twitter", "@", "updated", "corrected",
    "listen", "podcast", "app store", "google play", "slideshow", "enlarge", "file -", "contributed", "watch:",
    "video:", "more:", "see also", "read:", "update:", "tweet", "404", "archive", "crawl", "wayback", "&", "taboola",
    "rating", "not available", "try again", "emails", "notifications", "text size", "thank you", "ad choices",
    "report this",
)
# fmt: on


def is_boilerplate_lower(low: str, triggers: tuple[str, ...] = _JUNK_TRIGGERS) -> bool:
    """Web-page boilerplate ("Click here", "Sign up", cookie and app-store lines, wire credits), given lower-cased text."""
    if _JUNK_PAREN_RE.search(low) is not None:
        return True
    return any(map(low.__contains__, triggers)) and _JUNK_RE.search(low) is not None


def is_byline(sentence: str) -> bool:
    return (
        _BYLINE_CASE_RE.match(sentence) is not None
        and count_words(sentence) <= 10
        and _BYLINE_RE.match(sentence) is not None
    )
