"""A generated story told by twelve invented outlets (invented text, invented people and places).

Every outlet reports a different mix of the same facts in its own words, quotes the same
people (not always in the same words), adds something only it has, and dates events
relative to its own publication time.  Two outlets disagree on a figure.  One outlet only
carries the wire agency's article, with a line of its own added: a syndicated copy.

    articles = twelve_outlet_articles()   # dicts for storybrief.articles.Article(**a)
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

# fmt: off
OUTLETS = [
    "The Lowerby Lantern", "Tamsen Valley Post", "Ardwick Evening Star", "The Fenmarsh Courier",
    "Quillon Daily", "Harlow Moor Gazette", "The Westwold Chronicle", "Brackenford Standard",
    "Saltmere Advertiser", "Northern Lanes Press Agency", "The Ormsby Record", "Kestle Bay Mercury",
]
# fmt: on
WIRE = "Northern Lanes Press Agency"
COPY = "Kestle Bay Mercury"  # carries the wire story, adds one line

# Each fact in two or three wordings; an outlet picks one.
# fmt: off
FACTS = [
    ["The old stone bridge over the River Tamsen at Lowerby collapsed early on Monday after days of heavy rain.",
     "Lowerby's old stone bridge over the River Tamsen gave way early on Monday following days of heavy rain.",
     "Days of heavy rain brought down the old stone bridge across the River Tamsen at Lowerby early on Monday."],
    ["Nobody was on the bridge when it fell, the county highways department said.",
     "The county highways department said nobody was on the bridge when it fell."],
    ["Residents of the riverside streets were moved to the Lowerby community hall as the water rose.",
     "As the water rose, residents of the riverside streets were taken to the Lowerby community hall."],
    ["Engineers had closed the bridge to lorries last spring after finding cracks in two of its arches.",
     "The bridge had been shut to lorries last spring when engineers found cracks in two of its arches."],
    ["Drivers face a diversion of about twelve miles through Harrowfield until a temporary crossing is built.",
     "Until a temporary crossing is built, drivers must take a twelve-mile diversion through Harrowfield."],
    ["The bridge, built in 1843, carried the main road between Lowerby and Kestle Bay.",
     "Built in 1843, the bridge carried the main road from Lowerby to Kestle Bay."],
    ["The county council has promised a full inspection of every bridge on the River Tamsen.",
     "Every bridge on the River Tamsen will get a full inspection, the county council has promised."],
    ["Rail services between Lowerby and Kestle Bay were also suspended because of flooding on the line.",
     "Flooding on the line also stopped rail services between Lowerby and Kestle Bay."],
]
# fmt: on

# Quotes: (speaker sentence template, wordings); a wording is what is inside the marks.
# fmt: off
QUOTES = [
    ("“{q},” said Marion Edevane, the county council's head of highways.",
     ["We are lucky nobody was hurt, and our first job now is to keep people safe",
      "We are very lucky nobody was hurt, and our first job is to keep people safe",
      "We were lucky that no one was hurt, and our first task now is keeping people safe"]),
    ("Lowerby's mayor, Gideon Trask, said: “{q}.”",
     ["This bridge has stood for nearly two centuries and the town will not rest until it is rebuilt",
      "This bridge stood for almost two centuries and the town will not rest until it is rebuilt"]),
    ("“{q},” said Ruth Pellow, who lives on Mill Row beside the river.",
     ["I heard a noise like thunder and then the middle of the bridge was simply gone"]),
]
# fmt: on

HOMES = {  # the disagreement: how many homes were evacuated
    "The Lowerby Lantern": "About 120 homes were evacuated overnight as the river burst its banks.",
    "Tamsen Valley Post": "Some 150 homes were evacuated overnight as the river burst its banks.",
}

# What only one outlet has (its single-source claim).
# fmt: off
OWN = [
    "A fishing club upstream reported its boathouse had been swept away by the current.",
    "The Lowerby school will stay closed for the rest of the week, its head teacher told parents in a letter.",
    "Insurance brokers in the town said their phones had not stopped ringing since the collapse.",
    "A local bakery handed out free bread and tea to families at the community hall.",
    "Volunteers from the Tamsen rowing club helped carry elderly residents to safety.",
    "The river reached its highest level since records began at the Lowerby gauge, the water agency said.",
    "Farmers on the east bank said hundreds of sheep had been moved to higher fields.",
    "A crowdfunding page for a new footbridge raised more than four thousand pounds in a day.",
    "The town's only petrol station closed after its forecourt flooded.",
    "Police asked sightseers to stay away from the riverbank while the wreckage settles.",
    "A heritage group said it would ask for the fallen stones to be kept for the rebuilding.",
]
# fmt: on

DATED = [
    "Heavy rain began falling across the valley last week, the weather service said.",
    "The highways department carried out its last inspection of the bridge in March 2023.",
    "Engineers will return to the site tomorrow to check the remaining arch.",
]


def _article(k: int, outlet: str, rng: random.Random, start: datetime) -> dict[str, str]:
    published = start + timedelta(hours=3 * k + rng.randint(0, 2))
    chosen = sorted(rng.sample(range(len(FACTS)), rng.randint(5, 7)) + [0, 1])
    paragraphs = []
    for i in dict.fromkeys(chosen):
        paragraphs.append(rng.choice(FACTS[i]))
        if i == 2 and outlet in HOMES:
            paragraphs.append(HOMES[outlet])
    for template, wordings in QUOTES:
        if rng.random() < 0.75:
            paragraphs.insert(rng.randint(2, len(paragraphs)), template.format(q=rng.choice(wordings)))
    paragraphs.append(OWN[k % len(OWN)])
    paragraphs.append(DATED[k % len(DATED)])
    slug = outlet.lower().replace("the ", "").replace(" ", "-")
    return {
        "title": f"{rng.choice(['Bridge collapse', 'Old bridge falls', 'River Tamsen bridge gives way'])} "
        f"{rng.choice(['cuts Lowerby in two', 'after days of rain', 'leaves Lowerby stranded'])}",
        "outlet": outlet,
        "url": f"https://{slug}.example/news/lowerby-bridge-collapse",
        "published": published.isoformat(),
        "text": "\n\n".join(paragraphs),
    }


def twelve_outlet_articles(seed: int = 7) -> list[dict[str, str]]:
    """Twelve outlets' articles on one story: eleven of their own, and one syndicated copy of the wire's."""
    rng = random.Random(seed)
    start = datetime(2026, 2, 9, 6, 0, tzinfo=UTC)  # a Monday
    articles = [_article(k, outlet, rng, start) for k, outlet in enumerate(OUTLETS) if outlet != COPY]
    wire = next(a for a in articles if a["outlet"] == WIRE)
    copy = dict(
        wire,
        outlet=COPY,
        url="https://kestle-bay-mercury.example/news/wire/lowerby-bridge",
        published=(datetime.fromisoformat(wire["published"]) + timedelta(hours=2)).isoformat(),
        text=wire["text"] + "\n\nKestle Bay drivers should allow an extra half hour for journeys inland.",
    )
    return [*articles, copy]
