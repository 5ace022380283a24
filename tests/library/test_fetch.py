"""Adding by URL: real pages from a local server, and the guard against probing the network."""

from __future__ import annotations

import pytest

from library.errors import FetchError
from library.extract import extract_html
from library.fetch import MAX_REDIRECTS, fetch, is_public_address
from testing.web_server import STORY_HTML, STORY_SENTENCES, STORY_TITLE, WebServer

LOCAL = {"127.0.0.1"}  # the test server, allowed explicitly; nothing else is


@pytest.fixture
def site():
    with WebServer() as server:
        yield server


async def test_story_page_is_fetched_and_reduced_to_the_article(site):
    fetched = await fetch(site.url("/news/ferry-terminal"), allow_hosts=LOCAL)
    assert fetched.content_type == "text/html"
    page = extract_html(fetched.body.decode(), url=fetched.url)
    for sentence in STORY_SENTENCES:
        assert sentence in page.text
    for clutter in ("ADVERTISEMENT", "newsletter", "Most read", "waste of taxpayer", "Privacy"):
        assert clutter not in page.text
    assert page.title == STORY_TITLE
    assert page.source == "Kelmouth Gazette"
    assert page.published == "2026-11-23"
    assert page.url == site.url("/news/ferry-terminal")


async def test_content_types_are_compared_without_regard_to_case(site):
    fetched = await fetch(site.url("/news/shouting"), allow_hosts=LOCAL)
    assert fetched.content_type == "text/html"
    assert STORY_TITLE in extract_html(fetched.body.decode(), url=fetched.url).title


async def test_a_trickling_server_is_cut_off_at_the_deadline(site):
    with pytest.raises(FetchError, match=r"/trickle took longer than 1 s to fetch"):
        await fetch(site.url("/trickle"), allow_hosts=LOCAL, deadline=1.0)


async def test_a_body_that_ends_short_is_a_clear_error(site):
    with pytest.raises(FetchError, match=r"could not read .*/cut-short \(RemoteProtocolError\)"):
        await fetch(site.url("/cut-short"), allow_hosts=LOCAL)


async def test_redirects_are_followed_to_the_story(site):
    fetched = await fetch(site.url("/short-link"), allow_hosts=LOCAL)
    assert fetched.url == site.url("/news/ferry-terminal")
    assert fetched.body.decode() == STORY_HTML


async def test_redirect_chains_are_capped(site):
    with pytest.raises(FetchError, match=f"more than {MAX_REDIRECTS} redirects"):
        await fetch(site.url("/loop"), allow_hosts=LOCAL)
    assert len(site.requests) == MAX_REDIRECTS + 1


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/admin",
        "http://127.8.9.10:8080/",
        "http://10.0.0.5/",
        "http://192.168.1.1/router",
        "http://172.16.4.4/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://localhost/",
        "http://LocalHost:8000/",
    ],
)
async def test_internal_addresses_are_refused_without_a_request(url):
    with pytest.raises(FetchError, match=r"private or internal address|not allowed"):
        await fetch(url)


async def test_internal_server_is_refused_unless_explicitly_allowed(site):
    with pytest.raises(FetchError, match="private or internal address"):
        await fetch(site.url("/news/ferry-terminal"))
    assert site.requests == []


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/internal",
        "http://localhost:{port}/news/ferry-terminal",  # the same server under another name
    ],
)
async def test_redirects_to_internal_addresses_are_refused(site, target):
    site.redirect_target = target.format(port=site.port)
    with pytest.raises(FetchError, match="private or internal address"):
        await fetch(site.url("/elsewhere"), allow_hosts=LOCAL)
    assert site.requests == ["/elsewhere"]  # the internal target was never contacted


async def test_names_resolving_to_internal_addresses_are_refused():
    async def resolver(host: str, port: int) -> list[str]:
        # A public-looking name whose DNS answer mixes a public and a private address.
        return {"news.example": ["93.184.216.34", "10.0.0.7"]}[host]

    with pytest.raises(FetchError, match=r"news\.example points to a private"):
        await fetch("https://news.example/story", resolver=resolver)


