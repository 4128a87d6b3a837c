"""Every list and detail page runs the same number of queries with 5 rows and with 50, and
never more than 12: accounts, outreach, the outbox and the admin pages (discovery and plans
are in test_query_counts_discovery.py, which shares the machinery below).

Each page has a builder that empties the database, makes N rows of what the page lists (or,
for a detail page, N rows of every kind of child it shows) and returns the request to make.
The request is made twice and the second one is counted, so nothing a first request does
once (such as making default rows) is counted. The pages share one app per module, because
each check empties the database itself, and building an app per page would take longer than
the checks.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.conftest import build_app
from tests.helpers import PARTIAL, QueryCounter, logged_in_client
from winback_app import tokens
from winback_app.accounts.imports import services as importer
from winback_app.accounts.models import (
    Account,
    AccountChange,
    AccountReason,
    Competitor,
    Contact,
    LossReason,
    ReasonCategory,
    TaxonomyChange,
)
from winback_app.auth.models import User
from winback_app.core.settings.models import TeamSettings
from winback_app.discovery.guides.models import Guide, GuideQuestion, Question
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.interviews.models import ActionItem, Interview
from winback_app.discovery.invitations.models import Answer, Invitation, Response
from winback_app.discovery.surveys.models import Survey, SurveyOption, SurveyQuestion
from winback_app.extensions import db
from winback_app.mail.models import OutboxMessage
from winback_app.models import utcnow
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.calendar import services as feed
from winback_app.outreach.callbacks.models import Callback
from winback_app.outreach.scripts.models import Script
from winback_app.plans.evidence.models import Evidence
from winback_app.plans.models import Plan, PlanSolution

LIMIT = 12
SIZES = (5, 50)
_serial = itertools.count(1)


@dataclass
class Visit:
    """The request a page's builder asks for: by ``user`` (None: nobody logged in)."""

    url: str
    user: User | None
    partial: bool = False


Builder = Callable[[int], Visit]


def register(pages: dict[str, Builder], name: str):
    """Add the decorated builder to ``pages`` under ``name`` (the test id that names it)."""

    def add(builder: Builder) -> Builder:
        pages[name] = builder
        return builder

    return add


def make_site(tmp_path_factory):
    """One app for a module's pages (rate limits off: the public pages are asked often)."""
    app = build_app(tmp_path_factory.mktemp("query-counts"), RATELIMIT_ENABLED=False)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


site = pytest.fixture(scope="module", name="site")(make_site)


