"""HTML: one self-contained report file, and the page pieces the web app shares with it.

The report (``storybrief brief ... --format html``) is a single file with its
CSS and JavaScript inlined: no fonts, images, CDNs or any other request.  It
shows, for each briefing:

- the summary, each sentence followed by one citation marker per cited
  outlet; hovering or focusing a marker shows that outlet's sentence, and
  clicking it opens the article view at that sentence;
- an outlet × fact coverage matrix drawn as inline SVG, and one panel per
  outlet with what it alone reported and what it left out;
- any further analysis the briefing carries (people, quote ledger, coverage,
  omissions, disagreements, timeline ...), each section shown only when its
  key is present; a timeline is also drawn as inline SVG;
- the sources, and every article's full text with its cited sentences marked.

Safety: every string in a briefing is untrusted text from the open web.  It
reaches the page only through Jinja2 autoescaping or :func:`markupsafe.escape`
and is never marked safe; only ``http(s)`` URLs become links.  The report also
carries a Content-Security-Policy that allows its own inline style and script
by hash and nothing else, so even a markup bug could not run injected script.

Everything here works on the JSON form of a briefing (``Briefing.to_dict()``),
so keys added by later stages render without this module knowing their class.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..briefing import BriefingSet

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = TEMPLATES / "assets"

# Keys of a briefing dict that the core sections show; any other key is a further analysis section.
CORE_KEYS = frozenset({
    "schema_version", "id", "created_at", "story_id", "headline", "headline_article_id", "method", "words",
    "summary", "outlets", "duplicates", "articles",
})
# Further sections, in reading order, with their titles; unknown keys follow under a title made from the key.
SECTION_TITLES = {
    "people": "People",
    "entities": "People and organisations",
    "quotes": "Quote ledger",
    "quote_ledger": "Quote ledger",
    "ledger": "Quote ledger",
    "coverage": "Coverage",
    "single_source": "Single-source claims",
    "outlet_views": "Outlets compared",
    "omissions": "Omissions",
    "disagreements": "Disagreements",
    "timeline": "Timeline",
}


# Jinja environment and assets ------------------------------------------------------------
@lru_cache(maxsize=4)
def environment(*extra_dirs: str) -> jinja2.Environment:
    """Templates with autoescaping on for every file (article text is untrusted)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*extra_dirs, str(TEMPLATES)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["plural"] = plural
    return env


