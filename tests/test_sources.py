"""Stage 1, sources: every accepted format, and every way a source is set aside with a named reason."""

from __future__ import annotations

import gzip
import json
import logging
import os
import random
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest

import storybrief.sources
from storybrief.articles import Rejection
from storybrief.config import Options
from storybrief.errors import RejectedSource, SourceError
from storybrief.sources import ReadResult, iter_clusters, iter_sources, read_file, read_sources

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
MULTINEWS_VAL = SHARED / "data" / "multinews" / "val.00.jsonl.gz"
SEEDS = SHARED / "data" / "seeds"

BODY = (
    "The city council voted on Tuesday night to approve a new pedestrian bridge across the river, "
    "ending a debate that has run for almost a decade.\n\n"
    "\u201cThis is a great day for the town,\u201d said the council leader, Maria L\u00f3pez, after the vote "
    "passed by 31 votes to 12.  She said work would begin in the autumn."
)

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Council approves new river bridge | The Riverside Gazette</title>
<meta property="og:title" content="Council approves new river bridge">
<meta property="og:site_name" content="The Riverside Gazette">
<meta property="og:url" content="https://gazette.example.org/news/bridge-approved">
<meta property="article:published_time" content="2024-03-05T09:30:00+00:00">
</head>
<body>
<header><nav><ul>
  <li><a href="/">Home</a></li><li><a href="/news">News</a></li>
  <li><a href="/sport">Sport</a></li><li><a href="/contact">Contact us</a></li>
</ul></nav></header>
<main><article>
<h1>Council approves new river bridge</h1>
<p>The city council voted on Tuesday night to approve a new pedestrian bridge across the river,
ending a debate that has run for almost a decade.</p>
<p>\u201cThis is a great day for the town,\u201d said the council leader, Maria L\u00f3pez, after the vote
passed by 31 votes to 12. She said work would begin in the autumn.</p>
<p>Opponents argued that the cost, estimated at 14 million pounds, could be better spent on repairing
roads and on the library service, which has lost staff in recent years.</p>
<p>The bridge will link the railway station to the old market district and is expected to open in 2026,
according to the council's own timetable.</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Library hours cut</a></li><li><a href="/b">Team wins cup</a></li></ul></aside>
<footer><p>Copyright 2024 The Riverside Gazette. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> <a href="/terms">Terms and conditions</a></footer>
</body></html>
"""

INDEX_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>The Riverside Gazette - Home</title></head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<main><ul class="teasers"><li><a href="/a">Council approves bridge</a></li>
<li><a href="/b">Library hours cut</a></li><li><a href="/c">Local team wins cup</a></li></ul></main>
<footer><p>Copyright 2024 The Riverside Gazette.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>
"""

PNG_HEADER = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00\x5c\x72\xa8\x66"
)


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def only_rejection(result: ReadResult):
    assert result.articles == ()
    assert len(result.rejections) == 1, result.rejections
    return result.rejections[0]


def words(n: int) -> str:
    return " ".join(f"word{i}" for i in range(n))


# --- .txt -------------------------------------------------------------------


def test_txt_header_sets_metadata_and_keeps_body_exactly(tmp_path):
    raw = (
        "Title: Council approves bridge\r\n"
        "OUTLET: The Riverside Gazette\r\n"
        "url: https://gazette.example.org/news/bridge\r\n"
        "Date: 2024-03-05T09:30:00+01:00\r\n"
        "Language: en-GB\r\n"
        "\r\n"
        "\r\n" + BODY.replace("\n", "\r\n") + "\r\n\r\n"
    )
    path = write(tmp_path, "bridge.txt", raw)
    result = read_sources([path])
    assert result.rejections == ()
    (article,) = result.articles
    assert article.title == "Council approves bridge"
    assert article.outlet == "The Riverside Gazette"
    assert article.url == "https://gazette.example.org/news/bridge"
    assert article.published.isoformat() == "2024-03-05T09:30:00+01:00"
    assert article.published.utcoffset() == timedelta(hours=1)
    assert article.language == "en"
    assert article.text == BODY  # inner double space, curly quotes and accents untouched
    assert article.source == str(path)


