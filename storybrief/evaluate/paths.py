"""Evaluation data files named by path or glob."""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path

from ..errors import EvaluationError

PathsOrGlob = str | os.PathLike[str] | Sequence[str | os.PathLike[str]]


def resolve_paths(paths_or_glob: PathsOrGlob, *, dataset: str, where: str, example: str) -> list[Path]:
    """Existing files named directly, plus every match of each glob pattern, sorted.

    ``dataset`` names the data in the error ("no Multi-News file matches ..."),
    ``where`` is the error's location and ``example`` a glob to suggest.
    """
    items = [paths_or_glob] if isinstance(paths_or_glob, str | os.PathLike) else list(paths_or_glob)
    found: set[Path] = set()
    for item in items:
        path = Path(item)
        if path.is_file():
            found.add(path)
        else:
            found.update(Path(p) for p in glob.glob(os.fspath(item)) if Path(p).is_file())
    if not found:
        shown = ", ".join(os.fspath(i) for i in items) or "(nothing)"
        raise EvaluationError(
            f"no {dataset} file matches {shown}",
            where=where,
            hint=f"pass a .jsonl or .jsonl.gz path or a glob such as {example}",
        )
    return sorted(found)
