"""Gradient-boosted trees as numpy arrays: LightGBM's predictions without loading LightGBM.

The summariser's models are trained with LightGBM (``scripts/train_summarizer.py``)
and saved in LightGBM's text format.  Parsing that text and importing LightGBM
cost seconds on every cold start, so the build step converts each model once
into a :class:`TreeEnsemble`: a few flat arrays that load in milliseconds and
predict with numpy.

Predictions are bit-for-bit LightGBM's (``tests/test_summary_model.py`` checks
it): the same float64 comparisons against the same thresholds, the same
missing-value rules, leaf values summed tree by tree in training order, and the
poisson objective's ``exp`` taken by the C library, as LightGBM does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# LightGBM treats |x| <= 1e-35 (a float constant) as zero: such inputs are not passed to the trees.
_ZERO = float(np.float32(1e-35))
_MISSING_NONE, _MISSING_ZERO, _MISSING_NAN = 0, 1, 2
_TRANSFORMS = {"regression": "identity", "poisson": "exp"}
_FIELDS = ("root", "feature", "threshold", "left", "right", "default_left", "missing", "leaf_value")


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    """A sum of binary regression trees over numeric features, then an output transform.

    Nodes of all trees are numbered in one sequence, and so are leaves.  For
    internal node ``k``: ``feature[k]``, ``threshold[k]`` (go left when
    ``x <= threshold``), ``default_left[k]`` and ``missing[k]`` (LightGBM's
    missing-value type: 0 none, 1 zero, 2 NaN); ``left[k]`` / ``right[k]`` is
    the child, an internal node ``>= 0`` or leaf ``j`` written ``~j``.
    ``root[t]`` is tree ``t``'s first node (``~j`` for a one-leaf tree).
    ``transform`` is ``"identity"`` or ``"exp"``.
    """

    root: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    default_left: np.ndarray
    missing: np.ndarray
    leaf_value: np.ndarray
    n_features: int
    transform: str

    def predict(self, x: np.ndarray) -> np.ndarray:
        """One float64 prediction per row of ``x`` (rows x ``n_features``), as LightGBM's ``Booster.predict``."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[1] != self.n_features:
            raise ValueError(f"expected rows of {self.n_features} features, got shape {x.shape}")
        n, n_trees = len(x), len(self.root)
        # LightGBM drops inputs within 1e-35 of zero before the trees see them
        x = np.where(np.abs(x) <= _ZERO, 0.0, x)
        flat = x.ravel()
        # one walker per (tree, row), all trees at once, level by level
        node = np.repeat(self.root, n)
        row_base = np.tile(np.arange(n, dtype=np.int64) * self.n_features, n_trees)
        leaf = node.copy()
        live = np.flatnonzero(node >= 0)
        while live.size:
            k = node[live]
            value = flat[row_base[live] + self.feature[k]]
            go_left = self._go_left(value, k)
            nxt = np.where(go_left, self.left[k], self.right[k])
            node[live] = nxt
            done = nxt < 0
            leaf[live[done]] = nxt[done]
            live = live[~done]
        values = self.leaf_value[~leaf].reshape(n_trees, n)
        out = np.zeros(n)
        for t in range(n_trees):  # tree by tree, as LightGBM sums: the same rounding
            out += values[t]
        if self.transform == "exp":
            out = np.fromiter(map(math.exp, out.tolist()), dtype=np.float64, count=n)
        return out

    def _go_left(self, value: np.ndarray, k: np.ndarray) -> np.ndarray:
        missing = self.missing[k]
        if not missing.any():  # the usual case: NaN reads as 0.0, then a plain comparison
            return np.where(np.isnan(value), 0.0, value) <= self.threshold[k]
        nan = np.isnan(value)
        value = np.where(nan & (missing != _MISSING_NAN), 0.0, value)
        is_missing = ((missing == _MISSING_ZERO) & (np.abs(value) <= _ZERO)) | (
            (missing == _MISSING_NAN) & nan
        )
        return np.where(is_missing, self.default_left[k], value <= self.threshold[k])

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        """The ensemble as named arrays (for ``numpy.savez``), every name starting with ``prefix``."""
        out = {f"{prefix}{name}": getattr(self, name) for name in _FIELDS}
        out[f"{prefix}n_features"] = np.array(self.n_features, dtype=np.int64)
        out[f"{prefix}transform"] = np.array(self.transform)
        return out

    @classmethod
    def from_arrays(cls, arrays, prefix: str) -> TreeEnsemble:
        """The inverse of :meth:`to_arrays` (``arrays`` may be an open ``numpy.load`` file)."""
        return cls(
            **{name: arrays[f"{prefix}{name}"] for name in _FIELDS},
            n_features=int(arrays[f"{prefix}n_features"]),
            transform=str(arrays[f"{prefix}transform"]),
        )


