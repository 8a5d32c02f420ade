"""The self-contained HTML report: offline, escaped, strict CSP, reader's sections from the typed briefing."""

from __future__ import annotations

import base64
import hashlib
import re
import sys
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from live_server import EXAMPLE_ARTICLES, web_options
from markupsafe import escape
from typed_payloads import with_payload_sections
from xss_payloads import PAYLOADS, URL_PAYLOADS, payload_articles

from storybrief.analysis.dates import DateValue
from storybrief.articles import Article
from storybrief.briefing import BriefingSet, count_sources
from storybrief.cli import main
from storybrief.pipeline import brief_articles
from storybrief.renderers import RENDERERS, render
from storybrief.renderers.html import (
    Anchor,
    article_paragraphs,
    coverage_svg,
    render_html,
    render_report,
    safe_url,
)
from storybrief.renderers.markdown import render_markdown
from storybrief.renderers.sections import date_label, disagreement_title, drift_bits
from storybrief.schema import to_data
from storybrief.sources import read_sources


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <style> and <script>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"style": [], "script": [], "title": []}
        self.text: list[str] = []  # the text of the page (outside <style>, <script> and <title>)
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
        else:
            self.text.append(data)

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
    assert (
        csp.startswith("default-src 'none';") and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    )
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
    targets = {
        attrs["href"][1:] for _, attrs in Tags(example_html).tags if attrs.get("href", "").startswith("#")
    }
    assert targets and targets <= set(ids)


def test_summary_markers_carry_each_cited_sentence(example_set, example_html):
    briefing = example_set.briefings[0]
    for sent in briefing.summary:
        for c in sent.citations:
            outlet, text = escape(c.outlet), escape(briefing.text_of(c.span))
            assert (
                f'<span class="tip-outlet">{outlet}</span><span class="tip-text">{text}</span>'
                in example_html
            )
    markers = sum(len(sent.citations) for b in example_set.briefings for sent in b.summary)
    assert example_html.count('class="cite"') == markers


