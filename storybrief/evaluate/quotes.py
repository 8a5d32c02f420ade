"""Quote evaluation on PolNeAR and GGT: does storybrief find who said what?

``evaluate_quotes(path)`` reads annotated JSONL (plain or ``.gz``, a path or a
glob), runs storybrief's analysis on each article, and scores the quotes it
finds against the gold attributions.  Two formats are read, told apart by each
file's first record:

* **PolNeAR** (``attributions``: source, cue and content spans), US political news;
* **GGT** (``quotations``: ``quote``, ``speaker``, ``reference`` and
  ``*_index`` offsets), the GenderGapTracker's annotated Canadian news.  Its
  recorded offsets often drift from the text, so each quote is located by its
  text, at the occurrence nearest the recorded offset.

The scoring is the same for both:

* **Matching.**  A prediction covers a gold attribution by the share of the
  gold content's characters that fall inside the prediction's content parts.
  Gold and predictions are matched one to one, highest coverage first; a pair
  counts at a threshold when its coverage reaches it (0.3 and 0.8).  One to
  one is what the maintainers measure: GenderGapTracker's own scorer takes a
  matched prediction out of play, and a rule letting one prediction match many
  gold quotes would let a prediction of the whole article match them all.
  Scored the maintainers' way, the extractor of the day the GGT issue was
  filed gives its published F1 (68.8 here against 68.7 there, R 76.7 against
  75.3); matched many to one it would score R 94.5.
* **P / R / F1.**  Precision is matched predictions over predictions, recall
  matched gold over gold.
* **Units.**  A PolNeAR attribution's content may be in several pieces, like a
  storybrief statement's parts.  A GGT quote is one span (one ``quote_index``),
  and its annotators give every stretch in quotation marks its own quote, even
  one that goes on with the same speaker's statement (``"…," she said. "…"``,
  or a quote resumed in the next paragraph).  So on GGT each part of a
  statement is scored as a predicted quote of its own, with the statement's
  speaker; on PolNeAR a statement is one prediction.  And GGT's quotes are speech
  (direct and indirect), where PolNeAR's attributions also hold evidence,
  intentions and acts ("the report found …", "she plans to …", "he voted for
  …"): on GGT only the predictions :func:`storybrief.analysis.quotes.is_speech`
  keeps are scored (:func:`to_ggt_quotes`); on PolNeAR all of them.
* **Speaker accuracy**, on matched pairs whose gold attribution names a source.
  PolNeAR: right when the predicted speaker mention overlaps the gold source
  span, or when the resolved speaker name matches the gold source's text (same
  words once titles are dropped, or the gold text is the name's surname).
  GGT: by name only, against the resolved ``reference`` (or, where that is
  empty, the mention unless it is a pronoun): the predicted speaker's resolved
  name — or, when it has none, the mention as written ("a spokesperson") —
  has the same words once titles are dropped, or the same surname.
* **Subsets.**  ``quoted``: attributions whose content is in quotation marks —
  every content piece opens with an opening mark and ends with a closing one
  (a quote over paragraphs may lack the closing mark at a paragraph's end);
  ``indirect``: all others; ``all``: both.  The same rule classifies gold and
  predictions, from the text alone, and each subset is matched on its own.

Each line of the file is scored as one document; PolNeAR repeats a few
articles once per annotator, and those count once per annotator.  GGT's
quotes include indirect speech; a gold quote given as a text that is not in
the article (one in the dev set) is dropped.

The cue lexicon's per-form precision (``CUE_PRIOR`` in
:mod:`storybrief.analysis.quotes`, stored in ``storybrief/analysis/data/cue_prior.json``) is
learned on PolNeAR's train split with :func:`learn_cues`; the dev splits are only for measuring.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import PlainSerializer, computed_field, field_serializer

from ..errors import EvaluationError
from ..language import ALNUM_RE
from ..schema import computed_before
from .paths import PathsOrGlob, resolve_paths

THRESHOLDS = (0.3, 0.8)
SUBSETS = ("quoted", "indirect", "all")

Offsets = tuple[int, int]


@dataclass(frozen=True)
class GoldAttribution:
    content: tuple[Offsets, ...]
    source: tuple[Offsets, ...]
    cue: tuple[Offsets, ...]
    source_text: str
    # GGT: the speaker's resolved name ("Darian Lonechild"); speakers are then scored by name alone
    reference: str = ""


@dataclass(frozen=True)
class GoldArticle:
    filename: str
    annotator: str
    text: str
    attributions: tuple[GoldAttribution, ...]


@dataclass(frozen=True)
class Prediction:
    """What the evaluator needs from a predicted quote."""

    content: tuple[Offsets, ...]
    speaker: Offsets | None
    speaker_name: str = ""
    cue: Offsets | None = None
    # the mention as written, or the description it stands for, when no name was resolved
    speaker_text: str = ""
    # does it report someone's words or thoughts (not evidence, an intention or an act)?
    speech: bool = True


#: An overlap threshold, written as a JSON key the way people write it ("0.3", "1").
Threshold = Annotated[float, PlainSerializer(lambda t: f"{t:g}")]


@dataclass
class Score:
    """Counts for one subset at one threshold; the rates are derived."""

    n_gold: int = 0
    n_pred: int = 0
    n_matched: int = 0
    n_speaker: int = 0
    n_speaker_right: int = 0

    _json = computed_before("n_gold")

    @field_serializer("precision", "recall", "f1", "speaker_accuracy")
    def _rate(self, value: float) -> float:
        return round(value, 4)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        return self.n_matched / self.n_pred if self.n_pred else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        return self.n_matched / self.n_gold if self.n_gold else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def speaker_accuracy(self) -> float:
        return self.n_speaker_right / self.n_speaker if self.n_speaker else 0.0

    def add(self, other: Score) -> None:
        self.n_gold += other.n_gold
        self.n_pred += other.n_pred
        self.n_matched += other.n_matched
        self.n_speaker += other.n_speaker
        self.n_speaker_right += other.n_speaker_right


@dataclass
class QuoteEvalResult:
    """Scores by subset (``quoted``, ``indirect``, ``all``) and overlap threshold."""

    task: str = field(default="quotes", kw_only=True)
    dataset: str = field(default="PolNeAR", kw_only=True)
    data: list[str]
    n_articles: int
    seconds: Annotated[float, PlainSerializer(lambda s: round(s, 2))]
    scores: dict[str, dict[Threshold, Score]] = field(default_factory=dict)

    _json = computed_before("scores")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def thresholds(self) -> list[float]:
        return list(THRESHOLDS)

    def score(self, subset: str, threshold: float) -> Score:
        return self.scores[subset][threshold]

    def to_text(self) -> str:
        """A small table for the terminal."""
        lines = [
            f"{self.dataset} quotes: {self.n_articles} articles, {self.seconds:.1f}s",
            f"{'subset':<9} {'overlap':>7} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8} {'gold':>6} {'pred':>6}",
        ]
        for subset in SUBSETS:
            for t in THRESHOLDS:
                s = self.scores[subset][t]
                lines.append(
                    f"{subset:<9} {t:>7.1f} {100 * s.precision:6.1f} {100 * s.recall:6.1f} {100 * s.f1:6.1f} "
                    f"{100 * s.speaker_accuracy:8.1f} {s.n_gold:6d} {s.n_pred:6d}"
                )
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


FORMATS = ("polnear", "ggt")
_DATASET_NAMES = {"polnear": "PolNeAR", "ggt": "GGT"}


def _gold_paths(paths_or_glob: PathsOrGlob) -> list[Path]:
    return resolve_paths(
        paths_or_glob,
        dataset="quote evaluation",
        where="evaluate.quotes",
        example="../shared/data/polnear/polnear_dev.jsonl.gz or ../shared/data/ggt/ggt_dev.jsonl.gz",
    )


def _open(path: Path) -> Any:
    return (gzip.open if path.suffix == ".gz" else open)(path, "rt", encoding="utf-8")


def detect_format(path: Path) -> str:
    """``"polnear"`` or ``"ggt"``, from the keys of the file's first record."""
    try:
        with _open(path) as fh:
            for line in fh:
                if line.strip():
                    row = json.loads(line)
                    break
            else:
                raise EvaluationError(
                    "the file holds no records", where=str(path), hint="expected one JSON object per line"
                )
    except (OSError, ValueError, UnicodeDecodeError) as e:
        raise EvaluationError(
            f"cannot read quote evaluation data: {e}", where=str(path), hint="expected JSONL, plain or .gz"
        ) from e
    if isinstance(row, dict) and "attributions" in row:
        return "polnear"
    if isinstance(row, dict) and "quotations" in row:
        return "ggt"
    keys = ", ".join(sorted(row)) if isinstance(row, dict) else type(row).__name__
    raise EvaluationError(
        f"unknown quote evaluation format (first record has: {keys})",
        where=str(path),
        hint="PolNeAR records have 'text' and 'attributions'; GGT records have 'text' and 'quotations'",
    )


