"""Date expressions resolved against a publication date, keeping their granularity."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storybrief.analysis import analyze_articles
from storybrief.analysis.date_mentions import find_dates, sentence_tense
from storybrief.analysis.dates import DateMention, DateValue, resolve_date
from storybrief.articles import Article
from storybrief.config import Options
from storybrief.schema import from_data, to_data

FRI = date(2018, 8, 3)  # Friday
MON = date(2018, 3, 26)  # Monday
WED = date(2019, 3, 6)  # Wednesday
SUN = date(2020, 1, 5)  # Sunday
HARBOUR = date(2026, 3, 12)  # Thursday


def day(y, m, d):
    return DateValue.day(date(y, m, d))


def rng(a, b, g):
    return DateValue(date(*a), date(*b), g)


# (expression, publication date, tense, expected value)
TABLE = [
    ("today", FRI, "past", day(2018, 8, 3)),
    ("yesterday", FRI, "past", day(2018, 8, 2)),
    ("tomorrow", FRI, "future", day(2018, 8, 4)),
    ("this morning", FRI, "past", day(2018, 8, 3)),
    ("last night", FRI, "past", day(2018, 8, 2)),
    ("tonight", FRI, "future", day(2018, 8, 3)),
    ("later today", FRI, "future", day(2018, 8, 3)),
    ("earlier today", FRI, "past", day(2018, 8, 3)),
    ("yesterday afternoon", FRI, "past", day(2018, 8, 2)),
    ("the day before yesterday", FRI, "past", day(2018, 8, 1)),
    ("on Wednesday", FRI, "past", day(2018, 8, 1)),
    ("Wednesday night", FRI, "past", day(2018, 8, 1)),
    ("on Wednesday", FRI, "future", day(2018, 8, 8)),
    ("on Friday", FRI, "past", day(2018, 8, 3)),
    ("on Friday", FRI, "future", day(2018, 8, 3)),
    ("on Sunday", MON, "past", day(2018, 3, 25)),
    ("Tuesday's", WED, "past", day(2019, 3, 5)),
    ("last Wednesday", WED, "past", day(2019, 2, 27)),
    ("next Tuesday", FRI, "past", day(2018, 8, 7)),
    ("Wednesday, March 6", WED, "past", day(2019, 3, 6)),
    ("last week", FRI, "past", rng((2018, 7, 23), (2018, 7, 29), "week")),
    ("this week", FRI, "past", rng((2018, 7, 30), (2018, 8, 5), "week")),
    ("next week", FRI, "future", rng((2018, 8, 6), (2018, 8, 12), "week")),
    ("Last week", MON, "past", rng((2018, 3, 19), (2018, 3, 25), "week")),
    ("two weeks ago", FRI, "past", rng((2018, 7, 16), (2018, 7, 22), "week")),
    ("three days ago", FRI, "past", day(2018, 7, 31)),
    ("the weekend", FRI, "past", rng((2018, 7, 28), (2018, 7, 29), "weekend")),
    ("this weekend", FRI, "future", rng((2018, 8, 4), (2018, 8, 5), "weekend")),
    ("at the weekend", SUN, "past", rng((2020, 1, 4), (2020, 1, 5), "weekend")),
    ("last weekend", MON, "past", rng((2018, 3, 24), (2018, 3, 25), "weekend")),
    ("last month", FRI, "past", rng((2018, 7, 1), (2018, 7, 31), "month")),
    ("last month", date(2019, 1, 10), "past", rng((2018, 12, 1), (2018, 12, 31), "month")),
    ("next month", date(2018, 12, 15), "future", rng((2019, 1, 1), (2019, 1, 31), "month")),
    ("earlier this month", FRI, "past", rng((2018, 8, 1), (2018, 8, 31), "month")),
    ("July", FRI, "past", rng((2018, 7, 1), (2018, 7, 31), "month")),
    ("in July", FRI, "future", rng((2019, 7, 1), (2019, 7, 31), "month")),
    ("in December", FRI, "past", rng((2017, 12, 1), (2017, 12, 31), "month")),
    ("in April", date(2026, 3, 13), "future", rng((2026, 4, 1), (2026, 4, 30), "month")),
    ("early July", FRI, "past", rng((2018, 7, 1), (2018, 7, 31), "month")),
    ("the end of July", FRI, "past", rng((2018, 7, 1), (2018, 7, 31), "month")),
    ("3 March", WED, "past", day(2019, 3, 3)),
    ("on 3 March", HARBOUR, "past", day(2026, 3, 3)),
    ("on 3 March", date(2019, 2, 20), "future", day(2019, 3, 3)),
    ("the 3rd of March", WED, "past", day(2019, 3, 3)),
    ("this year", FRI, "past", rng((2018, 1, 1), (2018, 12, 31), "year")),
    ("last year", FRI, "past", rng((2017, 1, 1), (2017, 12, 31), "year")),
    ("next year", date(2026, 3, 13), "future", rng((2027, 1, 1), (2027, 12, 31), "year")),
    ("a year ago", FRI, "past", rng((2017, 1, 1), (2017, 12, 31), "year")),
    ("five years ago", FRI, "past", rng((2013, 1, 1), (2013, 12, 31), "year")),
    ("last summer", FRI, "past", rng((2017, 6, 1), (2017, 8, 31), "season")),
    # absolute: the same with or without a publication date
    ("in 2008", FRI, "past", rng((2008, 1, 1), (2008, 12, 31), "year")),
    ("2008", None, "past", rng((2008, 1, 1), (2008, 12, 31), "year")),
    ("mid-2008", None, "past", rng((2008, 1, 1), (2008, 12, 31), "year")),
    ("the 1930s", None, "past", rng((1930, 1, 1), (1939, 12, 31), "decade")),
    ("in the 1990s", FRI, "past", rng((1990, 1, 1), (1999, 12, 31), "decade")),
    ("the '90s", FRI, "past", rng((1990, 1, 1), (1999, 12, 31), "decade")),
    ("July 2018", None, "past", rng((2018, 7, 1), (2018, 7, 31), "month")),
    ("March 3, 2018", None, "past", day(2018, 3, 3)),
    ("15 September 2009", None, "past", day(2009, 9, 15)),
    ("september 15, 2009", None, "past", day(2009, 9, 15)),
    ("sept. 15, 2009", None, "past", day(2009, 9, 15)),
    ("2009-09-15", None, "past", day(2009, 9, 15)),
    ("15/09/2009", None, "past", day(2009, 9, 15)),
    ("the summer of 2008", None, "past", rng((2008, 6, 1), (2008, 8, 31), "season")),
    ("winter 2018", None, "past", rng((2018, 12, 1), (2019, 2, 28), "season")),
]


def test_table_is_large_enough():
    assert len(TABLE) >= 40


@pytest.mark.parametrize(
    "text,published,tense,expected", TABLE, ids=[f"{t}@{p}:{ts}" for t, p, ts, _ in TABLE]
)
def test_resolves(text, published, tense, expected):
    parsed = resolve_date(text, published, tense=tense)
    assert parsed is not None, text
    assert parsed.value == expected


@pytest.mark.parametrize(
    "text",
    ["last week", "yesterday", "on Wednesday", "3 March", "in July", "next year", "two weeks ago", "tonight"],
)
def test_relative_dates_stay_unresolved_without_publication_date(text):
    parsed = resolve_date(text, None)
    assert parsed is not None and parsed.relative and parsed.value is None and not parsed.resolved


@pytest.mark.parametrize("text", ["in 2008", "the 1930s", "March 3, 2018", "July 2018"])
def test_absolute_dates_need_no_publication_date(text):
    parsed = resolve_date(text, None)
    assert parsed is not None and not parsed.relative and parsed.resolved


@pytest.mark.parametrize(
    "text",
    [
        "three years",
        "99 years",
        "recent years",
        "the past week",
        "the past four years",
        "long ago",
        "weekly",
        "the year",
        "03/04/2018",
        "later",
        "now",
    ],
)
def test_not_a_dated_event(text):
    assert resolve_date(text, FRI) is None


def test_datetime_publication_is_read_as_its_day():
    assert resolve_date("yesterday", datetime(2018, 8, 3, 23, 59)).value == day(2018, 8, 2)


def test_sentence_tense():
    text = "The meeting will be held on Wednesday in London."
    start = text.index("Wednesday")
    assert sentence_tense(text, start, start + 9) == "future"
    text = "He said on Monday that he will resign."
    start = text.index("Monday")
    assert sentence_tense(text, start, start + 6) == "past"


def test_date_value_checks_and_round_trips():
    value = rng((2018, 7, 23), (2018, 7, 29), "week")
    assert from_data(DateValue, to_data(value)) == value
    assert value.label == "week of 2018-07-23"
    assert value.contains(day(2018, 7, 25)) and not value.overlaps(day(2018, 7, 30))
    with pytest.raises(ValueError):
        DateValue(date(2018, 1, 2), date(2018, 1, 1), "day")
    with pytest.raises(ValueError):
        DateValue(date(2018, 1, 1), date(2018, 1, 1), "fortnight")


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 6))
def test_past_weekday_is_the_latest_on_or_before_publication(published, weekday):
    name = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][weekday]
    value = resolve_date(f"on {name}", published, tense="past").value
    assert value.granularity == "day"
    assert value.start.weekday() == weekday
    assert published - timedelta(days=6) <= value.start <= published


@given(st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)))
def test_last_week_is_the_monday_to_sunday_week_before(published):
    value = resolve_date("last week", published).value
    assert value.start.weekday() == 0 and (value.end - value.start).days == 6
    assert value.contains(DateValue.day(published - timedelta(days=7)))


@pytest.fixture(scope="module")
def analysed():
    text = (
        "Jeremy Corbyn will hold a meeting later today. She told BBC Radio 4's Today programme it was a misery.\n\n"
        "The building was inspected in 2019 and must be rebuilt by the end of next year. "
        "Crews left the site yesterday afternoon."
    )
    article = Article(text=text, outlet="Test", published=datetime(2018, 4, 24, 8))
    return analyze_articles([article], options=Options(cache=False))[0]


def test_find_dates_in_an_article(analysed):
    mentions = find_dates(analysed)
    found = {analysed.text[m.span.start : m.span.end]: m for m in mentions}
    assert found["later today"].value == day(2018, 4, 24)
    assert found["yesterday afternoon"].value == day(2018, 4, 23)
    assert found["2019"].value.granularity == "year" and not found["2019"].relative
    assert found["the end of next year"].relation == "by"  # bounds an event, does not date it
    assert not any(t.lower().startswith("today") for t in found), "the Today programme is a name"
    for m in mentions:
        assert from_data(DateMention, to_data(m)) == m


def test_find_dates_without_publication_date(analysed):
    undated = analyze_articles([analysed.article.with_(published=None)], options=Options(cache=False))[0]
    by_text = {undated.text[m.span.start : m.span.end]: m for m in find_dates(undated)}
    assert by_text["later today"].value is None and by_text["later today"].relative
    assert by_text["2019"].resolved


# Tense: a bare weekday or "the weekend" resolves to the past or the coming one by its clause.
# (sentence, the date expression in it, publication date, expected value)
THU = HARBOUR  # Thursday 2026-03-12: last Saturday 03-07, the coming one 03-14
TENSE_TABLE = [
    # forward: future markers, the present of a fixture, nouns of an event to come
    (
        "Stanton said her players would have little time to celebrate, with a league trip to Fenwick United on Saturday.",
        "on Saturday",
        THU,
        day(2026, 3, 14),
    ),
    (
        '"It is a great result, but we have a big game at the weekend and the league is still the priority," she said.',
        "at the weekend",
        THU,
        rng((2026, 3, 14), (2026, 3, 15), "weekend"),
    ),
    ("The council will vote on the plans on Monday.", "on Monday", THU, day(2026, 3, 16)),
    ("The inquest is due to open on Tuesday.", "on Tuesday", THU, day(2026, 3, 17)),
    ("Rovers face Corran Town on Saturday.", "on Saturday", THU, day(2026, 3, 14)),
    ("The team are travelling to Ashby Vale on Saturday.", "on Saturday", THU, day(2026, 3, 14)),
    ("The final on Sunday will be shown live on Radio Kellhaven.", "on Sunday", THU, day(2026, 3, 15)),
    ("Demolition is scheduled to start on Monday.", "on Monday", THU, day(2026, 3, 16)),
    ("A memorial service takes place on Sunday at the harbour chapel.", "on Sunday", THU, day(2026, 3, 15)),
    ("Organisers hope the parade on Sunday draws big crowds.", "on Sunday", THU, day(2026, 3, 15)),
    ("The hearing is expected to last until Friday.", "Friday", THU, day(2026, 3, 13)),
    ("Labour's ruling body meets on Tuesday to decide the code.", "on Tuesday", FRI, day(2018, 8, 7)),
    ("A decision is due at the weekend.", "at the weekend", FRI, rng((2018, 8, 4), (2018, 8, 5), "weekend")),
    ("Voters go to the polls on Thursday in the by-election.", "on Thursday", WED, day(2019, 3, 7)),
    # back: past-tense verbs, reporting verbs right before the date
    ("The fire broke out on Tuesday night.", "Tuesday night", THU, day(2026, 3, 10)),
    ("Rovers lost 2-0 at home on Saturday.", "on Saturday", THU, day(2026, 3, 7)),
    ("The match on Saturday ended in a draw.", "on Saturday", THU, day(2026, 3, 7)),
    ("Police arrested a man on Monday.", "on Monday", THU, day(2026, 3, 9)),
    (
        "Crews were called to the quay at the weekend.",
        "at the weekend",
        THU,
        rng((2026, 3, 7), (2026, 3, 8), "weekend"),
    ),
    ("The vote was held on Wednesday.", "on Wednesday", THU, day(2026, 3, 11)),
    ("Mr Quayle said on Monday that he will stand down.", "on Monday", THU, day(2026, 3, 9)),
    (
        "Fans who travelled to the match on Saturday were praised by the club.",
        "on Saturday",
        THU,
        day(2026, 3, 7),
    ),
    ("The building was last inspected on Friday.", "on Friday", THU, day(2026, 3, 6)),
    (
        "Shoppers crowded into the market at the weekend.",
        "at the weekend",
        THU,
        rng((2026, 3, 7), (2026, 3, 8), "weekend"),
    ),
    ("Joanne Kipling was woken on Tuesday night by breaking glass.", "Tuesday night", THU, day(2026, 3, 10)),
    ("Mr Corbyn apologised on Tuesday for the remarks.", "on Tuesday", FRI, day(2018, 7, 31)),
    ("The MPs held a meeting on Wednesday.", "on Wednesday", FRI, day(2018, 8, 1)),
    ("The strike began on Monday.", "on Monday", WED, day(2019, 3, 4)),
]


def test_tense_table_is_large_enough():
    assert len(TENSE_TABLE) >= 20
    forward = [c for c in TENSE_TABLE if c[3].start > c[2]]
    assert len(forward) >= 10 and len(TENSE_TABLE) - len(forward) >= 10


@pytest.mark.parametrize(
    "sentence,expression,published,expected", TENSE_TABLE, ids=[c[1] + ":" + c[0][:40] for c in TENSE_TABLE]
)
def test_weekdays_and_weekends_follow_the_tense_of_their_clause(sentence, expression, published, expected):
    start = sentence.index(expression)
    tense = sentence_tense(sentence, start, start + len(expression))
    parsed = resolve_date(expression, published, tense=tense)
    assert parsed is not None and parsed.value == expected, (tense, parsed)


def test_the_example_football_report_looks_forward_to_saturday():
    """Published on Thursday 2026-03-12: "a league trip to Fenwick United on Saturday" and "a big
    game at the weekend" are the coming Saturday, 2026-03-14."""
    from pathlib import Path

    from storybrief.sources import read_sources

    path = (
        Path(__file__).resolve().parent.parent
        / "examples"
        / "harbour-fire"
        / "articles"
        / "07-courier-rovers-football.txt"
    )
    read = read_sources([path], options=Options(cache=False))
    (item,) = analyze_articles(read.articles, options=Options(cache=False))
    found = {item.text[m.span.start : m.span.end]: m.value for m in find_dates(item)}
    assert found["Saturday"] == day(2026, 3, 14)
    assert found["at the weekend"] == rng((2026, 3, 14), (2026, 3, 15), "weekend")
    assert found["tonight"] == day(2026, 3, 12)