def test_txt_written_date_keeps_its_time_zone(tmp_path):
    path = write(tmp_path, "a.txt", f"Date: Wed, 01 Aug 2018 09:30:00 GMT\n\n{BODY}")
    (article,) = read_sources([path]).articles
    assert (article.published.year, article.published.month, article.published.day) == (2018, 8, 1)
    assert (article.published.hour, article.published.utcoffset()) == (9, timedelta(0))


def test_txt_without_header_is_all_body(tmp_path):
    text = "Washington: The president said on Monday that " + words(30)
    path = write(tmp_path, "a.txt", f"\n{text}\n")
    (article,) = read_sources([path]).articles
    assert article.text == text
    assert (article.title, article.outlet, article.url, article.published) == ("", "", None, None)


def test_txt_header_with_unknown_key_is_malformed_naming_the_line(tmp_path):
    path = write(tmp_path, "a.txt", f"Title: Bridge\nOutlett: Gazette\n\n{BODY}")
    rejection = only_rejection(read_sources([path]))
    assert (rejection.source, rejection.reason) == (str(path), "malformed")
    assert "header line 2" in rejection.detail and "Outlett" in rejection.detail


def test_txt_relative_date_is_refused(tmp_path):
    path = write(tmp_path, "a.txt", f"Date: yesterday\n\n{BODY}")
    rejection = only_rejection(read_sources([path]))
    assert rejection.reason == "malformed"
    assert "'yesterday'" in rejection.detail and "ISO 8601" in rejection.detail


def test_too_short_names_word_count_and_minimum(tmp_path):
    path = write(tmp_path, "short.txt", "Only five words are here.")
    rejection = only_rejection(read_sources([path]))
    assert rejection.reason == "too-short"
    assert rejection.detail == "has 5 words, fewer than the 25-word minimum (min_words)"
    assert read_sources([path], options=Options(min_words=5)).articles[0].text == "Only five words are here."


# --- HTML -------------------------------------------------------------------


def test_html_extracts_body_and_metadata_without_boilerplate(tmp_path):
    path = write(tmp_path, "bridge.html", PAGE)
    result = read_sources([path])
    assert result.rejections == ()
    (article,) = result.articles
    assert article.title == "Council approves new river bridge"
    assert article.outlet == "The Riverside Gazette"
    assert article.url == "https://gazette.example.org/news/bridge-approved"
    assert article.published.date() == date(2024, 3, 5)
    assert article.language == "en"
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("The city council voted on Tuesday night")
    assert paragraphs[1].startswith(
        "\u201cThis is a great day for the town,\u201d said the council leader, Maria L\u00f3pez"
    )
    assert paragraphs[3].endswith("according to the council's own timetable.")
    for boilerplate in ("Contact us", "Privacy policy", "Copyright", "Most read", "Library hours cut"):
        assert boilerplate not in article.text


def test_html_honours_declared_legacy_charset(tmp_path):
    page = PAGE.replace(
        '<meta charset="utf-8">', '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">'
    )
    page = (
        page.replace("Maria L\u00f3pez", "Maria \u0141\u00f3pez")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
    )
    path = write(tmp_path, "page.htm", page.encode("iso-8859-2"))
    (article,) = read_sources([path]).articles
    assert "Maria \u0141\u00f3pez" in article.text


def test_html_without_an_article_is_no_text(tmp_path):
    path = write(tmp_path, "index.html", INDEX_PAGE)
    rejection = only_rejection(read_sources([path]))
    assert (rejection.source, rejection.reason) == (str(path), "no-text")
    assert "no article text" in rejection.detail


# --- empty, binary, encodings, size ------------------------------------------


@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.json", "a.jsonl", "a.md"])
def test_zero_byte_file_is_empty(tmp_path, name):
    rejection = only_rejection(read_sources([write(tmp_path, name, b"")]))
    assert (rejection.reason, rejection.detail) == ("empty", "file is empty (0 bytes)")


