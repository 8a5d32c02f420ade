"""The README tells the truth: its commands and examples run, and CI runs its test command."""

import re
import shlex

from click.testing import CliRunner

import storybrief
from storybrief.cli import main

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def shell_blocks():
    return re.findall(r"```sh\n(.*?)```", README, flags=re.S)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_commands = [line for block in shell_blocks() for line in block.splitlines() if "pytest" in line or "test.sh" in line]
    assert test_commands, "README has no test command"
    assert test_commands[0].strip() in ci


def test_readme_brief_command_runs():
    line = next(line for block in shell_blocks() for line in block.splitlines() if "storybrief brief examples" in line)
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
    stage_modules = {"analysis", "articles", "briefing", "config", "errors", "pipeline", "renderers", "sources",
                     "stories", "summarize", "cli", "evaluate", "store", "web", "outlets"}
    assert public - set(storybrief.__all__) - stage_modules == set()
