"""Frozen outputs: the briefings of the bundled example and the seeds, and the quotes found on PolNeAR dev.

    python scripts/golden.py            # compare today's outputs with tests/golden/ (exit 1 on a change)
    python scripts/golden.py --update   # write today's outputs to tests/golden/

Run it before and after a refactor: "no output changed" is then a fact, and a change in behaviour
shows up as a diff of tests/golden/ in the commit that meant it.  tests/test_golden.py runs the same
comparison in the test suite.

Real news text never enters the repository.  For the seeds, article texts are dropped and any string
longer than a short name ("Jeremy Corbyn", "Labour leader", a date) is replaced by a digest of it, while
every offset, count, id and short label is kept as it is.  For PolNeAR only offsets and a digest of each
speaker's name are kept.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SHARED = ROOT.parent / "shared" / "data"
EXAMPLE = ROOT / "examples" / "harbour-fire" / "articles"
SEEDS = SHARED / "seeds"
POLNEAR_DEV = SHARED / "polnear" / "polnear_dev.jsonl.gz"

SHORT_WORDS = 5
SHORT_CHARS = 50


def redact(value: Any) -> Any:
    """Keep structure, numbers and short labels; replace long strings by a digest; drop article texts."""
    if isinstance(value, dict):
        return {
            k: ("<text>" if k == "text" and isinstance(v, str) and len(v) > 2000 else redact(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [redact(v) for v in value]
    if isinstance(value, str) and (len(value) > SHORT_CHARS or len(value.split()) > SHORT_WORDS):
        return digest(value)
    return value


def digest(value: str) -> str:
    """A short stand-in for a string that must not be stored: it still changes whenever the string does."""
    return f"sha256:{hashlib.sha256(value.encode('utf-8', 'surrogatepass')).hexdigest()[:16]} ({len(value)} chars)"


def portable(value: Any) -> Any:
    """Source paths written relative to the repository or ../shared, so the golden files do not
    depend on where the checkout is (the main checkout or a worktree)."""
    if isinstance(value, dict):
        return {k: portable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [portable(v) for v in value]
    if isinstance(value, str):
        for root, label in ((SHARED.resolve(), "<shared>/data"), (SHARED, "<shared>/data"), (ROOT, "<repo>")):
            prefix = str(root) + "/"
            if value.startswith(prefix):
                return label + "/" + value[len(prefix) :]
    return value


def briefing_json(paths: list[Path]) -> dict[str, Any]:
    from storybrief.config import Options
    from storybrief.pipeline import brief_paths
    from storybrief.schema import to_data

    return portable(to_data(brief_paths(paths, options=Options(cache=False))))


def polnear_quotes(limit: int | None = None) -> list[dict[str, Any]]:
    """Every quote storybrief finds in each PolNeAR dev article: offsets of content, cue and speaker, and a digest
    of the speaker's resolved name (nothing of the article's wording is kept)."""
    from storybrief.analysis import analyze_articles
    from storybrief.articles import Article
    from storybrief.config import Options
    from storybrief.evaluate.quotes import predict_quotes, read_polnear

    gold = read_polnear(POLNEAR_DEV, limit=limit)
    articles = [Article(text=g.text, outlet="polnear", source=f"{g.filename}#{g.annotator}") for g in gold]
    out = []
    for g, item in zip(gold, analyze_articles(articles, options=Options(cache=False))):
        out.append(
            {
                "article": f"{g.filename}#{g.annotator}",
                "quotes": [
                    {
                        "content": [list(p) for p in q.content],
                        "cue": list(q.cue) if q.cue else None,
                        "speaker": list(q.speaker) if q.speaker else None,
                        "speaker_name": digest(q.speaker_name),
                    }
                    for q in predict_quotes(item)
                ],
            }
        )
    return out


def outputs() -> dict[str, Any]:
    """Today's outputs, by golden file name."""
    return {
        "example.json": briefing_json([EXAMPLE]),
        "seeds.json": redact(briefing_json([SEEDS])),
        "quote_offsets_dev.json": polnear_quotes(),
    }


def dump(value: Any) -> str:
    return json.dumps(value, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def compare(name: str, value: Any) -> list[str]:
    """Unified diff lines between the stored golden file and ``value`` (empty when they agree)."""
    path = GOLDEN / name
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    new = dump(value)
    if old == new:
        return []
    return list(
        difflib.unified_diff(
            old.splitlines(), new.splitlines(), f"golden/{name}", f"now/{name}", lineterm="", n=2
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--update", action="store_true", help="write today's outputs as the golden files")
    args = parser.parse_args(argv)
    changed = 0
    for name, value in outputs().items():
        if args.update:
            GOLDEN.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_text(dump(value), encoding="utf-8")
            print(f"wrote tests/golden/{name}")
            continue
        diff = compare(name, value)
        if diff:
            changed += 1
            print("\n".join(diff[:200]))
            print(f"{name}: CHANGED ({len(diff)} diff lines)")
        else:
            print(f"{name}: no output changed")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
