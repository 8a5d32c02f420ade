"""HTML: one self-contained report file, and the page pieces the web app shares with it.

The report (``storybrief brief ... --format html``) is a single file with its
CSS and JavaScript inlined: no fonts, images, CDNs or any other request.  It
shows, for each briefing, in sections designed for reading on a desk, a phone
or paper:

- the summary, each sentence followed by one citation marker per cited
  outlet; hovering or focusing a marker shows that outlet's sentence, and
  clicking it opens the article view at that sentence;
- people and organisations (kind, roles with the outlets stating them,
  aliases, mentions per outlet); choosing one filters the quote ledger;
- the quote ledger, by speaker, each outlet's wording side by side with the
  words that drift marked;
- coverage: an outlet × fact matrix drawn as inline SVG, one panel per
  outlet, single-source claims and omissions outlet by outlet;
- disagreements, the values side by side with each outlet's sentence;
- a vertical timeline by date, unresolved relative dates apart;
- the sources, and every article's full text with its cited sentences marked.

Every article is referred to as "Outlet [n]", its number in the sources list,
and every quoted span links to its place in the article view.

Safety: every string in a briefing is untrusted text from the open web.  It
reaches the page only through Jinja2 autoescaping or :func:`markupsafe.escape`
and is never marked safe; only ``http(s)`` URLs become links.  The report also
carries a Content-Security-Policy that allows its own inline style and script
by hash and nothing else, so even a markup bug could not run injected script.

Everything here reads the typed briefing (:class:`~storybrief.briefing.Briefing`);
the section view records are built in :mod:`storybrief.renderers.sections`.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..briefing import Briefing, BriefingSet, OutletEntry, SourceCounts, tally_outlets
from ..schema import from_data
from . import sections as sec

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = TEMPLATES / "assets"


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
def render_html(result: BriefingSet, *, created_at: Sequence[str | None] = ()) -> str:
    """The self-contained HTML report of a briefing set (what ``--format html`` writes).

    ``created_at`` optionally gives each briefing's time of making (stored briefings have one).
    """
    briefings = [
        briefing_view(
            b, links=Links(prefix=f"b{i}-"), created_at=created_at[i] if i < len(created_at) else None
        )
        for i, b in enumerate(result.briefings)
    ]
    title = briefings[0].headline if len(briefings) == 1 else "storybrief briefings"
    return (
        environment()
        .get_template("report.html")
        .render(
            title=title or "storybrief briefing",
            briefings=briefings,
            rejections=list(result.rejections),
            csp=report_csp(),
            css=Markup(asset("storybrief.css")),  # our own file, not user data
            js=Markup(asset("storybrief.js")),
        )
    )


def render_report(data: dict[str, Any]) -> str:
    """The report from a BriefingSet's JSON (``briefings`` and ``rejections``), e.g. a stored briefing.

    The JSON is read back into the typed model first (and so checked); a stored
    briefing's ``created_at`` is shown in its header.
    """
    result = from_data(BriefingSet, data, where="briefing set")
    return render_html(result, created_at=[b.get("created_at") for b in data.get("briefings", ())])


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
@dataclass(frozen=True)
class Anchor:
    """A link target inside an article's text: ``length`` characters of text follow it."""

    id: str
    length: int


@dataclass
class Piece:
    """A run of article text: marked when cited; ``id`` is set on the run a link jumps to.

    ``parts`` is the text with any :class:`Anchor` placed inside it.
    """

    parts: list[str | Anchor]
    mark: bool = False
    id: str | None = None
    facts: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        return "".join(p for p in self.parts if isinstance(p, str))


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


@dataclass(frozen=True)
class CitationView:
    """A citation marker: source ``n``'s sentence, the id of its tooltip and where the marker links."""

    n: int
    outlet: str
    text: str
    tip_id: str
    href: str


@dataclass(frozen=True)
class SummaryView:
    """Summary sentence ``no``: its text, its markers, and the matrix rows (outlet indexes) reporting it."""

    no: int
    id: str
    text: str
    citations: list[CitationView]
    disputed: list[CitationView]
    outlets: list[int]

    @property
    def support(self) -> int:
        return len(self.outlets)

    @property
    def outlet_idx(self) -> str:
        return " ".join(map(str, self.outlets))


@dataclass
class OutletView:
    """One outlet's row of the matrix and its panel: its articles and the summary facts it reports."""

    idx: int
    name: str
    articles: list[int]
    copies: list[int]
    copy_of: str
    only: list[SummaryView]
    shared: list[SummaryView]
    missing: list[SummaryView]


