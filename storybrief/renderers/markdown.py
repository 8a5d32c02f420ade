"""Markdown: a headline, the summary with citation markers, and the sources list."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from ..articles import Span
from ..briefing import Briefing, BriefingSet


def _one_line(text: str) -> str:
    return " ".join(text.split())


# Every character that can start Markdown or HTML markup inside a line (CommonMark and GFM tables,
# strikethrough); each is backslash-escaped, which CommonMark allows for any ASCII punctuation.
_MARKUP = re.compile(r"([\\`*_\[\]<>#|&~])")
# At the start of a string, what would open a list or a heading where the string begins a line.
_LINE_START = re.compile(r"^(\d{1,9})([.)])|^([-+=])")


def _escape(text: str) -> str:
    """Keep a user's string (article text, titles, outlets, file names) from being read as Markdown or HTML.

    One line, every markup character escaped: nothing in it can open a tag, a link, a code span
    or a new block.
    """
    out = _MARKUP.sub(r"\\\1", _one_line(text))
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", out)


# What may stay as it is in a link destination; everything else is percent-encoded, so a URL can
# close neither the destination (">", ")", space, newline) nor the link.
_URL_SAFE = "/:?#@!$&'*+,;=%-._~"


def _link_target(url: str | None) -> str | None:
    """``url`` as a Markdown link destination, or None when it is not an http(s) URL with a host.

    Only http and https are linked (never ``javascript:``, ``data:`` or ``file:``), and the URL is
    percent-encoded so that nothing in it can end the destination or inject markup.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url.strip(), safe=_URL_SAFE, errors="replace")


def render_briefing(briefing: Briefing) -> str:
    numbers = {a.id: n for n, a in enumerate(briefing.articles, start=1)}
    outlets = {a.id: a.display_outlet for a in briefing.articles}
    lines = [
        f"# {_escape(briefing.headline) or 'Untitled story'}",
        "",
        f"*{briefing.counts.describe()} · {briefing.word_count} words · "
        f"story `{briefing.story_id}` · method `{briefing.method}`*",
        "",
        "## Summary",
        "",
    ]
    for sent in briefing.summary:
        refs = ", ".join(str(n) for n in sorted({numbers[c.span.article_id] for c in sent.citations}))
        support = len({c.outlet for c in sent.citations})
        note = f" *({support} outlets)*" if support > 1 else ""
        disputed = "".join(
            f' · disputed by [{numbers[c.span.article_id]}]: "{_escape(_shorten(briefing.text_of(c.span)))}"'
            for c in sent.disputed_by
        )
        lines.append(f"- {_escape(briefing.text_of(sent.span))} [{refs}]{note}{disputed}")
    if not briefing.summary:
        lines.append(f"*No whole sentence fits the {briefing.words}-word budget; ask for more words.*")
    lines += people_sections(briefing, numbers)
    lines += analysis_sections(briefing, numbers)
    lines += ["", "## Sources", ""]
    copy_of = {d.copy_id: d.original_id for d in briefing.duplicates}
    for article in briefing.articles:
        n = numbers[article.id]
        title = _escape(article.title) or "(untitled)"
        target = _link_target(article.url)
        title = f"[{title}](<{target}>)" if target else title
        date = f" · {article.published.date().isoformat()}" if article.published else ""
        copy = (
            f" · copy of [{numbers[copy_of[article.id]]}], not counted as confirmation"
            if article.id in copy_of
            else ""
        )
        lines.append(f"{n}. **{_escape(outlets[article.id])}** — {title}{date}{copy}")
    return "\n".join(lines) + "\n"


def _shorten(text: str, words: int = 8) -> str:
    """The first ``words`` words of ``text``, with "…" when there are more."""
    parts = text.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + "…"


def _quote(briefing: Briefing, span: Span, numbers: dict[str, int]) -> str:
    return f"{_escape(briefing.text_of(span))} [{numbers[span.article_id]}]"


