"""The self-contained HTML report: offline, escaped, strict CSP, sections only when present, SVG figures."""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from live_server import EXAMPLE_ARTICLES, web_options
from markupsafe import escape
from xss_payloads import PAYLOADS, URL_PAYLOADS, extra_sections, payload_articles

from storybrief.articles import Article
from storybrief.cli import main
from storybrief.pipeline import brief_articles
from storybrief.renderers import RENDERERS, render
from storybrief.renderers.html import (
    article_paragraphs,
    coverage_svg,
    render_report,
    safe_url,
    timeline_events,
    timeline_svg,
)
from storybrief.sources import read_sources


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <style> and <script>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"style": [], "script": []}
        self._in: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.raw[self._in][-1] += data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for t, attrs in self.tags if t == tag]


@pytest.fixture(scope="module")
def example_set(tmp_path_factory):
    options = web_options(tmp_path_factory.mktemp("report-cache"))
    return brief_articles(read_sources(EXAMPLE_ARTICLES).articles, options=options)


@pytest.fixture(scope="module")
def payload_set(tmp_path_factory):
    options = web_options(tmp_path_factory.mktemp("payload-cache"))
    articles = [Article(**a) for a in payload_articles()]
    result = brief_articles(articles, options=options)
    assert len(result.briefings) == 1, "the payload articles should form one story"
    return result


@pytest.fixture(scope="module")
def example_html(example_set) -> str:
    return render(example_set, "html")


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# Self-contained and locked down ---------------------------------------------------------------
def test_html_is_a_registered_format():
    assert "html" in RENDERERS


def test_report_makes_no_request_of_any_kind(example_set, example_html):
    tags = Tags(example_html)
    for tag, attrs in tags.tags:
        assert "src" not in attrs and "srcset" not in attrs, tag
        if tag == "link":
            assert attrs.get("rel") == "icon" and attrs.get("href") == "data:,"
    css = "".join(tags.raw["style"])
    assert "@import" not in css and "url(" not in css and "@font-face" not in css
    # The only http(s) addresses are the articles' own URLs, as links a reader may follow.
    external = [attrs for tag, attrs in tags.tags if tag == "a" and attrs.get("href", "").startswith("http")]
    urls = {a.url for b in example_set.briefings for a in b.articles}
    assert {a["href"] for a in external} == urls
    assert all(a["class"] == "ext" and a["rel"] == "noopener noreferrer nofollow" for a in external)


