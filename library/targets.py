"""What ``NEWSBOT_DB`` (or ``--db``) names: a SQLite file, or a PostgreSQL server by URL;
and how a URL may be shown, since it can carry a password."""

from __future__ import annotations

from pathlib import Path
from typing import TypeGuard
from urllib.parse import urlsplit, urlunsplit

#: ``NEWSBOT_DB`` and ``--db`` values that name a PostgreSQL server, not a file.
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(target: Path | str) -> TypeGuard[str]:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def redacted(url: str) -> str:
    """The URL without its password: what error messages and logs may show."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))
