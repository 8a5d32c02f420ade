"""One frozen options object, with defaults shipped here and an optional user TOML file on top."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, ClassVar

from .errors import ConfigError


def default_cache_path() -> Path:
    root = os.environ.get("STORYBRIEF_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    base = Path(root) if root else Path.home() / ".cache"
    if not os.environ.get("STORYBRIEF_CACHE_DIR"):
        base = base / "storybrief"
    return base / "analysis.sqlite"


def _tunable(default: float, *, low: float, high: float | None = None) -> Any:
    """A numeric tunable of a section, checked to lie in [low, high] (no upper bound without ``high``)."""
    return field(default=default, metadata={"low": low, "high": high})


@dataclass(frozen=True, kw_only=True)
class _Section:
    """A typed section of :class:`Options`: a TOML table ``[name]`` of numeric tunables."""

    name: ClassVar[str]

    def __post_init__(self) -> None:
        for f in fields(self):
            key, value = f"{self.name}.{f.name}", getattr(self, f.name)
            _check_option(key, value, f.type)
            low, high = f.metadata["low"], f.metadata["high"]
            if value < low or (high is not None and value > high):
                bounds = f"in [{low}, {high}]" if high is not None else f"at least {low}"
                raise ConfigError(f"{key} must be {bounds}, got {value}", where="options")

    @classmethod
    def from_table(cls, table: Any) -> Any:
        """The section from a TOML table (a dict); unknown keys are a :class:`ConfigError`."""
        if isinstance(table, cls):
            return table
        if not isinstance(table, dict):
            raise ConfigError(f"{cls.name} must be a table of options, got {table!r}", where="options")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ConfigError(
                f"unknown option(s) {', '.join(f'{cls.name}.{k}' for k in unknown)}",
                where="options",
                hint=f"known in [{cls.name}]: {', '.join(sorted(known))}",
            )
        return cls(**table)


@dataclass(frozen=True, kw_only=True)
class FactOptions(_Section):
    """``[facts]``: when sentences of different outlets state the same fact (:mod:`storybrief.stories.facts`)."""

    name: ClassVar[str] = "facts"
    # sentences whose fact similarity reaches this state the same fact; below it they share only the
    # topic (calibrated on tests/data/fact_pairs.json and the bundled example)
    min_similarity: float = _tunable(0.5, low=0.0, high=1.0)
    # weight of the MiniLM cosine against the term overlap in their weighted geometric mean
    cosine_weight: float = _tunable(0.7, low=0.0, high=1.0)


@dataclass(frozen=True, kw_only=True)
class DisagreementOptions(_Section):
    """``[disagreements]``: when two outlets' figures measure the same thing and so can disagree
    (:mod:`storybrief.stories.disagreements`; also what keeps two sentences out of one fact group)."""

    name: ClassVar[str] = "disagreements"
    # two sentences of one fact group are one statement for comparing figures only when their
    # TF-IDF cosine over the story's sentences reaches this
    same_statement_min_cosine: float = _tunable(0.38, low=0.0, high=1.0)
    # words either side of a figure that make up its context
    context_words: int = _tunable(6, low=0)
    # inside a fact group, a named thing whose nearby words differ still compares when the two
    # sentences share this share of their content terms (Jaccard)
    same_fact_min_jaccard: float = _tunable(0.3, low=0.0, high=1.0)
    # across fact groups, the sentences must share this share of their content terms (Jaccard) ...
    cross_fact_min_jaccard: float = _tunable(0.15, low=0.0, high=1.0)
    # ... and this many content terms of the words around the figures ...
    cross_fact_min_shared_context: int = _tunable(1, low=0)
    # ... and the values may be no further apart than this factor
    cross_fact_max_ratio: float = _tunable(3.0, low=1.0)


@dataclass(frozen=True, kw_only=True)
class LedgerOptions(_Section):
    """``[ledger]``: when two outlets' quotes are one statement (:mod:`storybrief.stories.ledger`)."""

    name: ClassVar[str] = "ledger"
    # share of the shorter version's content terms that the other must have ...
    same_statement_min_share: float = _tunable(0.5, low=0.0, high=1.0)
    # ... and the share needed when one side's speaker is not known
    unknown_speaker_min_share: float = _tunable(0.7, low=0.0, high=1.0)
    # versions with fewer content terms than this are never matched
    min_content_terms: int = _tunable(3, low=1)


@dataclass(frozen=True, kw_only=True)
class CoverageOptions(_Section):
    """``[coverage]``: single-source claims and syndicated copies (:mod:`storybrief.stories.coverage`)."""

    name: ClassVar[str] = "coverage"
    # a single-source sentence shorter than this many words is not listed as a claim
    min_claim_words: int = _tunable(6, low=0)
    # a copy's sentence reproduces an original sentence that shares this share of its content terms
    copy_sentence_min_jaccard: float = _tunable(0.8, low=0.0, high=1.0)


@dataclass(frozen=True, kw_only=True)
class TimelineOptions(_Section):
    """``[timeline]``: when two outlets' dates are one event (:mod:`storybrief.stories.timeline`)."""

    name: ClassVar[str] = "timeline"
    # sentences outside one fact group date the same event when they share this share of their
    # content terms (Jaccard, date words left out)
    same_event_min_jaccard: float = _tunable(0.25, low=0.0, high=1.0)


_SECTIONS: dict[str, type[_Section]] = {
    cls.name: cls
    for cls in (FactOptions, DisagreementOptions, LedgerOptions, CoverageOptions, TimelineOptions)
}


