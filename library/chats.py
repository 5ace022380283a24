"""Each chat's own settings: whose library it reads, whether it watches links, its language.

Kept in the store, so every replica and every restart sees the same choice.
"""

from __future__ import annotations

from library.backend import Store


class ChatSettings:
    def __init__(self, store: Store) -> None:
        self.store = store

    def watching(self, chat_id: int) -> bool:
        """Whether links posted in the chat become its articles (/watch)."""
        return self.store.watching(chat_id)

    def set_watching(self, chat_id: int, on: bool) -> None:
        self.store.set_watching(chat_id, on)

    def library_of(self, chat_id: int) -> int:
        """The chat whose articles ``chat_id`` reads and adds to: a channel's discussion
        group shares the channel's library; every other chat has its own."""
        return self.store.library_of(chat_id)

    def share_library(self, chat_id: int, library_chat: int) -> bool:
        """Let ``chat_id`` share ``library_chat``'s library; whether that changed anything
        (a discussion group hears of its channel on every post, and writes once)."""
        if self.store.library_of(chat_id) == library_chat:
            return False
        self.store.share_library(chat_id, library_chat)
        return True

    def language(self, chat_id: int) -> str | None:
        """The language the bot speaks in the chat, if one was chosen (/language)."""
        return self.store.chat_language(chat_id)

    def set_language(self, chat_id: int, language: str | None) -> None:
        self.store.set_chat_language(chat_id, language)
