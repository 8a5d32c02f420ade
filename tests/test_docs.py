"""The README tells the truth: its commands and examples run, and CI runs its test command."""

import re
import shlex

from click.testing import CliRunner
from conftest import ROOT

import storybrief
from storybrief.cli import main

README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks():
    return re.findall(r"```sh\n(.*?)```", README, flags=re.S)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_commands = [
        line
        for block in shell_blocks()
        for line in block.splitlines()
        if "pytest" in line or "test.sh" in line
    ]
    assert test_commands, "README has no test command"
    assert test_commands[0].strip() in ci


def test_readme_brief_command_runs():
    line = next(
        line for block in shell_blocks() for line in block.splitlines() if "storybrief brief examples" in line
    )
    args = shlex.split(line.split("storybrief ", 1)[1])
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stdout.startswith("# ")


def test_readme_python_example_runs(monkeypatch, capsys):
    code = re.search(r"```python\n(.*?)```", README, flags=re.S).group(1)
    monkeypatch.chdir(ROOT)
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out.count("\n") >= 3


def test_readme_names_every_command():
    for name in main.commands:
        assert f"storybrief {name}" in README


def test_exported_members():
    assert sorted(storybrief.__all__) == storybrief.__all__
    for name in storybrief.__all__:
        assert getattr(storybrief, name) is not None
    public = {n for n in dir(storybrief) if not n.startswith("_")}
    stage_modules = {
        "analysis",
        "articles",
        "briefing",
        "config",
        "errors",
        "pipeline",
        "renderers",
        "sources",
        "stories",
        "summarize",
        "cli",
        "evaluate",
        "store",
        "web",
        "outlets",
        "schema",
        "corpus",
        "language",
    }
    assert public - set(storybrief.__all__) - stage_modules == set()


def test_readme_follow_feeds_commands_run(tmp_path, monkeypatch):
    """The "Follow feeds" commands, with the README's invented outlet served by a local server."""
    import json

    from feed_server import FeedServer, example_site

    section = README.split("## Follow feeds", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, flags=re.S).group(1)
    site = example_site()
    site.routes["/news.rss"] = site.routes["/courier.rss"]
    with FeedServer(site) as server:
        (tmp_path / "feeds.opml").write_text(
            f'<opml version="2.0"><body><outline xmlUrl="{server.url}/cpa.atom"/></body></opml>',
            encoding="utf-8",
        )
        monkeypatch.chdir(tmp_path)
        for line in block.strip().splitlines():
            args = [a.replace("https://kellhaven-courier.example", server.url) for a in shlex.split(line)[1:]]
            args = [str(ROOT / a) if a.startswith("examples/") else a for a in args]
            if args[0] in ("ingest", "watch"):
                args += ["--allow-host", "127.0.0.1"]  # the README's host is this local server
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 0, (line, result.output)
            assert "Traceback" not in result.output
    listing = json.loads(
        CliRunner().invoke(main, ["stories", "--db", "news.sqlite", "--format", "json"]).stdout
    )
    assert sorted(len(s["articles"]) for s in listing["stories"]) == [1, 6]
