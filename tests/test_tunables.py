"""The story stage's thresholds are typed sections of Options, read from the config file: a value set
there changes what it should, and a bad value is a ConfigError that names the option and the file."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE
from feed_server import FeedServer, example_site

from storybrief.briefing import build_briefing
from storybrief.cli import main
from storybrief.config import Options
from storybrief.errors import ConfigError
from storybrief.stories import build_story


def _briefing(story, options):
    return build_briefing(build_story(story.articles, options=options, id=story.id), options=options)


@pytest.fixture(scope="module")
def default_briefing(example_story):
    return _briefing(example_story[1], Options(cache=False))


def _multi_outlet_facts(b):
    return sum(1 for f in b.coverage.facts if len(f.outlets) >= 2)


def _multi_outlet_statements(b):
    return sum(1 for s in b.ledger.statements if len({v.outlet for v in s.versions}) >= 2)


def _fact_group_disagreements(b):
    return sum(1 for d in b.disagreements if d.scope == "fact-group")


def _multi_outlet_events(b):
    return sum(1 for e in b.timeline.events if len(e.citations) >= 2)


# one section each: the table set in the config file, and what it must lower on the bundled example
CASES = {
    "facts": ("min_similarity = 0.9", _multi_outlet_facts),
    "coverage": ("min_claim_words = 40", lambda b: len(b.coverage.single_source_claims)),
    "ledger": ("min_content_terms = 1000", _multi_outlet_statements),
    "disagreements": ("same_statement_min_cosine = 1.0", _fact_group_disagreements),
    "timeline": ("same_event_min_jaccard = 1.0", _multi_outlet_events),
}


@pytest.mark.parametrize("section", sorted(CASES))
def test_a_threshold_set_in_the_config_file_changes_the_briefing(
    section, example_story, default_briefing, tmp_path
):
    line, measure = CASES[section]
    config = tmp_path / "strict.toml"
    config.write_text(f"words = 230\n\n[{section}]\n{line}\n", encoding="utf-8")
    options = Options.from_file(config, cache=False)
    key, value = (part.strip() for part in line.split("="))
    assert getattr(getattr(options, section), key) == float(value)
    # the other sections keep their defaults
    assert all(getattr(options, other) == getattr(Options(), other) for other in CASES if other != section)

    strict = _briefing(example_story[1], options)
    assert measure(default_briefing) > 0
    assert measure(strict) < measure(default_briefing)


def test_a_looser_timeline_threshold_joins_more_events(example_story, default_briefing, tmp_path):
    config = tmp_path / "loose.toml"
    config.write_text("[storybrief.timeline]\nsame_event_min_jaccard = 0.0\n", encoding="utf-8")
    loose = _briefing(example_story[1], Options.from_file(config, cache=False))
    assert _multi_outlet_events(loose) > _multi_outlet_events(default_briefing)


def test_default_options_equal_an_empty_config(tmp_path):
    config = tmp_path / "empty.toml"
    config.write_text("[facts]\n", encoding="utf-8")
    assert Options.from_file(config) == Options()


@pytest.mark.parametrize(
    "text, named",
    [
        ("[facts]\nmin_similarity = 1.5\n", "facts.min_similarity"),
        ("[facts]\nmin_similarity = true\n", "facts.min_similarity"),
        ("[disagreements]\ncontext_words = 2.5\n", "disagreements.context_words"),
        ("[disagreements]\ncross_fact_max_ratio = 0.5\n", "disagreements.cross_fact_max_ratio"),
        ("[ledger]\nmin_content_terms = 0\n", "ledger.min_content_terms"),
        ("[coverage]\nno_such_threshold = 1\n", "coverage.no_such_threshold"),
        ("timeline = 0.25\n", "timeline"),
    ],
)
def test_a_bad_threshold_is_a_config_error_naming_it_and_the_file(tmp_path, text, named):
    config = tmp_path / "bad.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Options.from_file(config)
    assert named in str(caught.value) and str(config) in str(caught.value)


def test_the_cli_reports_a_bad_threshold_without_a_traceback(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[facts]\nmin_similarity = -1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["brief", str(EXAMPLE / "articles"), "--config", str(config)])
    assert result.exit_code == 1
    assert "facts.min_similarity" in result.output and "Traceback" not in result.output


def test_a_corpus_briefing_is_made_again_when_a_threshold_changes(tmp_path):
    """A briefing stored in a corpus is read back only for the thresholds it was made with."""
    db = tmp_path / "corpus.sqlite"

    def run(*args):
        result = CliRunner().invoke(main, [str(a) for a in args])
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
        return result.stdout

    def claims(out):
        (briefing,) = json.loads(out)["briefings"]
        return sum(1 for f in briefing["coverage"]["facts"] if f["single_source"] and f["claim"])

    with FeedServer(example_site()) as server:
        base = server.url + "/news/"
        pages = ["01-courier-warehouse-fire.html", "05-herald-safety-checks.html"]
        run("ingest", *(base + p for p in pages), "--db", db, "--allow-host", "127.0.0.1")
    story = json.loads(run("stories", "--db", db, "--format", "json"))["stories"][0]["id"]
    brief = ("brief", "--db", db, "--story", story, "--format", "json")
    config = tmp_path / "strict.toml"
    config.write_text("[coverage]\nmin_claim_words = 1000\n", encoding="utf-8")
    assert claims(run(*brief)) > 0
    assert claims(run(*brief, "--config", config)) == 0
    assert claims(run(*brief)) > 0
