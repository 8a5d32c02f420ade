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

The package reads top-down: :mod:`.scan` (one sentence, number by number), :mod:`.kinds` (one reader
per kind of figure, behind a table), :mod:`.model` (the record), and the helpers they share:
:mod:`.numbers`, :mod:`.words`, :mod:`.names` and the data tables in :mod:`.lexicon`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..date_mentions import find_dates
from ..dates import DateMention
from ..model import AnalyzedArticle
from .model import KINDS, QUALIFIERS, Figure
from .numbers import number_values, parse_number
from .scan import scan
from .words import singular

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
        out.extend(scan(text, start, end, article_id=item.article.id, entities=ents, dates=sent_dates))
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
    return tuple(scan(text, 0, len(text), article_id=article_id))
