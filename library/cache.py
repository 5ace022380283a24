"""A bounded LRU of article indexes: indexes are rebuilt from stored text, never stored."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from retrieval import ArticleIndex


class IndexCache:
    def __init__(self, build: Callable[[int], ArticleIndex], size: int = 256) -> None:
        self._build = build
        self._size = size
        self._items: OrderedDict[int, ArticleIndex] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, article_id: int) -> ArticleIndex:
        with self._lock:
            index = self._items.get(article_id)
            if index is not None:
                self._items.move_to_end(article_id)
                return index
        index = self._build(article_id)  # outside the lock: building takes milliseconds
        self.put(article_id, index)
        return index

    def put(self, article_id: int, index: ArticleIndex) -> None:
        """Keep an index built elsewhere (a just-added article: never re-read from SQLite)."""
        with self._lock:
            self._items[article_id] = index
            self._items.move_to_end(article_id)
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def forget(self, article_id: int) -> None:
        with self._lock:
            self._items.pop(article_id, None)

    def __len__(self) -> int:
        return len(self._items)


class TimedCache:
    """A small LRU whose entries also expire: articles looked up for a question, kept so the
    next question about the same link is instant, but not for ever."""

    def __init__(self, size: int, seconds: float) -> None:
        self._size, self._seconds = size, seconds
        self._items: OrderedDict[str, tuple[float, ArticleIndex]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> ArticleIndex | None:
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] < time.monotonic():
                self._items.pop(key, None)
                return None
            self._items.move_to_end(key)
            return found[1]

    def put(self, key: str, index: ArticleIndex) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + self._seconds, index)
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
