"""Dates and times for generated records: working hours, never in the future.

Generated data stops at midnight UTC at the start of today, so that one seed gives the same
data all day long, whatever the time of the run.
"""

from datetime import UTC, date, datetime, timedelta

WORKDAY_START, WORKDAY = 8 * 3600, 10 * 3600
ONE_DAY = timedelta(days=1)


def start_of(day: date) -> datetime:
    """Midnight UTC at the start of ``day``."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def at_work(rng, day: date, now: datetime) -> datetime:
    """A moment in working hours on ``day``; one after ``now`` (the start of today) moves to
    the day before, which is as late as any account was lost.

    The random draw is the same either way, so the data depends only on the seed and the day.
    """
    moment = start_of(day) + timedelta(seconds=WORKDAY_START + int(rng.random() * WORKDAY))
    while moment > now:
        moment -= ONE_DAY
    return moment


def day_between(rng, first: date, last: date) -> date:
    """A random day from ``first`` to ``last`` inclusive (``first`` when they cross)."""
    span = (last - first).days
    return first if span <= 0 else first + timedelta(days=rng.randrange(span + 1))
