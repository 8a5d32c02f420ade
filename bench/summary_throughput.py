"""Summariser throughput on Multi-News val clusters whose articles are already analysed.

For every registered storybrief method it times ``build_story`` + ``summarize``
per cluster (what a user waits for once analysis is cached), and in the same
run it times sumy's ``LexRankSummarizer`` used directly on the same pre-split
sentences, the anchor in ``../shared/README.md``.  Analysis (sentence
splitting) happens before any clock starts.  It prints numbers and a verdict;
it asserts nothing, because timings on a shared machine are noisy.

Each article's own work (duplicate shingles, summary candidates and their
tokens) is memoised on its analysis record, so the timed passes of a method pay
it once, as a long-running process does.  The default method is also timed on
fresh copies of the records, as read back from the analysis cache by a new
process, which pay it every time.

    python bench/summary_throughput.py              # first 500 clusters of val.00
    python bench/summary_throughput.py --limit 100 --words 230
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from storybrief._blas import single_threaded_blas
from storybrief.analysis import AnalyzedArticle, analyze_articles
from storybrief.config import Options
from storybrief.sources.multinews import iter_clusters
from storybrief.stories import build_story
from storybrief.summarize import available_methods, get_summarizer
from storybrief.summarize.methods.lexrank import WordTokenizer, make_lexrank, to_sumy_document

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "multinews" / "val.00.jsonl.gz"
DEFAULT_METHOD = "storybrief"


def _timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--words", type=int, default=230)
    parser.add_argument("--repeat", type=int, default=3, help="report the best of this many timed passes")
    args = parser.parse_args()

    clusters = list(iter_clusters(args.data, limit=args.limit))
    analysis_options = Options(ner=False, cache=False)
    analysed = [analyze_articles(c.articles, options=analysis_options) for c in clusters]
    n = len(analysed)
    print(f"{n} clusters from {args.data}, {args.words} words; analysis done before timing")

    rates: dict[str, float] = {}

    def fresh_records() -> list[list[AnalyzedArticle]]:
        # the records as read back from the analysis cache: equal, with nothing memoised on them yet
        return [[AnalyzedArticle(x.article, replace(x.analysis)) for x in articles] for articles in analysed]

    def measure(label: str, run, *, fresh: bool = False) -> None:
        run(analysed)  # warm-up: fills the stemmer's cache and imports lazily loaded modules
        passes = [fresh_records() if fresh else analysed for _ in range(max(1, args.repeat))]
        seconds = min(_timed(lambda p=p: run(p)) for p in passes)
        rates[label] = n / seconds
        print(f"  {label:<36} {rates[label]:>9,.0f} clusters/s  ({1000 * seconds / n:.2f} ms/cluster)")

    options = Options()
    measure("build_story alone", lambda clusters: [build_story(a, options=options) for a in clusters])
    for name in available_methods():
        summarizer = get_summarizer(name)
        measure(
            f"storybrief method {name!r}",
            lambda clusters, s=summarizer: [
                s.summarize(build_story(a, options=options), words=args.words) for a in clusters
            ],
        )
    # An article's own work (its candidates, tokens and shingles) is memoised on its analysis
    # record (Analysis.derived), so the passes above pay it once.  Fresh records pay it every time.
    default = get_summarizer(DEFAULT_METHOD)
    measure(
        f"{DEFAULT_METHOD!r}, fresh analysis records",
        lambda clusters: [
            default.summarize(build_story(a, options=options), words=args.words) for a in clusters
        ],
        fresh=True,
    )

    # sumy used directly: its own document model over the same sentences, one
    # paragraph per article, our word tokenizer; a typical 10-sentence request.
    sentences = [[item.sent_texts() for item in articles] for articles in analysed]
    lexrank = make_lexrank()
    tokenizer = WordTokenizer()
    # sumy gets the same one-thread BLAS as our methods (it is no slower with it)
    measure(
        "sumy LexRank (direct)",
        single_threaded_blas(lambda _: [lexrank(to_sumy_document(p, tokenizer), 10) for p in sentences]),
    )

    theirs = rates["sumy LexRank (direct)"]
    for label in (f"storybrief method {DEFAULT_METHOD!r}", f"{DEFAULT_METHOD!r}, fresh analysis records"):
        ours = rates[label]
        verdict, relation = ("OK", "≥") if ours >= theirs else ("SLOWER", "<")
        print(
            f"verdict: {verdict}: {label} {ours:,.0f} clusters/s {relation} sumy LexRank {theirs:,.0f} clusters/s"
        )


if __name__ == "__main__":
    main()