def test_cli_writes_the_html_report(tmp_path, monkeypatch):
    monkeypatch.setenv("STORYBRIEF_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "briefing.html"
    result = CliRunner().invoke(
        main,
        ["brief", *map(str, EXAMPLE_ARTICLES), "--method", "lead", "--format", "html", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "Kellhaven" in html and '<svg class="matrix"' in html


def test_an_empty_set_says_so_and_lists_what_was_set_aside():
    rejection = {"source": "a.png", "reason": "binary", "detail": "<b>x</b>"}
    html = render_report({"briefings": [], "rejections": [rejection]})
    assert (
        "<h1>No briefing</h1>" in html
        and "<td>a.png</td><td>binary</td><td>&lt;b&gt;x&lt;/b&gt;</td>" in html
    )


# Escaping ----------------------------------------------------------------------------------
def test_payloads_are_text_never_markup(payload_set):
    result = BriefingSet((with_payload_sections(payload_set.briefings[0]),))
    html = render_html(result)
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
    for cls in ("people", "ledger", "disagreements", "timeline"):  # every payload-carrying section is drawn
        assert f'<section class="{cls}"' in html, cls


def test_jinja_does_not_evaluate_article_text(payload_set):
    html = render_report(to_data(payload_set))
    assert "{{constructor.constructor(&#39;window.__xss_11=1&#39;)()}}" in html
    assert "${window.__xss_10=1}" in html


# Sections: from the typed model, for a reader ---------------------------------------------
def contents(html: str) -> list[str]:
    toc = re.search(r'<nav class="toc".*?</nav>', html, flags=re.S).group(0)
    return re.findall(r'<a href="#b0-(\w+)">', toc)


def test_sections_render_only_when_present(example_set):
    bare = replace(example_set.briefings[0], people=(), ledger=None, disagreements=(), timeline=None)
    html = render_html(BriefingSet((bare,)))
    for cls in ("people", "ledger", "disagreements", "timeline"):
        assert f'<section class="{cls}"' not in html, cls
    assert contents(html) == ["summary", "coverage", "sources"]
    full = render_html(BriefingSet(example_set.briefings[:1]))
    assert contents(full) == [
        "summary",
        "coverage",
        "disagreements",
        "people",
        "quotes",
        "timeline",
        "sources",
    ]
    for name in contents(full):  # the contents follow the page's order and every entry lands on its section
        assert f'id="b0-{name}"' in full
    order = [full.index(f'id="b0-{name}"') for name in contents(full)]
    assert order == sorted(order)


def visible_text(html: str) -> str:
    return " ".join("".join(Tags(html).text).split())


DATA_KEYED = ("mentions", "labels")  # dicts keyed by outlet names or user labels, not by field names


def json_keys(value, out: set[str]) -> set[str]:
    if isinstance(value, dict):
        out.update(value)
        for k, v in value.items():
            if k not in DATA_KEYED:
                json_keys(v, out)
    elif isinstance(value, list):
        for v in value:
            json_keys(v, out)
    return out


def internal_names(data: dict) -> set[str]:
    """Field names of the briefing JSON (those with an underscore: the rest are plain words) and its ids."""
    names = {k for k in json_keys(data, set()) if "_" in k}
    for b in data["briefings"]:
        names |= {a["id"] for a in b["articles"]} | {b["story_id"]}
        names |= {p["id"] for p in b["people"] if "-" in p["id"]}
    return names


def found_names(text: str, names: set[str]) -> list[str]:
    return sorted(n for n in names if re.search(rf"(?<![\w/.-]){re.escape(n)}(?![\w/-])", text))


def test_no_internal_name_or_id_reaches_the_text(example_set, example_html):
    text = visible_text(example_html)
    assert "Kellhaven" in text
    assert found_names(text, internal_names(to_data(example_set))) == []
    assert not re.search(r"\b(None|null|True|False)\b", text)
    assert found_names("see speaker_kind here", {"speaker_kind"}) == ["speaker_kind"]  # the check can fail


def test_header_counts_come_from_the_one_count(example_set, example_html):
    briefing = example_set.briefings[0]
    counts = briefing.counts
    assert (counts.articles, counts.outlets, counts.independent_outlets, counts.copies) == (6, 5, 4, 1)
    assert to_data(briefing)["counts"] == to_data(counts)
    header = re.search(r'<p class="kicker counts">(.*?)</p>', example_html).group(1)
    shown = dict(re.findall(r'data-count="(\w+)">([^<]*)<', header))
    assert shown == {
        "articles": "6 articles",
        "outlets": "5 outlets",
        "independent_outlets": "4 independent",
        "copies": "1 syndicated copy",
    }
    matrix = example_html.split('<svg class="matrix"')[1].split("</svg>")[0]
    assert matrix.count('<text class="row') == counts.outlets  # one row per outlet: no phantom
    assert counts.describe() == "6 articles from 5 outlets (4 independent; 1 syndicated copy)"
    assert f"*{counts.describe()} · " in render_markdown(example_set)


def test_articles_without_metadata_are_separate_outlets():
    texts = [
        "Fire crews fought a blaze at the quay warehouse all night long.",
        "A warehouse on the quay burned through the night, fire crews said.",
    ]
    articles = [Article(text=t, source=f"/tmp/{k}.txt") for k, t in enumerate(texts)]
    counts = count_sources(articles, ())
    assert (counts.articles, counts.outlets, counts.independent_outlets, counts.copies) == (2, 2, 2, 0)
    assert counts.describe() == "2 articles from 2 outlets"


def test_disagreements_and_timeline_read_as_prose(example_html):
    text = visible_text(example_html)
    assert "Number of firefighters" in text and "Around 60" in text and "Some 45" in text
    assert "Week of 2 March 2026" in text and "April 2026 month" in text and "Tue 10 March 2026" in text


def test_date_labels_say_how_precise_they_are():
    assert date_label(DateValue.day(date(2026, 3, 10))) == "Tue 10 March 2026"
    assert date_label(DateValue.week_of(date(2026, 3, 4))) == "Week of 2 March 2026"
    assert date_label(DateValue.month(2026, 4)) == "April 2026"
    assert date_label(DateValue.year(1887)) == "1887"
    assert date_label(DateValue.decade(1930)) == "1930s"


def test_disagreement_titles_name_the_thing():
    assert disagreement_title("count", "firefighter") == "Number of firefighters"
    assert disagreement_title("count", "child") == "Number of children"
    assert disagreement_title("date", "built") == "When built"
    assert disagreement_title("money", None) == "Amount"


def test_drift_marks_the_words_that_differ_not_a_longer_cut():
    a, b = drift_bits(
        [
            "We are lucky nobody was hurt, and our job is safety",
            "We were lucky that no one was hurt, and our job is safety, she added",
        ]
    )
    assert [x.text for x in a if x.hi] == ["are", "nobody"]
    assert [x.text for x in b if x.hi] == ["were", "that no one"]  # a run of changed words is one mark
    assert (
        "".join(x.text for x in b) == "We were lucky that no one was hurt, and our job is safety, she added"
    )
    same = drift_bits(["“Keep people safe,”", "keep people safe"])
    assert not any(x.hi for bits in same for x in bits)  # case, punctuation and quote marks do not count


def test_the_seeds_count_four_outlets_and_show_unresolved_dates(seed_texts, tmp_path):
    articles = [Article(text=t, source=name) for name, t in seed_texts.items()]
    result = brief_articles(articles, options=web_options(tmp_path))
    briefing = result.briefings[0]
    html = render_html(result)
    header = re.search(r'<p class="kicker counts">(.*?)</p>', html).group(1)
    assert 'data-count="outlets">4 outlets<' in header  # no metadata: four sources, not one phantom outlet
    assert html.split('<svg class="matrix"')[1].split("</svg>")[0].count('<text class="row') == 4
    assert briefing.timeline.unresolved
    assert "Dates that could not be placed" in html
    text = visible_text(html)
    for event in briefing.timeline.unresolved:
        expression = " ".join(briefing.text_of(event.citations[0].date_span).split())
        assert f"“{expression}”" in text


def test_every_section_link_lands_on_an_anchor_in_its_article(example_html):
    tags = Tags(example_html)
    ids = {attrs["id"]: (tag, attrs) for tag, attrs in tags.tags if "id" in attrs}
    refs = [
        attrs["href"][1:]
        for tag, attrs in tags.tags
        if tag == "a" and "ref" in (attrs.get("class") or "").split()
    ]
    assert len(refs) > 50
    targets = [ids[r] for r in refs]
    assert {(tag, attrs.get("class")) for tag, attrs in targets} <= {("mark", "cited"), ("span", "anchor")}


# Bench story size ---------------------------------------------------------------------------
def test_the_ten_article_bench_story_report_stays_small(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from common import ten_article_story

    result = brief_articles(ten_article_story(), options=web_options(tmp_path))
    size = len(render(result, "html").encode("utf-8"))
    assert size <= 500_000, f"the report is {size:,} bytes"


# Figures ----------------------------------------------------------------------------------
def test_coverage_matrix_draws_one_filled_dot_per_reported_cell():
    svg = coverage_svg(
        ["Courier", "Herald <b>", "Post"],
        [(1, "Fire."), (2, "Roof fell.")],
        {(0, 1), (1, 1), (1, 2)},
        fact_href=lambda no: f"#f{no}",
    )
    assert svg.count('class="on"') == 3 and svg.count('class="off"') == 3
    assert "Herald &lt;b&gt; reports fact 2: Roof fell." in svg and "<b>" not in svg
    assert '<a href="#f2">' in svg and "2 of 2" in svg and ">0 of 2<" in svg
    assert 'role="img"' not in svg  # an image role may not hold links (axe: nested-interactive)
    assert coverage_svg([], [(1, "x")], set()) == ""


def test_coverage_matrix_of_the_example_matches_the_citations(example_set, example_html):
    briefing = example_set.briefings[0]
    cells = {(c.outlet, no) for no, s in enumerate(briefing.summary, start=1) for c in s.citations}
    first = example_html.split('<svg class="matrix"')[1].split("</svg>")[0]
    assert first.count('class="on"') == len(cells)


# Article views -----------------------------------------------------------------------------
def test_article_paragraphs_mark_cited_spans_exactly():
    text = "First sentence here. Second one.\n\nThird para starts. Fourth ends it."
    spans = {(21, 32): {1}, (34, 52): {2}, (21, 27): {3}}  # (21, 27) sits inside (21, 32)
    paragraphs, anchors = article_paragraphs(text, spans, anchor=lambda s, e: f"m{s}-{e}")
    assert ["".join(p.text for p in para) for para in paragraphs] == [
        "First sentence here. Second one.",
        "Third para starts. Fourth ends it.",
    ]
    marked = [(p.text, p.id, p.facts) for para in paragraphs for p in para if p.mark]
    assert marked == [("Second one.", "m21-32", (1, 3)), ("Third para starts.", "m34-52", (2,))]
    assert anchors == {(21, 32): "m21-32", (21, 27): "m21-32", (34, 52): "m34-52"}


def test_anchors_sit_where_their_span_starts_and_know_its_length():
    text = "First sentence here. Second one.\n\nThird para starts. Fourth ends it."
    refs = {(0, 5): "r-first", (24, 50): "r-across"}
    paragraphs, anchors = article_paragraphs(
        text, {(21, 32): {1}}, anchor=lambda s, e: f"m{s}-{e}", refs=refs
    )
    assert ["".join(p.text for p in para) for para in paragraphs] == [
        "First sentence here. Second one.",
        "Third para starts. Fourth ends it.",
    ]
    parts = [part for para in paragraphs for p in para for part in p.parts]
    placed = [(k, part) for k, part in enumerate(parts) if isinstance(part, Anchor)]
    assert [a for _, a in placed] == [
        Anchor("r-first", 5),
        Anchor("r-across", 24),
    ]  # 26 characters less the break
    assert parts[placed[1][0] - 1] == "Sec" and parts[placed[1][0] + 1] == "ond one."  # inside the cited mark
    assert anchors == {(21, 32): "m21-32"}


def test_a_span_across_paragraphs_keeps_its_id_on_the_first_part_and_links_back_after_the_last():
    text = "One two.\n\nThree four."
    paragraphs, _ = article_paragraphs(text, {(4, 16): {2}}, anchor=lambda s, e: "x")
    marks = [(p.text, p.id, p.facts) for para in paragraphs for p in para if p.mark]
    assert marks == [("two.", "x", ()), ("Three ", None, (2,))]


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://example.org/a?b=1", True),
        ("http://x.example/", True),
        ("HTTPS://X.EXAMPLE/", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,x", False),
        ("//evil.example/x", False),
        ('https://x.example/"onmouseover=alert(1)', False),
        (None, False),
        (3, False),
    ],
)
def test_only_plain_http_urls_become_links(url, ok):
    assert (safe_url(url) is not None) is ok
