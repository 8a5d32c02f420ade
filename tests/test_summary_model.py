"""The summary model the package ships: numpy trees that predict exactly what LightGBM predicts.

The summariser loads ``model.npz`` (priors and trees as arrays) instead of parsing LightGBM's text
models; a summary must not change because of that, so every prediction is compared for exact
(bitwise) equality with LightGBM's own ``Booster.predict``.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import zipfile
from importlib import resources

import lightgbm as lgb
import numpy as np
import pytest
from conftest import ROOT

from storybrief.analysis import analyze_articles
from storybrief.articles import Article
from storybrief.config import Options
from storybrief.stories import build_story
from storybrief.summarize.features import ngram_tokens
from storybrief.summarize.methods import storybrief as method
from storybrief.summarize.priors import Priors, count_priors
from storybrief.summarize.story_features import story_features
from storybrief.summarize.trees import TreeEnsemble, from_lightgbm_text

MODEL = resources.files("storybrief.summarize.model")
FIELDS = ("root", "feature", "threshold", "left", "right", "default_left", "missing", "leaf_value")


def shipped_text(name: str) -> str:
    return gzip.decompress(MODEL.joinpath(f"{name}.txt.gz").read_bytes()).decode("utf-8")


@pytest.fixture(scope="module")
def seed_story(seed_texts):
    articles = [
        Article(text=text, outlet=f"outlet {i}", source=name)
        for i, (name, text) in enumerate(seed_texts.items())
    ]
    options = Options(ner=False, cache=False)
    return build_story(analyze_articles(articles, options=options), options=options, id="seeds")


def edge_rows(ensemble: TreeEnsemble, rng: np.random.Generator, n: int = 3000) -> np.ndarray:
    """Random rows plus every split threshold itself, zeros, -0.0, tiny values and NaN."""
    x = rng.standard_normal((n, ensemble.n_features)) * rng.choice(
        [0.01, 1.0, 30.0], size=(n, ensemble.n_features)
    )
    x = x.astype(np.float32)
    for k, (f, t) in enumerate(zip(ensemble.feature, ensemble.threshold)):
        x[k % n, f] = np.float32(t)  # exactly on the threshold (as float32 input)
        x[(k + 1) % n, f] = np.nextafter(np.float32(t), np.float32(np.inf))
    for value, share in ((0.0, 0.05), (-0.0, 0.01), (1e-36, 0.01), (np.nan, 0.02)):
        x[rng.random(x.shape) < share] = value
    return x


@pytest.mark.parametrize("name", ["uni", "bi", "sent"])
def test_shipped_trees_predict_exactly_what_lightgbm_predicts(name, seed_story):
    booster = lgb.Booster(model_str=shipped_text(name))
    model = method.load_model()
    ensemble = getattr(model, name)
    rows = [edge_rows(ensemble, np.random.default_rng(7))]
    sf = story_features(seed_story, model.priors)
    if name == "uni":
        rows.append(sf.uni_x)
    elif name == "bi":
        rows.append(sf.bi_x)
    else:
        from storybrief.summarize.sentence_features import sentence_features
        from storybrief.summarize.story_features import standalone_values

        mu_uni, mu_bi, fu, fb, _ = method.predict_values(seed_story, sf, model, beta=2.0)
        words = np.maximum([c.words for c in sf.cands], 1)
        rows.append(
            sentence_features(seed_story, sf, mu_uni, mu_bi, standalone_values(sf, fu, fb, 2.0) / words)
        )
    for x in rows:
        assert len(x) > 50
        ours = ensemble.predict(x)
        theirs = booster.predict(x, num_threads=1)
        assert ours.dtype == theirs.dtype == np.float64
        assert np.array_equal(ours, theirs), f"{name}: {np.abs(ours - theirs).max()} off"


@pytest.mark.parametrize("name", ["uni", "bi", "sent"])
def test_model_npz_holds_the_shipped_lightgbm_models(name):
    """model.npz was converted from the LightGBM files beside it (not left stale by a retraining)."""
    shipped = getattr(method.load_model(), name)
    converted = from_lightgbm_text(shipped_text(name))
    assert (shipped.n_features, shipped.transform) == (converted.n_features, converted.transform)
    for field in FIELDS:
        assert np.array_equal(getattr(shipped, field), getattr(converted, field)), field


@pytest.mark.parametrize(
    "params",
    [
        {"objective": "regression"},  # NaN in training: NaN-missing splits
        {"objective": "poisson"},
        {"objective": "regression", "zero_as_missing": True},  # zero-missing splits
        {"objective": "regression", "use_missing": False},  # no missing handling: NaN reads as 0
    ],
    ids=["nan-missing", "poisson", "zero-missing", "no-missing"],
)
def test_missing_values_and_objectives_follow_lightgbm(params):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2000, 5)).astype(np.float32)
    x[rng.random(x.shape) < 0.15] = np.nan
    x[rng.random(x.shape) < 0.15] = 0.0
    y = np.abs(
        np.nan_to_num(x[:, 0]) * 2 + np.nan_to_num(x[:, 1]) + np.isnan(x[:, 2]) + (x[:, 3] == 0)
    ) + rng.random(2000)
    booster = lgb.train(
        dict(
            params, num_leaves=15, min_data_in_leaf=20, verbose=-1, seed=1, deterministic=True, num_threads=1
        ),
        lgb.Dataset(x, y),
        20,
    )
    ensemble = from_lightgbm_text(booster.model_to_string())
    if params.get("zero_as_missing"):
        assert (ensemble.missing == 1).any()
    elif params.get("use_missing", True):
        assert (ensemble.missing == 2).any()
    test = edge_rows(ensemble, np.random.default_rng(5), 2000)
    assert np.array_equal(ensemble.predict(test), booster.predict(test, num_threads=1))


def test_unsupported_lightgbm_models_are_refused():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((300, 3))
    multiclass = lgb.train(
        {"objective": "multiclass", "num_class": 3, "verbose": -1}, lgb.Dataset(x, rng.integers(0, 3, 300)), 3
    )
    with pytest.raises(ValueError, match="unsupported LightGBM objective"):
        from_lightgbm_text(multiclass.model_to_string())
    linear = lgb.train(
        {"objective": "regression", "linear_tree": True, "verbose": -1}, lgb.Dataset(x, x[:, 0] * 2), 3
    )
    with pytest.raises(ValueError, match="linear trees"):
        from_lightgbm_text(linear.model_to_string())
    with pytest.raises(ValueError, match="expected rows of 21 features"):
        method.load_model().uni.predict(np.zeros((2, 5)))


def test_saved_model_loads_back_identically_and_byte_for_byte(tmp_path):
    model = method.load_model()
    method.save_model(tmp_path, model)
    # every array file of the archive byte for byte (the zip headers differ between Python patch
    # releases: 3.11.2 and 3.11.7 write a different "version needed" field)
    with (
        zipfile.ZipFile(tmp_path / "model.npz") as saved,
        zipfile.ZipFile(str(MODEL.joinpath("model.npz"))) as shipped,
    ):
        assert saved.namelist() == shipped.namelist()
        for name in shipped.namelist():
            assert saved.read(name) == shipped.read(name), name
    assert (tmp_path / "meta.json").read_text(encoding="utf-8") == MODEL.joinpath("meta.json").read_text(
        encoding="utf-8"
    )
    again = method.load_model_dir(tmp_path)
    assert again.meta == model.meta
    assert again.priors.words == model.priors.words and again.priors.n == model.priors.n
    for name in ("uni_rows", "bi_codes", "bi_rows"):
        assert np.array_equal(getattr(again.priors, name), getattr(model.priors, name))
    for name in ("uni", "bi", "sent"):
        for field in FIELDS:
            assert np.array_equal(getattr(getattr(again, name), field), getattr(getattr(model, name), field))


def test_priors_tables_look_up_counted_words_and_pairs():
    pairs = [
        (["The harbour ferry sank at dawn.", "A harbour ferry sank."], "The harbour ferry sank."),
        (["Harbour crews worked at dawn."], "Crews worked."),
        (["The ferry was late."], "Nothing here."),
    ]
    priors = count_priors(pairs, min_uni=1, min_bi=1)
    index, uni_rows, bi_codes, bi_rows = priors.tables()
    harbour, ferry = (ngram_tokens(w)[0] for w in ("harbour", "ferry"))
    # "harbour": in the sources of 2 clusters, kept by 1 reference, once
    assert tuple(uni_rows[index[harbour]]) == (2, 1, 1)
    # "ferry": in 2 clusters' sources, 1 reference keeps it
    assert tuple(uni_rows[index[ferry]]) == (2, 1, 1)
    code = index[harbour] * len(priors.words) + index[ferry]
    at = int(np.searchsorted(bi_codes, code))
    assert bi_codes[at] == code and tuple(bi_rows[at]) == (1, 1, 1)
    assert not uni_rows[-1].any() and not bi_rows[-1].any()  # the rows for unknown words and pairs
    back = Priors.from_arrays(priors.to_arrays("p_"), "p_")
    assert back.words == priors.words and back.tables()[0] == index


@pytest.mark.slow
def test_summary_model_loads_lazily_once_and_without_lightgbm():
    """Importing the summariser loads no model; briefing loads it once and never imports LightGBM."""
    code = """
import sys
import storybrief.summarize.methods.storybrief as method
from storybrief import Options, brief_paths
assert method._MODEL is None, "the model was loaded at import"
result = brief_paths([sys.argv[1]], options=Options(ner=False, cache=False))
assert result.briefings and all(b.summary for b in result.briefings)
first = method._MODEL
assert first is not None and method.load_model() is first
heavy = sorted(m for m in ("lightgbm", "sklearn") if m in sys.modules)
assert not heavy, heavy
print("ok")
"""
    done = subprocess.run(
        [sys.executable, "-c", code, str(ROOT / "examples" / "harbour-fire")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
