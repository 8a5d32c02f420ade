"""Size of the self-contained HTML report of the 10-article bench story (the issue asks for ≤ 500 KB).

    python bench/report_size.py [--method storybrief]

Prints the report's size and what its parts weigh: the articles' own text, the inlined CSS and
JavaScript, and the markup around them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ten_article_story

from storybrief.config import Options
from storybrief.pipeline import brief_articles
from storybrief.renderers import render
from storybrief.renderers.html import asset

LIMIT = 500_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", default="storybrief", help="summary method")
    args = parser.parse_args()

    articles = ten_article_story()
    result = brief_articles(articles, options=Options(method=args.method))
    size = len(render(result, "html").encode("utf-8"))
    text = sum(len(a.text.encode("utf-8")) for a in articles)
    code = len(asset("storybrief.css").encode("utf-8")) + len(asset("storybrief.js").encode("utf-8"))
    print(f"story: {len(articles)} articles in {len(result.briefings)} briefings, method {args.method}")
    print(f"report      {size:>9,} bytes  (limit {LIMIT:,}: {'ok' if size <= LIMIT else 'OVER'})")
    print(f"  article text {text:>7,} bytes")
    print(f"  CSS and JS   {code:>7,} bytes")
    print(f"  the rest     {size - text - code:>7,} bytes (markup, sections, matrix)")


if __name__ == "__main__":
    main()
