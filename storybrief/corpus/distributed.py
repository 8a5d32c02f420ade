"""Ingest on a Dask cluster: the per-article work on the workers, the corpus with the client.

:class:`DaskIngester` is an :class:`~storybrief.corpus.ingest.Ingester` whose chunks of
:data:`~storybrief.corpus.ingest.CHUNK` items are prepared on ``dask.distributed`` workers: a
worker extracts each item's article (trafilatura for fetched pages), checks it and analyses it
(spaCy NER, quotes, MiniLM sentence vectors), which is nearly all of an ingest's cost.  The
client keeps everything that must happen once and in order: it lists and reads the sources
(they need to exist only on the client's machine), fetches URLs (the fetcher's politeness and
network guard stay in one place), and stores each chunk, in input order, exactly as a
single-process run does: the same duplicate checks, the same publication-order adds to the
:class:`~storybrief.stories.index.StoryIndex`, one transaction per chunk.  Analysis is a pure
function of an article's text, so the corpus, the story ids and the briefings are the same as a
single-process run's.

Results stream back with ``as_completed`` and at most a few chunks per worker thread are in
flight, so neither the client nor the workers hold more than that whatever the input's size.
A worker that dies loses nothing: the scheduler runs its tasks again on another worker, and the
client stores a chunk only once it has all of it.

Dask is an optional dependency: ``pip install 'storybrief[dask]'`` (on the client and on every
worker, with the same storybrief version; the client checks).
"""

from __future__ import annotations

import logging
import signal
import threading
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..analysis import ANALYSIS_VERSION, analyze_articles
from ..config import Options
from ..errors import ConfigError, StorybriefError
from .ingest import (
    Failure,
    Ingester,
    IngestReport,
    Progress,
    _Item,
    _Prepared,
    extract_item,
)

__all__ = ["DaskIngester", "prepare_chunk", "worker_versions"]

logger = logging.getLogger("storybrief")

CHUNKS_PER_THREAD = 2  # chunks in flight per worker thread: one running, one queued behind it
CONNECT_TIMEOUT = "30s"
WORKER_WAIT = 60.0  # seconds to wait for a first worker on an existing cluster


def prepare_chunk(entries: list[_Item | _Prepared | Failure], options: Options) -> list[_Prepared | Failure]:
    """One chunk's items extracted, checked and analysed: the task each worker runs.

    A :class:`Failure` (a fetch that failed on the client) and a :class:`_Prepared` (an article the
    corpus already holds, which needs no analysis) pass through, so the result lines up with the
    chunk.  The models are loaded once per worker process (the ``ModelLoader`` plugin, and the
    analysis stage's own per-process cache), not once per task.
    """
    out = [extract_item(e, options) if isinstance(e, _Item) else e for e in entries]
    fresh = {
        k: p
        for k, (e, p) in enumerate(zip(entries, out))
        if isinstance(e, _Item) and isinstance(p, _Prepared)
    }
    if fresh:
        # the worker processes already fill the cores: embed on the task's thread, not beside it
        analysed = analyze_articles(
            [p.article for p in fresh.values()], options=options.with_(cache=False), embed_beside=False
        )
        for (k, p), item in zip(fresh.items(), analysed):
            out[k] = replace(p, analysis=item.analysis)
    return out


def worker_versions() -> tuple[str, int]:
    """What a worker would write: its storybrief version and analysis version."""
    from .. import __version__

    return __version__, ANALYSIS_VERSION


def _model_loader():
    from distributed import WorkerPlugin

    class ModelLoader(WorkerPlugin):
        """Loads spaCy's pipeline and the MiniLM encoder when a worker starts (or restarts), once."""

        name = "storybrief-models"

        def setup(self, worker: Any) -> None:
            from ..analysis.embeddings import load_encoder
            from ..analysis.entities import load_nlp

            load_nlp()
            load_encoder()

    return ModelLoader()


def _distributed():
    try:
        import distributed
    except ImportError as e:
        raise ConfigError(
            "--workers and --scheduler need Dask, which is not installed",
            where="dask",
            hint="pip install 'storybrief[dask]'",
        ) from e
    return distributed


