"""Property tests: random bytes and random structure into every reader and the API's intake.

A reader never raises: whatever the bytes, each source becomes an article or a
rejection with a known reason.  The Multi-News reader raises only SourceError,
and the API's intake only RequestError (an HTTP 4xx).  CI runs a bounded number
of examples per target; scripts/fuzz.py runs the same targets for as long as
you like (see its docstring for the long run).
"""

from __future__ import annotations

import json

from fuzz_targets import (
    fuzz_api_json,
    fuzz_api_multipart,
    fuzz_gz,
    fuzz_html,
    fuzz_json,
    fuzz_jsonl,
    fuzz_multinews,
    fuzz_txt,
    multipart_body,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIELDS = [
    "text",
    "body",
    "content",
    "title",
    "outlet",
    "source",
    "url",
    "published",
    "date",
    "id",
    "language",
    "documents",
    "summary",
    "llm_flagged_irrelevant_doc_indices",
]
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=60)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)
records = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8)
words = st.lists(
    st.sampled_from(
        [
            "the",
            "council",
            "said",
            "Mr",
            "Smith",
            "fire",
            "“",
            "”",
            ".",
            ",",
            "\n",
            "\n\n",
            "Title:",
            "Outlet:",
            "Date:",
            "URL:",
            "<p>",
            "</p>",
            "\u202e",
            "\x00",
            "é",
            "2024",
        ]
    ),
    max_size=80,
).map(" ".join)


def nested(depth: int, inner: str = '"x"') -> str:
    return "[" * depth + inner + "]" * depth


deep_json = st.builds(
    lambda depth, where: {
        "whole": nested(depth),
        "field": '{"text": "The council met.", "extra": ' + nested(depth) + "}",
        "object": '{"a":' * depth + "1" + "}" * depth,
    }[where],
    st.integers(1, 200_000),
    st.sampled_from(["whole", "field", "object"]),
)


def encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


@BOUNDED
@given(st.binary(max_size=3000) | words.map(encoded))
def test_txt_reader_never_raises(data):
    fuzz_txt(data)


@BOUNDED
@given(
    st.binary(max_size=3000)
    | words.map(lambda w: encoded(f"<html><body><article><p>{w}</p></article></body></html>"))
)
def test_html_reader_never_raises(data):
    fuzz_html(data)


@BOUNDED
@given(
    st.binary(max_size=2000)
    | json_values.map(json.dumps).map(encoded)
    | st.lists(records, max_size=3).map(json.dumps).map(encoded)
    | deep_json.map(encoded)
)
def test_json_reader_never_raises(data):
    fuzz_json(data)


jsonl_bodies = st.lists(records.map(json.dumps) | deep_json | st.text(max_size=40), max_size=6).map(
    lambda lines: encoded("\n".join(lines))
)


@BOUNDED
@given(st.binary(max_size=2000) | jsonl_bodies)
def test_jsonl_reader_never_raises(data):
    fuzz_jsonl(data)


@BOUNDED
@given(
    st.binary(max_size=2000).map(lambda b: b"\x00" + b)
    | st.binary(max_size=2000).map(lambda b: b"\x01" + b)
    | jsonl_bodies.map(lambda b: b"\x01" + b)
)
def test_gz_reader_never_raises(data):
    fuzz_gz(data)


@BOUNDED
@given(st.binary(max_size=2000) | jsonl_bodies)
def test_multinews_reader_raises_only_source_errors(data):
    fuzz_multinews(data)


@BOUNDED
@given(
    st.binary(max_size=2000)
    | json_values.map(json.dumps).map(encoded)
    | st.fixed_dictionaries(
        {"articles": st.lists(records, max_size=3)}, optional={"words": json_values, "method": json_values}
    )
    .map(json.dumps)
    .map(encoded)
    | deep_json.map(encoded)
)
def test_api_json_intake_raises_only_request_errors(data):
    fuzz_api_json(data)


parts = st.lists(
    st.tuples(
        st.sampled_from(["files", "article-1-text", "article-1-title", "article-2-outlet", "words", "method"])
        | st.text(max_size=10),
        st.none()
        | st.sampled_from(
            ["a.txt", "b.html", "c.json", "d.jsonl", "e.jsonl.gz", "f", "\u202eevil.txt", "../../x.txt"]
        ),
        st.binary(max_size=500) | words.map(encoded) | jsonl_bodies,
    ),
    max_size=4,
).map(multipart_body)


@BOUNDED
@given(st.binary(max_size=2000) | parts)
def test_api_multipart_intake_raises_only_request_errors(data):
    fuzz_api_multipart(data)
