"""Outlet metadata from an optional user file: display names and free labels.

Nothing is built in: storybrief never decides an outlet's region, owner or
lean.  A user who wants them writes a small TOML file::

    # outlets.toml
    [outlets."The Kellhaven Courier"]
    display_name = "Kellhaven Courier"
    aliases = ["Courier", "kellhaven-courier.example"]
    region = "Kellhaven"
    owner = "Courier Media"
    lean = "centre"

    [outlets."Coastal Press Agency"]
    display_name = "CPA"
    kind = "wire"

Each table under ``[outlets]`` is keyed by the outlet name as the articles
give it.  ``display_name`` (a string) and ``aliases`` (a list of strings:
other spellings of the same outlet, matched the same way) are optional; every
other key is a free label whose value must be a string.  Names and aliases
match without regard to letter case or repeated spaces.  A bad file raises
:class:`~storybrief.errors.ConfigError` naming the file and the entry.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .errors import ConfigError
from .schema import Labels

__all__ = ["OutletDirectory", "OutletInfo", "load_outlets", "parse_outlets"]

_RESERVED = ("display_name", "aliases")


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(frozen=True)
class OutletInfo:
    """What the user says about one outlet."""

    name: str
    display_name: str | None = None
    aliases: tuple[str, ...] = ()
    labels: Labels = ()

    def label(self, key: str) -> str | None:
        return dict(self.labels).get(key)


@dataclass(frozen=True)
class OutletDirectory:
    """The user's outlets, looked up by name or alias.  Empty by default."""

    source: str | None = field(default=None, kw_only=True)
    outlets: tuple[OutletInfo, ...] = ()
    _index: ClassVar[dict[str, OutletInfo]]  # by name and alias, set per instance: not a field

    def __post_init__(self) -> None:
        index: dict[str, OutletInfo] = {}  # by name and alias: an attribute, not a field (never stored)
        object.__setattr__(self, "_index", index)
        for info in self.outlets:
            for name in (info.name, *info.aliases):
                key = _key(name)
                other = index.get(key)
                if other is not None and other is not info:
                    raise ConfigError(
                        f"outlet name {name!r} is given for both {other.name!r} and {info.name!r}",
                        where=self.source or "outlets",
                        hint="each name or alias may belong to one outlet only",
                    )
                index[key] = info

    def info(self, name: str) -> OutletInfo | None:
        return self._index.get(_key(name))

    def display_name(self, name: str) -> str:
        info = self.info(name)
        return (info.display_name if info and info.display_name else None) or name

    def labels(self, name: str) -> dict[str, str]:
        info = self.info(name)
        return dict(info.labels) if info else {}

    def __len__(self) -> int:
        return len(self.outlets)


def parse_outlets(data: dict[str, Any], *, where: str = "outlets") -> OutletDirectory:
    """Check and read the parsed TOML of an outlet file (``where`` names it in errors)."""
    unknown = sorted(set(data) - {"outlets"})
    if unknown:
        raise ConfigError(
            f"unknown top-level key(s) {', '.join(unknown)}",
            where=where,
            hint='put each outlet in a table such as [outlets."Outlet Name"]',
        )
    tables = data.get("outlets", {})
    if not isinstance(tables, dict):
        raise ConfigError(
            "'outlets' must be a table of outlet tables", where=where, hint='use [outlets."Outlet Name"]'
        )
    infos = []
    for name, entry in tables.items():
        at = f"{where}: outlets.{name!r}"
        if not isinstance(entry, dict):
            raise ConfigError(
                f"must be a table, got {type(entry).__name__}", where=at, hint='use [outlets."Outlet Name"]'
            )
        if not name.strip():
            raise ConfigError("outlet name is empty", where=at)
        display = entry.get("display_name")
        if display is not None and (not isinstance(display, str) or not display.strip()):
            raise ConfigError("display_name must be a non-empty string", where=at)
        aliases = entry.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
            raise ConfigError("aliases must be a list of non-empty strings", where=at)
        labels = []
        for key, value in entry.items():
            if key in _RESERVED:
                continue
            if not isinstance(value, str):
                raise ConfigError(
                    f"label {key!r} must be a string, got {type(value).__name__}",
                    where=at,
                    hint='labels are free text, e.g. lean = "centre"',
                )
            labels.append((key, value))
        infos.append(
            OutletInfo(name=name, display_name=display, aliases=tuple(aliases), labels=tuple(sorted(labels)))
        )
    return OutletDirectory(outlets=tuple(infos), source=where)


def load_outlets(path: str | Path) -> OutletDirectory:
    """Read an outlet file.  Raises :class:`ConfigError` naming the file on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read outlet file: {e}", where=str(path)) from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(
            f"not valid TOML: {e}", where=str(path), hint="see the outlet file format in storybrief.outlets"
        ) from e
    return parse_outlets(data, where=str(path))
