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


@pytest.fixture(scope="session")
def example_story():
    """The bundled example's story, read from its folder: (truth, story, {file name: article})."""
    import json

    from storybrief.analysis import analyze_articles
    from storybrief.config import Options
    from storybrief.sources import read_sources
    from storybrief.stories import build_stories

    options = Options(cache=False)
    truth = json.loads((EXAMPLE / "truth.json").read_text(encoding="utf-8"))
    read = read_sources([EXAMPLE / truth["articles_dir"]], options=options)
    stories = build_stories(analyze_articles(read.articles, options=options), options=options)
    story = next(s for s in stories if len(s.articles) == len(truth["story_files"]))
    files = {Path(a.article.source).name: a.article for a in story.articles}
    assert set(files) == set(truth["story_files"])
    return truth, story, files