def people_sections(briefing: Briefing, numbers: dict[str, int]) -> list[str]:
    """People and organisations with their roles, then the quote ledger, when present."""
    lines: list[str] = []
    if briefing.people:
        lines += ["", "## People and organisations", ""]
        for person in briefing.people:
            roles = "; ".join(
                f"{_escape(r.text)} ({', '.join(map(_escape, r.outlets))})" for r in person.roles
            )
            mentions = ", ".join(f"{_escape(o)} {n}" for o, n in person.mentions)
            aliases = f" · also “{'”, “'.join(map(_escape, person.aliases))}”" if person.aliases else ""
            lines.append(
                f"- **{_escape(person.name)}** ({person.kind}){' — ' + roles if roles else ''}{aliases} · mentions: {mentions}"
            )
    if briefing.ledger and briefing.ledger.statements:
        lines += ["", "## Quote ledger", ""]
        for st in briefing.ledger.statements:
            flags = []
            if st.drift:
                flags.append("**outlets quote it differently**")
            if st.single_outlet and len(briefing.outlets) > 1:
                flags.append(f"only in {_escape(st.outlets[0])}")
            lines.append(
                f"- **{_escape(st.speaker)}** · {st.type}{' · ' + ' · '.join(flags) if flags else ''}"
            )
            for version in st.versions:
                words = " … ".join(
                    _escape(briefing.text_of(span)) for span in (version.marked or version.parts)
                )
                to = f" (to {_escape(briefing.text_of(version.addressee))})" if version.addressee else ""
                lines.append(f"  - {_escape(version.outlet)}{to}: {words} [{numbers[version.article_id]}]")
    return lines


def _one_outlet_note(outlet: str) -> str:
    """What Coverage says of a story that one outlet alone reports (the HTML report says the same)."""
    return (
        f"*Only one outlet, {_escape(outlet)}, reports this story, so there is nothing to compare: "
        "every claim here is single-source. Check them before repeating them.*"
    )


def analysis_sections(briefing: Briefing, numbers: dict[str, int]) -> list[str]:
    """Coverage, single-source claims, omissions, disagreements and the timeline, when present."""
    lines: list[str] = []
    coverage = briefing.coverage
    if len(briefing.outlets) == 1:
        lines += ["", "## Coverage", "", _one_outlet_note(briefing.outlets[0].name)]
    elif coverage and len(coverage.independent_outlets) > 1:
        facts = {f.fact_group: f for f in coverage.facts}
        lines += ["", "## Coverage", ""]
        lines.append(
            f"*{len(coverage.independent_outlets)} independent outlets; widely reported means "
            f"at least {coverage.widely_threshold} of them.*"
        )
        wide = coverage.widely_reported
        if wide:
            lines += ["", "### Widely reported", ""]
            lines += [
                f"- {_quote(briefing, f.sents[0], numbers)} — {', '.join(map(_escape, f.outlets))}"
                for f in wide
            ]
        single = coverage.single_source_claims
        if single:
            lines += ["", "### Single-source claims", ""]
            by_outlet: dict[str, list[str]] = {}
            for f in single:
                by_outlet.setdefault(f.outlets[0], []).append(_quote(briefing, f.sents[0], numbers))
            for outlet, claims in by_outlet.items():
                lines.append(f"- **{_escape(outlet)}** alone reports ({len(claims)}):")
                lines += [f"  - {claim}" for claim in claims]
        omitted = [(o, facts[g]) for o in coverage.outlets if o.independent for g in o.omissions]
        if omitted:
            lines += ["", "### Omissions", ""]
            lines += [
                f"- **{_escape(o.display_name)}** leaves out what {', '.join(map(_escape, f.outlets))} report: "
                f"{_quote(briefing, f.sents[0], numbers)}"
                for o, f in omitted
            ]
    if briefing.disagreements:
        lines += ["", "## Disagreements", ""]
        for d in briefing.disagreements:
            what = f"{d.kind} of {d.thing}" if d.thing else d.kind
            said = "; ".join(
                f"**{_escape(c.outlet)}** says “{_escape(briefing.text_of(c.figure.span))}” "
                f"({_quote(briefing, c.sent, numbers)})"
                for c in d.claims
            )
            lines.append(f"- *{_escape(what)}*: {said}")
    timeline = briefing.timeline
    if timeline and timeline.events:
        lines += ["", "## Timeline", ""]
        for event in timeline.events:
            when = (
                f"**{_escape(event.date.label)}** ({event.granularity})"
                if event.date
                else "**undated** (relative date, no publication date)"
            )
            cite = event.citations[0]
            lines.append(
                f"- {when}: {_quote(briefing, cite.sent, numbers)} — {', '.join(map(_escape, event.outlets))}"
            )
    return lines


