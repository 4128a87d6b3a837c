"""The admin pages for loss reasons, competitors and the team settings."""

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from tests.factories import make_account, make_competitor, make_reason
from tests.helpers import PARTIAL
from winback_app.accounts.models import Competitor, LossReason, ReasonCategory, TaxonomyChange
from winback_app.accounts.taxonomy import defaults
from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.core.settings import services as team_settings
from winback_app.extensions import db


def _text(response) -> str:
    return response.get_data(as_text=True)


@contextmanager
def _counting_queries():
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


# Pages and permissions


def test_a_new_team_sees_the_default_taxonomy(admin_client):
    response = admin_client.get("/admin/reasons/")
    assert response.status_code == 200
    page = _text(response)
    for category in defaults.DEFAULT_REASONS:
        assert f">{category.replace(chr(39), '&#39;')}" in page
    assert 'aria-current="page">Loss reasons</a>' in page
    assert 'aria-current="page">Admin</a>' in page


def test_each_reason_shows_how_many_accounts_use_it(admin_client):
    used = make_reason("Price", "Too expensive")
    make_reason("Price", "Discount ended")
    make_account(customer=[used], team=[used])
    make_account(team=[used])
    page = _text(admin_client.get("/admin/reasons/"))
    row = re.search(rf'<tr id="reasons-{used.id}".*?</tr>', page, re.S).group(0)
    assert "2 accounts" in row
    assert "Delete" not in row
    assert "Not used" in page


def _queries(client, path) -> list[str]:
    with _counting_queries() as statements:
        assert client.get(path).status_code == 200
    return statements


def test_the_list_pages_run_the_same_queries_whatever_the_data(admin_client):
    reason = make_reason("Price", "Too expensive")
    make_account(customer=[reason], competitor_id=make_competitor().id)
    admin_client.get("/admin/reasons/")
    few = {
        path: _queries(admin_client, path) for path in ("/admin/reasons/", "/admin/competitors/")
    }
    for n in range(8):
        extra = make_reason(f"Category {n}", f"Reason {n}")
        make_account(customer=[extra], team=[reason], competitor_id=make_competitor().id)
        taxonomy.rename(extra, f"Renamed {n}")
    for path, before in few.items():
        after = _queries(admin_client, path)
        assert len(after) == len(before), "\n\n".join(after)


@pytest.mark.parametrize("path", ["/admin/reasons/", "/admin/competitors/", "/admin/settings/"])
def test_members_and_viewers_may_not_open_the_admin_pages(member_client, viewer_client, path):
    assert member_client.get(path).status_code == 403
    assert viewer_client.get(path).status_code == 403


def test_members_may_not_change_the_lists(member_client):
    reason = make_reason("Price", "Too expensive")
    assert member_client.post("/admin/reasons/", data={"name": "Timing"}).status_code == 403
    rename = member_client.post(f"/admin/reasons/{reason.id}/rename", data={"name": "X"})
    assert rename.status_code == 403
    assert member_client.post(f"/admin/reasons/{reason.id}/delete").status_code == 403
    assert member_client.post("/admin/settings/", data={"currency": "USD"}).status_code == 403
    assert db.session.get(LossReason, reason.id).name == "Too expensive"


def test_the_admin_area_has_its_own_navigation(admin_client):
    users = _text(admin_client.get("/admin/users/"))
    assert 'aria-current="page">Users</a>' in users
    assert 'href="/admin/competitors/"' in users
    settings = _text(admin_client.get("/admin/settings/"))
    assert 'aria-current="page">Settings</a>' in settings


# Adding


def test_adding_a_category_returns_the_panel(admin_client):
    defaults.ensure_defaults()
    response = admin_client.post("/admin/reasons/", data={"name": "Timing"}, headers=PARTIAL)
    assert response.status_code == 201
    page = _text(response)
    assert page.lstrip().startswith('<div id="reasons-panel"')
    assert "Added “Timing” at the end of the list." in page
    assert taxonomy.categories()[-1].name == "Timing"


