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
    python bench/grouping_cost.py --corpus      # the index as ingest keeps it: backed by SQLite

With ``--corpus`` the index is the one a corpus keeps (:meth:`StoryIndex.load` of a SQLite file in a
temporary folder: saved stories are read back when asked for, at most ``--working-set`` held), saved
and committed every 16 articles as ingest does; the time then includes the saves.  The CPU time of
the process is printed beside the wall time (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
import tracemalloc
from pathlib import Path

from storybrief.analysis import Analysis, AnalyzedArticle, analyze_articles
from storybrief.config import Options
from storybrief.evaluate.grouping import pool_clusters
from storybrief.schema import from_data, to_data
from storybrief.stories import StoryIndex
from storybrief.stories.index_store import WORKING_SET

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = str(ROOT.parent / "shared" / "data" / "multinews" / "val.0*.jsonl.gz")


def fresh(items: list[AnalyzedArticle]) -> list[AnalyzedArticle]:
    """Copies of the records as a new process reads them back from the cache (nothing memoised)."""
    return [AnalyzedArticle(i.article, from_data(Analysis, to_data(i.analysis))) for i in items]


def group(items: list[AnalyzedArticle], options: Options, working_set: int | None) -> None:
    """Add ``items`` to a fresh index: in memory, or (``working_set`` > 0) backed by SQLite."""
    if not working_set:
        index = StoryIndex(options)
        for item in items:
            index.add(item)
        return
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(os.path.join(folder, "index.sqlite"))
        index = StoryIndex.load(db, options, working_set=working_set)
        for start in range(0, len(items), 16):
            for item in items[start : start + 16]:
                index.add(item)
            index.save(db)
            db.commit()
        db.close()


def grouping_seconds(
    items: list[AnalyzedArticle], options: Options, working_set: int | None
) -> tuple[float, float]:
    """Wall and CPU seconds of grouping ``items``."""
    start, cpu = time.perf_counter(), time.process_time()
    group(items, options, working_set)
    return time.perf_counter() - start, time.process_time() - cpu


def peak_mb(items: list[AnalyzedArticle], options: Options, working_set: int | None) -> float:
    tracemalloc.start()
    try:
        group(items, options, working_set)
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
    parser.add_argument(
        "--corpus", action="store_true", help="the index backed by SQLite, as ingest keeps it"
    )
    parser.add_argument(
        "--working-set", type=int, default=WORKING_SET, help="with --corpus: saved stories held at most"
    )
    args = parser.parse_args()

    options = Options()
    working_set = args.working_set if args.corpus else None
    pool = pool_clusters(args.data, clusters=args.clusters, seed=args.seed)
    start = time.perf_counter()
    items = analyze_articles(pool.articles, options=options)
    print(
        f"{len(items)} articles from {pool.clusters} clusters; analysis (cache) {time.perf_counter() - start:.0f} s"
    )
    sizes = [len(items) if s == "all" else min(int(s), len(items)) for s in args.sizes.split(",")]
    per_article = {}
    for n in sizes:
        best, cpu = min(grouping_seconds(fresh(items[:n]), options, working_set) for _ in range(args.repeat))
        memory = peak_mb(fresh(items[:n]), options, working_set)
        per_article[n] = 1000.0 * best / n
        load = os.getloadavg()
        print(
            f"n={n:>6}  {per_article[n]:.3f} ms/article ({1000.0 * cpu / n:.3f} CPU)  {n / best:,.0f} articles/s  "
            f"index peak {memory:.1f} MB  "
            f"(load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})",
            flush=True,
        )
    if len(sizes) > 1:
        small, large = min(sizes), max(sizes)
        print(f"per-article cost at {large} / at {small}: {per_article[large] / per_article[small]:.2f}x")


if __name__ == "__main__":
    main()
