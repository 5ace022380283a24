"""Errors a user of the retrieval library can hit, each with a message fit to show as is.

Callers (the CLI, the bot) print ``str(error)`` to people, so every message names
the file or input at fault and says what would fix it.
"""


class RetrievalError(Exception):
    """Base class: catch this to handle every input problem the library reports."""


class ArticleError(RetrievalError):
    """An article file or text cannot be used (missing, empty, binary, not UTF-8, too big)."""


class QuestionError(RetrievalError):
    """A question cannot be asked (empty, or nothing left to search for)."""


class EmbeddingStopped(RetrievalError):
    """Embedding was asked to stop (the process is shutting down); nothing was kept."""
