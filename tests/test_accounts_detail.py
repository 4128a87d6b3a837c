"""The account page: sections edited in place, conflicts, contacts, new accounts, queries."""

from tests.factories import make_account, make_contact, make_reason, make_user
from tests.helpers import PARTIAL, QueryCounter, logged_in_client
from winback_app.accounts.models import Account, Contact
from winback_app.extensions import db

FACTS = {
    "name": "Harbor Logistics",
    "kind": "lost_deal",
    "status": "contacting",
    "owner_id": "",
    "lost_on": "2026-01-15",
    "annual_value_lost": "48,500",
}


def _reload(account):
    db.session.expire_all()
    return db.session.get(Account, account.id)


def test_detail_page_shows_both_views_and_history(member_client, app):
    price, delivery = make_reason("Price", "Too high"), make_reason("Delivery", "Late trucks")
    account = make_account(name="Orion Print", customer=[price], team=[delivery])
    body = member_client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "Orion Print" in body and "Customer&#39;s view" in body and "Team&#39;s view" in body
    assert "Too high" in body and "Late trucks" in body and "Views disagree" in body
    assert "Account added" in body


def test_unknown_account_is_404(member_client, app):
    assert member_client.get("/accounts/999").status_code == 404
    assert member_client.get("/accounts/999/facts/edit").status_code == 404
    assert member_client.post("/accounts/999/facts", data=FACTS).status_code == 404


def test_edit_form_in_place_and_as_a_page(member_client, app):
    account = make_account()
    partial = member_client.get(f"/accounts/{account.id}/facts/edit", headers=PARTIAL)
    fragment = partial.get_data(as_text=True)
    assert "<html" not in fragment and 'id="section-facts"' in fragment and "<form" in fragment
    page = member_client.get(f"/accounts/{account.id}/facts/edit").get_data(as_text=True)
    assert "<html" in page and 'name="lost_on"' in page


def test_saving_a_section_returns_it_and_signals_the_page(member_client, app):
    account = make_account()
    data = dict(FACTS, version=str(account.version))
    response = member_client.post(f"/accounts/{account.id}/facts", data=data, headers=PARTIAL)
    assert response.status_code == 200
    assert "accountChanged" in response.headers["HX-Trigger"]
    assert "Contacting" in response.get_data(as_text=True)
    saved = _reload(account)
    assert saved.name == "Harbor Logistics" and str(saved.annual_value_lost) == "48500.00"
    assert saved.status == "contacting"


def test_saving_without_javascript_redirects(member_client, app):
    account = make_account()
    response = member_client.post(f"/accounts/{account.id}/facts", data=FACTS)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/accounts/{account.id}"


