"""The loss-reason taxonomy, the competitor list and the team settings, without HTTP."""

import pytest
from sqlalchemy import func, select

from tests.factories import make_account, make_competitor, make_reason, make_user
from winback_app.accounts.models import Competitor, LossReason, ReasonCategory, TaxonomyChange
from winback_app.accounts.taxonomy import defaults
from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.core.settings import services as team_settings
from winback_app.core.settings.models import TeamSettings
from winback_app.extensions import db
from winback_app.rules import RuleViolation


def _count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def _names(items) -> list[str]:
    return [item.name for item in items]


def _log() -> list[tuple]:
    changes = db.session.scalars(select(TaxonomyChange).order_by(TaxonomyChange.id))
    return [(c.subject, c.change, c.old_value, c.new_value) for c in changes]


def test_defaults_are_created_once(app_ctx):
    defaults.ensure_defaults()
    defaults.ensure_defaults()
    assert _names(taxonomy.categories()) == list(defaults.DEFAULT_REASONS)
    expected = sum(len(names) for names in defaults.DEFAULT_REASONS.values())
    assert _count(LossReason) == expected
    assert _names(taxonomy.competitors()) == defaults.DEFAULT_COMPETITORS
    price = taxonomy.categories()[0]
    assert _names(price.reasons) == defaults.DEFAULT_REASONS["Price"]


def test_defaults_do_not_come_back_once_the_team_deleted_them(app_ctx):
    defaults.ensure_defaults()
    for competitor in taxonomy.competitors():
        taxonomy.delete(competitor)
    defaults.ensure_defaults()
    assert taxonomy.competitors() == []
    assert _count(ReasonCategory) == len(defaults.DEFAULT_REASONS)


def test_a_team_with_its_own_list_gets_no_defaults_added(app_ctx):
    make_reason("Timing", "Bad timing")
    defaults.ensure_defaults()
    assert _names(taxonomy.categories()) == ["Timing"]
    assert _names(taxonomy.competitors()) == defaults.DEFAULT_COMPETITORS


def test_new_entries_go_to_the_end_and_are_logged(app, admin):
    first = taxonomy.add_category("Timing", admin)
    second = taxonomy.add_category("Contract terms", admin)
    assert (first.position, second.position) == (0, 1)
    late = taxonomy.add_reason(first, "Bought before we called", admin)
    later = taxonomy.add_reason(first, "Fiscal year ended", admin)
    assert (late.position, later.position) == (0, 1)
    assert _names(taxonomy.categories()[0].reasons) == [
        "Bought before we called",
        "Fiscal year ended",
    ]
    assert _log()[:3] == [
        ("category", "added", "", "Timing"),
        ("category", "added", "", "Contract terms"),
        ("reason", "added", "", "Timing › Bought before we called"),
    ]
    assert db.session.scalars(select(TaxonomyChange)).first().user == admin


def test_names_are_tidied_and_must_be_given_and_short(app_ctx):
    category = taxonomy.add_category("  Contract   terms ")
    assert category.name == "Contract terms"
    with pytest.raises(RuleViolation, match="Enter a name."):
        taxonomy.add_reason(category, "   ")
    with pytest.raises(RuleViolation, match="at most 120"):
        taxonomy.add_competitor("x" * 121)
    assert taxonomy.add_competitor("x" * 120).name == "x" * 120


def test_duplicate_names_are_refused_whatever_the_case(app_ctx):
    price = make_reason("Price", "Too expensive").category
    service = make_reason("Service", "Slow replies").category
    make_competitor("Northpeak")
    with pytest.raises(RuleViolation, match="already a category"):
        taxonomy.add_category("PRICE")
    with pytest.raises(RuleViolation, match="already has a reason"):
        taxonomy.add_reason(price, "too expensive")
    with pytest.raises(RuleViolation, match="already a competitor"):
        taxonomy.add_competitor("northpeak")
    with pytest.raises(RuleViolation, match="already a category") as refused:
        taxonomy.rename(service, "price")
    assert refused.value.field == "name"
    # The same reason name in another category is a different reason.
    assert taxonomy.add_reason(service, "Too expensive").category == service
    assert _count(ReasonCategory) == 2


