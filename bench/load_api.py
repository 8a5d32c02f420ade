"""Bounded load test of the HTTP API against a real `storybrief serve` on 127.0.0.1.

    python bench/load_api.py [--get-requests 3000] [--post-requests 60] [--concurrency 8]
                             [--post-concurrency 2] [--max-seconds 60] [--method NAME] [--json FILE]

What it does, every step bounded by a request count and a time limit:

1. starts ``storybrief serve`` on a free loopback port with a fresh SQLite file
   and a fresh analysis cache, and stores 20 briefings;
2. GET /api/briefings/{id}: ``--get-requests`` requests over ``--concurrency``
   keep-alive clients, ids in turn;
3. POST /api/briefings with 5 small articles (about 90 words each): each
   request's articles carry a new figure, so every one is analysed afresh (no
   cache hits), as new stories would be;
4. oversized requests: 100 that declare a 256 MB body and 20 chunked 9 MB
   bodies, all of which must be answered 413, with the server's RSS read
   from /proc before and after.

It prints requests/s, p50/p95/max latency and the error count of each phase
and exits non-zero if any request failed, any oversized one was not a 413, or
the server's memory grew by more than 16 MiB over the oversized phase.  The
load generator shares the machine (2 cores here) with the server, so these
are conservative figures.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

OUTLETS = ["Riverside Echo", "County Wire", "The Valley Times", "Northgate News", "Civic Radio Online"]
TEMPLATES = [
    "Riverside library reopened on Saturday after an 18-month restoration that cost {n} thousand pounds. "
    "Hundreds of residents queued outside before the doors opened at nine. The council said the Victorian "
    "reading room had been repaired and a new children's wing added. Librarian Maya Ross said the response "
    "had been overwhelming and that more than {m} people joined on the first day. The library will now open "
    "seven days a week, the council confirmed.",
    "The restored Riverside library opened its doors again on Saturday. The project cost {n} thousand pounds "
    "and took 18 months, according to the council. Queues formed early, and the head librarian, Maya Ross, "
    "said {m} new members signed up by the afternoon. A children's wing has been added beside the old "
    "reading room. Opening hours will be extended to seven days a week.",
    "Crowds returned to Riverside library on Saturday as the building reopened after restoration. Council "
    "figures put the cost at {n} thousand pounds. Maya Ross, who runs the library, said {m} people joined "
    "on the first day and described the mood as joyful. The Victorian reading room has new windows and a "
    "repaired roof, and families explored the new children's wing.",
    "Riverside's library is open again. The council spent {n} thousand pounds over 18 months restoring the "
    "Victorian building, which closed after storm damage to its roof. Librarian Maya Ross said {m} "
    "residents had registered by closing time. The library will open every day of the week from now on, "
    "and a new children's wing doubles the space for young readers.",
    "Residents welcomed the reopening of Riverside library on Saturday morning. Restoration work cost {n} "
    "thousand pounds, the council said, and included the reading room and a new children's wing. Maya Ross, "
    "the librarian, said {m} people had joined by the afternoon and that the queue stretched along the "
    "street. Seven-day opening begins next week.",
]


def small_articles(k: int) -> list[dict[str, str]]:
    """Five ~90-word articles on one invented story; ``k`` changes the figures so nothing is cached."""
    return [
        {
            "outlet": OUTLETS[i],
            "title": f"Riverside library reopens ({OUTLETS[i]})",
            "text": TEMPLATES[i].format(n=400 + k, m=1000 + 7 * k),
        }
        for i in range(5)
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def start_server(folder: Path, method: str | None) -> tuple[subprocess.Popen, str]:
    config = folder / "serve.toml"
    lines = [f'cache_path = "{(folder / "analysis.sqlite").as_posix()}"']
    if method:
        lines.append(f'method = "{method}"')
    config.write_text("\n".join(lines) + "\n")
    port = free_port()
    log = open(folder / "serve.log", "wb")  # noqa: SIM115 - the server child writes to it for its whole life
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "storybrief.cli",
            "serve",
            "--port",
            str(port),
            "--db",
            str(folder / "briefings.sqlite"),
            "--config",
            str(config),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {(folder / 'serve.log').read_text()}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).json()["nlp"] == "ready":
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("server did not become ready")


def run_phase(name: str, total: int, concurrency: int, max_seconds: float, url: str, make_request) -> dict:
    """``total`` requests over ``concurrency`` clients, stopping at ``max_seconds``; latencies in ms."""
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(total))
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def worker() -> None:
        with httpx.Client(base_url=url, timeout=120) as client:
            while time.monotonic() < deadline:
                with lock:
                    k = next(counter, None)
                if k is None:
                    return
                t0 = time.perf_counter()
                try:
                    ok, detail = make_request(client, k)
                except httpx.HTTPError as e:
                    ok, detail = False, repr(e)
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    latencies.append(elapsed)
                    if not ok:
                        errors.append(detail)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    result = {
        "phase": name,
        "requests": len(latencies),
        "planned": total,
        "concurrency": concurrency,
        "seconds": round(wall, 2),
        "requests_per_s": round(len(latencies) / wall, 1) if wall else 0.0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(latencies[max(0, int(len(latencies) * 0.95) - 1)], 1) if latencies else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "errors": len(errors),
        "first_error": errors[0][:300] if errors else None,
        "timed_out": len(latencies) < total,
    }
    return result


def oversized_phase(url: str, pid: int, *, declared: int = 100, chunked: int = 20) -> dict:
    port = int(url.rsplit(":", 1)[1])
    before = rss_kib(pid)
    statuses: list[int] = []
    for _ in range(declared):
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(
                b"POST /api/briefings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                b"Content-Length: 268435456\r\n\r\n" + b"x" * 65_536
            )
            statuses.append(int(s.recv(64).split()[1]))

    def chunks():
        for _ in range(9 * 64):
            yield b"y" * 16_384

    with httpx.Client(base_url=url, timeout=60) as client:
        for _ in range(chunked):
            response = client.post(
                "/api/briefings", content=chunks(), headers={"content-type": "application/json"}
            )
            statuses.append(response.status_code)
    after = rss_kib(pid)
    return {
        "phase": "oversized",
        "requests": len(statuses),
        "answered_413": statuses.count(413),
        "declared_256MB": declared,
        "chunked_9MB": chunked,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "rss_growth_kib": after - before,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--get-requests", type=int, default=3000)
    parser.add_argument("--post-requests", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=8, help="clients for the GET phase")
    parser.add_argument("--post-concurrency", type=int, default=2, help="clients for the POST phase")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="time limit of each phase")
    parser.add_argument("--method", default=None, help="summary method for the server [default: its default]")
    parser.add_argument("--json", dest="json_out", default=None, help="also write the results here")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="storybrief-load-"))
    process, url = start_server(folder, args.method)
    try:
        ids = []
        with httpx.Client(base_url=url, timeout=120) as client:
            for k in range(20):
                response = client.post("/api/briefings", json={"articles": small_articles(100_000 + k)})
                if response.status_code != 201:
                    raise SystemExit(f"seeding failed: {response.status_code} {response.text[:300]}")
                ids.extend(response.json()["ids"])
        size = len(httpx.get(f"{url}/api/briefings/{ids[0]}").content)

        def get_one(client: httpx.Client, k: int):
            response = client.get(f"/api/briefings/{ids[k % len(ids)]}")
            return response.status_code == 200 and len(response.content) > 1000, f"{response.status_code}"

        def post_one(client: httpx.Client, k: int):
            response = client.post("/api/briefings", json={"articles": small_articles(k)})
            ok = response.status_code == 201 and len(response.json()["briefings"][0]["articles"]) == 5
            return ok, f"{response.status_code} {response.text[:200]}"

        results = [
            run_phase(
                "GET /api/briefings/{id}", args.get_requests, args.concurrency, args.max_seconds, url, get_one
            ),
            run_phase(
                "POST /api/briefings (5 articles)",
                args.post_requests,
                args.post_concurrency,
                args.max_seconds,
                url,
                post_one,
            ),
            oversized_phase(url, process.pid),
        ]
        stored = httpx.get(f"{url}/api/health").json()["briefings"]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    print(
        f"server: storybrief serve on {url}, {len(ids)} briefings seeded (one is {size:,} bytes of JSON), "
        f"{stored} stored at the end, {os.cpu_count()} CPUs shared with the load generator"
    )
    print(
        f"{'phase':36} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>7}"
    )
    for r in results[:2]:
        print(
            f"{r['phase']:36} {r['requests']:>8} {r['requests_per_s']:>8} {r['p50_ms']:>8} {r['p95_ms']:>8} "
            f"{r['max_ms']:>8} {r['errors']:>7}" + ("  (stopped at the time limit)" if r["timed_out"] else "")
        )
        if r["first_error"]:
            print(f"  first error: {r['first_error']}")
    o = results[2]
    print(
        f"oversized: {o['answered_413']}/{o['requests']} answered 413 ({o['declared_256MB']} declaring 256 MB, "
        f"{o['chunked_9MB']} chunked 9 MB); server RSS {o['rss_before_kib'] / 1024:.1f} MiB -> "
        f"{o['rss_after_kib'] / 1024:.1f} MiB ({o['rss_growth_kib'] / 1024:+.1f} MiB)"
    )
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=2) + "\n")
    failed = (
        any(r["errors"] for r in results[:2])
        or o["answered_413"] != o["requests"]
        or o["rss_growth_kib"] > 16 * 1024
    )
    if failed:
        print("FAILED: errors, a non-413 answer, or memory growth over 16 MiB", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
