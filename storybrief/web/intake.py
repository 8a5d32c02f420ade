"""From an HTTP request to articles: JSON bodies, uploaded files and pasted text, within the limits.

Uploaded files go through the same readers as the command line
(:func:`storybrief.sources.read_sources`), so a ``.txt`` with a header, an
``.html`` page or a ``.jsonl`` dump uploads exactly as it reads from disk.
A file that yields no article is set aside with its reason, as on the
command line; the request fails only when nothing at all is readable.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from ..articles import Article, Rejection
from ..config import Options
from ..errors import RequestError, TooManyArticles
from ..sources import read_sources
from ..sources.base import (
    MAX_JSON_DEPTH,
    check_article,
    clean_label,
    clean_labels,
    estimate_sentences,
    normalize_text,
    too_deep,
)
from ..summarize import available_methods
from .schemas import BriefRequest


@dataclass(frozen=True, kw_only=True)
class WebLimits:
    """Caps on what one request may ask for.  Each refusal names the cap it hit."""

    max_body_bytes: int = 8 * 1024 * 1024  # 413 body-too-large
    max_articles: int = 100  # 422 too-many-articles
    max_text_chars: int = 200_000  # 413 text-too-long, per article
    max_words: int = 2_000  # 422 for a larger summary budget
    # the articles of one request together: past either, the rest are set aside as too-large, so one
    # request can neither hold the briefing worker for minutes nor, since the story stage compares every
    # sentence with every other, need more than about 1.5 GB
    max_request_chars: int = 250_000
    max_request_sentences: int = 2_500
    # a .jsonl.gz upload decompresses to at most this much (and at most max_compression_ratio times its size)
    max_decompressed_bytes: int = 32 * 1024 * 1024
    # briefings made at once, and requests that may wait for one; past both, 503 with Retry-After
    briefing_workers: int = 1
    briefing_queue: int = 4


@dataclass
class Intake:
    """What a request gave: articles to brief, sources set aside, and summary options."""

    articles: list[Article] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    words: int | None = None
    method: str | None = None

    def options(self, base: Options, limits: WebLimits) -> Options:
        """``base`` with this request's words and method, checked."""
        if self.words is not None and not 1 <= self.words <= limits.max_words:
            raise RequestError(
                422,
                "bad-words",
                f"words must be between 1 and {limits.max_words:,} (max_words)",
                limit=limits.max_words,
            )
        if self.method is not None and self.method not in available_methods():
            known = ", ".join(available_methods())
            raise RequestError(
                422, "unknown-method", f"unknown summary method {self.method!r}; known: {known}"
            )
        return base.with_(words=self.words, method=self.method)


def check_limits(intake: Intake, limits: WebLimits) -> Intake:
    """Refuse too many articles (422) or an over-long article text (413), naming the limit."""
    if len(intake.articles) > limits.max_articles:
        raise RequestError(
            422,
            "too-many-articles",
            f"{len(intake.articles):,} articles is over the limit of {limits.max_articles:,} per request "
            "(max_articles)",
            limit=limits.max_articles,
        )
    for article in intake.articles:
        if len(article.text) > limits.max_text_chars:
            raise RequestError(
                413,
                "text-too-long",
                f"article {article.source or article.id} has {len(article.text):,} characters, over the limit of "
                f"{limits.max_text_chars:,} (max_text_chars)",
                limit=limits.max_text_chars,
            )
    kept: list[Article] = []
    chars = sentences = 0
    for article in intake.articles:
        chars += len(article.text)
        sentences += estimate_sentences(article.text)
        if chars > limits.max_request_chars:
            over = f"{chars:,} characters, over the limit of {limits.max_request_chars:,} per request (max_request_chars)"
        elif sentences > limits.max_request_sentences:
            over = (
                f"about {sentences:,} sentences, over the limit of {limits.max_request_sentences:,} per request "
                "(max_request_sentences)"
            )
        else:
            kept.append(article)
            continue
        intake.rejections.append(
            Rejection(
                article.source or article.id,
                "too-large",
                f"set aside: with it the request's articles come to {over}; send it in another request",
            )
        )
    intake.articles = kept
    return intake


def _accept(intake: Intake, article: Article, options: Options) -> None:
    article = clean_labels(article)
    rejection = check_article(article, options=options)
    if rejection is None:
        intake.articles.append(article)
    else:
        intake.rejections.append(rejection)