@cache
def asset(name: str) -> str:
    """The text of a bundled CSS or JS file (``storybrief.css``, ``storybrief.js``)."""
    return (ASSETS / name).read_text(encoding="utf-8")


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def report_csp() -> str:
    """The report's Content-Security-Policy: its own inline style and script (by hash), nothing else."""
    return (
        "default-src 'none'; "
        f"style-src {csp_hash(asset('storybrief.css'))}; "
        f"script-src {csp_hash(asset('storybrief.js'))}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


# Rendering -------------------------------------------------------------------------------
def render_html(result: BriefingSet) -> str:
    """The self-contained HTML report of a briefing set (what ``--format html`` writes)."""
    return render_report(result.to_dict())


def render_report(data: dict[str, Any]) -> str:
    """The report from a BriefingSet dict (``briefings`` and ``rejections``), e.g. one read back from JSON."""
    briefings = [
        briefing_view(b, links=Links(prefix=f"b{i}-")) for i, b in enumerate(data.get("briefings", ()))
    ]
    title = briefings[0].headline if len(briefings) == 1 else "storybrief briefings"
    return environment().get_template("report.html").render(
        title=title or "storybrief briefing",
        briefings=briefings,
        rejections=list(data.get("rejections", ())),
        csp=report_csp(),
        css=Markup(asset("storybrief.css")),  # our own file, not user data
        js=Markup(asset("storybrief.js")),
    )


# Links: in-page anchors (report) or app URLs (web) --------------------------------------------
@dataclass(frozen=True)
class Links:
    """Where markers and article links point.

    In the report everything is on one page: ``prefix`` keeps element ids of
    several briefings apart.  In the web app, ``article_url`` is the URL of
    article ``n`` (1-based, the sources-list number) and ``briefing_url`` that
    of the briefing page, so links cross pages.
    """

    prefix: str = ""
    article_url: Callable[[int], str] | None = None
    briefing_url: str = ""

    def article(self, n: int) -> str:
        return self.article_url(n) if self.article_url else f"#{self.prefix}a{n}"

    def anchor(self, n: int, anchor_id: str) -> str:
        return f"{self.article_url(n)}#{anchor_id}" if self.article_url else f"#{anchor_id}"

    def fact(self, no: int) -> str:
        return f"{self.briefing_url}#{self.prefix}f{no}"


# View model --------------------------------------------------------------------------------
@dataclass
class Piece:
    """A run of article text: marked when cited; ``id`` is set on the run a link jumps to."""

    text: str
    mark: bool = False
    id: str | None = None
    facts: tuple[int, ...] = ()


@dataclass
class ArticleView:
    n: int
    id: str
    outlet: str
    title: str
    url: str | None
    published: str
    copy_of: int | None
    href: str
    paragraphs: list[list[Piece]]
    n_cited: int


@dataclass
class BriefingView:
    prefix: str
    headline: str
    story_id: str
    method: str
    word_count: int
    n_outlets: int
    summary: list[dict[str, Any]]
    outlets: list[dict[str, Any]]
    articles: list[ArticleView]
    coverage_svg: Markup
    sections: list[dict[str, Any]]
    links: Links
    created_at: str | None = None
    id: str | None = None


def briefing_view(data: dict[str, Any], *, links: Links) -> BriefingView:
    """Everything the templates need about one briefing, computed from its dict once."""
    articles = list(data.get("articles", ()))
    number = {a["id"]: n for n, a in enumerate(articles, start=1)}
    copy_of = {d["copy_id"]: d["original_id"] for d in data.get("duplicates", ())}

    # Which spans of which article are cited, and by which summary facts.
    cited: dict[int, dict[tuple[int, int], set[int]]] = {}
    for no, sent in enumerate(data.get("summary", ()), start=1):
        for c in sent.get("citations", ()):
            if c["article_id"] in number:
                cited.setdefault(number[c["article_id"]], {}).setdefault((c["start"], c["end"]), set()).add(no)

    article_views: list[ArticleView] = []
    anchors: dict[tuple[int, int, int], str] = {}
    for n, a in enumerate(articles, start=1):
        spans = cited.get(n, {})
        paragraphs, span_anchor = article_paragraphs(
            a["text"], spans, anchor=lambda s, e, n=n: f"{links.prefix}a{n}-{s}-{e}"
        )
        anchors.update({(n, s, e): anchor_id for (s, e), anchor_id in span_anchor.items()})
        article_views.append(ArticleView(
            n=n, id=a["id"], outlet=a.get("outlet") or "unknown outlet", title=a.get("title") or "",
            url=safe_url(a.get("url")), published=_date_text(a.get("published")),
            copy_of=number.get(copy_of.get(a["id"], "")), href=links.article(n),
            paragraphs=paragraphs, n_cited=len(spans),
        ))

    outlet_names = [o["name"] for o in data.get("outlets", ())]
    for view in article_views:
        if view.outlet not in outlet_names:
            outlet_names.append(view.outlet)
    outlet_index = {name: i for i, name in enumerate(outlet_names)}

    summary = []
    for no, sent in enumerate(data.get("summary", ()), start=1):
        citations = []
        for k, c in enumerate(sent.get("citations", ())):
            n = number.get(c["article_id"])
            if n is None:
                continue
            text = articles[n - 1]["text"][c["start"]:c["end"]]
            citations.append({
                "n": n, "outlet": c.get("outlet") or articles[n - 1].get("outlet") or "unknown outlet",
                "text": text, "tip_id": f"{links.prefix}t{no}-{k}",
                "href": (links.anchor(n, anchors[(n, c["start"], c["end"])]) if (n, c["start"], c["end"]) in anchors
                         else links.article(n)),
            })
        # Outlets that state the fact with a conflicting figure, date or named actor: a marker of
        # their own, never counted as support.
        disputed = []
        for k, c in enumerate(sent.get("disputed_by", ())):
            n = number.get(c["article_id"])
            if n is None:
                continue
            disputed.append({
                "n": n, "outlet": c.get("outlet") or articles[n - 1].get("outlet") or "unknown outlet",
                "text": articles[n - 1]["text"][c["start"]:c["end"]], "tip_id": f"{links.prefix}d{no}-{k}",
                "href": links.article(n),
            })
        n = number.get(sent["article_id"])
        text = articles[n - 1]["text"][sent["start"]:sent["end"]] if n else sent.get("text", "")
        outlets = sorted({outlet_index[c["outlet"]] for c in citations if c["outlet"] in outlet_index})
        summary.append({
            "no": no, "id": f"{links.prefix}f{no}", "text": text, "citations": citations, "disputed": disputed,
            "support": len(outlets), "outlet_idx": " ".join(map(str, outlets)), "outlets": outlets,
        })

    entries = {o["name"]: o for o in data.get("outlets", ())}
    outlets = []
    for i, name in enumerate(outlet_names):
        entry = entries.get(name, {"article_ids": [], "copy_ids": []})
        facts = [s for s in summary if i in s["outlets"]]
        outlets.append({
            "idx": i, "name": name,
            "articles": [number[x] for x in entry.get("article_ids", ()) if x in number],
            "copies": [number[x] for x in entry.get("copy_ids", ()) if x in number],
            "only": [s for s in facts if s["support"] == 1],
            "shared": [s for s in facts if s["support"] > 1],
            "missing": [s for s in summary if i not in s["outlets"] and s["support"] > 1],
        })

    sections = further_sections(data, articles=articles, number=number, links=links)
    return BriefingView(
        prefix=links.prefix,
        headline=data.get("headline") or "",
        story_id=data.get("story_id", ""),
        method=data.get("method", ""),
        word_count=sum(len(s["text"].split()) for s in summary),
        n_outlets=len({v.outlet for v in article_views}),
        summary=summary,
        outlets=outlets,
        articles=article_views,
        coverage_svg=coverage_svg(
            [o["name"] for o in outlets],
            [(s["no"], s["text"]) for s in summary],
            {(i, s["no"]) for i in range(len(outlets)) for s in summary if i in s["outlets"]},
            fact_href=links.fact,
            copy_only={o["idx"] for o in outlets if o["copies"] and not o["articles"]},
            prefix=links.prefix,
        ),
        sections=sections,
        links=links,
        created_at=data.get("created_at"),
        id=data.get("id"),
    )


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def article_paragraphs(
    text: str,
    spans: Iterable[tuple[int, int]] | dict[tuple[int, int], set[int]],
    *,
    anchor: Callable[[int, int], str],
) -> tuple[list[list[Piece]], dict[tuple[int, int], str]]:
    """Split an article into paragraphs of pieces, marking the cited spans.

    Returns the paragraphs and, for each span, the id of the element a link
    to it should jump to.  Spans that do not overlap get their own ``<mark>``
    with that id; a span overlapping an earlier one (a trimmed sub-span of the
    same sentence, say) is marked with it and jumps to it.
    """
    facts = {k: set(v) for k, v in spans.items()} if isinstance(spans, dict) else {tuple(k): set() for k in spans}
    marks: list[list[Any]] = []  # [start, end, anchor id, fact numbers], in text order, never overlapping
    span_anchor: dict[tuple[int, int], str] = {}
    for key in sorted(facts, key=lambda se: (se[0], -se[1])):
        s, e = (max(0, min(x, len(text))) for x in key)
        if e <= s:
            continue
        if marks and s < marks[-1][1]:
            marks[-1][1] = max(marks[-1][1], e)
            marks[-1][3] |= facts[key]
            span_anchor[key] = marks[-1][2]
            continue
        span_anchor[key] = anchor(*key)
        marks.append([s, e, span_anchor[key], set(facts[key])])

    bounds = []
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))

    paragraphs: list[list[Piece]] = []
    k = 0  # the first mark that may still lie ahead
    emitted: set[int] = set()
    for p_start, p_end in bounds:
        pieces: list[Piece] = []
        pos = p_start
        while pos < p_end:
            while k < len(marks) and marks[k][1] <= pos:
                k += 1
            if k == len(marks) or marks[k][0] >= p_end:
                pieces.append(Piece(text[pos:p_end]))
                break
            m_start, m_end, anchor_id, nos = marks[k]
            if m_start > pos:
                pieces.append(Piece(text[pos:m_start]))
                pos = m_start
                continue
            end = min(m_end, p_end)
            first = k not in emitted  # a mark split by a paragraph break carries its id on its first part
            emitted.add(k)
            pieces.append(Piece(text[pos:end], mark=True, id=anchor_id if first else None,
                                facts=tuple(sorted(nos)) if first else ()))
            pos = end
        if pieces:
            paragraphs.append(pieces)
    return paragraphs, span_anchor


