"""One converter between the typed records and JSON-able data.

Every record storybrief writes or reads (articles, briefings, stories' ledgers and coverage, outlet
directories, stored summaries ...) is a frozen dataclass, and the dataclass is its only description:
pydantic's ``TypeAdapter`` dumps it to JSON-able data (:func:`to_data`) and validates data back into
it (:func:`from_data`), and the web API documents and checks its responses with the same classes.
Where the JSON wants another shape than the Python field, the field's type says so once, with one of
the annotated types below (a timestamp as ISO 8601 text, pairs as an object, an infinite bound as
``"inf"``).
"""

from __future__ import annotations

import dataclasses
import math
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import (
    BeforeValidator,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    model_serializer,
)

from .errors import StorybriefError

T = TypeVar("T")


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}
_COMPUTED: dict[tuple[Any, tuple[str, ...]], tuple[str, ...]] = {}


def adapter(cls: Any) -> TypeAdapter[Any]:
    """The pydantic adapter of a record class, built once."""
    found = _ADAPTERS.get(cls)
    if found is None:
        found = _ADAPTERS[cls] = TypeAdapter(cls)
    return found


def to_data(record: Any) -> Any:
    """The record as JSON-able data (dicts, lists, strings, numbers), keys in field order."""
    return adapter(type(record)).dump_python(record, mode="json", by_alias=True)


def from_data(cls: type[T], data: Any, *, where: str | None = None) -> T:
    """Data (e.g. parsed JSON) validated into a record of ``cls``; an error names ``where`` the data came
    from (default: the class) and the first bad field."""
    try:
        return adapter(cls).validate_python(data)
    except ValidationError as e:
        first = e.errors()[0]
        at = ".".join(str(p) for p in first["loc"]) or "top level"
        raise StorybriefError(
            f"malformed {cls.__name__} data at {at}: {first['msg']} ({e.error_count()} error(s))",
            where=where or cls.__name__,
        ) from e


def computed_before(name: str) -> Any:
    """A record's serializer that writes its computed fields (``@computed_field``) just before field ``name``,
    where its readers expect them, instead of after every stored field."""

    def serialize(self: Any, handler: SerializerFunctionWrapHandler):
        # (no return annotation: the JSON schema stays the record's own)
        return place_computed(self, handler(self), before=name)

    return model_serializer(mode="wrap")(serialize)


def _computed_keys(cls: Any, keys: tuple[str, ...]) -> tuple[str, ...]:
    found = _COMPUTED.get((cls, keys))
    if found is None:
        stored = {f.name for f in dataclasses.fields(cls)}
        found = _COMPUTED[cls, keys] = tuple(k for k in keys if k not in stored and hasattr(cls, k))
    return found


def place_computed(record: Any, data: dict[str, Any], *, before: str) -> dict[str, Any]:
    """``data`` (a record's JSON object) with its computed keys (properties, not fields) moved before ``before``."""
    computed_keys = _computed_keys(type(record), tuple(data))
    computed = {k: data[k] for k in computed_keys}
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == before:
            out.update(computed)
        if key not in computed:
            out[key] = value
    return out


def _to_datetime(value: Any) -> Any:
    return datetime.fromisoformat(value) if isinstance(value, str) else value


#: A timestamp, written as Python's ISO 8601 text (``2024-03-01T10:00:00+00:00``, offset kept as given).
Timestamp = Annotated[
    datetime,
    BeforeValidator(_to_datetime),
    PlainSerializer(datetime.isoformat, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def _pairs(value: Any) -> Any:
    return tuple(value.items()) if isinstance(value, dict) else value


def _sorted_pairs(value: Any) -> Any:
    return tuple(sorted((str(k), str(v)) for k, v in value.items())) if isinstance(value, dict) else value


#: Labels (name -> value) kept as sorted pairs, written as a JSON object.
Labels = Annotated[
    tuple[tuple[str, str], ...],
    BeforeValidator(_sorted_pairs),
    PlainSerializer(dict, return_type=dict[str, str]),
    WithJsonSchema({"type": "object", "additionalProperties": {"type": "string"}}),
]

#: Counts (name -> n) kept as pairs in their order, written as a JSON object.
Counts = Annotated[
    tuple[tuple[str, int], ...],
    BeforeValidator(_pairs),
    PlainSerializer(dict, return_type=dict[str, int]),
    WithJsonSchema({"type": "object", "additionalProperties": {"type": "integer"}}),
]


def _bound(value: float) -> float | str:
    return ("inf" if value > 0 else "-inf") if math.isinf(value) else value


#: A bound that may be infinite, written as a number or as ``"inf"``/``"-inf"`` (JSON has no infinity).
Bound = Annotated[
    float,
    PlainSerializer(_bound),
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "enum": ["inf", "-inf"]}]}),
]


__all__ = [
    "Bound",
    "Counts",
    "Labels",
    "Timestamp",
    "adapter",
    "computed_before",
    "from_data",
    "place_computed",
    "to_data",
]
