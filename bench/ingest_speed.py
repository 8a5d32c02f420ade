"""End-to-end ingest speed and memory: N article pages through one feed from a local server.

    nice -n 10 python bench/ingest_speed.py [--articles 1000] [--articles 3000] [--json FILE]

For each N: a real HTTP server on 127.0.0.1 (a thread of this process) serves N article pages and
one RSS feed listing them; ``storybrief ingest FEED --db fresh.sqlite --allow-host 127.0.0.1`` runs
as a child process with a fresh analysis cache, and does everything a user's run does: fetch
(robots.txt, 2 connections per host, the SSRF guard), extract (trafilatura), analyse (spaCy NER,
quotes, MiniLM embeddings), group (the StoryIndex) and store (SQLite, one transaction per chunk).

The pages' text is Multi-News validation documents read from ../shared at run time (never copied
into the repository), one page per document, clusters in file order, documents of fewer than 20
words left out; outlets and titles are invented.  Multi-News documents are about 500 words each.

Printed per N: wall time from start to exit (model loading included), articles/s, the CPU time the
child used (user + system, all its threads) and so articles per CPU second, which a busy shared
machine disturbs less than wall time, the child's peak resident memory (ru_maxrss), and the load
average before and after.  The server shares the machine's cores with the ingest.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from common import multinews_documents
from feed_server import FeedServer, Site, page_html, rss

OUTLETS = [
    "The Kellhaven Courier",
    "Coastal Press Agency",
    "The Eastmoor Gazette",
    "Harbourside Post",
    "The Northshire Herald",
    "Valley Evening News",
    "Corran Daily",
    "Fenwick Observer",
]


def documents(n: int) -> list[str]:
    """The first ``n`` Multi-News validation documents of 20 words or more, clusters in file order."""
    return [text for _, text in multinews_documents("val.0*.jsonl.gz", n)]


def build_site(n: int) -> Site:
    site = Site()
    site.robots = "User-agent: *\nDisallow: /private/\n"
    items = []
    for k, text in enumerate(documents(n)):
        words = text.split()
        title = " ".join(words[:12]).capitalize()
        # paragraphs of about four sentences, as a page would have them
        sentences = text.replace(" . ", " .\n").splitlines()
        paragraphs = "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))
        day, hour = divmod(k, 24)
        date = f"2026-03-{1 + day % 28:02d}T{hour:02d}:{k % 60:02d}:00+00:00"
        path = f"/news/{k}.html"
        site.routes[path] = page_html(
            title=title, outlet=OUTLETS[k % len(OUTLETS)], text=paragraphs, date=date
        )
        items.append((path, title, None))
    site.routes["/all.rss"] = rss(items, title="Bench wire", base="{base}")
    return site


def run(n: int) -> dict:
    site = build_site(n)
    with tempfile.TemporaryDirectory(prefix="storybrief-bench-") as folder, FeedServer(site) as server:
        env = {**os.environ, "STORYBRIEF_CACHE_DIR": str(Path(folder) / "cache")}
        command = [
            sys.executable,
            "-m",
            "storybrief.cli",
            "ingest",
            server.url + "/all.rss",
            "--db",
            str(Path(folder) / "corpus.sqlite"),
            "--allow-host",
            "127.0.0.1",
        ]
        load_before = os.getloadavg()
        usage_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        load_after = os.getloadavg()
        if done.returncode != 0:
            raise SystemExit(f"ingest failed ({done.returncode}):\n{done.stderr[-2000:]}")
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kib = usage.ru_maxrss  # the largest child so far: run sizes in increasing order
        cpu = (usage.ru_utime - usage_before.ru_utime) + (usage.ru_stime - usage_before.ru_stime)
        import sqlite3

        with sqlite3.connect(Path(folder) / "corpus.sqlite") as con:
            stored = con.execute("SELECT COUNT(*) FROM corpus_articles").fetchone()[0]
            stories = con.execute("SELECT COUNT(*) FROM story_index_states").fetchone()[0]
    return {
        "articles": n,
        "stored": stored,
        "stories": stories,
        "seconds": round(wall, 1),
        "articles_per_s": round(n / wall, 2),
        "peak_rss_mib": round(peak_kib / 1024),
        "cpu_seconds": round(cpu, 1),
        "articles_per_cpu_s": round(n / cpu, 2),
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "summary": done.stderr.strip().splitlines()[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, action="append", help="pages to ingest (repeatable) [1000]")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    results = []
    for n in args.articles or [1000]:
        result = run(n)
        results.append(result)
        print(
            f"{n:>6,} pages: {result['seconds']:>7.1f} s, {result['articles_per_s']:5.2f} articles/s, "
            f"{result['cpu_seconds']:,.0f} CPU s ({result['articles_per_cpu_s']:.2f} articles per CPU second), "
            f"peak RSS {result['peak_rss_mib']:,} MiB, {result['stored']:,} stored in {result['stories']:,} "
            f"stories; load {result['load_before']} -> {result['load_after']}",
            flush=True,
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