def from_lightgbm_text(text: str) -> TreeEnsemble:
    """Convert a model saved by LightGBM (``Booster.model_to_string``) without importing LightGBM.

    Supports what the summariser trains: one tree per iteration, numerical
    splits, no linear trees, objectives ``regression`` and ``poisson``.
    Anything else raises ``ValueError`` rather than predict differently.
    """
    header, *blocks = text.split("\nTree=")
    head = _key_values(header)
    objective, *settings = head.get("objective", "").split(" ")
    if objective not in _TRANSFORMS or "sqrt" in settings:
        raise ValueError(f"unsupported LightGBM objective {head.get('objective')!r}")
    if head.get("num_tree_per_iteration", "1") != "1" or head.get("num_class", "1") != "1":
        raise ValueError("only single-output LightGBM models are supported")
    if "average_output" in header.split("\n"):
        raise ValueError("random-forest (average_output) LightGBM models are not supported")
    n_features = int(head["max_feature_idx"]) + 1
    parts: dict[str, list] = {name: [] for name in _FIELDS}
    n_nodes = n_leaves = 0
    for block in blocks:
        block = block.split("\nend of trees")[0]
        tree = _key_values(block)
        if int(tree.get("num_cat", "0")) or int(tree.get("is_linear", "0")):
            raise ValueError("categorical splits and linear trees are not supported")
        leaves = int(tree["num_leaves"])
        leaf_value = np.array(tree["leaf_value"].split(" "), dtype=np.float64)
        if leaves == 1:
            parts["root"].append(~n_leaves)
        else:
            parts["root"].append(n_nodes)
            decision = np.array(tree["decision_type"].split(" "), dtype=np.int64)
            parts["feature"].append(np.array(tree["split_feature"].split(" "), dtype=np.int64))
            parts["threshold"].append(np.array(tree["threshold"].split(" "), dtype=np.float64))
            parts["default_left"].append((decision & 2) > 0)
            parts["missing"].append(((decision >> 2) & 3).astype(np.uint8))
            if (decision & 1).any():
                raise ValueError("categorical splits are not supported")
            for side in ("left", "right"):
                child = np.array(tree[f"{side}_child"].split(" "), dtype=np.int64)
                # internal nodes shift by the nodes before this tree, leaves (~j) by the leaves before it
                parts[side].append(np.where(child >= 0, child + n_nodes, ~(~child + n_leaves)))
            n_nodes += leaves - 1
        parts["leaf_value"].append(leaf_value)
        n_leaves += leaves
    if not parts["root"]:
        raise ValueError("the LightGBM model has no trees")

    def join(name: str, dtype) -> np.ndarray:
        return np.concatenate(parts[name]).astype(dtype) if parts[name] else np.zeros(0, dtype)

    return TreeEnsemble(
        root=np.array(parts["root"], dtype=np.int64),
        feature=join("feature", np.int64),
        threshold=join("threshold", np.float64),
        left=join("left", np.int64),
        right=join("right", np.int64),
        default_left=join("default_left", bool),
        missing=join("missing", np.uint8),
        leaf_value=join("leaf_value", np.float64),
        n_features=n_features,
        transform=_TRANSFORMS[objective],
    )


def _key_values(block: str) -> dict[str, str]:
    out = {}
    for line in block.split("\n"):
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip()] = value.strip()
    return out
