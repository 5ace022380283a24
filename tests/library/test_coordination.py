"""What processes serving one library agree on: the per-user question limit (in memory
for one process, in the database for replicas) and the nearest-sentence search."""

from library.coordination import Admission, InProcess
from library.service import Library


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_flooding_user_is_told_once_then_dropped_until_the_window_passes():
    clock = Clock()
    limiter = InProcess(clock)
    assert [limiter.admit_question(7, 2, 60) for _ in range(4)] == [
        Admission.ALLOW,
        Admission.ALLOW,
        Admission.NOTIFY,
        Admission.DROP,
    ]
    clock.now += 61
    assert limiter.admit_question(7, 2, 60) is Admission.ALLOW


def test_users_quiet_for_a_whole_window_are_forgotten():
    clock = Clock()
    limiter = InProcess(clock)
    for user in range(10_000):
        limiter.admit_question(user, 3, 60)
    assert limiter.tracked_users == 10_000
    clock.now += 61
    assert limiter.admit_question(123_456, 3, 60) is Admission.ALLOW
    assert limiter.tracked_users == 1


def test_a_user_who_asked_within_the_window_stays_limited_through_the_sweep():
    clock = Clock()
    limiter = InProcess(clock)
    clock.now += 30
    assert limiter.admit_question(7, 1, 60) is Admission.ALLOW
    clock.now += 31  # a sweep is due: user 7 asked 31 s ago, so is kept
    assert limiter.admit_question(8, 1, 60) is Admission.ALLOW
    assert limiter.tracked_users == 2
    assert limiter.admit_question(7, 1, 60) is Admission.NOTIFY


def test_replicas_sharing_postgresql_share_one_limit_per_user(postgres_url):
    """Two replicas on one database: the user gets the limit once, not per replica, and
    is told once, by whichever replica refused first."""
    first, second = Library.open(postgres_url), Library.open(postgres_url)
    try:
        order = (first, second, second, first, second)
        assert [r.asking.admit_question(7, 2, 60) for r in order] == [
            Admission.ALLOW,
            Admission.ALLOW,
            Admission.NOTIFY,
            Admission.DROP,
            Admission.DROP,
        ]
        assert first.asking.admit_question(8, 2, 60) is Admission.ALLOW  # others are not affected
    finally:
        first.close()
        second.close()


def test_one_process_over_sqlite_counts_in_memory(tmp_path):
    library = Library.open(tmp_path / "news.db")
    try:
        assert not library.replicated
        assert [library.asking.admit_question(7, 1, 60) for _ in range(3)] == [
            Admission.ALLOW,
            Admission.NOTIFY,
            Admission.DROP,
        ]
        # No sentence index to search by meaning: a question sharing no word finds nothing.
        assert library.asking.candidates(5, "zzz qqq", 5) == []
    finally:
        library.close()
