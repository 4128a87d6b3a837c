"""Paging a list: ``paginate`` keeps the page within the list and counts what it is told to,
and the one pager macro links a few pages whatever their number, keeping the filters."""

import re

import pytest
from flask import render_template_string
from sqlalchemy import literal, select

from tests.factories import make_account
from winback_app.accounts.models import Account
from winback_app.pagination import paginate

PAGER = (
    '{% from "_macros/pager.html" import pager %}'
    "{{ pager(pagination, 'accounts.index', args, target=target) }}"
)


def _numbers(n: int):
    """A SELECT of the numbers 1 … n, in order (a recursive CTE: any list length, no table)."""
    numbers = select(literal(1).label("n")).cte("numbers", recursive=True)
    numbers = numbers.union_all(select(numbers.c.n + 1).where(numbers.c.n < n))
    return select(numbers.c.n).where(numbers.c.n <= n).order_by(numbers.c.n)


@pytest.mark.parametrize(
    "asked, shown, first",
    [(1, 1, [1, 2, 3]), (2, 2, [4, 5, 6]), (4, 4, [10]), (5, 4, [10]), (999, 4, [10])]
    + [(0, 1, [1, 2, 3]), (-3, 1, [1, 2, 3])],
)
def test_a_page_past_either_end_shows_the_nearest_real_page(app, asked, shown, first, app_ctx):
    found = paginate(_numbers(10), asked, 3)
    assert (found.page, found.pages, found.total) == (shown, 4, 10)
    assert found.items == first


def test_an_empty_list_is_one_empty_page(app, app_ctx):
    found = paginate(select(Account), 3, 25)
    assert (found.page, found.total, found.items, found.pages) == (1, 0, [], 0)


def test_the_count_given_is_the_one_counted(app, app_ctx):
    for name in ("a", "b", "c"):
        make_account(name=name)
    found = paginate(select(Account).order_by(Account.name), 1, 2, count=_numbers(7))
    assert [account.name for account in found.items] == ["a", "b"]
    assert (found.total, found.pages) == (7, 4)


def _pager(pagination, args=None, target=None) -> str:
    return render_template_string(PAGER, pagination=pagination, args=args or {}, target=target)


def test_thousands_of_pages_show_the_ends_and_a_window(app, app_ctx):
    with app.test_request_context():
        html = _pager(paginate(_numbers(2500), 500, 1), {"kind": "lost_deal"})
    links = re.findall(r'<a class="([^"]+)" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert [text for _, _, text in links] == ["Previous", "1", "498", "499", "501", "502"] + [
        "2500",
        "Next",
    ]
    assert '<span class="page page-number current" aria-current="page">500</span>' in html
    assert html.count('<span class="gap page-number">…</span>') == 2
    assert "Page 500 of 2500" in html
    urls = {text: url for _, url, text in links}
    # Page 1 is the list's own address; the others keep the filters and add the page.
    assert urls["1"] == "/accounts/?kind=lost_deal"
    assert urls["Previous"] == "/accounts/?kind=lost_deal&amp;page=499"
    assert urls["2500"] == "/accounts/?kind=lost_deal&amp;page=2500"
    assert "hx-get" not in html and 'rel="next"' in html


def test_the_first_and_last_pages_have_no_step_beyond_them(app, app_ctx):
    with app.test_request_context():
        first = _pager(paginate(_numbers(5), 1, 1))
        last = _pager(paginate(_numbers(5), 5, 1))
    assert "Previous" not in first and ">2</a>" in first and ">3</a>" in first
    assert ">4</a>" not in first and '<span class="gap page-number">…</span>' in first
    assert "Next" not in last and ">1</a>" in last and ">3</a>" in last
    assert ">2</a>" not in last


def test_a_single_page_has_no_pager(app, app_ctx):
    with app.test_request_context():
        assert _pager(paginate(_numbers(3), 1, 25)).strip() == ""
        assert _pager(paginate(_numbers(0), 1, 25)).strip() == ""


def test_with_a_target_htmx_swaps_it_and_pushes_the_address(app, app_ctx):
    with app.test_request_context():
        html = _pager(paginate(_numbers(3), 2, 1), {"q": "acme"}, target="#account-results")
    assert (
        '<a class="page page-step" href="/accounts/?q=acme&amp;page=3" rel="next" '
        'hx-get="/accounts/?q=acme&amp;page=3" hx-target="#account-results" '
        'hx-swap="outerHTML" hx-push-url="true">Next</a>'
    ) in html
