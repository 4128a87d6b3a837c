"""Splitting totals among records: exact shares, weighted allocations, guaranteed minimums."""

import math
from itertools import accumulate


def cumulative(weights) -> list[float]:
    """Running totals of ``weights``, as ``random.choices(cum_weights=…)`` takes them."""
    return list(accumulate(weights))


def exact_shares(rng, shares: dict, n: int) -> list:
    """``n`` values in the given shares exactly (rounding goes to the first value), shuffled."""
    values = [value for value, share in shares.items() for _ in range(round(share * n))]
    first = next(iter(shares))
    values = (values + [first] * n)[:n]
    rng.shuffle(values)
    return values


def allocate(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split ``total`` into whole parts in proportion to ``weights``, each at least
    ``minimum``; the parts add up to ``total`` exactly (when it covers the minimums)."""
    if not weights:
        return []
    spare = max(0, total - minimum * len(weights))
    whole = sum(weights) or 1
    exact = [spare * weight / whole for weight in weights]
    parts = [minimum + math.floor(share) for share in exact]
    left = spare - sum(part - minimum for part in parts)
    by_remainder = sorted(range(len(exact)), key=lambda i: exact[i] - math.floor(exact[i]))
    for index in by_remainder[len(by_remainder) - left :] if left else ():
        parts[index] += 1
    return parts


def ensure_at_least(records: list, attribute: str, index: int, minimum: int) -> None:
    """Give ``records[index]`` at least ``minimum`` of ``attribute``, taken from the record
    that has the most, so the total stays the same."""
    record = records[index]
    missing = minimum - getattr(record, attribute)
    if missing <= 0:
        return
    donor = max(records, key=lambda other: getattr(other, attribute))
    setattr(record, attribute, minimum)
    if donor is not record:
        setattr(donor, attribute, max(0, getattr(donor, attribute) - missing))