@dataclass
class BriefingView:
    prefix: str
    headline: str
    method: str
    word_count: int
    counts: SourceCounts
    summary: list[SummaryView]
    outlets: list[OutletView]
    articles: list[ArticleView]
    coverage_svg: Markup
    links: Links
    people: list[sec.PersonView] = field(default_factory=list)
    ledger: list[sec.SpeakerView] = field(default_factory=list)
    n_statements: int = 0
    coverage: sec.CoverageView | None = None
    disagreements: list[sec.DisagreementView] = field(default_factory=list)
    timeline: list[sec.DateGroup] = field(default_factory=list)
    undated: list[sec.EventView] = field(default_factory=list)
    n_events: int = 0
    people_shown: int = sec.PEOPLE_SHOWN
    created_at: str | None = None

    def section_id(self, name: str) -> str:
        return f"{self.prefix}{name}"

    @property
    def contents(self) -> list[sec.SectionLink]:
        """The sections present, in page order (see the ``sections`` macro), for the table of contents."""
        out = [
            sec.SectionLink(self.section_id("summary"), "Summary", len(self.summary)),
            sec.SectionLink(self.section_id("coverage"), "Coverage"),
        ]
        if self.disagreements:
            out.append(
                sec.SectionLink(self.section_id("disagreements"), "Disagreements", len(self.disagreements))
            )
        if self.people:
            out.append(sec.SectionLink(self.section_id("people"), "People", len(self.people)))
        if self.ledger:
            out.append(sec.SectionLink(self.section_id("quotes"), "Quotes", self.n_statements))
        if self.timeline or self.undated:
            out.append(sec.SectionLink(self.section_id("timeline"), "Timeline", self.n_events))
        out.append(sec.SectionLink(self.section_id("sources"), "Sources", len(self.articles)))
        return out


def _anchor_in(links: Links, n: int) -> Callable[[int, int], str]:
    """The id of the anchor of span (s, e) of article ``n``."""
    return lambda s, e: f"{links.prefix}a{n}-{s}-{e}"


def briefing_view(briefing: Briefing, *, links: Links, created_at: str | None = None) -> BriefingView:
    """Everything the templates need about one briefing, computed from the typed briefing once."""
    number = {a.id: n for n, a in enumerate(briefing.articles, start=1)}
    cited = _cited_spans(briefing, number)
    anchors: dict[tuple[int, int, int], str] = {}
    for n, a in enumerate(briefing.articles, start=1):
        _, span_anchor = cited_marks(a.text, cited.get(n, {}), anchor=_anchor_in(links, n))
        anchors.update({(n, s, e): anchor_id for (s, e), anchor_id in span_anchor.items()})

    # The matrix rows: the same outlets the header counts (briefing.count_sources).
    outlets = tally_outlets(briefing.articles, briefing.duplicates)
    summary = _summary_views(briefing, links, number, anchors, {o.name: i for i, o in enumerate(outlets)})
    refs = sec.Refs(briefing, prefix=links.prefix, anchor_href=links.anchor, cited=anchors)
    outlet_views = _outlet_views(briefing, outlets, summary, number)
    # The sections register the spans they link to (refs.anchors) before the articles are marked up.
    people = sec.people_view(briefing, refs)
    ledger = sec.ledger_view(briefing, refs)
    coverage = sec.coverage_view(briefing, refs)
    disagreements = sec.disagreements_view(briefing, refs)
    timeline, undated = sec.timeline_view(briefing, refs)
    article_views = _article_views(briefing, links, cited, refs, number)
    return BriefingView(
        prefix=links.prefix,
        headline=briefing.headline,
        method=briefing.method,
        word_count=sum(len(s.text.split()) for s in summary),
        counts=briefing.counts,
        summary=summary,
        outlets=outlet_views,
        articles=article_views,
        coverage_svg=coverage_svg(
            [o.name for o in outlet_views],
            [(s.no, s.text) for s in summary],
            {(i, s.no) for i in range(len(outlet_views)) for s in summary if i in s.outlets},
            fact_href=links.fact,
            copy_only={o.idx for o in outlet_views if o.copies and not o.articles},
            prefix=links.prefix,
        ),
        links=links,
        people=people,
        ledger=ledger,
        n_statements=sum(len(g.statements) for g in ledger),
        coverage=coverage,
        disagreements=disagreements,
        timeline=timeline,
        undated=undated,
        n_events=sum(len(g.events) for g in timeline) + len(undated),
        created_at=created_at,
    )


