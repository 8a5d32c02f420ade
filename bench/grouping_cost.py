"""Cost of story grouping alone (analysis excluded) as the index grows: ms per article and index memory.

Pools the documents of all Multi-News val clusters (as ``storybrief eval grouping`` does: flagged
irrelevant and under-20-word documents left out, shuffled with the seed), analyses them through the
analysis cache (not timed), then feeds the first 1,000 and then all of them (about 13,000) to a
fresh StoryIndex and prints, for each size: ms per article of ``StoryIndex.add`` (best of
``--repeat`` runs: the machine is shared), the peak memory allocated while grouping (tracemalloc, a
separate run), and the ratio of the per-article cost at the largest size to that at 1,000.  It
prints the load average, because timings on a shared machine are noisy, and asserts nothing.

    python bench/grouping_cost.py                          # 1,000 and all val articles
    python bench/grouping_cost.py --clusters 2000 --sizes 1000,4000
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
from pathlib import Path

from storybrief.analysis import Analysis, AnalyzedArticle, analyze_articles
from storybrief.config import Options
from storybrief.evaluate.grouping import pool_clusters
from storybrief.schema import from_data, to_data
from storybrief.stories import StoryIndex

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = str(ROOT.parent / "shared" / "data" / "multinews" / "val.0*.jsonl.gz")


def fresh(items: list[AnalyzedArticle]) -> list[AnalyzedArticle]:
    """Copies of the records as a new process reads them back from the cache (nothing memoised)."""
    return [AnalyzedArticle(i.article, from_data(Analysis, to_data(i.analysis))) for i in items]


def grouping_seconds(items: list[AnalyzedArticle], options: Options) -> float:
    index = StoryIndex(options)
    start = time.perf_counter()
    for item in items:
        index.add(item)
    return time.perf_counter() - start


def peak_mb(items: list[AnalyzedArticle], options: Options) -> float:
    tracemalloc.start()
    try:
        index = StoryIndex(options)
        for item in items:
            index.add(item)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--clusters", type=int, default=5622, help="clusters pooled [default: all of val]")
    parser.add_argument("--sizes", default="1000,all", help="numbers of articles to time, or 'all'")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=2, help="timed runs per size (the best is kept)")
    args = parser.parse_args()

    options = Options()
    pool = pool_clusters(args.data, clusters=args.clusters, seed=args.seed)
    start = time.perf_counter()
    items = analyze_articles(pool.articles, options=options)
    print(
        f"{len(items)} articles from {pool.clusters} clusters; analysis (cache) {time.perf_counter() - start:.0f} s"
    )
    sizes = [len(items) if s == "all" else min(int(s), len(items)) for s in args.sizes.split(",")]
    per_article = {}
    for n in sizes:
        best = min(grouping_seconds(fresh(items[:n]), options) for _ in range(args.repeat))
        memory = peak_mb(fresh(items[:n]), options)
        per_article[n] = 1000.0 * best / n
        load = os.getloadavg()
        print(
            f"n={n:>6}  {per_article[n]:.3f} ms/article  {n / best:,.0f} articles/s  index peak {memory:.1f} MB  "
            f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})",
            flush=True,
        )
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        print(f"per-article cost at {large} / at {small}: {per_article[large] / per_article[small]:.2f}x")


if __name__ == "__main__":
    main()
