"""People across a story, and the quote ledger: the seed story and the bundled example."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from conftest import EXAMPLE, SHARED, shared_path

from storybrief.analysis import analyze_articles
from storybrief.articles import Article
from storybrief.config import Options
from storybrief.schema import from_data, to_data
from storybrief.stories import build_stories, build_story
from storybrief.stories.ledger import (
    Ledger,
    Statement,
    Version,
    build_ledger,
    normalize_wording,
)
from storybrief.stories.people import Person, build_people, person_of

# ---------------------------------------------------------------------------
# the seed story


@lru_cache(maxsize=1)
def seeds():
    files = sorted((SHARED / "data" / "seeds").glob("*.txt"))
    articles = [
        Article(text=f.read_text(encoding="utf-8"), outlet=f"seed {f.name[:3]}", title=f.stem) for f in files
    ]
    story = build_story(analyze_articles(articles, options=Options(cache=False)))
    return story, build_people(story)


def person(people, name: str) -> Person:
    found = [p for p in people if p.name == name]
    assert len(found) == 1, [p.name for p in people]
    return found[0]


def test_one_entity_per_person_with_case_fixed_and_aliases():
    shared_path("data", "seeds")
    _story, people = seeds()
    corbyn = person(people, "Jeremy Corbyn")
    assert corbyn.kind == "person"
    assert {"JEREMY Corbyn", "Mr Corbyn", "Corbyn"} <= set(corbyn.aliases)
    assert set(corbyn.outlets) == {"seed 000", "seed 001", "seed 002", "seed 003"}
    assert corbyn.mention_count >= 20
    assert not [p for p in people if p.name.lower() in {"corbyn", "mr corbyn"}]


def test_type_voting_fixes_an_organisation_tagged_as_a_person():
    shared_path("data", "seeds")
    story, people = seeds()
    # the small model tags "Labour" as a PERSON in the first seed; the story says organisation
    first = story.articles[0]
    tagged = [e.label for e in first.analysis.entities if first.text[e.start : e.end] == "Labour"]
    assert "PERSON" in tagged
    assert person(people, "Labour").kind == "organisation"
    assert person(people, "Jewish Labour Movement").aliases == ("JLM",)


def test_roles_are_kept_as_roles_with_outlets():
    shared_path("data", "seeds")
    story, people = seeds()
    falter = person(people, "Gideon Falter")
    assert [(r.text, r.outlets) for r in falter.roles] == [
        ("chairman of Campaign Against Anti-Semitism", ("seed 000",))
    ]
    morris = person(people, "Abigail Morris")
    assert "museum chief executive" in [r.text for r in morris.roles]
    assert "Ms Morris" in morris.aliases
    for p in people:
        for r in p.roles:
            for span in r.spans:
                text = story.articles[story.article_index(span.article_id)].text
                assert text[span.start : span.end].lower() == r.text.lower()


def test_a_role_stated_for_a_list_of_names_reaches_each_name():
    shared_path("data", "seeds")
    _story, people = seeds()
    # "Labour MPs John Mann, Chuka Umunna, Wes Streeting, ... and John Woodcock attended"
    for name in ("John Mann", "Chuka Umunna", "Wes Streeting", "Liz Kendall", "John Woodcock"):
        assert "Labour MPs" in [r.text for r in person(people, name).roles], name
    # "... alongside Tory Communities Secretary Sajid Javid": a new role, not the list's
    assert [r.text for r in person(people, "Sajid Javid").roles] == ["Tory Communities Secretary"]


def test_every_mention_is_a_span_into_its_article():
    shared_path("data", "seeds")
    story, people = seeds()
    for p in people:
        for span in p.spans:
            text = story.articles[story.article_index(span.article_id)].text
            assert 0 <= span.start < span.end <= len(text)
    assert len(person_of(people)) == sum(len(p.spans) for p in people)


def test_person_round_trips():
    shared_path("data", "seeds")
    _, people = seeds()
    for p in people:
        assert from_data(Person, json.loads(json.dumps(to_data(p)))) == p


# ---------------------------------------------------------------------------
# the bundled example: its truth file plants quotes, drift and people


@lru_cache(maxsize=1)
def example():
    from storybrief.sources import read_sources

    read = read_sources([EXAMPLE / "articles"])
    stories = build_stories(analyze_articles(read.articles, options=Options(cache=False)))
    truth = json.loads((EXAMPLE / "truth.json").read_text(encoding="utf-8"))
    files = set(truth["story_files"])
    [story] = [s for s in stories if {Path(a.article.source).name for a in s.articles} == files]
    people = build_people(story)
    return story, people, build_ledger(story, people), truth


def file_of(story, version: Version) -> str:
    return Path(story.articles[story.article_index(version.article_id)].article.source).name


def test_example_people_and_organisations():
    story, people, _, truth = example()
    for want in truth["people"]:
        p = person(people, want["name"])
        assert p.kind == "person"
        roles = {r.text.lower() for r in p.roles}
        # roles the articles state word for word ("who lives on Quay Terrace" is not one)
        stated = {
            r.lower() for r in want["roles"] if any(r.lower() in a.text.lower() for a in story.articles)
        }
        assert stated <= roles, (p.name, roles)
    for name in truth["organisations"]:
        matches = [p for p in people if p.name == name or name.endswith(p.name)]
        assert matches and all(p.kind == "organisation" for p in matches), name
    marrick = person(people, "Helena Marrick")
    assert {"HELENA Marrick", "Ms Marrick", "the chief fire officer"} <= set(marrick.aliases)
    assert {"E. J. Pardoe", "Mr Pardoe"} <= set(person(people, "Edwin Pardoe").aliases)


def test_example_people_list_holds_only_people_and_organisations():
    story, people, _, truth = example()
    wanted = {p["name"] for p in truth["people"]}
    orgs = set(truth["organisations"])
    listed = {p.name for p in people}
    # what a journalist expects: the story's people and organisations (and the radio station a source spoke to)
    unexpected = {n for n in listed if n not in wanted and not any(o.endswith(n) for o in orgs)} - {
        "Radio Kellhaven"
    }
    assert unexpected == set()
    assert wanted <= listed
    # places the small tagger calls people or organisations stay out, as names and as aliases
    places = {"Quay", "Row", "St. Merrow", "Kellhaven", "Kellhaven quay", "Quay Terrace", "Harbour Row"}
    names_and_aliases = listed | {a for p in people for a in p.aliases}
    assert not names_and_aliases & places
    # an outlet naming itself ("The Herald has learned", a byline) is the reporter, not a party to the story
    outlet_words = {w for a in story.articles for w in a.article.outlet.replace("The ", "").split()}
    assert not [n for n in names_and_aliases if set(n.replace("The ", "").split()) <= outlet_words]


def test_sports_clubs_are_organisations_and_a_bare_club_name_is_its_club():
    # the example's off-topic football report: the small tagger calls most clubs people
    from storybrief.sources import read_sources

    read = read_sources([EXAMPLE / "articles" / "07-courier-rovers-football.txt"])
    story = build_story(analyze_articles(read.articles, options=Options(cache=False)))
    people = build_people(story)
    rovers = person(people, "Kellhaven Rovers")
    assert rovers.kind == "organisation" and "Rovers" in rovers.aliases
    for club in ("Fenwick United", "Corran Town", "Dunmore Athletic"):
        assert person(people, club).kind == "organisation", club
    assert not [p for p in people if p.name == "Rovers"]
    assert person(people, "Gemma Stanton").kind == "person"  # "Rovers manager Gemma Stanton"
    # "he said" and "she said" go to the managers, never to the club named last
    ledger = build_ledger(story, people)
    said = {v.content(story).lstrip('"“')[:20]: s.speaker for s in ledger.statements for v in s.versions}
    assert said["We gave everything f"] == "Pete Haskins"
    assert said["It is a great result"] == "Gemma Stanton"


def test_example_nominal_aliases_refer_to_their_entity():
    story, people, ledger, _ = example()
    # a nominal alias ("the chief fire officer") names its entity's role, or is its name's own head noun
    for p in people:
        for alias in p.aliases:
            if alias.lower().startswith("the "):
                words = alias.lower().split()[1:]
                if p.kind == "organisation":
                    assert set(words) & set(p.name.lower().split()), (p.name, alias)
                else:
                    assert any(words[-1] in r.text.lower() for r in p.roles), (p.name, alias)
    assert "the chief fire officer" in person(people, "Helena Marrick").aliases
    # "Nobody was hurt, the fire service confirmed" (CPA): not the agency whose byline heads the article
    [hurt] = [s for s in ledger.statements if any("Nobody was hurt" in v.content(story) for v in s.versions)]
    assert hurt.speaker == "the fire service" and not hurt.speaker_ids


def test_example_quotes_are_attributed():
    story, _, ledger, truth = example()
    wrong = []
    for want in truth["quotes"]:
        hits = [
            s
            for s in ledger.statements
            for v in s.versions
            if file_of(story, v) == want["file"] and want["contains"] in v.content(story)
        ]
        ok = hits and all(
            (s.speaker == want["speaker"]) if want["speaker"] else not s.speaker_ids for s in hits
        )
        if not ok:
            wrong.append((want["file"], want["contains"], want["speaker"], [s.speaker for s in hits]))
    assert wrong == []


def test_example_quote_drift_and_identical_quotes():
    story, _, ledger, truth = example()
    [drift] = truth["quote_drift"]
    [statement] = [
        s
        for s in ledger.statements
        if any(
            normalize_wording(drift["wordings"][v.outlet]) in normalize_wording(v.wording(story))
            for v in s.versions
            if v.outlet in drift["wordings"]
        )
    ]
    assert statement.drift and set(statement.outlets) == set(drift["wordings"])
    assert statement.speaker == drift["speaker"]
    [same] = truth["quote_identical"]
    [statement] = [
        s for s in ledger.statements if any(same["contains"] in v.wording(story) for v in s.versions)
    ]
    assert set(statement.outlets) == set(same["outlets"]) and not statement.drift
    # the syndicated copy is not another outlet's version
    assert "The Eastmoor Gazette" not in {o for s in ledger.statements for o in s.outlets}


def test_example_single_outlet_statements():
    _story, _, ledger, _truth = example()
    singles = ledger.single_outlet
    assert singles and all(len(s.outlets) == 1 for s in singles)
    assert all(not s.single_outlet for s in ledger.statements if len(s.outlets) > 1)
    # Joanne Kipling speaks only to the Courier
    kipling = [s for s in ledger.statements if s.speaker == "Joanne Kipling"]
    assert kipling and all(s.outlets == ("The Kellhaven Courier",) for s in kipling)


def test_ledger_round_trips_and_texts_come_from_spans():
    story, _, ledger, _ = example()
    data = json.loads(json.dumps(to_data(ledger)))
    assert from_data(Ledger, data) == ledger
    for s_data, s in zip(data["statements"], ledger.statements):
        assert from_data(Statement, s_data) == s
        # the computed keys are written where readers expect them, before drift and the versions
        assert list(s_data)[3:] == ["type", "outlets", "single_outlet", "drift", "versions"]
        assert (s_data["type"], s_data["outlets"], s_data["single_outlet"]) == (
            s.type,
            list(s.outlets),
            s.single_outlet,
        )
        for v_data, v in zip(s_data["versions"], s.versions):
            text = story.articles[story.article_index(v.article_id)].text
            assert v.content(story) == " … ".join(text[p["start"] : p["end"]] for p in v_data["parts"])


def test_quotes_only_ledger_drops_unmarked_reported_speech():
    story, people, ledger, _ = example()
    marked = build_ledger(story, people, include_indirect=False)
    assert {s.type for s in marked.statements} <= {"direct", "partial"}
    assert len(marked.statements) < len(ledger.statements)


def test_normalize_wording_sets_aside_marks_case_and_punctuation():
    assert normalize_wording("“We’re OK,” — he said") == normalize_wording('"we\'re ok" he said')
    assert normalize_wording("don't") == "dont"


def test_bare_words_with_nothing_to_show_a_person_are_not_people():
    shared_path("data", "seeds")
    _, people = seeds()
    names = {p.name for p in people}
    # "the sieges of Leningrad and Stalingrad", "the Rothschilds run the world": tagged PERSON once each
    assert not names & {"Stalingrad", "Rothschilds"}
    # people who speak or hold a role stay, however briefly named
    assert {"Jeremy Corbyn", "Gideon Falter", "Jenny Manson"} <= names


def test_a_club_named_by_its_first_word_is_the_club():
    from storybrief.stories import build_story

    text = (EXAMPLE / "articles" / "07-courier-rovers-football.txt").read_text(encoding="utf-8")
    story = build_story(
        analyze_articles([Article(text=text, outlet="The Kellhaven Courier")], options=Options(cache=False))
    )
    people = build_people(story)
    # "a packed Dunmore defence", "Dunmore took the lead": Dunmore Athletic, not a person called Dunmore
    assert not [p for p in people if p.kind == "person" and p.name == "Dunmore"]
    club = person(people, "Dunmore Athletic")
    assert club.kind == "organisation" and club.mention_count >= 3


def test_a_quote_whose_article_names_nobody_is_unattributed_not_blank():
    from storybrief.stories import build_story
    from storybrief.stories.ledger import UNATTRIBUTED

    text = (
        "Protesters gathered at Kellhaven harbour on Sunday.\n\n"
        '"We will not be moved from this quay."\n\n'
        "The protest ended at noon."
    )
    story = build_story(
        analyze_articles([Article(text=text, outlet="The Kellhaven Courier")], options=Options(cache=False))
    )
    ledger = build_ledger(story, build_people(story))
    [statement] = [s for s in ledger.statements if "not be moved" in s.versions[0].content(story)]
    assert statement.speaker == UNATTRIBUTED and statement.speaker_ids == ()
    assert all(s.speaker for s in ledger.statements)
