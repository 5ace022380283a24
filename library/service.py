"""The library as the bot and the CLI use it: one object that opens the store and holds
the services, each with one job, over it.

- ``articles``: adding, removing, listing, indexing and embedding articles;
- ``asking``: questions, threads, pending prompts, per-user limits and /stats tallies;
- ``briefings``: /brief and the daily briefings;
- ``chats``: each chat's settings (whose library, /watch, /language);
- ``following``: the feeds chats follow.

What replicas must agree on is chosen once, here, from the store
(``Store.coordination()``). Shipped seed articles are stored once under the
shared chat id, so every chat sees them next to its own. Every method that
touches the store blocks; the bot awaits them with ``library.aio.off_loop``.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable
from pathlib import Path

from library.articles import Articles
from library.asking import Asking
from library.backend import Store, open_store
from library.briefings import Briefings
from library.chats import ChatSettings
from library.following import Caps, Following


class Library:
    def __init__(
        self,
        store: Store,
        *,
        cache_size: int = 256,
        allow_hosts: Collection[str] = (),
        feed_caps: Caps | None = None,
    ) -> None:
        self.store = store
        #: What this process must agree on with any other serving the same library.
        self.coordination = store.coordination()
        self._stopping = threading.Event()
        self.articles = Articles(
            store,
            cache_size=cache_size,
            allow_hosts=allow_hosts,
            replicated=self.coordination.shared,
            stopping=self._stopping,
        )
        self.asking = Asking(store, self.articles, self.coordination)
        self.briefings = Briefings(store, self.articles)
        self.chats = ChatSettings(store)
        self.following = Following(self.articles, feed_caps)

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        seeds: Iterable[Path] = (),
        cache_size: int = 256,
        allow_hosts: Collection[str] = (),
        feed_caps: Caps | None = None,
    ) -> Library:
        """The database at ``path`` (a SQLite file, or a ``postgresql://`` URL), created or
        migrated, with ``seeds`` stored for every chat and embedded, and the candidate
        index loaded: ready for the first question.

        Raises ``StoreError`` (unusable database) or ``RetrievalError`` (a bad seed file).
        """
        store = open_store(path)
        try:
            library = cls(
                store, cache_size=cache_size, allow_hosts=allow_hosts, feed_caps=feed_caps
            )
            library.articles.warm_up(library.articles.add_seeds(seeds))
            store.term_index()  # loaded now, not on some user's first question
        except BaseException:
            store.close()
            raise
        return library

    @property
    def replicated(self) -> bool:
        """Whether other processes may serve this library (PostgreSQL replicas)."""
        return self.coordination.shared

    def begin_stopping(self) -> None:
        """Ask embedding under way (an add's, the backfill's, a shared link's) to stop at its
        next batch, so the updates waiting for it finish at once; ``stop_background`` also
        waits for the backfill."""
        self._stopping.set()

    def stop_background(self, timeout: float = 10.0) -> None:
        self.articles.stop_background(timeout)

    def close(self) -> None:
        self.articles.stopping.set()  # background reading ends, and writes nothing more
        self.asking.close()
        self.store.close()
