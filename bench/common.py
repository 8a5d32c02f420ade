"""Shared bench inputs: a 10-article, ~7,000-word story built from ../shared at run time."""

from __future__ import annotations

import gzip
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from storybrief.articles import Article

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def ten_article_story() -> list[Article]:
    """The four seed articles plus six PolNeAR dev articles of 600-1,300 words (first in file order)."""
    articles = [
        Article(text=p.read_text(encoding="utf-8"), outlet=f"seed {i}", source=str(p))
        for i, p in enumerate(sorted((SHARED / "seeds").glob("*.txt")))
    ]
    seen = set()
    with gzip.open(SHARED / "polnear" / "polnear_dev.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            words = len(record["text"].split())
            if record["filename"] in seen or not 600 <= words <= 1300:
                continue
            seen.add(record["filename"])
            outlet = record["filename"].split("_")[0]
            articles.append(Article(text=record["text"], outlet=outlet, source=record["filename"]))
            if len(articles) == 10:
                break
    return articles


def median_time(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls of ``fn``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def multinews_documents(pattern: str, n: int) -> list[tuple[str, str]]:
    """The first ``n`` Multi-News documents matching ``pattern`` (``train.0*.jsonl.gz``), clusters in
    file order, as (``<cluster id>-<index>``, text): documents flagged irrelevant and those under 20
    words left out.  Exits when there are fewer."""
    out: list[tuple[str, str]] = []
    for path in sorted((SHARED / "multinews").glob(pattern)):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                skip = set(record.get("llm_flagged_irrelevant_doc_indices") or ())
                for i, doc in enumerate(record["documents"]):
                    if i not in skip and len(doc.split()) >= 20:
                        out.append((f"{record.get('id', len(out))}-{i}", doc.strip()))
                        if len(out) == n:
                            return out
    raise SystemExit(f"only {len(out):,} usable documents match {SHARED / 'multinews' / pattern}")
