"""Stage 3: analysis — sentences, paragraphs, entities and quotes for each article, cached by content hash."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from ..articles import Article, hash_text
from ..config import Options
from ..language.sentences import split_paragraphs, split_sentences
from .cache import AnalysisCache
from .chunks import bound_spans, find_entities_chunked
from .embeddings import DIMS, EmbeddingJob, load_encoder
from .entities import find_entities, load_nlp  # noqa: F401 -- find_entities: tests replace it here
from .factterms import SentenceTerms, sentence_terms
from .model import ANALYSIS_VERSION, Analysis, AnalyzedArticle, Entity
from .quotes import Quote, extract_quotes
from .speakers import Role, attribute_quotes, resolve_speakers

# fmt: off
__all__ = [
    "ANALYSIS_VERSION",
    "Analysis",
    "AnalysisCache",
    "AnalyzedArticle",
    "Entity",
    "Quote",
    "Role",
    "SentenceTerms",
    "analyze_article",
    "analyze_articles",
    "attribute_quotes",
    "extract_quotes",
    "load_nlp",
    "resolve_speakers",
    "split_paragraphs",
    "split_sentences",
]
# fmt: on


def analyze_article(article: Article, *, ner: bool = True) -> Analysis:
    """Analyse one article (a pure function of its text)."""
    return _analyze([article.text], ner=ner)[0]


def _analyze(texts: Sequence[str], *, ner: bool, embed_beside: bool = True) -> list[Analysis]:
    # The sentences are embedded on a second thread while this one runs spaCy's NER and the quote
    # attribution, then both threads share what is left: onnxruntime releases the GIL, so on two
    # cores the stage takes about as long as the slower of the two, not their sum.  Where other
    # processes already keep every core busy (Dask workers), ``embed_beside=False`` embeds on this
    # thread after NER instead: the same vectors, without two threads per process fighting for cores.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="storybrief-embed") as pool:
        if embed_beside:  # the encoder loads (once a process) while this thread splits the sentences
            pool.submit(load_encoder)
        # Bounded sentences and paragraphs (a no-op for normal articles): no step below grows with one article.
        split = [bound_spans(text, *split_sentences(text)) for text in texts]
        job = EmbeddingJob([[text[s:e] for s, e in sents] for text, (sents, _, _) in zip(texts, split)])
        pending = pool.submit(job.work) if embed_beside else None
        try:
            entities = find_entities_chunked(texts, [p for _, _, p in split]) if ner else [()] * len(texts)
            attributed = [
                attribute_quotes(text, sents=sents, paragraphs=paragraphs, entities=ents)
                for text, ents, (sents, _, paragraphs) in zip(texts, entities, split)
            ]
            fact_terms = [
                tuple(sentence_terms(text[s:e]) for s, e in sents)
                for text, (sents, _, _) in zip(texts, split)
            ]
        except BaseException:
            job.cancel()
            raise
        job.work()
        if pending is not None:
            pending.result()
    vectors = job.result()
    out = []
    for text, ents, (sents, sent_paragraph, paragraphs), (quotes, roles), packed, found_terms in zip(
        texts, entities, split, attributed, vectors, fact_terms
    ):
        out.append(
            Analysis(
                content_hash=hash_text(text),
                sents=tuple(sents),
                sent_paragraph=tuple(sent_paragraph),
                paragraphs=tuple(paragraphs),
                entities=ents,
                ner=ner,
                quotes=quotes,
                roles=roles,
                vectors=packed,
                fact_terms=found_terms,
            )
        )
    return out


def _fits(analysis: Analysis, length: int) -> bool:
    """Whether a cached analysis can belong to a text of ``length`` characters (its spans fit, its vectors decode)."""
    spans = [*analysis.sents, *analysis.paragraphs, *((e.start, e.end) for e in analysis.entities)]
    if any(not 0 <= s <= e <= length for s, e in spans) or len(analysis.sent_paragraph) != len(
        analysis.sents
    ):
        return False
    if any(not 0 <= p < len(analysis.paragraphs) for p in analysis.sent_paragraph):
        return False
    try:
        return len(base64.b64decode(analysis.vectors, validate=True)) % (2 * DIMS) == 0
    except ValueError:
        return False


def analyze_articles(
    articles: Sequence[Article],
    *,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
    embed_beside: bool = True,
) -> list[AnalyzedArticle]:
    """Analyse many articles, reading and filling the cache when ``options.cache`` is on.

    ``progress(done, total)`` is called as articles are finished.  ``embed_beside`` runs the
    sentence embeddings on a second thread beside NER (the default); a process that shares its
    cores with other busy processes (a Dask worker) turns it off.  The results are the same.
    """
    options = options or Options()
    cache = AnalysisCache(options.resolved_cache_path) if options.cache else None
    try:
        hashes = [a.content_hash for a in articles]
        known = cache.get_many(hashes, ner=options.ner) if cache else {}
        for article, h in zip(articles, hashes):
            if h in known and not _fits(known[h], len(article.text)):
                del known[h]  # a damaged cache row: analyse again (and overwrite it)
        todo: dict[str, str] = {}
        for article, h in zip(articles, hashes):
            if h not in known and h not in todo:
                todo[h] = article.text
        fresh: list[Analysis] = []
        items = list(todo.values())
        done = len(articles) - len(items)
        for i in range(0, len(items), 16):
            batch = _analyze(items[i : i + 16], ner=options.ner, embed_beside=embed_beside)
            fresh.extend(batch)
            done += len(batch)
            if progress:
                progress(done, len(articles))
        if cache and fresh:
            cache.put_many(fresh)
        known.update({a.content_hash: a for a in fresh})
        return [AnalyzedArticle(article, known[h]) for article, h in zip(articles, hashes)]
    finally:
        if cache:
            cache.close()
