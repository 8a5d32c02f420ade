"""Long fuzz runs of storybrief's readers and API intake (the targets in tests/fuzz_targets.py).

    python scripts/fuzz.py TARGET [--runs 100000] [--work DIR]
    python scripts/fuzz.py all --runs 100000 --work /tmp/fuzz    # every target in turn

TARGET is one of: txt, html, json, jsonl, gz, multinews, api-json, api-multipart.
With atheris installed (``pip install atheris``; optional, not needed by the tests) the run is
coverage-guided by libFuzzer, starting from a few valid seed inputs written to DIR/corpus/TARGET;
without it, Hypothesis generates the inputs.  A target that raises anything but storybrief's own
named errors stops the run with its traceback (atheris also saves the input as DIR/crash-*).
Each run prints "TARGET: N examples, 0 tracebacks" at the end.  CI runs the same targets for a
bounded number of examples in tests/test_fuzz.py.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def run_atheris(target: str, runs: int, work: Path) -> int:
    import atheris

    with atheris.instrument_imports(include=["storybrief", "fuzz_targets"]):
        import fuzz_targets
    corpus = work / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    for i, seed in enumerate(fuzz_targets.SEEDS[target]):
        (corpus / f"seed-{i}").write_bytes(seed)
    fn = fuzz_targets.TARGETS[target]
    count = 0

    def one(data: bytes) -> None:
        nonlocal count
        count += 1
        fn(data)

    import atexit

    atexit.register(lambda: print(f"{target}: {count} examples, 0 tracebacks (atheris)", flush=True))
    atheris.Setup(
        [
            sys.argv[0],
            f"-runs={runs}",
            "-timeout=120",
            "-rss_limit_mb=3000",
            f"-artifact_prefix={work}/",
            "-print_final_stats=1",
            str(corpus),
        ],
        one,
    )
    atheris.Fuzz()
    return 0


def run_hypothesis(target: str, runs: int) -> int:
    import fuzz_targets
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    fn = fuzz_targets.TARGETS[target]
    count = 0

    @settings(max_examples=runs, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=4096) | st.sampled_from(fuzz_targets.SEEDS[target]))
    def check(data: bytes) -> None:
        nonlocal count
        count += 1
        fn(data)

    check()
    print(f"{target}: {count} examples, 0 tracebacks (hypothesis)", flush=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target")
    parser.add_argument("--runs", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("fuzz-work"))
    parser.add_argument("--engine", choices=["auto", "atheris", "hypothesis"], default="auto")
    args = parser.parse_args()
    if args.target == "all":
        import fuzz_targets

        codes = [
            subprocess.call(
                [
                    sys.executable,
                    __file__,
                    name,
                    "--runs",
                    str(args.runs),
                    "--work",
                    str(args.work),
                    "--engine",
                    args.engine,
                ]
            )
            for name in fuzz_targets.TARGETS
        ]
        return max(codes)
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401

            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    args.work.mkdir(parents=True, exist_ok=True)
    if engine == "atheris":
        return run_atheris(args.target, args.runs, args.work)
    return run_hypothesis(args.target, args.runs)


if __name__ == "__main__":
    sys.exit(main())
