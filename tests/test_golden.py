"""Frozen outputs: today's briefings of the example and the seeds, and the quotes found on PolNeAR dev,
equal the golden files in tests/golden/ (written by ``python scripts/golden.py --update``).

A failure here means behaviour changed.  If the change is meant, update the golden files in the same
commit and name the change in its message; otherwise it is a regression.
"""

from __future__ import annotations

import importlib.util

import pytest
from conftest import ROOT, shared_path


def _golden():
    spec = importlib.util.spec_from_file_location("golden", ROOT / "scripts" / "golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def golden():
    shared_path("data", "seeds")
    shared_path("data", "polnear", "polnear_dev.jsonl.gz")
    return _golden()


@pytest.fixture(scope="module")
def today(golden):
    return golden.outputs()


@pytest.mark.parametrize("name", ["example.json", "seeds.json", "quote_offsets_dev.json"])
def test_outputs_equal_the_golden_files(golden, today, name):
    diff = golden.compare(name, today[name])
    assert not diff, f"{name} changed (python scripts/golden.py shows the diff):\n" + "\n".join(diff[:60])


def test_seed_golden_file_keeps_no_article_text(golden, seed_texts):
    stored = (golden.GOLDEN / "seeds.json").read_text(encoding="utf-8")
    for text in seed_texts.values():
        sentences = [s.strip() for s in text.split(".") if len(s.split()) > 8]
        assert sentences and not any(s in stored for s in sentences)
