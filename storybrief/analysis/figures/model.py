"""A figure: one number an article states, normalised (see the package docstring for the fields)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ...articles import Span
from ..dates import DateValue

KINDS = ("count", "money", "percent", "age", "duration", "quantity", "date")
QUALIFIERS = ("exact", "about", "over", "at-least", "under", "at-most", "nearly", "range", "vague")


@dataclass(frozen=True)
class Figure:
    """One stated number, normalised.  See the module docstring for the fields."""

    span: Span
    kind: str
    value: float | None
    unit: str = ""
    low: float = -math.inf
    high: float = math.inf
    qualifier: str = "exact"
    thing: str | None = None
    modifiers: tuple[str, ...] = ()
    per: str | None = None
    date: DateValue | None = None
    relative: bool = False
    complement: tuple[str, ...] = field(default=())
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

    def to_dict(self) -> dict[str, Any]:
        def num(x: float | None) -> float | str | None:
            if x is None:
                return None
            if math.isinf(x):
                return "inf" if x > 0 else "-inf"
            return x

        return {
            "span": self.span.to_dict(),
            "kind": self.kind,
            "value": num(self.value),
            "unit": self.unit,
            "low": num(self.low),
            "high": num(self.high),
            "qualifier": self.qualifier,
            "thing": self.thing,
            "modifiers": list(self.modifiers),
            "complement": list(self.complement),
            "per": self.per,
            "date": self.date.to_dict() if self.date else None,
            "relative": self.relative,
            "subject": self.subject,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figure:
        def num(x: Any) -> float | None:
            if x is None:
                return None
            return float(x)  # float("inf") and float("-inf") read the strings back

        return cls(
            span=Span.from_dict(data["span"]),
            kind=data["kind"],
            value=num(data.get("value")),
            unit=data.get("unit", ""),
            low=num(data.get("low", "-inf")),
            high=num(data.get("high", "inf")),
            qualifier=data.get("qualifier", "exact"),
            thing=data.get("thing"),
            modifiers=tuple(data.get("modifiers", ())),
            complement=tuple(data.get("complement", ())),
            per=data.get("per"),
            date=DateValue.from_dict(data["date"]) if data.get("date") else None,
            relative=bool(data.get("relative", False)),
            subject=data.get("subject"),
        )
