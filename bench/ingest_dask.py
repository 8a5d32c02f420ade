"""Ingest on Dask against one process: articles/s, CPU use and peak memory for N pooled Multi-News documents.

    nice -n 10 python bench/ingest_dask.py                         # 10,000 documents, the three runs
    nice -n 10 python bench/ingest_dask.py --docs 600              # a quick check of the bench itself
    python bench/ingest_dask.py --docs 10000 --docs 30000 --json results.json
    python bench/ingest_dask.py --docs 100000 --runs workers       # the scale run: --workers 2 only

Input: the first N documents of Multi-News *train* (``../shared/data/multinews/train.0*.jsonl.gz``,
clusters in file order, leaving out documents flagged irrelevant and those under 20 words), pooled
and shuffled with seed 0, written as a JSON Lines file of articles (text, an invented outlet, an
id) to a temporary folder outside the repository.  The text is read at run time and never copied
into the repository.

Each run is ``storybrief ingest POOL.jsonl --db FRESH.sqlite`` in a child process:

1. ``pinned``: one process pinned to one core (``taskset -c 0``; OMP/OpenBLAS/MKL at one thread);
2. ``single``: the default single process (it runs the embeddings on a second thread);
3. ``workers``: ``--workers W`` (default 2), a Dask LocalCluster of W one-thread worker processes.

Wall time counts everything a user waits for (start-up, model loading, the cluster's start).
While a run goes, its process tree is sampled every 0.25 s (psutil): the CPU time of the whole
tree over wall time and the machine's cores gives the CPU utilisation (and articles per CPU second, which a busy shared
machine disturbs less than wall time); the largest resident set
seen gives the peak RSS of the client (the ingest process) and of each Dask worker process (a
child that multiprocessing spawned: the LocalCluster's nannies run inside the client).  The load average before and
after each run is printed with it: on a shared machine, timings mean little without it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from common import multinews_documents

OUTLETS = [
    "Kellhaven Courier",
    "Coastal Press Agency",
    "Eastmoor Gazette",
    "Harbourside Post",
    "Corran Daily",
]
RUNS = ("pinned", "single", "workers")
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def write_pool(n: int, path: Path) -> None:
    """The first ``n`` usable train documents, shuffled with seed 0, as JSON Lines articles."""
    docs = multinews_documents("train.0*.jsonl.gz", n)
    random.Random(0).shuffle(docs)
    with path.open("w", encoding="utf-8") as fh:
        for k, (doc_id, text) in enumerate(docs):
            fh.write(json.dumps({"id": doc_id, "outlet": OUTLETS[k % len(OUTLETS)], "text": text}) + "\n")


class TreeSampler:
    """Samples a process tree: CPU seconds of every process seen, each one's peak RSS, and which are Dask workers."""

    def __init__(self, root: int, every: float = 0.25):
        self.root, self.every = root, every
        self.cpu: dict[int, float] = {}
        self.peak: dict[int, int] = {}
        self.seen: set[int] = set()
        self.workers: set[int] = set()  # a LocalCluster's nannies live in the client; they spawn the workers
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(self.every)

    def sample(self) -> None:
        try:
            root = psutil.Process(self.root)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return
        for p in procs:
            try:
                with p.oneshot():
                    times, rss, parent = p.cpu_times(), p.memory_info().rss, p.ppid()
            except psutil.NoSuchProcess:
                continue
            self.cpu[p.pid] = times.user + times.system  # not children_*: they are sampled themselves
            self.peak[p.pid] = max(self.peak.get(p.pid, 0), rss)
            if p.pid not in self.seen:
                self.seen.add(p.pid)
                if parent == self.root and "spawn_main" in " ".join(p.cmdline()):
                    self.workers.add(p.pid)

    def stop(self) -> None:
        self.done.set()
        self.thread.join()


def corpus_digest(con: sqlite3.Connection) -> str:
    """A digest of what the runs must share (articles, analyses, stories, in insertion order), streamed."""
    digest = hashlib.sha256()
    rows = con.execute(
        "SELECT seq, id, content_hash, canonical_url, published, analysis, story_id FROM corpus_articles ORDER BY seq"
    )
    for row in rows:
        digest.update(repr(row).encode())
    return digest.hexdigest()[:16]