def test_bad_facts_are_422_with_messages_and_input_kept(member_client, app):
    account = make_account(name="Keep Me")
    bad = dict(FACTS, name="", lost_on="2999-01-01", annual_value_lost="-5", likelihood="12")
    response = member_client.post(f"/accounts/{account.id}/facts", data=bad, headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    for message in (
        "This field is required.",
        "cannot be in the future",
        "zero or more",
        "Likelihood runs from 0 to 10.",
    ):
        assert message in body
    assert 'value="2999-01-01"' in body
    assert _reload(account).name == "Keep Me"


def test_bad_contract_values_are_422(member_client, app):
    account = make_account()
    data = {
        "contract_term_months": "300",
        "competitor_price": "lots",
        "contract_start": "31/31/2026",
    }
    response = member_client.post(f"/accounts/{account.id}/contract", data=data, headers=PARTIAL)
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "between 1 and 240" in body and "12,500.00" in body and "Not a valid date" in body


def test_over_long_text_is_refused(member_client, app):
    account = make_account()
    response = member_client.post(
        f"/accounts/{account.id}/summary", data={"sales_history": "x" * 5001}, headers=PARTIAL
    )
    assert response.status_code == 422
    assert _reload(account).sales_history == ""


def test_second_save_from_a_stale_page_is_a_conflict(app, app_ctx):
    alice, bob = make_user(name="Alice Able"), make_user(name="Bob Baker")
    account = make_account(status="new")
    stale = str(account.version)
    first = logged_in_client(app, alice).post(
        f"/accounts/{account.id}/facts",
        data=dict(FACTS, status="discovery", version=stale),
        headers=PARTIAL,
    )
    assert first.status_code == 200
    second = logged_in_client(app, bob).post(
        f"/accounts/{account.id}/facts",
        data=dict(FACTS, status="nurture", version=stale),
        headers=PARTIAL,
    )
    body = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Someone else changed this while you were editing" in body
    assert "Alice Able" in body and "Discovery" in body
    assert '<option selected value="nurture">' in body or 'value="nurture" selected' in body
    assert _reload(account).status == "discovery"
    # Bob has seen the change; saving again now replaces it deliberately.
    version = db.session.get(Account, account.id).version
    third = logged_in_client(app, bob).post(
        f"/accounts/{account.id}/facts",
        data=dict(FACTS, status="nurture", version=str(version)),
        headers=PARTIAL,
    )
    assert third.status_code == 200 and _reload(account).status == "nurture"


def test_views_are_saved_with_a_primary(member_client, app):
    price, delivery = make_reason("Price", "Too high"), make_reason("Delivery", "Late")
    account = make_account()
    url = f"/accounts/{account.id}/customer_view"
    data = {"reasons": [str(price.id), str(delivery.id)], "primary": "", "words": "Too dear."}
    missing = member_client.post(url, data=data, headers=PARTIAL)
    assert missing.status_code == 422
    assert "Choose which reason is the primary one." in missing.get_data(as_text=True)
    data["primary"] = str(delivery.id)
    saved = member_client.post(url, data=data, headers=PARTIAL)
    assert saved.status_code == 200
    account = _reload(account)
    assert account.customer_primary_id == delivery.id and account.customer_words == "Too dear."
    forged = member_client.post(url, data={"reasons": ["99999"], "primary": ""}, headers=PARTIAL)
    assert forged.status_code == 422


def test_viewer_sees_no_edit_buttons_and_cannot_save(viewer_client, app):
    account = make_account()
    body = viewer_client.get(f"/accounts/{account.id}").get_data(as_text=True)
    assert "/facts/edit" not in body and "Add a contact" not in body
    assert viewer_client.post(f"/accounts/{account.id}/facts", data=FACTS).status_code == 403


def test_contacts_are_added_edited_and_removed_in_place(member_client, app):
    account = make_account()
    url = f"/accounts/{account.id}/contacts"
    added = member_client.post(
        url,
        data={"name": "Ann Lee", "email": "ann@harbor.example", "preferred_channel": "phone"},
        headers=PARTIAL,
    )
    assert added.status_code == 200 and "ann@harbor.example" in added.get_data(as_text=True)
    contact = db.session.query(Contact).filter_by(account_id=account.id).one()
    edit = member_client.get(f"{url}/{contact.id}/edit", headers=PARTIAL)
    assert 'value="Ann Lee"' in edit.get_data(as_text=True)
    bad = member_client.post(
        f"{url}/{contact.id}", data={"name": "Ann Lee", "email": "ann@"}, headers=PARTIAL
    )
    assert bad.status_code == 422 and "something after the @-sign" in bad.get_data(as_text=True)
    member_client.post(
        f"{url}/{contact.id}",
        data={"name": "Ann Lee-Smith", "preferred_channel": "email"},
        headers=PARTIAL,
    )
    db.session.expire_all()
    assert db.session.get(Contact, contact.id).name == "Ann Lee-Smith"
    removed = member_client.post(f"{url}/{contact.id}/delete", headers=PARTIAL)
    assert "No contacts yet" in removed.get_data(as_text=True)
    other = make_account()
    stranger = make_contact(other)
    assert member_client.post(f"{url}/{stranger.id}/delete").status_code == 404


def test_new_account(member_client, member, app):
    page = member_client.get("/accounts/new").get_data(as_text=True)
    assert f'<option selected value="{member.id}">' in page
    bad = member_client.post("/accounts/new", data={"name": "", "kind": "lost_deal"})
    assert bad.status_code == 422
    data = {
        "name": "Tidewater Hotels",
        "kind": "lost_deal",
        "status": "new",
        "owner_id": str(member.id),
        "competitor_id": "",
        "annual_value_lost": "€ 12,000",
    }
    response = member_client.post("/accounts/new", data=data)
    account = db.session.query(Account).filter_by(name="Tidewater Hotels").one()
    assert response.headers["Location"] == f"/accounts/{account.id}"
    assert account.owner_id == member.id and str(account.annual_value_lost) == "12000.00"


def test_detail_page_query_count_does_not_grow(member_client, app):
    price = make_reason("Price", "Too high")

    def count(account):
        url = f"/accounts/{account.id}"
        db.session.expire_all()
        with QueryCounter(db.engine) as counter:
            assert member_client.get(url).status_code == 200
        return counter.count

    small = make_account(customer=[price], team=[price])
    make_contact(small)
    big = make_account(customer=[price], team=[price])
    for _ in range(10):
        make_contact(big)
    assert count(small) == count(big)
    assert count(big) <= 12


def test_every_declared_region_is_on_the_page_once(app, member_client):
    from winback_app.accounts import panels

    account = make_account()
    html = member_client.get(f"/accounts/{account.id}").get_data(as_text=True)
    for region in panels.declared().values():
        assert html.count(f'id="{region.element_id}"') == 1, region.name


def test_a_save_sends_every_region_that_shows_what_changed(app, member_client):
    account = make_account(name="Harbor")
    response = member_client.post(
        f"/accounts/{account.id}/contract",
        data={
            "competitor_id": "",
            "contract_term_months": "36",
            "contract_start": "2026-01-05",
            "version": account.version,
        },
        headers=PARTIAL,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="section-contract"')
    # The contract moves the call-backs (outreach panel), the header and the history.
    for target in ("outreach", "account-header", "account-history"):
        assert f'<hx-partial hx-target="#{target}" hx-swap="outerMorph">' in html
    for untouched in ("contacts", "section-summary", "incentives"):
        assert f'hx-target="#{untouched}"' not in html.split("</section>", 1)[1]
    edited = member_client.post(
        f"/accounts/{account.id}/summary",
        data={"sales_history": "x", "version": account.version + 1},
        headers={**PARTIAL, "X-Editing-Regions": "facts,contract"},
    ).get_data(as_text=True)
    assert 'hx-target="#account-history"' in edited and 'hx-target="#section-facts"' not in edited


def test_a_contact_on_a_reserved_domain_is_refused_with_the_reason(app, member_client):
    account = make_account()
    response = member_client.post(
        f"/accounts/{account.id}/contacts",
        data={"name": "Ann Lee", "email": "ann@harbor.test", "preferred_channel": "either"},
        headers=PARTIAL,
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "“harbor.test” is a reserved name" in page and 'value="ann@harbor.test"' in page
