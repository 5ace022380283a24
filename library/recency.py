"""Questions that ask for what is new: "the latest on the tram", "what happened today".

Across a library that feeds keep filling, "latest" means the newest article that
answers, not the one whose words match best; "today" and "this week" mean only
articles that new. Dates are the article's publication date where it has one
(feeds and most pages give it), else when it was added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_WINDOWS = (
    (re.compile(r"\b(today|tonight|this (morning|afternoon|evening))\b", re.I), 1.0),
    (re.compile(r"\byesterday\b", re.I), 2.0),
    (
        re.compile(
            r"\b(this (week|weekend)|past (week|few days)|last few days|recently|lately)\b", re.I
        ),
        7.0,
    ),
    (re.compile(r"\b(this|past) month\b", re.I), 31.0),
)
_NEWEST = re.compile(r"\b(latest|newest|most recent|recent|new developments?|updates?)\b", re.I)


@dataclass(frozen=True)
class Recency:
    days: float | None  #: only articles dated within this many days (None: any date)
    newest_first: bool  #: of the articles that answer, the newest wins


def recency(question: str) -> Recency | None:
    """What the question asks of dates, or ``None`` when it asks nothing of them."""
    days = next((d for pattern, d in _WINDOWS if pattern.search(question)), None)
    newest = bool(_NEWEST.search(question)) or days is not None
    return Recency(days, newest) if days is not None or newest else None


def within(dates: dict[int, str], ids: list[int], days: float) -> list[int]:
    """The ``ids`` (order kept) dated within the last ``days``."""
    cutoff = (datetime.now(UTC) - timedelta(days=days)).date().isoformat()
    return [i for i in ids if dates.get(i, "")[:10] >= cutoff]
