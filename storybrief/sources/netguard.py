"""The SSRF guard: storybrief fetches only from public addresses, checked where the connection is made.

A URL given to storybrief (on the command line, in a feed, in an OPML list, or
as a redirect target) could point at this machine or its network: a cloud
metadata service (169.254.169.254), an admin page on 10.0.0.1, a database on
[::1].  So every connection goes through :class:`GuardedBackend`, which

1. refuses any scheme but http and https (:func:`check_scheme`, before anything else);
2. resolves the host name itself, once;
3. refuses the host if *any* address it resolves to is not public: private,
   loopback, link-local (169.254.0.0/16, fe80::/10), multicast, reserved,
   unspecified or shared (100.64.0.0/10), for IPv4 and IPv6 alike, looking
   inside IPv4-mapped (``::ffff:10.0.0.1``), NAT64, 6to4 and Teredo addresses;
4. connects to the very address it checked, so a DNS answer that changes
   between the check and the connection (DNS rebinding) cannot slip past.

The check runs for every new connection, so every redirect hop is checked
again.  Environment proxies are ignored (``trust_env=False``): a proxy would
make the connection, not us.  ``allow_hosts`` names hosts (as written in the
URL, e.g. ``127.0.0.1`` or ``intranet.example``) that may resolve anywhere:
for local testing and intranets.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable

import httpcore
import httpx

from ..errors import BlockedURL

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not private by name, not public either
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def address_problem(address: Address) -> str | None:
    """Why an address may not be fetched from ("loopback", "private", ...), or None if it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            inner = address_problem(embedded)
            if inner:
                return f"{inner} (inside the IPv6 address)"
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
        ("private", address.is_private),
        ("shared (carrier-grade NAT)", isinstance(address, ipaddress.IPv4Address) and address in _SHARED),
        ("not public", not address.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def system_resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))  # the address: a str for both families


def check_scheme(url: str) -> None:
    scheme = httpx.URL(url).scheme if "://" in url else ""
    if scheme not in ("http", "https"):
        raise BlockedURL(
            "blocked-scheme", f"only http and https URLs are fetched, not {scheme or 'this'}:", url=url
        )


class Guard:
    """Decides which hosts may be connected to, and to which of their addresses."""

    def __init__(self, *, allow_hosts: Iterable[str] = (), resolve: Resolver = system_resolve):
        self.allow_hosts = frozenset(h.lower().strip("[]") for h in allow_hosts)
        self.resolve = resolve

    def addresses(self, host: str, port: int, *, url: str) -> list[str]:
        """The addresses to connect to for ``host``; raises :class:`BlockedURL` if any one is not public."""
        host = host.lower().strip("[]")
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            found = [str(literal)]
        else:
            try:
                found = self.resolve(host, port)
            except (OSError, UnicodeError) as e:
                raise BlockedURL("dns", f"cannot resolve {host}: {e}", url=url) from e
            if not found:
                raise BlockedURL("dns", f"{host} resolves to no address", url=url)
        if host in self.allow_hosts:
            return found
        for text in found:
            problem = address_problem(ipaddress.ip_address(text.split("%", 1)[0]))
            if problem:
                named = host if host == text else f"{host} resolves to {text}, which"
                raise BlockedURL(
                    "blocked-address",
                    f"{named} is a {problem} address; storybrief fetches only from public addresses (SSRF guard)",
                    url=url,
                    hint=f"--allow-host {host} lets this host through, for local testing or an intranet",
                )
        return found


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's socket backend, connecting only to addresses the :class:`Guard` has just checked."""

    def __init__(self, guard: Guard):
        self.guard = guard

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = self.guard.addresses(host, port, url=f"//{host}:{port}")
        last: Exception | None = None
        for address in addresses:  # the checked addresses, in resolver order, as create_connection would
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                last = e
        assert last is not None
        raise last


def guarded_transport(guard: Guard, *, max_connections: int = 16) -> httpx.HTTPTransport:
    """An httpx transport whose every connection passes the guard (no environment proxies)."""
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(  # the pool httpx would build, with our backend
        ssl_context=httpx.create_ssl_context(),
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(guard),
    )
    return transport
