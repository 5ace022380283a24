"""The article library: chats' own articles (SQLite or PostgreSQL), fetching, cached indexes.

The bot's only door to articles is ``Library``; ``python -m library`` answers
from the bot's database on the command line. This layer imports ``retrieval``
(through its ``__all__``) and never ``bot`` or ``telegram``; ``retrieval``
never imports it.
"""

from library.backend import Store, open_store
from library.errors import FetchError, LibraryError, StoreError
from library.rows import AddResult, ArticleRow
from library.service import Library
from library.store import SqliteStore

__all__ = [
    "AddResult",
    "ArticleRow",
    "FetchError",
    "Library",
    "LibraryError",
    "SqliteStore",
    "Store",
    "StoreError",
    "open_store",
]