# Dask keeps, for debugging, the last `low-level-log-length` (1,000) batches of messages each of its
# streams sent, and each worker its last 1,000 task events.  The message that starts a task holds
# its chunk, 16 articles' text; so the client (its stream to the scheduler and, with `--workers N`,
# the scheduler's streams to the workers, as that scheduler runs in the client) and each worker
# held the text of up to 16,000 articles or more, growing with the input until then (client peak
# 171 MiB at 10,000 documents, 198 MiB at 30,000: bench/ingest_dask.py).  A few are enough.  The
# logs take their length when they are made: this is set where the client, scheduler and workers start.
LOG_CONFIG: dict[str, Any] = {
    "distributed.admin.low-level-log-length": 8,
}

# How the local cluster runs: each setting below cut the CPU that is not analysis (bench/ingest_dask.py).
LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    **LOG_CONFIG,
    # the machine's CPU, memory and network use sampled every 2 s by the scheduler and each nanny,
    # kept 7,200 samples (4 hours) deep for a dashboard that is not started: a few minutes' worth
    "distributed.admin.system-monitor.log-length": 60,
    # no statistical profiler sampling the workers' stacks every 10 ms: nobody reads it here, and
    # it cost about 7 % of the CPU (the nannies pass the config on to the workers)
    "distributed.worker.profile.enabled": False,
    # Dask sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which also turns off glibc's sliding
    # mmap threshold: every large numpy/spaCy buffer is then mapped and unmapped again, 3,000
    # page faults an article instead of 850 and 6-12 ms more CPU an article (mostly system
    # time).  A worker analyses articles one chunk at a time, so its memory stays flat without it.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    # the event-loop health tick (every 20 ms), the memory monitor (100 ms) and the system monitor
    # (500 ms) of the scheduler, the nannies and the workers woke them about 100 times a second:
    # 3 % of a core in the client and 1.3 % in each worker with nothing to do
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.deploy.cluster-repr-interval": "10s",
    "distributed.client.scheduler-info-interval": "10s",
}


def _local_cluster(distributed, workers: int | None):
    import dask

    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            scheduler_port=0,
            # no dashboard, and the scheduler's health page on a free port: runs side by side never clash
            dashboard_address="127.0.0.1:0",
            scheduler_kwargs={"dashboard": False},
            silence_logs=logging.ERROR,
        )
        try:
            return cluster, distributed.Client(cluster)
        except BaseException:
            cluster.close()
            raise


