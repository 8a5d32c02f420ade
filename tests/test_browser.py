"""Real headless Chromium against the real server on 127.0.0.1, and against the report file.

Chromium is Debian's (/usr/bin/chromium), driven by Playwright's Python
package; a browser download is impossible here.  CI installs it
(``scripts/test.sh``), so a missing browser is a failure, not a skip.
Accessibility is checked with axe-core (the npm package, pinned in
tests/axe/package-lock.json and installed by ``scripts/test.sh``), injected
into each page.  Screenshots are saved under ``artifacts/`` at the
repository root, one per section of each story at each width.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from conftest import shared_path
from generated_story import twelve_outlet_articles
from live_server import ARTIFACTS, EXAMPLE_ARTICLES, ROOT, ThreadServer, web_options
from test_html_report import found_names, internal_names
from typed_payloads import with_payload_sections
from xss_payloads import PAYLOADS, URL_PAYLOADS, payload_articles

from storybrief.articles import Article
from storybrief.briefing import BriefingSet
from storybrief.pipeline import brief_articles
from storybrief.renderers import render
from storybrief.renderers.html import render_html
from storybrief.schema import to_data
from storybrief.sources import read_sources
from storybrief.web import create_app

pytestmark = pytest.mark.slow  # a real Chromium for every test (about 80 s in all)

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MARK = "rgb(255, 242, 168)"  # --mark in storybrief.css
TARGET = "rgb(255, 213, 74)"  # --target
FLAGS_SET = "() => Object.getOwnPropertyNames(window).filter(k => k.startsWith('__xss'))"
AXE = ROOT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 390)  # a laptop, and a phone
SECTIONS = (
    "header",
    "section.summary",
    "section.coverage",
    "section.disagreements",
    "section.people",
    "section.ledger",
    "section.timeline",
    "section.sources-list",
    "section.articles",
)
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); "
            "scripts/test.sh does this"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),  # a fresh --user-data-dir
            executable_path=str(CHROMIUM),
            args=FLAGS,
            headless=True,
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
    assert set(hits) == {
        s["text"] for s in briefing["summary"] if outlet in {c["outlet"] for c in s["citations"]}
    }
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
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }"
    )
    others = page.locator("mark.cited:not(:target)")
    assert all(
        c == MARK for c in others.evaluate_all("es => es.map(e => getComputedStyle(e).backgroundColor)")
    )
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
    briefing = to_data(result)["briefings"][0]
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
    dangerous = (
        "img, iframe, object, embed, math, base, frame, [onload], [onerror], [ontoggle], [onfocus], [srcdoc]"
    )
    assert page.locator(dangerous).count() == 0
    assert page.locator("script").count() == 1  # ours
    hrefs = page.locator("a[href]").evaluate_all(
        "as => as.map(a => a.getAttribute('href').trim().toLowerCase())"
    )
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
    assert len(result.briefings) == 1
    briefing = with_payload_sections(result.briefings[0])  # people, quote ledger, disagreements, timeline
    path = folder / "xss.html"
    path.write_text(render_html(BriefingSet((briefing,))), encoding="utf-8")
    return path


def test_no_payload_runs_in_the_report_file(page, payload_report, capsys):
    page.goto(payload_report.as_uri())
    assert_inert(page)
    poke(page)
    assert_inert(page)
    text = visible_text(page)
    missing = [p for p in PAYLOADS + URL_PAYLOADS[:1] if " ".join(p.split()) not in text]
    assert not missing  # every payload shows, as text
    for cls in ("people", "ledger", "disagreements", "timeline"):  # every payload-carrying section is drawn
        assert page.locator(f"section.{cls}").count() == 1, cls
    page.locator("button.filter").first.click()  # the ledger filter writes a payload name as text
    assert_inert(page)
    assert PAYLOADS[7] in page.locator(".filter-status").inner_text()
    save_screenshot(page, "report-xss.png", capsys, full_page=True)


def test_no_payload_runs_in_the_web_app(page, server, capsys):
    posted = httpx.post(f"{server.url}/api/briefings", json={"articles": payload_articles()}, timeout=120)
    assert posted.status_code == 201, posted.text
    ids = posted.json()["ids"]
    seen = []
    for briefing_id, briefing in zip(ids, posted.json()["briefings"]):
        pages = [f"/briefings/{briefing_id}"] + [
            f"/briefings/{briefing_id}/articles/{n}" for n in range(1, len(briefing["articles"]) + 1)
        ]
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
    upload.set_input_files(
        [
            *[
                {"name": p.name, "mimeType": "text/plain", "buffer": p.read_bytes()}
                for p in EXAMPLE_ARTICLES[:3]
            ],
            {"name": bad_name, "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + bytes(64)},
        ]
    )
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


# Every section, for a reader, on a laptop and a phone ------------------------------------------
def axe_serious(page) -> list[dict]:
    """axe-core's serious and critical violations on the page (axe is injected by the test, not the page)."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run scripts/test.sh, or npm ci --prefix tests/axe")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")


