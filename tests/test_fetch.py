"""Fetching against a real HTTP server on 127.0.0.1: limits, politeness, feeds and the SSRF guard.

The server (tests/feed_server.py) serves invented pages and feeds.  Redirects to 169.254.169.254,
10.0.0.1 and [::1] must be refused by the guard before any connection is made: a spy on
``socket.create_connection`` records every address the fetcher dials, and none may be outside
127.0.0.0/8.
"""

from __future__ import annotations

import ipaddress
import socket
import time

import pytest
from feed_server import (
    FeedServer,
    Site,
    busy_then,
    conditional,
    example_site,
    gzip_bomb,
    gzipped,
    huge,
    never_ending,
    redirect,
    rss,
    silent,
)

from storybrief.config import Options
from storybrief.errors import BlockedURL, FetchError
from storybrief.sources.feeds import parse_feed, parse_opml, sniff
from storybrief.sources.fetch import USER_AGENT, Fetcher
from storybrief.sources.netguard import Guard, address_problem

LOCAL = Options(allow_hosts=("127.0.0.1",), fetch_timeout=2, fetch_deadline=3)
PAGE = (
    "<html><head><title>Ok</title></head><body><p>"
    + "An invented sentence about Kellhaven. " * 10
    + "</p></body></html>"
)


@pytest.fixture()
def dialled(monkeypatch):
    """Every (host, port) the process dials while the test runs."""
    seen: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address, *args, **kwargs):
        seen.append(address)
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return seen


@pytest.fixture()
def server():
    site = example_site()
    with FeedServer(site) as srv:
        yield srv


@pytest.fixture()
def fetcher():
    with Fetcher(LOCAL) as f:
        yield f


def reason_of(call) -> FetchError:
    with pytest.raises(FetchError) as info:
        call()
    return info.value


# feeds ------------------------------------------------------------------------------------------------
def test_rss_and_atom_feeds_give_their_item_links_oldest_first(server, fetcher):
    fetched = fetcher.fetch(server.url + "/courier.rss")
    assert sniff(fetched.body, fetched.content_type) == "feed"
    feed = parse_feed(fetched.body, source=fetched.url, content_type=fetched.content_type)
    assert feed.title == "The Kellhaven Courier"
    assert [i.url.rsplit("/", 1)[1] for i in feed.items] == [
        "01-courier-warehouse-fire.html",
        "02-cpa-wire-warehouse-fire.html",
        "03-gazette-wire-copy.html",
        "04-post-seafood-firm-rebuild.html",
    ]
    times = [i.published for i in feed.items]
    assert times == sorted(times)
    fetched = fetcher.fetch(server.url + "/cpa.atom")
    feed = parse_feed(fetched.body, source=fetched.url, content_type=fetched.content_type)
    assert feed.title == "Coastal Press Agency" and len(feed.items) == 3
    assert all(i.url.startswith(server.url + "/news/") for i in feed.items)


def test_a_feed_whose_items_repeat_gives_each_item_once():
    items = [
        ("/a.html", "A", None),
        ("/b.html", "B", None),
        ("/a.html?utm_source=rss", "A again", None),
        ("/b.html", "B", None),
    ]
    feed = parse_feed(rss(items, base="http://courier.example").encode(), source="repeat.rss")
    assert [i.url for i in feed.items] == ["http://courier.example/a.html", "http://courier.example/b.html"]


def test_a_malformed_feed_is_read_loosely_or_set_aside_with_its_reason():
    broken = rss([("/a.html", "A & B <unclosed", None)], base="http://courier.example").replace(
        "</channel></rss>", ""
    )
    feed = parse_feed(broken.encode(), source="broken.rss")
    assert [i.url for i in feed.items] == ["http://courier.example/a.html"]
    assert feed.malformed  # feedparser's complaint is kept, and logged by ingest
    with pytest.raises(Exception) as info:
        parse_feed(b"<?xml version='1.0'?><rss><channel><item><title>no end", source="hopeless.rss")
    assert "malformed-feed" in str(info.value) or "not-a-feed" in str(info.value)
    assert "hopeless.rss" in str(info.value)


def test_opml_lists_its_feeds(server, fetcher):
    body = fetcher.fetch(server.url + "/feeds.opml").body
    assert parse_opml(body, source="feeds.opml") == [server.url + "/courier.rss", server.url + "/cpa.atom"]
    with pytest.raises(Exception, match="malformed-opml"):
        parse_opml(b"<opml><body><outline", source="bad.opml")


