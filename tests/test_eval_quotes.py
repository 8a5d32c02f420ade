"""The PolNeAR quote evaluation: the metric on hand-made cases, a tiny file, and the floors on dev."""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import shared_path

from storybrief.config import Options
from storybrief.errors import EvaluationError
from storybrief.evaluate.quotes import (
    SUBSETS,
    THRESHOLDS,
    GoldArticle,
    GoldAttribution,
    Prediction,
    QuoteEvalResult,
    detect_format,
    evaluate_quotes,
    is_quoted,
    learn_cues,
    locate,
    names_match,
    read_ggt,
    read_gold,
    read_polnear,
    reference_match,
    score_article,
    to_ggt_quotes,
)
from storybrief.schema import from_data, to_data


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return (start, start + len(phrase))


def gold(text: str, content: str, source: str = "") -> GoldAttribution:
    src = (span(text, source),) if source else ()
    return GoldAttribution(content=(span(text, content),), source=src, cue=(), source_text=source)


def test_is_quoted():
    text = 'He said: "We will win." She said it was "delicate" and hard. "First.\n\n"Second," he added.'
    assert is_quoted(text, [span(text, '"We will win."')])
    assert is_quoted(text, [span(text, "We will win.")])  # marks just outside the piece
    assert not is_quoted(text, [span(text, 'it was "delicate" and hard')])
    # a quote over paragraphs: the first piece ends at its paragraph with no closing mark
    assert is_quoted(text, [span(text, '"First.'), span(text, '"Second,"')])
    assert not is_quoted(text, [])


def test_names_match():
    assert names_match("Jeremy Corbyn", "Corbyn")
    assert names_match("Jeremy Corbyn", "Mr. Corbyn")
    assert names_match("Board of Deputies", "the Board of Deputies")
    assert not names_match("Jeremy Corbyn", "Jeremy")
    assert not names_match("", "Corbyn")


def test_matching_is_one_to_one_and_by_gold_coverage():
    text = '"We will rebuild," Ms Marrick said. The council said the road would reopen soon.'
    article = GoldArticle(
        "a",
        "x",
        text,
        (
            gold(text, '"We will rebuild,"', "Ms Marrick"),
            gold(text, "the road would reopen soon", "The council"),
        ),
    )
    whole = Prediction(content=((0, len(text)),), speaker=span(text, "Ms Marrick"))
    scores = score_article(article, [whole])
    # one prediction covering everything still matches only one gold attribution
    assert scores["all"][0.3].n_matched == 1 and scores["all"][0.3].n_gold == 2
    half = Prediction(content=(span(text, "the road would"),), speaker=None, speaker_name="the council")
    scores = score_article(article, [half])
    cov = len("the road would") / len("the road would reopen soon")
    assert 0.3 <= cov < 0.8
    assert scores["indirect"][0.3].n_matched == 1 and scores["indirect"][0.8].n_matched == 0
    # speaker right by name when the mention does not overlap
    assert scores["indirect"][0.3].n_speaker_right == 1
    # quoted predictions are scored against quoted gold only
    assert scores["quoted"][0.3].n_pred == 0 and scores["quoted"][0.3].n_gold == 1


def test_speaker_accuracy_counts_only_gold_with_a_source():
    text = '"Yes," she said.'
    article = GoldArticle("a", "x", text, (gold(text, '"Yes,"'),))
    scores = score_article(article, [Prediction(content=(span(text, '"Yes,"'),), speaker=span(text, "she"))])
    assert scores["quoted"][0.8].n_matched == 1 and scores["quoted"][0.8].n_speaker == 0


def _write(path, rows):
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")


def _row(text: str, attributions: list[tuple[str, str, str]]) -> dict:
    out = []
    for content, cue, source in attributions:
        item = {"content": [{"text": content, "spans": [list(span(text, content))]}]}
        item["cue"] = [{"text": cue, "spans": [list(span(text, cue))]}] if cue else []
        item["source"] = [{"text": source, "spans": [list(span(text, source))]}] if source else []
        out.append(item)
    return {"filename": "t", "annotator": "a", "split": "dev", "text": text, "attributions": out}


