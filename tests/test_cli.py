"""The command line, run in-process through click's runner and once as a real subprocess."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT

from storybrief.cli import main

ARTICLES = EXAMPLE / "articles"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def test_brief_example_markdown():
    result = run("brief", ARTICLES)
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith("# ")
    assert md.count("\n## Sources") == 2  # the fire story and the off-topic football report
    fire, football = md.split("\n---\n")
    assert "Kellhaven" in fire and "Rovers" in football
    assert "not counted as confirmation" in fire


def test_brief_json_to_file(tmp_path):
    out = tmp_path / "b.json"
    result = run("brief", ARTICLES, "--format", "json", "--words", "100", "--out", out)
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert data["schema_version"] == 1
    first = data["briefings"][0]
    assert first["words"] == 100
    texts = {a["id"]: a["text"] for a in first["articles"]}
    for sent in first["summary"]:
        assert texts[sent["article_id"]][sent["start"] : sent["end"]] == sent["text"]


def test_bad_inputs_are_listed_and_the_run_goes_on(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01\x02" * 100)
    result = run("brief", ARTICLES, tmp_path, tmp_path / "missing.txt")
    assert result.exit_code == 0
    assert "empty.txt: empty" in result.stderr
    assert "blob.bin: binary" in result.stderr
    assert "missing.txt: not-found" in result.stderr
    assert "## Set aside" in result.stdout


def test_strict_fails_naming_the_file(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(main, ["brief", "--strict", str(ARTICLES), str(tmp_path)])
    assert result.exit_code == 1
    assert "empty.txt" in result.stderr and "empty" in result.stderr


def test_nothing_readable_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(main, ["brief", str(tmp_path)])
    assert result.exit_code == 1
    assert "no readable article" in result.stderr


def test_unknown_method_names_the_choices():
    result = CliRunner().invoke(main, ["brief", str(ARTICLES), "--method", "nope"])
    assert result.exit_code == 1
    assert "unknown summary method 'nope'" in result.stderr and "lead" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["brief"],
        ["compare"],
        ["quotes"],
        ["methods"],
        ["serve"],
        ["eval"],
        ["eval", "summary"],
        ["eval", "quotes"],
    ],
)
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and len(result.stdout) > 100


def test_methods_lists_the_registry():
    names = [line.split()[0] for line in run("methods").stdout.splitlines()]
    assert {"storybrief", "lead", "lexrank", "centroid"} <= set(names)


@pytest.mark.slow
def test_installed_entry_point_runs():
    exe = ROOT / ".venv" / "bin" / "storybrief"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "storybrief.cli"]
    done = subprocess.run(
        [*cmd, "brief", str(ARTICLES), "--format", "json"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["briefings"]


def test_compare_outlet_by_outlet(tmp_path):
    outlets = tmp_path / "outlets.toml"
    outlets.write_text('[outlets."The Kellhaven Courier"]\ndisplay_name = "Courier"\nregion = "local"\n')
    result = run("compare", ARTICLES, "--outlets", outlets)
    assert result.exit_code == 0, result.output
    fire = result.stdout.split("\n---\n")[0]
    for name in ("Coastal Press Agency", "Harbourside Post", "The Northshire Herald", "Courier"):
        assert f"\n## {name}\n" in fire
    assert "| Courier | 2 |" in fire and "region: local" in fire
    assert "| The Eastmoor Gazette | 0 + 1 copies |" in fire
    assert "**Reports alone (" in fire and "**Leaves out (" in fire


def test_a_one_outlet_story_says_there_is_nothing_to_compare():
    # The example's football report is the only article of its story.
    football = run("brief", ARTICLES).stdout.split("\n---\n")[1]
    compared = run("compare", ARTICLES).stdout.split("\n---\n")[1]
    for md in (football, compared):
        assert (
            "*Only one outlet, The Kellhaven Courier, reports this story, so there is nothing to compare"
            in md
        )
    assert "Reports alone" not in compared and "| outlet |" not in compared


def test_compare_json_has_coverage_with_texts():
    result = run("compare", ARTICLES, "--format", "json")
    assert result.exit_code == 0
    story = json.loads(result.stdout)["stories"][0]
    facts = story["coverage"]["facts"]
    assert facts and all(s["text"] for f in facts for s in f["sents"])


def test_bad_outlets_file_names_the_file(tmp_path):
    outlets = tmp_path / "outlets.toml"
    outlets.write_text("[outlets]\nnot = valid = toml\n")
    result = CliRunner().invoke(main, ["compare", str(ARTICLES), "--outlets", str(outlets)])
    assert result.exit_code == 1
    assert "outlets.toml" in result.stderr


def test_quotes_ledger_names_speakers_and_flags_drift():
    result = run("quotes", ARTICLES)
    assert result.exit_code == 0, result.output
    fire = result.stdout.split("\n---\n")[0]
    assert "## People and organisations" in fire and "## Quote ledger" in fire
    assert "- **Helena Marrick** (person) — chief fire officer" in fire
    drift = fire.split("- **Helena Marrick** · direct · **outlets quote it differently**", 1)[1].split(
        "\n- "
    )[0]
    assert "The Kellhaven Courier: We were extremely fortunate" in drift
    assert "The Northshire Herald: We were very fortunate" in drift


def test_quotes_json():
    result = run("quotes", ARTICLES, "--format", "json")
    story = json.loads(result.stdout)["stories"][0]
    speakers = {s["speaker"] for s in story["quotes"]["statements"]}
    assert {"Helena Marrick", "Tobias Quayle", "Marcus Threlfall"} <= speakers
    version = story["quotes"]["statements"][0]["versions"][0]
    assert all(part["text"] for part in version["parts"])


def test_eval_quotes_prints_the_table_and_writes_json(tmp_path):
    from conftest import shared_path

    out = tmp_path / "quotes.json"
    data = shared_path("data", "polnear", "polnear_dev.jsonl.gz")
    result = run("eval", "quotes", "--data", data, "--limit", 5, "--no-cache", "--out", out)
    assert result.exit_code == 0
    rows = [
        line.split() for line in result.stdout.splitlines() if line.startswith(("quoted", "indirect", "all"))
    ]
    assert [(r[0], r[1]) for r in rows] == [
        (s, t) for s in ("quoted", "indirect", "all") for t in ("0.3", "0.8")
    ]
    saved = json.loads(out.read_text())
    assert saved["n_articles"] == 5 and set(saved["scores"]) == {"quoted", "indirect", "all"}
    assert 0.0 < saved["scores"]["all"]["0.3"]["f1"] <= 1.0