def test_conditional_get_gets_304_when_nothing_changed(fetcher):
    site = Site()
    site.routes["/feed.rss"] = conditional(rss([("/a.html", "A", None)]))
    with FeedServer(site) as srv:
        first = fetcher.fetch(srv.url + "/feed.rss")
        assert first.status == 200 and first.etag == '"v1"'
        again = fetcher.fetch(srv.url + "/feed.rss", etag=first.etag, last_modified=first.last_modified)
        assert again.not_modified and again.body == b""
        assert site.log[-1][1]["if-none-match"] == '"v1"'


# redirects and the guard ------------------------------------------------------------------------------
def test_a_redirect_chain_is_followed_up_to_five_hops(fetcher):
    site = example_site()
    for n in range(1, 7):
        site.routes[f"/hop{n}"] = redirect(f"/hop{n + 1}")
    site.routes["/hop7"] = PAGE
    with FeedServer(site) as srv:
        fetched = fetcher.fetch(srv.url + "/hop3")  # 4 redirects
        assert fetched.url == srv.url + "/hop7" and len(fetched.redirects) == 4
        error = reason_of(lambda: fetcher.fetch(srv.url + "/hop1"))  # 6 redirects
        assert error.reason == "too-many-redirects"


@pytest.mark.parametrize(
    "target, problem",
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/admin", "private"),
        ("http://[::1]:{port}/news/01-courier-warehouse-fire.html", "loopback"),
        ("http://[::ffff:10.0.0.1]/", "private"),
    ],
)
def test_a_redirect_to_a_private_address_is_refused_before_any_connection(dialled, target, problem):
    site = example_site()
    site.routes["/go"] = redirect(target)
    with FeedServer(site) as srv, Fetcher(LOCAL) as fetcher:
        error = reason_of(lambda: fetcher.fetch(srv.url + "/go"))
    assert isinstance(error, BlockedURL) and error.reason == "blocked-address"
    assert problem in error.detail and "redirected from" in error.detail
    assert all(ipaddress.ip_address(host) in ipaddress.ip_network("127.0.0.0/8") for host, _ in dialled), (
        dialled
    )


def test_without_allow_host_the_local_server_is_refused(server, dialled):
    with Fetcher(Options()) as fetcher:
        for url in (server.url + "/courier.rss", f"http://localhost:{server.port}/courier.rss"):
            error = reason_of(lambda url=url: fetcher.fetch(url))
            assert error.reason == "blocked-address" and "loopback" in error.detail
            assert "--allow-host" in str(error)
    assert dialled == []


def test_only_http_and_https_are_fetched(fetcher):
    for url in ("file:///etc/passwd", "ftp://courier.example/x", "gopher://courier.example/"):
        assert reason_of(lambda url=url: fetcher.fetch(url)).reason == "blocked-scheme"


def test_a_redirect_to_another_scheme_is_refused(fetcher):
    site = Site()
    site.routes["/go"] = redirect("file:///etc/passwd")
    with FeedServer(site) as srv:
        assert reason_of(lambda: fetcher.fetch(srv.url + "/go")).reason == "blocked-scheme"


def test_the_guard_checks_the_address_it_connects_to_so_dns_rebinding_fails(server, dialled):
    # The name first resolves to a public address (what a check on the URL alone would see), then
    # to loopback when the connection is made: the guard resolves once, at connection time, and refuses.
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    guard = Guard(resolve=lambda host, port: next(answers))
    guard.addresses("rebind.example", 80, url="http://rebind.example/")  # the first answer passes
    with pytest.raises(BlockedURL, match="loopback"):
        guard.addresses("rebind.example", server.port, url="http://rebind.example/")
    assert dialled == []