def test_axe_finds_what_it_should(page, tmp_path):
    """The control: a link inside a button is reported, so a clean result below means something."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!doctype html><html lang="en"><title>x</title><main><div role="button" tabindex="0">'
        '<a href="#x">x</a></div><p style="color:#eee">faint</p></main>',
        encoding="utf-8",
    )
    page.goto(bad.as_uri())
    assert {"nested-interactive", "color-contrast"} <= {v["id"] for v in axe_serious(page)}


def _articles(story: str) -> list[Article]:
    if story == "seeds":  # four real articles with no metadata at all, read from ../shared at run time
        return list(read_sources([shared_path("data", "seeds")]).articles)
    if story == "example":
        return list(read_sources(EXAMPLE_ARTICLES).articles)
    return [
        Article(**{**a, "published": datetime.fromisoformat(a["published"])})
        for a in twelve_outlet_articles()
    ]


@pytest.fixture(scope="module")
def stories(tmp_path_factory) -> dict[str, tuple[Path, dict]]:
    """Each story's report file and its briefing JSON."""
    folder = tmp_path_factory.mktemp("stories")
    out = {}
    for story in ("seeds", "example", "twelve"):
        result = brief_articles(_articles(story), options=web_options(folder))
        path = folder / f"{story}.html"
        path.write_text(render(result, "html"), encoding="utf-8")
        out[story] = (path, to_data(result))
    assert (
        len(out["twelve"][1]["briefings"]) == 1
        and out["twelve"][1]["briefings"][0]["counts"]["outlets"] == 12
    )
    return out


def shown_counts(page, scope: str) -> dict[str, int]:
    counts = {}
    for item in page.locator(f"{scope} .counts [data-count]").all():
        text = item.inner_text()
        number = re.match(r"[\d,]+", text)
        counts[item.get_attribute("data-count")] = int(number.group(0).replace(",", "")) if number else 0
    return counts


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("story", ["seeds", "example", "twelve"])
def test_every_section_reads_well(browser, stories, story, width, capsys):
    path, data = stories[story]
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.set_default_timeout(60_000)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(path.as_uri())
        assert (
            page.evaluate(OVERFLOW) == 0
        )  # no sideways scrolling of the page; wide content scrolls in its box

        for i, briefing in enumerate(
            data["briefings"]
        ):  # the header counts are the JSON's, the matrix agrees
            assert shown_counts(page, f"#b{i}-top") == briefing["counts"]
            rows = page.locator(f"#b{i}-top svg.matrix text.row").count()
            if briefing["counts"]["outlets"] == 1:  # nothing to compare: one line instead of a matrix
                assert rows == 0 and "Only one outlet" in page.inner_text(f"#b{i}-coverage")
            else:
                assert rows == briefing["counts"]["outlets"]

        text = page.inner_text("body")
        assert found_names(text, internal_names(data)) == []
        assert not re.search(r"\b(null|None|True|False)\b", text)

        assert axe_serious(page) == []

        first = page.locator("#b0-top")
        for selector in SECTIONS:
            section = first.locator(selector)
            if section.count():
                name = selector.split(".")[-1]
                save_screenshot(section.first, f"report-{story}-{width}-{name}.png", capsys)

        # Opened up (every panel and article), the page still fits.
        page.eval_on_selector_all("details", "ds => ds.forEach(d => { d.open = true; })")
        assert page.evaluate(OVERFLOW) == 0
    finally:
        page.close()
    assert not errors, errors


def test_choosing_a_person_filters_the_quote_ledger(page, stories):
    path, data = stories["twelve"]
    briefing = data["briefings"][0]
    page.goto(path.as_uri())
    statements = briefing["quotes"]["statements"]
    speaker = max(briefing["people"], key=lambda p: sum(p["id"] in s["speaker_ids"] for s in statements))
    theirs = [s for s in statements if speaker["id"] in s["speaker_ids"]]
    assert 0 < len(theirs) < len(statements)
    ledger = page.locator("#b0-quotes")
    assert ledger.locator("li.statement:visible").count() == len(statements)

    button = page.locator(f'#b0-people button.filter[data-person="{speaker["id"]}"]')
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    assert ledger.locator("li.statement:visible").count() == len(theirs)
    assert set(ledger.locator("li.statement:visible").evaluate_all("es => es.map(e => e.id)")) == {
        f"b0-q{statements.index(s) + 1}" for s in theirs
    }
    status = ledger.locator(".filter-status")
    said = f"{len(theirs)} statement{'' if len(theirs) == 1 else 's'} by {speaker['name']}."
    assert status.is_visible() and said in status.inner_text()
    assert ledger.locator(".speaker:visible h3").all_inner_texts()[0].startswith(speaker["name"])

    status.locator("button.filter-clear").click()
    assert ledger.locator("li.statement:visible").count() == len(statements)
    assert not status.is_visible() and button.get_attribute("aria-pressed") == "false"


