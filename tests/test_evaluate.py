"""Summary evaluation on real Multi-News val clusters: sane scores, JSON round trip, scorer parity."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

import storybrief.evaluate as evaluate
from storybrief.errors import EvaluationError, MethodError
from storybrief.evaluate import (
    ROUGE_TYPES,
    SummaryEvalResult,
    evaluate_summaries,
    make_scorer,
    to_reference_text,
)
from storybrief.schema import from_data, to_data

ROOT = Path(__file__).resolve().parent.parent
MULTINEWS = ROOT.parent / "shared" / "data" / "multinews"
VAL = MULTINEWS / "val.00.jsonl.gz"
BASELINES = ["lead", "lexrank", "centroid"]


@pytest.fixture(scope="module")
def val_path() -> Path:
    if not VAL.exists():
        pytest.fail(f"missing shared data {VAL}: CI and developers have ../shared beside the repo")
    return VAL


@pytest.fixture(scope="module")
def official(val_path) -> SummaryEvalResult:
    """20 clusters scored with Google's rouge-score, the maintainers' scorer."""
    calls = []
    result = evaluate_summaries(
        str(val_path), limit=20, methods=BASELINES, words=230, scorer="rouge-score", progress=calls.append
    )
    assert calls == [1] * 20, "progress is called once per cluster"
    return result


@pytest.mark.slow
def test_scores_on_real_clusters_are_sane(official):
    assert official.n == 20
    assert list(official.methods) == BASELINES
    lead = official.methods["lead"]
    assert lead.rouge1 > 30
    for m in official.methods.values():
        assert m.n == 20
        assert 30 < m.rouge1 < 60
        assert 5 < m.rouge2 < m.rouge1
        assert m.rougeL < m.rouge1 and m.rougeLsum < m.rouge1
        assert m.clusters_per_s is not None and m.clusters_per_s > 0
        assert 200 < m.mean_words <= 230
    for cluster in official.clusters:
        assert set(cluster.f1) == set(BASELINES)
        for scores in cluster.f1.values():
            assert set(scores) == set(ROUGE_TYPES)
            assert all(0.0 <= v <= 1.0 for v in scores.values())
        assert all(w <= 230 for w in cluster.words.values())
    # the means are the per-cluster F1 averaged, times 100
    mean = 100 * sum(c.f1["lead"]["rouge2"] for c in official.clusters) / official.n
    assert lead.rouge2 == pytest.approx(mean)


def test_results_round_trip_through_json(official, tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(to_data(official)), encoding="utf-8")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert len(data["clusters"]) == 20 and data["n"] == 20
    assert data["clusters"][0]["source"].endswith("val.00.jsonl.gz:1")
    assert list(data)[:7] == ["kind", "words", "scorer", "files", "limit", "n", "methods"]
    assert from_data(SummaryEvalResult, data) == official
    with pytest.raises(EvaluationError):
        from_data(SummaryEvalResult, {**data, "kind": "something else"})
    assert "| lead |" in official.to_table()


def test_fast_scorer_gives_identical_scores(official, val_path):
    """rouge-score-rs is new: pin that it reproduces rouge-score exactly, per cluster and type."""
    fast = evaluate_summaries(val_path, limit=10, methods=BASELINES, scorer="rouge-score-rs")
    assert fast.scorer == "rouge-score-rs"
    for mine, ref in zip(fast.clusters, official.clusters[:10], strict=True):
        assert mine.id == ref.id
        assert mine.f1 == ref.f1
        assert mine.words == ref.words


@pytest.mark.parametrize(
    "target, prediction",
    [
        ("The mayor said the fire was out.\nCrews stayed overnight.", ""),
        ("", "Something was said."),
        ("Prices rose 8.2 % in 2018 ( ap ) -- officials said.", "Prices rose 8.2 % , officials said."),
        ("Café owners’ anti-semitism row: “we’re done”.", "Cafe owners' anti-semitism row.\nWe are done."),
        ("running runners ran\nrun runs", "runs running\nran"),
    ],
)
def test_fast_scorer_matches_on_awkward_text(target, prediction):
    slow, fast = make_scorer("rouge-score"), make_scorer("rouge-score-rs")
    a, b = slow.score(target, prediction), fast.score(target, prediction)
    for t in ROUGE_TYPES:
        assert (a[t].precision, a[t].recall, a[t].fmeasure) == (b[t].precision, b[t].recall, b[t].fmeasure)


def _write_clusters(path: Path, lines: list[str]) -> None:
    path.write_text("".join(lines), encoding="utf-8")


def test_limit_counts_clusters_across_sorted_files(val_path, tmp_path):
    with gzip.open(val_path, "rt", encoding="utf-8") as fh:
        lines = [next(fh) for _ in range(6)]
    _write_clusters(tmp_path / "b.jsonl", lines[3:])
    _write_clusters(tmp_path / "a.jsonl", lines[:3])
    ids = [json.loads(line)["id"] for line in lines]
    result = evaluate_summaries(str(tmp_path / "*.jsonl"), limit=5, methods=["lead"], scorer="rouge-score-rs")
    assert [c.id for c in result.clusters] == ids[:5]
    assert result.files == (str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl"))
    both = [tmp_path / "b.jsonl", tmp_path / "a.jsonl"]
    everything = evaluate_summaries(both, methods=["lead"], scorer="rouge-score-rs")
    assert [c.id for c in everything.clusters] == ids


def test_default_methods_are_every_registered_one(val_path):
    from storybrief.summarize import available_methods

    result = evaluate_summaries(val_path, limit=1, scorer="rouge-score-rs")
    assert list(result.methods) == list(available_methods())


def test_empty_glob_is_an_evaluation_error(tmp_path):
    pattern = str(tmp_path / "nothing-*.jsonl.gz")
    with pytest.raises(EvaluationError) as info:
        evaluate_summaries(pattern, limit=5, methods=["lead"])
    assert pattern in str(info.value)
    assert info.value.hint


def test_bad_arguments_fail_before_any_work(val_path):
    with pytest.raises(EvaluationError, match="unknown scorer"):
        evaluate_summaries(val_path, limit=1, methods=["lead"], scorer="rouge")
    with pytest.raises(MethodError):
        evaluate_summaries(val_path, limit=1, methods=["no-such-method"])
    with pytest.raises(EvaluationError, match="limit"):
        evaluate_summaries(val_path, limit=0, methods=["lead"])


def test_reference_gets_one_sentence_per_line():
    text = "The fire is out. Mr. Smith said crews would stay. Residents may return on Friday."
    assert to_reference_text(text).split("\n") == [
        "The fire is out.",
        "Mr. Smith said crews would stay.",
        "Residents may return on Friday.",
    ]


def test_exported_names_exist():
    for name in evaluate.__all__:
        assert hasattr(evaluate, name), name
