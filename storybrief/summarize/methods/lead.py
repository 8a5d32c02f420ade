"""Lead baseline: the first sentences of every article, taken in turn.

The first sentence of each original article, then the second of each, and
so on, until the budget is spent; syndicated copies add nothing a reader
has not seen.  The sentence that crosses the budget is cut at it, the
protocol the reference baselines are measured with.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...articles import Span
from ...stories.model import SentRef, Story
from ..base import Summarizer, fill_budget, register, to_spans


def round_robin(story: Story) -> Iterator[SentRef]:
    """Sentence 0 of each original article in input order, then sentence 1 of each, ..."""
    counts = {i: len(story.articles[i].analysis.sents) for i in story.originals}
    for depth in range(max(counts.values(), default=0)):
        for i, n in counts.items():
            if depth < n:
                yield SentRef(i, depth)


@register
class LeadSummarizer(Summarizer):
    name = "lead"
    description = "baseline: round-robin first sentences of each article"

    def summarize(self, story: Story, *, words: int) -> list[Span]:
        return to_spans(story, fill_budget(story, round_robin(story), words, cut_last=True))
