"""Quote extraction and speaker resolution time vs the analysis they ride on, on the 10-article bench story.

    python bench/quotes_overhead.py [--repeat 5]

"Analysis" is what the analysis stage costs without quotes: spaCy NER over
the ten articles plus sentence and paragraph splitting.  "Quotes" is what the
quote stage adds per article: extraction (:func:`extract_quotes`) and speaker
resolution with roles (:func:`resolve_speakers`).  "People + ledger" is the
story-level step that merges people across outlets and groups statements.
All are timed warm (model loaded) and the median of the repeats is printed.
The issue asks for quotes to add ≤ 30 %.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import median_time, ten_article_story

from storybrief.analysis import analyze_articles, load_nlp
from storybrief.analysis.entities import find_entities
from storybrief.analysis.quotes import extract_quotes
from storybrief.analysis.speakers import resolve_speakers
from storybrief.config import Options
from storybrief.language.sentences import split_sentences
from storybrief.stories import build_story
from storybrief.stories.ledger import build_ledger
from storybrief.stories.people import build_people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    articles = ten_article_story()
    texts = [a.text for a in articles]
    words = sum(len(t.split()) for t in texts)
    load_nlp()

    def analysis():
        entities = find_entities(texts)
        return [(text, split_sentences(text), ents) for text, ents in zip(texts, entities)]

    analysed = analysis()  # warm-up, and the input of the quote stage

    def quotes():
        n = 0
        for text, (sents, _, paragraphs), ents in analysed:
            found = extract_quotes(text, sents=sents, paragraphs=paragraphs, entities=ents)
            found, _roles = resolve_speakers(text, found, entities=ents, sents=sents)
            n += len(found)
        return n

    n_quotes = quotes()
    story = build_story(analyze_articles(articles, options=Options(cache=False)))

    def story_level():
        people = build_people(story)
        return people, build_ledger(story, people)

    people, ledger = story_level()
    base = median_time(analysis, args.repeat)
    quote_time = median_time(quotes, args.repeat)
    story_time = median_time(story_level, args.repeat)

    print(
        f"story: {len(articles)} articles, {words} words; {n_quotes} quotes, "
        f"{len(people)} people and organisations, {len(ledger.statements)} statements"
    )
    print(f"analysis (NER + sentences)   {base:6.3f} s")
    print(
        f"quotes (extract + resolve)   {quote_time:6.3f} s   +{100 * quote_time / base:5.1f} %  (target ≤ 30 %)"
    )
    print(f"people + ledger (story)      {story_time:6.3f} s   +{100 * story_time / base:5.1f} %")
    print(
        f"quote stage in all           {quote_time + story_time:6.3f} s   "
        f"+{100 * (quote_time + story_time) / base:5.1f} %"
    )


if __name__ == "__main__":
    main()
