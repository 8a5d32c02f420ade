"""`storybrief ingest --workers N` and `--scheduler ADDR`: the per-article work on real Dask workers.

The input is invented: the twelve-outlet generated story told three times over (three seeds, so
different wordings, each under its own URLs), the bundled harbour-fire example and one empty file
(a failure that must be recorded the same way): 43 articles, three chunks of the ingest.  Each run
is compared with a single-process run of the same input: the corpus (every article, its analysis
JSON, its story, its URLs, the failures), `storybrief stories --format json` and the briefing JSON,
byte for byte.  The only difference allowed is the wall-clock time each article was added, which
`stories` prints as first/last seen; both corpora have it set to one instant before comparing.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from generated_story import twelve_outlet_articles

from storybrief.cli import main
from storybrief.corpus import Corpus
from storybrief.corpus.distributed import LOG_CONFIG, DaskIngester

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "harbour-fire" / "articles"
ARTICLES = 43


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("dask-input")
    lines = []
    for seed in (1, 2, 3):
        for article in twelve_outlet_articles(seed):
            article["url"] = article["url"].replace("/news/", f"/news/{seed}/")
            lines.append(json.dumps(article))
    (folder / "generated.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "bad").mkdir()
    (folder / "bad" / "empty.txt").write_text("  \n", encoding="utf-8")
    return [str(folder / "generated.jsonl"), str(EXAMPLE), str(folder / "bad")]


def results(db: Path) -> dict:
    """What two equivalent runs share: the corpus, and the bytes of the story list and the briefings."""
    with sqlite3.connect(db) as con:
        con.execute("UPDATE corpus_articles SET added_at = '2026-03-01T00:00:00+00:00'")
    with Corpus(db, create=False) as corpus:
        snapshot = corpus.snapshot()
    return {
        "corpus": snapshot,
        "stories": cli("stories", "--db", str(db), "--format", "json"),
        "briefings": cli("brief", "--db", str(db), "--since", "3650d", "--format", "json"),
    }


@pytest.fixture(scope="module")
def single(sources, tmp_path_factory) -> dict:
    db = tmp_path_factory.mktemp("single") / "corpus.sqlite"
    result = CliRunner().invoke(main, ["ingest", *sources, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"added {ARTICLES} article(s) to 3 story(ies)" in result.stderr and "1 failed" in result.stderr
    return results(db)


def assert_same(got: dict, single: dict) -> None:
    assert got["corpus"] == single["corpus"]
    assert got["stories"] == single["stories"]
    assert got["briefings"] == single["briefings"]
    assert len(json.loads(got["briefings"])["briefings"]) == 3


@pytest.mark.slow  # a whole ingest on worker processes, twice (about a minute on an idle machine)
def test_a_local_cluster_of_two_workers_gives_the_single_process_corpus_stories_and_briefings(
    sources, single, tmp_path
):
    db = tmp_path / "corpus.sqlite"
    with DaskIngester(db, workers=2) as ingester:
        report = ingester.run(sources)
        loads = ingester.client.run(
            lambda: importlib.import_module("storybrief.analysis.entities").load_nlp.cache_info()
        )
        settings = ingester.client.run(
            lambda: (
                os.environ.get("MALLOC_TRIM_THRESHOLD_"),
                importlib.import_module("dask").config.get("distributed.admin.tick.interval"),
            )
        )
        # what keeps the chunks sent (each holds its articles' text) for debugging after they are done
        worker_logs = ingester.client.run(
            lambda dask_worker: (
                dask_worker.state.stimulus_log.maxlen,
                dask_worker.batched_stream.recent_message_log.maxlen,
            )
        )
        scheduler = ingester.cluster.scheduler
        client_logs = [
            ingester.client.scheduler_comm.recent_message_log.maxlen,
            scheduler.transition_log.maxlen,
            *(stream.recent_message_log.maxlen for stream in scheduler.stream_comms.values()),
        ]
    assert report.added == ARTICLES and [f.reason for f in report.failures] == ["empty"]
    # the workers keep glibc's sliding malloc thresholds and wake up rarely when idle: what made a
    # --workers 2 run use more CPU an article than the single process
    assert list(settings.values()) == [(None, "1s")] * 2
    # the messages and task events Dask keeps for debugging are a few, not the last 1,000 (up to
    # 16,000 articles' text in the client, where the scheduler runs, and in each worker)
    kept = LOG_CONFIG["distributed.admin.low-level-log-length"]
    assert len(client_logs) == 4 and set(client_logs) == {kept} and kept <= 10
    assert list(worker_logs.values()) == [(kept, kept)] * 2
    # each worker loaded spaCy once (the plugin, when it joined) and every task reused it
    assert len(loads) == 2 and all(info.misses == 1 for info in loads.values())
    assert sum(info.hits for info in loads.values()) >= 3  # one call per chunk at least
    assert_same(results(db), single)
    # the command line; the same sources again change nothing
    again = CliRunner().invoke(main, ["ingest", *sources, "--db", str(db), "--workers", "2"])
    assert again.exit_code == 0, again.output
    assert f"added 0 article(s) to 0 story(ies); {ARTICLES} already in the corpus" in again.stderr
    assert "skipped" in again.stderr and "empty.txt: empty" in again.stderr
    assert_same(results(db), single)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(args: list[str], log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("dask")), *args],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )


def _wait_for(condition, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.mark.slow  # a whole ingest on worker processes
def test_ingest_against_a_dask_scheduler_and_two_dask_workers_survives_a_killed_worker(
    sources, single, tmp_path
):
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    scheduler = _start(
        ["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
        tmp_path / "scheduler.log",
    )
    worker = ["worker", address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"]
    workers = [  # no nanny: a killed worker stays dead, so its tasks must go to the other one
        _start([*worker, "--no-nanny", "--name", f"w{k}"], tmp_path / f"worker{k}.log") for k in (0, 1)
    ]
    db = tmp_path / "corpus.sqlite"
    try:
        with Client(address, timeout="60s") as watcher:
            watcher.wait_for_workers(2, timeout=120)
            w0 = next(a for a, w in watcher.scheduler_info()["workers"].items() if w["name"] == "w0")
            ingest = subprocess.Popen(
                [sys.executable, "-m", "storybrief.cli", "ingest", *sources, "--db", str(db)]
                + ["--scheduler", address],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            # kill worker w0 while a chunk of articles is assigned to it
            _wait_for(lambda: watcher.processing([w0]).get(w0) or ingest.poll() is not None, "w0 at work")
            assert ingest.poll() is None, ingest.communicate()
            os.kill(workers[0].pid, signal.SIGKILL)
            _, err = ingest.communicate(timeout=600)
            assert ingest.returncode == 0, err
            assert f"added {ARTICLES} article(s) to 3 story(ies)" in err
            assert workers[0].wait(timeout=10) == -signal.SIGKILL and workers[1].poll() is None
            removed = [m for _, m in watcher.get_events(w0) if m.get("action") == "remove-worker"]
            assert removed and any(k.startswith("storybrief-chunk") for k in removed[0]["processing-tasks"])
        assert_same(results(db), single)
    finally:
        for process in [*workers, scheduler]:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def test_workers_and_scheduler_are_one_or_the_other(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "ingest",
            str(EXAMPLE),
            "--db",
            str(tmp_path / "c.sqlite"),
            "--workers",
            "2",
            "--scheduler",
            "tcp://x:1",
        ],
    )
    assert result.exit_code == 2 and "give --workers or --scheduler, not both" in result.output
    assert not (tmp_path / "c.sqlite").exists()


def test_without_dask_installed_workers_is_a_clear_error_and_no_corpus_is_made(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    db = tmp_path / "c.sqlite"
    result = CliRunner().invoke(main, ["ingest", str(EXAMPLE), "--db", str(db), "--workers", "2"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert (
        "need Dask, which is not installed" in result.output
        and "pip install 'storybrief[dask]'" in result.output
    )
    assert not db.exists()
