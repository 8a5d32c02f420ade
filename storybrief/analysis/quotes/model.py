"""The quote record: one attributed statement in one article, as spans into its text."""

from __future__ import annotations

from dataclasses import dataclass

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
