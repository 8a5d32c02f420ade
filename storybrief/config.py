"""One frozen options object, with defaults shipped here and an optional user TOML file on top."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError


def default_cache_path() -> Path:
    root = os.environ.get("STORYBRIEF_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    base = Path(root) if root else Path.home() / ".cache"
    if not os.environ.get("STORYBRIEF_CACHE_DIR"):
        base = base / "storybrief"
    return base / "analysis.sqlite"


@dataclass(frozen=True, kw_only=True)
class Options:
    """Every tunable of a run.  Pass one down explicitly; there are no globals."""

    # summary
    words: int = 230
    method: str = "storybrief"
    # sources
    strict: bool = False
    max_file_bytes: int = 20_000_000
    min_words: int = 25
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

    def __post_init__(self) -> None:
        # a TOML list or a CLI tuple alike; host names compare in lower case
        object.__setattr__(self, "allow_hosts", tuple(h.strip().lower().strip("[]") for h in self.allow_hosts))
        if self.words < 1:
            raise ConfigError(f"words must be positive, got {self.words}", where="options")
        for name in ("fetch_timeout", "fetch_deadline"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"{name} must be a positive number of seconds, got {getattr(self, name)}",
                                  where="options")
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
                f"unknown option(s) {', '.join(unknown)}", where=str(path), hint=f"known: {', '.join(sorted(known))}"
            )
        for key in ("cache_path", "outlets_file"):
            if key in section:
                section[key] = Path(section[key]).expanduser()
        return cls(**section).with_(**overrides)