def _spans(items: Any) -> tuple[Offsets, ...]:
    out = []
    for item in items or ():
        for s, e in item.get("spans", ()):
            if int(e) > int(s):
                out.append((int(s), int(e)))
    return tuple(sorted(out))


def read_gold(paths_or_glob: Any, *, limit: int | None = None) -> tuple[str, list[GoldArticle]]:
    """The gold articles of PolNeAR or GGT files (format detected per file) and the dataset's name.

    All files of one call must be of one format."""
    paths = _gold_paths(paths_or_glob)
    formats = {detect_format(p) for p in paths}
    if len(formats) > 1:
        raise EvaluationError(
            "the files mix PolNeAR and GGT records",
            where=", ".join(os.fspath(p) for p in paths),
            hint="evaluate one dataset at a time",
        )
    fmt = formats.pop()
    reader = read_polnear if fmt == "polnear" else read_ggt
    return _DATASET_NAMES[fmt], reader(paths, limit=limit)


def _read_articles(
    paths_or_glob: Any,
    *,
    limit: int | None,
    dataset: str,
    hint: str,
    parse: Callable[[dict[str, Any], str], GoldArticle],
) -> list[GoldArticle]:
    """One gold article per JSONL record (``parse(row, fallback_id)``), a bad file named in the error."""
    articles: list[GoldArticle] = []
    for path in _gold_paths(paths_or_glob):
        try:
            with _open(path) as fh:
                for n, line in enumerate(fh, 1):
                    if not line.strip():
                        continue
                    articles.append(parse(json.loads(line), f"{path.name}:{n}"))
                    if limit is not None and len(articles) >= limit:
                        return articles
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
            raise EvaluationError(f"cannot read {dataset} data: {e}", where=str(path), hint=hint) from e
    return articles


