"""Story grouping on pooled Multi-News clusters, the way the maintainers measure it.

Protocol (``../shared/README.md``, "Measuring like the maintainers will"): the documents of the
first N clusters are pooled, leaving out those listed in ``llm_flagged_irrelevant_doc_indices`` and
those under :data:`MIN_WORDS` words, shuffled with a fixed seed, and grouped by a fresh
:class:`~storybrief.stories.StoryIndex` in that order (the documents have no dates).  The score is
B-cubed: for each article, precision is the share of its predicted story that shares its gold
cluster and recall the share of its gold cluster that shares its predicted story; each is averaged
over articles, and F1 is their harmonic mean.

The analysis (spaCy NER and MiniLM embeddings) is run first, through the analysis cache, and is
not timed: ``articles_per_s`` is the speed of grouping alone, every ``StoryIndex.add`` from the
article's analysis record to its story id (signals included).  ``index_peak_mb`` is the peak of
memory allocated while the index groups the pool, measured with :mod:`tracemalloc` in a second,
untimed run (which must give the same stories: the index is deterministic).
"""

from __future__ import annotations

import random
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..analysis import AnalyzedArticle, analyze_articles
from ..articles import Article
from ..config import Options
from ..errors import EvaluationError
from ..schema import from_data, to_data
from ..sources.multinews import iter_clusters
from ..stories.index import GroupingModel, StoryIndex
from ..summarize.base import count_words
from .paths import PathsOrGlob, resolve_paths

RESULT_KIND = "storybrief.grouping-eval"
# Documents shorter than this (in words) are left out of the pool.
MIN_WORDS = 20


@dataclass(frozen=True)
class GroupingEvalResult:
    """B-cubed scores (0-1), counts and cost of one grouping run."""

    kind: str = field(default=RESULT_KIND, kw_only=True)
    data: str
    seed: int
    clusters: int
    articles: int
    stories: int
    b3_precision: float
    b3_recall: float
    b3_f1: float
    seconds: float  # grouping alone
    articles_per_s: float
    ms_per_article: float
    index_peak_mb: float | None
    left_out_flagged: int
    left_out_short: int

    def to_table(self) -> str:
        rows = [
            ("articles (pooled)", f"{self.articles}"),
            ("gold clusters", f"{self.clusters}"),
            ("stories found", f"{self.stories}"),
            ("B-cubed precision", f"{self.b3_precision:.4f}"),
            ("B-cubed recall", f"{self.b3_recall:.4f}"),
            ("B-cubed F1", f"{self.b3_f1:.4f}"),
            ("grouping articles/s", f"{self.articles_per_s:.0f}"),
            ("grouping ms/article", f"{self.ms_per_article:.3f}"),
            ("index peak memory MB", "-" if self.index_peak_mb is None else f"{self.index_peak_mb:.1f}"),
            ("left out (flagged irrelevant)", f"{self.left_out_flagged}"),
            ("left out (under 20 words)", f"{self.left_out_short}"),
            ("seed", f"{self.seed}"),
        ]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{width}}  {v}" for k, v in rows) + "\n"


def b_cubed(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a predicted labelling against a gold one (one label per item)."""
    if len(predicted) != len(gold):
        raise ValueError("predicted and gold labellings differ in length")
    if not gold:
        return 0.0, 0.0, 0.0
    both = Counter(zip(predicted, gold))
    pred_size, gold_size = Counter(predicted), Counter(gold)
    precision = sum(both[(p, g)] / pred_size[p] for p, g in zip(predicted, gold)) / len(gold)
    recall = sum(both[(p, g)] / gold_size[g] for p, g in zip(predicted, gold)) / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass(frozen=True)
class Pool:
    """Pooled, shuffled documents with their gold cluster ids."""

    articles: tuple[Article, ...]
    gold: tuple[str, ...]
    clusters: int
    left_out_flagged: int
    left_out_short: int


def pool_clusters(data: PathsOrGlob, *, clusters: int, seed: int) -> Pool:
    """The documents of the first ``clusters`` clusters (files in sorted order), filtered and shuffled."""
    paths = resolve_paths(
        data,
        dataset="Multi-News",
        where="eval grouping",
        example="'../shared/data/multinews/val.0*.jsonl.gz'",
    )
    pooled: list[tuple[Article, str]] = []
    seen = flagged = short = 0
    for path in paths:
        for cluster in iter_clusters(path, limit=clusters - seen):
            seen += 1
            bad = set(cluster.irrelevant)
            for article in cluster.articles:
                if int(article.id.rsplit("-", 1)[1]) in bad:
                    flagged += 1
                elif count_words(article.text) < MIN_WORDS:
                    short += 1
                else:
                    pooled.append((article, cluster.id))
        if seen >= clusters:
            break
    if not pooled:
        raise EvaluationError(
            "no document left to group", where="eval grouping", hint="check --data and --clusters"
        )
    random.Random(seed).shuffle(pooled)
    return Pool(tuple(a for a, _ in pooled), tuple(g for _, g in pooled), seen, flagged, short)


def run_index(
    items: Sequence[AnalyzedArticle], *, options: Options, model: GroupingModel | None = None
) -> tuple[list[str], float]:
    """Each item's story id from a fresh index fed in the given order, and the seconds it took
    (``model`` replaces the shipped decision model, for fitting it)."""
    index = StoryIndex(options, model=model)
    start = time.perf_counter()
    for item in items:
        index.add(item)
    seconds = time.perf_counter() - start
    return [index.story_of(item.id) for item in items], seconds


def evaluate_grouping(
    data: PathsOrGlob,
    *,
    clusters: int,
    seed: int = 0,
    options: Options | None = None,
    memory: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> GroupingEvalResult:
    """Pool, shuffle, analyse (cached), group and score; see the module docstring."""
    options = options or Options()
    pool = pool_clusters(data, clusters=clusters, seed=seed)
    items = analyze_articles(pool.articles, options=options, progress=progress)
    predicted, seconds = run_index(items, options=options)
    peak = None
    if memory:
        fresh = [
            AnalyzedArticle(item.article, from_data(type(item.analysis), to_data(item.analysis)))
            for item in items
        ]
        tracemalloc.start()
        try:
            again, _ = run_index(fresh, options=options)
            peak = tracemalloc.get_traced_memory()[1] / 1e6
        finally:
            tracemalloc.stop()
        if again != predicted:
            raise EvaluationError("two runs of the index on the same input disagree", where="eval grouping")
    precision, recall, f1 = b_cubed(predicted, pool.gold)
    n = len(items)
    return GroupingEvalResult(
        data=str(data),
        seed=seed,
        clusters=len(set(pool.gold)),
        articles=n,
        stories=len(set(predicted)),
        b3_precision=precision,
        b3_recall=recall,
        b3_f1=f1,
        seconds=seconds,
        articles_per_s=n / seconds if seconds > 0 else float("inf"),
        ms_per_article=1000.0 * seconds / n,
        index_peak_mb=peak,
        left_out_flagged=pool.left_out_flagged,
        left_out_short=pool.left_out_short,
    )
