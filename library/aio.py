"""The library on the event loop: one generic helper, not a mirror of every method.

Database reads, ranking and index loads take milliseconds to seconds; on the
event loop they would hold up every chat. The services' blocking methods are
awaited through ``off_loop``, which keeps their signatures (``ParamSpec``), so
a handler's call is type-checked against the method itself. The few that need
more than a thread hop (adds and extraction on the ingestion queue, shared
links read on their own queue) are coroutines on the services themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


async def off_loop(call: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """``call(*args, **kwargs)`` on a worker thread, awaited."""
    return await asyncio.to_thread(call, *args, **kwargs)