IPV6_FORMS_OF_INTERNAL = [
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of the metadata address 169.254.169.254
    "64:ff9b::c0a8:101",  # NAT64 of 192.168.1.1
    "64:ff9b:1::808:808",  # local-use NAT64: translates into the operator's network
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a00:1::",  # 6to4 of 10.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "::127.0.0.1",  # IPv4-compatible
    "::10.1.2.3",
    "::ffff:169.254.169.254",  # IPv4-mapped
    "::ffff:0:7f00:1",  # IPv4-translated 127.0.0.1 (SIIT, RFC 2765)
    "::ffff:0:a00:1",  # IPv4-translated 10.0.0.1
    "::ffff:0:a9fe:a9fe",  # IPv4-translated 169.254.169.254
    "fec0::1",  # deprecated site-local: routes inside the operator's network
    "feff:ffff::1",
]


@pytest.mark.parametrize("address", IPV6_FORMS_OF_INTERNAL)
async def test_ipv6_spellings_of_internal_ipv4_addresses_are_refused(address):
    async def resolver(host: str, port: int) -> list[str]:
        return [address]  # never contacted: the guard decides before any connection

    assert not is_public_address(address)
    with pytest.raises(FetchError, match=r"news\.example points to a private"):
        await fetch("https://news.example/story", resolver=resolver)


@pytest.mark.parametrize(
    "address", ["64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111", "93.184.216.34"]
)
def test_public_addresses_pass_the_guard_in_any_spelling(address):
    # The verdict only: nothing is fetched from these addresses.
    assert is_public_address(address)


async def test_connection_goes_to_the_checked_address(site):
    """The name is resolved once, checked, and that address is what gets connected to."""
    seen: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        seen.append(host)
        return ["127.0.0.1"]

    fetched = await fetch(
        f"http://gazette.test:{site.port}/news/ferry-terminal",
        allow_hosts={"gazette.test"},
        resolver=resolver,
    )
    assert seen == ["gazette.test"]
    assert STORY_TITLE in fetched.body.decode()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/file.txt", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("http://example.com:22/", "port 22 is not allowed"),
    ],
)
async def test_other_schemes_and_ports_are_refused(url, message):
    with pytest.raises(FetchError, match=message):
        await fetch(url)


@pytest.mark.parametrize("path", ["/huge", "/huge-undeclared"])
async def test_bodies_over_the_size_cap_are_refused(site, path):
    with pytest.raises(FetchError, match="larger than 2 MB"):
        await fetch(site.url(path), allow_hosts=LOCAL)


async def test_non_text_content_and_missing_pages_are_refused(site):
    with pytest.raises(FetchError, match="image/png, not a web page"):
        await fetch(site.url("/photo.png"), allow_hosts=LOCAL)
    with pytest.raises(FetchError, match="HTTP 404"):
        await fetch(site.url("/gone"), allow_hosts=LOCAL)


async def test_unknown_host_is_a_clear_error():
    async def resolver(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(FetchError, match=r"no-such-site\.test: no such host"):
        await fetch("https://no-such-site.test/", resolver=resolver)


def test_page_without_a_story_is_refused():
    with pytest.raises(FetchError, match="no article text"):
        extract_html("<html><body><nav>Home | News</nav></body></html>")


def test_a_translated_public_address_is_still_public():
    assert is_public_address("::ffff:0:808:808")  # 8.8.8.8, spelled as SIIT does


@pytest.mark.parametrize("url", ["http://[", "https://[::1", "http://[nonsense]/story"])
async def test_links_that_do_not_parse_are_refused_plainly(url):
    async def resolver(host: str, port: int) -> list[str]:
        raise AssertionError("never resolved")

    with pytest.raises(FetchError, match="not a valid link"):
        await fetch(url, resolver=resolver)


async def test_a_redirect_to_a_link_that_does_not_parse_is_refused(site):
    site.redirect_target = "http://[oops"
    with pytest.raises(FetchError, match="redirects to an invalid link"):
        await fetch(site.url("/elsewhere"), allow_hosts=LOCAL)