def test_report_csp_allows_exactly_its_own_style_and_script(example_html):
    tags = Tags(example_html)
    meta = [a for a in tags.all("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert len(meta) == 1
    csp = meta[0]["content"]
    assert csp.startswith("default-src 'none';") and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert len(tags.raw["style"]) == 1 and len(tags.raw["script"]) == 1
    assert f"style-src {sha256_source(tags.raw['style'][0])};" in csp
    assert f"script-src {sha256_source(tags.raw['script'][0])};" in csp
    assert not any(name.startswith("on") for _, attrs in tags.tags for name in attrs)
    assert not any("style" in attrs for _, attrs in tags.tags)  # inline style attributes would be blocked


def test_element_ids_are_unique_across_briefings(example_set, example_html):
    assert len(example_set.briefings) == 2
    ids = [attrs["id"] for _, attrs in Tags(example_html).tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    # every in-page link lands somewhere
    targets = {attrs["href"][1:] for _, attrs in Tags(example_html).tags if attrs.get("href", "").startswith("#")}
    assert targets and targets <= set(ids)


def test_summary_markers_carry_each_cited_sentence(example_set, example_html):
    briefing = example_set.briefings[0]
    for sent in briefing.summary:
        for c in sent.citations:
            outlet, text = escape(c.outlet), escape(briefing.text_of(c.span))
            assert f'<span class="tip-outlet">{outlet}</span><span class="tip-text">{text}</span>' in example_html
    markers = sum(len(sent.citations) for b in example_set.briefings for sent in b.summary)
    assert example_html.count('class="cite"') == markers


def test_cli_writes_the_html_report(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYBRIEF_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "briefing.html"
    result = CliRunner().invoke(main, ["brief", *map(str, EXAMPLE_ARTICLES), "--method", "lead", "--format", "html",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "Kellhaven" in html and "<svg class=\"matrix\"" in html


def test_an_empty_set_says_so_and_lists_what_was_set_aside():
    rejection = {"source": "a.png", "reason": "binary", "detail": "<b>x</b>"}
    html = render_report({"briefings": [], "rejections": [rejection]})
    assert "<h1>No briefing</h1>" in html and "<td>a.png</td><td>binary</td><td>&lt;b&gt;x&lt;/b&gt;</td>" in html


# Escaping ----------------------------------------------------------------------------------
def test_payloads_are_text_never_markup(payload_set):
    data = payload_set.to_dict()
    data["briefings"][0].update(extra_sections())
    html = render_report(data)
    tags = Tags(html)
    for payload in PAYLOADS:
        assert payload not in html or "<" not in payload, payload  # raw markup never reaches the page
        assert str(escape(payload)) in html, payload  # ... but its text does
    assert len(tags.all("script")) == 1 and len(tags.all("style")) == 1  # ours only
    for tag in ("img", "iframe", "object", "embed", "math", "base", "input", "textarea", "body"):
        assert len(tags.all(tag)) == (1 if tag == "body" else 0), tag
    assert not any(name.startswith("on") for _, attrs in tags.tags for name in attrs)
    hrefs = [attrs.get("href") or "" for _, attrs in tags.tags]
    assert not any(h.strip().lower().startswith(("javascript:", "data:text")) for h in hrefs)
    for url in URL_PAYLOADS:
        assert str(escape(url)) not in [attrs.get("href") for _, attrs in tags.tags]


def test_jinja_does_not_evaluate_article_text(payload_set):
    html = render_report(payload_set.to_dict())
    assert "{{constructor.constructor(&#39;window.__xss_11=1&#39;)()}}" in html
    assert "${window.__xss_10=1}" in html


# Sections appear only with their data -------------------------------------------------------
def test_further_sections_render_only_when_present(example_set):
    data = example_set.to_dict()
    for briefing in data["briefings"]:
        for key in ("coverage", "disagreements", "timeline", "people", "quotes"):
            briefing.pop(key)
    plain = render_report(data)
    assert 'class="further' not in plain and "<svg class=\"timeline\"" not in plain
    first = data["briefings"][0]
    span = first["summary"][0]
    first["quotes"] = [{"speaker": "Helena Marrick", "quote": {k: span[k] for k in ("article_id", "start", "end")}}]
    first["timeline"] = [{"date": "2026-03-10", "label": "Fire breaks out", "outlets": ["A", "B"]}]
    first["omissions"] = []
    first["reader_notes"] = {"checked_by": "desk"}
    html = render_report(data)
    assert html.count('class="further') == 3
    assert '<h2 id="b0-x-quotes-h">Quote ledger</h2>' in html
    assert '<h2 id="b0-x-timeline-h">Timeline</h2>' in html and '<svg class="timeline"' in html
    assert '<h2 id="b0-x-reader-notes-h">Reader notes</h2>' in html
    assert "Omissions" not in html  # an empty value makes no section
    # a span in a section shows the cited text and links to its article view
    assert f'<q class="span">{escape(span["text"])}</q> <a class="src" href="#b0-a' in html
    order = [html.index(f"b0-x-{key}-h") for key in ("quotes", "timeline", "reader-notes")]
    assert order == sorted(order)


# Figures ----------------------------------------------------------------------------------
def test_coverage_matrix_draws_one_filled_dot_per_reported_cell():
    svg = coverage_svg(["Courier", "Herald <b>", "Post"], [(1, "Fire."), (2, "Roof fell.")],
                       {(0, 1), (1, 1), (1, 2)}, fact_href=lambda no: f"#f{no}")
    assert svg.count('class="on"') == 3 and svg.count('class="off"') == 3
    assert "Herald &lt;b&gt; reports fact 2: Roof fell." in svg and "<b>" not in svg
    assert '<a href="#f2">' in svg and "2 of 2" in svg and ">0 of 2<" in svg
    assert coverage_svg([], [(1, "x")], set()) == ""


def test_coverage_matrix_of_the_example_matches_the_citations(example_set, example_html):
    briefing = example_set.briefings[0]
    cells = {(c.outlet, no) for no, s in enumerate(briefing.summary, start=1) for c in s.citations}
    first = example_html.split('<svg class="matrix"')[1].split("</svg>")[0]
    assert first.count('class="on"') == len(cells)


def test_timeline_places_dated_events_in_order_and_skips_unresolved():
    events = [("2026-03-12", "Demolition ordered", ["Courier"]), ("2026-03-10", "Fire <breaks> out", ["A", "B", "C"]),
              ("2026-03", "Month of inquiries", []), ("yesterday", "Unresolved", ["A"]), (None, "No date", []),
              (date(2026, 3, 11), "Crews damp down", ["B"])]
    svg = timeline_svg(events)
    labels = re.findall(r'<text class="event-label" x="([\d.]+)" y="(\d+)" text-anchor="(\w+)">([^<]*)<', svg)
    assert [t[3].split(" · ")[1] for t in labels] == ["Month of inquiries", "Fire &lt;breaks&gt; out",
                                                      "Crews damp down", "Demolition ordered"]
    assert labels[0][3].startswith("1. Mar 2026") and labels[1][3].startswith("2. 10 Mar 2026")
    assert "Unresolved" not in svg and "No date" not in svg
    radii = re.findall(r'<circle class="event" cx="[\d.]+" cy="\d+" r="(\d+)">', svg)
    assert radii == ["4", "10", "6", "6"]  # grows with the number of outlets
    xs = [float(x) for x, *_ in labels]
    assert xs == sorted(xs)


def test_timeline_labels_never_overlap_in_a_lane():
    days = (1, 1, 2, 2, 3, 20, 21)
    events = [(f"2026-03-{d:02d}", f"Event number {d} with a fairly long label", ["A"]) for d in days]
    svg = timeline_svg(events)
    placed = re.findall(r'<text class="event-label" x="([\d.]+)" y="(\d+)" text-anchor="(\w+)">([^<]*)<', svg)
    lanes: dict[str, list[tuple[float, float]]] = {}
    for x, y, anchor, text in placed:
        w = len(text.replace("&amp;", "&")) * 6.4
        left = float(x) - w if anchor == "end" else float(x)
        lanes.setdefault(y, []).append((left, left + w))
    assert len(lanes) > 1
    for spans in lanes.values():
        spans.sort()
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))


def test_timeline_is_empty_without_dated_events():
    assert timeline_svg([]) == "" and timeline_svg([("soon", "x", [])]) == ""


def test_timeline_events_read_common_shapes():
    assert timeline_events([("2026-03-10", "Fire", ["A"])]) == [("2026-03-10", "Fire", ["A"])]
    nested = {"events": [{"when": "2026", "event": {"text": "Built"}, "sources": [{"outlet": "Post"}]}]}
    assert timeline_events(nested) == [("2026", "Built", ["Post"])]
    assert timeline_events("not a list") == []


# Article views -----------------------------------------------------------------------------
def test_article_paragraphs_mark_cited_spans_exactly():
    text = "First sentence here. Second one.\n\nThird para starts. Fourth ends it."
    spans = {(21, 32): {1}, (34, 52): {2}, (21, 27): {3}}  # (21, 27) sits inside (21, 32)
    paragraphs, anchors = article_paragraphs(text, spans, anchor=lambda s, e: f"m{s}-{e}")
    assert ["".join(p.text for p in para) for para in paragraphs] == [
        "First sentence here. Second one.", "Third para starts. Fourth ends it."]
    marked = [(p.text, p.id, p.facts) for para in paragraphs for p in para if p.mark]
    assert marked == [("Second one.", "m21-32", (1, 3)), ("Third para starts.", "m34-52", (2,))]
    assert anchors == {(21, 32): "m21-32", (21, 27): "m21-32", (34, 52): "m34-52"}


def test_a_span_across_paragraphs_keeps_its_id_on_the_first_part():
    text = "One two.\n\nThree four."
    paragraphs, anchors = article_paragraphs(text, [(4, 16)], anchor=lambda s, e: "x")
    marks = [(p.text, p.id) for para in paragraphs for p in para if p.mark]
    assert marks == [("two.", "x"), ("Three ", None)]


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a?b=1", True), ("http://x.example/", True), ("HTTPS://X.EXAMPLE/", True),
    ("javascript:alert(1)", False), (" javascript:alert(1)", False), ("data:text/html,x", False),
    ("//evil.example/x", False), ("https://x.example/\"onmouseover=alert(1)", False), (None, False), (3, False),
])
def test_only_plain_http_urls_become_links(url, ok):
    assert (safe_url(url) is not None) is ok