def _cited_spans(briefing: Briefing, number: dict[str, int]) -> dict[int, dict[tuple[int, int], set[int]]]:
    """Which spans of which article (by number) are cited, and by which summary facts."""
    cited: dict[int, dict[tuple[int, int], set[int]]] = {}
    for no, sent in enumerate(briefing.summary, start=1):
        for c in sent.citations:
            cited.setdefault(number[c.span.article_id], {}).setdefault((c.span.start, c.span.end), set()).add(
                no
            )
    return cited


def _summary_views(
    briefing: Briefing,
    links: Links,
    number: dict[str, int],
    anchors: dict[tuple[int, int, int], str],
    outlet_index: dict[str, int],
) -> list[SummaryView]:
    summary = []
    for no, sent in enumerate(briefing.summary, start=1):
        citations = []
        for k, c in enumerate(sent.citations):
            n = number[c.span.article_id]
            anchor = anchors.get((n, c.span.start, c.span.end))
            href = links.anchor(n, anchor) if anchor else links.article(n)
            citations.append(
                CitationView(n, c.outlet, briefing.text_of(c.span), f"{links.prefix}t{no}-{k}", href)
            )
        # Outlets that state the fact with a conflicting figure, date or named actor: a marker of
        # their own, never counted as support.
        disputed = [
            CitationView(
                number[c.span.article_id],
                c.outlet,
                briefing.text_of(c.span),
                f"{links.prefix}d{no}-{k}",
                links.article(number[c.span.article_id]),
            )
            for k, c in enumerate(sent.disputed_by)
        ]
        support = sorted({outlet_index[c.outlet] for c in sent.citations if c.outlet in outlet_index})
        text = briefing.text_of(sent.span)
        summary.append(SummaryView(no, f"{links.prefix}f{no}", text, citations, disputed, support))
    return summary


def _outlet_views(
    briefing: Briefing, outlets: Sequence[OutletEntry], summary: list[SummaryView], number: dict[str, int]
) -> list[OutletView]:
    copy_of = {d.copy_id: d.original_id for d in briefing.duplicates}
    views = []
    for i, o in enumerate(outlets):
        facts = [s for s in summary if i in s.outlets]
        originals = sorted({briefing.article(copy_of[x]).display_outlet for x in o.copy_ids if x in copy_of})
        views.append(
            OutletView(
                idx=i,
                name=o.name,
                articles=[number[x] for x in o.article_ids],
                copies=[number[x] for x in o.copy_ids],
                copy_of=sec.join_outlets(originals),
                only=[s for s in facts if s.support == 1],
                shared=[s for s in facts if s.support > 1],
                missing=[s for s in summary if i not in s.outlets and s.support > 1],
            )
        )
    return views


def _article_views(
    briefing: Briefing,
    links: Links,
    cited: dict[int, dict[tuple[int, int], set[int]]],
    refs: sec.Refs,
    number: dict[str, int],
) -> list[ArticleView]:
    copy_of = {d.copy_id: d.original_id for d in briefing.duplicates}
    views: list[ArticleView] = []
    for n, a in enumerate(briefing.articles, start=1):
        spans = cited.get(n, {})
        paragraphs, _ = article_paragraphs(
            a.text,
            spans,
            anchor=_anchor_in(links, n),
            refs=refs.anchors.get(n, {}),
        )
        views.append(
            ArticleView(
                n=n,
                id=a.id,
                outlet=a.display_outlet,
                title=a.title,
                url=safe_url(a.url),
                published=a.published.date().isoformat() if a.published else "",
                copy_of=number.get(copy_of.get(a.id, "")),
                href=links.article(n),
                paragraphs=paragraphs,
                n_cited=len(spans),
            )
        )
    return views


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def cited_marks(
    text: str,
    spans: Iterable[tuple[int, int]] | dict[tuple[int, int], set[int]],
    *,
    anchor: Callable[[int, int], str],
) -> tuple[list[list[Any]], dict[tuple[int, int], str]]:
    """The marks of the cited spans, never overlapping, and for each span the id a link to it jumps to.

    Spans that do not overlap get their own mark with that id; a span
    overlapping an earlier one (a trimmed sub-span of the same sentence, say)
    is marked with it and jumps to it.  A mark is ``[start, end, id, fact numbers]``.
    """
    facts = (
        {k: set(v) for k, v in spans.items()} if isinstance(spans, dict) else {tuple(k): set() for k in spans}
    )
    marks: list[list[Any]] = []
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
    return marks, span_anchor


