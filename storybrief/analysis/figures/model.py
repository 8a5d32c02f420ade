"""A figure: one number an article states, normalised (see the package docstring for the fields)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...articles import Span
from ...schema import Bound
from ..dates import DateValue

KINDS = ("count", "money", "percent", "age", "duration", "quantity", "date")
QUALIFIERS = ("exact", "about", "over", "at-least", "under", "at-most", "nearly", "range", "vague")


@dataclass(frozen=True)
class Figure:
    """One stated number, normalised.  See the module docstring for the fields."""

    span: Span
    kind: str
    value: Bound | None
    unit: str = ""
    low: Bound = -math.inf
    high: Bound = math.inf
    qualifier: str = "exact"
    thing: str | None = None
    modifiers: tuple[str, ...] = ()
    complement: tuple[str, ...] = ()
    per: str | None = None
    date: DateValue | None = None
    relative: bool = False
    subject: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown figure kind {self.kind!r}")
        if self.qualifier not in QUALIFIERS:
            raise ValueError(f"unknown qualifier {self.qualifier!r}")

    @property
    def key(self) -> tuple[str, str, str | None]:
        """What must match before two figures can be compared at all."""
        return (self.kind, self.unit, self.per)
