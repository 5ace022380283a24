"""The per-user question limiter: limits a flood, forgets the quiet."""

from bot.ratelimit import QuestionLimiter, Verdict


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_flooding_user_is_told_once_then_dropped_until_the_window_passes():
    clock = Clock()
    limiter = QuestionLimiter(per_window=2, window_seconds=60, clock=clock)
    assert [limiter.check(7) for _ in range(4)] == [
        Verdict.ALLOW,
        Verdict.ALLOW,
        Verdict.NOTIFY,
        Verdict.DROP,
    ]
    clock.now += 61
    assert limiter.check(7) is Verdict.ALLOW


def test_users_quiet_for_a_whole_window_are_forgotten():
    clock = Clock()
    limiter = QuestionLimiter(per_window=3, window_seconds=60, clock=clock)
    for user in range(10_000):
        limiter.check(user)
    assert limiter.tracked_users == 10_000
    clock.now += 61
    assert limiter.check(123_456) is Verdict.ALLOW
    assert limiter.tracked_users == 1


def test_a_user_who_asked_within_the_window_stays_limited_through_the_sweep():
    clock = Clock()
    limiter = QuestionLimiter(per_window=1, window_seconds=60, clock=clock)
    clock.now += 30
    assert limiter.check(7) is Verdict.ALLOW
    clock.now += 31  # a sweep is due: user 7 asked 31 s ago, so is kept
    assert limiter.check(8) is Verdict.ALLOW
    assert limiter.tracked_users == 2
    assert limiter.check(7) is Verdict.NOTIFY


async def test_replicas_sharing_postgresql_share_one_limit_per_user(postgres_url):
    """Two bot replicas' limiters on one database: the user gets the limit once, not per
    replica, and is told once, by whichever replica refused first."""
    from bot.ratelimit import SharedQuestionLimiter
    from library.aio import AsyncLibrary
    from library.service import Library

    libraries = [Library.open(postgres_url), Library.open(postgres_url)]
    try:
        first, second = (SharedQuestionLimiter(AsyncLibrary(x), per_window=2) for x in libraries)
        verdicts = [await limiter.admit(7) for limiter in (first, second, second, first, second)]
        assert verdicts == [
            Verdict.ALLOW,
            Verdict.ALLOW,
            Verdict.NOTIFY,
            Verdict.DROP,
            Verdict.DROP,
        ]
        assert await first.admit(8) is Verdict.ALLOW  # other users are not affected
    finally:
        for library in libraries:
            library.close()