@pytest.fixture()
def tiny(tmp_path):
    text = (
        '"We will rebuild the warehouse," the harbour master said.\n\n'
        "The council said the road would reopen on Friday.\n\n"
        "In the view of many residents, the fire was avoidable."
    )
    path = tmp_path / "tiny.jsonl.gz"
    _write(
        path,
        [
            _row(
                text,
                [
                    ('"We will rebuild the warehouse,"', "said", "the harbour master"),
                    ("the road would reopen on Friday", "said", "The council"),
                    ("the fire was avoidable", "In the view of", "many residents"),
                ],
            )
        ],
    )
    return path


def test_evaluate_quotes_on_a_tiny_file(tiny, tmp_path):
    result = evaluate_quotes(tiny, options=Options(cache_path=tmp_path / "c.sqlite"))
    assert result.n_articles == 1
    quoted, indirect, every = (result.score(s, 0.8) for s in SUBSETS)
    assert (quoted.n_gold, quoted.n_matched, quoted.precision, quoted.speaker_accuracy) == (1, 1, 1.0, 1.0)
    assert (indirect.n_gold, indirect.n_matched) == (2, 1)
    assert every.recall == pytest.approx(2 / 3) and every.precision == 1.0
    assert every.f1 == pytest.approx(0.8)
    data = json.loads(json.dumps(to_data(result)))
    assert data["thresholds"] == list(THRESHOLDS) and set(data["scores"]["all"]) == {
        f"{t:g}" for t in THRESHOLDS
    }
    again = from_data(QuoteEvalResult, data)
    assert to_data(again) == to_data(result) and again.score("all", 0.8) == every
    assert "quoted" in result.to_text() and len(result.to_text().splitlines()) == 2 + len(SUBSETS) * len(
        THRESHOLDS
    )


def test_a_replacement_predictor_is_scored_the_same_way(tiny, tmp_path):
    result = evaluate_quotes(tiny, options=Options(cache_path=tmp_path / "c.sqlite"), predict=lambda item: [])
    assert result.score("all", 0.3).n_pred == 0 and result.score("all", 0.3).f1 == 0.0


def test_learn_cues_gives_precisions(tiny, tmp_path):
    prior = learn_cues(tiny, options=Options(cache_path=tmp_path / "c.sqlite"), min_count=1)
    assert prior and all(0.0 <= v <= 1.0 for v in prior.values())
    assert prior["said"] > 0.5


def test_bad_inputs_raise_evaluation_errors(tmp_path):
    with pytest.raises(EvaluationError):
        read_polnear(tmp_path / "missing-*.jsonl.gz")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    with pytest.raises(EvaluationError) as e:
        read_polnear(bad)
    assert "bad.jsonl" in str(e.value)


def _ggt_row(text: str, quotes: list[tuple[str, str, str, int]]) -> dict:
    """A GGT record; each quote's recorded offsets are shifted by its drift, as in the real files."""
    out = []
    for quote, speaker, reference, drift in quotes:
        s, e = span(text, quote) if quote in text else (0, len(quote))
        out.append(
            {
                "speaker": speaker,
                "verb": "",
                "quote": quote,
                "reference": reference,
                "speaker_index": "",
                "verb_index": "",
                "quote_index": f"({s + drift},{e + drift})",
            }
        )
    return {
        "id": "g1",
        "outlet": "Kellhaven Courier",
        "url": "https://example.invalid/a",
        "text": text,
        "quotations": out,
    }


GGT_TEXT = (
    "Hurricanes beat Rovers as Pardoe scores twice\n\n"
    "The Hurricanes snapped the Rovers' streak on Saturday.\n\n"
    "\u201cWe played our game tonight,\u201d coach Lena Marrick said after the match.\n\n"
    "She said the team would rest on Monday.\n\n"
    "Winger Tom Pardoe said the crowd lifted them."
)


@pytest.fixture()
def tiny_ggt(tmp_path):
    path = tmp_path / "tiny_ggt.jsonl.gz"
    _write(
        path,
        [
            _ggt_row(
                GGT_TEXT,
                [
                    ("\u201cWe played our game tonight,\u201d", "coach Lena Marrick", "Lena Marrick", 0),
                    ("the team would rest on Monday", "She", "Lena Marrick", -7),
                    ("the crowd lifted them", "Winger Tom Pardoe", "Tom Pardoe", 12),
                    ("a quote that is not in the text", "nobody", "Nobody", 0),
                ],
            )
        ],
    )
    return path


