#!/usr/bin/env python
"""How high can an extractive summary of these clusters score?  Greedy ROUGE oracles.

For each cluster the oracle knows the reference and adds, one at a time, the unit that
raises R-1 + R-2 (F1) the most while the summary stays within the word budget, and stops
when no unit raises it.  It is run over three sets of units:

* ``sentences``: every sentence of the story's original articles, as split;
* ``candidates``: the default summariser's candidates (quote-balanced runs, trimmed of
  datelines and stray marks), junk included;
* ``printable``: the candidates the default summariser may print (no cut-off last
  sentence, no boilerplate, byline, caption or credit, balanced quotes, 4-90 words).

The last is the ceiling of any method that only prints readable sentences.  Scores use
rouge-score-rs (the same numbers as Google's rouge-score, see ``tests/test_evaluate.py``).

    python scripts/summary_ceiling.py                                  # last 500 train clusters
    python scripts/summary_ceiling.py --data ../shared/data/multinews/val.00.jsonl.gz --first 500
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storybrief.analysis import analyze_articles
from storybrief.config import Options
from storybrief.evaluate.summary import make_scorer, to_reference_text
from storybrief.sources.multinews import iter_clusters
from storybrief.stories import build_story
from storybrief.summarize import count_words
from storybrief.summarize.features import story_candidates

SETS = ("sentences", "candidates", "printable")


def greedy_oracle(scorer, reference: str, units: list[str], words: int) -> tuple[float, float, int]:
    """(R-1 F1, R-2 F1, words) of the greedy oracle summary of ``units``."""
    sizes = [count_words(u) for u in units]
    chosen: list[int] = []
    used = 0
    best = 0.0
    while True:
        step = None
        for i, unit in enumerate(units):
            if i in chosen or used + sizes[i] > words:
                continue
            s = scorer.score(reference, "\n".join([*(units[j] for j in chosen), unit]))
            value = s["rouge1"].fmeasure + s["rouge2"].fmeasure
            if value > best and (step is None or value > step[0]):
                step = (value, i)
        if step is None:
            break
        best, i = step
        chosen.append(i)
        used += sizes[i]
    s = scorer.score(reference, "\n".join(units[j] for j in chosen))
    return s["rouge1"].fmeasure, s["rouge2"].fmeasure, used


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared" / "data" / "multinews" / "train.08.jsonl.gz"
    )
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--last", type=int, default=500, help="the last N clusters of the file (default)")
    group.add_argument("--first", type=int, help="the first N clusters of the file instead")
    ap.add_argument("--words", type=int, default=230)
    args = ap.parse_args(argv)

    clusters = list(iter_clusters(args.data))
    clusters = clusters[: args.first] if args.first else clusters[-args.last :]
    scorer = make_scorer("rouge-score-rs")
    options = Options(ner=False, cache=False)
    scores: dict[str, list[tuple[float, float, int]]] = {name: [] for name in SETS}
    for c in clusters:
        story = build_story(analyze_articles(c.articles, options=options))
        reference = to_reference_text(c.summary)
        cands = story_candidates(story)
        text = [story.articles[x.article].article.text[x.start : x.end] for x in cands]
        units = {
            "sentences": [story.sent_text(r) for r in story.sent_refs()],
            "candidates": text,
            "printable": [t for t, x in zip(text, cands) if x.selectable],
        }
        for name in SETS:
            scores[name].append(greedy_oracle(scorer, reference, units[name], args.words))
    print(f"{len(clusters)} clusters of {args.data.name}, {args.words} words, greedy oracle on R-1 + R-2:")
    for name in SETS:
        a = np.array(scores[name], dtype=np.float64)
        print(
            f"  {name:<11} R-1 {100 * a[:, 0].mean():6.2f}  R-2 {100 * a[:, 1].mean():6.2f}  words {a[:, 2].mean():5.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