def test_renaming_keeps_the_id_so_accounts_show_the_new_label(app, admin):
    reason = make_reason("Price", "Too expensive")
    account = make_account(customer=[reason])
    reason_id = reason.id
    taxonomy.rename(reason, "Price above budget", admin)
    taxonomy.rename(reason.category, "Pricing", admin)
    db.session.expire_all()
    assert account.customer_primary_id == reason_id
    assert account.customer_primary.label == "Pricing › Price above budget"
    assert [r.reason.name for r in account.reasons_for("customer")] == ["Price above budget"]
    assert ("reason", "renamed", "Too expensive", "Price above budget") in _log()
    assert ("category", "renamed", "Price", "Pricing") in _log()
    # The account's history was written with the names of the time and keeps them.
    history = [change.new_value for change in account.history]
    assert any("Price › Too expensive" in value for value in history)


def test_renaming_to_the_same_name_records_nothing_but_a_new_letter_case_is_a_rename(app_ctx):
    competitor = make_competitor("Northpeak")
    before = len(_log())
    taxonomy.rename(competitor, " Northpeak ")
    assert len(_log()) == before
    taxonomy.rename(competitor, "NorthPeak")
    assert competitor.name == "NorthPeak"
    assert _log()[-1] == ("competitor", "renamed", "Northpeak", "NorthPeak")


def test_moving_up_and_down_and_not_past_the_ends(app_ctx):
    first, second, third = (make_competitor(name) for name in ("Alpha", "Bravo", "Charlie"))
    taxonomy.move(third, -1)
    assert _names(taxonomy.competitors()) == ["Alpha", "Charlie", "Bravo"]
    taxonomy.move(first, 1)
    assert _names(taxonomy.competitors()) == ["Charlie", "Alpha", "Bravo"]
    moves = len(_log())
    taxonomy.move(third, -1)
    taxonomy.move(second, 1)
    assert _names(taxonomy.competitors()) == ["Charlie", "Alpha", "Bravo"]
    assert len(_log()) == moves
    assert _log()[-1] == ("competitor", "moved", "Alpha", "2")


def test_moving_a_reason_stays_within_its_category_and_skips_retired_ones(app_ctx):
    a = make_reason("Price", "A")
    b = make_reason("Price", "B")
    c = make_reason("Price", "C")
    make_reason("Service", "Elsewhere")
    taxonomy.set_retired(b, True)
    # B is listed apart as retired, so C moves above A, not above B.
    taxonomy.move(c, -1)
    price = taxonomy.categories()[0]
    assert [r.name for r in price.reasons if not r.retired] == ["C", "A"]
    assert sorted(r.position for r in price.reasons) == [0, 1, 2]
    assert _names(taxonomy.categories()[1].reasons) == ["Elsewhere"]
    assert a.category_id == c.category_id


def test_retired_reasons_are_offered_only_where_already_used(app_ctx):
    kept = make_reason("Price", "Too expensive")
    retired = make_reason("Price", "Discount ended")
    hidden = make_reason("Legacy", "Old product line")
    taxonomy.set_retired(retired, True)
    taxonomy.set_retired(hidden.category, True)

    def offered(include=None):
        return {r.name for _, reasons in taxonomy.reason_choices(include) for r in reasons}

    assert offered() == {"Too expensive"}
    assert offered({retired.id, hidden.id}) == {
        "Too expensive",
        "Discount ended",
        "Old product line",
    }
    taxonomy.set_retired(retired, False)
    assert offered() == {"Too expensive", "Discount ended"}
    assert _names(taxonomy.categories()) == ["Price"]
    assert _names(taxonomy.categories(include_retired=True)) == ["Price", "Legacy"]
    assert kept.retired is False
    assert [c[1] for c in _log() if c[1] in ("retired", "restored")] == [
        "retired",
        "retired",
        "restored",
    ]


def test_retiring_twice_records_once(app_ctx):
    competitor = make_competitor("Northpeak")
    taxonomy.set_retired(competitor, True)
    taxonomy.set_retired(competitor, True)
    assert [c for c in _log() if c[1] == "retired"] == [("competitor", "retired", "", "Northpeak")]
    assert _names(taxonomy.competitors()) == []
    assert _names(taxonomy.competitors(include_retired=True)) == ["Northpeak"]


