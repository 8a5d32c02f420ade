"""Coverage: per-fact outlets and times, single-source claims, per-outlet unique facts and omissions,
syndicated copies, and the user's outlet file."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import EXAMPLE

from storybrief.articles import Duplicate
from storybrief.config import Options
from storybrief.errors import ConfigError
from storybrief.outlets import OutletDirectory, load_outlets, parse_outlets
from storybrief.schema import from_data, to_data
from storybrief.stories import FactGroup, SentRef
from storybrief.stories.coverage import Coverage, build_coverage, is_claim, widely_threshold

OPTIONS = Options(cache=False)
UTC = UTC


@pytest.mark.parametrize("outlets,threshold", [(1, 2), (2, 2), (3, 2), (4, 3), (5, 3), (6, 4), (10, 6)])
def test_widely_reported_is_a_strict_majority_of_at_least_two(outlets, threshold):
    assert widely_threshold(outlets) == threshold


@pytest.mark.parametrize(
    "text,claim",
    [
        ("Fire officers used a drone to map hot spots inside the shell.", True),
        ("By Coastal Press Agency staff", False),
        ("Click here to read more about the harbour redevelopment plans", False),
        ("The timing is awkward.", False),
        ("Image copyright AP image caption a crowd gathers outside the court", False),
    ],
)
def test_is_claim(text, claim):
    assert is_claim(text) is claim


# --------------------------------------------------------------------------------------
# The bundled example story


@pytest.fixture(scope="module")
def example(example_story):
    return example_story


def sent_of(story, article, phrase: str) -> SentRef:
    index = story.article_index(article.id)
    for j, text in enumerate(story.articles[index].sent_texts()):
        if phrase in text:
            return SentRef(index, j)
    raise AssertionError(f"no sentence holds {phrase!r}")


def test_example_duplicates_are_found_and_count_once(example):
    truth, story, files = example
    coverage = build_coverage(story)
    for copy, original in truth["duplicates"]:
        assert Duplicate(files[copy].id, files[original].id) in coverage.duplicates
    assert coverage.independent_outlets == tuple(sorted(truth["independent_outlets"]))
    gazette = coverage.outlet("The Eastmoor Gazette")
    assert not gazette.independent and gazette.copy_of == ("Coastal Press Agency",)
    assert gazette.carried and not gazette.facts and not gazette.unique_facts
    for fact in coverage.facts:
        assert "The Eastmoor Gazette" not in fact.outlets  # a copy never confirms a fact
    added = [files["03-gazette-wire-copy.txt"].text_of(s) for s in gazette.copy_additions]
    assert any("Firefighters from Eastmoor" in t for t in added)


@pytest.mark.parametrize(
    "planted",
    json.loads((EXAMPLE / "truth.json").read_text(encoding="utf-8"))["single_source"],
    ids=lambda p: p["contains"][:40],
)
def test_example_every_single_source_claim_is_listed(example, planted):
    _truth, story, files = example
    coverage = build_coverage(story)
    article = files[planted["file"]]
    listed = [
        f
        for f in coverage.single_source_claims
        if f.outlets == (planted["outlet"],)
        and any(s.article_id == article.id and planted["contains"] in article.text_of(s) for s in f.sents)
    ]
    assert listed, planted


# Omissions need the widely reported facts to be fact groups, and these are paraphrases with no
# content word in common ("No one was injured" / "Nobody was hurt" / "There were no casualties";
# "the roof collapsed" / "roof caved in" / "the roof fell in"): the sentence embeddings find them.
@pytest.mark.parametrize(
    "planted",
    json.loads((EXAMPLE / "truth.json").read_text(encoding="utf-8"))["omissions"],
    ids=lambda p: f"{p['outlet']}: {p['omits_fact']}",
)
def test_example_every_omission_is_found_with_core_grouping(example, planted):
    truth, story, files = example
    coverage = build_coverage(story)
    fact = next(
        w for w in truth["widely_reported"] if planted["omits_fact"] in w["contains_by_outlet"].values()
    )
    outlet, phrase = next(iter(fact["contains_by_outlet"].items()))
    ref = sent_of(story, files[fact["files"][outlet]], phrase)
    assert story.group_of[ref] in coverage.outlet(planted["outlet"]).omissions


@pytest.fixture(scope="module")
def truth_grouped(example):
    """The example story with the truth's widely reported facts as its fact groups."""
    truth, story, files = example
    groups, group_of = [], {}
    taken = set()
    for gid, fact in enumerate(truth["widely_reported"]):
        members = tuple(
            sorted(
                sent_of(story, files[fact["files"][outlet]], phrase)
                for outlet, phrase in fact["contains_by_outlet"].items()
            )
        )
        taken.update(members)
        groups.append(FactGroup(id=gid, members=members, outlets=tuple(sorted(fact["contains_by_outlet"]))))
        group_of.update({m: gid for m in members})
    for ref in story.sent_refs():
        if ref not in taken:
            gid = len(groups)
            groups.append(FactGroup(id=gid, members=(ref,), outlets=(story.outlet(ref.article),)))
            group_of[ref] = gid
    return truth, replace(story, fact_groups=tuple(groups), group_of=group_of), files


