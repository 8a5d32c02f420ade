"""Classic script-injection payloads, and articles that carry them in every field.

Each payload, if it ever ran, would set ``window.__xss_<n>`` (or its parent's).
The browser tests assert that no such flag exists and that each payload shows
as plain text.
"""

from __future__ import annotations

# fmt: off
PAYLOADS = [
    "<script>window.__xss_1=1</script>",
    '<img src=x onerror="window.__xss_2=1">',
    '"><img src=x onerror=window.__xss_3=1>',
    "</textarea><script>window.__xss_4=1</script>",
    "<svg onload=window.__xss_5=1><circle r=9></circle></svg>",
    '<iframe srcdoc="<script>parent.__xss_6=1</script>"></iframe>',
    '<a href="javascript:window.__xss_7=1">read more</a>',
    '<div style="background:url(javascript:window.__xss_8=1);width:expression(window.__xss_8=1)">x</div>',
    '<object data="data:text/html,<script>parent.__xss_9=1</script>"></object>',
    "${window.__xss_10=1}",
    "{{constructor.constructor('window.__xss_11=1')()}}",
    "</style><script>window.__xss_12=1</script>",
    "</title><script>window.__xss_13=1</script>",
    "<body onload=window.__xss_14=1>",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss_15=1>",
    "<details open ontoggle=window.__xss_16=1>",
    "'-(window.__xss_17=1)-'",
    "<input autofocus onfocus=window.__xss_18=1>",
    '<base href="javascript:window.__xss_19=1//">',
    "<!--<img src=x onerror=window.__xss_20=1>-->",
]
# fmt: on
URL_PAYLOADS = ["javascript:window.__xss_21=1", "data:text/html,<script>window.__xss_22=1</script>"]

# A story every article tells, so the articles group into one briefing.
_STORY = [
    "Fire crews fought a large blaze at the old grain warehouse on Eastgate quay through the night.",
    "The fire broke out shortly before midnight and spread quickly to the upper floors of the warehouse.",
    "Nobody was hurt, the fire service said, but nearby streets were closed while crews worked.",
    "The owner of the warehouse said the building had been empty for several months before the fire.",
]


def payload_articles() -> list[dict[str, str | None]]:
    """Four articles whose title, outlet, URL, text and quotes carry every payload."""
    articles = []
    for k in range(4):
        mine = PAYLOADS[k::4]
        paragraphs = [
            f"{_STORY[0]} Witnesses wrote {mine[0]} on the harbour wall.",
            f"{_STORY[1]} A sign read {mine[1]} near the gate.",
            f"“{mine[2]} We saw the flames from our kitchen window,” said Ann Ferris, who lives opposite.",
            f"{_STORY[2]} {_STORY[3]} Posters saying {mine[3]} went up the next day.",
            f"The council leader, quoted as saying “{mine[-1]} it is a sad night for the town,” "
            "promised a full inquiry into the warehouse fire.",
        ]
        articles.append(
            {
                "title": f"Warehouse fire on Eastgate quay {PAYLOADS[k]}",
                "outlet": f"Outlet {k} {PAYLOADS[(k + 5) % len(PAYLOADS)]}",
                "url": URL_PAYLOADS[k % 2],
                "text": "\n\n".join(paragraphs),
            }
        )
    return articles


def extra_sections() -> dict[str, object]:
    """Further-analysis keys (as later stages add them) whose every string is a payload."""
    return {
        "quotes": [
            {
                "speaker": PAYLOADS[0],
                "text": PAYLOADS[1],
                "outlets": [PAYLOADS[2], PAYLOADS[3]],
                "drift": True,
            },
            {"speaker": PAYLOADS[4], "text": PAYLOADS[5], "outlets": [PAYLOADS[6]], "drift": False},
        ],
        "people": [
            {
                "name": PAYLOADS[7],
                "aliases": [PAYLOADS[8], PAYLOADS[9]],
                "roles": {PAYLOADS[10]: PAYLOADS[11]},
            }
        ],
        "disagreements": [
            {"figure": PAYLOADS[12], "readings": [{"outlet": PAYLOADS[13], "text": PAYLOADS[14]}]}
        ],
        "timeline": [
            {"date": "2026-03-10", "label": PAYLOADS[15], "outlets": [PAYLOADS[16]]},
            {"date": "2026-03", "label": PAYLOADS[17], "outlets": [PAYLOADS[18], PAYLOADS[19]]},
            {"date": "yesterday", "label": URL_PAYLOADS[0], "outlets": []},
        ],
    }
