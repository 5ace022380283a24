"""``python -m library``: the retrieval CLI over the bot's database (``--db FILE --chat N``).

The commands, options and output are ``python -m retrieval``'s; this module only
supplies the database, which the retrieval layer must not import.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from library.errors import StoreError
from library.service import Library
from library.targets import redacted
from retrieval import CollectionAnswer, RetrievalError
from retrieval.cli import AnswerAcross
from retrieval.cli import main as retrieval_main


def main(argv: Sequence[str] | None = None) -> int:
    return retrieval_main(argv, prog="python -m library", open_database=open_database)


def open_database(path: Path | str, chat_id: int) -> AnswerAcross:
    """One chat's library in the database at ``path`` (a SQLite file or a PostgreSQL URL);
    refused in one line when unusable."""
    try:
        library = Library.open(path)
    except StoreError as error:
        raise RetrievalError(str(error)) from None
    if not library.articles.visible(chat_id):
        raise RetrievalError(f"{redacted(str(path))}: chat {chat_id} has no articles")

    def ask(question: str) -> CollectionAnswer:
        return library.asking.ask_across(chat_id, question)

    return ask
