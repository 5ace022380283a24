"""The article library: chats' own articles (SQLite or PostgreSQL), fetching, cached indexes.

The bot's only door to articles is ``Library`` and the services it holds
(``library.articles``, ``.asking``, ``.briefings``, ``.chats``, ``.following``),
awaited on the event loop with ``off_loop``; ``python -m library`` answers from the bot's database on the command
line. This layer imports ``retrieval`` (through its ``__all__``) and never
``bot`` or ``telegram``; ``retrieval`` never imports it. The bot imports this
package only through ``__all__`` below (tests/test_layers.py), so the modules
behind it can be split and renamed without touching the bot.
"""

from library.aio import off_loop
from library.articles import Articles, KnownUrl
from library.asking import AcrossReply, Asking, Reply, SingleReply
from library.backend import Store, open_store
from library.briefings import Briefed, Briefings, DueBriefing
from library.chats import ChatSettings
from library.conversation import sentence_reference, with_context
from library.coordination import Admission, Coordination
from library.errors import FetchError, LibraryError, StoreError
from library.extract import Extracted
from library.feeds import NotAFeed
from library.fetch import WEB_LINK, is_web_link
from library.following import Caps, Followed, Following, Polled, TooManyFeeds
from library.ingestion import Busy
from library.opml import MAX_OPML_BYTES, NotOpml, read_opml, write_opml
from library.rows import AddResult, ArticleRow, FeedRow, QuestionTally, Thread, now
from library.service import Library
from library.store import SqliteStore
from library.targets import is_postgres, redacted

__all__ = [
    "MAX_OPML_BYTES",
    "WEB_LINK",
    "AcrossReply",
    "AddResult",
    "Admission",
    "ArticleRow",
    "Articles",
    "Asking",
    "Briefed",
    "Briefings",
    "Busy",
    "Caps",
    "ChatSettings",
    "Coordination",
    "DueBriefing",
    "Extracted",
    "FeedRow",
    "FetchError",
    "Followed",
    "Following",
    "KnownUrl",
    "Library",
    "LibraryError",
    "NotAFeed",
    "NotOpml",
    "Polled",
    "QuestionTally",
    "Reply",
    "SingleReply",
    "SqliteStore",
    "Store",
    "StoreError",
    "Thread",
    "TooManyFeeds",
    "is_postgres",
    "is_web_link",
    "now",
    "off_loop",
    "open_store",
    "read_opml",
    "redacted",
    "sentence_reference",
    "with_context",
    "write_opml",
]