@pytest.mark.parametrize("view", ["customer", "team"])
def test_a_reason_in_use_cannot_be_deleted_only_retired(app_ctx, view):
    reason = make_reason("Price", "Too expensive")
    make_account(**{view: [reason]})
    assert taxonomy.reason_in_use(reason)
    with pytest.raises(RuleViolation, match="Accounts use this reason, so it can only be retired"):
        taxonomy.delete(reason)
    assert db.session.get(LossReason, reason.id) is not None
    taxonomy.set_retired(reason, True)
    assert db.session.get(LossReason, reason.id).retired


def test_a_competitor_in_use_cannot_be_deleted_only_retired(app_ctx):
    competitor = make_competitor("Northpeak")
    make_account(competitor_id=competitor.id)
    with pytest.raises(RuleViolation, match="Accounts use this competitor"):
        taxonomy.delete(competitor)
    taxonomy.set_retired(competitor, True)
    assert db.session.get(Competitor, competitor.id).retired


def test_a_category_with_reasons_cannot_be_deleted(app_ctx):
    reason = make_reason("Price", "Too expensive")
    category = reason.category
    with pytest.raises(RuleViolation, match="still has reasons"):
        taxonomy.delete(category)
    taxonomy.delete(reason)
    taxonomy.delete(category)
    assert _count(ReasonCategory) == 0


def test_unused_entries_are_deleted_and_the_deletion_logged(app, admin):
    reason = make_reason("Price", "Too expensive")
    competitor = make_competitor("Northpeak")
    taxonomy.delete(reason, admin)
    taxonomy.delete(competitor, admin)
    assert _count(LossReason) == 0 and _count(Competitor) == 0
    assert _log()[-2:] == [
        ("reason", "deleted", "Price › Too expensive", ""),
        ("competitor", "deleted", "Northpeak", ""),
    ]


def test_usage_counts_accounts_once_per_reason_and_per_competitor(app_ctx):
    price = make_reason("Price", "Too expensive")
    service = make_reason("Service", "Slow replies")
    northpeak = make_competitor("Northpeak")
    make_account(customer=[price], team=[price, service], competitor_id=northpeak.id)
    make_account(team=[price], competitor_id=northpeak.id)
    make_account()
    assert taxonomy.reason_usage() == {price.id: 2, service.id: 1}
    assert taxonomy.competitor_usage() == {northpeak.id: 2}


def test_recent_changes_are_newest_first_and_per_list(app, admin):
    reason = make_reason("Price", "Too expensive")
    make_competitor("Northpeak")
    taxonomy.rename(reason, "Above budget", admin)
    changes = taxonomy.recent_changes(("category", "reason"), limit=2)
    assert [(c.change, c.new_value) for c in changes] == [
        ("renamed", "Above budget"),
        ("added", "Price › Too expensive"),
    ]
    assert changes[0].user == admin
    assert {c.subject for c in taxonomy.recent_changes(("competitor",))} == {"competitor"}


def test_team_settings_default_to_euro_and_are_saved_once(app_ctx):
    assert team_settings.get().currency == "EUR"
    assert team_settings.get() is team_settings.get()
    team_settings.update(currency="GBP")
    team_settings.update(currency="USD")
    db.session.expire_all()
    assert db.session.scalars(select(TeamSettings.currency)).all() == ["USD"]


def test_team_currency_can_be_changed_to_a_listed_one_only(app_ctx):
    with pytest.raises(RuleViolation, match="listed currencies") as refused:
        team_settings.update(currency="XYZ")
    assert refused.value.field == "currency"
    db.session.commit()
    assert _count(TeamSettings) == 0
    with pytest.raises(TypeError, match="colour"):
        team_settings.update(colour="blue")


def test_actions_without_a_user_are_recorded_without_one(app_ctx):
    make_user(role="admin")
    taxonomy.add_competitor("Northpeak")
    assert db.session.scalar(select(TaxonomyChange)).user is None
