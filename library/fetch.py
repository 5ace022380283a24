"""Fetching an article URL without letting the bot probe the network it runs in.

Rules, checked on every hop of a redirect chain:

* only ``http`` and ``https``, on their usual ports or any port above 1023;
* the host name is resolved here, every address it resolves to must be a
  public (globally routable) address, and the connection goes to the checked
  address itself (with the name kept for ``Host`` and TLS), so a DNS answer
  that changes between check and connect cannot sneak in a private address;
* at most ``MAX_REDIRECTS`` redirects, a connect/read timeout, and a body cap
  (``MAX_BYTES``) enforced while streaming.

Tests allow their own 127.0.0.1 server explicitly with ``allow_hosts``.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import re
import socket
import ssl
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit, urlunsplit

import certifi
import httpx

from library.errors import FetchError

MAX_BYTES = 2_000_000
MAX_REDIRECTS = 5
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
#: Seconds for the whole fetch (every redirect, connection and byte of the body).
DEADLINE = 10.0
USER_AGENT = "newsbot/0.1 (+article fetcher for a Telegram Q&A bot)"
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
#: What a feed may be served as (and HTML, whose ``<link rel="alternate">`` names the feed).
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
    "application/json",
    "text/html",
    "application/xhtml+xml",
    "text/plain",
)
#: A web link, as people paste one; a text that is nothing else is a link to fetch.
WEB_LINK = re.compile(r"https?://\S+", re.IGNORECASE)


def is_web_link(text: str) -> bool:
    """Whether the whole text is one http(s) link (what ``/add`` fetches rather than stores)."""
    return WEB_LINK.fullmatch(text) is not None


#: Host name and port to the addresses it resolves to; the system resolver by default.
Resolver = Callable[[str, int], Awaitable[list[str]]]


@dataclass(frozen=True)
class Fetched:
    url: str  #: final URL after redirects
    content_type: str
    body: bytes
    #: Response headers a poller needs (``etag``, ``last-modified``, ``cache-control``),
    #: lower-cased; empty for other fetches.
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False  #: a conditional GET came back 304: ``body`` is empty


@dataclass(frozen=True)
class Conditions:
    """A conditional GET: what the last response said, so an unchanged feed costs a 304."""

    etag: str | None = None
    last_modified: str | None = None


#: Headers kept in ``Fetched.headers`` for pollers.
_KEPT_HEADERS = ("etag", "last-modified", "cache-control", "retry-after")


async def fetch(
    url: str,
    *,
    allow_hosts: Collection[str] = (),
    resolver: Resolver | None = None,
    deadline: float = DEADLINE,
    accepted: tuple[str, ...] = ACCEPTED_TYPES,
    conditions: Conditions | None = None,
) -> Fetched:
    """GET ``url`` under the rules above; ``FetchError`` says plainly what was refused.

    ``resolver`` replaces the system's DNS lookup (a deployment with its own
    resolver; tests that need a name to point at a private address offline).
    httpx's timeouts apply per read, so a server sending a byte a second would
    never trip them: ``deadline`` bounds the whole fetch.
    """
    try:
        async with asyncio.timeout(deadline):
            return await _fetch(
                url, allow_hosts, resolver or system_resolve, accepted, conditions or Conditions()
            )
    except TimeoutError:
        raise FetchError(f"{url} took longer than {deadline:g} s to fetch") from None


async def _fetch(
    url: str,
    allow_hosts: Collection[str],
    resolve: Resolver,
    accepted: tuple[str, ...],
    conditions: Conditions,
) -> Fetched:
    headers = {"User-Agent": USER_AGENT, "Accept": ", ".join(accepted)}
    if conditions.etag:
        headers["If-None-Match"] = conditions.etag
    if conditions.last_modified:
        headers["If-Modified-Since"] = conditions.last_modified
    async with httpx.AsyncClient(
        timeout=TIMEOUT, follow_redirects=False, trust_env=False, verify=_tls()
    ) as client:
        for _ in range(MAX_REDIRECTS + 1):
            target, host = await _checked_target(url, allow_hosts, resolve)
            request = client.build_request(
                "GET",
                target,
                headers={"Host": host, **headers},
                extensions={"sni_hostname": urlsplit(url).hostname or host},
            )
            try:
                response = await client.send(request, stream=True)
            except httpx.HTTPError as error:
                raise FetchError(f"could not fetch {url} ({type(error).__name__})") from None
            try:
                if response.is_redirect:
                    location = response.headers.get("location", "")
                    if not location:
                        raise FetchError(f"{url} redirects nowhere")
                    try:
                        url = urljoin(url, location)
                    except ValueError:  # "Location: http://[": a stranger's server sent it
                        raise FetchError(f"{url} redirects to an invalid link") from None
                    continue
                kept = {h: response.headers[h] for h in _KEPT_HEADERS if h in response.headers}
                if response.status_code == 304 and (conditions.etag or conditions.last_modified):
                    return Fetched(url, "", b"", kept, not_modified=True)
                if response.status_code != 200:
                    raise FetchError(
                        f"{url} answered HTTP {response.status_code}",
                        retry_after=kept.get("retry-after"),
                    )
                content_type = (
                    response.headers.get("content-type", "").split(";")[0].strip().lower()
                )
                if content_type and content_type not in accepted:
                    raise FetchError(f"{url} is {content_type}, not a web page or text")
                body = await _read_capped(response, url)
                return Fetched(url, content_type or "text/html", body, kept)
            finally:
                await response.aclose()
    raise FetchError(f"{url}: more than {MAX_REDIRECTS} redirects")


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every fetch, with the CA bundle httpx itself uses: building one
    per client took 16 ms, which a poll of a thousand unchanged feeds paid a thousand times."""
    return ssl.create_default_context(cafile=certifi.where())