def test_locate_prefers_the_recorded_offsets_then_the_nearest_occurrence():
    text = "He said yes. Then he said yes again."
    assert locate(text, "yes", (8, 11)) == (8, 11)
    assert locate(text, "yes", (20, 23)) == (26, 29)  # drifted: the nearest occurrence
    assert locate(text, " yes ", None) == (8, 11)  # no offsets: the first, without the spaces
    assert locate(text, "no", (0, 2)) is None


def test_reference_match_counts_the_surname():
    assert reference_match("Lena Marrick", "Lena Marrick")
    assert reference_match("Marrick", "Lena Marrick") and reference_match("Ms. Lena Marrick", "Marrick")
    assert reference_match("a spokesperson", "a spokesperson")
    assert not reference_match("Tom Pardoe", "Lena Marrick") and not reference_match("", "Lena Marrick")


def test_read_ggt_locates_each_quote_by_its_text(tiny_ggt):
    assert detect_format(tiny_ggt) == "ggt"
    (article,) = read_ggt(tiny_ggt)
    assert [GGT_TEXT[s:e] for g in article.attributions for s, e in g.content] == [
        "\u201cWe played our game tonight,\u201d",
        "the team would rest on Monday",
        "the crowd lifted them",
    ]
    assert [g.reference for g in article.attributions] == ["Lena Marrick"] * 2 + ["Tom Pardoe"]
    assert read_gold(tiny_ggt)[0] == "GGT"


def test_evaluate_quotes_on_a_tiny_ggt_file(tiny_ggt, tmp_path):
    result = evaluate_quotes(tiny_ggt, options=Options(cache_path=tmp_path / "c.sqlite"))
    assert result.dataset == "GGT" and result.to_text().startswith("GGT quotes: 1 articles")
    every = result.score("all", 0.8)
    assert every.n_gold == 3 and every.n_matched == 3
    # speakers by resolved name: "She" is Lena Marrick
    assert every.n_speaker == 3 and every.n_speaker_right == 3


def test_ggt_counts_each_part_of_a_statement_and_speech_only():
    """A GGT quote is one span of speech: a statement in two parts is two quotes there, one on PolNeAR."""
    text = "\u201cWe played well,\u201d Marrick said. \u201cWe will rest now.\u201d The data show gains."
    a, b = span(text, "\u201cWe played well,\u201d"), span(text, "\u201cWe will rest now.\u201d")
    gains = span(text, "gains")
    statement = Prediction(content=(a, b), speaker=None, speaker_name="Lena Marrick")
    evidence = Prediction(content=(gains,), speaker=None, speech=False)
    assert to_ggt_quotes([statement, evidence]) == [
        Prediction(content=(a,), speaker=None, speaker_name="Lena Marrick"),
        Prediction(content=(b,), speaker=None, speaker_name="Lena Marrick"),
    ]
    gold = GoldArticle(
        "g", "", text, tuple(GoldAttribution((s,), (), (), "Marrick", "Lena Marrick") for s in (a, b))
    )
    # matched one to one: the statement as one prediction matches one of the two quotes ...
    one = score_article(gold, [statement])["all"][0.8]
    assert (one.n_matched, one.n_pred) == (1, 1)
    # ... and as GGT counts quotes, both, with the speaker right on each
    two = score_article(gold, to_ggt_quotes([statement, evidence]))["all"][0.8]
    assert (two.n_matched, two.n_pred, two.n_speaker_right) == (2, 2, 2)


def test_unknown_or_mixed_formats_are_refused(tmp_path, tiny, tiny_ggt):
    odd = tmp_path / "odd.jsonl"
    odd.write_text(json.dumps({"text": "x", "labels": []}) + "\n", encoding="utf-8")
    with pytest.raises(EvaluationError) as e:
        read_gold(odd)
    assert "odd.jsonl" in str(e.value) and "labels" in str(e.value)
    with pytest.raises(EvaluationError):
        read_gold([tiny, tiny_ggt])


