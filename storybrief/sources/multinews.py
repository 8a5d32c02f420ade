"""Multi-News JSONL (plain or .gz): one cluster of articles per line."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..articles import Article
from ..errors import SourceError


@dataclass(frozen=True)
class Cluster:
    """One Multi-News line: the cluster's articles and its human reference summary."""

    id: str
    articles: tuple[Article, ...]
    summary: str
    irrelevant: tuple[int, ...] = ()


def document_article(text: str, *, cluster_id: str, index: int, source: str) -> Article:
    """Document ``index`` (from 0) of a Multi-News cluster as an article.

    Multi-News keeps no outlet names, so the outlet is ``doc N`` (from 1); the id
    is ``<cluster id>-<index>`` and the source is ``<source>#<index>``, where
    ``source`` names the record (``path:line`` for JSONL).
    """
    return Article(
        text=text.strip(), outlet=f"doc {index + 1}", id=f"{cluster_id}-{index}", source=f"{source}#{index}"
    )


def _open(path: Path):
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def iter_clusters(path: str | Path, *, limit: int | None = None) -> Iterator[Cluster]:
    """Yield clusters in file order; each document becomes an article whose
    outlet is ``doc N`` (Multi-News does not keep outlet names)."""
    path = Path(path)
    try:
        with _open(path) as fh:
            for n, line in enumerate(fh, start=1):
                if limit is not None and n > limit:
                    return
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    cid = str(data.get("id", n))
                    docs = data["documents"]
                except (json.JSONDecodeError, KeyError, TypeError) as e:
                    raise SourceError(f"line {n} is not a Multi-News record: {e}", source=str(path)) from e
                articles = tuple(
                    document_article(doc, cluster_id=cid, index=i, source=f"{path}:{n}")
                    for i, doc in enumerate(docs)
                    if isinstance(doc, str) and doc.strip()
                )
                yield Cluster(
                    id=cid,
                    articles=articles,
                    summary=str(data.get("summary", "")),
                    irrelevant=tuple(data.get("llm_flagged_irrelevant_doc_indices") or ()),
                )
    except (OSError, EOFError, gzip.BadGzipFile, UnicodeDecodeError) as e:
        raise SourceError(f"cannot read Multi-News file: {e}", source=str(path)) from e
