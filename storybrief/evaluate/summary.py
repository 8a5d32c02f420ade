"""ROUGE of every summariser on Multi-News clusters, the way the maintainers measure it.

Protocol (see ``../shared/README.md``, "Measuring like the maintainers will"):

* Google's ``rouge-score``, F1, ``use_stemmer=True``; R-1, R-2, R-L and R-Lsum;
* a summary is its sentences joined by newlines, so R-Lsum sees sentences, and
  the reference is split with storybrief's own sentence splitter the same way;
* every method gets the same input: articles are analysed once per cluster
  (sentence splitting only), then each method is timed on ``build_story`` +
  ``summarize`` so clusters/s compare like with like.

``rouge-score`` is slow (tens of pairs/s, pure Python); ``scorer="rouge-score-rs"``
gives the same numbers (a test pins that) at thousands of pairs/s, for development.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import computed_field

from ..analysis import AnalyzedArticle, analyze_articles, split_sentences
from ..articles import Span
from ..config import Options
from ..errors import EvaluationError, StorybriefError
from ..schema import computed_before
from ..sources.multinews import iter_clusters
from ..stories import Story, build_story
from ..summarize import Summarizer, available_methods, count_words, get_summarizer
from .paths import PathsOrGlob, resolve_paths

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
SCORERS = ("rouge-score", "rouge-score-rs")
RESULT_KIND = "storybrief.summary-eval"


@dataclass(frozen=True)
class MethodScores:
    """One method over all clusters: mean F1 × 100 per ROUGE type, and speed."""

    method: str
    rouge1: float
    rouge2: float
    rougeL: float
    rougeLsum: float
    clusters_per_s: float | None  # None when no time was measured
    seconds: float  # build_story + summarize, summed over clusters
    n: int
    mean_words: float  # count_words of the summary, averaged


@dataclass(frozen=True)
class ClusterScores:
    """Per-cluster F1 (0–1) of each method, and the length of its summary in words."""

    id: str
    source: str
    f1: dict[str, dict[str, float]]  # method -> ROUGE type -> F1
    words: dict[str, int]  # method -> words in its summary


@dataclass(frozen=True)
class SummaryEvalResult:
    """What :func:`evaluate_summaries` measured; its JSON (:func:`storybrief.schema.to_data`) is the results file."""

    kind: str = field(default=RESULT_KIND, kw_only=True)
    words: int
    scorer: str
    files: tuple[str, ...]
    limit: int | None
    methods: dict[str, MethodScores]
    clusters: tuple[ClusterScores, ...] = field(default=())

    _json = computed_before("methods")

    def __post_init__(self) -> None:
        if self.kind != RESULT_KIND:
            raise EvaluationError(
                f"not a summary evaluation result (kind={self.kind!r})", where="evaluate.summary"
            )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def n(self) -> int:
        return len(self.clusters)

    def to_table(self) -> str:
        """A Markdown table of the per-method means, in the README's layout."""
        lines = [
            "| method | R-1 | R-2 | R-L | R-Lsum | words | clusters/s |",
            "|---|---|---|---|---|---|---|",
        ]
        for m in self.methods.values():
            speed = f"{m.clusters_per_s:,.0f}" if m.clusters_per_s is not None else "—"
            lines.append(
                f"| {m.method} | {m.rouge1:.2f} | {m.rouge2:.2f} | {m.rougeL:.2f} | {m.rougeLsum:.2f} "
                f"| {m.mean_words:.1f} | {speed} |"
            )
        return "\n".join(lines)


def make_scorer(name: str = "rouge-score") -> Any:
    """A ``RougeScorer`` over :data:`ROUGE_TYPES` with the stemmer on, from ``rouge-score`` or ``rouge-score-rs``."""
    try:
        if name == "rouge-score":
            from rouge_score import rouge_scorer
        elif name == "rouge-score-rs":
            from rouge_score_rs import rouge_scorer
        else:
            raise EvaluationError(
                f"unknown scorer {name!r}", where="evaluate.summary", hint=f"choose from {', '.join(SCORERS)}"
            )
    except ImportError as e:
        raise EvaluationError(
            f"scorer {name!r} is not installed", where="evaluate.summary", hint=f"pip install {name}"
        ) from e
    return rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)


def to_reference_text(summary: str) -> str:
    """The reference with one sentence per line (our splitter), for R-Lsum."""
    sents, _, _ = split_sentences(summary)
    return "\n".join(summary[s:e] for s, e in sents)


def to_summary_text(story: Story, spans: Sequence[Span]) -> str:
    """The cited text of a summary, one span per line."""
    by_id = {item.article.id: item.article for item in story.articles}
    return "\n".join(by_id[span.article_id].text_of(span) for span in spans)