def test_adding_without_javascript_redirects_with_a_message(admin_client):
    response = admin_client.post("/admin/competitors/", data={"name": "Orbis"})
    assert response.status_code == 303
    competitor = db.session.scalar(select(Competitor).where(Competitor.name == "Orbis"))
    assert response.headers["Location"].endswith(f"/admin/competitors/#competitors-{competitor.id}")
    assert "Added “Orbis”." in _text(admin_client.get("/admin/competitors/"))


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Enter a name."), ("x" * 121, "Use at most 120 characters."), ("PRICE", "already")],
)
def test_a_bad_category_name_is_422_with_the_typing_kept(admin_client, name, message):
    make_reason("Price", "Too expensive")
    response = admin_client.post("/admin/reasons/", data={"name": name}, headers=PARTIAL)
    assert response.status_code == 422
    page = _text(response)
    assert message in page
    assert f'value="{name}"' in page if name else 'aria-invalid="true"' in page
    assert len(taxonomy.categories()) == 1


def test_a_duplicate_competitor_without_javascript_is_a_whole_page_422(admin_client):
    make_competitor("Northpeak")
    response = admin_client.post("/admin/competitors/", data={"name": "northpeak"})
    assert response.status_code == 422
    page = _text(response)
    assert "<html" in page and "There is already a competitor with this name." in page
    assert 'value="northpeak"' in page


def _add_reason(client, name: str):
    """Post a new reason to a "Price" category that has "Too expensive"; returns both."""
    category = make_reason("Price", "Too expensive").category
    url = f"/admin/categories/{category.id}/reasons"
    return category, client.post(url, data={"name": name}, headers=PARTIAL)


def test_adding_a_reason_returns_its_category(admin_client):
    category, response = _add_reason(admin_client, "Discount ended")
    assert response.status_code == 201
    page = _text(response)
    assert page.lstrip().startswith(f'<section id="categories-{category.id}"')
    assert "Discount ended" in page
    assert response.headers["HX-Trigger"].startswith('{"taxonomyChanged"')


def test_a_duplicate_reason_is_refused_beside_the_add_field(admin_client):
    category, response = _add_reason(admin_client, "too EXPENSIVE")
    assert response.status_code == 422
    page = _text(response)
    assert f'id="categories-{category.id}-new-reason-error"' in page
    assert "This category already has a reason with this name." in page
    assert 'value="too EXPENSIVE"' in page


def test_adding_to_an_unknown_category_is_404(admin_client):
    assert admin_client.post("/admin/categories/999/reasons", data={"name": "X"}).status_code == 404


# Renaming


def test_rename_shows_a_name_field_in_place(admin_client):
    reason = make_reason("Price", "Too expensive")
    response = admin_client.get(f"/admin/reasons/{reason.id}/rename", headers=PARTIAL)
    assert response.status_code == 200
    row = _text(response)
    assert row.lstrip().startswith(f'<tr id="reasons-{reason.id}"')
    assert 'name="name" value="Too expensive"' in row and "<html" not in row


def test_rename_without_javascript_is_a_page_with_the_field(admin_client):
    reason = make_reason("Price", "Too expensive")
    page = _text(admin_client.get(f"/admin/reasons/{reason.id}/rename"))
    assert "<html" in page
    assert f'id="reasons-{reason.id}-new-name"' in page


def test_renaming_returns_the_row_and_relabels_accounts(admin_client):
    reason = make_reason("Price", "Too expensive")
    account = make_account(customer=[reason])
    response = admin_client.post(
        f"/admin/reasons/{reason.id}/rename", data={"name": "Above budget"}, headers=PARTIAL
    )
    assert response.status_code == 200
    row = _text(response)
    assert row.lstrip().startswith(f'<tr id="reasons-{reason.id}"')
    assert "Above budget" in row and 'name="name"' not in row
    assert "taxonomyChanged" in response.headers["HX-Trigger"]
    db.session.expire_all()
    assert account.customer_primary.name == "Above budget"
    change = db.session.scalar(select(TaxonomyChange).where(TaxonomyChange.change == "renamed"))
    assert (change.old_value, change.user.name) == ("Too expensive", "Ada Admin")


