"""Quality gate: ROUGE on a small Multi-News val slice must not fall below the pinned floors,
and the default method must beat every baseline in the same run."""

import json

import pytest
from conftest import ROOT, shared_path

from storybrief.evaluate.summary import evaluate_summaries

BASELINE = json.loads((ROOT / "tests" / "eval_baseline.json").read_text())


@pytest.fixture(scope="module")
def result():
    return evaluate_summaries(
        str(shared_path(*BASELINE["data"].split("/"))),
        limit=BASELINE["limit"],
        methods=sorted(BASELINE["floors"]),
        words=BASELINE["words"],
        scorer=BASELINE["scorer"],
    )


@pytest.mark.slow
@pytest.mark.parametrize("method", sorted(BASELINE["floors"]))
def test_floor(result, method):
    scores = result.methods[method]
    assert scores.n == BASELINE["limit"]
    for metric, floor in BASELINE["floors"][method].items():
        assert getattr(scores, metric) >= floor, (
            f"{method} {metric} {getattr(scores, metric):.2f} < floor {floor}"
        )


@pytest.mark.slow
def test_default_beats_every_baseline(result):
    best = BASELINE["must_beat_every_baseline"]
    ours = result.methods[best]
    for name, scores in result.methods.items():
        if name != best:
            assert ours.rouge1 > scores.rouge1 and ours.rouge2 > scores.rouge2, name
