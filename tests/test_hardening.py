"""Hostile and unlucky inputs (issue 16): each finding of the review, and the class it stands for.

Every test here failed on the code the review ran against; the fix is for the
class (every reader, every cache, every user string), not just the example.
Fixtures are invented text; nothing is mocked.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from conftest import ROOT
from live_server import EXAMPLE_ARTICLES, ThreadServer, web_options
from markdown_it import MarkdownIt

from storybrief.analysis import AnalysisCache, analyze_article, analyze_articles
from storybrief.analysis.chunks import MAX_PARAGRAPH_CHARS, MAX_SENT_CHARS, bound_spans, ner_chunks
from storybrief.articles import Article
from storybrief.cli import main
from storybrief.config import Options
from storybrief.errors import ConfigError, RequestError, TooManyArticles
from storybrief.language.sentences import split_sentences
from storybrief.pipeline import brief_articles
from storybrief.renderers.markdown import render_markdown
from storybrief.sources import read_file, read_sources
from storybrief.web import WebLimits, create_app
from storybrief.web.intake import intake_json
from storybrief.web.workers import WorkPool

PARAGRAPH = (
    "The harbour council met on Tuesday to discuss the warehouse fire. Mayor Ann Ferris said the quay "
    "would reopen within a month, and the fire service thanked residents for their patience."
)


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


def run_cli(*args: object, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


@pytest.fixture(scope="module")
def quiet_server(tmp_path_factory):
    """A real server that never loads the NLP model: for requests that must be refused before any NLP."""
    folder = tmp_path_factory.mktemp("hardening-web")
    app = create_app(folder / "briefings.sqlite", options=web_options(folder), warm_up=False)
    with ThreadServer(app) as running:
        yield running


# 1. an article over spaCy's 1,000,000-character limit ---------------------------------------------
def test_article_over_a_million_characters_is_analysed_in_bounded_chunks():
    # Long made-up words keep the token count (and so NER's time) small while the text passes 1 MB.
    filler = " ".join(["Quayside" + "x" * 40] * 60) + "."
    paragraphs = [PARAGRAPH] + [filler] * 360 + [PARAGRAPH.replace("Ann Ferris", "Tobias Quell")]
    text = "\n\n".join(paragraphs)
    assert len(text) > 1_000_000
    analysis = analyze_article(Article(text=text, outlet="Quay Post"))
    names = {text[e.start : e.end] for e in analysis.entities if e.label == "PERSON"}
    assert {"Ann Ferris", "Tobias Quell"} <= names  # the last one found in the last chunk, at article offsets
    assert all(e - s <= MAX_SENT_CHARS for s, e in analysis.sents)
    assert all(
        len(chunk) and e - s <= 50_000 for chunk in [ner_chunks(text, analysis.paragraphs)] for s, e in chunk
    )


def test_bounding_leaves_normal_articles_exactly_as_they_were():
    for path in EXAMPLE_ARTICLES:
        text = read_file(path).articles[0].text
        sents, para_of, paragraphs = split_sentences(text)
        assert bound_spans(text, sents, para_of, paragraphs) == (sents, para_of, paragraphs)
        assert ner_chunks(text, paragraphs) == [(0, len(text))]


def test_an_article_over_the_per_article_cap_is_set_aside_by_name(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text((PARAGRAPH + "\n\n") * 20, encoding="utf-8")
    result = read_sources([path], options=Options(max_article_chars=1_000))
    (rejection,) = result.rejections
    assert rejection.reason == "too-large" and "max_article_chars" in rejection.detail


def test_an_article_with_too_many_sentences_for_the_story_stage_is_set_aside(tmp_path):
    path = tmp_path / "many.txt"
    path.write_text(" ".join(f"Crew {i} left." for i in range(3_000)), encoding="utf-8")
    (rejection,) = read_sources([path]).rejections
    assert rejection.reason == "too-large" and "about 3,000 sentences" in rejection.detail
    assert "max_article_sentences" in rejection.detail


def test_a_request_over_its_text_budget_sets_the_rest_aside():
    limits = WebLimits(max_request_chars=1_000)
    payload = {"articles": [{"text": PARAGRAPH * 3, "outlet": f"Outlet {i}"} for i in range(3)]}
    intake = intake_json(payload, options=Options(), limits=limits)
    assert len(intake.articles) == 1
    assert [r.reason for r in intake.rejections] == ["too-large", "too-large"]
    assert "max_request_chars" in intake.rejections[0].detail
    limits = WebLimits(max_request_sentences=5)
    intake = intake_json(payload, options=Options(), limits=limits)
    assert len(intake.articles) == 1 and "max_request_sentences" in intake.rejections[0].detail


# 2. deeply nested JSON ------------------------------------------------------------------------------
def test_deeply_nested_json_is_a_named_rejection_in_every_reader(tmp_path):
    record = json.dumps({"text": PARAGRAPH, "outlet": "Quay Post"})
    (tmp_path / "whole.json").write_text(deep(100_000), encoding="utf-8")
    (tmp_path / "field.json").write_text(f'{{"text": "x", "extra": {deep(100_000)}}}', encoding="utf-8")
    (tmp_path / "lines.jsonl").write_text(f"{record}\n{deep(100_000)}\n{record}\n", encoding="utf-8")
    (tmp_path / "lines.jsonl.gz").write_bytes(gzip.compress(f'{record}\n{{"a":{deep(100_000)}}}\n'.encode()))
    result = read_sources([tmp_path], options=Options())
    assert len(result.articles) == 3  # the good lines around the bad ones
    by_source = {Path(r.source).name: r for r in result.rejections}
    assert set(by_source) == {"whole.json", "field.json", "lines.jsonl:2", "lines.jsonl.gz:2"}
    for rejection in by_source.values():
        assert rejection.reason == "malformed" and "nested more than 64 levels" in rejection.detail


def test_api_sets_a_deeply_nested_upload_aside_instead_of_failing(quiet_server):
    files = {"files": ("deep.json", deep(100_000).encode(), "application/json")}
    response = httpx.post(f"{quiet_server.url}/api/briefings", files=files, timeout=30)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "no-article" and "upload deep.json: malformed" in error["message"]
    body = httpx.post(
        f"{quiet_server.url}/api/briefings",
        content=f'{{"articles": {deep(100_000)}}}',
        headers={"content-type": "application/json"},
        timeout=30,
    )
    assert body.status_code == 400 and body.json()["error"]["code"] == "bad-json"


# 3. decompression bombs, caps while reading, and the worker pool -----------------------------------
def bomb(path: Path, *, megabytes: int) -> Path:
    """A .jsonl.gz of valid records that inflates about 1000:1."""
    line = json.dumps({"text": "fire " * 2_000, "outlet": "Bomb"}).encode() + b"\n"
    with gzip.open(path, "wb", compresslevel=9) as fh:
        for _ in range(megabytes * 1_000_000 // len(line)):
            fh.write(line)
    return path


def test_a_decompression_bomb_is_refused_while_it_is_read(tmp_path):
    path = bomb(tmp_path / "bomb.jsonl.gz", megabytes=300)
    assert path.stat().st_size < 2_000_000
    tracemalloc.start()
    try:
        result = read_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [r.reason for r in result.rejections] == ["too-large"]
    assert "max_compression_ratio" in result.rejections[0].detail
    assert len(result.articles) < 200 and peak < 50_000_000


def test_decompressed_bytes_are_capped_even_at_an_honest_ratio(tmp_path):
    lines = [json.dumps({"text": f"{PARAGRAPH} Item {i}.", "outlet": "Quay Post"}) for i in range(300)]
    path = tmp_path / "many.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    result = read_file(path, options=Options(max_decompressed_bytes=20_000))
    assert (
        result.rejections[-1].reason == "too-large"
        and "max_decompressed_bytes" in result.rejections[-1].detail
    )
    assert len(result.articles) < 300


def test_the_article_cap_is_checked_while_reading(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"{PARAGRAPH} {i}", "outlet": "Q"}) for i in range(50)))
    with pytest.raises(TooManyArticles) as caught:
        read_sources([path], options=Options(max_articles=10))
    assert caught.value.limit == 10 and "max_articles" in str(caught.value)


def test_api_refuses_uploaded_bombs_by_name(quiet_server, tmp_path):
    records = bomb(tmp_path / "records.jsonl.gz", megabytes=300)  # more articles than a request may hold
    line = tmp_path / "line.jsonl.gz"  # one endless line
    with gzip.open(line, "wb", compresslevel=9) as fh:
        for _ in range(300):
            fh.write(b" " * 1_000_000)
    files = {"files": ("records.jsonl.gz", records.read_bytes(), "application/gzip")}
    response = httpx.post(f"{quiet_server.url}/api/briefings", files=files, timeout=60)
    assert response.status_code == 422 and response.json()["error"]["code"] == "too-many-articles"
    files = {"files": ("line.jsonl.gz", line.read_bytes(), "application/gzip")}
    response = httpx.post(f"{quiet_server.url}/api/briefings", files=files, timeout=60)
    assert response.status_code == 422, response.text
    assert "line.jsonl.gz: too-large" in response.text and "max_compression_ratio" in response.text


async def _hold(pool: WorkPool, release: threading.Event):
    return await pool.run(release.wait, 30)


def test_a_full_work_pool_answers_503_with_retry_after():
    import asyncio

    async def scenario():
        pool = WorkPool("briefing", workers=1, queue=1, retry_after=7)
        release = threading.Event()
        running = [asyncio.create_task(_hold(pool, release)) for _ in range(2)]
        await asyncio.sleep(0.05)
        with pytest.raises(RequestError) as caught:
            await pool.run(time.sleep, 0)
        release.set()
        assert all(await asyncio.gather(*running))
        await pool.run(time.sleep, 0)  # room again once the line has moved
        pool.shutdown()
        return caught.value

    error = asyncio.run(scenario())
    assert (error.status, error.code, error.retry_after) == (503, "busy", 7)


def test_server_answers_503_when_busy_and_stays_responsive(tmp_path):
    limits = WebLimits(briefing_workers=1, briefing_queue=0)
    app = create_app(tmp_path / "b.sqlite", options=web_options(tmp_path).with_(cache=False), limits=limits)
    articles = [
        {"text": PARAGRAPH * 8 + f" Report {i}.", "outlet": f"Outlet {i}", "title": "Quay fire"}
        for i in range(12)
    ]
    with ThreadServer(app) as server:
        first: dict = {}
        thread = threading.Thread(
            target=lambda: first.update(
                r=httpx.post(f"{server.url}/api/briefings", json={"articles": articles}, timeout=300)
            )
        )
        thread.start()
        deadline = time.monotonic() + 60
        while app.briefers.admitted == 0 and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
        busy = httpx.post(f"{server.url}/api/briefings", json={"articles": articles[:2]}, timeout=30)
        health = httpx.get(f"{server.url}/api/health", timeout=5)
        thread.join()
    assert first["r"].status_code == 201, first["r"].text
    assert busy.status_code == 503 and busy.headers["retry-after"].isdigit()
    assert busy.json()["error"]["code"] == "busy"
    assert health.status_code == 200


# 4. Markdown injection ------------------------------------------------------------------------------
class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


HOSTILE_URLS = [
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://ok.example/a>\n<script>alert(2)</script>",
    "https://ok.example/x)\n\n# Injected",
    "https://ok.example/<img src=x onerror=alert(3)>",
    "vbscript:msgbox(1)",
]


def test_markdown_output_carries_no_input_html_and_only_http_links(tmp_path):
    base = [a for a in read_sources(EXAMPLE_ARTICLES[:6]).articles]
    hostile = []
    for i, (article, url) in enumerate(zip(base, HOSTILE_URLS)):
        hostile.append(
            article.with_(
                url=url,
                id="",
                title=f"<script>alert({i})</script> `code` [link](javascript:x) <b>bold</b>\n# heading",
                outlet=f"<img src=x onerror=alert({i})>| table | Outlet {i}",
                text=article.text.replace("fire", "fire <iframe src=//evil.example></iframe> &lt;b&gt;", 1),
            )
        )
    result = brief_articles(hostile, options=Options(cache_path=tmp_path / "c.sqlite"))
    md = render_markdown(result)
    html = MarkdownIt("commonmark").render(md)
    parser = _Tags()
    parser.feed(html)
    allowed = {"h1", "h2", "h3", "p", "ul", "ol", "li", "em", "strong", "a", "code", "hr", "blockquote"}
    assert {tag for tag, _ in parser.tags} <= allowed, {tag for tag, _ in parser.tags} - allowed
    hrefs = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert all(href.startswith(("http://", "https://")) for href in hrefs), hrefs
    assert any(href.startswith("https://ok.example/") for href in hrefs)  # https links are kept, encoded
    assert "<script" not in html and "<iframe" not in html and "<img" not in html
    assert "&lt;script&gt;alert(0)&lt;/script&gt;" in html  # shown as text, not dropped


# 5. caches that heal ----------------------------------------------------------------------------------
def _cache_with_rows(path: Path) -> list[str]:
    articles = [Article(text=f"{PARAGRAPH} Number {i}.", outlet="Q") for i in range(3)]
    analyze_articles(articles, options=Options(cache_path=path, ner=False))
    return [a.content_hash for a in articles]


def test_random_bytes_over_the_cache_are_moved_aside_and_rebuilt(tmp_path, caplog):
    path = tmp_path / "analysis.sqlite"
    _cache_with_rows(path)
    path.write_bytes(os.urandom(50_000))
    with caplog.at_level("WARNING", logger="storybrief"):
        hashes = _cache_with_rows(path)  # this run works
    assert len([r for r in caplog.records if "moved it to" in r.getMessage()]) == 1
    assert list(tmp_path.glob("analysis.sqlite.corrupt-*"))
    with AnalysisCache(path) as cache:  # and so do later ones
        assert len(cache.get_many(hashes, ner=False)) == 3


def test_damaged_pages_are_a_warning_not_a_traceback(tmp_path):
    path = tmp_path / "analysis.sqlite"
    articles = [Article(text=f"{PARAGRAPH * 20} Number {i}.", outlet="Q") for i in range(40)]
    analyze_articles(articles, options=Options(cache_path=path, ner=False))
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    assert len(data) > 5 * 4096
    data[2 * 4096 : 4 * 4096] = os.urandom(2 * 4096)
    path.write_bytes(bytes(data))
    again = analyze_articles(articles, options=Options(cache_path=path, ner=False))
    assert [a.analysis.sents for a in again] and len(again) == 40


def test_a_bad_row_is_a_cache_miss(tmp_path):
    path = tmp_path / "analysis.sqlite"
    hashes = _cache_with_rows(path)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE analysis SET data = 'not json' WHERE content_hash = ?", (hashes[0],))
        db.execute("UPDATE analysis SET data = '{\"content_hash\": 1}' WHERE content_hash = ?", (hashes[1],))
        row = json.loads(
            db.execute("SELECT data FROM analysis WHERE content_hash = ?", (hashes[2],)).fetchone()[0]
        )
        row["sents"] = [[0, 10_000_000]]
        db.execute("UPDATE analysis SET data = ? WHERE content_hash = ?", (json.dumps(row), hashes[2]))
    with AnalysisCache(path) as cache:
        assert set(cache.get_many(hashes, ner=False)) == {
            hashes[2]
        }  # spans are checked against the text later
    articles = [Article(text=f"{PARAGRAPH} Number {i}.", outlet="Q") for i in range(3)]
    analysed = analyze_articles(articles, options=Options(cache_path=path, ner=False))
    assert all(e <= len(a.article.text) for a in analysed for _, e in a.analysis.sents)


def test_a_foreign_schema_is_moved_aside(tmp_path):
    path = tmp_path / "analysis.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE analysis (key TEXT, value BLOB)")
        db.execute("INSERT INTO analysis VALUES ('a', 'b')")
    hashes = _cache_with_rows(path)
    with AnalysisCache(path) as cache:
        assert len(cache.get_many(hashes, ner=False)) == 3
    assert list(tmp_path.glob("analysis.sqlite.corrupt-*"))


@pytest.mark.slow
def test_a_damaged_embedding_graph_is_rebuilt(tmp_path, monkeypatch):
    from storybrief.analysis import embeddings

    monkeypatch.setenv("STORYBRIEF_CACHE_DIR", str(tmp_path))
    first = embeddings.Encoder()
    vector = first(["The harbour fire is out."])
    (graph,) = tmp_path.rglob("*.onnx")
    graph.write_bytes(graph.read_bytes()[:1000])  # truncated: onnxruntime would say InvalidProtobuf forever
    again = embeddings.Encoder()
    assert abs(float((again(["The harbour fire is out."]) * vector).sum()) - 1.0) < 1e-4
    assert graph.stat().st_size > 1000 and embeddings._verified(graph)


# 6. file names that are not UTF-8 -----------------------------------------------------------------------
@pytest.mark.slow
def test_non_utf8_file_names_are_shown_with_replacement_characters(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i, path in enumerate(EXAMPLE_ARTICLES[:3]):
        name = os.fsencode(folder) + b"/caf\xe9-\xff" + str(i).encode() + b".txt"
        with open(name, "wb") as fh:
            # no outlet and no URL: the file's name is what names the outlet
            fh.write(
                b"\n".join(
                    line
                    for line in path.read_bytes().split(b"\n")
                    if not line.startswith((b"Outlet:", b"URL:"))
                )
            )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "STORYBRIEF_CACHE_DIR": str(tmp_path / "cache"),
        "LC_ALL": "C.UTF-8",
    }
    out = tmp_path / "out.md"
    for args in (["--out", str(out)], []):
        done = subprocess.run(
            [sys.executable, "-m", "storybrief.cli", "brief", str(folder), *args],
            capture_output=True,
            env=env,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        done.stdout.decode("utf-8")  # valid UTF-8, or this raises
        done.stderr.decode("utf-8")
    text = out.read_text(encoding="utf-8")
    assert "caf\ufffd-\ufffd0.txt" in text


def test_bidi_and_control_characters_never_reach_outlet_names(tmp_path):
    path = tmp_path / "news\u202etxt.exe\u200f\x07.txt"
    path.write_text("\n\n".join([PARAGRAPH] * 3), encoding="utf-8")
    (article,) = read_file(path).articles
    assert article.display_outlet == "unknown outlet (news txt.exe .txt)"
    record = {"text": PARAGRAPH, "outlet": "Quay\u202e Post\u2066", "title": "Fire\x1b[31m on the quay"}
    (tmp_path / "r.json").write_text(json.dumps(record), encoding="utf-8")
    (article,) = read_file(tmp_path / "r.json").articles
    assert (article.outlet, article.title) == ("Quay Post", "Fire [31m on the quay")


# 7. other crashes ---------------------------------------------------------------------------------------
def test_out_into_a_missing_folder_fails_before_the_run(tmp_path):
    result = run_cli("brief", EXAMPLE_ARTICLES[0], "--out", tmp_path / "missing" / "x.md")
    assert result.exit_code == 2 and "does not exist" in result.output
    assert "skipped" not in result.output and not (tmp_path / "missing").exists()


@pytest.mark.parametrize(
    "line, key",
    [
        ('words = "abc"', "words"),
        ("cache_path = 5", "cache_path"),
        ("max_file_bytes = -1", "max_file_bytes"),
        ("ner = 3", "ner"),
        ("story_threshold = true", "story_threshold"),
    ],
)
def test_bad_config_values_are_named_when_the_config_loads(tmp_path, line, key):
    config = tmp_path / "c.toml"
    config.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Options.from_file(config)
    assert key in str(caught.value) and str(config) in str(caught.value)
    result = run_cli("brief", EXAMPLE_ARTICLES[0], "--config", config)
    assert result.exit_code == 1 and key in result.output and "Traceback" not in result.output


def test_eval_summary_on_a_corrupt_gz_is_a_named_error(tmp_path):
    lines = [
        json.dumps({"id": str(i), "summary": os.urandom(40).hex(), "documents": [os.urandom(60).hex()]})
        for i in range(300)
    ]
    good = gzip.compress("\n".join(lines).encode())
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(good[:2_000] + os.urandom(3_000) + good[5_000:])
    result = run_cli("eval", "summary", "--data", path, "--methods", "lead", "--limit", 300)
    assert result.exit_code == 1 and str(path) in result.output and "Multi-News" in result.output


# 8. heavy inputs ------------------------------------------------------------------------------------------
def test_a_200000_word_sentence_is_analysed_in_bounded_pieces():
    words = "the council said the harbour fire crews would meet residents again after the blaze ".split()
    text = " ".join(words[i % len(words)] for i in range(200_000)) + "."
    sents, _para_of, paragraphs = bound_spans(text, *split_sentences(text))
    assert all(e - s <= MAX_SENT_CHARS for s, e in sents)
    assert all(e - s <= MAX_PARAGRAPH_CHARS for s, e in paragraphs)
    assert sents[0][0] == 0 and sents[-1][1] == len(text)
    assert all(
        text[e:s2].isspace() for (_, e), (s2, _) in itertools.pairwise(sents)
    )  # nothing lost between pieces
    analysis = analyze_article(Article(text=" ".join(text.split()[:20_000]) + "."), ner=False)
    assert len(analysis.sents) >= 60


# 9. smaller faults ----------------------------------------------------------------------------------------
def test_a_one_word_budget_says_so_instead_of_printing_nothing(tmp_path):
    result = run_cli("brief", *EXAMPLE_ARTICLES[:3], "--words", 1, "--no-cache")
    assert result.exit_code == 0
    assert "fits the 1-word budget" in result.output
    assert "raise --words" in result.stderr


def test_a_byline_is_never_a_headline(tmp_path):
    for byline in ("By Ann Ferris", "BY ANN FERRIS, Political Editor", "Words by Tobias Quell"):
        path = tmp_path / "a.txt"
        path.write_text(f"{byline}\n\n{PARAGRAPH}\n\n{PARAGRAPH}\n", encoding="utf-8")
        (article,) = read_file(path).articles
        assert article.title == "" and article.text.startswith(byline)


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:8765@evil.example",
        "127.0.0.1@evil.example",
        "evil.example#127.0.0.1",
        "127.0.0.1:80:81",
        "127.0.0.1:abc",
        "[::1]x",
    ],
)
def test_malformed_host_headers_are_refused(quiet_server, host):
    response = httpx.get(f"{quiet_server.url}/api/health", headers={"host": host})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad-host"


def test_well_formed_loopback_hosts_are_served(quiet_server):
    for host in ("127.0.0.1", f"127.0.0.1:{quiet_server.port}", "localhost", "LOCALHOST:1", "[::1]:8000"):
        assert httpx.get(f"{quiet_server.url}/api/health", headers={"host": host}).status_code == 200, host
