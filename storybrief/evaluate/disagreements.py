"""List every disagreement found over Multi-News clusters, for checking by hand.

    python -m storybrief.evaluate.disagreements \\
        --data ../shared/data/multinews/val.00.jsonl.gz --limit 200 --out listing

writes ``listing.jsonl`` (one disagreement per line, with the wordings and the
sentences) and ``listing.md`` (the same, to read), and prints the count.
``--sample N --seed S`` also marks a random sample of N to check by hand.

Each record names its claims by (document index, start, end) into the
cluster's article text, which is how the checked sample in
``tests/data/disagreement_sample.json`` refers to them without copying text.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analysis import analyze_articles
from ..config import Options
from ..errors import EvaluationError
from ..schema import to_data
from ..sources.multinews import Cluster, iter_clusters
from ..stories import build_story
from ..stories.disagreements import Disagreement, find_disagreements

# fmt: off
__all__ = [
    "ClaimKey",
    "DisagreementRecord",
    "disagreement_records",
    "doc_index",
    "list_disagreements",
    "main",
    "record_key",
    "write_listing",
]
# fmt: on

ClaimKey = tuple[int, int, int]  # (document index in the cluster, start, end)


def doc_index(article_id: str) -> int:
    """The document number of a Multi-News article id ``<cluster>-<n>``."""
    return int(article_id.rsplit("-", 1)[1])


@dataclass(frozen=True)
class DisagreementRecord:
    """One disagreement found in one cluster, with the texts needed to judge it."""

    cluster_id: str
    index: int
    disagreement: Disagreement
    wordings: tuple[str, ...]
    sentences: tuple[str, ...]

    @property
    def claims(self) -> tuple[ClaimKey, ...]:
        return tuple(
            (doc_index(c.article_id), c.figure.span.start, c.figure.span.end)
            for c in self.disagreement.claims
        )

    def to_dict(self) -> dict[str, Any]:
        d = self.disagreement
        return {
            "cluster_id": self.cluster_id,
            "index": self.index,
            "kind": d.kind,
            "unit": d.unit,
            "thing": d.thing,
            "scope": d.scope,
            "claims": [
                {
                    "doc": doc_index(c.article_id),
                    "start": c.figure.span.start,
                    "end": c.figure.span.end,
                    "wording": wording,
                    "low": to_data(c.figure)["low"],
                    "high": to_data(c.figure)["high"],
                    "date": c.figure.date.label if c.figure.date else None,
                    "sentence": sentence,
                }
                for c, wording, sentence in zip(d.claims, self.wordings, self.sentences, strict=True)
            ],
            "disagreement": to_data(d),
        }


def record_key(claims: Iterable[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    """Claim keys (tuples, or lists read back from JSON) as one sorted, hashable key."""
    return tuple(sorted(tuple(c) for c in claims))


def disagreement_records(cluster: Cluster, disagreements: Iterable[Disagreement]) -> list[DisagreementRecord]:
    by_id = {a.id: a for a in cluster.articles}
    out = []
    for i, d in enumerate(disagreements):
        out.append(
            DisagreementRecord(
                cluster_id=cluster.id,
                index=i,
                disagreement=d,
                wordings=tuple(by_id[c.article_id].text_of(c.figure.span) for c in d.claims),
                sentences=tuple(by_id[c.article_id].text_of(c.sent) for c in d.claims),
            )
        )
    return out


def list_disagreements(
    clusters: Iterable[Cluster],
    *,
    options: Options | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[DisagreementRecord]:
    """Run detection over clusters (each one story) and return every disagreement found."""
    options = options or Options()
    records: list[DisagreementRecord] = []
    for cluster in clusters:
        if len(cluster.articles) >= 2:
            analysed = analyze_articles(cluster.articles, options=options)
            story = build_story(analysed, options=options, id=cluster.id)
            records.extend(disagreement_records(cluster, find_disagreements(story, options=options)))
        if progress:
            progress(1)
    return records


def _markdown(records: list[DisagreementRecord], sample: set[tuple[str, int]]) -> str:
    lines = ["# Disagreements found", "", f"{len(records)} disagreements.", ""]
    for r in records:
        mark = " **[sample]**" if (r.cluster_id, r.index) in sample else ""
        d = r.disagreement
        lines.append(f"## {r.cluster_id} #{r.index}: {d.kind} {d.unit} {d.thing or ''} ({d.scope}){mark}")
        lines.append("")
        for c, wording, sentence in zip(d.claims, r.wordings, r.sentences, strict=True):
            value = c.figure.date.label if c.figure.date else f"[{c.figure.low:g}, {c.figure.high:g}]"
            lines.append(f"- doc {doc_index(c.article_id)} `{wording}` = {value}: {sentence}")
        lines.append("")
    return "\n".join(lines)


def write_listing(
    records: list[DisagreementRecord], out: str | Path, *, sample: Iterable[tuple[str, int]] = ()
) -> tuple[Path, Path]:
    """Write ``<out>.jsonl`` and ``<out>.md``; return both paths."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    sample = set(sample)
    jsonl = out.with_suffix(".jsonl")
    md = out.with_suffix(".md")
    with jsonl.open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(
                json.dumps({**r.to_dict(), "sample": (r.cluster_id, r.index) in sample}, ensure_ascii=False)
                + "\n"
            )
    md.write_text(_markdown(records, sample), encoding="utf-8")
    return jsonl, md


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m storybrief.evaluate.disagreements",
        description="List every disagreement storybrief finds over Multi-News clusters, for checking by hand.",
    )
    parser.add_argument("--data", required=True, help="a Multi-News .jsonl or .jsonl.gz file")
    parser.add_argument("--limit", type=int, default=200, help="clusters to read from the start of the file")
    parser.add_argument(
        "--out", default="disagreements", help="output path without suffix (.jsonl and .md are written)"
    )
    parser.add_argument(
        "--sample", type=int, default=0, help="mark a random sample of this many to check by hand"
    )
    parser.add_argument("--seed", type=int, default=4, help="random seed for --sample")
    parser.add_argument("--no-cache", action="store_true", help="do not read or fill the analysis cache")
    args = parser.parse_args(argv)

    path = Path(args.data)
    if not path.exists():
        raise EvaluationError(
            "Multi-News file not found",
            where=str(path),
            hint="pass --data ../shared/data/multinews/val.00.jsonl.gz",
        )
    options = Options(cache=not args.no_cache)
    start = time.perf_counter()
    clusters = list(iter_clusters(path, limit=args.limit))
    records = list_disagreements(clusters, options=options)
    elapsed = time.perf_counter() - start
    chosen: list[tuple[str, int]] = []
    if args.sample:
        keys = [(r.cluster_id, r.index) for r in records]
        chosen = keys if len(keys) <= args.sample else random.Random(args.seed).sample(keys, args.sample)
    jsonl, md = write_listing(records, args.out, sample=chosen)
    with_any = len({r.cluster_id for r in records})
    print(f"{len(records)} disagreements in {with_any} of {len(clusters)} clusters ({elapsed:.1f} s)")
    print(f"wrote {jsonl} and {md}" + (f"; {len(chosen)} marked for hand-checking" if chosen else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
