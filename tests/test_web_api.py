"""The HTTP API and pages against a real uvicorn server on 127.0.0.1 with a real SQLite store."""

from __future__ import annotations

import json
import socket

import httpx
import pytest
from live_server import (
    EXAMPLE_ARTICLES,
    WEB_METHOD,
    ServerProcess,
    ThreadServer,
    example_multipart,
    web_options,
)
from markupsafe import escape

from storybrief.sources import read_sources
from storybrief.web import WebLimits, create_app
from storybrief.web.guard import PAGE_CSP

TIGHT = WebLimits(max_body_bytes=64 * 1024, max_articles=3, max_text_chars=5_000, max_words=500)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    app = create_app(folder / "briefings.sqlite", options=web_options(folder))
    with ThreadServer(app) as running:
        yield running


@pytest.fixture(scope="module")
def tight(tmp_path_factory):
    """A server with small limits, so each limit is cheap to cross."""
    folder = tmp_path_factory.mktemp("web-tight")
    app = create_app(folder / "briefings.sqlite", options=web_options(folder), limits=TIGHT, warm_up=False)
    with ThreadServer(app) as running:
        yield running


@pytest.fixture(scope="module")
def client(server):
    with httpx.Client(base_url=server.url, timeout=120) as c:
        yield c


@pytest.fixture(scope="module")
def example_json():
    read = read_sources(EXAMPLE_ARTICLES)
    assert len(read.articles) == len(EXAMPLE_ARTICLES)
    return [
        {
            "title": a.title,
            "outlet": a.outlet,
            "url": a.url,
            "text": a.text,
            "published": a.published.isoformat() if a.published else None,
        }
        for a in read.articles
    ]


@pytest.fixture(scope="module")
def posted(client, example_json):
    response = client.post("/api/briefings", json={"articles": example_json})
    assert response.status_code == 201, response.text
    return response.json()


