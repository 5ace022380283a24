"""The article library: chats' own articles in SQLite, URL fetching, and cached indexes.

Used by the bot and the command line; ``retrieval`` never imports it.
"""

from library.errors import FetchError, StoreError
from library.store import AddResult, ArticleRow, Store

__all__ = ["AddResult", "ArticleRow", "FetchError", "Store", "StoreError"]