def render_markdown(result: BriefingSet) -> str:
    parts = [render_briefing(b) for b in result.briefings]
    if not parts:
        parts.append("# No briefing\n\nNo readable article was found.\n")
    if result.rejections:
        lines = ["## Set aside", ""]
        lines += [
            f"- {_escape(r.source)}: **{_escape(r.reason)}** — {_escape(r.detail)}" for r in result.rejections
        ]
        parts.append("\n".join(lines) + "\n")
    return "\n---\n\n".join(parts)


def render_quotes(result: BriefingSet) -> str:
    """Who said what in each story: the people list and the quote ledger."""
    parts = []
    for briefing in result.briefings:
        numbers = {a.id: n for n, a in enumerate(briefing.articles, start=1)}
        lines = [f"# Who said what: {_escape(briefing.headline) or 'Untitled story'}"]
        lines += people_sections(briefing, numbers) or ["", "No quotes or named people found."]
        lines += ["", "## Sources", ""]
        lines += [
            f"{numbers[a.id]}. **{_escape(a.display_outlet)}** — {_escape(a.title) or '(untitled)'}"
            for a in briefing.articles
        ]
        parts.append("\n".join(lines) + "\n")
    return "\n---\n\n".join(parts) or "# No story\n"


def render_compare(result: BriefingSet) -> str:
    """The outlet-by-outlet view of each story: what each reports alone, what it leaves out."""
    parts = []
    for briefing in result.briefings:
        coverage = briefing.coverage
        if coverage is None:
            continue
        if len(briefing.outlets) == 1:
            title = f"# Outlets compared: {_escape(briefing.headline) or 'Untitled story'}"
            parts.append(f"{title}\n\n{_one_outlet_note(briefing.outlets[0].name)}\n")
            continue
        numbers = {a.id: n for n, a in enumerate(briefing.articles, start=1)}
        facts = {f.fact_group: f for f in coverage.facts}
        lines = [
            f"# Outlets compared: {_escape(briefing.headline) or 'Untitled story'}",
            "",
            f"*{len(coverage.independent_outlets)} independent outlets; widely reported means at least "
            f"{coverage.widely_threshold} of them.*",
            "",
            "| outlet | articles | facts | unique | omits | quotes | speakers | labels |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for o in coverage.outlets:
            share = lambda v: "—" if v is None else f"{v:.0%}"  # noqa: E731
            labels = ", ".join(f"{k}: {v}" for k, v in o.labels)
            articles = f"{len(o.article_ids)}" + (f" + {len(o.copy_ids)} copies" if o.copy_ids else "")
            lines.append(
                f"| {_escape(o.display_name)} | {articles} | {len(o.facts)} | {len(o.unique_facts)} | {len(o.omissions)} "
                f"| {share(o.quote_share)} | {share(o.speaker_share)} | {_escape(labels)} |"
            )
        for o in coverage.outlets:
            lines += ["", f"## {_escape(o.display_name)}", ""]
            if o.copy_of:
                lines.append(f"Carries syndicated copies of: {', '.join(map(_escape, o.copy_of))}.")
                lines.append("")
            lines.append(f"**Reports alone ({len(o.unique_facts)})**")
            lines += [f"- {_quote(briefing, facts[g].sents[0], numbers)}" for g in o.unique_facts] or [
                "- nothing"
            ]
            lines += ["", f"**Leaves out ({len(o.omissions)})**"]
            lines += [
                f"- {_quote(briefing, facts[g].sents[0], numbers)} — reported by {', '.join(map(_escape, facts[g].outlets))}"
                for g in o.omissions
            ] or ["- nothing widely reported"]
            if o.copy_additions:
                lines += ["", "**Added to the wire copy**"]
                lines += [f"- {_quote(briefing, span, numbers)}" for span in o.copy_additions]
        lines += ["", "## Sources", ""]
        lines += [
            f"{numbers[a.id]}. **{_escape(a.display_outlet)}** — {_escape(a.title) or '(untitled)'}"
            for a in briefing.articles
        ]
        parts.append("\n".join(lines) + "\n")
    return "\n---\n\n".join(parts) or "# No story\n"