def test_example_omissions_given_the_true_fact_groups(truth_grouped):
    truth, story, _files = truth_grouped
    coverage = build_coverage(story)
    assert coverage.widely_threshold == 3
    names = {g: fact["fact"] for g, fact in enumerate(truth["widely_reported"])}
    assert {names[f.fact_group] for f in coverage.widely_reported} == set(names.values())
    found = {(o.outlet, names[g]) for o in coverage.outlets for g in o.omissions}
    planted = set()
    for omission in truth["omissions"]:
        fact = next(
            w for w in truth["widely_reported"] if omission["omits_fact"] in w["contains_by_outlet"].values()
        )
        planted.add((omission["outlet"], fact["fact"]))
    # The Gazette reprints the CPA, so it leaves out what the CPA leaves out.
    via_copy = {
        ("The Eastmoor Gazette", fact) for outlet, fact in planted if outlet == "Coastal Press Agency"
    }
    assert found == planted | via_copy


def test_example_publication_times_of_a_fact(truth_grouped):
    _truth, story, _files = truth_grouped
    coverage = build_coverage(story)
    windows = next(f for f in coverage.facts if len(f.outlets) == 4)
    assert windows.first_published == datetime(2026, 3, 11, 7, 30, tzinfo=UTC)
    assert windows.last_published == datetime(2026, 3, 12, 17, 50, tzinfo=UTC)
    assert "The Eastmoor Gazette" in windows.carried_by
    assert not windows.single_source and windows.widely_reported


def test_quote_and_speaker_shares_are_optional_inputs(example):
    _truth, story, _files = example
    assert build_coverage(story).outlet("Harbourside Post").quote_share is None
    # fmt: off
    quotes = [
        ("The Kellhaven Courier", "Helena Marrick"),
        ("The Kellhaven Courier", "Helena Marrick"),
        ("The Kellhaven Courier", "Joanne Kipling"),
        ("Harbourside Post", "Marcus Threlfall"),
        ("Harbourside Post", None),
    ]
    # fmt: on
    coverage = build_coverage(story, quotes=quotes)
    courier, post = coverage.outlet("The Kellhaven Courier"), coverage.outlet("Harbourside Post")
    assert (courier.quotes, courier.speakers) == (3, 2)
    assert courier.quote_share == pytest.approx(3 / 5) and courier.speaker_share == pytest.approx(2 / 3)
    assert post.quote_share == pytest.approx(2 / 5) and post.speaker_share == pytest.approx(1 / 3)
    assert coverage.outlet("The Northshire Herald").quote_share == 0.0


def test_outlet_metadata_comes_from_the_users_file(example, tmp_path):
    _truth, story, _files = example
    path = tmp_path / "outlets.toml"
    path.write_text(
        '[outlets."the kellhaven  courier"]\ndisplay_name = "Kellhaven Courier"\nregion = "Kellhaven"\nlean = "centre"\n',
        encoding="utf-8",
    )
    coverage = build_coverage(story, outlets=load_outlets(path))
    courier = coverage.outlet("The Kellhaven Courier")
    assert courier.display_name == "Kellhaven Courier"
    assert dict(courier.labels) == {"region": "Kellhaven", "lean": "centre"}
    assert coverage.outlet("Harbourside Post").display_name == "Harbourside Post"  # nothing built in
    assert coverage.outlet("Harbourside Post").labels == ()


def test_coverage_round_trips_through_json(example):
    _truth, story, _files = example
    coverage = build_coverage(story, quotes=[("Harbourside Post", "Marcus Threlfall")])
    assert from_data(Coverage, json.loads(json.dumps(to_data(coverage)))) == coverage


# --------------------------------------------------------------------------------------
# The outlet file


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "outlets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_outlet_file_reads_names_aliases_and_labels(tmp_path):
    directory = load_outlets(
        write(
            tmp_path,
            """
[outlets."Coastal Press Agency"]
display_name = "CPA"
aliases = ["coastal-press-agency.example"]
kind = "wire"

[outlets."Harbourside Post"]
""",
        )
    )
    assert directory.display_name("COASTAL press agency") == "CPA"
    assert directory.display_name("coastal-press-agency.example") == "CPA"
    assert directory.labels("Coastal Press Agency") == {"kind": "wire"}
    assert directory.display_name("Harbourside Post") == "Harbourside Post"
    assert directory.display_name("Unknown Outlet") == "Unknown Outlet"
    assert from_data(OutletDirectory, json.loads(json.dumps(to_data(directory)))) == directory


@pytest.mark.parametrize(
    "text,message",
    [
        ("[outlets\n", "not valid TOML"),
        ('[outlets."A"]\nlean = 3\n', "label 'lean' must be a string"),
        ('[outlets."A"]\ndisplay_name = ["x"]\n', "display_name must be a non-empty string"),
        ('[outlets."A"]\naliases = "x"\n', "aliases must be a list"),
        ('[sources]\nx = "y"\n', "unknown top-level key"),
        ('outlets = "x"\n', "must be a table"),
        ('[outlets."A"]\naliases = ["B"]\n[outlets."B"]\n', "is given for both"),
    ],
)
def test_bad_outlet_file_names_the_file(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_outlets(path)
    assert str(path) in str(info.value) and message in str(info.value)


def test_missing_outlet_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read outlet file"):
        load_outlets(tmp_path / "nope.toml")


def test_parse_outlets_without_a_file():
    directory = parse_outlets({"outlets": {"A": {"owner": "X"}}}, where="settings")
    assert directory.labels("a") == {"owner": "X"}