def read_polnear(paths_or_glob: Any, *, limit: int | None = None) -> list[GoldArticle]:
    """PolNeAR articles with their gold attributions (those with no content are dropped)."""

    def parse(row: dict[str, Any], fallback: str) -> GoldArticle:
        text = row["text"]
        golds = []
        for a in row.get("attributions", ()):
            content = _spans(a.get("content"))
            if not content:
                continue
            source = _spans(a.get("source"))
            golds.append(
                GoldAttribution(
                    content=content,
                    source=source,
                    cue=_spans(a.get("cue")),
                    source_text=" ".join(text[s:e] for s, e in source),
                )
            )
        return GoldArticle(row.get("filename", fallback), row.get("annotator", ""), text, tuple(golds))

    return _read_articles(
        paths_or_glob,
        limit=limit,
        dataset="PolNeAR",
        parse=parse,
        hint="expected one JSON object per line with 'text' and 'attributions'",
    )


_INDEX_RE = re.compile(r"\(\s*(\d+)\s*,\s*(\d+)\s*\)")


def _recorded(index: Any) -> Offsets | None:
    m = _INDEX_RE.fullmatch(str(index or "").strip())
    return (int(m.group(1)), int(m.group(2))) if m else None


def locate(text: str, phrase: str, recorded: Offsets | None) -> Offsets | None:
    """Where ``phrase`` is in ``text``: at the recorded offsets when they hold it, else the
    occurrence nearest them (GGT's offsets drift by up to a few hundred characters), else the
    first; ``None`` when the text does not hold it.  Surrounding white space is not part of it."""
    phrase = phrase.strip()
    if not phrase:
        return None
    if recorded is not None:
        s, e = recorded
        piece = text[s:e]
        if piece.strip() == phrase:
            s += len(piece) - len(piece.lstrip())
            return (s, s + len(phrase))
    starts = [m.start() for m in re.finditer(re.escape(phrase), text)]
    if not starts:
        return None
    best = starts[0] if recorded is None else min(starts, key=lambda p: (abs(p - recorded[0]), p))
    return (best, best + len(phrase))


