"""Markdown: a headline, the summary with citation markers, and the sources list."""

from __future__ import annotations

from ..briefing import Briefing, BriefingSet


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _escape(text: str) -> str:
    """Keep article text from being read as Markdown or HTML markup."""
    out = _one_line(text)
    for ch in "\\`*_[]<>#|":
        out = out.replace(ch, "\\" + ch)
    return out


def render_briefing(briefing: Briefing) -> str:
    numbers = {a.id: n for n, a in enumerate(briefing.articles, start=1)}
    outlets = {a.id: a.display_outlet for a in briefing.articles}
    n_outlets = len({a.display_outlet for a in briefing.articles})
    lines = [
        f"# {_escape(briefing.headline) or 'Untitled story'}",
        "",
        f"*{len(briefing.articles)} articles from {n_outlets} outlets · {briefing.word_count} words · "
        f"story `{briefing.story_id}` · method `{briefing.method}`*",
        "",
        "## Summary",
        "",
    ]
    for sent in briefing.summary:
        refs = ", ".join(str(n) for n in sorted({numbers[c.span.article_id] for c in sent.citations}))
        support = len({c.outlet for c in sent.citations})
        note = f" *({support} outlets)*" if support > 1 else ""
        lines.append(f"- {_escape(briefing.text_of(sent.span))} [{refs}]{note}")
    lines += ["", "## Sources", ""]
    copy_of = {d.copy_id: d.original_id for d in briefing.duplicates}
    for article in briefing.articles:
        n = numbers[article.id]
        title = _escape(article.title) or "(untitled)"
        title = f"[{title}](<{article.url}>)" if article.url else title
        date = f" · {article.published.date().isoformat()}" if article.published else ""
        copy = f" · copy of [{numbers[copy_of[article.id]]}], not counted as confirmation" if article.id in copy_of else ""
        lines.append(f"{n}. **{_escape(outlets[article.id])}** — {title}{date}{copy}")
    return "\n".join(lines) + "\n"


def render_markdown(result: BriefingSet) -> str:
    parts = [render_briefing(b) for b in result.briefings]
    if not parts:
        parts.append("# No briefing\n\nNo readable article was found.\n")
    if result.rejections:
        lines = ["## Set aside", ""]
        lines += [f"- `{r.source}`: **{r.reason}** — {_escape(r.detail)}" for r in result.rejections]
        parts.append("\n".join(lines) + "\n")
    return "\n---\n\n".join(parts)
