"""Cross-outlet analysis time vs the base briefing, on the 10-article ~7,000-word bench story.

    python bench/analysis_overhead.py [--repeat 5]

"Base" is the core briefing pipeline (analysis with the cache off, stories,
briefing).  "Cross-outlet" is everything this adds on top for each story:
date and figure extraction, coverage, disagreements and the timeline, timed
cold (the per-article extraction memo is cleared before every repeat).  Every
article gets a publication date so that relative dates are resolved, as in a
real run.  The issue asks for the cross-outlet analysis to add ≤ 30 %.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median_time, ten_article_story

from storybrief.analysis import analyze_articles, load_nlp
from storybrief.analysis.figures import article_figures
from storybrief.config import Options
from storybrief.pipeline import brief_articles
from storybrief.stories import build_stories
from storybrief.stories.coverage import build_coverage
from storybrief.stories.disagreements import find_disagreements
from storybrief.stories.timeline import build_timeline


def cross_outlet(stories) -> tuple[int, int, int]:
    article_figures.cache_clear()
    disagreements = events = facts = 0
    for story in stories:
        facts += len(build_coverage(story).facts)
        disagreements += len(find_disagreements(story))
        events += len(build_timeline(story).events)
    return facts, disagreements, events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    base_day = datetime(2018, 8, 3, 9, 0, tzinfo=UTC)
    articles = [
        a.with_(published=base_day - timedelta(hours=6 * i)) for i, a in enumerate(ten_article_story())
    ]
    words = sum(len(a.text.split()) for a in articles)
    load_nlp()
    options = Options(cache=False)
    brief_articles(articles, options=options)  # warm-up: model loaded, code paths imported

    base = median_time(lambda: brief_articles(articles, options=options), args.repeat)
    stories = build_stories(analyze_articles(articles, options=options), options=options)
    facts, disagreements, events = cross_outlet(stories)  # warm-up
    added = median_time(lambda: cross_outlet(stories), args.repeat)

    print(f"story: {len(articles)} articles, {words} words, {len(stories)} stories")
    print(f"base briefing            {base:6.3f} s  (method {options.method})")
    print(
        f"cross-outlet analysis    {added:6.3f} s  ({facts} facts, {disagreements} disagreements, {events} timeline events)"
    )
    print(f"added                    {100 * added / base:6.1f} %  (target ≤ 30 %)")


if __name__ == "__main__":
    main()
