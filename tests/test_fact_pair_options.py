"""The measuring parts of scripts/fact_pair_options.py (the same-fact options it reports)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from fact_pair_options import agreement, bertscore, names, numbers, pick_threshold, precision_recall


def unit(rows: list[list[float]]) -> np.ndarray:
    m = np.asarray(rows, dtype=np.float64)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_token_alignment_is_one_for_the_same_tokens_and_weighs_rare_ones():
    a = ([1, 2], unit([[1, 0, 0], [0, 1, 0]]))
    assert bertscore(a, a, lambda i: 1.0) == pytest.approx((1.0, 1.0))
    # B has token 1 exactly and nothing near token 2: recall of A is 0.5 with equal weights ...
    b = ([1, 3], unit([[1, 0, 0], [0, 0, 1]]))
    f, weaker = bertscore(a, b, lambda i: 1.0)
    assert weaker == pytest.approx(0.5) and f == pytest.approx(0.5)
    # ... and follows the weights: when token 1 is common (low IDF) the shared part counts little
    f_rare, _ = bertscore(a, b, lambda i: 0.1 if i == 1 else 1.0)
    assert f_rare < 0.2
    assert bertscore(([], np.zeros((0, 3))), a, lambda i: 1.0) == (0.0, 0.0)


def test_numbers_and_names_of_a_sentence():
    assert numbers("Some 1,200 people and two dogs left on 3 March.") == {"1200", "two", "3"}
    assert names("Officials said Marta Quill met Ostrava Mining.") == {"Marta", "Quill", "Ostrava", "Mining"}
    assert names("Nobody was hurt.") == set()


def test_agreement_sees_different_figures_negation_and_modality():
    same = agreement(
        "Around 60 firefighters fought the blaze.", "60 firefighters attended.", {"fight"}, {"attend"}
    )
    assert same["numbers_shared"] == 1 and same["numbers_differ"] == 0
    other = agreement("Some 45 firefighters fought the blaze.", "60 firefighters attended.", set(), set())
    assert other["numbers_differ"] == 1
    negated = agreement("The mayor will resign.", "The mayor did not resign.", {"resign"}, {"resign"})
    assert negated["negation_mismatch"] == 1 and negated["modality_mismatch"] == 1
    assert negated["verbs_jaccard"] == 1.0


def test_threshold_is_the_highest_recall_at_the_wanted_precision():
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5, 0.4])
    labels = np.array([1, 1, 0, 1, 1, 0])
    t = pick_threshold(scores, labels, 0.95)
    assert t == 0.8 and precision_recall(scores >= t, labels)[:2] == (1.0, 0.5)
    t = pick_threshold(scores, labels, 0.75)
    assert t == 0.5 and precision_recall(scores >= t, labels)[:2] == (0.8, 1.0)
    assert pick_threshold(scores, np.zeros(6, dtype=int), 0.5) == np.inf