def paragraph_bounds(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def article_paragraphs(
    text: str,
    spans: Iterable[tuple[int, int]] | dict[tuple[int, int], set[int]],
    *,
    anchor: Callable[[int, int], str],
    refs: dict[tuple[int, int], str] | None = None,
) -> tuple[list[list[Piece]], dict[tuple[int, int], str]]:
    """Split an article into paragraphs of pieces, marking the cited spans and placing anchors.

    Returns the paragraphs and, for each cited span, the id of the element a
    link to it should jump to (see :func:`cited_marks`).  A mark split by a
    paragraph break carries its id on its first part and its links back to the
    summary after its last.  ``refs`` maps other spans (a quote, a sentence a
    section cites) to anchor ids: each becomes an empty :class:`Anchor` at the
    span's start, carrying how many characters of paragraph text it covers.
    """
    marks, span_anchor = cited_marks(text, spans, anchor=anchor)
    bounds = paragraph_bounds(text)

    paragraphs: list[list[Piece]] = []
    starts: list[int] = []  # every piece's start offset, in text order
    flat: list[Piece] = []
    k = 0  # the first mark that may still lie ahead
    first_part: set[int] = set()
    last_piece: dict[int, Piece] = {}
    for p_start, p_end in bounds:
        pieces: list[Piece] = []
        pos = p_start
        while pos < p_end:
            while k < len(marks) and marks[k][1] <= pos:
                k += 1
            if k == len(marks) or marks[k][0] >= p_end:
                piece, end = Piece([text[pos:p_end]]), p_end
            elif marks[k][0] > pos:
                piece, end = Piece([text[pos : marks[k][0]]]), marks[k][0]
            else:
                end = min(marks[k][1], p_end)
                piece = Piece([text[pos:end]], mark=True, id=marks[k][2] if k not in first_part else None)
                first_part.add(k)
                last_piece[k] = piece
            pieces.append(piece)
            starts.append(pos)
            flat.append(piece)
            pos = end
        if pieces:
            paragraphs.append(pieces)
    for k, piece in last_piece.items():
        piece.facts = tuple(sorted(marks[k][3]))

    # Anchors: split the piece that holds each span's start.
    inside: dict[int, list[tuple[int, Anchor]]] = {}
    for (s, e), anchor_id in sorted((refs or {}).items()):
        if anchor_id in span_anchor.values() or not flat:
            continue
        s = max(0, min(s, len(text)))
        length = sum(max(0, min(e, b) - max(s, a)) for a, b in bounds)
        i = max(bisect.bisect_right(starts, s) - 1, 0)
        s = max(s, starts[i])  # a span starting in a paragraph break starts with the next paragraph
        inside.setdefault(i, []).append((s - starts[i], Anchor(anchor_id, length)))
    for i, placed in inside.items():
        piece_text = flat[i].text
        parts: list[str | Anchor] = []
        pos = 0
        for offset, anchor_part in sorted(placed, key=lambda p: p[0]):
            offset = min(offset, len(piece_text))
            if offset > pos:
                parts.append(piece_text[pos:offset])
                pos = offset
            parts.append(anchor_part)
        if pos < len(piece_text):
            parts.append(piece_text[pos:])
        flat[i].parts = parts
    return paragraphs, span_anchor


def safe_url(url: Any) -> str | None:
    """The URL if it is a plain http(s) URL we may link to; None for javascript:, data: and the rest."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if re.match(r"^https?://[^\s<>\"'`]+$", url, flags=re.IGNORECASE):
        return url
    return None


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
    copy_only: Set[int] = frozenset(),
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
    cell, top, right = 30, 46, 78
    labels = [sec.clip_middle(name, 26) for name in outlets]
    label_w = max(90, min(200, 7 * max(len(label) for label in labels) + 16))  # as wide as the longest name
    width = label_w + cell * len(facts) + right
    height = top + cell * len(outlets) + 34
    out = [
        f'<svg class="matrix" xmlns="http://www.w3.org/2000/svg" role="group" width="{width}" height="{height}" '
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
            f"{escape(labels[i])}<title>{escape(name)}{note}</title></text>"
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
