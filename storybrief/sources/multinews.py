"""Multi-News JSONL (plain or .gz): one cluster of articles per line."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..articles import Article
from ..errors import SourceError
from .base import MAX_JSON_DEPTH, too_deep, valid_unicode


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
        text=valid_unicode(text.strip()),
        outlet=f"doc {index + 1}",
        id=f"{cluster_id}-{index}",
        source=f"{source}#{index}",
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
                yield _cluster(line, n, path)
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as e:
        raise SourceError(f"cannot read Multi-News file: {e}", source=str(path)) from e


def _cluster(line: str, n: int, path: Path) -> Cluster:
    """The cluster on line ``n``; SourceError (naming the line) when it is not a Multi-News record."""
    try:
        if too_deep(line):
            raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep")
        data = json.loads(line)
        cid = str(data.get("id", n))
        docs = data["documents"]
        if not isinstance(docs, list):
            raise TypeError(f"'documents' is not a list but {type(docs).__name__}")
        summary = data.get("summary", "")
        if not isinstance(summary, str):
            raise TypeError(f"'summary' is not a string but {type(summary).__name__}")
        flagged = data.get("llm_flagged_irrelevant_doc_indices") or []
        if not isinstance(flagged, list) or not all(
            isinstance(i, int) and not isinstance(i, bool) for i in flagged
        ):
            raise TypeError("'llm_flagged_irrelevant_doc_indices' is not a list of integers")
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
        raise SourceError(f"line {n} is not a Multi-News record: {e}", source=str(path)) from e
    articles = tuple(
        document_article(doc, cluster_id=cid, index=i, source=f"{path}:{n}")
        for i, doc in enumerate(docs)
        if isinstance(doc, str) and doc.strip()
    )
    return Cluster(id=cid, articles=articles, summary=summary, irrelevant=tuple(flagged))
