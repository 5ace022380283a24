"""Errors of the library layer, with messages fit to show a person."""


class LibraryError(Exception):
    """Base class for library problems."""


class StoreError(LibraryError):
    """The database cannot be opened or used (corrupt, unreadable, from a newer version)."""


class FetchError(LibraryError):
    """A URL cannot be fetched or is not allowed (private address, too big, not HTML/text).

    ``retry_after`` is the server's ``Retry-After`` header, when it sent one (429, 503)."""

    def __init__(self, message: str, *, retry_after: str | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class MissingArticle(LibraryError, LookupError):
    """No stored article has this id (removed, or never there)."""
