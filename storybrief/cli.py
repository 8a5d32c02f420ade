"""The storybrief command line: thin commands over the library."""

from __future__ import annotations

import functools
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any, TypeVar

import click
from tqdm import tqdm

from .config import Options
from .errors import StorybriefError

F = TypeVar("F", bound=Callable[..., Any])


def _options(config: str | None, **overrides) -> Options:
    return Options.from_file(config, **overrides) if config else Options().with_(**overrides)


def _write(text: str, out: str | None) -> None:
    if out:
        try:
            Path(out).write_text(text, encoding="utf-8")
        except OSError as e:
            raise click.ClickException(f"cannot write {click.format_filename(out)}: {e.strerror or e}") from e
        click.echo(f"wrote {click.format_filename(out)}", err=True)
    else:
        click.echo(text, nl=False)


def _check_out(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--out must name a file in a folder that exists: checked before the run, not after it."""
    if value is None:
        return value
    path = Path(value)
    folder = path.parent
    shown = click.format_filename(value)
    if not folder.is_dir():
        raise click.BadParameter(
            f"the folder of {shown} does not exist; create it first", ctx=ctx, param=param
        )
    if path.is_dir():
        raise click.BadParameter(f"{shown} is a folder; give a file name", ctx=ctx, param=param)
    if not os.access(folder, os.W_OK):
        raise click.BadParameter(
            f"cannot write into the folder of {shown} (permission denied)", ctx=ctx, param=param
        )
    return value


def _out_option(help: str = "Write to this file instead of stdout.") -> Callable[[F], F]:
    """``--out FILE``, checked before any work is done (:func:`_check_out`)."""
    return click.option(
        "--out", type=click.Path(dir_okay=False), default=None, callback=_check_out, help=help
    )


def _format_option(*choices: str, help: str = "Output format.") -> Callable[[F], F]:
    """``--format`` (the parameter ``fmt``), the first choice the default."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=choices[0], show_default=True, help=help
    )