def read_ggt(paths_or_glob: Any, *, limit: int | None = None) -> list[GoldArticle]:
    """GGT articles with their gold quotes, each located by its text (see :func:`locate`).

    The speaker is scored by the resolved ``reference`` (the mention, kept as
    ``source_text``, when that is empty and not a pronoun); a quote whose text
    is not in the article is dropped."""

    def parse(row: dict[str, Any], fallback: str) -> GoldArticle:
        text = row["text"]
        golds = []
        for q in row.get("quotations", ()):
            content = locate(text, q.get("quote") or "", _recorded(q.get("quote_index")))
            if content is None:
                continue
            mention = (q.get("speaker") or "").strip()
            reference = (q.get("reference") or "").strip()
            if not reference and mention.lower() not in _PRONOUNS:
                reference = mention
            golds.append(
                GoldAttribution(
                    content=(content,), source=(), cue=(), source_text=mention, reference=reference
                )
            )
        return GoldArticle(str(row.get("id", fallback)), "", text, tuple(golds))

    return _read_articles(
        paths_or_glob,
        limit=limit,
        dataset="GGT",
        parse=parse,
        hint="expected one JSON object per line with 'text' and 'quotations'",
    )


_PRONOUNS = frozenset("he she they it i we you him her them us me".split())


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------

_OPENERS = ("“", '"', "''", "«", "„", "‘", "'", "``")
_CLOSERS = ("”", '"', "''", "»", "’", "'")
_TRAIL = " \t\r\n.,;:!?)"


def is_quoted(text: str, content: Sequence[Offsets]) -> bool:
    """Is this content in quotation marks?  Each piece must open and close with a mark.

    A mark may sit just outside the piece, and a piece that ends a paragraph may
    lack its closing mark (the news convention for quotes over paragraphs).
    """
    if not content:
        return False
    # pieces split only by white space (a quote cut at sentence ends) are one piece
    merged: list[list[int]] = []
    for s, e in sorted(content):
        if merged and not text[merged[-1][1] : s].strip():
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    for s, e in merged:
        piece = text[s:e]
        stripped = piece.strip()
        if not stripped:
            return False
        lead = piece[: len(piece) - len(piece.lstrip())]
        s2 = s + len(lead)
        before = text[max(0, s2 - 2) : s2].rstrip()
        if not (stripped.startswith(_OPENERS) or before.endswith(_OPENERS)):
            return False
        body = stripped.rstrip(_TRAIL)
        after = text[e : e + 3].lstrip(".,;:!? ")
        if body.endswith(_CLOSERS) or after.startswith(_CLOSERS):
            continue
        # unclosed at a paragraph's end
        rest = text[e : e + 4]
        if e >= len(text.rstrip()) or rest.lstrip(" \t.,").startswith("\n"):
            continue
        return False
    return True


def _chars(spans: Iterable[Offsets]) -> set[int]:
    out: set[int] = set()
    for s, e in spans:
        out.update(range(s, e))
    return out


_TITLE_RE = re.compile(
    r"^(?:mr|mrs|ms|miss|dr|sir|dame|lord|lady|prof|sen|senator|rep|gov|governor|president|gen|the)\.?\s+",
    re.IGNORECASE,
)
_WORD_RE = ALNUM_RE


def _name_words(text: str) -> list[str]:
    text = text.strip().lower().replace("’s", "").replace("'s", "")
    while True:
        new = _TITLE_RE.sub("", text)
        if new == text:
            break
        text = new
    return _WORD_RE.findall(text)


