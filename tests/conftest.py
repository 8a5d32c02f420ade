"""Shared fixtures.  Real data lives in ../shared beside the repo and is read at test time."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "harbour-fire"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"missing shared data {path}: CI and developers have ../shared beside the repo")
    return path


@pytest.fixture(scope="session")
def seed_texts() -> dict[str, str]:
    folder = shared_path("data", "seeds")
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))}


@pytest.fixture()
def options(tmp_path):
    from storybrief.config import Options

    return Options(cache_path=tmp_path / "cache.sqlite")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """Never touch the user's real cache from tests."""
    monkeypatch.setenv("STORYBRIEF_CACHE_DIR", str(tmp_path / "sb-cache"))