@contextmanager
def _workers_ignore_ctrl_c():
    """Start worker processes with Ctrl-C ignored (an ignored signal stays ignored in a spawned
    process): Ctrl-C in the terminal reaches the whole process group, and the client, not the
    workers, decides what it means (finish the chunks in flight, store them, stop)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class DaskIngester(Ingester):
    """Ingests into one corpus with a Dask cluster doing the per-article work.

    Give ``workers`` to start a ``LocalCluster`` of that many worker processes (one thread each),
    or ``scheduler`` (``tcp://host:8786``) to use a running cluster.
    """

    def __init__(
        self,
        db: str | Path,
        *,
        workers: int | None = None,
        scheduler: str | None = None,
        options: Options | None = None,
        progress: Progress | None = None,
        stop=None,
    ):
        if (workers is None) == (scheduler is None):
            raise ConfigError("give either a number of workers or a scheduler address", where="dask")
        if workers is not None and workers < 1:
            raise ConfigError(f"--workers must be 1 or more, not {workers}", where="dask")
        distributed = _distributed()
        super().__init__(db, options=options, progress=progress, stop=stop)
        self.cluster = None
        try:
            self.client = self._connect(distributed, workers, scheduler)
            self._check_workers(scheduler or "the local cluster")
            self.client.register_plugin(_model_loader(), name="storybrief-models")
        except BaseException:
            self.close()
            raise
        threads = sum(self.client.nthreads().values())
        self.in_flight = max(2, CHUNKS_PER_THREAD * threads)

    def _connect(self, distributed, workers: int | None, scheduler: str | None):
        if scheduler is None:
            with _workers_ignore_ctrl_c():
                self.cluster, client = _local_cluster(distributed, workers)
            return client
        import dask

        try:
            with dask.config.set(LOG_CONFIG):
                client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as e:
            raise ConfigError(
                f"cannot reach the Dask scheduler: {e}",
                where=scheduler,
                hint="start one with `dask scheduler` and give its address, tcp://HOST:8786",
            ) from e
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError as e:
            client.close()
            raise ConfigError(
                f"no Dask worker joined the scheduler in {WORKER_WAIT:.0f} s",
                where=scheduler,
                hint=f"start workers with `dask worker {scheduler}` on each machine",
            ) from e
        return client

    def _check_workers(self, where: str) -> None:
        ours = worker_versions()
        theirs = self.client.run(worker_versions)
        wrong = {addr: v for addr, v in theirs.items() if tuple(v) != ours}
        if wrong:
            addr, (version, analysis) = next(iter(wrong.items()))
            raise ConfigError(
                f"{len(wrong)} worker(s) run another storybrief (at {addr}: storybrief {version}, analysis "
                f"version {analysis}; this client: storybrief {ours[0]}, analysis version {ours[1]})",
                where=where,
                hint="install the same storybrief version on every worker machine",
            )

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()
        super().close()

    def _process(self, items: Iterable[_Item], report: IngestReport) -> None:
        """Chunks go to the workers as they are read; each is stored, in input order, once it is back."""
        from distributed import as_completed

        run = uuid.uuid4().hex[:12]
        chunks = self._chunks(items)
        in_flight: dict[int, tuple[list[_Item], Any]] = {}  # chunk number -> (its items, the future)
        back: dict[int, list] = {}  # results that came back before an earlier chunk's
        numbers: dict[str, int] = {}
        completed = as_completed()
        sent = stored = 0
        more = True
        while True:
            while more and len(in_flight) < self.in_flight and not self.stop.is_set():
                chunk = next(chunks, None)
                if chunk is None:
                    more = False
                    break
                entries = self._fetch_chunk(chunk, report)
                if not entries:  # every link was already in the corpus
                    continue
                work = [e for _, e in entries]
                if any(isinstance(e, _Item) for e in work):
                    future = self.client.submit(
                        prepare_chunk, work, self.options, key=f"storybrief-chunk-{run}-{sent}"
                    )
                    numbers[future.key] = sent
                    completed.add(future)
                else:  # nothing to analyse: the chunk is ready as it is
                    back[sent] = prepare_chunk(work, self.options)
                    future = None
                in_flight[sent] = ([item for item, _ in entries], future)
                sent += 1
            if stored == sent:
                break
            while stored not in back:
                future = next(completed)
                back[numbers.pop(future.key)] = self._result(future)
            items_here, _ = in_flight.pop(stored)
            results = back.pop(stored)
            self._tick("extracted", sum(isinstance(r, _Prepared) for r in results))
            self._store(list(zip(items_here, results)), report)
            stored += 1
        if self.stop.is_set() and more:
            report.stopped = True

    def _fetch_chunk(
        self, chunk: list[_Item], report: IngestReport
    ) -> list[tuple[_Item, _Item | _Prepared | Failure]]:
        """Each item of a chunk with its page fetched here (in the fetch threads); known links are
        skipped, and an article read from a file whose text the corpus holds is not sent to a worker."""
        pending = [(item, self.pool.submit(self._fetch, item)) for item in self._unknown(chunk, report)]
        out: list[tuple[_Item, _Item | _Prepared | Failure]] = []
        for item, future in pending:
            entry: _Item | _Prepared | Failure = future.result()
            if (
                isinstance(entry, _Item)
                and entry.article
                and self.corpus.known_hash(entry.article.content_hash)
            ):
                entry = extract_item(entry, self.options)  # only checked: _store counts it as known
            out.append((item, entry))
        return out

    def _result(self, future) -> list[_Prepared | Failure]:
        from distributed import KilledWorker

        try:
            return future.result()
        except KilledWorker as e:
            raise StorybriefError(
                f"a chunk of articles was lost with every worker that ran it, in turn: {e}",
                where=future.key,
                hint="check the workers' memory and logs; the corpus holds every chunk stored before it",
            ) from e
