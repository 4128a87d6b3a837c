"""The one way ordered lists move an item: reasons, competitors, guide and survey questions and
plan solutions all renumber their positions through winback_app.ordering."""

from types import SimpleNamespace

import pytest

from tests.factories import make_plan
from winback_app import ordering
from winback_app.extensions import db
from winback_app.plans import services as plans
from winback_app.plans.models import Plan


def _items(*names, positions=None):
    positions = positions or range(len(names))
    return [SimpleNamespace(name=n, position=p) for n, p in zip(names, positions, strict=True)]


def _state(items):
    return [(i.name, i.position) for i in sorted(items, key=lambda i: i.position)]


@pytest.mark.parametrize(
    ("name", "step", "expected"),
    [
        ("c", -1, ["a", "c", "b", "d"]),
        ("a", 1, ["b", "a", "c", "d"]),
        ("a", 3, ["b", "c", "d", "a"]),
        ("d", -2, ["a", "d", "b", "c"]),
    ],
)
def test_an_item_moves_and_the_others_close_up(name, step, expected):
    items = _items("a", "b", "c", "d")
    order = ordering.moved(items, next(i for i in items if i.name == name), step)
    assert [i.name for i in order] == expected
    assert [i.position for i in items] == [0, 1, 2, 3]  # moved() only orders, it never writes


@pytest.mark.parametrize(("index", "step"), [(0, -1), (3, 1), (1, 5), (2, 0)])
def test_nothing_moves_past_either_end_or_by_zero(index, step):
    items = _items("a", "b", "c", "d", positions=[0, 4, 4, 9])
    assert ordering.moved(items, items[index], step) is None
    assert ordering.move(items, items[index], step) is False
    assert [i.position for i in items] == [0, 4, 4, 9]


def test_a_move_renumbers_gaps_and_duplicates_away():
    items = _items("a", "b", "c", "d", positions=[0, 4, 4, 9])
    assert ordering.move(items, items[3], -1) is True
    assert _state(items) == [("a", 0), ("b", 1), ("d", 2), ("c", 3)]


def test_renumber_counts_from_zero_in_the_order_given():
    items = _items("a", "b", "c", positions=[7, 3, 5])
    ordering.renumber(reversed(items))
    assert _state(items) == [("c", 0), ("b", 1), ("a", 2)]


def test_plan_solutions_move_up_and_down_and_not_past_the_ends(app, app_ctx):
    plan = make_plan()

    def texts():
        db.session.expire_all()
        return [s.text for s in db.session.get(Plan, plan.id).solutions]

    first, second, third = texts()
    solutions = db.session.get(Plan, plan.id).solutions
    plans.move_solution(plan, solutions[2], -1)
    assert texts() == [first, third, second]
    plan = db.session.get(Plan, plan.id)
    plans.move_solution(plan, plan.solutions[0], -1)
    plans.move_solution(plan, plan.solutions[2], 1)
    assert texts() == [first, third, second]
    assert [s.position for s in db.session.get(Plan, plan.id).solutions] == [0, 1, 2]