def test_renaming_without_javascript_redirects_back_to_the_entry(admin_client):
    category = make_reason("Price", "Too expensive").category
    response = admin_client.post(
        f"/admin/categories/{category.id}/rename", data={"name": "Pricing"}
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#categories-{category.id}")
    page = _text(admin_client.get(response.headers["Location"]))
    assert "Renamed “Price” to “Pricing”." in page


def test_a_rename_to_a_taken_name_is_422_in_place(admin_client):
    make_competitor("Northpeak")
    other = make_competitor("Orbis")
    response = admin_client.post(
        f"/admin/competitors/{other.id}/rename", data={"name": "NORTHPEAK"}, headers=PARTIAL
    )
    assert response.status_code == 422
    row = _text(response)
    assert row.lstrip().startswith(f'<tr id="competitors-{other.id}"')
    assert "There is already a competitor with this name." in row
    assert 'value="NORTHPEAK"' in row and 'aria-invalid="true"' in row
    assert db.session.get(Competitor, other.id).name == "Orbis"


def test_the_recent_changes_panel_shows_who_renamed_what(admin_client):
    category = make_reason("Price", "Too expensive").category
    admin_client.post(f"/admin/categories/{category.id}/rename", data={"name": "Pricing"})
    panel = admin_client.get("/admin/reasons/changes", headers=PARTIAL)
    assert panel.status_code == 200
    text = re.sub(r"<[^>]+>", "", _text(panel))
    assert "Renamed category Price → Pricing" in text
    assert "Ada Admin" in text


@pytest.mark.parametrize(
    "path",
    [
        "/admin/reasons/999/rename",
        "/admin/categories/999/rename",
        "/admin/competitors/999/rename",
        "/admin/widgets/1/rename",
        "/admin/widgets/changes",
    ],
)
def test_unknown_entries_are_404(admin_client, path):
    assert admin_client.get(path).status_code == 404
    partial = admin_client.get(path, headers=PARTIAL)
    assert partial.status_code == 404 and "<html" not in _text(partial)


# Moving, retiring, deleting


def test_moving_a_reason_returns_its_category_in_the_new_order(admin_client):
    first = make_reason("Price", "First")
    second = make_reason("Price", "Second")
    response = admin_client.post(
        f"/admin/reasons/{second.id}/move", data={"direction": "up"}, headers=PARTIAL
    )
    assert response.status_code == 200
    section = _text(response)
    assert section.lstrip().startswith(f'<section id="categories-{first.category_id}"')
    assert section.index(f'id="reasons-{second.id}"') < section.index(f'id="reasons-{first.id}"')


def test_moving_a_category_without_javascript_redirects_back(admin_client):
    make_reason("Price", "Too expensive")
    service = make_reason("Service", "Slow replies").category
    response = admin_client.post(f"/admin/categories/{service.id}/move", data={"direction": "up"})
    assert response.status_code == 303
    assert [c.name for c in taxonomy.categories()] == ["Service", "Price"]
    assert "Moved “Service” up." in _text(admin_client.get("/admin/reasons/"))


def test_a_move_needs_a_direction(admin_client):
    competitor = make_competitor("Northpeak")
    bad = admin_client.post(f"/admin/competitors/{competitor.id}/move", data={"direction": "left"})
    assert bad.status_code == 400


def test_retiring_a_category_moves_it_to_the_retired_section(admin_client):
    make_reason("Price", "Too expensive")
    legacy = make_reason("Legacy", "Old product line").category
    response = admin_client.post(
        f"/admin/categories/{legacy.id}/retired", data={"retired": "yes"}, headers=PARTIAL
    )
    assert response.status_code == 200
    page = _text(response)
    assert page.lstrip().startswith('<div id="reasons-list"')
    assert page.index("Retired categories") < page.index(f'id="categories-{legacy.id}"')
    assert "Restore<span" in page
    db.session.expire_all()
    assert db.session.get(ReasonCategory, legacy.id).retired


def test_restoring_a_competitor(admin_client):
    competitor = make_competitor("Northpeak")
    taxonomy.set_retired(competitor, True)
    response = admin_client.post(
        f"/admin/competitors/{competitor.id}/retired", data={"retired": "no"}, headers=PARTIAL
    )
    assert response.status_code == 200
    assert 'id="competitors-list"' in _text(response)
    db.session.expire_all()
    assert not db.session.get(Competitor, competitor.id).retired


def test_deleting_an_unused_reason_returns_its_category_without_it(admin_client):
    kept = make_reason("Price", "Too expensive")
    unused_id = make_reason("Price", "Typo").id
    response = admin_client.post(f"/admin/reasons/{unused_id}/delete", headers=PARTIAL)
    assert response.status_code == 200
    section = _text(response)
    assert f'id="reasons-{kept.id}"' in section and "Typo" not in section
    db.session.expire_all()
    assert db.session.get(LossReason, unused_id) is None


def test_a_reason_in_use_cannot_be_deleted_and_says_why_in_place(admin_client):
    reason = make_reason("Price", "Too expensive")
    make_account(team=[reason])
    response = admin_client.post(f"/admin/reasons/{reason.id}/delete", headers=PARTIAL)
    assert response.status_code == 422
    section = _text(response)
    row = re.search(rf'<tr id="reasons-{reason.id}".*?</tr>', section, re.S).group(0)
    assert "Accounts use this reason, so it can only be retired." in row
    assert db.session.get(LossReason, reason.id) is not None


def test_a_refused_delete_without_javascript_is_a_whole_page_422(admin_client):
    competitor = make_competitor("Northpeak")
    make_account(competitor_id=competitor.id)
    response = admin_client.post(f"/admin/competitors/{competitor.id}/delete")
    assert response.status_code == 422
    page = _text(response)
    assert "<html" in page and "Accounts use this competitor, so it can only be retired." in page


def test_deleting_a_category_without_javascript_redirects_to_the_list(admin_client):
    category = taxonomy.add_category("Empty")
    response = admin_client.post(f"/admin/categories/{category.id}/delete")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/admin/reasons/")
    assert "Deleted “Empty”." in _text(admin_client.get("/admin/reasons/"))


# Settings


def test_settings_show_the_team_currency(admin_client):
    response = admin_client.get("/admin/settings/")
    assert response.status_code == 200
    assert '<option selected value="EUR">EUR (€)</option>' in _text(response)


TIMING = {
    "callback_start_percent": "50",
    "callback_interval_months": "6",
    "nurture_interval_months": "6",
    "donation_amount": "25",
}


def test_changing_the_currency_without_javascript_redirects_with_a_message(admin_client):
    response = admin_client.post("/admin/settings/", data={"currency": "GBP", **TIMING})
    assert response.status_code == 303
    page = _text(admin_client.get("/admin/settings/"))
    assert "Settings saved." in page
    assert '<option selected value="GBP">' in page


def test_changing_the_currency_with_htmx_returns_the_panel(admin_client):
    response = admin_client.post(
        "/admin/settings/", data={"currency": "USD", **TIMING}, headers=PARTIAL
    )
    assert response.status_code == 200
    page = _text(response)
    assert page.lstrip().startswith('<section id="settings-panel"')
    assert "Settings saved." in page
    db.session.expire_all()
    assert team_settings.get().currency == "USD"


def test_an_unknown_currency_is_422(admin_client):
    response = admin_client.post(
        "/admin/settings/", data={"currency": "XYZ", **TIMING}, headers=PARTIAL
    )
    assert response.status_code == 422
    assert "Choose one of the listed currencies." in _text(response)


def test_callback_timing_is_a_setting_with_limits(admin_client):
    bad = admin_client.post(
        "/admin/settings/",
        data={"currency": "EUR", **TIMING, "callback_interval_months": "0"},
        headers=PARTIAL,
    )
    assert bad.status_code == 422 and "Repeat every 1 to 24 months." in _text(bad)
    empty = admin_client.post(
        "/admin/settings/",
        data={"currency": "EUR", **TIMING, "callback_start_percent": ""},
        headers=PARTIAL,
    )
    assert empty.status_code == 422 and "Enter a number." in _text(empty)
    ok = admin_client.post(
        "/admin/settings/",
        data={
            "currency": "EUR",
            **TIMING,
            "callback_start_percent": "25",
            "callback_interval_months": "3",
        },
        headers=PARTIAL,
    )
    assert ok.status_code == 200
    db.session.expire_all()
    settings = db.session.query(team_settings.TeamSettings).one()
    assert (settings.callback_start_percent, settings.callback_interval_months) == (25, 3)