def run_once(kind: str, pool: Path, n: int, folder: Path, workers: int, cache: Path) -> dict:
    db = folder / f"{kind}.sqlite"
    command = [sys.executable, "-m", "storybrief.cli", "ingest", str(pool), "--db", str(db)]
    env = {**os.environ, "STORYBRIEF_CACHE_DIR": str(cache)}
    if kind == "pinned":
        command = ["taskset", "-c", "0", *command]
        env.update(ONE_THREAD)
    elif kind == "workers":
        command += ["--workers", str(workers)]
    load_before = os.getloadavg()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    sampler = TreeSampler(process.pid)
    _, err = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    load_after = os.getloadavg()
    if process.returncode != 0:
        raise SystemExit(f"{kind} run failed ({process.returncode}):\n{err[-3000:]}")
    with sqlite3.connect(db) as con:
        stored = con.execute("SELECT COUNT(*) FROM corpus_articles").fetchone()[0]
        stories = con.execute("SELECT COUNT(*) FROM story_index_states").fetchone()[0]
        digest = corpus_digest(con)
    size = sum(p.stat().st_size for p in folder.glob(f"{kind}.sqlite*"))
    mib = 1 << 20
    worker_peaks = sorted(
        (round(rss / mib) for pid, rss in sampler.peak.items() if pid in sampler.workers), reverse=True
    )
    cpu = sum(sampler.cpu.values())
    for path in folder.glob(f"{kind}.sqlite*"):
        path.unlink()
    return {
        "docs": n,
        "run": kind if kind != "workers" else f"workers={workers}",
        "stored": stored,
        "stories": stories,
        "seconds": round(wall, 1),
        "articles_per_s": round(n / wall, 2),
        "cpu_seconds": round(cpu, 1),
        "articles_per_cpu_s": round(n / cpu, 2) if cpu else None,
        "cpu_utilisation": round(cpu / (wall * (os.cpu_count() or 1)), 3),
        "client_peak_rss_mib": round(sampler.peak.get(process.pid, 0) / mib),
        "worker_peak_rss_mib": worker_peaks[:workers] if kind == "workers" else [],
        "corpus_mib": round(size / mib, 1),
        "corpus_digest": digest,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
        "summary": err.strip().splitlines()[-1] if err.strip() else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, action="append", help="documents to ingest (repeatable) [10000]")
    parser.add_argument(
        "--runs", default=",".join(RUNS), help=f"which runs, comma-separated [{','.join(RUNS)}]"
    )
    parser.add_argument("--workers", type=int, default=2, help="Dask workers of the workers run [2]")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args()
    runs = [r.strip() for r in args.runs.split(",") if r.strip()]
    if unknown := set(runs) - set(RUNS):
        parser.error(f"unknown run(s): {', '.join(sorted(unknown))}; choose from {', '.join(RUNS)}")
    if "pinned" in runs and not shutil.which("taskset"):
        parser.error("the pinned run needs taskset (util-linux)")
    results = []
    with tempfile.TemporaryDirectory(prefix="storybrief-dask-bench-") as tmp:
        folder, cache = Path(tmp), Path(tmp) / "cache"
        # build the MiniLM graph once, so that no run pays for it
        subprocess.run(
            [sys.executable, "-c", "from storybrief.analysis.embeddings import load_encoder; load_encoder()"],
            env={**os.environ, "STORYBRIEF_CACHE_DIR": str(cache)},
            check=True,
        )
        for n in args.docs or [10_000]:
            pool = folder / f"pool-{n}.jsonl"
            write_pool(n, pool)
            for kind in runs:
                result = run_once(kind, pool, n, folder, args.workers, cache)
                results.append(result)
                print(
                    f"{n:>7,} docs {result['run']:>9}: {result['seconds']:8.1f} s, {result['articles_per_s']:6.2f} "
                    f"articles/s, CPU {100 * result['cpu_utilisation']:3.0f}% of {os.cpu_count()} cores, client "
                    f"peak {result['client_peak_rss_mib']:,} MiB, workers {result['worker_peak_rss_mib']} MiB; "
                    f"load {result['load_before']} -> {result['load_after']}",
                    file=sys.stderr,
                    flush=True,
                )
            pool.unlink()
    print(table(results))
    for n in args.docs or [10_000]:
        digests = {r["run"]: r["corpus_digest"] for r in results if r["docs"] == n}
        same = len(set(digests.values())) == 1
        print(f"{n:,} docs: the runs' corpora are {'identical' if same else 'DIFFERENT'} ({digests})")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def table(results: list[dict]) -> str:
    head = (
        "| docs | run | s | articles/s | vs pinned | vs single | CPU % | articles/CPU s | client peak MiB"
        " | worker peak MiB | corpus MiB | stories | load 1-min before → after |"
    )
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in results:
        same = {x["run"]: x["articles_per_s"] for x in results if x["docs"] == r["docs"]}

        def ratio(base: str) -> str:
            return f"{r['articles_per_s'] / same[base]:.2f}×" if base in same else "—"  # noqa: B023

        lines.append(
            f"| {r['docs']:,} | {r['run']} | {r['seconds']:,.1f} | {r['articles_per_s']:.2f} | {ratio('pinned')}"
            f" | {ratio('single')} | {100 * r['cpu_utilisation']:.0f} | {r['articles_per_cpu_s']}"
            f" | {r['client_peak_rss_mib']:,}"
            f" | {', '.join(map(str, r['worker_peak_rss_mib'])) or '—'} | {r['corpus_mib']:,} | {r['stories']:,}"
            f" | {r['load_before'][0]} → {r['load_after'][0]} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
