"""The webhook endpoint on any bytes: only the statuses README documents, never a 500."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from tests.bot.webhook_server import SECRET, post

DOCUMENTED = {200, 400, 403, 405, 413, 415}


_update_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "update_id",
                    "message",
                    "chat",
                    "id",
                    "type",
                    "text",
                    "from",
                    "date",
                    "message_id",
                    "callback_query",
                    "entities",
                ]
            )
            | st.text(max_size=6),
            inner,
            max_size=5,
        )
    ),
    max_leaves=25,
).map(lambda v: json.dumps(v).encode())
_bodies = st.one_of(
    st.binary(max_size=2_000),
    _update_like,
    st.builds(lambda n: b"[" * n, st.integers(1, 300_000)),
    st.builds(lambda n: b" " * n, st.sampled_from([999_999, 1_000_000, 1_000_001, 1_300_000])),
)


@given(
    body=_bodies,
    secret=st.sampled_from([SECRET, None, "wrong", SECRET + "x"]),
    content_type=st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "text/plain",
            "",
            "APPLICATION/JSON",
        ]
    ),
    chunked=st.booleans(),
)
def test_any_post_gets_a_documented_status(hook, body, secret, content_type, chunked):
    client, url = hook
    status = post(client, url, body, secret=secret, content_type=content_type, chunked=chunked)
    assert status in DOCUMENTED
    if secret != SECRET:
        assert status == 403
    assert post(client, url, json.dumps({"update_id": 1}).encode()) == 200  # still serving


@given(
    method=st.sampled_from(["GET", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    body=st.binary(max_size=100),
)
def test_other_methods_get_405(hook, method, body):
    client, url = hook
    status = client.request(method, url, content=body or None).status_code
    assert status == 405