def intake_json(payload: Any, *, options: Options, limits: WebLimits) -> Intake:
    """Articles from a ``BriefRequest`` JSON body."""
    if not isinstance(payload, dict):
        raise RequestError(422, "bad-request-body", "the JSON body must be an object with an 'articles' list")
    raw = payload.get("articles")
    if isinstance(raw, list) and len(raw) > limits.max_articles:  # before validating thousands of items
        raise RequestError(
            422,
            "too-many-articles",
            f"{len(raw):,} articles is over the limit of {limits.max_articles:,} per request (max_articles)",
            limit=limits.max_articles,
        )
    try:
        request = BriefRequest.model_validate(payload)
    except ValidationError as e:
        raise RequestError(422, "invalid-body", validation_message(e)) from e
    ids = [a.id for a in request.articles if a.id]
    if len(ids) != len(set(ids)):
        raise RequestError(
            422, "duplicate-id", "two articles share an id; give each its own or leave ids out"
        )
    intake = Intake(words=request.words, method=request.method)
    for i, item in enumerate(request.articles):
        if len(item.text) > limits.max_text_chars:
            check_limits(Intake(articles=[Article(text=item.text, source=f"articles[{i}]")]), limits)
        article = Article(
            text=normalize_text(item.text),
            title=item.title.strip(),
            outlet=item.outlet.strip(),
            url=item.url,
            published=item.published,
            language=item.language or "en",
            source=f"articles[{i}]",
            id=item.id or "",
        )
        _accept(intake, article, options)
    return check_limits(intake, limits)


def validation_message(error: ValidationError) -> str:
    """A short readable message from pydantic's errors: where, and what."""
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(x) for x in item["loc"]) or "body"
        parts.append(f"{where}: {item['msg']}")
    more = f" (and {error.error_count() - 5} more)" if error.error_count() > 5 else ""
    return "; ".join(parts) + more


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
PASTE_FIELDS = ("text", "title", "outlet", "url", "date")


def _safe_name(name: str) -> str:
    """A file name that keeps the original's extension(s) and nothing that could walk out of a folder."""
    base = _UNSAFE_NAME.sub("_", Path(name.replace("\\", "/")).name).lstrip(".")
    return base[-120:] or "upload"


Run = Callable[..., Awaitable[Any]]


