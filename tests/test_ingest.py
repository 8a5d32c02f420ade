"""`storybrief ingest`, `watch`, `stories` and `brief --db` against a real HTTP server on 127.0.0.1.

The server (tests/feed_server.py) serves invented outlets' pages and feeds.  The corpus is a real
SQLite file in a temp folder; the SIGKILL and Ctrl-C tests run the real command in a subprocess.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from feed_server import FeedServer, conditional, example_site, invented_site, page_html, redirect, rss

from storybrief.cli import main
from storybrief.corpus import Corpus

ALLOW = ["--allow-host", "127.0.0.1"]


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + (result.stderr or "")
    if ok:
        assert result.exit_code == 0, result.output
    return result


def snapshot(db: Path) -> dict:
    with Corpus(db, create=False) as corpus:
        return corpus.snapshot()


@pytest.fixture()
def example_server():
    with FeedServer(example_site()) as server:
        yield server


def test_ingest_an_opml_list_of_rss_and_atom_feeds_and_list_the_stories(tmp_path, example_server):
    db = tmp_path / "corpus.sqlite"
    result = run("ingest", example_server.url + "/feeds.opml", "--db", str(db), *ALLOW)
    assert "added 7 article(s) to 2 story(ies)" in result.stderr
    listing = json.loads(run("stories", "--db", str(db), "--format", "json").stdout)
    stories = listing["stories"]
    assert sorted(len(s["articles"]) for s in stories) == [1, 6]
    fire = next(s for s in stories if len(s["articles"]) == 6)
    assert fire["id"].startswith("s-") and len(fire["outlets"]) == 5
    first = fire["articles"][0]
    assert set(first) == {"id", "outlet", "title", "url", "published"}
    assert first["url"].startswith(example_server.url + "/news/") and first["published"].startswith(
        "2026-03-1"
    )
    markdown = run("stories", "--db", str(db)).stdout
    assert fire["id"] in markdown and "Kellhaven" in markdown


def test_ingesting_the_same_sources_twice_changes_nothing(tmp_path, example_server):
    db = tmp_path / "corpus.sqlite"
    run(
        "ingest",
        example_server.url + "/courier.rss",
        example_server.url + "/cpa.atom",
        "--db",
        str(db),
        *ALLOW,
    )
    before = snapshot(db)
    pages_fetched = sum(1 for path, _ in example_server.site.log if path.startswith("/news/"))
    result = run(
        "ingest",
        example_server.url + "/courier.rss",
        example_server.url + "/cpa.atom",
        "--db",
        str(db),
        *ALLOW,
    )
    assert "added 0 article(s)" in result.stderr and "7 already in the corpus" in result.stderr
    assert snapshot(db) == before
    # known links are not fetched again
    assert sum(1 for path, _ in example_server.site.log if path.startswith("/news/")) == pages_fetched


def test_an_article_is_stored_once_by_canonical_url_and_by_content_hash(tmp_path, example_server):
    site = example_server.site
    site.routes["/copy/same-text.html"] = site.routes["/news/01-courier-warehouse-fire.html"]
    base = example_server.url
    db = tmp_path / "corpus.sqlite"
    run(
        "ingest",
        base + "/news/01-courier-warehouse-fire.html?utm_source=rss&utm_medium=feed",
        "--db",
        str(db),
        *ALLOW,
    )
    result = run(
        "ingest",
        base + "/news/01-courier-warehouse-fire.html",
        base + "/copy/same-text.html",
        "--db",
        str(db),
        *ALLOW,
    )
    assert "added 0 article(s)" in result.stderr and "2 already in the corpus" in result.stderr
    with Corpus(db) as corpus:
        assert corpus.count() == 1
    assert site.hits("/news/01-courier-warehouse-fire.html") == 1  # the canonical URL was known: not fetched


def test_without_allow_host_the_local_server_is_refused_with_its_reason(tmp_path, example_server):
    db = tmp_path / "corpus.sqlite"
    result = run("ingest", example_server.url + "/feeds.opml", "--db", str(db), ok=False)
    assert result.exit_code == 1
    assert (
        "blocked-address" in result.stderr and "loopback" in result.stderr and "--allow-host" in result.stderr
    )
    assert example_server.site.log == []  # not one request reached it
    with Corpus(db) as corpus:
        assert corpus.count() == 0
        assert [(s, r) for s, r, _ in corpus.failures()] == [
            (example_server.url + "/feeds.opml", "blocked-address")
        ]


def test_each_failed_item_is_recorded_with_a_named_reason_and_the_run_goes_on(tmp_path, example_server):
    site = example_server.site
    site.routes["/bad.rss"] = rss(
        [
            ("/news/01-courier-warehouse-fire.html", "good", None),
            ("/gone.html", "missing", None),
            ("/private/secret.html", "robots", None),
            ("/to-metadata", "metadata", None),
            ("/to-intranet", "intranet", None),
            ("/short.html", "short", None),
            ("/file.pdf", "pdf", None),
        ],
        base="{base}",
    )
    site.routes["/private/secret.html"] = site.routes["/news/01-courier-warehouse-fire.html"]
    site.routes["/to-metadata"] = redirect("http://169.254.169.254/latest/meta-data/")
    site.routes["/to-intranet"] = redirect("http://10.0.0.1/")
    site.routes["/short.html"] = page_html(
        title="Brief", outlet="The Kellhaven Courier", text="Too short to keep."
    )
    site.routes["/file.pdf"] = lambda h: h.send_body(200, b"%PDF-1.4 invented", "application/pdf")
    db = tmp_path / "corpus.sqlite"
    result = run("ingest", example_server.url + "/bad.rss", "--db", str(db), *ALLOW)
    assert "added 1 article(s)" in result.stderr
    with Corpus(db) as corpus:
        reasons = {source.rsplit("/", 1)[1]: reason for source, reason, _ in corpus.failures()}
    assert reasons == {
        "gone.html": "http-error",
        "secret.html": "robots",
        "to-metadata": "blocked-address",
        "to-intranet": "blocked-address",
        "short.html": "too-short",
        "file.pdf": "unsupported-type",
    }
    for name in reasons:
        assert name in result.stderr


def test_watch_polls_with_conditional_get_and_stories_grow(tmp_path, example_server):
    site = example_server.site
    pages = sorted(p for p in site.routes if p.startswith("/news/"))
    fire = [p for p in pages if "rovers" not in p]

    def feed(paths, version):
        site.routes["/live.rss"] = conditional(
            rss([(p, p, None) for p in paths], base="{base}"),
            etag=f'"{version}"',
            last_modified=f"Wed, 11 Mar 2026 1{version}:00:00 GMT",
        )

    db = tmp_path / "corpus.sqlite"
    feed(fire[:3], 1)
    run("watch", example_server.url + "/live.rss", "--db", str(db), "--once", *ALLOW)
    (story,) = json.loads(run("stories", "--db", str(db), "--format", "json").stdout)["stories"]
    assert len(story["articles"]) == 3

    result = run("watch", example_server.url + "/live.rss", "--db", str(db), "--once", *ALLOW)
    assert "1 feed(s) unchanged" in result.stderr
    assert site.log[-1][1]["if-none-match"] == '"1"'

    feed(fire, 2)
    result = run("watch", example_server.url + "/live.rss", "--db", str(db), "--once", *ALLOW)
    assert f"added {len(fire) - 3} article(s) to 1 story(ies)" in result.stderr
    (grown,) = json.loads(run("stories", "--db", str(db), "--format", "json").stdout)["stories"]
    assert grown["id"] == story["id"] and len(grown["articles"]) == len(fire)


def test_brief_from_the_corpus_is_cached_by_story_membership(tmp_path, example_server):
    db = tmp_path / "corpus.sqlite"
    base = example_server.url + "/news/"
    run(
        "ingest",
        base + "01-courier-warehouse-fire.html",
        base + "02-cpa-wire-warehouse-fire.html",
        "--db",
        str(db),
        *ALLOW,
    )
    story = json.loads(run("stories", "--db", str(db), "--format", "json").stdout)["stories"][0]["id"]
    first = run("brief", "--db", str(db), "--story", story, "--format", "json").stdout
    data = json.loads(first)["briefings"][0]
    assert data["story_id"] == story and len(data["articles"]) == 2

    def made_at():
        with sqlite3.connect(db) as con:
            return con.execute(
                "SELECT key, made_at FROM corpus_briefings WHERE story_id = ?", (story,)
            ).fetchone()

    cached = made_at()
    assert run("brief", "--db", str(db), "--story", story, "--format", "json").stdout == first
    assert made_at() == cached  # the same members: read back, not made again
    run("ingest", base + "05-herald-safety-checks.html", "--db", str(db), *ALLOW)
    again = json.loads(run("brief", "--db", str(db), "--since", "24h", "--format", "json").stdout)[
        "briefings"
    ]
    assert [b["story_id"] for b in again] == [story] and len(again[0]["articles"]) == 3
    assert made_at()[0] != cached[0]
    assert run("brief", "--db", str(db), "--story", "s-000000000000", ok=False).exit_code == 1


def test_reading_commands_give_named_errors_for_a_missing_or_foreign_database(tmp_path):
    result = run("stories", "--db", str(tmp_path / "none.sqlite"), ok=False)
    assert result.exit_code == 1 and "no corpus here" in result.stderr
    foreign = tmp_path / "other.sqlite"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE t (x)")
    result = run("brief", "--db", str(foreign), "--since", "24h", ok=False)
    assert "holds no corpus" in result.stderr
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE corpus_meta (key TEXT PRIMARY KEY, value TEXT)")
        con.execute("INSERT INTO corpus_meta VALUES ('schema_version', '99')")
    result = run("stories", "--db", str(foreign), ok=False)
    assert "schema version 99 is not supported" in result.stderr
    result = run("ingest", "file:///etc/passwd", "--db", str(tmp_path / "c.sqlite"), ok=False)
    assert "blocked-scheme" in result.stderr
    result = run("stories", "--db", str(tmp_path / "c.sqlite"), "--since", "5 fortnights", ok=False)
    assert result.exit_code == 1 and "is not a duration" in result.stderr
    result = run(
        "watch", "http://127.0.0.1:9/feed.rss", "--db", str(tmp_path / "c.sqlite"), "--every", "0s", ok=False
    )
    assert result.exit_code == 1 and "is not a duration" in result.stderr


# real processes ----------------------------------------------------------------------------------------
def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "storybrief.cli", *args]


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT COUNT(*) FROM corpus_articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_a_run_killed_with_sigkill_at_any_point_then_run_again_ends_with_the_same_corpus(tmp_path):
    site = invented_site(6, 6)  # 36 articles: three chunks
    with FeedServer(site) as server:
        args = ["ingest", server.url + "/all.rss", *ALLOW]
        whole = tmp_path / "whole.sqlite"
        subprocess.run(_command(*args, "--db", str(whole)), check=True, cwd=tmp_path, capture_output=True)
        killed = tmp_path / "killed.sqlite"
        # killed once early (before anything is stored), once after the first chunk is stored
        for wait_for in (0, 1):
            process = subprocess.Popen(
                _command(*args, "--db", str(killed)),
                cwd=tmp_path,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + 120
            while _count(killed) < wait_for and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            if wait_for == 0:
                time.sleep(0.5)
            assert process.poll() is None, "the run ended before it could be killed"
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        stored_when_killed = _count(killed)
        assert 0 < stored_when_killed < 36
        finish = subprocess.run(
            _command(*args, "--db", str(killed)), cwd=tmp_path, capture_output=True, text=True
        )
        assert finish.returncode == 0, finish.stderr
        assert f"{stored_when_killed} already in the corpus" in finish.stderr
    assert _count(whole) == 36
    assert snapshot(killed) == snapshot(whole)


@pytest.mark.slow
def test_watch_stops_cleanly_on_ctrl_c_keeping_what_it_stored(tmp_path):
    site = invented_site(2, 3)
    with FeedServer(site) as server:
        db = tmp_path / "corpus.sqlite"
        process = subprocess.Popen(
            _command("watch", server.url + "/all.rss", "--db", str(db), "--every", "1h", *ALLOW),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while _count(db) < 6 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        time.sleep(0.3)  # the poll's report is printed, then it sleeps until the next poll
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err and "stopped" in err
    assert _count(db) == 6


# the web app's Stories pages ----------------------------------------------------------------------------
def test_serve_db_shows_the_corpus_stories_and_their_briefings(tmp_path, example_server):
    import httpx
    from live_server import ThreadServer, web_options

    from storybrief.web import create_app

    empty = create_app(tmp_path / "empty.sqlite", options=web_options(tmp_path), warm_up=False)
    with ThreadServer(empty) as running:
        page = httpx.get(running.url + "/stories")
        assert page.status_code == 200 and "holds no corpus yet" in page.text
        assert httpx.get(running.url + "/api/stories").json()["stories"] == []

    db = tmp_path / "corpus.sqlite"
    run("ingest", example_server.url + "/feeds.opml", "--db", str(db), *ALLOW)
    app = create_app(db, options=web_options(tmp_path), warm_up=False)
    with ThreadServer(app) as running:
        listing = httpx.get(running.url + "/api/stories").json()["stories"]
        assert sorted(len(s["articles"]) for s in listing) == [1, 6]
        page = httpx.get(running.url + "/stories")
        assert page.status_code == 200 and "2 stories" in page.text
        for story in listing:
            assert f'href="/stories/{story["id"]}"' in page.text
        fire = next(s for s in listing if len(s["articles"]) == 6)
        briefing = httpx.get(running.url + f"/stories/{fire['id']}", timeout=120)
        assert briefing.status_code == 200 and "Summary" in briefing.text
        assert f"/stories/{fire['id']}/articles/1" in briefing.text
        article = httpx.get(running.url + f"/stories/{fire['id']}/articles/1", timeout=60)
        assert article.status_code == 200 and "Source 1" in article.text
        assert httpx.get(running.url + "/stories/s-000000000000").status_code == 404
        # the app fetches no URL on a request's behalf
        refused = httpx.post(running.url + "/api/ingest", json={"url": "http://169.254.169.254/"})
        assert refused.status_code in (404, 405)


def test_a_feed_file_is_read_and_one_writer_at_a_time_holds_the_corpus(tmp_path, example_server):
    from storybrief.corpus import Ingester

    feed = tmp_path / "saved.rss"
    feed.write_text(
        example_server.site.routes["/courier.rss"].replace("{base}", example_server.url), encoding="utf-8"
    )
    db = tmp_path / "corpus.sqlite"
    with Ingester(db):
        busy = run("ingest", str(feed), "--db", str(db), *ALLOW, ok=False)
        assert busy.exit_code == 1 and "another storybrief ingest or watch is writing" in busy.stderr
    result = run("ingest", str(feed), "--db", str(db), *ALLOW)
    assert "added 4 article(s)" in result.stderr


def test_a_page_in_a_legacy_encoding_is_decoded_by_its_declared_charset(tmp_path, example_server):
    html = page_html(
        title="Café owner rebuilds after the quay fire",
        outlet="Harbourside Post",
        text="The owner of the quayside café said the fire had cost her a season’s takings, but that "
        "she would reopen by the summer with help from neighbours and the harbour trust. "
        "Regulars raised £4,000 in a week.",
    )
    body = html.replace('<meta charset="utf-8">', "").encode("cp1252")
    example_server.site.routes["/cafe.html"] = lambda h: h.send_body(
        200, body, "text/html; charset=windows-1252"
    )
    db = tmp_path / "corpus.sqlite"
    run("ingest", example_server.url + "/cafe.html", "--db", str(db), *ALLOW)
    with Corpus(db) as corpus:
        (article,) = corpus.articles([corpus.story_rows()[0].article_ids[0]])
    assert "café said" in article.text and "season’s" in article.text and "£4,000" in article.text
    assert article.article.title.startswith("Café owner") and article.article.outlet == "Harbourside Post"