def evaluate_summaries(
    paths_or_glob: PathsOrGlob,
    *,
    limit: int | None = None,
    methods: Sequence[str] | None = None,
    words: int = 230,
    scorer: str = "rouge-score",
    options: Options | None = None,
    progress: Callable[[int], None] | None = None,
) -> SummaryEvalResult:
    """Score summarisers with ROUGE against Multi-News reference summaries.

    ``paths_or_glob`` is a path, a glob pattern, or a list of them; matching
    files are read in sorted order and the first ``limit`` clusters overall
    are used (all of them when ``limit`` is None).  ``methods`` defaults to
    every registered summariser.  ``options`` supplies the story settings
    (duplicate threshold); analysis always runs without NER and without the
    cache, because only sentence splitting is needed.  ``progress`` is called
    with 1 after each cluster (an increment, so ``tqdm.update`` fits).
    """
    if limit is not None and limit < 1:
        raise EvaluationError(f"limit must be positive, got {limit}", where="evaluate.summary")
    if words < 1:
        raise EvaluationError(f"words must be positive, got {words}", where="evaluate.summary")
    # Everything that can be wrong with the arguments fails here, before any work.
    files = resolve_paths(
        paths_or_glob,
        dataset="Multi-News",
        where="evaluate.summary",
        example="../shared/data/multinews/val.0*.jsonl.gz",
    )
    options = options or Options()
    names = list(dict.fromkeys(methods if methods is not None else available_methods()))
    if not names:
        raise EvaluationError("no summary method to evaluate", where="evaluate.summary")
    summarizers = {name: get_summarizer(name) for name in names}
    rouge = make_scorer(scorer)
    analysis_options = options.with_(ner=False, cache=False)

    seconds = dict.fromkeys(names, 0.0)
    clusters: list[ClusterScores] = []
    for path in files:
        remaining = None if limit is None else limit - len(clusters)
        if remaining == 0:
            break
        for cluster in iter_clusters(path, limit=remaining):
            # "path:line", the record every article of the cluster came from
            source = (
                cluster.articles[0].source.rsplit("#", 1)[0] if cluster.articles else f"{path}:{cluster.id}"
            )
            analysed = analyze_articles(cluster.articles, options=analysis_options)
            run = _ClusterRun(cluster.id, source, analysed, words, options, first=not clusters)
            clusters.append(run.score(summarizers, rouge, to_reference_text(cluster.summary), seconds))
            if progress:
                progress(1)
    if not clusters:
        raise EvaluationError(
            f"no clusters in {', '.join(map(str, files))}",
            where="evaluate.summary",
            hint="are the files empty?",
        )
    return SummaryEvalResult(
        words=words,
        scorer=scorer,
        files=tuple(map(str, files)),
        limit=limit,
        methods={name: _method_scores(name, clusters, seconds[name]) for name in names},
        clusters=tuple(clusters),
    )


@dataclass(frozen=True)
class _ClusterRun:
    """One cluster's analysed articles, summarised by every method in turn."""

    id: str
    source: str
    analysed: Sequence[AnalyzedArticle]
    words: int
    options: Options
    first: bool  # the first cluster: each method's model is loaded here, untimed

    def score(
        self, summarizers: dict[str, Summarizer], rouge: Any, reference: str, seconds: dict[str, float]
    ) -> ClusterScores:
        """Each method's F1 against ``reference`` and summary length; adds its time to ``seconds``."""
        # Untimed warm-up: the first method timed must not pay alone for
        # filling the stemmer's cache with this cluster's words.
        build_story(self.analysed, options=self.options, id=self.id)
        f1: dict[str, dict[str, float]] = {}
        lengths: dict[str, int] = {}
        for name, summarizer in summarizers.items():
            story, spans, took = self._summarize(name, summarizer)
            seconds[name] += took
            text = to_summary_text(story, spans)
            scores = rouge.score(reference, text)
            f1[name] = {t: float(scores[t].fmeasure) for t in ROUGE_TYPES}
            lengths[name] = count_words(text)
        return ClusterScores(id=self.id, source=self.source, f1=f1, words=lengths)

    def _summarize(self, name: str, summarizer: Summarizer) -> tuple[Story, Sequence[Span], float]:
        """The story, the method's summary of it, and the seconds story and summary took."""
        try:
            if self.first:  # untimed: loading a method's model is not a per-cluster cost
                summarizer.summarize(
                    build_story(self.analysed, options=self.options, id=self.id), words=self.words
                )
            start = time.perf_counter()
            story = build_story(self.analysed, options=self.options, id=self.id)
            spans = summarizer.summarize(story, words=self.words)
        except StorybriefError:
            raise
        except Exception as e:
            raise EvaluationError(
                f"method {name!r} failed on cluster {self.id}: {e!r}", where=self.source
            ) from e
        return story, spans, time.perf_counter() - start


def _method_scores(name: str, clusters: list[ClusterScores], seconds: float) -> MethodScores:
    """One method's mean F1 × 100 per ROUGE type over the clusters, its speed and mean length."""
    n = len(clusters)
    return MethodScores(
        method=name,
        **{t: 100.0 * sum(c.f1[name][t] for c in clusters) / n for t in ROUGE_TYPES},
        clusters_per_s=n / seconds if seconds > 0 else None,
        seconds=seconds,
        n=n,
        mean_words=sum(c.words[name] for c in clusters) / n,
    )
