"""The link guard's verdicts on any address or URL, judged with a stub resolver: nothing here
ever opens a connection (``_checked_target`` decides before any is made)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from library.errors import FetchError
from library.fetch import _checked_target, is_public_address

_v4 = st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address)
_v6 = st.integers(0, 2**128 - 1).map(ipaddress.IPv6Address)
_internal_v4 = _v4.filter(lambda ip: not ip.is_global or ip.is_multicast)


def _spellings(ip: ipaddress.IPv4Address) -> list[str]:
    """Every IPv6 form that carries this IPv4 address to it."""
    n = int(ip)
    return [
        f"::ffff:{ip}",  # mapped
        str(ipaddress.IPv6Address((0xFFFF << 32) | n)),  # mapped, hex
        str(ipaddress.IPv6Address((0xFFFF << 48) | n)),  # translated (SIIT)
        str(ipaddress.IPv6Address((0x64FF9B << 96) | n)),  # NAT64
        str(ipaddress.IPv6Address((0x2002 << 112) | (n << 80))),  # 6to4
        f"::{ip}",  # compatible
    ]


@given(_internal_v4)
def test_no_spelling_of_an_internal_ipv4_address_is_public(ip):
    assert not is_public_address(str(ip))
    for spelled in _spellings(ip):
        assert not is_public_address(spelled), spelled


@given(st.one_of(_v4, _v6))
def test_any_address_gets_a_verdict(ip):
    assert is_public_address(str(ip)) in (True, False)


_hosts = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["news.example", "localhost", "[::1]", "127.0.0.1", "xn--bcher-kva.example"]),
)
_urls = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda scheme, host, port, path: f"{scheme}://{host}{port}/{path}",
        st.sampled_from(["http", "https", "ftp", "file", "HTTP", "javascript"]),
        _hosts,
        st.one_of(st.just(""), st.integers(-5, 70_000).map(lambda p: f":{p}")),
        st.text(max_size=20),
    ),
)


@given(_urls, st.lists(st.one_of(_v4, _v6).map(str), max_size=3))
async def test_any_url_is_refused_plainly_or_sent_to_a_public_address(url, addresses):
    async def resolver(host: str, port: int) -> list[str]:
        return addresses

    try:
        target, _ = await _checked_target(url, (), resolver)
    except FetchError:
        return
    host = target.split("://", 1)[1].rsplit(":", 1)[0].strip("[]")
    assert host in addresses and all(is_public_address(a) for a in addresses)


@pytest.mark.parametrize("address", ["::ffff:0:7f00:1", "fec0::1"])
async def test_the_reported_ipv6_ranges_are_refused_before_connecting(address):
    async def resolver(host: str, port: int) -> list[str]:
        return [address]

    with pytest.raises(FetchError, match="private or internal"):
        await _checked_target("https://news.example/story", (), resolver)