def names_match(name: str, gold_text: str) -> bool:
    """Same words once titles are dropped, or the gold text is the name's surname."""
    a, b = _name_words(name), _name_words(gold_text)
    if not a or not b:
        return False
    if a == b:
        return True
    return len(b) == 1 and b[0] == a[-1]


def reference_match(name: str, reference: str) -> bool:
    """GGT's speaker rule: same words once titles are dropped, or the same surname (last word)."""
    a, b = _name_words(name), _name_words(reference)
    return bool(a) and bool(b) and (a == b or a[-1] == b[-1])


def _match(golds: Sequence[set[int]], preds: Sequence[set[int]], threshold: float) -> list[tuple[int, int]]:
    pairs = []
    for gi, g in enumerate(golds):
        if not g:
            continue
        for pi, p in enumerate(preds):
            cov = len(g & p) / len(g)
            if cov >= threshold:
                pairs.append((cov, gi, pi))
    pairs.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _cov, gi, pi in pairs:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi))
    return out


def score_article(article: GoldArticle, predictions: Sequence[Prediction]) -> dict[str, dict[float, Score]]:
    """Scores of one article's predictions, by subset and threshold."""
    text = article.text
    gold_q = [is_quoted(text, g.content) for g in article.attributions]
    pred_q = [is_quoted(text, p.content) for p in predictions]
    gold_chars = [_chars(g.content) for g in article.attributions]
    pred_chars = [_chars(p.content) for p in predictions]
    out: dict[str, dict[float, Score]] = {}
    for subset in SUBSETS:
        gi_list = [i for i, q in enumerate(gold_q) if subset == "all" or q == (subset == "quoted")]
        pi_list = [i for i, q in enumerate(pred_q) if subset == "all" or q == (subset == "quoted")]
        out[subset] = {}
        for t in THRESHOLDS:
            matches = _match([gold_chars[i] for i in gi_list], [pred_chars[i] for i in pi_list], t)
            score = Score(n_gold=len(gi_list), n_pred=len(pi_list), n_matched=len(matches))
            for a, b in matches:
                gold = article.attributions[gi_list[a]]
                pred = predictions[pi_list[b]]
                if not (gold.source or gold.reference):
                    continue
                score.n_speaker += 1
                if speaker_right(gold, pred):
                    score.n_speaker_right += 1
            out[subset][t] = score
    return out


def speaker_right(gold: GoldAttribution, pred: Prediction) -> bool:
    if gold.reference:
        return reference_match(pred.speaker_name or pred.speaker_text, gold.reference)
    if pred.speaker is not None:
        s, e = pred.speaker
        if any(s < ge and gs < e for gs, ge in gold.source):
            return True
    return bool(pred.speaker_name) and names_match(pred.speaker_name, gold.source_text)


# ---------------------------------------------------------------------------
# Running storybrief
# ---------------------------------------------------------------------------


def predict_quotes(analyzed: Any) -> list[Prediction]:
    """storybrief's quotes for one analysed article, as evaluator predictions (re-extracted, not cached)."""
    from ..analysis.quotes import extract_quotes, is_speech
    from ..analysis.speakers import resolve_speakers

    text = analyzed.article.text
    a = analyzed.analysis
    quotes = extract_quotes(text, sents=a.sents, paragraphs=a.paragraphs, entities=a.entities)
    quotes, _roles = resolve_speakers(text, quotes, entities=a.entities, sents=a.sents)
    out = []
    for q in quotes:
        name = " ".join(text[s:e] for s, e in q.speaker_names)
        described = q.speaker_ref or q.speaker
        said = text[described[0] : described[1]] if described and not name else ""
        out.append(
            Prediction(
                content=q.parts,
                speaker=q.speaker,
                speaker_name=name,
                cue=q.cue,
                speaker_text=said,
                speech=is_speech(text, q),
            )
        )
    return out


def to_ggt_quotes(predictions: Sequence[Prediction]) -> list[Prediction]:
    """The predictions as GGT counts quotes: speech only, one per content part (see Units)."""
    return [replace(p, content=(part,)) for p in predictions if p.speech for part in p.content]


