"""Lists the team puts in order (loss reasons, competitors, guide and survey questions, plan
solutions): moving one item up or down, and numbering the ``position`` column that keeps the
order.

Positions are renumbered 0, 1, 2 … after every move rather than swapped in place, so gaps and
duplicates left by deletions or by two people adding at once disappear with the next move.
"""

from collections.abc import Iterable, Sequence


def moved(items: Sequence, item, step: int) -> list | None:
    """``items`` in their new order with ``item`` moved ``step`` places (negative: up, towards
    the start); None when nothing would move: a zero step, or one past either end."""
    order = list(items)
    index = order.index(item)
    target = index + step
    if step == 0 or not 0 <= target < len(order):
        return None
    order.insert(target, order.pop(index))
    return order


def renumber(items: Iterable) -> None:
    """Set each item's ``position`` to its place in ``items``, counting from 0."""
    for position, item in enumerate(items):
        item.position = position


def move(items: Sequence, item, step: int) -> bool:
    """Move ``item`` ``step`` places within ``items`` (listed in their current order) and
    renumber them all; False, with nothing changed, when it would go past either end."""
    order = moved(items, item, step)
    if order is None:
        return False
    renumber(order)
    return True
