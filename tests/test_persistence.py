"""The briefing store: SQLite in WAL mode, every briefing committed before its id is returned.

The end-to-end tests run ``storybrief serve`` as a real process and kill it
with SIGKILL in the middle of requests, then start it again on the same file.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time

import httpx
import pytest
from live_server import EXAMPLE_ARTICLES, ServerProcess, web_options

from storybrief.briefing import Briefing, BriefingSet
from storybrief.errors import StoreError
from storybrief.pipeline import brief_articles
from storybrief.schema import from_data, to_data
from storybrief.sources import read_sources
from storybrief.store import BriefingStore


@pytest.fixture(scope="module")
def example_set(tmp_path_factory) -> BriefingSet:
    options = web_options(tmp_path_factory.mktemp("store-cache"))
    result = brief_articles(read_sources(EXAMPLE_ARTICLES).articles, options=options)
    assert len(result.briefings) == 2
    return result


def example_json() -> list[dict]:
    return [
        {"title": a.title, "outlet": a.outlet, "text": a.text}
        for a in read_sources(EXAMPLE_ARTICLES).articles
    ]


# The store on its own -----------------------------------------------------------------------
def test_a_stored_briefing_reads_back_identical(tmp_path, example_set):
    store = BriefingStore(tmp_path / "b.sqlite")
    batch = store.add_set(example_set)
    assert len(batch.briefing_ids) == 2 and len(set(batch.briefing_ids)) == 2
    for briefing_id, briefing in zip(batch.briefing_ids, example_set.briefings):
        data = store.get(briefing_id)
        assert data["id"] == briefing_id and data["created_at"]
        assert {k: v for k, v in data.items() if k not in ("id", "created_at")} == to_data(briefing)
        assert from_data(Briefing, data) == briefing
        assert json.loads(store.get_json(briefing_id)) == data
    assert store.get("000000000000") is None and store.get("../../etc") is None


def test_batches_keep_order_and_rejections(tmp_path, example_set):
    from storybrief.articles import Rejection

    store = BriefingStore(tmp_path / "b.sqlite")
    with_rejection = BriefingSet(example_set.briefings, (Rejection("upload x.png", "binary", "not text"),))
    batch = store.add_set(with_rejection)
    again = store.batch_of(batch.briefing_ids[1])
    assert again.briefing_ids == batch.briefing_ids
    assert again.rejections == ({"source": "upload x.png", "reason": "binary", "detail": "not text"},)
    assert store.batch_of("000000000000") is None


def test_list_is_newest_first(tmp_path, example_set):
    store = BriefingStore(tmp_path / "b.sqlite")
    first = store.add_set(example_set)
    time.sleep(0.002)
    second = store.add_set(example_set)
    assert [s.id for s in store.list()] == [*second.briefing_ids, *first.briefing_ids]
    assert [s.id for s in store.list(limit=2, offset=1)] == [second.briefing_ids[1], first.briefing_ids[0]]
    assert store.count() == 4
    item = store.list_item(first.briefing_ids[0])
    assert item.n_articles == 6 and item.n_outlets == 5 and item.headline == example_set.briefings[0].headline


def test_wal_and_full_sync_and_a_second_connection_sees_commits(tmp_path, example_set):
    path = tmp_path / "b.sqlite"
    store = BriefingStore(path)
    db = store._db()
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    batch = store.add_set(example_set)
    other = sqlite3.connect(path)  # another process would see exactly this
    assert other.execute("SELECT COUNT(*) FROM briefings").fetchone()[0] == 2
    assert BriefingStore(path).get(batch.briefing_ids[0]) == store.get(batch.briefing_ids[0])


def test_threads_write_and_read_at_once(tmp_path, example_set):
    store = BriefingStore(tmp_path / "b.sqlite")
    ids: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(5):
                batch = store.add_set(example_set)
                ids.extend(batch.briefing_ids)
                assert store.get(batch.briefing_ids[0]) is not None
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert store.count() == len(ids) == 80 and len(set(ids)) == 80


def test_unusable_paths_and_versions_say_so(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot open the briefing store") as e:
        BriefingStore(blocker / "b.sqlite")
    assert "--db" in str(e.value)
    path = tmp_path / "future.sqlite"
    BriefingStore(path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="version 99 is not supported"):
        BriefingStore(path)


# Killing the real server ---------------------------------------------------------------------
@pytest.fixture()
def server(tmp_path):
    process = ServerProcess(tmp_path, tmp_path / "briefings.sqlite")
    yield process
    process.stop()


@pytest.mark.slow
def test_kill_9_mid_request_loses_no_returned_briefing(server):
    server.start()
    first = httpx.post(f"{server.url}/api/briefings", json={"articles": example_json()}, timeout=120)
    assert first.status_code == 201
    kept = first.json()

    # Another request, stopped half-way through its body when the server dies.
    body = json.dumps({"articles": example_json()[:3]}).encode()
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(
            b"POST /api/briefings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[: len(body) // 2]
        )
        time.sleep(0.2)
        server.kill()
        assert s.recv(1024) == b""  # no answer: the server died mid-request

    server.start()  # same database file
    for briefing_id, briefing in zip(kept["ids"], kept["briefings"]):
        again = httpx.get(f"{server.url}/api/briefings/{briefing_id}")
        assert again.status_code == 200 and again.json() == briefing
    assert httpx.get(f"{server.url}/api/briefings").json()["total"] == len(kept["ids"])
    db = sqlite3.connect(server.db)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_kill_9_under_concurrent_posts_keeps_every_answered_id(server):
    """Four clients post as fast as they can; SIGKILL lands among their requests.

    Every id a client received before the kill must be in the database after a restart.
    """
    server.start()
    articles = example_json()[:3]
    warm = httpx.post(f"{server.url}/api/briefings", json={"articles": articles}, timeout=120)
    assert warm.status_code == 201  # the model is loaded and the analysis cached: posts now take ~0.1 s
    answered: list[str] = [*warm.json()["ids"]]
    failures: list[str] = []
    stop = threading.Event()

    def post_forever(n: int) -> None:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            k = 0
            while not stop.is_set():
                k += 1
                body = {"articles": articles, "words": 40 + (n * 7 + k) % 50}
                try:
                    response = client.post("/api/briefings", json=body)
                except httpx.TransportError:
                    return  # the server died under this request
                if response.status_code != 201:
                    failures.append(response.text)
                    return
                answered.extend(response.json()["ids"])

    threads = [threading.Thread(target=post_forever, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(2.0)
    server.kill()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert not failures
    assert len(answered) > 5, "too few posts finished before the kill to show anything"
    print(f"{len(answered)} briefings answered before SIGKILL")

    server.start()
    with httpx.Client(base_url=server.url) as client:
        missing = [i for i in answered if client.get(f"/api/briefings/{i}").status_code != 200]
        total = client.get("/api/briefings").json()["total"]
    assert missing == []
    assert total >= len(answered)  # a briefing committed just before the kill but never answered may add one
    assert sqlite3.connect(server.db).execute("PRAGMA integrity_check").fetchone()[0] == "ok"