def empty_database() -> None:
    """Delete every row, children first, so each size starts from nothing."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()
    db.session.expunge_all()


def queries(app, builder: Builder, n: int) -> list[str]:
    """The statements the page runs on its second request, with ``n`` rows built."""
    empty_database()
    visit = builder(n)
    db.session.commit()
    client = logged_in_client(app, visit.user) if visit.user else app.test_client()
    headers = PARTIAL if visit.partial else {}
    for _ in range(2):
        with QueryCounter(db.engine) as counter:
            response = client.get(visit.url, headers=headers, buffered=True)
        assert response.status_code == 200, (visit.url, response.status_code)
    return counter.statements


def check(app, builder: Builder) -> None:
    """Assert the page's count is the same for every size and within LIMIT; a failure lists
    the statements of the largest size."""
    seen = {n: queries(app, builder, n) for n in SIZES}
    counts = {n: len(statements) for n, statements in seen.items()}
    shown = "\n".join(s.split("\n")[0][:160] for s in seen[SIZES[-1]])
    assert len(set(counts.values())) == 1, f"{counts}\n{shown}"
    assert counts[SIZES[-1]] <= LIMIT, f"{counts}\n{shown}"


# --- Building blocks ---------------------------------------------------------------------


def add(*rows):
    """Add and flush ``rows`` (ids are set); returns the first one, for single rows."""
    db.session.add_all(rows)
    db.session.flush()
    return rows[0] if rows else None


def person(role: str = "member", name: str | None = None) -> User:
    """A user (no password needed: tests log in through the session)."""
    n = next(_serial)
    return add(User(email=f"person{n}@example.com", name=name or f"Person {n:04}", role=role))


def people(n: int) -> list[User]:
    """``n`` members."""
    made = [
        User(email=f"person{s}@example.com", name=f"Person {s:04}", role="member")
        for s in itertools.islice(_serial, n)
    ]
    db.session.add_all(made)
    db.session.flush()
    return made


def reasons(n: int) -> list[LossReason]:
    """``n`` loss reasons, five to a category."""
    categories = [
        ReasonCategory(name=f"Category {next(_serial)}", position=i) for i in range((n + 4) // 5)
    ]
    db.session.add_all(categories)
    db.session.flush()
    made = [
        LossReason(category_id=categories[i // 5].id, name=f"Reason {next(_serial)}", position=i)
        for i in range(n)
    ]
    db.session.add_all(made)
    db.session.flush()
    return made


def competitors(n: int) -> list[Competitor]:
    """``n`` competitors."""
    made = [Competitor(name=f"Rival {next(_serial)}", position=i) for i in range(n)]
    db.session.add_all(made)
    db.session.flush()
    return made


def accounts(n: int, owner: User | None = None, **values) -> list[Account]:
    """``n`` accounts, each with an owner, a competitor, both views (disagreeing) and a
    primary contact; ``values`` set more columns."""
    owner = owner or person()
    price, delivery = reasons(2)
    (rival,) = competitors(1)
    made = [
        Account(
            name=f"Account {next(_serial):05}",
            kind="former_customer",
            status="contacting",
            owner_id=owner.id,
            competitor_id=rival.id,
            lost_on=date(2025, 1, 1) + timedelta(days=i),
            annual_value_lost=Decimal(1000 + i),
            customer_primary_id=price.id,
            team_primary_id=delivery.id,
            views_disagree=True,
            contract_start=date(2025, 1, 1),
            contract_term_months=24,
            **values,
        )
        for i in range(n)
    ]
    db.session.add_all(made)
    db.session.flush()
    for account in made:
        db.session.add_all(
            [
                AccountReason(account_id=account.id, reason_id=price.id, view="customer"),
                AccountReason(account_id=account.id, reason_id=delivery.id, view="team"),
            ]
        )
        db.session.add(
            Contact(
                account_id=account.id,
                name=f"Contact {account.name}",
                email=f"contact{account.id}@customer.example",
                phone="+44 20 7946 0000",
                is_primary=True,
            )
        )
    db.session.flush()
    return made


def guide(questions: int = 3) -> Guide:
    """A guide with ``questions`` new questions, the stages in turn."""
    made = add(Guide(name=f"Guide {next(_serial)}", budget_minutes=15))
    stages = ("warm_up", "core", "sensitive")
    bank = [
        Question(text=f"Question {next(_serial)}?", stage=stages[i % 3], minutes=Decimal(1))
        for i in range(questions)
    ]
    db.session.add_all(bank)
    db.session.flush()
    db.session.add_all(
        GuideQuestion(guide_id=made.id, question_id=q.id, position=i) for i, q in enumerate(bank)
    )
    db.session.flush()
    return made


def survey(questions: int = 3, status: str = "open") -> Survey:
    """A survey whose questions cycle through rating, single choice and free text."""
    made = add(Survey(title=f"Survey {next(_serial)}", status=status))
    kinds = ("rating", "single", "text")
    for i in range(questions):
        kind = kinds[i % 3]
        options = (
            [SurveyOption(label=label, position=p) for p, label in enumerate("ABC")]
            if kind == "single"
            else []
        )
        made.questions.append(
            SurveyQuestion(kind=kind, text=f"Question {i}?", position=i, options=options)
        )
    db.session.flush()
    return made


def invite(made_survey: Survey, account: Account, contact: Contact, **values) -> Invitation:
    """An invitation, sent now, open for 30 days."""
    now = utcnow()
    return Invitation(
        survey_id=made_survey.id,
        account_id=account.id,
        contact_id=contact.id,
        token_hash=tokens.hash_token(tokens.new_token()),
        sent_at=now,
        expires_at=now + timedelta(days=30),
        **values,
    )


def respond(invitation: Invitation, made_survey: Survey) -> Response:
    """A response answering every question of the survey."""
    answers = []
    for question in made_survey.questions:
        if question.kind == "rating":
            answers.append(Answer(question_id=question.id, number=4))
        elif question.kind == "single":
            answers.append(Answer(question_id=question.id, option_id=question.options[1].id))
        else:
            answers.append(Answer(question_id=question.id, text="Deliveries were late."))
    return Response(invitation_id=invitation.id, answers=answers)


def account_with(n: int, user: User) -> Account:
    """An account owned by ``user`` with ``n`` contacts, ``n`` reasons in each view (the
    views disagree) and ``n`` changes in its history."""
    chosen = reasons(n)
    (rival,) = competitors(1)
    account = add(
        Account(
            name="Harbor Logistics",
            kind="lost_deal",
            status="discovery",
            owner_id=user.id,
            competitor_id=rival.id,
            lost_on=date(2025, 6, 1),
            annual_value_lost=Decimal("48000"),
            contract_start=date(2025, 6, 1),
            contract_term_months=36,
            customer_primary_id=chosen[0].id,
            team_primary_id=chosen[-1].id,
            views_disagree=True,
            sales_history="Weekly orders for seven years.",
            customer_words="Late deliveries.",
        )
    )
    db.session.add_all(
        Contact(
            account_id=account.id,
            name=f"Contact {i:03}",
            title="Buyer",
            email=f"buyer{i}@harbor.example",
            phone="+44 20 7946 0000",
            is_primary=i == 0,
            do_not_email=i == 1,
        )
        for i in range(n)
    )
    for view, primary in (("customer", chosen[0]), ("team", chosen[-1])):
        db.session.add_all(
            AccountReason(
                account_id=account.id,
                reason_id=reason.id,
                view=view,
                is_primary=reason is primary,
                source="interview" if reason.id % 2 else "manual",
            )
            for reason in chosen
        )
    db.session.add_all(
        AccountChange(
            account_id=account.id,
            user_id=user.id if i % 2 else None,
            version=i + 1,
            field="status",
            old_value="New",
            new_value="Contacting",
        )
        for i in range(n)
    )
    db.session.flush()
    return account


def rich_account(n: int, user: User) -> Account:
    """An account with ``n`` of everything its page shows: contacts, reasons in both views,
    history, attempts, call-backs, interviews, action items, thank-yous, survey responses, and
    a current plan with ``n`` solutions."""
    account = account_with(n, user)
    contacts = account.contacts
    others = people(2)
    now = utcnow()
    db.session.add_all(
        Attempt(
            account_id=account.id,
            contact_id=contacts[i].id,
            user_id=others[i % 2].id,
            channel="phone",
            outcome="reached" if i % 2 else "no_answer",
            at=now - timedelta(hours=i + 1),
        )
        for i in range(n)
    )
    db.session.add_all(
        Callback(account_id=account.id, user_id=others[i % 2].id, due_on=date.today(), note="Call")
        for i in range(n)
    )
    asked = guide()
    interviews = [
        Interview(
            account_id=account.id,
            contact_id=contacts[i].id,
            guide_id=asked.id,
            interviewer_id=others[0].id,
            partner_id=others[1].id,
            scheduled_at=now + timedelta(days=i - n // 2),
            status="held" if i % 2 else "scheduled",
            ended_at=now if i % 2 else None,
        )
        for i in range(n)
    ]
    db.session.add_all(interviews)
    db.session.flush()
    db.session.add_all(
        ActionItem(
            account_id=account.id,
            interview_id=interviews[i].id,
            what=f"Follow up {i}",
            owner_id=others[0].id,
            partner_id=others[1].id,
            due_on=date.today() + timedelta(days=i),
        )
        for i in range(n)
    )
    db.session.add_all(
        Incentive(
            account_id=account.id,
            contact_id=contacts[i].id,
            charity="Red Cross",
            amount=Decimal("50"),
            status=("offered", "pledged", "paid")[i % 3],
            pledged_at=now if i % 3 else None,
            paid_on=date.today() if i % 3 == 2 else None,
            reference="PAY-1" if i % 3 == 2 else "",
        )
        for i in range(n)
    )
    asked_survey = survey()
    invitations = [invite(asked_survey, account, c, answered_at=now) for c in contacts]
    db.session.add_all(invitations)
    db.session.flush()
    db.session.add_all(respond(invitation, asked_survey) for invitation in invitations)
    plan(account, n, user)
    db.session.flush()
    return account


def plan(account: Account, n: int, author: User) -> Plan:
    """A current plan of ``account`` with ``n`` solutions (each backed by evidence) and ``n``
    action items."""
    sponsor = person(name="Sam Sponsor")
    made = add(
        Plan(
            account_id=account.id,
            author_id=author.id,
            sponsor_id=sponsor.id,
            relationship_summary="Seven years of weekly orders.",
            cause_statement="Deliveries arrived late three times.",
            new_needs="Next-day delivery.",
            commitment="A weekly delivery report.",
            offer="Three months at last year's prices.",
        )
    )
    evidence = [
        Evidence(
            title=f"Evidence {next(_serial)}",
            what_changed="New routing.",
            metric_name="late deliveries",
            metric_before=Decimal(12),
            metric_after=Decimal(1),
            approved=True,
        )
        for _ in range(n)
    ]
    db.session.add_all(evidence)
    db.session.flush()
    db.session.add_all(
        PlanSolution(plan_id=made.id, position=i, text=f"Solution {i}", evidence_id=e.id)
        for i, e in enumerate(evidence)
    )
    db.session.add_all(
        ActionItem(
            account_id=account.id,
            plan_id=made.id,
            what=f"Plan step {i}",
            owner_id=author.id,
            partner_id=sponsor.id,
            due_on=date.today() + timedelta(days=i),
        )
        for i in range(n)
    )
    db.session.flush()
    return made


# --- Accounts ----------------------------------------------------------------------------

PAGES: dict[str, Builder] = {}


@register(PAGES, "accounts list")
def _accounts_list(n):
    accounts(n)
    return Visit("/accounts/", person())


@register(PAGES, "accounts list, search results block")
def _accounts_search(n):
    accounts(n)
    return Visit("/accounts/?q=contact&sort=owner", person(), partial=True)


@register(PAGES, "accounts list, filtered")
def _accounts_filtered(n):
    made = accounts(n, friendly=True)
    category = made[0].customer_primary.category_id
    return Visit(f"/accounts/?friendly=1&disagree=1&category={category}", person())


@register(PAGES, "accounts export")
def _accounts_export(n):
    accounts(n)
    return Visit("/accounts/export.csv", person())


@register(PAGES, "new account form")
def _new_account(n):
    people(n)
    competitors(n)
    return Visit("/accounts/new", person())


def _rich(n):
    """An account with ``n`` of everything (see rich_account), and its owner."""
    user = person()
    return rich_account(n, user), user


@register(PAGES, "account")
def _account(n):
    account, user = _rich(n)
    return Visit(f"/accounts/{account.id}", user)


@register(PAGES, "account, whole history")
def _account_history(n):
    account, user = _rich(n)
    return Visit(f"/accounts/{account.id}?history=all", user)


@register(PAGES, "account, as a viewer")
def _account_viewer(n):
    account, _ = _rich(n)
    return Visit(f"/accounts/{account.id}", person("viewer"))


# A block alone loads only what it shows: the account with its contacts, reasons and history.
for _section in (
    "header",
    "history",
    "contacts",
    "facts",
    "contract",
    "summary",
    "customer_view",
    "team_view",
):

    @register(PAGES, f"account {_section} block")
    def _account_section(n, section=_section):
        user = person()
        account = account_with(n, user)
        return Visit(f"/accounts/{account.id}/{section}", user, partial=True)


for _section in ("facts", "contract", "summary", "customer_view", "team_view"):

    @register(PAGES, f"account {_section} form")
    def _account_form(n, section=_section):
        user = person()
        account = account_with(n, user)
        people(n)
        competitors(n)
        return Visit(f"/accounts/{account.id}/{section}/edit", user, partial=True)


@register(PAGES, "account contact form")
def _contact_form(n):
    user = person()
    account = account_with(n, user)
    return Visit(f"/accounts/{account.id}/contacts/{account.contacts[0].id}/edit", user, True)


def _csv(n: int, known: list[Account]) -> bytes:
    """A CRM export of ``n`` rows: every other one names a known account (a duplicate), the
    rest are new; they name known competitors and reasons, and every fifth has a bad date."""
    rival, reason = known[0].competitor.name, known[0].customer_primary.name
    lines = ["Company,Closed Lost Date,Amount,Lost to,Loss reason,Contact,Email"]
    for i in range(n):
        name = known[i].name if i % 2 else f"Company {next(_serial)}"
        lost = "31/02/2026" if i % 5 == 4 else "31/01/2026"
        lines.append(f"{name},{lost},{1000 + i},{rival},{reason},Pat {i},pat{i}@x.example")
    return ("\r\n".join(lines) + "\r\n").encode()


def _upload(n, user, run=False):
    upload = importer.upload("crm.csv", _csv(n, accounts(n)), user)
    chosen = importer.options(upload) | {"duplicate_action": "update", "skip_invalid": run}
    importer.save_mapping(upload, importer.columns(upload), chosen, user)
    if run:
        importer.run(upload, user)
    return upload


@register(PAGES, "import, columns")
def _import_map(n):
    user = person()
    return Visit(f"/accounts/import/{_upload(n, user).id}/map", user)


@register(PAGES, "import, preview")
def _import_preview(n):
    user = person()
    return Visit(f"/accounts/import/{_upload(n, user).id}/preview", user)


@register(PAGES, "import, summary")
def _import_summary(n):
    user = person("admin")
    return Visit(f"/accounts/import/{_upload(n, user, run=True).id}", user)


@register(PAGES, "import, skipped rows")
def _import_skipped(n):
    user = person()
    return Visit(f"/accounts/import/{_upload(n, user).id}/skipped.csv", user)


# --- Outreach ----------------------------------------------------------------------------


def _due_callbacks(n, assignees) -> list[Account]:
    """``n`` accounts with an attempt and an open call-back due from 3 days ago to next week,
    assigned to ``assignees`` in turn."""
    made = accounts(n)
    now = utcnow()
    for i, account in enumerate(made):
        user = assignees[i % len(assignees)]
        db.session.add_all(
            [
                Attempt(
                    account_id=account.id,
                    user_id=user.id,
                    channel="phone",
                    outcome="reached" if i % 2 else "no_answer",
                    at=now - timedelta(days=1),
                ),
                Callback(
                    account_id=account.id,
                    user_id=user.id,
                    due_on=date.today() + timedelta(days=i % 10 - 3),
                ),
            ]
        )
    db.session.flush()
    return made


@register(PAGES, "Today")
def _today(n):
    user = person()
    made = _due_callbacks(n, [user])
    db.session.add_all(
        ActionItem(account_id=a.id, what="Send the report", owner_id=user.id, due_on=date.today())
        for a in made
    )
    return Visit("/today", user)


@register(PAGES, "Today, the team")
def _today_team(n):
    _due_callbacks(n, people(n))
    return Visit("/today?view=team&period=90", person())


def _one_callback(n):
    """A call-back on an account with ``n`` contacts, reasons and attempts."""
    user = person()
    account = account_with(n, user)
    db.session.add_all(
        Attempt(account_id=account.id, user_id=user.id, channel="email", outcome="email_sent")
        for _ in range(n)
    )
    callback = add(Callback(account_id=account.id, user_id=user.id, due_on=date.today()))
    return callback, user


@register(PAGES, "Today row")
def _today_row(n):
    callback, user = _one_callback(n)
    return Visit(f"/today/callbacks/{callback.id}", user, partial=True)


@register(PAGES, "Today row, attempt form")
def _today_attempt(n):
    callback, user = _one_callback(n)
    return Visit(f"/today/callbacks/{callback.id}/attempt", user, partial=True)


@register(PAGES, "planner")
def _planner(n):
    _due_callbacks(n, [person()])
    accounts(n, likelihood=7)
    return Visit("/outreach/planner?conversations=40", person())


@register(PAGES, "friendly losses")
def _friendly(n):
    made = accounts(n, friendly=True)
    db.session.add_all(Callback(account_id=a.id, due_on=date.today()) for a in made)
    return Visit("/outreach/friendly", person())


def _scripts(n) -> list[Script]:
    """``n`` scripts, emails and voicemails in turn, with merge fields."""
    made = [
        Script(
            kind=("email", "voicemail")[i % 2],
            name=f"Script {next(_serial)}",
            subject="Hello {{ contact.first_name }}",
            body="Dear {{ contact.first_name }}, about {{ account.name }}.",
        )
        for i in range(n)
    ]
    db.session.add_all(made)
    db.session.flush()
    return made


@register(PAGES, "scripts")
def _scripts_page(n):
    _scripts(n)
    accounts(n)
    return Visit("/outreach/scripts/", person())


@register(PAGES, "script, contacts found")
def _script_contacts(n):
    script = _scripts(n)[0]
    accounts(n)
    return Visit(f"/outreach/scripts/{script.id}?q=contact", person(), partial=True)


@register(PAGES, "script preview for a contact")
def _script_preview(n):
    script = _scripts(n)[0]
    contact = accounts(n)[0].contacts[0]
    url = f"/outreach/scripts/{script.id}/preview?contact_id={contact.id}"
    return Visit(url, person(), partial=True)


@register(PAGES, "script form")
def _script_form(n):
    script = _scripts(n)[0]
    return Visit(f"/outreach/scripts/{script.id}/edit", person())


@register(PAGES, "calendar feed")
def _calendar(n):
    user = person()
    made = _due_callbacks(n, [user])
    db.session.add_all(
        ActionItem(account_id=a.id, what="Send it", owner_id=user.id, due_on=date.today())
        for a in made
    )
    token = feed.issue_token(user)
    return Visit(f"/calendar/{token}.ics", None)


# --- The outbox and the admin pages -----------------------------------------------------


def _messages(n) -> list[OutboxMessage]:
    """``n`` emails, queued, sent and failed in turn."""
    made = [
        OutboxMessage(
            to_address=f"someone{i}@customer.example",
            subject=f"Message {i}",
            text_body="Hello",
            message_id=f"<{next(_serial)}@winback.example>",
            status=("queued", "sent", "failed")[i % 3],
            sent_at=utcnow() if i % 3 == 1 else None,
            tries=i % 3,
            last_error="Mailbox full" if i % 3 == 2 else "",
        )
        for i in range(n)
    ]
    db.session.add_all(made)
    db.session.flush()
    return made


@register(PAGES, "outbox")
def _outbox(n):
    _messages(n)
    return Visit("/admin/outbox/", person("admin"))


@register(PAGES, "outbox message")
def _outbox_message(n):
    return Visit(f"/admin/outbox/{_messages(n)[0].id}", person("admin"))


@register(PAGES, "users")
def _users(n):
    people(n)
    return Visit("/admin/users/", person("admin"))


def _taxonomy_changes(n, user, subject, items):
    """``n`` renames of ``items`` by ``user``."""
    db.session.add_all(
        TaxonomyChange(
            user_id=user.id,
            subject=subject,
            subject_id=items[i % len(items)].id,
            change="rename",
            old_value="Old",
            new_value="New",
        )
        for i in range(n)
    )


@register(PAGES, "reasons")
def _reasons(n):
    admin = person("admin")
    made = reasons(n)
    accounts(n)
    _taxonomy_changes(n, admin, "reason", made)
    return Visit("/admin/reasons/", admin)


@register(PAGES, "reasons, recent changes block")
def _reason_changes(n):
    admin = person("admin")
    _taxonomy_changes(n, admin, "reason", reasons(n))
    return Visit("/admin/reasons/changes", admin, partial=True)


@register(PAGES, "competitors, recent changes block")
def _competitor_changes(n):
    admin = person("admin")
    _taxonomy_changes(n, admin, "competitor", competitors(n))
    return Visit("/admin/competitors/changes", admin, partial=True)


@register(PAGES, "reason rename form")
def _reason_rename(n):
    admin = person("admin")
    made = reasons(n)
    return Visit(f"/admin/reasons/{made[0].id}/rename", admin, partial=True)


@register(PAGES, "competitors")
def _competitors(n):
    admin = person("admin")
    made = competitors(n)
    accounts(n)
    _taxonomy_changes(n, admin, "competitor", made)
    return Visit("/admin/competitors/", admin)


@register(PAGES, "settings")
def _settings(n):
    charities = "\n".join(f"Charity {i}" for i in range(n))
    add(TeamSettings(currency="GBP", charities=charities))
    return Visit("/admin/settings/", person("admin"))


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_runs_as_many_queries_for_5_rows_as_for_50(site, name):
    check(site, PAGES[name])
