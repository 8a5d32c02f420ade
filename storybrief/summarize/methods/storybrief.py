"""The default summariser: learned n-gram values, chosen as a set under the word budget.

How a story becomes a summary:

1. :func:`~storybrief.summarize.story_features.story_features` cuts the story into
   candidate sentences (junk, cut-off tails and half quotations are never
   chosen) and describes every stemmed word and word pair of the story.
2. Two small LightGBM models, trained on Multi-News train by
   ``scripts/train_summarizer.py``, predict how many times the reference
   summary of a story would use each word (``uni``) and word pair (``bi``).
   Under a Poisson reading of those predictions, ``n`` uses of an n-gram are
   worth ``E[min(n, C)]`` expected matches: repeating what was already said
   earns almost nothing, which is the redundancy control.
3. A third small model corrects each candidate's value from sentence-level
   evidence (cross-outlet support and fact-group size, quotes, position,
   document relevance).
4. Sentences are added greedily by value per word while they fit the budget,
   and only while they raise the expected F-measure: the summary stops
   early rather than pad itself with weak sentences.  A sentence that opens
   with a pronoun ("He said ...") is discounted unless the sentence before
   it is chosen too, and a bare quotation ("“...”" with no speaker) is only
   taken together with the sentence that attributes it.  A person is
   introduced with their role once (:func:`introduced_person`): once a
   sentence that introduces "Councillor Tobias Quayle, leader of Kellhaven
   Borough Council, said ..." is chosen, no other sentence that introduces him
   again is.
5. The chosen sentences are shown article by article, in reading order.

Syndicated copies (``story.duplicate_of``) contribute no candidates and no
evidence, so a wire story printed by three outlets counts once.
"""

from __future__ import annotations

import io
import json
import re
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..._blas import single_threaded_blas
from ...articles import Span
from ...errors import MethodError
from ...stories.model import Story
from ..base import Summarizer, register
from ..priors import Priors
from ..sentence_features import sentence_features
from ..story_features import (
    BI_DEPTH,
    UNI_DEPTH,
    StoryFeatures,
    coverage_table,
    standalone_values,
    story_features,
)
from ..trees import TreeEnsemble

MODEL_PACKAGE = "storybrief.summarize.model"
MODEL_FILE = "model.npz"  # the priors and the three tree ensembles, as arrays


@dataclass(frozen=True)
class SummaryModel:
    priors: Priors
    uni: TreeEnsemble
    bi: TreeEnsemble
    sent: TreeEnsemble | None
    meta: dict[str, Any]


_LOCK = threading.Lock()
_MODEL: SummaryModel | None = None


def read_model(read: Any) -> SummaryModel:
    """A :class:`SummaryModel` from ``read(name) -> bytes`` (the package's files, or a folder's)."""
    meta = json.loads(read("meta.json").decode("utf-8"))
    with np.load(io.BytesIO(read(MODEL_FILE)), allow_pickle=False) as arrays:
        return SummaryModel(
            priors=Priors.from_arrays(arrays, "priors_"),
            uni=TreeEnsemble.from_arrays(arrays, "uni_"),
            bi=TreeEnsemble.from_arrays(arrays, "bi_"),
            sent=TreeEnsemble.from_arrays(arrays, "sent_") if meta.get("sent") else None,
            meta=meta,
        )


