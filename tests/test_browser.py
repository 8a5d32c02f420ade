"""Real headless Chromium against the real server on 127.0.0.1, and against the report file.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright's Python
package; a browser download is impossible here.  CI installs it
(``scripts/test.sh``), so a missing browser is a failure, not a skip.
Screenshots are saved under ``artifacts/`` at the repository root.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from live_server import ARTIFACTS, EXAMPLE_ARTICLES, ThreadServer, web_options
from xss_payloads import PAYLOADS, URL_PAYLOADS, extra_sections, payload_articles

from storybrief.articles import Article
from storybrief.pipeline import brief_articles
from storybrief.renderers import render
from storybrief.renderers.html import render_report
from storybrief.sources import read_sources
from storybrief.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MARK = "rgb(255, 242, 168)"  # --mark in storybrief.css
TARGET = "rgb(255, 213, 74)"  # --target
FLAGS_SET = "() => Object.getOwnPropertyNames(window).filter(k => k.startsWith('__xss'))"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); "
                    "scripts/test.sh does this")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh --user-data-dir
            executable_path=str(CHROMIUM), args=FLAGS, headless=True,
            viewport={"width": 1200, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture()
def page(browser):
    page = browser.new_page()
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    page.close()
    assert not errors, errors  # no script error and no CSP violation on any page


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-web")
    with ThreadServer(create_app(folder / "briefings.sqlite", options=web_options(folder))) as running:
        yield running


def save_screenshot(page, name: str, capsys, **options) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), **options)
    assert path.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nscreenshot: {path}")
    return path


def multi_outlet_sentence(briefing: dict) -> tuple[int, dict]:
    for no, sent in enumerate(briefing["summary"], start=1):
        if len({c["outlet"] for c in sent["citations"]}) >= 2:
            return no, sent
    pytest.fail("the example's summary has no sentence cited by two outlets")


# The journey: upload, read, hover, open the article ---------------------------------------------
def test_upload_example_hover_a_citation_and_open_the_article(page, server, capsys):
    page.goto(f"{server.url}/")
    page.set_input_files("#files", [str(p) for p in EXAMPLE_ARTICLES])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/briefings/[0-9a-f]{12}$"))
    briefing_id = page.url.rsplit("/", 1)[1]
    briefing = httpx.get(f"{server.url}/api/briefings/{briefing_id}").json()

    # The summary is there, sentence by sentence, with the headline.
    assert page.inner_text("h1") == briefing["headline"]
    texts = page.locator("li.sent .sent-text").all_text_contents()
    assert texts == [s["text"] for s in briefing["summary"]] and len(texts) >= 5

    # Hovering each marker of a multi-outlet sentence shows that outlet's own sentence.
    no, sent = multi_outlet_sentence(briefing)
    markers = page.locator(f"#f{no} a.cite")
    assert markers.count() == len(sent["citations"])
    for k, citation in enumerate(sent["citations"]):
        tip = page.locator(f"#t{no}-{k}")
        assert not tip.is_visible()
        markers.nth(k).hover()
        assert tip.is_visible()
        assert tip.locator(".tip-text").text_content() == citation["text"]
        assert tip.locator(".tip-outlet").text_content() == citation["outlet"]
    save_screenshot(page, "browser-briefing-tooltip.png", capsys)
    page.mouse.move(0, 0)

    # Keyboard users get the same tooltip on focus.
    markers.nth(0).focus()
    assert page.locator(f"#t{no}-0").is_visible()

    # Opening an outlet's panel marks the sentences it reports.
    outlet = sent["citations"][1]["outlet"]
    page.locator("details.outlet > summary", has_text=outlet).first.click()
    page.locator("li.sent.hit").first.wait_for()  # the panel's toggle event is dispatched asynchronously
    hits = page.locator("li.sent.hit .sent-text").all_text_contents()
    assert sent["text"] in hits
    assert set(hits) == {s["text"] for s in briefing["summary"] if outlet in {c["outlet"] for c in s["citations"]}}
    save_screenshot(page, "browser-briefing-full.png", capsys, full_page=True)

    # Clicking a marker opens the article view at that sentence, highlighted.
    citation = sent["citations"][1]
    markers.nth(1).click()
    page.wait_for_url(re.compile(r"/briefings/[0-9a-f]{12}/articles/\d+#a\d+-\d+-\d+$"))
    target = page.locator("mark.cited:target")
    assert target.count() == 1
    assert target.text_content() == citation["text"]
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == TARGET
    assert target.is_visible() and target.evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }")
    others = page.locator("mark.cited:not(:target)")
    assert all(c == MARK for c in others.evaluate_all("es => es.map(e => getComputedStyle(e).backgroundColor)"))
    article = next(a for a in briefing["articles"] if a["id"] == citation["article_id"])
    assert page.inner_text("h1") == article["title"]
    save_screenshot(page, "browser-article.png", capsys)

    # The list shows the briefing.
    page.goto(f"{server.url}/briefings")
    assert page.locator(f'a[href="/briefings/{briefing_id}"]').inner_text() == briefing["headline"]


def test_report_file_tooltip_and_article_view(page, tmp_path, capsys):
    result = brief_articles(read_sources(EXAMPLE_ARTICLES).articles, options=web_options(tmp_path))
    path = tmp_path / "briefing.html"
    path.write_text(render(result, "html"), encoding="utf-8")
    briefing = result.to_dict()["briefings"][0]
    page.goto(path.as_uri())

    no, sent = multi_outlet_sentence(briefing)
    for k, citation in enumerate(sent["citations"]):
        page.hover(f"#b0-f{no} .cite-wrap:nth-child({k + 1}) a.cite")
        tip = page.locator(f"#b0-t{no}-{k}")
        assert tip.is_visible() and tip.locator(".tip-text").text_content() == citation["text"]
    save_screenshot(page, "report-tooltip.png", capsys)

    citation = sent["citations"][-1]
    page.click(f"#b0-f{no} .cite-wrap:nth-child({len(sent['citations'])}) a.cite")
    target = page.locator("mark.cited:target")
    assert target.text_content() == citation["text"]
    assert target.is_visible()  # its <details> article view was opened
    assert target.evaluate("e => getComputedStyle(e).backgroundColor") == TARGET
    assert target.evaluate("e => e.closest('details').open")
    save_screenshot(page, "report-article-view.png", capsys)


# XSS ---------------------------------------------------------------------------------------
def visible_text(page) -> str:
    return " ".join(page.inner_text("body").split())


def assert_inert(page) -> None:
    page.wait_for_timeout(300)  # give any onerror/onload a chance to fire
    assert page.evaluate(FLAGS_SET) == []
    dangerous = "img, iframe, object, embed, math, base, frame, [onload], [onerror], [ontoggle], [onfocus], [srcdoc]"
    assert page.locator(dangerous).count() == 0
    assert page.locator("script").count() == 1  # ours
    hrefs = page.locator("a[href]").evaluate_all("as => as.map(a => a.getAttribute('href').trim().toLowerCase())")
    assert not [h for h in hrefs if h.startswith(("javascript:", "data:", "vbscript:"))]


def poke(page) -> None:
    """Do what a reader does: open every panel and article, hover and focus every marker."""
    page.eval_on_selector_all("details", "ds => ds.forEach(d => { d.open = true; })")
    markers = page.locator("a.cite")
    for k in range(markers.count()):
        markers.nth(k).focus()
        markers.nth(k).blur()
        markers.nth(k).hover()
        page.mouse.move(0, 0)


def test_flag_check_catches_a_payload_that_runs(browser, tmp_path):
    """The control: the same payloads unescaped in a page do set their flags, so the checks below can fail."""
    raw = tmp_path / "unsafe.html"
    raw.write_text("<!doctype html><body>" + "".join(PAYLOADS) + "</body>", encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(raw.as_uri())
        page.wait_for_timeout(500)
        assert {"__xss_1", "__xss_2", "__xss_3"} <= set(page.evaluate(FLAGS_SET))
    finally:
        page.close()


@pytest.fixture(scope="module")
def payload_report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("xss-report")
    result = brief_articles([Article(**a) for a in payload_articles()], options=web_options(folder))
    data = result.to_dict()
    assert len(data["briefings"]) == 1
    data["briefings"][0].update(extra_sections())  # quote ledger, people, disagreements, timeline
    path = folder / "xss.html"
    path.write_text(render_report(data), encoding="utf-8")
    return path


def test_no_payload_runs_in_the_report_file(page, payload_report, capsys):
    page.goto(payload_report.as_uri())
    assert_inert(page)
    poke(page)
    assert_inert(page)
    text = visible_text(page)
    missing = [p for p in PAYLOADS + URL_PAYLOADS[:1] if " ".join(p.split()) not in text]
    assert not missing  # every payload shows, as text
    assert page.locator("svg.timeline").count() == 1
    for key in extra_sections():  # every payload-carrying section is drawn
        assert page.locator(f"section.further.{key}").count() == 1, key
    save_screenshot(page, "report-xss.png", capsys, full_page=True)


def test_no_payload_runs_in_the_web_app(page, server, capsys):
    posted = httpx.post(f"{server.url}/api/briefings", json={"articles": payload_articles()}, timeout=120)
    assert posted.status_code == 201, posted.text
    ids = posted.json()["ids"]
    seen = []
    for briefing_id, briefing in zip(ids, posted.json()["briefings"]):
        pages = [f"/briefings/{briefing_id}"] + [f"/briefings/{briefing_id}/articles/{n}"
                                                  for n in range(1, len(briefing["articles"]) + 1)]
        for path in pages:
            page.goto(server.url + path)
            assert_inert(page)
            poke(page)
            assert_inert(page)
            seen.append(visible_text(page))
        if briefing_id == ids[0]:
            page.goto(f"{server.url}/briefings/{briefing_id}")
            save_screenshot(page, "browser-xss-briefing.png", capsys, full_page=True)
    page.goto(f"{server.url}/briefings")
    assert_inert(page)
    seen.append(visible_text(page))
    text = " ".join(seen)
    assert not [p for p in PAYLOADS if " ".join(p.split()) not in text]

    # The served report of the same briefing, under its own CSP.
    page.goto(f"{server.url}/api/briefings/{ids[0]}.html")
    assert_inert(page)
    poke(page)
    assert_inert(page)


def test_payload_file_names_and_form_fields_stay_text(page, server):
    page.goto(f"{server.url}/")
    upload = page.locator("#files")
    bad_name = "<img src=x onerror=window.__xss_3=1>.png"  # browsers send a '"' in a file name as %22
    upload.set_input_files([
        *[{"name": p.name, "mimeType": "text/plain", "buffer": p.read_bytes()} for p in EXAMPLE_ARTICLES[:3]],
        {"name": bad_name, "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + bytes(64)},
    ])
    page.fill("#article-1-title", PAYLOADS[0])
    page.fill("#article-1-outlet", PAYLOADS[1])
    page.fill("#article-1-text", payload_articles()[0]["text"])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/briefings/[0-9a-f]{12}$"))
    assert_inert(page)
    text = visible_text(page)
    assert f"upload {bad_name}" in text and "binary" in text  # the set-aside table names the file, as text
    # The pasted article is another story, so it has its own briefing, linked from this one.
    siblings = page.locator(".notice a").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    for href in siblings:
        page.goto(server.url + href)
        assert_inert(page)
        text += visible_text(page)
    assert PAYLOADS[0] in text and PAYLOADS[1] in text
