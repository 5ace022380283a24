"""The webhook endpoint's answers to what a stranger can post, served on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from tests.bot.updates import message
from tests.bot.webhook_server import post


def test_an_update_is_accepted(hook):
    client, url = hook
    assert post(client, url, json.dumps(message("Who?")).encode()) == 200


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"update_id": 1, "message": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
        b'{"update_id": 1, "message": {"message_id": 1, "date": 0, "text": "no chat"}}',
    ],
    ids=["deep-array", "deep-inside-an-update", "message-without-chat"],
)
def test_bodies_that_are_no_update_get_400(hook, body):
    client, url = hook
    assert post(client, url, body) == 400


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_a_megabyte_gets_413_and_the_endpoint_serves_on(hook, chunked):
    client, url = hook
    assert post(client, url, b" " * 1_500_000, chunked=chunked) == 413
    assert post(client, url, json.dumps(message("Who?")).encode()) == 200


def test_the_secret_is_checked_before_the_size(hook):
    client, url = hook
    assert post(client, url, b" " * 1_500_000, secret="wrong") == 403