def error_of(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()["error"]


# Creating and reading -----------------------------------------------------------------------
def test_post_json_stores_every_story_and_returns_the_briefing_set(client, posted, example_json):
    assert posted["schema_version"] == 1
    assert len(posted["ids"]) == len(posted["briefings"]) == 2  # the fire, and the off-topic football report
    assert [b["id"] for b in posted["briefings"]] == posted["ids"]
    fire = posted["briefings"][0]
    assert fire["method"] == WEB_METHOD
    assert len(fire["articles"]) == 6 and "Kellhaven" in fire["headline"]
    texts = {a["id"]: a["text"] for a in fire["articles"]}
    for sent in fire["summary"]:
        assert texts[sent["article_id"]][sent["start"] : sent["end"]] == sent["text"]
        for c in sent["citations"]:
            assert texts[c["article_id"]][c["start"] : c["end"]] == c["text"]
    for briefing_id, briefing in zip(posted["ids"], posted["briefings"]):
        got = client.get(f"/api/briefings/{briefing_id}")
        assert got.status_code == 200 and got.headers["content-type"] == "application/json"
        assert got.json() == briefing


def test_the_api_answers_with_the_records_byte_for_byte_as_stored(server, client, posted):
    """Responses are written by the library's records (response_model=StoredBriefing), and are exactly the
    JSON the store keeps: one description of the output, whichever way it leaves."""
    store = server.server.config.app.store
    for briefing_id in posted["ids"]:
        got = client.get(f"/api/briefings/{briefing_id}")
        assert got.content.decode("utf-8") == store.get_json(briefing_id)
        assert list(got.json())[:2] == ["id", "created_at"]


def test_post_answers_201_with_the_location_of_the_first_briefing(client, example_json):
    response = client.post("/api/briefings", json={"articles": example_json[:3], "words": 60})
    assert response.status_code == 201
    assert response.headers["location"] == f"/api/briefings/{response.json()['ids'][0]}"
    assert response.json()["briefings"][0]["words"] == 60


def test_post_multipart_files_reads_them_like_the_command_line(client):
    response = client.post("/api/briefings", files=example_multipart(), data={"words": "120"})
    assert response.status_code == 201, response.text
    fire = response.json()["briefings"][0]
    assert fire["words"] == 120
    assert {a["source"] for a in fire["articles"]} >= {"upload 01-courier-warehouse-fire.txt"}
    assert {a["outlet"] for a in fire["articles"]} >= {"The Kellhaven Courier", "Harbourside Post"}


def test_post_multipart_pasted_articles_take_their_fields(client, example_json):
    fields = {}
    for k, a in enumerate(example_json[:3], start=1):
        fields |= {
            f"article-{k}-text": a["text"],
            f"article-{k}-title": a["title"],
            f"article-{k}-outlet": a["outlet"],
            f"article-{k}-date": "2026-03-11",
        }
    response = client.post("/api/briefings", data=fields, files={"unused": ("", b"", "text/plain")})
    assert response.status_code == 201, response.text
    articles = response.json()["briefings"][0]["articles"]
    assert {a["outlet"] for a in articles} == {a["outlet"] for a in example_json[:3]}
    assert {a["published"][:10] for a in articles} == {"2026-03-11"}
    assert {a["source"] for a in articles} == {"pasted article 1", "pasted article 2", "pasted article 3"}


def test_unreadable_uploads_are_set_aside_with_their_reason(client):
    files = example_multipart()[:3] + [
        ("files", ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")),
        ("files", ("short.txt", b"Too short to brief.", "text/plain")),
    ]
    response = client.post("/api/briefings", files=files)
    assert response.status_code == 201, response.text
    reasons = {r["source"]: r["reason"] for r in response.json()["rejections"]}
    assert reasons == {"upload photo.png": "binary", "upload short.txt": "too-short"}


def test_list_is_newest_first_and_links_each_briefing(client, posted):
    listing = client.get("/api/briefings", params={"limit": 500}).json()
    assert listing["total"] >= 2 and listing["limit"] == 500
    ids = [item["id"] for item in listing["briefings"]]
    assert set(posted["ids"]) <= set(ids)
    stamps = [item["created_at"] for item in listing["briefings"]]
    assert stamps == sorted(stamps, reverse=True)
    item = next(i for i in listing["briefings"] if i["id"] == posted["ids"][0])
    assert item["url"] == f"/api/briefings/{posted['ids'][0]}" and item["articles"] == 6
    assert (
        client.get("/api/briefings", params={"limit": 1, "offset": 1}).json()["briefings"][0]["id"] == ids[1]
    )


def test_markdown_and_html_views(client, posted):
    briefing_id = posted["ids"][0]
    md = client.get(f"/api/briefings/{briefing_id}.md")
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# ") and "## Sources" in md.text
    html = client.get(f"/api/briefings/{briefing_id}.html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    csp = html.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "sandbox allow-scripts" in csp and "'unsafe-inline'" not in csp
    assert "script-src 'sha256-" in csp
    assert str(escape(posted["briefings"][0]["summary"][0]["text"])) in html.text


def test_methods_and_health(client):
    methods = client.get("/api/methods").json()
    assert WEB_METHOD in [m["name"] for m in methods["methods"]] and methods["default"] == WEB_METHOD
    assert client.get("/api/health").json()["status"] == "ok"


# Errors: JSON with the right status and a message that names the limit ---------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/api/briefings/000000000000",
        "/api/briefings/not-an-id",
        "/api/briefings/000000000000.html",
        "/api/briefings/000000000000.md",
        "/api/nothing-here",
    ],
)
def test_unknown_things_are_404_json(client, path):
    error = error_of(client.get(path), 404)
    assert error["code"] == "not-found" and error["message"]


def test_unknown_pages_are_404_html(client):
    for path in ("/briefings/000000000000", "/briefings/000000000000/articles/1", "/nowhere"):
        response = client.get(path)
        assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")


def test_article_number_out_of_range_is_404(client, posted):
    assert client.get(f"/briefings/{posted['ids'][0]}/articles/7").status_code == 404
    assert client.get(f"/briefings/{posted['ids'][0]}/articles/6").status_code == 200
    assert client.get(f"/briefings/{posted['ids'][0]}/articles/0").status_code == 404


def test_malformed_json_is_400(client):
    response = client.post(
        "/api/briefings", content=b'{"articles": [', headers={"content-type": "application/json"}
    )
    error = error_of(response, 400)
    assert error["code"] == "bad-json" and "not valid JSON" in error["message"]


def test_deeply_nested_json_is_400(client):
    body = b"[" * 200_000 + b"]" * 200_000
    error = error_of(
        client.post("/api/briefings", content=body, headers={"content-type": "application/json"}), 400
    )
    assert "nested too deeply" in error["message"]


def test_other_content_types_are_415(client):
    error = error_of(
        client.post("/api/briefings", content=b"hello", headers={"content-type": "text/plain"}), 415
    )
    assert "application/json" in error["message"]


@pytest.mark.parametrize(
    "body, fragment",
    [
        ({}, "articles: Field required"),
        ({"articles": [{"title": "no text"}]}, "articles.0.text: Field required"),
        ({"articles": [{"text": 12}]}, "articles.0.text"),
        ({"articles": [], "colour": "red"}, "colour: Extra inputs are not permitted"),
        ([1, 2], "must be an object"),
    ],
)
def test_invalid_bodies_are_422_saying_where(client, body, fragment):
    error = error_of(client.post("/api/briefings", json=body), 422)
    assert fragment in error["message"]


def test_no_readable_article_is_422_with_the_reasons(client):
    error = error_of(
        client.post("/api/briefings", json={"articles": [{"text": "Far too short.", "outlet": "X"}]}), 422
    )
    assert (
        error["code"] == "no-article" and "too-short" in error["message"] and "min_words" in error["message"]
    )


def test_unknown_method_and_bad_words_are_422(client, example_json):
    error = error_of(
        client.post("/api/briefings", json={"articles": example_json[:2], "method": "magic"}), 422
    )
    assert error["code"] == "unknown-method" and WEB_METHOD in error["message"]
    error = error_of(client.post("/api/briefings", json={"articles": example_json[:2], "words": 0}), 422)
    assert "words" in error["message"]


def test_bad_query_parameters_are_422(client):
    error = error_of(client.get("/api/briefings", params={"limit": "many"}), 422)
    assert "limit" in error["message"]
    error = error_of(client.get("/api/briefings", params={"offset": 10**20}), 422)  # SQLite ints are 64-bit
    assert "offset" in error["message"]


def test_too_many_articles_is_422_naming_the_limit(tight, example_json):
    body = {"articles": example_json[:4]}
    error = error_of(httpx.post(f"{tight.url}/api/briefings", json=body, timeout=60), 422)
    assert error["code"] == "too-many-articles" and error["limit"] == 3 and "max_articles" in error["message"]
    files = example_multipart()[:4]
    error = error_of(httpx.post(f"{tight.url}/api/briefings", files=files, timeout=60), 422)
    assert error["limit"] == 3


def test_long_text_is_413_naming_the_limit(tight):
    text = "The harbour fire burned all night. " * 200  # 7,000 characters
    error = error_of(
        httpx.post(f"{tight.url}/api/briefings", json={"articles": [{"text": text}]}, timeout=60), 413
    )
    assert (
        error["code"] == "text-too-long" and error["limit"] == 5_000 and "max_text_chars" in error["message"]
    )
    error = error_of(httpx.post(f"{tight.url}/api/briefings", data={"article-1-text": text}, timeout=60), 413)
    assert error["limit"] == 5_000


def test_big_body_is_413_before_it_is_read(tight):
    body = json.dumps({"articles": [{"text": "x" * 70_000}]})
    error = error_of(
        httpx.post(
            f"{tight.url}/api/briefings",
            content=body,
            headers={"content-type": "application/json"},
            timeout=60,
        ),
        413,
    )
    assert (
        error["code"] == "body-too-large"
        and error["limit"] == 64 * 1024
        and "65,536 bytes" in error["message"]
    )


def test_big_chunked_body_is_413_without_a_length(tight):
    def chunks():
        for _ in range(100):  # 1.6 MB, far over 64 KiB, and no Content-Length
            yield b"x" * 16_384

    response = httpx.post(
        f"{tight.url}/api/briefings",
        content=chunks(),
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert error_of(response, 413)["code"] == "body-too-large"


def test_big_upload_through_the_form_page_is_413_html(tight):
    files = [("files", ("big.txt", b"word " * 20_000, "text/plain"))]
    response = httpx.post(f"{tight.url}/briefings", files=files, timeout=60)
    assert response.status_code == 413 and response.headers["content-type"].startswith("text/html")
    assert "65,536 bytes" in response.text


# Security ----------------------------------------------------------------------------------
def test_every_response_carries_the_strict_csp(client, tight, posted):
    briefing_id = posted["ids"][0]
    responses = [
        client.get("/"),
        client.get("/briefings"),
        client.get(f"/briefings/{briefing_id}"),
        client.get(f"/briefings/{briefing_id}/articles/1"),
        client.get("/static/storybrief.css"),
        client.get("/static/storybrief.js"),
        client.get("/api/briefings"),
        client.get(f"/api/briefings/{briefing_id}"),
        client.get(f"/api/briefings/{briefing_id}.md"),
        client.get("/api/openapi.json"),
        client.get("/nowhere"),
        client.post("/api/briefings", content=b"{", headers={"content-type": "application/json"}),
        httpx.post(
            f"{tight.url}/api/briefings", content=b"x" * 70_000, headers={"content-type": "application/json"}
        ),
    ]
    for response in responses:
        assert response.headers["content-security-policy"] == PAGE_CSP, response.url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "same-origin"
    assert "'unsafe-inline'" not in PAGE_CSP and "default-src 'none'" in PAGE_CSP


def test_pages_have_no_inline_script_or_style(client, posted):
    for path in (
        "/",
        "/briefings",
        f"/briefings/{posted['ids'][0]}",
        f"/briefings/{posted['ids'][0]}/articles/2",
    ):
        html = client.get(path).text
        assert (
            "<script>" not in html
            and "<style" not in html
            and " style=" not in html
            and " on" + "load=" not in html
        )
        assert '<script src="/static/storybrief.js" defer></script>' in html


def test_foreign_host_header_is_refused(server):
    # A page on evil.example that rebinds its name to 127.0.0.1 still sends Host: evil.example.
    response = httpx.get(f"{server.url}/api/briefings", headers={"host": "evil.example"})
    assert error_of(response, 400)["code"] == "bad-host"
    assert httpx.get(f"http://localhost:{server.port}/api/health").status_code == 200


def test_cross_origin_post_is_refused(client, example_json):
    response = client.post(
        "/api/briefings", json={"articles": example_json[:2]}, headers={"origin": "https://evil.example"}
    )
    assert error_of(response, 403)["code"] == "cross-origin"
    form = client.post("/briefings", data={"article-1-text": "x"}, headers={"origin": "null"})
    assert form.status_code == 403


def test_openapi_documents_both_bodies_and_the_errors(client):
    schema = client.get("/api/openapi.json").json()
    post = schema["paths"]["/api/briefings"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"201", "400", "413", "415", "422"} <= set(post["responses"])
    assert post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/BriefingBatch"
    )
    components = schema["components"]["schemas"]
    assert {"BriefRequest", "ArticleIn", "StoredBriefing", "BriefingBatch", "ErrorOut"} <= set(components)
    assert "ids" in components["BriefingBatch"]["properties"]
    for suffix, media in (("", "application/json"), (".html", "text/html"), (".md", "text/markdown")):
        responses = schema["paths"][f"/api/briefings/{{briefing_id}}{suffix}"]["get"]["responses"]
        assert list(responses["200"]["content"]) == [media]
        assert list(responses["404"]["content"]) == ["application/json"]  # errors are JSON whatever the route
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


# Pages -------------------------------------------------------------------------------------
def test_form_post_redirects_to_the_new_briefing(client):
    response = client.post("/briefings", files=example_multipart(), follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/briefings/")
    page = client.get(location)
    assert page.status_code == 200 and "This upload made 2 briefings" in page.text


def test_form_errors_come_back_on_the_form(client):
    response = client.post("/briefings", data={"article-1-text": "Too short."})
    assert response.status_code == 422 and response.headers["content-type"].startswith("text/html")
    assert "Could not make a briefing." in response.text and "too-short" in response.text
    assert 'name="article-1-text"' in response.text


def test_oversized_requests_do_not_grow_server_memory(tmp_path):
    """100 requests announcing 256 MB, then 20 chunked 9 MB bodies: all 413, and the server's RSS stays put.

    A declared length over the cap is refused before a byte is read.  A chunked
    body is read only up to the cap (8 MiB), so the first one may raise the
    allocator's high-water mark by about that much; later ones must add nothing.
    Reading the bodies whole would add 20 × 9 MB.
    """
    server = ServerProcess(tmp_path, tmp_path / "briefings.sqlite").start()
    try:
        server.wait_ready()
        before = server.rss_kib()
        port = int(server.url.rsplit(":", 1)[1])
        for _ in range(100):
            with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
                s.sendall(
                    b"POST /api/briefings HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 268435456\r\n\r\n" + b"x" * 65_536
                )
                assert s.recv(65_536).startswith(b"HTTP/1.1 413 ")
        after_declared = server.rss_kib()

        def chunks():
            for _ in range(9 * 64):
                yield b"y" * 16_384

        with httpx.Client(base_url=server.url, timeout=60) as c:
            readings = []
            for _ in range(20):
                response = c.post(
                    "/api/briefings", content=chunks(), headers={"content-type": "application/json"}
                )
                assert response.status_code == 413
                readings.append(server.rss_kib())
        assert after_declared - before < 2 * 1024, (before, after_declared)
        assert readings[-1] - readings[0] < 4 * 1024, readings
        assert readings[-1] - before < 16 * 1024, (before, readings)
    finally:
        server.stop()