@pytest.mark.parametrize(
    "address, problem",
    [
        ("127.0.0.1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("224.0.0.251", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "shared"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::a00:1", "private"),
        ("2002:a00:1::1", "private"),
        ("93.184.216.34", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_classes(address, problem):
    found = address_problem(ipaddress.ip_address(address))
    assert (found is None) if problem is None else (problem in found)


# limits -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("route", [never_ending, silent])
def test_a_response_that_never_ends_times_out(fetcher, route):
    site = Site()
    site.routes["/slow"] = route
    with FeedServer(site) as srv:
        started = time.monotonic()
        assert reason_of(lambda: fetcher.fetch(srv.url + "/slow")).reason == "timeout"
        assert time.monotonic() - started < 6


def test_a_50_mb_body_is_cut_at_the_cap_while_streaming():
    site = Site()
    site.routes["/huge"] = huge
    site.routes["/declared"] = lambda h: huge(h, declare=True)
    with FeedServer(site) as srv, Fetcher(LOCAL.with_(max_file_bytes=2_000_000)) as fetcher:
        error = reason_of(lambda: fetcher.fetch(srv.url + "/huge"))
        assert error.reason == "too-large" and "2,000,000" in error.detail
        error = reason_of(lambda: fetcher.fetch(srv.url + "/declared"))
        assert error.reason == "too-large" and "52,428,800" in error.detail
    assert site.calls.get("huge-bytes", 0) < 50 * 1024 * 1024  # the server was not read to the end


def test_a_gzip_bomb_stops_at_the_cap_and_gzip_pages_are_read():
    site = Site()
    site.routes["/bomb"] = gzip_bomb
    site.routes["/page"] = gzipped(PAGE)
    with FeedServer(site) as srv, Fetcher(LOCAL.with_(max_file_bytes=5_000_000)) as fetcher:
        error = reason_of(lambda: fetcher.fetch(srv.url + "/bomb"))
        assert error.reason == "too-large" and "decompresses" in error.detail
        assert fetcher.fetch(srv.url + "/page").body.decode() == PAGE


# politeness -------------------------------------------------------------------------------------------
def test_robots_txt_disallow_is_honoured_and_the_user_agent_names_us(fetcher):
    site = example_site()
    site.routes["/private/page.html"] = PAGE
    with FeedServer(site) as srv:
        error = reason_of(lambda: fetcher.fetch(srv.url + "/private/page.html"))
        assert error.reason == "robots" and "robots.txt" in error.detail
        assert site.hits("/private/page.html") == 0
        fetcher.fetch(srv.url + "/courier.rss")
        assert site.hits("/robots.txt") == 1  # read once per host
        assert all(headers["user-agent"] == USER_AGENT for _, headers in site.log)
    with Fetcher(LOCAL.with_(respect_robots=False)) as rude, FeedServer(site) as srv:
        assert rude.fetch(srv.url + "/private/page.html").status == 200


def test_crawl_delay_spaces_requests_to_a_host():
    site = example_site()
    site.robots = "User-agent: *\nCrawl-delay: 1\n"
    with FeedServer(site) as srv, Fetcher(LOCAL) as fetcher:
        started = time.monotonic()
        for path in ("/courier.rss", "/cpa.atom", "/feeds.opml"):
            fetcher.fetch(srv.url + path)
        assert time.monotonic() - started >= 2.0


@pytest.mark.parametrize("status", [429, 503])
def test_429_and_503_are_retried_after_retry_after(fetcher, status):
    site = Site()
    site.routes["/busy"] = busy_then(PAGE, times=1, retry_after="1", status=status)
    with FeedServer(site) as srv:
        fetched = fetcher.fetch(srv.url + "/busy")
        assert fetched.status == 200
        first, second = site.calls["busy-times"]
        assert second - first >= 0.95


def test_a_server_that_stays_busy_is_a_named_failure():
    site = Site()
    site.routes["/busy"] = busy_then(PAGE, times=10, retry_after="3600")
    with FeedServer(site) as srv, Fetcher(LOCAL) as fetcher:
        error = reason_of(lambda: fetcher.fetch(srv.url + "/busy"))
        assert error.reason == "rate-limited" and "3600" in error.detail


def test_at_most_two_connections_per_host():
    import threading

    site = Site()
    active = {"now": 0, "max": 0}
    lock = threading.Lock()

    def slow_page(h):
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        time.sleep(0.3)
        with lock:
            active["now"] -= 1
        h.send_body(200, PAGE.encode(), "text/html")

    for n in range(6):
        site.routes[f"/p{n}"] = slow_page
    with FeedServer(site) as srv, Fetcher(LOCAL) as fetcher:
        threads = [threading.Thread(target=fetcher.fetch, args=(f"{srv.url}/p{n}",)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert active["max"] == 2


def test_allow_hosts_comes_from_a_config_file_too(tmp_path):
    config = tmp_path / "storybrief.toml"
    config.write_text('allow_hosts = ["Intranet.Example", "[::1]"]\nfetch_timeout = 5\n', encoding="utf-8")
    options = Options.from_file(config)
    assert options.allow_hosts == ("intranet.example", "::1") and options.fetch_timeout == 5
    from storybrief.errors import ConfigError

    with pytest.raises(ConfigError, match="fetch_deadline"):
        Options(fetch_deadline=0)