def evaluate_quotes(
    path: Any,
    *,
    limit: int | None = None,
    options: Any = None,
    predict: Callable[[Any], list[Prediction]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> QuoteEvalResult:
    """Score storybrief's quote extraction on PolNeAR or GGT (see the module docstring for the metric).

    ``path`` is a file or glob (the format is detected); ``options`` are the analysis options (the NER
    cache is used when on); ``predict`` replaces storybrief's extractor, for
    comparing others on the same footing.
    """
    from ..analysis import analyze_articles
    from ..articles import Article
    from ..config import Options

    started = time.perf_counter()
    paths = _gold_paths(path)
    dataset, gold = read_gold(paths, limit=limit)
    options = options or Options()
    outlet = dataset.lower()
    articles = [
        Article(text=g.text, title="", outlet=outlet, source=f"{g.filename}#{g.annotator}") for g in gold
    ]
    analyzed = analyze_articles(articles, options=options, progress=progress)
    predict = predict or predict_quotes
    total = {subset: {t: Score() for t in THRESHOLDS} for subset in SUBSETS}
    for g, item in zip(gold, analyzed):
        predictions = predict(item)
        if dataset == "GGT":
            predictions = to_ggt_quotes(predictions)
        for subset, by_t in score_article(g, predictions).items():
            for t, s in by_t.items():
                total[subset][t].add(s)
    return QuoteEvalResult(
        data=[os.fspath(p) for p in paths],
        n_articles=len(gold),
        seconds=time.perf_counter() - started,
        scores=total,
        dataset=dataset,
    )


# ---------------------------------------------------------------------------
# Learning the cue prior on train
# ---------------------------------------------------------------------------


def learn_cues(
    path: Any,
    *,
    options: Any = None,
    threshold: float = 0.3,
    min_count: int = 3,
    smoothing: float = 1.0,
) -> dict[str, float]:
    """Per cue form, the share of storybrief's indirect attributions on it that match gold.

    Run on the PolNeAR train split; the result is the data file behind
    ``storybrief.analysis.quotes.CUE_PRIOR``::

        python -m storybrief.evaluate.quotes learn '../shared/data/polnear/polnear_train.0*.jsonl.gz' \
            > storybrief/analysis/data/cue_prior.json

    Extraction runs with no prior (every cue form allowed), so the learned
    numbers are the precision each form would have.  Forms seen fewer than
    ``min_count`` times are left out (they get the default prior).
    """
    from ..analysis import analyze_articles
    from ..analysis.quotes import extract_quotes
    from ..articles import Article
    from ..config import Options

    gold = read_polnear(path)
    options = options or Options()
    articles = [Article(text=g.text, outlet="polnear", source=g.filename) for g in gold]
    analyzed = analyze_articles(articles, options=options)
    hits: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for g, item in zip(gold, analyzed):
        text = g.text
        a = item.analysis
        quotes = extract_quotes(
            text, sents=a.sents, paragraphs=a.paragraphs, entities=a.entities, cue_prior={}, min_prior=0.0
        )
        preds = [q for q in quotes if q.type != "direct" and q.cue is not None]
        gold_chars = [_chars(x.content) for x in g.attributions]
        matches = {pi: gi for gi, pi in _match(gold_chars, [_chars(q.parts) for q in preds], threshold)}
        for pi, q in enumerate(preds):
            form = text[q.cue[0] : q.cue[1]].lower()  # type: ignore[index]
            seen[form] += 1
            if pi in matches:
                hits[form] += 1
    return {
        form: round((hits[form] + smoothing * 0.5) / (n + smoothing), 3)
        for form, n in sorted(seen.items())
        if n >= min_count
    }


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m storybrief.evaluate.quotes [eval|learn] PATH``: a developer entry point."""
    import argparse

    from ..config import Options

    parser = argparse.ArgumentParser(prog="python -m storybrief.evaluate.quotes")
    parser.add_argument("command", choices=["eval", "learn"])
    parser.add_argument("data")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args(argv)
    options = Options(cache=not args.no_cache)
    if args.command == "learn":
        prior = learn_cues(args.data, options=options)
        print(json.dumps(prior, indent=1, sort_keys=True))
    else:
        result = evaluate_quotes(args.data, limit=args.limit, options=options)
        print(result.to_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