@pytest.mark.parametrize("name", ["a.txt", "a.html", "a.json"])
def test_whitespace_only_file_is_empty(tmp_path, name):
    rejection = only_rejection(read_sources([write(tmp_path, name, " \n\t\r\n  \n")]))
    assert (rejection.reason, rejection.detail) == ("empty", "file holds only whitespace")


def test_random_bytes_with_nuls_are_binary(tmp_path):
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096)) + b"\x00"
    rejection = only_rejection(read_sources([write(tmp_path, "notes.txt", data)]))
    assert rejection.reason == "binary"
    assert "NUL" in rejection.detail


def test_png_is_binary_and_says_the_type_is_not_read(tmp_path):
    rejection = only_rejection(read_sources([write(tmp_path, "photo.png", PNG_HEADER + bytes(range(256)))]))
    assert rejection.reason == "binary"
    assert "'.png' files" in rejection.detail


def test_control_characters_without_nuls_are_binary(tmp_path):
    rng = random.Random(3)
    data = bytes(rng.randrange(1, 0x20) if i % 4 == 0 else 0x61 for i in range(2000))
    rejection = only_rejection(read_sources([write(tmp_path, "a.txt", data)]))
    assert rejection.reason == "binary"
    assert "control characters" in rejection.detail


def test_huge_file_is_rejected_from_its_size_without_being_read(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: instant, no disk used
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = read_sources([path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rejection = only_rejection(result)
    assert rejection.reason == "too-large"
    assert rejection.detail == "file is 52,428,800 bytes, over the 20,000,000-byte limit (max_file_bytes)"
    assert peak < 2_000_000, f"peak Python memory {peak:,} bytes: the file was read"
    assert time.perf_counter() - started < 1.0


def test_cp1252_file_is_decoded_by_detection(tmp_path):
    text = (
        "The caf\u00e9 owner said \u201cprices will rise\u201d, and the \u00a3200 fee "
        "\u2013 criticised by critics \u2013 stays. " + words(20)
    )
    path = write(tmp_path, "legacy.txt", text.encode("cp1252"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    (article,) = read_sources([path]).articles
    assert article.text == text


def test_utf8_with_a_few_stray_bytes_keeps_utf8_and_reads_stray_bytes_as_cp1252(tmp_path):
    data = (
        "Caf\u00e9 owners in S\u00e3o Paulo and Z\u00fcrich ".encode()
        + b"said \x93no\x94 to "
        + words(25).encode()
    )
    (article,) = read_sources([write(tmp_path, "mixed.txt", data)]).articles
    assert article.text.startswith(
        "Caf\u00e9 owners in S\u00e3o Paulo and Z\u00fcrich said \u201cno\u201d to word0"
    )


def test_utf16_with_bom_is_read(tmp_path):
    text = "Title: Bridge\n\n" + BODY + " " + words(10)
    (article,) = read_sources([write(tmp_path, "wide.txt", text.encode("utf-16"))]).articles
    assert article.title == "Bridge"
    assert article.text.startswith(BODY)


def test_bytes_that_decode_in_no_encoding_are_encoding(tmp_path):
    rng = random.Random(0)
    bad_utf16 = b"\xff\xfe" + "hello there".encode("utf-16-le") + b"\x00\xd8"
    rejection = only_rejection(read_sources([write(tmp_path, "a.txt", bad_utf16)]))
    assert rejection.reason == "encoding"
    assert "UTF-16 byte-order mark" in rejection.detail
    junk = bytes(rng.randrange(0x80, 0x100) for _ in range(2000))
    rejection = only_rejection(read_sources([write(tmp_path, "b.txt", junk)]))
    assert rejection.reason == "encoding"
    assert "charset-normalizer" in rejection.detail


def test_unknown_extension_is_sniffed(tmp_path):
    text_file = write(tmp_path, "notes.md", BODY + " " + words(10))
    rng = random.Random(0)
    junk = bytes(rng.randrange(0x80, 0x100) for _ in range(2000))
    junk_file = write(tmp_path, "blob.dat", junk)
    result = read_sources([text_file, junk_file])
    assert [a.source for a in result.articles] == [str(text_file)]
    (rejection,) = result.rejections
    assert (rejection.source, rejection.reason) == (str(junk_file), "unsupported")
    assert "'.dat' files" in rejection.detail


def test_missing_path_is_not_found(tmp_path):
    rejection = only_rejection(read_sources([tmp_path / "nope.txt"]))
    assert (rejection.source, rejection.reason) == (str(tmp_path / "nope.txt"), "not-found")


# --- JSON and JSON Lines -----------------------------------------------------


def jsonl_lines() -> list[str]:
    return [
        json.dumps(
            {
                "id": "a1",
                "title": "Bridge",
                "outlet": "Gazette",
                "url": "https://x.example/1",
                "published": "2024-03-05T09:30:00-05:00",
                "language": "EN",
                "text": BODY,
            }
        ),
        '{"title": "broken", "text": "no closing brace"',
        "",
        json.dumps({"id": 7, "body": BODY, "source": "Daily Post", "date": "5 March 2024"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "no text here"}),
        json.dumps({"content": BODY, "publisher": "Wire", "title": 12}),
        json.dumps({"content": "\r\n  " + BODY.replace("\n", "\r\n") + "  "}),
    ]


def test_jsonl_reads_good_lines_and_names_each_bad_line(tmp_path):
    path = write(tmp_path, "dump.jsonl", "\n".join(jsonl_lines()) + "\n")
    result = read_sources([path])
    first, second, third = result.articles
    assert (first.id, first.title, first.outlet, first.url, first.language) == (
        "a1",
        "Bridge",
        "Gazette",
        "https://x.example/1",
        "en",
    )
    assert first.published.utcoffset() == timedelta(hours=-5)
    assert first.text == BODY and first.source == f"{path}:1"
    assert (second.id, second.outlet, second.published.date(), second.source) == (
        "7",
        "Daily Post",
        date(2024, 3, 5),
        f"{path}:4",
    )
    assert third.text == BODY and third.source == f"{path}:8" and len(third.id) == 16  # content hash
    reasons = {r.source: (r.reason, r.detail) for r in result.rejections}
    assert reasons[f"{path}:2"][0] == "malformed" and "not valid JSON" in reasons[f"{path}:2"][1]
    assert reasons[f"{path}:5"] == ("malformed", "record is a JSON array, not an object")
    assert reasons[f"{path}:6"][0] == "malformed" and "no text" in reasons[f"{path}:6"][1]
    assert reasons[f"{path}:7"] == ("malformed", "field 'title' must be a string, got a number")
    assert len(result.rejections) == 4


def test_jsonl_gz_is_read_and_corruption_keeps_what_came_before(tmp_path):
    rng = random.Random(1)  # varied text, so half the compressed bytes hold about half the lines
    lines = [json.dumps({"text": " ".join(f"w{rng.randrange(10**6)}" for _ in range(40))}) for _ in range(40)]
    packed = gzip.compress(("\n".join(lines) + "\n").encode())
    good = write(tmp_path, "ok.jsonl.gz", packed)
    assert len(read_sources([good]).articles) == 40
    cut = write(tmp_path, "cut.jsonl.gz", packed[: len(packed) // 2])
    result = read_sources([cut])
    assert 0 < len(result.articles) < 40
    (rejection,) = result.rejections
    assert (rejection.source, rejection.reason) == (str(cut), "malformed")
    assert "gzip" in rejection.detail


def test_jsonl_line_over_the_size_cap_is_skipped_without_losing_the_rest(tmp_path):
    lines = [
        json.dumps({"text": BODY}),
        json.dumps({"text": BODY + " " + "padding " * 400}),
        json.dumps({"text": BODY + " end"}),
    ]
    path = write(tmp_path, "d.jsonl", "\n".join(lines))
    result = read_sources([path], options=Options(max_file_bytes=1_000))
    assert [a.source for a in result.articles] == [f"{path}:1", f"{path}:3"]
    (rejection,) = result.rejections
    assert (rejection.source, rejection.reason) == (f"{path}:2", "too-large")
    assert (
        rejection.detail
        == f"line is {len(lines[1].encode()):,} bytes, over the 1,000-byte limit (max_file_bytes)"
    )


def test_json_object_and_array(tmp_path):
    one = write(tmp_path, "one.json", json.dumps({"title": "Bridge", "text": BODY}))
    many = write(tmp_path, "many.json", json.dumps([{"text": BODY, "id": "x"}, {"text": "too short"}, 5]))
    result = read_sources([one, many])
    assert [(a.source, a.title) for a in result.articles] == [(str(one), "Bridge"), (f"{many}[0]", "")]
    assert [(r.source, r.reason) for r in result.rejections] == [
        (f"{many}[1]", "too-short"),
        (f"{many}[2]", "malformed"),
    ]
    bad = write(tmp_path, "bad.json", '{"text": ')
    rejection = only_rejection(read_sources([bad]))
    assert rejection.reason == "malformed" and "line 1, column" in rejection.detail


def test_multinews_jsonl_gz_matches_iter_clusters():
    result = read_sources([MULTINEWS_VAL])
    clusters = list(iter_clusters(MULTINEWS_VAL))
    expected = {a.id: a for cluster in clusters for a in cluster.articles}
    read = {a.id: a for a in result.articles}
    assert len(read) == len(result.articles)  # ids stay unique
    assert set(read) <= set(expected)
    for article in result.articles:
        assert article == expected[article.id]  # same text, outlet "doc N", id and path:line#index source
    short = [r for r in result.rejections if r.reason == "too-short"]
    assert {r.reason for r in result.rejections} <= {"too-short", "empty"}
    assert len(read) + len(short) == len(expected)
    assert len(clusters) == 700 and len(read) > 1_900
    first = result.articles[0]
    assert (first.outlet, first.source) == ("doc 1", f"{MULTINEWS_VAL}:1#0")


# --- folders, batches, strict mode --------------------------------------------


def test_folder_reads_every_good_file_and_names_every_bad_one(tmp_path):
    folder = tmp_path / "in"
    write(folder, "b_story.txt", f"Title: Bridge\n\n{BODY} {words(10)}")
    write(folder, "a_page.html", PAGE)
    write(folder, "sub/c_dump.jsonl", "\n".join(jsonl_lines()[:2]))
    write(folder, "sub/deeper/d.json", json.dumps({"text": BODY}))
    write(folder, ".hidden.txt", BODY)
    write(folder, ".git/config.txt", BODY)
    bad = {
        "empty.txt": (b"", "empty"),
        "blank.txt": (b"  \n\n", "empty"),
        "image.png": (PNG_HEADER, "binary"),
        "short.txt": (b"Too short to brief.", "too-short"),
        "index.htm": (INDEX_PAGE.encode(), "no-text"),
        "z/broken.json": (b"[{", "malformed"),
    }
    for name, (data, _) in bad.items():
        write(folder, name, data)
    calls = []
    result = read_sources([folder], progress=lambda done, total: calls.append((done, total)))
    assert [a.source for a in result.articles] == [
        str(folder / "a_page.html"),
        str(folder / "b_story.txt"),
        f"{folder / 'sub/c_dump.jsonl'}:1",
        str(folder / "sub/deeper/d.json"),
    ]
    reasons = {r.source: r.reason for r in result.rejections}
    assert reasons.pop(f"{folder / 'sub/c_dump.jsonl'}:2") == "malformed"
    assert reasons == {str(folder / name): reason for name, (_, reason) in bad.items()}
    assert all(r.detail for r in result.rejections)
    assert calls == [(i, 10) for i in range(1, 11)]  # one per file read; hidden ones are not read


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_pipe_and_broken_link_in_a_folder_are_named_not_opened(tmp_path):
    folder = tmp_path / "in"
    story = write(folder, "a.txt", BODY + " " + words(10))
    os.mkfifo(folder / "pipe.txt")  # opening it for reading would block forever
    (folder / "gone.txt").symlink_to(folder / "deleted.txt")
    result = read_sources([folder])
    assert [a.source for a in result.articles] == [str(story)]
    assert {(r.source, r.reason) for r in result.rejections} == {
        (str(folder / "gone.txt"), "not-found"),
        (str(folder / "pipe.txt"), "unsupported"),
    }


def test_empty_folder_and_duplicate_paths(tmp_path):
    (tmp_path / "none").mkdir()
    story = write(tmp_path / "some", "a.txt", BODY + " " + words(10))
    result = read_sources([tmp_path / "none", story, tmp_path / "some"])
    assert [a.source for a in result.articles] == [str(story)]
    assert [(r.source, r.reason) for r in result.rejections] == [(str(tmp_path / "none"), "empty")]


def test_strict_mode_raises_on_the_first_rejection_naming_the_file(tmp_path):
    good = write(tmp_path, "a.txt", BODY + " " + words(10))
    bad = write(tmp_path, "b.png", PNG_HEADER)
    with pytest.raises(RejectedSource) as raised:
        read_sources([good, bad, tmp_path / "missing.txt"], options=Options(strict=True))
    error = raised.value
    assert isinstance(error, SourceError)
    assert (error.source, error.reason) == (str(bad), "binary")
    assert str(bad) in str(error) and "[binary]" in str(error)
    assert read_sources([good, bad], options=Options(strict=False)).rejections[0].reason == "binary"


def test_one_warning_per_batch(tmp_path, caplog):
    paths = [write(tmp_path, f"{i}.txt", b"") for i in range(5)] + [
        write(tmp_path, "ok.txt", BODY + " " + words(10))
    ]
    with caplog.at_level(logging.WARNING, logger="storybrief"):
        result = read_sources(paths)
    assert len(result.articles) == 1 and len(result.rejections) == 5
    warnings = [record for record in caplog.records if record.name == "storybrief"]
    assert len(warnings) == 1
    assert "set aside 5 source(s) (5 empty)" in warnings[0].getMessage()


def test_read_file_reads_one_file_and_refuses_folders(tmp_path):
    path = write(tmp_path, "a.json", json.dumps([{"text": BODY}, {"text": BODY + " again"}]))
    assert len(read_file(path).articles) == 2
    rejection = only_rejection(read_file(tmp_path))
    assert rejection.reason == "unsupported" and "read_sources" in rejection.detail


def test_seed_articles_all_read():
    result = read_sources([SEEDS])
    assert len(result.articles) == 4 and result.rejections == ()
    assert all(article.text.startswith(("JEREMY", "Jeremy")) for article in result.articles)


def test_exported_names():
    assert sorted(storybrief.sources.__all__) == [
        "Cluster",
        "ReadResult",
        "iter_clusters",
        "iter_sources",
        "read_file",
        "read_sources",
    ]
    result = ReadResult()
    with pytest.raises(AttributeError):
        result.articles = ()  # frozen


def test_headline_line_without_header_becomes_the_title(tmp_path):
    body = "Council approves new harbour wall after long debate\n\n" + BODY
    (tmp_path / "h.txt").write_text(body)
    article = read_sources([tmp_path / "h.txt"]).articles[0]
    assert article.title == "Council approves new harbour wall after long debate"
    assert not article.text.startswith("Council approves")
    (tmp_path / "s.txt").write_text("This first line is a sentence.\n\n" + BODY)
    article = read_sources([tmp_path / "s.txt"]).articles[0]
    assert article.title == "" and article.text.startswith("This first line")


def test_iter_sources_yields_what_read_sources_reads_one_at_a_time_in_the_same_order(tmp_path):
    (tmp_path / "a.txt").write_text("Title: Harbour wall approved\n\n" + BODY, encoding="utf-8")
    (tmp_path / "b.txt").write_text("   \n", encoding="utf-8")
    lines = [
        json.dumps({"text": BODY, "outlet": "Corran Daily"}),
        "{not json",
        json.dumps({"text": BODY + " More."}),
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    streamed = iter_sources([tmp_path])
    first = next(streamed)  # a generator: one article at a time
    assert first.title == "Harbour wall approved"
    rest = list(streamed)
    result = read_sources([tmp_path])
    assert [first, *(x for x in rest if not isinstance(x, Rejection))] == list(result.articles)
    assert [x for x in rest if isinstance(x, Rejection)] == list(result.rejections)
    assert [r.reason for r in result.rejections] == ["empty", "malformed"] and len(result.articles) == 3
