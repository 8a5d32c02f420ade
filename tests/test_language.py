"""The language layer: one tokenizer family, one stop list, one speech-verb lexicon, the shingles and
the TF-IDF sentence vectors, below every stage and importing none of them."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT

from storybrief.language import (
    ENGLISH_STOP_WORDS,
    LETTER_WORD_RE,
    NEWS_STOP_WORDS,
    STOP_WORDS,
    containment,
    count_words,
    sentence_vectors,
    shingles,
    terms,
    tokens,
)
from storybrief.language.speech import CUE_FORMS, FRAME_FORMS, SPEECH_FORMS, forms_pattern


def _storybrief_modules_after(code: str) -> set[str]:
    probe = (
        code + "\nimport sys\nprint(' '.join(sorted(m for m in sys.modules if m.startswith('storybrief'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_the_language_layer_imports_no_stage():
    loaded = _storybrief_modules_after("import storybrief.language, storybrief.language.speech")
    assert {m for m in loaded if not m.startswith("storybrief.language")} <= {"storybrief"}


def test_articles_no_longer_import_the_analysis_stage():
    loaded = _storybrief_modules_after("import storybrief.articles.dedup")
    assert not {m for m in loaded if m.startswith(("storybrief.analysis", "storybrief.stories"))}


def test_the_stop_list_is_scikit_learns_with_the_news_words():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as SKLEARN

    assert ENGLISH_STOP_WORDS == SKLEARN
    assert NEWS_STOP_WORDS <= STOP_WORDS
    # reporting verbs and titles go; numbers and words that carry news stay
    assert terms("Mr Pardoe said two fire crews were told to stay") == [
        "pardo",
        "two",
        "fire",
        "crew",
        "stay",
    ]


def test_tokens_keep_inner_joins_and_letter_words_drop_numbers():
    assert tokens("The U.S. long-term rate, at 2.5%, isn't Kellhaven's") == [
        "the",
        "u.s",
        "long-term",
        "rate",
        "at",
        "2.5",
        "isn't",
        "kellhaven's",
    ]
    assert LETTER_WORD_RE.findall("O'Neill's 3 long-term aims") == ["O'Neill's", "long-term", "aims"]
    assert count_words("A fire ( at 3 -- the quay ) %") == 6


def test_one_speech_verb_lexicon_serves_the_quotes_package_and_the_frames():
    from storybrief.analysis.frames import attribution_frames
    from storybrief.analysis.quotes import lexicon

    assert lexicon.CUE_FORMS is CUE_FORMS and lexicon.SPEECH_FORMS is SPEECH_FORMS
    assert FRAME_FORMS <= CUE_FORMS and {"said", "told", "warned"} <= FRAME_FORMS
    assert {"said", "told"} <= SPEECH_FORMS & CUE_FORMS
    text = "Around 60 firefighters fought the blaze, the fire service confirmed."
    assert [text[s:e] for s, e in attribution_frames(text)] == ["the fire service confirmed"]


@pytest.mark.parametrize("forms", [frozenset({"say", "says", "said"}), FRAME_FORMS])
def test_forms_pattern_matches_whole_forms_only(forms):
    import re

    pattern = re.compile(rf"\b{forms_pattern(forms)}\b")
    for form in forms:
        assert pattern.fullmatch(form)
    assert not pattern.search("sayings") and not pattern.search("unsaid")


def test_shingles_find_a_lightly_edited_copy_and_not_another_story():
    original = (
        "Around 60 firefighters were called to a warehouse fire on the quay in Kellhaven last night. "
        "The roof collapsed shortly after midnight and nobody was injured, the fire service said."
    )
    copy = original.replace("last night", "on Tuesday night")
    other = "The council approved a new cycle lane along the seafront after a long debate on Monday."
    assert containment(shingles(original), shingles(copy)) >= 0.7
    assert containment(shingles(original), shingles(other)) == 0.0
    assert shingles("Too short") and not shingles("  ")


def test_sentence_vectors_are_unit_tf_idf_rows_with_a_sorted_vocabulary():
    rows = [["fire", "quay", "fire"], ["fire", "crew"], []]
    vectors = sentence_vectors(rows)
    assert vectors.dtype == np.float64 and vectors.shape == (3, 3)  # crew, fire, quay
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0) and not vectors[2].any()
    # log-scaled tf and smoothed idf: "fire" (tf 2, in 2 of 3 rows) against "quay" (tf 1, in 1)
    fire = (1 + np.log(2)) * (np.log(4 / 3) + 1)
    quay = np.log(4 / 2) + 1
    assert vectors[0, 1] / vectors[0, 2] == pytest.approx(fire / quay)
    # a permutation of the rows permutes the vectors: nothing depends on input order
    assert np.array_equal(sentence_vectors(rows[::-1])[::-1], vectors)
    assert sentence_vectors([]).shape == (0, 1)


def test_sentence_repairs_join_splits_after_titles_and_abbreviations():
    from storybrief.language.sentences import is_split_accident, merge_title_splits, split_sentences

    text = "Rep. Jim Clyburn spoke first. Then the mayor left."
    sents, _, paragraphs = split_sentences(text)
    joined = merge_title_splits(text, [(0, 4), (5, 29), (30, 50)], paragraphs)
    assert [text[s:e] for s, e in joined] == ["Rep. Jim Clyburn spoke first.", "Then the mayor left."]
    assert [text[s:e] for s, e in sents][-1] == "Then the mayor left."
    # a lower-cased dateline split ("tucson, ariz." | "-- a tucson couple ...") is one sentence;
    # two real sentences are not joined
    lower = "tucson, ariz. -- a tucson couple has been charged."
    assert is_split_accident(lower, (0, 13), (14, len(lower)))
    two = "The roof fell in. Crews withdrew at midnight."
    assert not is_split_accident(two, (0, 17), (18, len(two)))


def test_sentence_vectors_are_scikit_learns_tf_idf():
    """The same job as TfidfVectorizer(sublinear_tf=True) over given terms, written out because importing
    scikit-learn costs about 0.7 s of CPU at every cold start."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    rows = [
        ["fire", "quay", "fire", "crew"],
        ["crew", "drone", "map"],
        ["fire", "warehous", "1887"],
        ["fire", "fire", "fire"],
    ]
    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms, sublinear_tf=True, dtype=np.float64)
    expected = vectorizer.fit_transform(rows).toarray()
    assert list(vectorizer.get_feature_names_out()) == sorted({t for r in rows for t in r})
    assert np.allclose(sentence_vectors(rows), expected, rtol=0, atol=1e-15)


def test_the_summarisers_attribution_signal_reads_the_lexicon():
    from storybrief.language.speech import PLAIN_FORMS
    from storybrief.summarize.features import _SAID_RE

    assert {"said", "says", "say", "told", "tells"} == PLAIN_FORMS and PLAIN_FORMS <= CUE_FORMS
    assert _SAID_RE.search("the mayor said on monday") and _SAID_RE.search("according to police")
    assert not _SAID_RE.search("the essays were unsaid") and not _SAID_RE.search("accordingly")
