"""The accounts search index stays in step with names and contacts as they change."""

from werkzeug.datastructures import MultiDict

from tests.factories import make_account, make_competitor, make_contact
from winback_app.accounts import search, services
from winback_app.accounts.forms import AccountFilterForm
from winback_app.extensions import db


def _names(term):
    filters = AccountFilterForm(MultiDict({"q": term})).filters()
    return sorted(a.name for a in search.page(filters, per_page=100).items)


def test_a_renamed_account_is_found_by_its_new_name_only(app_ctx):
    account = make_account(name="Harbor Logistics")
    services.update_section(account, "facts", {"name": "Quayside Freight"}, None, None)
    assert _names("quayside") == ["Quayside Freight"]
    assert _names("harbor") == []


def test_contacts_added_changed_and_removed_are_searchable_at_once(app_ctx):
    account = make_account(name="Orion Print")
    contact = make_contact(account, name="Priya Natarajan", email="priya@orion.example")
    assert _names("natarajan") == ["Orion Print"]
    contact.email = "p.n@stellar.example"
    db.session.commit()
    assert _names("stellar") == ["Orion Print"]
    assert _names("priya@orion") == []
    db.session.delete(contact)
    db.session.commit()
    assert _names("natarajan") == []


def test_a_deleted_account_leaves_the_search(app_ctx):
    account = make_account(name="Gone Bakery")
    make_contact(account, name="Ada Baker")
    db.session.delete(account)
    db.session.commit()
    assert _names("bakery") == []
    assert _names("ada baker") == []


def test_short_terms_quotes_and_wildcards_match_literally(app_ctx):
    make_account(name="AB Foods")
    make_account(name='The "Quoted" Co')
    make_account(name="50% Off Ltd")
    make_account(name="5000 Offices")
    assert _names("ab") == ["AB Foods"]
    assert _names('"quoted"') == ['The "Quoted" Co']
    assert _names("0% of") == ["50% Off Ltd"]
    assert _names("%") == ["50% Off Ltd"]


def test_search_combines_with_the_competitor_and_other_filters(app_ctx):
    rival = make_competitor("Acme Rival")
    make_account(name="Blue Acme", status="new")
    make_account(name="Red Co", competitor_id=rival.id, status="contacting")
    make_account(name="Green Co", status="contacting")
    assert _names("acme") == ["Blue Acme", "Red Co"]
    filters = AccountFilterForm(MultiDict({"q": "acme", "status": "contacting"})).filters()
    assert [a.name for a in search.page(filters).items] == ["Red Co"]
