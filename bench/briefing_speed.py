"""Full briefing time vs spaCy NER alone, on a 10-article ~7,000-word story.

    python bench/briefing_speed.py [--repeat 3] [--method storybrief]

Both are timed warm (model loaded, analysis cache off) and the median of the
repeats is printed.  The issue asks for briefing ≤ 2 × NER.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median_time, ten_article_story

from storybrief.analysis import load_nlp
from storybrief.config import Options
from storybrief.pipeline import brief_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--method", default="storybrief", help="summary method")
    args = parser.parse_args()

    articles = ten_article_story()
    words = sum(len(a.text.split()) for a in articles)
    start = time.perf_counter()
    nlp = load_nlp()
    load = time.perf_counter() - start
    texts = [a.text for a in articles]
    tokens = sum(len(doc) for doc in nlp.pipe(texts))  # warm-up

    ner = median_time(lambda: list(nlp.pipe(texts)), args.repeat)
    options = Options(cache=False, method=args.method)
    result = brief_articles(articles, options=options)  # warm-up
    full = median_time(lambda: brief_articles(articles, options=options), args.repeat)

    print(
        f"story: {len(articles)} articles, {words} words, {tokens} tokens; model load {load:.2f} s (not counted)"
    )
    print(f"spaCy NER alone      {ner:6.2f} s  ({tokens / ner:,.0f} tokens/s)")
    print(f"full briefing        {full:6.2f} s  ({len(result.briefings)} stories, method {options.method})")
    print(f"ratio                {full / ner:6.2f} x  (target ≤ 2.00)")


if __name__ == "__main__":
    main()