async def _call(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return fn(*args, **kwargs)


def reading_options(options: Options, limits: WebLimits) -> Options:
    """The pipeline options for reading one request's uploads: its caps checked as the files are read."""
    return options.with_(
        strict=False,
        max_articles=limits.max_articles,
        max_decompressed_bytes=min(options.max_decompressed_bytes, limits.max_decompressed_bytes),
    )


async def read_request(request: Request, *, options: Options, limits: WebLimits, run: Run = _call) -> Intake:
    """The articles of a POST, JSON or multipart; ``run(fn, ...)`` runs the CPU-bound steps off the event loop."""
    kind = allowed_content(request.headers.get("content-type", ""))
    if kind == "json":
        body = await request.body()  # bounded by the Guard's body cap
        return await run(intake_json_body, body, options=options, limits=limits)
    try:
        form = await request.form(
            max_files=limits.max_articles + 1,
            max_fields=1000,
            max_part_size=limits.max_text_chars * 4 + 1024,  # a pasted text of max_text_chars in UTF-8
        )
    except StarletteHTTPException as e:
        raise RequestError(400, "bad-form", f"the form could not be read: {e.detail}") from e
    except MultiPartException as e:
        raise RequestError(400, "bad-form", f"the form could not be read: {e.message}") from e
    except (ValueError, KeyError, UnicodeDecodeError) as e:  # python-multipart's own errors on a broken body
        raise RequestError(400, "bad-form", f"the form could not be read: {e}") from e
    try:
        return await intake_form(form, options=options, limits=limits, run=run)
    finally:
        await form.close()  # removes spooled upload files


def parse_json_body(body: bytes) -> Any:
    """A request body's JSON, nested at most MAX_JSON_DEPTH levels; RequestError 400 when it is not JSON."""
    try:
        text = body.decode("utf-8")
        if too_deep(text):
            raise RequestError(
                400, "bad-json", f"the JSON body is nested too deeply (more than {MAX_JSON_DEPTH} levels)"
            )
        return json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise RequestError(400, "bad-json", f"the body is not valid JSON: {e}") from e
    except RecursionError as e:
        raise RequestError(400, "bad-json", "the JSON body is nested too deeply") from e
    except ValueError as e:  # an integer of more than 4,300 digits
        raise RequestError(400, "bad-json", f"the body is not valid JSON: {e}") from e


def intake_json_body(body: bytes, *, options: Options, limits: WebLimits) -> Intake:
    """Articles from a JSON request body's bytes."""
    return intake_json(parse_json_body(body), options=options, limits=limits)


async def intake_form(form: FormData, *, options: Options, limits: WebLimits, run: Run = _call) -> Intake:
    """Articles from a multipart form: uploaded files (any field) and pasted ``article-N-*`` fields."""
    intake = Intake()
    words = str(form.get("words") or "").strip()
    if words:
        if not words.isdigit():
            raise RequestError(422, "bad-words", "words must be a whole number")
        intake.words = int(words)
    method = str(form.get("method") or "").strip()
    intake.method = method or None

    uploads = [v for _, v in form.multi_items() if isinstance(v, UploadFile)]
    uploads = [
        u for u in uploads if u.filename or (u.size or 0) > 0
    ]  # an empty file input sends an empty part
    if len(uploads) > limits.max_articles:
        raise RequestError(
            422,
            "too-many-articles",
            f"{len(uploads):,} files is over the limit of {limits.max_articles:,} per request (max_articles)",
            limit=limits.max_articles,
        )
    if uploads:
        with tempfile.TemporaryDirectory(prefix="storybrief-upload-") as tmp:
            paths: list[Path] = []
            names: dict[str, str] = {}
            for i, upload in enumerate(uploads):
                path = Path(tmp) / f"{i:03d}-{_safe_name(upload.filename or 'upload.txt')}"
                path.write_bytes(await upload.read())
                paths.append(path)
                names[str(path)] = upload.filename or f"upload {i + 1}"
            try:
                result = await run(read_sources, paths, options=reading_options(options, limits))
            except TooManyArticles as e:
                raise RequestError(
                    422,
                    "too-many-articles",
                    f"the uploads hold more than {e.limit:,} articles, the limit per request (max_articles)",
                    limit=limits.max_articles,
                ) from e
        for article in result.articles:
            intake.articles.append(article.with_(source=_original(article.source, names)))
        for rejection in result.rejections:
            intake.rejections.append(
                Rejection(_original(rejection.source, names), rejection.reason, rejection.detail)
            )

    slots = sorted({int(m.group(1)) for key in form if (m := re.fullmatch(r"article-(\d{1,3})-text", key))})
    for k in slots:
        fields = {name: str(form.get(f"article-{k}-{name}") or "") for name in PASTE_FIELDS}
        if not fields["text"].strip():
            continue
        header = "".join(
            f"{key.capitalize()}: {fields[key].strip()}\n"
            for key in ("title", "outlet", "url", "date")
            if fields[key].strip() and "\n" not in fields[key]
        )
        _read_pasted(intake, header, fields["text"], source=f"pasted article {k}", options=options)
        if len(intake.articles) > limits.max_articles:
            break  # check_limits refuses the request; no need to read the rest
    return check_limits(intake, limits)


def _read_pasted(intake: Intake, header: str, text: str, *, source: str, options: Options) -> None:
    """A pasted article reads like a .txt file whose header comes from the form's fields."""
    from ..sources.base import Reject
    from ..sources.plaintext import article_from_text

    try:
        article = article_from_text(
            f"{header}\n{normalize_text(text)}" if header else normalize_text(text), source=source
        )
    except Reject as e:
        intake.rejections.append(e.to_rejection(source))
        return
    _accept(intake, article, options)


def _original(source: str, names: dict[str, str]) -> str:
    """Swap the temporary path at the start of a source for the uploaded file's name."""
    for path, name in names.items():
        if source == path or source.startswith(path + ":") or source.startswith(path + "["):
            return clean_label("upload " + name + source[len(path) :])
    return source


def allowed_content(content_type: str) -> str:
    """'json' or 'form' for a request's Content-Type; RequestError 415 for anything else."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        return "json"
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return "form"
    raise RequestError(
        415,
        "unsupported-media-type",
        f"Content-Type {kind or '(none)'!r} is not accepted; send application/json or multipart/form-data",
    )
