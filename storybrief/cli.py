"""The storybrief command line: thin commands over the library."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click
from tqdm import tqdm

from .config import Options
from .errors import StorybriefError


def _options(config: str | None, **overrides) -> Options:
    return Options.from_file(config, **overrides) if config else Options().with_(**overrides)


def _write(text: str, out: str | None) -> None:
    if out:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


class _Progress:
    """One tqdm bar per pipeline stage, on stderr, shown only on a terminal."""

    def __init__(self) -> None:
        self.bars: dict[str, tqdm] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=stage, unit="item", leave=False, disable=None, file=sys.stderr)
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


class _Group(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except StorybriefError as e:
            raise click.ClickException(str(e)) from e


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


def _pile_options(fn):
    """Options shared by every command that reads a pile of articles."""
    decorators = [
        click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str)),
        click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write to this file instead of stdout."),
        click.option("--strict", is_flag=True, default=None, help="Fail on the first unreadable input instead of setting it aside."),
        click.option("--no-cache", "no_cache", is_flag=True, help="Do not read or write the analysis cache."),
        click.option("--outlets", "outlets_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
                     help="TOML file of outlet display names and labels (region, owner, lean...)."),
        click.option("--config", type=click.Path(exists=True, dir_okay=False), default=None, help="TOML file of options."),
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
    return result


@main.command()
@_pile_options
@click.option("--words", type=click.IntRange(min=1), default=None, help="Word budget of each summary [default: 230].")
@click.option("--method", default=None, help="Summary method (see `storybrief methods`) [default: storybrief].")
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True, help="Output format.")
def brief(paths, out, strict, no_cache, outlets_file, config, words, method, fmt) -> None:
    """Brief the stories in PATHS (files, folders, JSONL or Multi-News dumps).

    Inputs: .txt (optional Title/Outlet/URL/Date header), .html/.htm, .json,
    .jsonl[.gz] and Multi-News .jsonl[.gz]; folders are read recursively.
    Unreadable inputs are listed with their reason and the run goes on.
    """
    from .renderers import render

    result = _brief_pile(paths, config=config, no_cache=no_cache, words=words, method=method, strict=strict,
                         outlets_file=outlets_file)
    _write(render(result, fmt), out)


@main.command()
@_pile_options
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True, help="Output format.")
def compare(paths, out, strict, no_cache, outlets_file, config, fmt) -> None:
    """Compare outlets story by story: what each reports alone and which widely reported facts it leaves out."""
    from .renderers import render_compare, render_compare_json

    result = _brief_pile(paths, config=config, no_cache=no_cache, strict=strict, outlets_file=outlets_file)
    _write((render_compare if fmt == "md" else render_compare_json)(result), out)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback exposes the app to your network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False), default=None,
              help="SQLite file of briefings [default: $STORYBRIEF_DB or ~/.local/share/storybrief/briefings.sqlite].")
@click.option("--config", type=click.Path(exists=True, dir_okay=False), default=None, help="TOML file of options.")
def serve(host, port, db_path, config) -> None:
    """Run the local web app and HTTP API (open http://127.0.0.1:8000).

    Upload or paste articles, read briefings, and fetch them from /api/
    (schema at /api/openapi.json).  Briefings are kept in a SQLite file.
    """
    from .store import default_store_path
    from .web import serve as run
    from .web.app import is_loopback

    if not is_loopback(host):
        click.echo(f"warning: listening on {host}, not loopback: anyone who can reach this address can read and "
                   "create briefings, and storybrief has no login", err=True)
    run(host=host, port=port, db_path=db_path or default_store_path(), options=_options(config))


@main.command()
@_pile_options
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True, help="Output format.")
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
@click.option("--data", required=True, help="Glob of Multi-News JSONL files, e.g. '../shared/data/multinews/val.00.jsonl.gz'.")
@click.option("--limit", type=click.IntRange(min=1), default=500, show_default=True, help="Number of clusters.")
@click.option("--methods", "method_names", default=None, help="Comma-separated methods [default: all registered].")
@click.option("--words", type=click.IntRange(min=1), default=230, show_default=True, help="Word budget.")
@click.option("--scorer", type=click.Choice(["rouge-score", "rouge-score-rs"]), default="rouge-score", show_default=True,
              help="ROUGE implementation (rouge-score is Google's reference; -rs is a fast identical port).")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write the JSON results here.")
def eval_summary(data, limit, method_names, words, scorer, out) -> None:
    """ROUGE-1/2/L/Lsum (F1, stemmed) and clusters/s for storybrief and every baseline, side by side."""
    from .evaluate.summary import evaluate_summaries
    from .summarize import available_methods

    names = [m.strip() for m in method_names.split(",")] if method_names else list(available_methods())
    with tqdm(total=limit, desc="clusters", unit="cluster", disable=None, file=sys.stderr) as bar:
        result = evaluate_summaries(data, limit=limit, methods=names, words=words, scorer=scorer,
                                    progress=lambda n=1: bar.update(n))
    click.echo(result.to_table())
    if out:
        Path(out).write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
        click.echo(f"wrote {out}", err=True)



@eval_.command(name="grouping")
@click.option("--data", required=True, help="Glob of Multi-News JSONL files, e.g. '../shared/data/multinews/val.0*.jsonl.gz'.")
@click.option("--clusters", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Pool the documents of the first N clusters (files in sorted order).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the shuffle of the pool.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="A table, or one JSON object (b3_precision, b3_recall, b3_f1, ...).")
@click.option("--no-memory", "no_memory", is_flag=True, help="Skip the second, traced run that measures the index's peak memory.")
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

        result = evaluate_grouping(data, clusters=clusters, seed=seed, options=Options(cache=not no_cache),
                                   memory=not no_memory, progress=progress)
    click.echo(json.dumps(result.to_dict()) + "\n" if fmt == "json" else result.to_table(), nl=False)
    if out:
        Path(out).write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
        click.echo(f"wrote {out}", err=True)


@eval_.command(name="quotes")
@click.option("--data", required=True, help="PolNeAR JSONL file or glob, e.g. '../shared/data/polnear/polnear_dev.jsonl.gz'.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Number of annotated articles [default: all].")
@click.option("--no-cache", "no_cache", is_flag=True, help="Do not read or write the analysis cache.")
@click.option("--out", type=click.Path(dir_okay=False), default=None, help="Write the JSON results here.")
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
        Path(out).write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
        click.echo(f"wrote {out}", err=True)

if __name__ == "__main__":
    main()
