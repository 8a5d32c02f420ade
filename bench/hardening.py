"""The numbers of issue 16 (hardening): bombs, responsiveness under load, and peak memory of heavy inputs.

    python bench/hardening.py [--only bomb,health,cli,server] [--inputs sentence,story,longest] [--json FILE]

Every phase is bounded by a count and a time limit, and runs against the real
``storybrief serve`` on 127.0.0.1 or the real ``storybrief brief`` command:

- ``bomb``: a 4.4 MB ``.jsonl.gz`` (gzip members of valid records, about
  1000:1) uploaded as multipart; prints the seconds to the answer, its status,
  and the server's resident and peak memory (VmRSS, VmHWM) before and after;
- ``health``: 4 briefings posted at once (12 articles of about 600 words each,
  so the analysis takes seconds), while 50 GET /api/health requests are made
  one after another; prints their p50/p95/max;
- ``cli``: ``storybrief brief`` on one 200,000-word sentence, a 300-article
  story and a 1.9-million-character article (just under max_article_chars);
  prints each run's seconds and peak RSS (ru_maxrss of the child); ``--inputs`` picks some of
  the three (``sentence``, ``story``, ``longest``);
- ``server``: one 8 MB request (40 articles of 196,000 characters; the
  per-request text budget sets most aside) and one 196,000-character article;
  prints the seconds, the summary's word count and the server's peak RSS.

Inputs are generated from invented text into a temporary folder.  The machine
is shared, so print the load average beside every timing you report.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_api
from load_api import TEMPLATES

WORDS = (
    "the council said harbour fire crews residents town meet again after warehouse blaze near docks on "
    "Tuesday mayor Ann Ferris quay reopen month service thanked patience cost thousand pounds"
).split()


def status_kib(pid: int) -> dict[str, int]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def start_server(folder: Path) -> tuple[subprocess.Popen, str]:
    return load_api.start_server(folder, None)


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def make_bomb(path: Path, size: int = 4_400_000) -> Path:
    """Gzip members of ~10 MB of valid records each, repeated to ``size`` compressed bytes."""
    line = json.dumps({"text": " ".join(["fire"] * 2_000), "outlet": "Bomb Wire"}).encode() + b"\n"
    member = gzip.compress(line * (10_000_000 // len(line)), compresslevel=9)
    with path.open("wb") as fh:
        for _ in range(size // len(member)):
            fh.write(member)
    return path


def article(rng: random.Random, words: int, k: int) -> str:
    sentences: list[str] = []
    count = 0
    while count < words:
        sentences.append(TEMPLATES[rng.randrange(len(TEMPLATES))].format(n=rng.randint(100, 999), m=k))
        count += len(sentences[-1].split())
    paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    return "\n\n".join(paragraphs)


def bomb_phase(folder: Path) -> dict:
    process, url = start_server(folder / "bomb")
    try:
        path = make_bomb(folder / "bomb.jsonl.gz")
        before = status_kib(process.pid)
        t0 = time.perf_counter()
        response = httpx.post(
            f"{url}/api/briefings",
            timeout=120,
            files={"files": ("bomb.jsonl.gz", path.read_bytes(), "application/gzip")},
        )
        seconds = time.perf_counter() - t0
        time.sleep(0.5)
        after = status_kib(process.pid)
        health = httpx.get(f"{url}/api/health", timeout=10).status_code
    finally:
        stop(process)
    return {
        "phase": "bomb",
        "compressed_bytes": path.stat().st_size,
        "status": response.status_code,
        "answer": response.text[:240],
        "seconds": round(seconds, 2),
        "rss_before_kib": before["VmRSS"],
        "rss_after_kib": after["VmRSS"],
        "peak_before_kib": before["VmHWM"],
        "peak_after_kib": after["VmHWM"],
        "peak_growth_kib": after["VmHWM"] - before["VmHWM"],
        "health_after": health,
    }


def health_phase(folder: Path, *, briefings: int = 4, checks: int = 50) -> dict:
    process, url = start_server(folder / "health")
    rng = random.Random(16)
    bodies = [
        {
            "articles": [
                {"text": article(rng, 600, 1000 * b + i), "outlet": f"Outlet {i}", "title": "Library"}
                for i in range(12)
            ]
        }
        for b in range(briefings)
    ]
    statuses: list[int] = []
    try:
        threads = [
            threading.Thread(
                target=lambda body=body: statuses.append(
                    httpx.post(f"{url}/api/briefings", json=body, timeout=900).status_code
                )
            )
            for body in bodies
        ]
        for t in threads:
            t.start()
        time.sleep(1.0)  # the posts are in: one briefing running, the others waiting for the worker
        latencies = []
        with httpx.Client(base_url=url, timeout=30) as client:
            for _ in range(checks):
                t0 = time.perf_counter()
                assert client.get("/api/health").status_code == 200
                latencies.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.1)
        busy_during = sum(t.is_alive() for t in threads)
        for t in threads:
            t.join()
    finally:
        stop(process)
    latencies.sort()
    return {
        "phase": "health",
        "briefings": briefings,
        "statuses": sorted(statuses),
        "checks": len(latencies),
        "briefings_still_running_after_checks": busy_during,
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 1),
        "max_ms": round(latencies[-1], 1),
    }


def run_measured(args: list[str], *, timeout: float) -> tuple[float, int, int, str]:
    """(seconds, peak RSS KiB, exit code, stderr tail) of one child process."""
    t0 = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    stderr = process.stderr.read()  # type: ignore[union-attr]
    _, code, usage = os.wait4(process.pid, 0)
    timer.cancel()
    return time.perf_counter() - t0, usage.ru_maxrss, os.waitstatus_to_exitcode(code), stderr.decode()[-300:]


def cli_phase(folder: Path, which: tuple[str, ...] = ("sentence", "story", "longest")) -> list[dict]:
    rng = random.Random(8)
    inputs = folder / "cli"
    inputs.mkdir(exist_ok=True)
    sentence = inputs / "sentence.txt"
    sentence.write_text(
        "Title: One sentence\nOutlet: Long Wire\n\n"
        + " ".join(rng.choice(WORDS) for _ in range(200_000))
        + ".\n"
    )
    # The inputs come from one random stream in this order, so each is the same whichever runs;
    # the stream stops after the last one asked for.
    story = inputs / "story300"
    if "story" in which or "longest" in which:
        story.mkdir(exist_ok=True)
        for i in range(300):
            (story / f"{i:03d}.txt").write_text(
                f"Title: Library reopens {i}\nOutlet: Outlet {i % 40}\n\n{article(rng, 400, i)}\n"
            )
    longest = inputs / "longest.txt"
    if "longest" in which:
        text = article(rng, 330_000, 7)
        longest.write_text("Title: The longest\nOutlet: Long Wire\n\n" + text[:1_990_000] + "\n")
    out = []
    runs = {
        "sentence": ("200,000-word sentence", sentence),
        "story": ("300-article story", story),
        "longest": ("1.99-million-character article", longest),
    }
    for name, path in (runs[key] for key in which):
        seconds, peak, code, tail = run_measured(
            [
                sys.executable,
                "-m",
                "storybrief.cli",
                "brief",
                "--no-cache",
                str(path),
                "--out",
                str(folder / "o.md"),
            ],
            timeout=3600,
        )
        out.append(
            {
                "phase": "cli",
                "input": name,
                "exit": code,
                "seconds": round(seconds, 1),
                "peak_rss_kib": peak,
                "stderr": tail if code else "",
            }
        )
    return out


def server_phase(folder: Path) -> list[dict]:
    process, url = start_server(folder / "server")
    rng = random.Random(196)
    results = []
    try:
        one = article(rng, 33_000, 1)[:196_000]
        t0 = time.perf_counter()
        response = httpx.post(
            f"{url}/api/briefings", json={"articles": [{"text": one, "outlet": "Long Wire"}]}, timeout=1800
        )
        seconds = time.perf_counter() - t0
        words = (
            sum(len(sent["text"].split()) for sent in response.json()["briefings"][0]["summary"])
            if response.status_code == 201
            else None
        )
        results.append(
            {
                "phase": "server",
                "input": "one 196,000-character article",
                "status": response.status_code,
                "seconds": round(seconds, 1),
                "summary_words": words,
                "peak_rss_kib": status_kib(process.pid)["VmHWM"],
            }
        )
        many = [{"text": article(rng, 33_000, k)[:196_000], "outlet": f"Outlet {k}"} for k in range(40)]
        body = json.dumps({"articles": many})
        t0 = time.perf_counter()
        response = httpx.post(
            f"{url}/api/briefings", content=body, headers={"content-type": "application/json"}, timeout=1800
        )
        seconds = time.perf_counter() - t0
        set_aside = len(response.json().get("rejections", [])) if response.status_code == 201 else None
        results.append(
            {
                "phase": "server",
                "input": f"{len(body) / 1e6:.1f} MB request, 40 articles of 196,000 chars",
                "status": response.status_code,
                "seconds": round(seconds, 1),
                "set_aside": set_aside,
                "peak_rss_kib": status_kib(process.pid)["VmHWM"],
            }
        )
    finally:
        stop(process)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="bomb,health,cli,server")
    parser.add_argument("--inputs", default="sentence,story,longest", help="The cli phase's inputs.")
    parser.add_argument("--json", dest="json_out", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="storybrief-hardening-"))
    for sub in ("bomb", "health", "server"):
        (folder / sub).mkdir()
    results: list[dict] = []
    phases = {
        "bomb": lambda: [bomb_phase(folder)],
        "health": lambda: [health_phase(folder)],
        "cli": lambda: cli_phase(folder, tuple(args.inputs.split(","))),
        "server": lambda: server_phase(folder),
    }
    for name in args.only.split(","):
        for result in phases[name]():
            result["load_average"] = os.getloadavg()[0]
            print(json.dumps(result), flush=True)
            results.append(result)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
