"""What a user installing storybrief relies on: a fast CLI start, one version, declared dependencies."""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import subprocess
import sys
import tomllib

import pytest
from click.testing import CliRunner
from conftest import ROOT

import storybrief
from storybrief.cli import main

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
HEAVY = (
    "spacy",
    "thinc",
    "onnxruntime",
    "onnx",
    "lightgbm",
    "sklearn",
    "scipy",
    "torch",
    "numpy",
    "trafilatura",
)


def modules_after(code: str, *, top_level: bool = True, timeout: float = 120) -> set[str]:
    """Modules (top-level names, or every dotted name) imported by a fresh interpreter running ``code``."""
    names = "{m.split('.')[0] for m in sys.modules}" if top_level else "sys.modules"
    probe = code + f"\nimport sys\nprint(' '.join(sorted({names})))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=timeout
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split("\n")[-2].split())


def test_help_imports_nothing_heavy():
    loaded = modules_after(
        "from storybrief.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert "storybrief" in loaded and "click" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.slow
def test_a_briefing_does_not_import_scipy_cluster():
    # DisjointSet comes from scipy's defining module: scipy.cluster.hierarchy would pull
    # scipy.spatial, scipy.linalg and scipy.special, 0.2 s of CPU on every cold `storybrief brief`
    loaded = modules_after(
        "from storybrief.config import Options\nfrom storybrief.pipeline import brief_paths\n"
        f"result = brief_paths([{str(ROOT / 'examples' / 'harbour-fire' / 'articles')!r}], "
        "options=Options(cache=False))\n"
        "assert any(b.people for b in result.briefings) and any(b.timeline for b in result.briefings)",
        top_level=False,
        timeout=900,  # a whole briefing in a fresh process: spaCy, and the embedding graph built once
    )
    assert "scipy._lib._disjoint_set" in loaded
    assert not {"scipy.cluster", "scipy.spatial", "scipy.linalg"} & loaded


def test_the_ner_model_loads_without_spacys_command_line_which_stays_importable():
    # spaCy's __init__ imports spacy.cli (typer, weasel, jinja2...) only to re-export `info`:
    # about 0.19 s of CPU on every cold `storybrief brief`, which storybrief skips
    loaded = modules_after(
        "from storybrief.analysis.entities import find_entities\n"
        "assert [e.label for e in find_entities(['Ann Lee flew to Paris on Monday.'])[0]] == "
        "['PERSON', 'GPE', 'DATE']",
        top_level=False,
    )
    assert "spacy" in loaded and "spacy.pipeline.ner" in loaded
    assert not {m for m in loaded if m.startswith("spacy.cli")} | ({"typer", "weasel"} & loaded)
    # nothing is lost: the real command line imports afterwards, and spacy.info still works
    loaded = modules_after(
        "from storybrief.analysis.entities import load_nlp\nload_nlp()\nimport spacy\n"
        "from spacy.cli import download\nassert callable(download)\n"
        "assert spacy.info()['spacy_version'] == spacy.__version__",
        top_level=False,
    )
    assert {"spacy.cli", "spacy.cli.download", "spacy.cli.info"} <= loaded


def test_import_storybrief_imports_nothing_heavy_until_a_name_is_used():
    assert not modules_after("import storybrief") & set(HEAVY)
    # the public names still resolve, each from its stage
    assert storybrief.Options.__module__ == "storybrief.config"
    assert storybrief.brief_paths.__module__ == "storybrief.pipeline"
    assert set(storybrief.__all__) == set(storybrief._EXPORTS) and set(storybrief.__all__) <= set(
        dir(storybrief)
    )
    for name in storybrief.__all__:
        assert getattr(storybrief, name) is not None


def test_version_is_written_once():
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "storybrief.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", storybrief.__version__)
    # what pip installed (read from pyproject at install time) and what the CLI prints agree with it
    assert metadata.version("storybrief") == storybrief.__version__
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and storybrief.__version__ in result.output


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    return _normal(re.match(r"[A-Za-z0-9._-]+", requirement).group(0))


def test_every_imported_library_is_declared():
    """A module of the package imports only the standard library, itself, or a declared distribution."""
    project = PYPROJECT["project"]
    declared = {_requirement_name(r) for r in project["dependencies"]}
    for extra in project.get("optional-dependencies", {}).values():
        declared |= {_requirement_name(r) for r in extra}
    # installed by scripts/setup.sh (which scripts/test.sh runs) with --no-deps: its wheel declares sentence-transformers (torch)
    setup_sh = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    declared |= {_normal(m) for m in re.findall(r"--no-deps ([A-Za-z0-9._-]+)==", setup_sh)}
    imported: dict[str, str] = {}
    for path in sorted((ROOT / "storybrief").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                imported.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    owners = metadata.packages_distributions()
    missing = []
    for module, where in sorted(imported.items()):
        if module in sys.stdlib_module_names or module == "storybrief":
            continue
        dists = {_normal(d) for d in owners.get(module, [module])}
        if not dists & declared:
            missing.append(f"{module} ({where})")
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"
