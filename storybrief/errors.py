"""The one exception tree of storybrief.

    StorybriefError
    ├── SourceError          a file, URL or record could not be read (carries ``source``)
    │   ├── RejectedSource   raised in strict mode for a rejected article (carries ``reason``)
    │   ├── TooManyArticles  a run reached its article cap while reading (carries ``limit``)
    │   └── FetchError       a URL could not be fetched (carries ``reason`` and ``url``)
    │       └── BlockedURL   the SSRF guard refused a URL (scheme, or a non-public address)
    ├── ArticleError         an article or span is malformed (carries ``article_id``)
    ├── AnalysisError        the NLP stage failed or its model is missing
    ├── ConfigError          an option or config file is wrong
    ├── MethodError          an unknown summariser or other registry name
    ├── EvaluationError      evaluation data is missing or malformed
    ├── StoreError           the briefing store (SQLite) cannot be opened or written
    └── RequestError         a web or API request is malformed or over a limit (carries ``status``)

Every error says where it happened (``where``) and, when we know one, how to
fix it (``hint``).  Wrap lower-level exceptions with ``raise ... from e``.
"""

from __future__ import annotations


class StorybriefError(Exception):
    """Root of every error raised on purpose by storybrief."""

    stage = "storybrief"

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        self.message = message
        self.where = where
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class SourceError(StorybriefError):
    """A file, URL or input record could not be read."""

    stage = "sources"

    def __init__(self, message: str, *, source: str, hint: str | None = None):
        self.source = source
        super().__init__(message, where=source, hint=hint)


class RejectedSource(SourceError):
    """A source was rejected for a typed reason (raised only in strict mode)."""

    def __init__(self, message: str, *, source: str, reason: str, hint: str | None = None):
        self.reason = reason
        super().__init__(f"[{reason}] {message}", source=source, hint=hint)


class TooManyArticles(SourceError):
    """Reading stopped: the run's article cap (``max_articles``) was reached.  Checked as each article is read."""

    def __init__(self, limit: int, *, source: str):
        self.limit = limit
        super().__init__(
            f"more than {limit:,} articles, the limit per run (max_articles)",
            source=source,
            hint="send fewer articles at once",
        )


class ArticleError(StorybriefError):
    """An article or a span into it is malformed."""

    stage = "articles"

    def __init__(self, message: str, *, article_id: str | None = None, hint: str | None = None):
        self.article_id = article_id
        super().__init__(message, where=f"article {article_id}" if article_id else None, hint=hint)


class AnalysisError(StorybriefError):
    """The NLP analysis stage failed."""

    stage = "analysis"


class ConfigError(StorybriefError):
    """An option or a config file is invalid."""

    stage = "config"


class MethodError(StorybriefError):
    """A registry name (summariser, ...) is unknown."""

    stage = "summarize"


class EvaluationError(StorybriefError):
    """Evaluation data is missing or malformed."""

    stage = "evaluate"


class StoreError(StorybriefError):
    """The briefing store (SQLite) cannot be opened or written."""

    stage = "store"


class RequestError(StorybriefError):
    """A web or API request is malformed or over a limit.

    ``status`` is the HTTP status to answer with (400, 404, 413, 415, 422, 503),
    ``code`` a short stable name for clients, ``limit`` the limit that was
    exceeded, when one was, and ``retry_after`` the seconds to wait before
    trying again (503 busy).
    """

    stage = "web"

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        limit: int | None = None,
        hint: str | None = None,
        retry_after: int | None = None,
    ):
        self.status = status
        self.code = code
        self.limit = limit
        self.retry_after = retry_after
        super().__init__(message, hint=hint)


class FetchError(SourceError):
    """A URL could not be fetched, or was refused, for a named reason.

    ``reason`` is a short stable name (see :data:`storybrief.sources.fetch.FETCH_REASONS`),
    ``url`` the URL concerned (for a refused redirect, its target), ``status`` the HTTP status
    when the server answered with an error.
    """

    def __init__(
        self, reason: str, message: str, *, url: str, hint: str | None = None, status: int | None = None
    ):
        self.reason = reason
        self.url = url
        self.detail = message
        self.status = status
        super().__init__(f"[{reason}] {message}", source=url, hint=hint)


class BlockedURL(FetchError):
    """The SSRF guard refused a URL: a scheme other than http(s), or a host that resolves to a non-public address."""