def safe_url(url: Any) -> str | None:
    """The URL if it is a plain http(s) URL we may link to; None for javascript:, data: and the rest."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if re.match(r"^https?://[^\s<>\"'`]+$", url, flags=re.IGNORECASE):
        return url
    return None


def _date_text(value: Any) -> str:
    if not value:
        return ""
    try:
        return datetime.fromisoformat(str(value)).date().isoformat()
    except ValueError:
        return str(value)[:32]


# Coverage matrix ---------------------------------------------------------------------------
def _clip(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def coverage_svg(
    outlets: Sequence[str],
    facts: Sequence[tuple[int, str]],
    cells: set[tuple[int, int]],
    *,
    fact_href: Callable[[int], str] = lambda no: f"#f{no}",
    copy_only: set[int] = frozenset(),
    prefix: str = "",
) -> Markup:
    """An outlet × fact matrix as inline SVG: a filled dot where an outlet reports a fact.

    ``facts`` are (number, text) pairs, ``cells`` the (outlet index, fact
    number) pairs that are reported.  Column heads link to the fact; every
    dot has a tooltip naming the outlet and the fact.  ``prefix`` keeps the
    element ids of several figures on one page apart.  Empty when there is
    nothing to draw.
    """
    if not outlets or not facts:
        return Markup("")
    cell, label_w, top, right = 30, 200, 46, 78
    width = label_w + cell * len(facts) + right
    height = top + cell * len(outlets) + 34
    out = [
        f'<svg class="matrix" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{prefix}cov-title">',
        f'<title id="{prefix}cov-title">Which outlet reports which summary fact</title>',
        f'<text class="axis" x="{label_w - 10}" y="{top - 24}" text-anchor="end">fact →</text>',
    ]
    per_fact = {no: 0 for no, _ in facts}
    for j, (no, text) in enumerate(facts):
        x = label_w + cell * j + cell / 2
        out.append(
            f'<a href="{escape(fact_href(no))}"><text class="col" x="{x}" y="{top - 10}" text-anchor="middle">'
            f"{no}<title>Fact {no}: {escape(_clip(text, 240))}</title></text></a>"
        )
    for i, name in enumerate(outlets):
        y = top + cell * i + cell / 2
        if i % 2 == 0:
            out.append(f'<rect class="band" x="0" y="{top + cell * i}" width="{width}" height="{cell}"/>')
        note = " (copies only)" if i in copy_only else ""
        out.append(
            f'<text class="row{" dim" if note else ""}" x="{label_w - 10}" y="{y + 4}" text-anchor="end">'
            f"{escape(_clip(name, 26))}<title>{escape(name)}{note}</title></text>"
        )
        count = 0
        for j, (no, text) in enumerate(facts):
            x = label_w + cell * j + cell / 2
            if (i, no) in cells:
                count += 1
                per_fact[no] += 1
                out.append(
                    f'<circle class="on" cx="{x}" cy="{y}" r="8"><title>{escape(name)} reports fact {no}: '
                    f"{escape(_clip(text, 240))}</title></circle>"
                )
            else:
                out.append(
                    f'<circle class="off" cx="{x}" cy="{y}" r="3"><title>{escape(name)} does not report fact {no}'
                    "</title></circle>"
                )
        out.append(
            f'<text class="total" x="{label_w + cell * len(facts) + 10}" y="{y + 4}">{count} of {len(facts)}</text>'
        )
    y = top + cell * len(outlets) + 20
    out.append(f'<text class="axis" x="{label_w - 10}" y="{y}" text-anchor="end">outlets</text>')
    for j, (no, _) in enumerate(facts):
        x = label_w + cell * j + cell / 2
        cls = "total single" if per_fact[no] == 1 else "total"
        out.append(f'<text class="{cls}" x="{x}" y="{y}" text-anchor="middle">{per_fact[no]}</text>')
    out.append("</svg>")
    return Markup("".join(out))


# Timeline ----------------------------------------------------------------------------------
def _parse_when(value: Any) -> tuple[date, str] | None:
    """A date and its granularity ('day', 'month', 'year') from a date, datetime or ISO-like string."""
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    if not isinstance(value, str):
        return None
    value = value.strip()
    for pattern, fmt, grain in (
        (r"^\d{4}$", "%Y", "year"),
        (r"^\d{4}-\d{2}$", "%Y-%m", "month"),
    ):
        if re.match(pattern, value):
            return datetime.strptime(value, fmt).date(), grain
    try:
        return datetime.fromisoformat(value).date(), "day"
    except ValueError:
        return None


def _when_text(d: date, grain: str) -> str:
    if grain == "year":
        return f"{d.year}"
    if grain == "month":
        return d.strftime("%b %Y")
    return f"{d.day} {d:%b %Y}"


def timeline_svg(events: Sequence[tuple[Any, str, Sequence[str]]], *, prefix: str = "") -> Markup:
    """A timeline as inline SVG from (date, label, outlets) triples.

    ``date`` is a date, a datetime, or an ISO string of a day (``2026-03-11``),
    month (``2026-03``) or year (``2026``); events whose date is missing or
    unresolved are left out of the picture.  Dots sit on a proportional time
    axis, sized by how many outlets report the event, with numbered labels
    stacked in lanes so they never overlap.  Empty when nothing is dated.
    """
    dated = []
    for when, label, outlets in events:
        parsed = _parse_when(when)
        if parsed is not None:
            dated.append((parsed[0], parsed[1], str(label or ""), [str(o) for o in (outlets or ())]))
    if not dated:
        return Markup("")
    dated.sort(key=lambda e: e[0])
    width, pad, axis_y, lane_h, char_w = 760, 24, 40, 36, 6.4
    first, last = dated[0][0], dated[-1][0]
    span_days = max((last - first).days, 1)

    def x_of(d: date) -> float:
        if first == last:
            return width / 2
        return pad + (width - 2 * pad) * (d - first).days / span_days

    lanes: list[float] = []  # right edge of the last label in each lane
    placed = []
    for k, (d, grain, label, outlets) in enumerate(dated, start=1):
        x = x_of(d)
        text = f"{k}. {_when_text(d, grain)} · {_clip(label, 44)}"
        w = len(text) * char_w
        anchor_end = x + w > width - 4
        left, right_edge = (x - w, x) if anchor_end else (x, x + w)
        lane = next((i for i, edge in enumerate(lanes) if edge + 12 < left), None)
        if lane is None:
            lanes.append(right_edge)
            lane = len(lanes) - 1
        else:
            lanes[lane] = right_edge
        placed.append((k, d, grain, label, outlets, x, lane, anchor_end, text))
    height = axis_y + 30 + lane_h * len(lanes)
    out = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{prefix}tl-title">',
        f'<title id="{prefix}tl-title">Timeline of dated events</title>',
        f'<line class="axis-line" x1="{pad}" y1="{axis_y}" x2="{width - pad}" y2="{axis_y}"/>',
        f'<text class="axis" x="{pad}" y="{axis_y - 18}">{escape(_when_text(first, dated[0][1]))}</text>',
    ]
    if last != first:
        out.append(
            f'<text class="axis" x="{width - pad}" y="{axis_y - 18}" text-anchor="end">'
            f'{escape(_when_text(last, dated[-1][1]))}</text>'
        )
    for _, d, grain, label, outlets, x, lane, anchor_end, text in placed:
        y = axis_y + 30 + lane_h * lane
        r = 4 + 2 * min(len(outlets), 4)
        who = ", ".join(outlets) if outlets else "no outlet named"
        tip = f"{_when_text(d, grain)}: {label} ({who})"
        out.append(f'<line class="leader" x1="{x}" y1="{axis_y}" x2="{x}" y2="{y - 12}"/>')
        out.append(
            f'<circle class="event" cx="{x}" cy="{axis_y}" r="{r}"><title>{escape(tip)}</title></circle>'
        )
        out.append(
            f'<text class="event-label" x="{x}" y="{y}" text-anchor="{"end" if anchor_end else "start"}">'
            f"{escape(text)}<title>{escape(tip)}</title></text>"
        )
    out.append("</svg>")
    return Markup("".join(out))


_DATE_KEYS = ("date", "when", "resolved", "start", "time", "day", "value")
_LABEL_KEYS = ("label", "text", "event", "description", "summary", "title", "sentence")
_OUTLET_KEYS = ("outlets", "sources", "reported_by")


def timeline_events(value: Any) -> list[tuple[Any, str, list[str]]]:
    """(date, label, outlets) triples from a briefing's ``timeline`` value, whatever its exact shape.

    Accepts a list (or ``{"events": [...]}``) of triples or of dicts whose
    date, label and outlets sit under common key names; a label that is a
    span dict contributes its ``text``.
    """
    if isinstance(value, dict):
        value = value.get("events", [])
    if not isinstance(value, list):
        return []
    events = []
    for item in value:
        if isinstance(item, (list, tuple)) and len(item) == 3:
            events.append((item[0], str(item[1]), [str(o) for o in item[2] or ()]))
            continue
        if not isinstance(item, dict):
            continue
        when = next((item[k] for k in _DATE_KEYS if item.get(k)), None)
        label = next((item[k] for k in _LABEL_KEYS if item.get(k)), "")
        if isinstance(label, dict):
            label = label.get("text", "")
        raw = next((item[k] for k in _OUTLET_KEYS if item.get(k)), [])
        outlets = [o if isinstance(o, str) else (o.get("outlet") or o.get("name") or "") for o in raw
                   if isinstance(o, (str, dict))] if isinstance(raw, list) else []
        events.append((when, str(label), outlets))
    return events


# Further analysis sections -----------------------------------------------------------------
def further_sections(
    data: dict[str, Any], *, articles: list[dict[str, Any]], number: dict[str, int], links: Links
) -> list[dict[str, Any]]:
    """One section per non-core key of the briefing that holds something, known ones first."""
    keys = [k for k in SECTION_TITLES if k in data]
    keys += sorted(k for k in data if k not in CORE_KEYS and k not in SECTION_TITLES)
    sections = []
    for key in keys:
        value = data[key]
        if value in (None, [], {}, ""):
            continue
        svg = timeline_svg(timeline_events(value), prefix=links.prefix) if key == "timeline" else Markup("")
        body = render_value(value, articles=articles, number=number, links=links)
        title = SECTION_TITLES.get(key) or key.replace("_", " ").strip().capitalize()
        sections.append({"key": key, "id": f"{links.prefix}x-{_slug(key)}", "title": title, "svg": svg,
                         "body": body})
    return sections


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _is_span(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("article_id"), str)
        and isinstance(value.get("start"), int)
        and isinstance(value.get("end"), int)
    )


def render_value(
    value: Any,
    *,
    articles: list[dict[str, Any]],
    number: dict[str, int],
    links: Links,
    depth: int = 0,
) -> Markup:
    """Any JSON value as escaped HTML: tables for lists of records, quoted text with a link for spans."""

    def again(v: Any) -> Markup:
        return render_value(v, articles=articles, number=number, links=links, depth=depth + 1)

    if value is None or value == "":
        return Markup('<span class="none">—</span>')
    if isinstance(value, bool):
        return Markup("yes" if value else "no")
    if isinstance(value, (int, float, str)):
        return escape(str(value))
    if depth > 5:
        return escape(_clip(json.dumps(value, ensure_ascii=False), 300))
    if _is_span(value):
        n = number.get(value["article_id"])
        if n is None:
            return escape(value.get("text") or f"{value['article_id']}[{value['start']}:{value['end']}]")
        text = articles[n - 1]["text"][value["start"]:value["end"]]
        outlet = value.get("outlet") or articles[n - 1].get("outlet") or ""
        return Markup('<q class="span">{}</q> <a class="src" href="{}" title="{}">[{}]</a>').format(
            text, links.article(n), outlet, n
        )
    if isinstance(value, dict):
        rows = Markup("").join(
            Markup("<dt>{}</dt><dd>{}</dd>").format(_humanize(k), again(v)) for k, v in value.items()
        )
        return Markup('<dl class="record">{}</dl>').format(rows)
    if isinstance(value, list):
        items = value[:500]
        more = Markup('<p class="more">… and {} more</p>').format(len(value) - 500) if len(value) > 500 else ""
        if items and all(isinstance(v, dict) and not _is_span(v) for v in items):
            columns: list[str] = []
            for v in items:
                columns += [k for k in v if k not in columns]
            head = Markup("").join(Markup("<th>{}</th>").format(_humanize(c)) for c in columns)
            body = Markup("").join(
                Markup("<tr>{}</tr>").format(
                    Markup("").join(Markup("<td>{}</td>").format(again(v.get(c))) for c in columns)
                )
                for v in items
            )
            return Markup('<div class="table-wrap"><table class="data"><thead><tr>{}</tr></thead>'
                          "<tbody>{}</tbody></table></div>{}").format(head, body, more)
        if all(isinstance(v, (str, int, float)) for v in items) and sum(len(str(v)) for v in items) < 120:
            return escape(", ".join(str(v) for v in items))
        return Markup('<ul class="values">{}</ul>{}').format(
            Markup("").join(Markup("<li>{}</li>").format(again(v)) for v in items), more
        )
    return escape(str(value))


def _humanize(key: Any) -> str:
    return str(key).replace("_", " ")

