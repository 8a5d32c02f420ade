"""Stage 7: renderers — Markdown, JSON and self-contained HTML views of briefings."""

from __future__ import annotations

import json

from ..briefing import BriefingSet
from ..errors import ConfigError
from ..schema import to_data
from .markdown import render_briefing, render_compare, render_markdown, render_quotes


def render_html(result: BriefingSet) -> str:
    """The self-contained HTML report (:func:`storybrief.renderers.html.render_html`)."""
    # imported here: Jinja2 and the HTML views cost a Markdown or JSON run about 0.07 s of CPU
    from .html import render_html as render_report_html

    return render_report_html(result)


def render_json(result: BriefingSet) -> str:
    return json.dumps(to_data(result), ensure_ascii=False, indent=2) + "\n"


def render_quotes_json(result: BriefingSet) -> str:
    """Each story's people and quote ledger (spans with their texts)."""
    stories = []
    for b in result.briefings:
        data = to_data(b)
        stories.append(
            {
                "story_id": b.story_id,
                "headline": b.headline,
                "people": data["people"],
                "quotes": data["quotes"],
            }
        )
    return (
        json.dumps(
            {"schema_version": result.schema_version, "stories": stories}, ensure_ascii=False, indent=2
        )
        + "\n"
    )


def render_compare_json(result: BriefingSet) -> str:
    """Each story's coverage (facts and outlets, spans with their texts)."""
    stories = [
        {"story_id": b.story_id, "headline": b.headline, "coverage": to_data(b)["coverage"]}
        for b in result.briefings
    ]
    return (
        json.dumps(
            {"schema_version": result.schema_version, "stories": stories}, ensure_ascii=False, indent=2
        )
        + "\n"
    )


RENDERERS = {"md": render_markdown, "json": render_json, "html": render_html}


def render(result: BriefingSet, fmt: str) -> str:
    try:
        return RENDERERS[fmt](result)
    except KeyError:
        raise ConfigError(
            f"unknown format {fmt!r}", where="render", hint=f"choose from {', '.join(RENDERERS)}"
        ) from None


# fmt: off
__all__ = [
    "RENDERERS",
    "render",
    "render_briefing",
    "render_compare",
    "render_compare_json",
    "render_html",
    "render_json",
    "render_markdown",
    "render_quotes",
    "render_quotes_json",
]
# fmt: on