def below(result: QuoteEvalResult, floors: dict) -> list[str]:
    """Every (subset, threshold, metric) of ``result`` under its floor."""
    low = []
    for (subset, threshold), metrics in floors.items():
        score = result.score(subset, threshold)
        for metric, floor in metrics.items():
            if getattr(score, metric) < floor:
                low.append(f"{subset}@{threshold} {metric} {getattr(score, metric):.3f} < {floor}")
    return low


# Floors on PolNeAR dev, pinned just under the measured values (every line of the file scored, as
# `storybrief eval quotes --data ../shared/data/polnear/polnear_dev.jsonl.gz` prints them).  Raising a
# floor is a commit; lowering one needs a stated reason.  The targets are quoted F1 ≥ 0.90 at
# overlap 0.3 (measured 0.910), ≥ 0.85 at 0.8 (0.891), speaker accuracy ≥ 0.90 (0.936 at 0.3)
# and an aim of F1 ≥ 0.70 at 0.3 over all attributions (0.751).
# fmt: off
DEV_FLOORS = {
    ("quoted", 0.3): {"f1": 0.905, "speaker_accuracy": 0.93},
    ("quoted", 0.8): {"f1": 0.885, "speaker_accuracy": 0.94},
    ("all", 0.3): {"f1": 0.745, "speaker_accuracy": 0.89},
    ("all", 0.8): {"f1": 0.685},
}
# fmt: on


@pytest.mark.slow
def test_polnear_dev_floors(tmp_path):
    path = shared_path("data", "polnear", "polnear_dev.jsonl.gz")
    result = evaluate_quotes(path, options=Options(cache_path=tmp_path / "c.sqlite"))
    assert result.n_articles == 94
    assert below(result, DEV_FLOORS) == []


# Floors on GGT dev (40 Canadian articles: politics, sport, business, health, courts), pinned the same way
# just under `storybrief eval quotes --data ../shared/data/ggt/ggt_dev.jsonl.gz` (measured: all F1 0.853
# at 0.3 with P 0.806 / R 0.906, 0.843 at 0.8, speaker accuracy 0.906 (0.818 before session 8's speaker
# error classes); quoted F1 0.952, speaker 0.940).
# The baseline was F1 0.687 / 0.677 and speaker 83.7 % by its own speaker scoring (0.743 by this
# one), its targets 0.85 / 0.80 / 0.90.  GGT's quotes are single spans of speech: each part of a
# statement is scored as a quote of its own, and evidence, intentions and acts are not quotes there
# (storybrief.evaluate.quotes, "Units"; the PolNeAR floors above count every attribution).
# fmt: off
GGT_DEV_FLOORS = {
    ("all", 0.3): {"f1": 0.85, "precision": 0.80, "recall": 0.90, "speaker_accuracy": 0.90},
    ("all", 0.8): {"f1": 0.84, "speaker_accuracy": 0.90},
    ("quoted", 0.3): {"f1": 0.95, "speaker_accuracy": 0.935},
}
# fmt: on


@pytest.mark.slow
def test_ggt_dev_floors(tmp_path):
    path = shared_path("data", "ggt", "ggt_dev.jsonl.gz")
    result = evaluate_quotes(path, options=Options(cache_path=tmp_path / "c.sqlite"))
    assert result.dataset == "GGT" and result.n_articles == 40
    assert result.score("all", 0.3).n_gold == 563  # one of the 564 quotes is not in its article's text
    assert below(result, GGT_DEV_FLOORS) == []


@pytest.mark.slow
def test_shipped_cue_prior_is_rebuilt_from_train(tmp_path):
    """CUE_PRIOR is learned, not hand-set: ``python -m storybrief.evaluate.quotes learn <train>`` gives it back."""
    from storybrief.analysis.quotes import CUE_PRIOR

    folder = shared_path("data", "polnear")
    learned = learn_cues(
        str(folder / "polnear_train.0*.jsonl.gz"), options=Options(cache_path=tmp_path / "c.sqlite")
    )
    assert learned == CUE_PRIOR