class _Progress:
    """One tqdm bar per pipeline stage, on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        self.bars: dict[str, tqdm] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(
                total=total, desc=stage, unit="item", leave=False, disable=None, file=sys.stderr
            )
        if bar.total != total:  # ingest learns its total as feeds are read
            bar.total = total
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except StorybriefError as e:
            raise click.ClickException(_shown(str(e))) from e


def _shown(text: str) -> str:
    """Text for the terminal: bytes of file names that are not UTF-8 shown as U+FFFD, never as a crash."""
    from .sources.base import clean_label

    return clean_label(text)


@click.group(cls=_Group)
@click.version_option(package_name="storybrief")
def main() -> None:
    """storybrief: cited briefings from many outlets' articles on one story.

    Every summary sentence is a real source sentence citing every outlet that
    reports it.  Run `storybrief COMMAND --help` for each command.
    """
    # Rejections are reported once per input by the commands; silence
    # trafilatura's own per-page chatter.
    logging.getLogger("trafilatura").setLevel(logging.ERROR)


def _pile_options(fn, *, paths_required: bool = True):
    """Options shared by every command that reads a pile of articles."""
    decorators = [
        click.argument("paths", nargs=-1, required=paths_required, type=click.Path(path_type=str)),
        _out_option(),
        click.option(
            "--strict",
            is_flag=True,
            default=None,
            help="Fail on the first unreadable input instead of setting it aside.",
        ),
        click.option("--no-cache", "no_cache", is_flag=True, help="Do not read or write the analysis cache."),
        click.option(
            "--outlets",
            "outlets_file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            default=None,
            help="TOML file of outlet display names and labels (region, owner, lean...).",
        ),
        click.option(
            "--config",
            type=click.Path(exists=True, dir_okay=False),
            default=None,
            help="TOML file of options.",
        ),
    ]
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn


def _brief_pile(paths, *, config, no_cache, **overrides):
    """Read, analyse and brief a pile; report what was set aside on stderr."""
    from .pipeline import brief_paths

    options = _options(config, cache=False if no_cache else None, **overrides)
    progress = _Progress()
    try:
        result = brief_paths(paths, options=options, progress=progress)
    finally:
        progress.close()
    for rejection in result.rejections:
        click.echo(f"skipped {rejection}", err=True)
    if not result.briefings:
        raise click.ClickException("no readable article in the input")
    for briefing in result.briefings:
        if not briefing.summary:
            click.echo(
                f"warning: no whole sentence of story {briefing.story_id} fits the {briefing.words}-word "
                "budget, so its summary is empty; raise --words",
                err=True,
            )
    return result


@main.command()
@functools.partial(_pile_options, paths_required=False)
@click.option(
    "--words", type=click.IntRange(min=1), default=None, help="Word budget of each summary [default: 230]."
)
@click.option(
    "--method", default=None, help="Summary method (see `storybrief methods`) [default: storybrief]."
)
@_format_option("md", "json", "html")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Brief stories of this corpus (made by `storybrief ingest`) instead of PATHS.",
)
@click.option(
    "--story", "story_id", default=None, help="With --db: the story to brief (see `storybrief stories`)."
)
@click.option("--since", default=None, help="With --db: every story updated in this window (24h, 7d...).")
def brief(
    paths, out, strict, no_cache, outlets_file, config, words, method, fmt, db_path, story_id, since
) -> None:
    """Brief the stories in PATHS (files, folders, JSONL or Multi-News dumps), or in a corpus (--db).

    Inputs: .txt (optional Title/Outlet/URL/Date header), .html/.htm, .json,
    .jsonl[.gz] and Multi-News .jsonl[.gz]; folders are read recursively.
    Unreadable inputs are listed with their reason and the run goes on.

    With --db, brief one story of the corpus (--story ID) or every story
    updated in a window (--since 24h).  A story's briefing is made again only
    when the story changed; otherwise the stored one is printed.
    """
    if db_path is None:
        if story_id or since:
            raise click.UsageError("--story and --since need --db")
        if not paths:
            raise click.UsageError("Missing argument 'PATHS...' (or give --db)")
        result = _brief_pile(
            paths,
            config=config,
            no_cache=no_cache,
            words=words,
            method=method,
            strict=strict,
            outlets_file=outlets_file,
        )
    else:
        result = _brief_corpus(
            db_path,
            paths=paths,
            story_id=story_id,
            since=since,
            config=config,
            words=words,
            method=method,
            outlets_file=outlets_file,
        )
    from .renderers import render  # after the analysis has started (see pipeline.brief_articles)

    _write(render(result, fmt), out)


def _brief_corpus(db_path, *, paths, story_id, since, config, **overrides):
    from .corpus import Corpus, corpus_briefings
    from .corpus.listing import since_time

    if paths:
        raise click.UsageError("give PATHS or --db, not both")
    if bool(story_id) == bool(since):
        raise click.UsageError("with --db, give --story ID or --since WINDOW")
    options = _options(config, **overrides)
    with Corpus(db_path, create=False) as corpus:
        result = corpus_briefings(corpus, story=story_id, since=since_time(since), options=options)
    if not result.briefings:
        raise click.ClickException(f"no story in {db_path} was updated in the last {since}")
    return result


@main.command()
@_pile_options
@_format_option("md", "json")
def compare(paths, out, strict, no_cache, outlets_file, config, fmt) -> None:
    """Compare outlets story by story: what each reports alone and which widely reported facts it leaves out."""
    from .renderers import render_compare, render_compare_json

    result = _brief_pile(paths, config=config, no_cache=no_cache, strict=strict, outlets_file=outlets_file)
    _write((render_compare if fmt == "md" else render_compare_json)(result), out)


@main.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback exposes the app to your network.",
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on."
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="SQLite file of briefings [default: $STORYBRIEF_DB or ~/.local/share/storybrief/briefings.sqlite]; "
    "a corpus made by `storybrief ingest` adds the Stories page.",
)
@click.option(
    "--config", type=click.Path(exists=True, dir_okay=False), default=None, help="TOML file of options."
)
def serve(host, port, db_path, config) -> None:
    """Run the local web app and HTTP API (open http://127.0.0.1:8000).

    Upload or paste articles, read briefings, and fetch them from /api/
    (schema at /api/openapi.json).  Briefings are kept in a SQLite file.
    """
    from .store import default_store_path
    from .web import serve as run
    from .web.app import is_loopback

    if not is_loopback(host):
        click.echo(
            f"warning: listening on {host}, not loopback: anyone who can reach this address can read and "
            "create briefings, and storybrief has no login",
            err=True,
        )
    run(host=host, port=port, db_path=db_path or default_store_path(), options=_options(config))


@main.command()
@_pile_options
@_format_option("md", "json")
def quotes(paths, out, strict, no_cache, outlets_file, config, fmt) -> None:
    """Who said what: each story's people (with roles) and its quote ledger across outlets.

    Speakers are resolved across outlets ("Mr Corbyn", "the Labour leader",
    "He said:" are one person); statements quoted with different words by
    different outlets are flagged as drift.
    """
    from .renderers import render_quotes, render_quotes_json

    result = _brief_pile(paths, config=config, no_cache=no_cache, strict=strict, outlets_file=outlets_file)
    _write((render_quotes if fmt == "md" else render_quotes_json)(result), out)


@main.command()
def methods() -> None:
    """List the summary methods that --method accepts."""
    from .summarize import available_methods

    for name, cls in available_methods().items():
        click.echo(f"{name:12} {cls.description}")


@main.group(name="eval", cls=_Group)
def eval_() -> None:
    """Measure quality against reference data in ../shared."""


@eval_.command(name="summary")
@click.option(
    "--data",
    required=True,
    help="Glob of Multi-News JSONL files, e.g. '../shared/data/multinews/val.00.jsonl.gz'.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=500, show_default=True, help="Number of clusters."
)
@click.option(
    "--methods", "method_names", default=None, help="Comma-separated methods [default: all registered]."
)
@click.option("--words", type=click.IntRange(min=1), default=230, show_default=True, help="Word budget.")
@click.option(
    "--scorer",
    type=click.Choice(["rouge-score", "rouge-score-rs"]),
    default="rouge-score",
    show_default=True,
    help="ROUGE implementation (rouge-score is Google's reference; -rs is a fast identical port).",
)
@_out_option("Write the JSON results here.")
def eval_summary(data, limit, method_names, words, scorer, out) -> None:
    """ROUGE-1/2/L/Lsum (F1, stemmed) and clusters/s for storybrief and every baseline, side by side."""
    from .evaluate.summary import evaluate_summaries
    from .summarize import available_methods

    names = [m.strip() for m in method_names.split(",")] if method_names else list(available_methods())
    with tqdm(total=limit, desc="clusters", unit="cluster", disable=None, file=sys.stderr) as bar:
        result = evaluate_summaries(
            data, limit=limit, methods=names, words=words, scorer=scorer, progress=bar.update
        )
    click.echo(result.to_table())
    if out:
        from .schema import to_data

        _write(json.dumps(to_data(result), indent=2) + "\n", out)


@eval_.command(name="grouping")
@click.option(
    "--data",
    required=True,
    help="Glob of Multi-News JSONL files, e.g. '../shared/data/multinews/val.0*.jsonl.gz'.",
)
@click.option(
    "--clusters",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    help="Pool the documents of the first N clusters (files in sorted order).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the shuffle of the pool.")
@_format_option("table", "json", help="A table, or one JSON object (b3_precision, b3_recall, b3_f1, ...).")
@click.option(
    "--no-memory",
    "no_memory",
    is_flag=True,
    help="Skip the second, traced run that measures the index's peak memory.",
)
@click.option("--no-cache", "no_cache", is_flag=True, help="Do not read or write the analysis cache.")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write the JSON results here.")
def eval_grouping(data, clusters, seed, fmt, no_memory, no_cache, out) -> None:
    """Story grouping on pooled, shuffled Multi-News clusters: B-cubed P/R/F1, stories found against
    gold clusters, articles/s of grouping alone (analysis excluded) and the index's peak memory.

    Documents flagged irrelevant (llm_flagged_irrelevant_doc_indices) and documents under 20 words
    are left out of the pool.
    """
    from .config import Options
    from .evaluate.grouping import evaluate_grouping

    with tqdm(desc="analyse", unit="article", disable=None, file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        result = evaluate_grouping(
            data,
            clusters=clusters,
            seed=seed,
            options=Options(cache=not no_cache),
            memory=not no_memory,
            progress=progress,
        )
    from .schema import to_data

    click.echo(json.dumps(to_data(result)) + "\n" if fmt == "json" else result.to_table(), nl=False)
    if out:
        Path(out).write_text(json.dumps(to_data(result), indent=2) + "\n", encoding="utf-8")
        click.echo(f"wrote {out}", err=True)


@eval_.command(name="quotes")
@click.option(
    "--data",
    required=True,
    help="PolNeAR or GGT JSONL file or glob (the format is detected), e.g. '../shared/data/ggt/ggt_dev.jsonl.gz'.",
)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Number of annotated articles [default: all]."
)
@click.option("--no-cache", "no_cache", is_flag=True, help="Do not read or write the analysis cache.")
@_out_option("Write the JSON results here.")
def eval_quotes(data, limit, no_cache, out) -> None:
    """Quote attribution P/R/F1 at overlap 0.3 and 0.8 and speaker accuracy, for quoted, indirect and all."""
    from .config import Options
    from .evaluate.quotes import evaluate_quotes

    with tqdm(desc="articles", unit="article", disable=None, file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        result = evaluate_quotes(data, limit=limit, options=Options(cache=not no_cache), progress=progress)
    click.echo(result.to_text())
    if out:
        from .schema import to_data

        _write(json.dumps(to_data(result), indent=2) + "\n", out)


# following the news: the corpus -----------------------------------------------------------------------
_fetch_options = [
    click.option(
        "--db",
        "db_path",
        required=True,
        type=click.Path(dir_okay=False),
        help="The corpus: a SQLite file, made if missing.",
    ),
    click.option(
        "--allow-host",
        "allow_hosts",
        multiple=True,
        metavar="HOST",
        help="Let this host past the SSRF guard even if it resolves to a private or loopback address "
        "(for local testing and intranets; repeatable).",
    ),
    click.option(
        "--config", type=click.Path(exists=True, dir_okay=False), default=None, help="TOML file of options."
    ),
]


def _with(decorators):
    def apply(fn):
        for decorator in reversed(decorators):
            fn = decorator(fn)
        return fn

    return apply


class _Interrupt:
    """Ctrl-C once: finish storing what was already fetched, then stop.  Twice: stop at once."""

    def __init__(self) -> None:
        self.stop = threading.Event()

    def __enter__(self) -> threading.Event:
        self.previous = signal.signal(signal.SIGINT, self._handle)
        return self.stop

    def _handle(self, signum, frame) -> None:
        if self.stop.is_set():
            raise KeyboardInterrupt
        self.stop.set()
        click.echo("\nstopping: storing what was already fetched (Ctrl-C again to quit at once)", err=True)

    def __exit__(self, *exc) -> None:
        signal.signal(signal.SIGINT, self.previous)


def _report(report) -> None:
    for failure in report.failures:
        click.echo(f"skipped {failure}", err=True)
    click.echo(report.summary(), err=True)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@_with(_fetch_options)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Analyse on a local Dask cluster of N worker processes (needs storybrief[dask]).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="tcp://HOST:PORT",
    help="Analyse on the workers of a running Dask cluster (see the README: running across machines).",
)
def ingest(sources, db_path, allow_hosts, config, workers, scheduler) -> None:
    """Add articles to a corpus: files, folders, JSONL dumps, article URLs, RSS/Atom feeds (URL or file) and OPML lists.

    Each article is stored once (judged by canonical URL and by content hash)
    with its analysis and its story; ingesting the same sources again changes
    nothing, and a run that was killed can simply be run again.  URLs are
    fetched politely (robots.txt, crawl-delay, 2 connections per host) and only
    from public addresses: --allow-host lets a named host through.  Sources
    that fail are listed with their reason and the run goes on.
    """
    from .corpus import ingest as run

    if workers is not None and scheduler is not None:
        raise click.UsageError("give --workers or --scheduler, not both")
    options = _options(config, allow_hosts=tuple(allow_hosts) or None)
    progress = _Progress()
    try:
        with _Interrupt() as stop:
            report = run(
                sources,
                db=db_path,
                options=options,
                progress=progress,
                stop=stop,
                workers=workers,
                scheduler=scheduler,
            )
    except KeyboardInterrupt:
        progress.close()
        raise click.ClickException("stopped; every article stored before now is kept") from None
    finally:
        progress.close()
    _report(report)
    if report.failures and not report.added and not report.known:
        raise click.ClickException("nothing could be ingested")


@main.command()
@click.argument("feeds", nargs=-1, required=True)
@_with(_fetch_options)
@click.option("--every", default="15m", show_default=True, help="Time between polls: 90s, 15m, 1h...")
@click.option("--once", is_flag=True, help="Poll once and exit.")
def watch(feeds, db_path, allow_hosts, config, every, once) -> None:
    """Poll FEEDS (RSS/Atom URLs or OPML lists) and ingest new items into the corpus as they appear.

    Feeds are asked with conditional GET (ETag, Last-Modified), so an
    unchanged feed costs one small request.  Stories grow as items arrive.
    Ctrl-C stops after storing what was already fetched.
    """
    from datetime import datetime

    from .corpus import parse_duration
    from .corpus import watch as run

    seconds = parse_duration(every)
    options = _options(config, allow_hosts=tuple(allow_hosts) or None)

    def on_poll(report) -> None:
        click.echo(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC: ", err=True, nl=False)
        _report(report)

    try:
        with _Interrupt() as stop:
            run(feeds, db=db_path, every=seconds, once=once, options=options, stop=stop, on_poll=on_poll)
    except KeyboardInterrupt:
        raise click.ClickException("stopped; every article stored before now is kept") from None
    if stop.is_set():
        click.echo("stopped", err=True)


@main.command()
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="The corpus to read.")
@click.option("--since", default=None, help="Only stories updated in this window (24h, 7d...).")
@_format_option("md", "json")
@_out_option()
def stories(db_path, since, fmt, out) -> None:
    """List the corpus's living stories, most recently updated first: id, headline, articles, outlets, first and last seen."""
    from .corpus import Corpus, stories_json, stories_markdown
    from .corpus.listing import since_time

    with Corpus(db_path, create=False) as corpus:
        text = (stories_json if fmt == "json" else stories_markdown)(corpus, since=since_time(since))
    _write(text, out)


if __name__ == "__main__":
    main()
