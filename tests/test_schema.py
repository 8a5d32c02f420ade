"""One schema: the records are converted by storybrief.schema alone, and read back checked."""

from __future__ import annotations

import ast
import json
import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from conftest import ROOT

from storybrief.analysis.dates import DateValue
from storybrief.analysis.figures import Figure
from storybrief.articles import Article, Duplicate, Rejection, Span
from storybrief.errors import ArticleError, StorybriefError
from storybrief.outlets import OutletDirectory, OutletInfo
from storybrief.schema import from_data, to_data
from storybrief.store import StoredSummary
from storybrief.stories.people import Person, PersonRole


def round_trip(record):
    return from_data(type(record), json.loads(json.dumps(to_data(record))))


def test_a_timestamp_keeps_its_offset_as_written():
    plus_two = timezone(timedelta(hours=2))
    article = Article(
        text="An invented text.",
        outlet="Invented Wire",
        published=datetime(2026, 3, 1, 9, 30, tzinfo=plus_two),
    )
    data = to_data(article)
    assert data["published"] == "2026-03-01T09:30:00+02:00"
    assert list(data) == ["id", "outlet", "title", "url", "published", "language", "source", "text"]
    again = round_trip(article)
    assert again == article and again.published.utcoffset() == timedelta(hours=2)
    assert to_data(Article(text="x", published=datetime(2026, 1, 1, tzinfo=UTC)))["published"].endswith(
        "+00:00"
    )


def test_infinite_bounds_and_pairs_have_a_json_form():
    figure = Figure(span=Span("a", 0, 2), kind="count", value=12.0, low=12.0)
    data = to_data(figure)
    assert (data["low"], data["high"]) == (12.0, "inf")
    again = round_trip(figure)
    assert again == figure and math.isinf(again.high)
    person = Person(
        "p1",
        "Ada Quill",
        "person",
        ("Ms Quill",),
        (PersonRole("mayor", ("A",), (Span("a", 3, 8),)),),
        (("A", 2), ("B", 1)),
        (),
    )
    assert to_data(person)["mentions"] == {"A": 2, "B": 1}
    assert round_trip(person) == person
    info = OutletInfo("Invented Wire", labels=(("kind", "wire"), ("lean", "none")))
    directory = OutletDirectory(outlets=(info,), source="outlets.toml")
    assert to_data(directory) == {
        "source": "outlets.toml",
        "outlets": [
            {
                "name": "Invented Wire",
                "display_name": None,
                "aliases": [],
                "labels": {"kind": "wire", "lean": "none"},
            }
        ],
    }
    # labels come back sorted whatever order a file gives them in
    unsorted = {"source": None, "outlets": [{"name": "X", "labels": {"z": "1", "a": "2"}}]}
    assert from_data(OutletDirectory, unsorted).outlets[0].labels == (("a", "2"), ("z", "1"))


def test_small_records_round_trip():
    for record in (
        Span("a", 1, 4),
        Rejection("upload x.png", "binary", "not text"),
        Duplicate("copy", "original"),
        DateValue.month(2026, 2),
    ):
        assert round_trip(record) == record
    summary = StoredSummary("id1", "2026-01-01T00:00:00+00:00", "A headline", "s1", 3, 2)
    assert to_data(summary) == {
        "id": "id1",
        "created_at": "2026-01-01T00:00:00+00:00",
        "headline": "A headline",
        "story_id": "s1",
        "articles": 3,
        "outlets": 2,
        "url": "/api/briefings/id1",
    }


def test_bad_data_is_refused_naming_where_and_which_field():
    with pytest.raises(StorybriefError) as info:
        from_data(Article, {"text": 5}, where="upload.json")
    assert "upload.json" in str(info.value) and "text" in str(info.value)
    with pytest.raises(StorybriefError, match="Span"):
        from_data(Span, {"article_id": "a", "start": "one", "end": 2})
    with pytest.raises(ArticleError):  # the record's own check still runs on reading
        from_data(Span, {"article_id": "a", "start": 5, "end": 2})


def test_no_hand_written_serialisers_are_left():
    """Records are converted by storybrief.schema; only report rows computed from several records
    (evaluate.disagreements) keep their own."""
    allowed = {("evaluate/disagreements.py", "to_dict")}
    found = set()
    for path in (ROOT / "storybrief").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in ("to_dict", "from_dict"):
                found.add((path.relative_to(ROOT / "storybrief").as_posix(), node.name))
    assert found <= allowed, sorted(found - allowed)