def test_a_wording_opens_its_sentence_in_the_article_highlighted(page, stories, capsys):
    path, data = stories["twelve"]
    briefing = data["briefings"][0]
    page.goto(path.as_uri())
    drifted = next(s for s in briefing["quotes"]["statements"] if s["drift"])
    item = page.locator(f"#b0-q{briefing['quotes']['statements'].index(drifted) + 1}")
    assert item.locator(".label.drift").count() == 1
    assert (
        item.locator("mark.drift").count() >= 2
    )  # the words that differ are marked, in more than one wording
    # Outlets that use the same words share one wording; every outlet's version is linked from one of them.
    wordings = {" ".join(w.split()).lower() for w in item.locator("figure blockquote").all_inner_texts()}
    assert 2 <= len(wordings) == item.locator("figure").count() < len(drifted["versions"])
    assert item.locator("figure a.ref").count() == len(drifted["versions"])

    version = drifted["versions"][1]
    n = [a["id"] for a in briefing["articles"]].index(version["article_id"]) + 1
    named = f"{version['outlet']} [{n}]"  # as the link's text, or (in a long list) its accessible name
    link = item.locator(f'figure a.ref[aria-label="{named}"], figure a.ref:text-is("{named}")')
    assert link.count() == 1
    link.click()
    assert page.evaluate(f"document.getElementById('b0-a{n}').open")  # its article view opened
    lit = page.evaluate("() => [...CSS.highlights.get('storybrief-target')].map(r => r.toString())")
    wanted = (version["marked"] or version["parts"])[0]["text"]
    assert lit == [wanted]
    assert page.evaluate("""() => { const r = [...CSS.highlights.get('storybrief-target')][0].getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }""")  # scrolled into view
    save_screenshot(page, "report-quote-in-article.png", capsys)


def test_print_and_dark_layouts(page, stories, capsys):
    path, _ = stories["example"]
    page.set_viewport_size({"width": 390, "height": 844})
    page.emulate_media(color_scheme="dark")
    page.goto(path.as_uri())
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)" and sum(map(int, re.findall(r"\d+", background))) < 150
    assert axe_serious(page) == []  # colour contrast holds in the dark scheme too
    save_screenshot(page, "report-example-390-dark.png", capsys)

    page.emulate_media(media="print", color_scheme="light")
    assert not page.locator("#b0-top nav.toc").is_visible()
    assert not page.locator("#b0-top button.filter").first.is_visible()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(
        "[...document.querySelectorAll('details')].every(d => d.open)"
    )  # paper shows everything
    assert page.evaluate(OVERFLOW) == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_the_web_briefing_page_has_the_report_sections(page, server, stories, width, capsys):
    report, _data = stories["example"]
    posted = httpx.post(
        f"{server.url}/api/briefings",
        files=[("files", (p.name, p.read_bytes(), "text/plain")) for p in EXAMPLE_ARTICLES],
        timeout=120,
    )
    assert posted.status_code == 201, posted.text
    briefing_id, briefing = posted.json()["ids"][0], posted.json()["briefings"][0]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server.url}/briefings/{briefing_id}")
    assert page.evaluate(OVERFLOW) == 0
    assert shown_counts(page, "#top") == briefing["counts"]
    headings = page.locator("article.briefing > section > h2").all_inner_texts()
    page.goto(report.as_uri())
    assert headings == [
        h for h in page.locator("#b0-top > section > h2").all_inner_texts() if h != "ARTICLES"
    ]
    page.goto(f"{server.url}/briefings/{briefing_id}")
    assert found_names(page.inner_text("body"), internal_names({"briefings": [briefing]})) == []
    assert axe_serious(page) == []
    save_screenshot(page, f"web-briefing-{width}.png", capsys, full_page=True)

    # A wording's link crosses to the article page and lands on the quote.
    link = page.locator("section.ledger figure a.ref").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(r"/articles/\d+#"))
    lit = page.evaluate("() => [...CSS.highlights.get('storybrief-target')].map(r => r.toString())")
    assert len(lit) == 1 and lit[0] and lit[0] in page.inner_text("article")
    assert page.evaluate(OVERFLOW) == 0 and href.endswith(page.url.split("#")[1])