async def _read_capped(response: httpx.Response, url: str) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise FetchError(f"{url} is larger than {MAX_BYTES // 1_000_000} MB")
    chunks, size = [], 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError(f"{url} is larger than {MAX_BYTES // 1_000_000} MB")
            chunks.append(chunk)
    except httpx.HTTPError as error:  # the body stalled, or ended before its length
        raise FetchError(f"could not read {url} ({type(error).__name__})") from None
    return b"".join(chunks)


async def _checked_target(
    url: str, allow_hosts: Collection[str], resolve: Resolver
) -> tuple[str, str]:
    """The URL rewritten to a checked IP address, and the Host header to send."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # "http://[": a bracket that opens no IPv6 address
        raise FetchError(f"{url} is not a valid link") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"only http and https links can be added (got {parts.scheme or 'none'}:)")
    if not host:
        raise FetchError(f"{url} has no host name")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"{url} has an invalid port") from None
    if port not in (80, 443) and port < 1024 and host not in allow_hosts:
        raise FetchError(f"{url}: port {port} is not allowed")
    try:
        addresses = list(dict.fromkeys(await resolve(host, port)))
    except OSError:
        raise FetchError(f"{host}: no such host") from None
    if not addresses:
        raise FetchError(f"{host}: no such host")
    if host not in allow_hosts:
        for address in addresses:
            if not is_public_address(address):
                raise FetchError(f"{host} points to a private or internal address; not fetched")
    address = addresses[0]
    shown = f"[{address}]" if ":" in address else address
    netloc = f"{shown}:{port}"
    host_header = host if parts.port is None else f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host_header


async def system_resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def is_public_address(address: str) -> bool:
    """Whether a resolved address may be fetched: global unicast, whatever its spelling.

    An IPv6 address can carry an IPv4 one (mapped ``::ffff:a.b.c.d``, translated
    ``::ffff:0:a.b.c.d``, NAT64
    ``64:ff9b::a.b.c.d``, 6to4 ``2002:AABB:CCDD::``, the old compatible form
    ``::a.b.c.d``); a gateway on the way delivers it to that IPv4 address, so
    the embedded address is judged instead. The local-use NAT64 prefix
    ``64:ff9b:1::/48`` translates into the operator's own network, and the
    deprecated site-local ``fec0::/10`` still routes inside one on old networks:
    neither is ever public.
    """
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64 or ip.is_site_local:
            return False
        ip = _embedded_ipv4(ip) or ip
    return ip.is_global and not ip.is_multicast


_WELL_KNOWN_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")
#: SIIT's IPv4-translated addresses (RFC 2765), ``::ffff:0:a.b.c.d``.
_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _TRANSLATED:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _WELL_KNOWN_NAT64 or (int(ip) >> 32 == 0 and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None