def save_model(path: str | Path, model: SummaryModel) -> None:
    """Write ``model`` to the folder ``path`` (``meta.json`` and the arrays), as :func:`load_model_dir` reads it."""
    import zipfile

    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    arrays = {**model.priors.to_arrays("priors_"), **model.uni.to_arrays("uni_"), **model.bi.to_arrays("bi_")}
    if model.sent is not None:
        arrays.update(model.sent.to_arrays("sent_"))
    buffer = io.BytesIO()
    # numpy.savez_compressed's layout, with a fixed timestamp: the same model gives the same bytes
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as fh:
                np.lib.format.write_array(fh, np.asanyarray(array), allow_pickle=False)
    (out / MODEL_FILE).write_bytes(buffer.getvalue())
    (out / "meta.json").write_text(json.dumps(model.meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def load_model_dir(path: str | Path) -> SummaryModel:
    """The model files written by ``scripts/train_summarizer.py --out path``."""
    return read_model(lambda name: (Path(path) / name).read_bytes())


def load_model() -> SummaryModel:
    """The shipped model, loaded once per process."""
    global _MODEL
    if _MODEL is None:
        with _LOCK:
            if _MODEL is None:
                try:
                    root = resources.files(MODEL_PACKAGE)
                    _MODEL = read_model(lambda name: root.joinpath(name).read_bytes())
                except (OSError, ValueError, KeyError) as e:
                    raise MethodError(
                        f"cannot load the storybrief summary model: {e}",
                        where="summarize.storybrief",
                        hint="rebuild it with scripts/train_summarizer.py",
                    ) from e
    return _MODEL


def _predict(model: TreeEnsemble, x: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Predictions for ``x`` (only for ``rows`` when given; zeros elsewhere)."""
    out = np.zeros(len(x))
    if rows is not None:
        if rows.any():
            out[rows] = model.predict(x[rows])
    elif len(x):
        out = model.predict(x)
    return out


def _depth(types: np.ndarray, counts: np.ndarray, keep: np.ndarray, n: int, cap: int) -> int:
    if not keep.any():
        return 1
    return int(min(cap, max(1, np.bincount(types[keep], weights=counts[keep], minlength=n).max())))


def predict_values(
    story: Story, sf: StoryFeatures, model: SummaryModel, *, beta: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Predicted reference counts of every word and word pair that a selectable
    candidate holds (zeros for the others: nothing can choose them), their
    coverage tables, and a per-word correction of every candidate's value
    (zeros without a sentence model)."""
    open_ = np.array([c.selectable for c in sf.cands], dtype=bool)
    need_u = np.zeros(len(sf.uni_x), dtype=bool)
    need_u[sf.cu_type[open_[sf.cu_cand]]] = True
    need_b = np.zeros(len(sf.bi_x), dtype=bool)
    need_b[sf.cb_type[open_[sf.cb_cand]]] = True
    mu_uni = _predict(model.uni, sf.uni_x, need_u)
    mu_bi = _predict(model.bi, sf.bi_x, need_b)
    # No summary can use a type more often than the selectable candidates hold
    # it, so deeper columns would never be read: the tables stop there.
    fu = coverage_table(mu_uni, _depth(sf.cu_type, sf.cu_count, open_[sf.cu_cand], len(mu_uni), UNI_DEPTH))
    fb = coverage_table(mu_bi, _depth(sf.cb_type, sf.cb_count, open_[sf.cb_cand], len(mu_bi), BI_DEPTH))
    correction = np.zeros(len(sf.cands))
    if model.sent is not None and open_.any():
        words = np.maximum([c.words for c in sf.cands], 1)
        value = standalone_values(sf, fu, fb, beta) / words
        x = sentence_features(story, sf, mu_uni, mu_bi, value)
        correction[open_] = model.sent.predict(x[open_])
    return mu_uni, mu_bi, fu, fb, correction


# A capitalised word that can be part of a person's name (not "In", "The", "However" ...).
_NAME = (
    r"(?!(?:In|The|A|An|On|At|But|And|Of|For|To|By|With|From|As|It|This|That|These|Those|Its|His|Her|Their|"
    r"Our|When|While|After|Before|Since|Meanwhile|However|Earlier|Later|Last|Next|Yesterday|Today|Police|"
    r"Officials|Council|Borough|District|Service|Trust|Company|Group|Party|Ltd|Inc|University|Court|"
    r"Department|Ministry|Agency|Seafoods?|Rovers|United|City|Town|County)\b)[A-Z][\w'’-]*[a-z][\w'’-]*"
)
_TITLES = (
    r"(?:Councillor|Cllr|Mr|Mrs|Ms|Miss|Dr|Sir|Dame|Lord|Lady|Prof|Professor|Rev|Sgt|Insp|Det|Supt|Gen|Col|Capt|"
    r"Judge|Senator|Sen|Rep|Gov|President|Mayor|Chief|Inspector|Officer)\.?"
)
# "Helena Marrick, chief fire officer of ..., said": a full name, then a description set off by commas.
_APPOSITIVE_RE = re.compile(
    rf"(?:^|[\s“\"'‘(])(?:{_TITLES}\s+)?(?:{_NAME}\s+){{1,3}}({_NAME}),\s+"
    r"(?:the|a|an|who|whose|[a-z][\w'’-]*)\b[^,;:.!?\"“”]{0,120},(?=\s)"
)
_ROLE_NOUNS = (
    r"officer|leader|director|manager|master|chief|spokesman|spokeswoman|spokesperson|minister|secretary|"
    r"president|chairman|chairwoman|chair|head|mayor|councillor|executive|editor|inspector|superintendent|"
    r"commissioner|coach|captain|founder|owner|governor|senator|professor|lawyer|attorney|judge|analyst|"
    r"economist|researcher|scientist|surgeon|doctor|teacher|principal|resident|neighbour|neighbor|witness"
)
# "Harbour master Edwin Pardoe said": a role in front of the full name.
_TITLE_ROLE_RE = re.compile(
    rf"(?:^|[\s“\"'‘(])[\w'’-]+(?:\s+[\w'’-]+){{0,4}}?\s+(?:{_ROLE_NOUNS})\s+(?:{_NAME}\s+){{1,2}}({_NAME})\b"
)


# "Mr Pardoe said": a person named by title and surname alone, as after an introduction.
_TITLE_SURNAME_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+([A-Z][\w'’-]*[a-z][\w'’-]*)\b(?!\s+[A-Z])")
# How much a sentence that names someone as "Mr X" is worth before X is introduced.
UNINTRODUCED_FACTOR = 0.5


def referred_person(text: str) -> str | None:
    """The surname (lower case) of a person ``text`` names by title and surname alone ("Mr Pardoe
    said ..." -> "pardoe"), unless it also names them in full; ``None`` otherwise."""
    return people_in(text)[1]


_FULL_NAME_RE = re.compile(
    r"\b(?!(?:Mr|Mrs|Ms|Miss|Dr|The|A|An|In|On|At|But|And|Of|For|To|By|With|From|As|It|This|That)\b)"
    r"[A-Z][\w'’.-]+\s+([A-Z][\w'’-]*[a-z][\w'’-]*)\b"
)


def named_people(text: str) -> frozenset[str]:
    """Surnames (lower case) of the people ``text`` names in full ("JEREMY Corbyn", "John
    McDonnell"): after such a sentence, "Mr Corbyn" needs no introduction."""
    return people_in(text)[2]


# Two capitalised words in a row: every rule below needs one (lower-cased text has none).
_TWO_CAPITALS_RE = re.compile(r"[A-Z][\w'’.-]*\s+[A-Z]")


def people_in(text: str) -> tuple[str | None, str | None, frozenset[str]]:
    """(:func:`introduced_person`, :func:`referred_person`, :func:`named_people`) of ``text`` at once."""
    if not _TWO_CAPITALS_RE.search(text):
        return None, None, frozenset()
    intro = _introduced(text)
    found = {re.sub(r"['’]s?$", "", m.group(1).lower()) for m in _FULL_NAME_RE.finditer(text)}
    if intro:
        found.add(intro)
    m = _TITLE_SURNAME_RE.search(text)
    referred = re.sub(r"['’]s?$", "", m.group(1).lower()) if m else None
    return intro, (referred if referred not in found else None), frozenset(found)


def introduced_person(text: str) -> str | None:
    """The surname (lower case) of a person that ``text`` introduces with a role or description:
    "Councillor Tobias Quayle, leader of Kellhaven Borough Council, said ..." -> "quayle",
    "Harbour master Edwin Pardoe said ..." -> "pardoe"; ``None`` when it introduces nobody.
    A bare "Mr Quayle said" is not an introduction."""
    return people_in(text)[0]


def _introduced(text: str) -> str | None:
    m = _APPOSITIVE_RE.search(text) or _TITLE_ROLE_RE.search(text)
    return re.sub(r"['’]s?$", "", m.group(1).lower()) if m else None


def select(
    sf: StoryFeatures,
    fu: np.ndarray,
    fb: np.ndarray,
    correction: np.ndarray,
    *,
    words: int,
    beta: float,
    gamma: float,
    ref_words: float,
    pronoun_factor: float,
    introduces: list[str | None] | None = None,
    refers: list[str | None] | None = None,
    names: list[frozenset[str]] | None = None,
) -> list[int]:
    """Greedy set selection: best value per word first, while it fits and helps.

    The value of a set is its expected unigram matches plus ``beta`` times its
    expected bigram matches (coverage, so repeats earn little), plus
    ``gamma * correction * words`` per sentence.  A sentence is added only if
    its value per word beats the set's current value per word with
    ``ref_words`` added to the length: that is when it raises F1.

    ``introduces`` names, per candidate, the person it introduces with a role
    (:func:`introduced_person`); once one such candidate is chosen, the others
    that introduce the same person are not: a summary introduces a person once.
    ``refers`` names, per candidate, a person it calls "Mr X" without
    introducing (:func:`referred_person`); until a chosen candidate names X in
    full (``names``, :func:`named_people`), its gain counts
    ``UNINTRODUCED_FACTOR`` times.
    """
    cands = sf.cands
    if not cands:
        return []
    open_ = np.array([c.selectable for c in cands], dtype=bool)
    if not open_.any():
        return []
    g = _Greedy.start(
        sf,
        fu,
        fb,
        correction,
        open_,
        beta=beta,
        gamma=gamma,
        introduces=introduces,
        refers=refers,
        names=names,
    )
    while True:
        pending, eff_len, fits = g.fitting(words)
        if not fits.any():
            break
        gain = g.gains(pending, pronoun_factor)
        ratio = np.where(fits, gain / np.maximum(eff_len, 1.0), -np.inf)
        i = int(np.argmax(ratio))
        if gain[i] <= 0 or (g.chosen and ratio[i] < g.value / (g.used + ref_words)):
            break
        g.take(i, pending, eff_len, gain)
    return g.chosen


@dataclass
class _Greedy:
    """The state of :func:`select`: what is chosen, how often each n-gram type is used, who is introduced.

    ``flat`` is one value table for words and (beta-weighted) word pairs, rows padded with their last
    column, so each round is a single gather and a single sum; ``e_*`` is the incidence of the open
    candidates, grouped by candidate (``bounds[i]:bounds[i + 1]`` are candidate ``i``'s entries).
    """

    length: np.ndarray
    open_: np.ndarray
    flat: np.ndarray
    top: int
    e_cand: np.ndarray
    e_type: np.ndarray
    e_cnt: np.ndarray
    e_base: np.ndarray
    bounds: np.ndarray
    used_n: np.ndarray  # uses of each type so far
    bonus: np.ndarray
    pronoun: np.ndarray
    has_pred: np.ndarray
    pred_at: np.ndarray
    has_need: np.ndarray
    anchor: np.ndarray
    person: np.ndarray | None
    refers_to: np.ndarray | None
    named: list[list[int]] | None
    introduced: np.ndarray  # the last slot stands for "nobody"
    chosen: list[int] = field(default_factory=list)
    is_chosen: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    used: float = 0.0
    value: float = 0.0

    @classmethod
    def start(
        cls,
        sf: StoryFeatures,
        fu: np.ndarray,
        fb: np.ndarray,
        correction: np.ndarray,
        open_: np.ndarray,
        *,
        beta: float,
        gamma: float,
        introduces: list[str | None] | None,
        refers: list[str | None] | None,
        names: list[frozenset[str]] | None,
    ) -> _Greedy:
        cands = sf.cands
        nc = len(cands)
        length = np.array([c.words for c in cands], dtype=np.float64)
        flat, width = _value_table(fu, fb, beta)
        e_cand, e_type, e_cnt = _open_incidence(sf, open_, fu.shape[0])
        prev_of = {(c.article, c.sents[0]): i for i, c in enumerate(cands)}
        predecessor = np.array([prev_of.get((c.article, c.sents[0] - 1), -1) for c in cands])
        needs = np.array([c.needs for c in cands], dtype=np.int64)
        person, refers_to, named, introduced = _people(introduces, refers, names)
        return cls(
            length=length,
            open_=open_,
            flat=flat,
            top=width - 1,
            e_cand=e_cand,
            e_type=e_type,
            e_cnt=e_cnt,
            e_base=e_type * width,
            bounds=np.searchsorted(e_cand, np.arange(nc + 1)),
            used_n=np.zeros(fu.shape[0] + fb.shape[0], dtype=np.int64),
            bonus=gamma * np.asarray(correction, dtype=np.float64) * length,
            pronoun=np.array([c.pronoun_start for c in cands], dtype=bool) & open_,
            has_pred=predecessor >= 0,
            pred_at=np.maximum(predecessor, 0),
            has_need=(needs >= 0) & open_,
            anchor=np.maximum(needs, 0),
            person=person,
            refers_to=refers_to,
            named=named,
            introduced=introduced,
            is_chosen=np.zeros(nc, dtype=bool),
        )

    def fitting(self, words: int) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
        """(pending, effective length, fits): a bare quotation whose attribution is not chosen yet
        comes with it, as a pair, so its length is the pair's."""
        if self.has_need.any():
            pending = self.has_need & ~self.is_chosen[self.anchor]
            eff_len = np.where(pending, self.length + self.length[self.anchor], self.length)
            fits = (
                self.open_
                & ~self.is_chosen
                & (eff_len <= words - self.used)
                & (~pending | self.open_[self.anchor])
            )
            return pending, eff_len, fits
        return None, self.length, self.open_ & ~self.is_chosen & (self.length <= words - self.used)

    def gains(self, pending: np.ndarray | None, pronoun_factor: float) -> np.ndarray:
        """What adding each candidate would add to the set's value now."""
        cur = self.used_n[self.e_type]
        ge = self.flat[self.e_base + np.minimum(cur + self.e_cnt, self.top)] - self.flat[self.e_base + cur]
        gain = np.bincount(self.e_cand, weights=ge, minlength=len(self.length)) + self.bonus
        if self.pronoun.any():
            # "He said ..." without the sentence before it reads badly
            dangling = self.pronoun & ~self.has_need & ~(self.has_pred & self.is_chosen[self.pred_at])
            gain = np.where(dangling & (gain > 0), gain * pronoun_factor, gain)
        if self.refers_to is not None:
            # "Mr Pardoe said ..." before Mr Pardoe is introduced reads badly
            waiting = (self.refers_to >= 0) & ~self.introduced[self.refers_to]
            gain = np.where(waiting & (gain > 0), gain * UNINTRODUCED_FACTOR, gain)
        if pending is not None:
            gain = np.where(pending, gain + gain[self.anchor], gain)
        return gain

    def take(self, i: int, pending: np.ndarray | None, eff_len: np.ndarray, gain: np.ndarray) -> None:
        """Choose candidate ``i`` (with the attribution it needs, if that is not chosen yet)."""
        take = [int(self.anchor[i]), i] if pending is not None and pending[i] else [i]
        for t in take:
            self.chosen.append(t)
            self.is_chosen[t] = True
            if self.person is not None and self.person[t] >= 0:
                # introduced now: nobody introduces them again
                self.open_ = self.open_ & (self.person != self.person[t])
                self.introduced[self.person[t]] = True
            if self.named is not None:
                self.introduced[self.named[t]] = True
            lo, hi = self.bounds[t], self.bounds[t + 1]
            self.used_n[self.e_type[lo:hi]] += self.e_cnt[lo:hi]  # types are unique within a candidate
        self.used += eff_len[i]
        self.value += gain[i]


def _value_table(fu: np.ndarray, fb: np.ndarray, beta: float) -> tuple[np.ndarray, int]:
    """One value table for words and (beta-weighted) word pairs, rows padded with their last column:
    (the table, flattened; its width)."""
    nu_types = fu.shape[0]
    width = max(fu.shape[1], fb.shape[1])
    table = np.empty((nu_types + fb.shape[0], width))
    table[:nu_types, : fu.shape[1]] = fu
    table[:nu_types, fu.shape[1] :] = fu[:, -1:]
    table[nu_types:, : fb.shape[1]] = beta * fb
    table[nu_types:, fb.shape[1] :] = beta * fb[:, -1:]
    return table.ravel(), width


def _open_incidence(
    sf: StoryFeatures, open_: np.ndarray, nu_types: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(candidate, type, count) of every word and word pair of the open candidates, grouped by
    candidate (``cu_*`` and ``cb_*`` are sorted by it); pair types follow the ``nu_types`` words."""
    keep_u = open_[sf.cu_cand]
    keep_b = open_[sf.cb_cand]
    e_cand = np.concatenate([sf.cu_cand[keep_u], sf.cb_cand[keep_b]])
    e_type = np.concatenate([sf.cu_type[keep_u], sf.cb_type[keep_b] + nu_types])
    e_cnt = np.concatenate([sf.cu_count[keep_u], sf.cb_count[keep_b]])
    order = np.argsort(e_cand, kind="stable")
    return e_cand[order], e_type[order], e_cnt[order]


def _people(
    introduces: list[str | None] | None, refers: list[str | None] | None, names: list[frozenset[str]] | None
) -> tuple[np.ndarray | None, np.ndarray | None, list[list[int]] | None, np.ndarray]:
    """The people candidates introduce or refer to, numbered: (person introduced per candidate,
    person referred to per candidate, people named in full per candidate, introduced flags)."""
    person_ids = {
        p: k for k, p in enumerate(sorted({p for p in (*(introduces or ()), *(refers or ())) if p}))
    }
    person = (
        np.array([person_ids[p] if p else -1 for p in introduces], dtype=np.int64)
        if introduces and person_ids
        else None
    )
    refers_to = (
        np.array([person_ids[p] if p else -1 for p in refers], dtype=np.int64)
        if refers and person_ids
        else None
    )
    named = [[person_ids[p] for p in found if p in person_ids] for found in names] if names else None
    introduced = np.zeros(len(person_ids) + 1, dtype=bool)  # the last slot stands for "nobody"
    return person, refers_to, named, introduced


@register
class StorybriefSummarizer(Summarizer):
    """Learned n-gram coverage with set selection; see the module docstring."""

    name = "storybrief"
    description = "default: learned word and word-pair values, greedy set selection under the budget"

    def __init__(
        self,
        *,
        beta: float = 2.0,
        gamma: float | None = None,
        ref_words: float = 230.0,
        pronoun_factor: float = 0.85,
        model: SummaryModel | None = None,
    ):
        self.beta = beta
        self.gamma = gamma
        self.model = model  # None: the shipped model
        self.ref_words = ref_words
        self.pronoun_factor = pronoun_factor

    def warm(self) -> None:
        if self.model is None:
            load_model()
        single_threaded_blas(lambda: None)()  # threadpoolctl's look at the loaded BLAS libraries, once

    @single_threaded_blas
    def summarize(self, story: Story, *, words: int) -> list[Span]:
        model = self.model or load_model()
        sf = story_features(story, model.priors)
        if not sf.cands:
            return []
        _, _, fu, fb, correction = predict_values(story, sf, model, beta=self.beta)
        gamma = self.gamma if self.gamma is not None else float(model.meta.get("gamma", 0.0))
        people = [people_in(story.articles[c.article].article.text[c.start : c.end]) for c in sf.cands]
        chosen = select(
            sf,
            fu,
            fb,
            correction,
            words=words,
            beta=self.beta,
            gamma=gamma,
            ref_words=self.ref_words,
            pronoun_factor=self.pronoun_factor,
            introduces=[p[0] for p in people],
            refers=[p[1] for p in people],
            names=[p[2] for p in people],
        )
        order = sorted(chosen, key=lambda i: (int(sf.doc_of[i]), sf.cands[i].sents[0]))
        out = []
        for i in order:
            c = sf.cands[i]
            out.append(Span(story.articles[c.article].article.id, c.start, c.end))
        return out
