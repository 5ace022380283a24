"""Pending "Ask about it" prompts, kept in the store that every replica shares."""

from __future__ import annotations

from library.service import Library

CHAT = 42


def test_pending_prompts_are_kept_per_chat_newest_first_on_both_stores(database):
    library = Library.open(database)
    try:
        for message_id in range(1, 26):
            library.asking.remember_prompt(CHAT, message_id, f"https://news.example/{message_id}")
        library.asking.remember_prompt(CHAT + 1, 7, "a text someone shared")
        assert library.asking.prompt(CHAT, 25) == "https://news.example/25"
        assert library.asking.prompt(CHAT, 6) == "https://news.example/6"
        assert library.asking.prompt(CHAT, 5) is None  # a chat keeps its 20 newest
        assert library.asking.prompt(CHAT + 1, 7) == "a text someone shared"
        assert library.asking.prompt(CHAT + 1, 8) is None
    finally:
        library.close()