@dataclass(frozen=True, kw_only=True)
class Options:
    """Every tunable of a run.  Pass one down explicitly; there are no globals.

    The story stage's thresholds are sections (``facts``, ``disagreements``, ``ledger``, ``coverage``,
    ``timeline``): tables in the TOML file, and a section object or a dict here
    (``Options(facts={"min_similarity": 0.6})``).
    """

    # summary
    words: int = 230
    method: str = "storybrief"
    # sources
    strict: bool = False
    max_file_bytes: int = 20_000_000
    min_words: int = 25
    # a .jsonl.gz is decompressed as a stream and set aside past either cap (decompression bombs)
    max_decompressed_bytes: int = 200_000_000
    max_compression_ratio: int = 100
    # articles in one run (0: no limit; the web app sets its per-request cap), checked while reading
    max_articles: int = 0
    # an article longer than this is set aside as too-large instead of analysed (about 330,000 words)
    max_article_chars: int = 2_000_000
    # ... and one with more sentences than this (estimated from its punctuation): the story stage compares
    # every sentence of a story with every other, so its memory grows with the square of this
    max_article_sentences: int = 2_500
    # articles: near-duplicate (syndicated copy) threshold on word-shingle containment
    duplicate_threshold: float = 0.8
    # stories: an article joins its most likely story when the story index's fitted model gives it at
    # least this probability of belonging there, and opens a new story otherwise (see stories.index)
    story_threshold: float = 0.5
    # analysis
    ner: bool = True
    cache: bool = True
    cache_path: Path | None = None
    # briefing: optional TOML of outlet display names and labels (see storybrief.outlets)
    outlets_file: Path | None = None
    # fetching (storybrief ingest / watch): hosts let past the SSRF guard, robots.txt, time limits in seconds
    allow_hosts: tuple[str, ...] = ()
    respect_robots: bool = True
    fetch_timeout: float = 20.0  # connect and read: the longest silence we wait through
    fetch_deadline: float = 60.0  # one response, start to end: a body that never ends is cut here
    # the story stage's thresholds, one typed section (a TOML table) each
    facts: FactOptions = field(default_factory=FactOptions)
    disagreements: DisagreementOptions = field(default_factory=DisagreementOptions)
    ledger: LedgerOptions = field(default_factory=LedgerOptions)
    coverage: CoverageOptions = field(default_factory=CoverageOptions)
    timeline: TimelineOptions = field(default_factory=TimelineOptions)

    def __post_init__(self) -> None:
        for name, section in _SECTIONS.items():
            object.__setattr__(self, name, section.from_table(getattr(self, name)))
        for f in fields(self):
            _check_option(f.name, getattr(self, f.name), f.type)
            if f.type == "Path | None" and isinstance(getattr(self, f.name), str):
                object.__setattr__(self, f.name, Path(getattr(self, f.name)))
        # a TOML list or a CLI tuple alike; host names compare in lower case
        if isinstance(self.allow_hosts, str) or not all(isinstance(h, str) for h in self.allow_hosts):
            raise ConfigError(
                f"allow_hosts must be a list of host names, got {self.allow_hosts!r}", where="options"
            )
        object.__setattr__(
            self, "allow_hosts", tuple(h.strip().lower().strip("[]") for h in self.allow_hosts)
        )
        if self.words < 1:
            raise ConfigError(f"words must be positive, got {self.words}", where="options")
        for name in ("fetch_timeout", "fetch_deadline"):
            if not getattr(self, name) > 0:
                raise ConfigError(
                    f"{name} must be a positive number of seconds, got {getattr(self, name)}", where="options"
                )
        for name in (
            "max_file_bytes",
            "max_decompressed_bytes",
            "max_compression_ratio",
            "max_article_chars",
            "max_article_sentences",
        ):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be positive, got {getattr(self, name)}", where="options")
        for name in ("min_words", "max_articles"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name} must not be negative, got {getattr(self, name)}", where="options")
        for name in ("duplicate_threshold", "story_threshold"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"{name} must be in [0, 1], got {value}", where="options")

    @property
    def resolved_cache_path(self) -> Path:
        return self.cache_path or default_cache_path()

    def with_(self, **changes: Any) -> Options:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_file(cls, path: str | Path, **overrides: Any) -> Options:
        """Read a TOML file whose keys are option names (``words = 150``)."""
        path = Path(path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"cannot read config: {e}", where=str(path)) from e
        section = data.get("storybrief", data)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(section) - known)
        if unknown:
            raise ConfigError(
                f"unknown option(s) {', '.join(unknown)}",
                where=str(path),
                hint=f"known: {', '.join(sorted(known))}",
            )
        for key in ("cache_path", "outlets_file"):
            if key in section:
                if not isinstance(section[key], str) or not section[key].strip() or "\x00" in section[key]:
                    raise ConfigError(
                        f"{key} must be a path (a non-empty string), got {section[key]!r}", where=str(path)
                    )
                section[key] = Path(section[key]).expanduser()
        try:
            return cls(**section).with_(**overrides)
        except ConfigError as e:
            raise ConfigError(e.message, where=str(path), hint=e.hint) from e


# What each annotation accepts; a bool is never taken for a number (TOML has real booleans).
_ACCEPTS: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "str": (str,),
    "Path | None": (Path, str, type(None)),
}
_TYPE_NAMES = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "str": "a string",
    "Path | None": "a path",
}


def _check_option(name: str, value: Any, annotation: Any) -> None:
    """Refuse a value of the wrong type, naming the option, before it can fail somewhere deep in a run."""
    kind = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
    accepted = _ACCEPTS.get(kind)
    if accepted is None:
        return
    if (isinstance(value, bool) and bool not in accepted) or not isinstance(value, accepted):
        raise ConfigError(f"{name} must be {_TYPE_NAMES[kind]}, got {value!r}", where="options")
