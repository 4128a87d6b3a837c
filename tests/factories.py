"""Factories: build valid records with as few arguments as a test needs."""

import itertools
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from winback_app.accounts import services as accounts
from winback_app.accounts.contacts import services as contacts
from winback_app.accounts.models import ReasonCategory
from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.auth import services as users
from winback_app.auth.models import User
from winback_app.extensions import db

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


def make_user(**overrides) -> User:
    """A user with a password; ``role`` defaults to member."""
    n = next(_sequence)
    values = {
        "email": f"user{n}@example.com",
        "name": f"Test User {n}",
        "role": "member",
        "password": PASSWORD,
    }
    values.update(overrides)
    return users.create_user(**values)


def make_reason(category="Price", name=None):
    """A loss reason in ``category`` (the category is created when missing)."""
    found = db.session.scalar(select(ReasonCategory).where(ReasonCategory.name == category))
    return taxonomy.add_reason(
        found or taxonomy.add_category(category), name or f"Reason {next(_sequence)}"
    )


def make_competitor(name=None):
    """A competitor."""
    return taxonomy.add_competitor(name or f"Competitor {next(_sequence)}")


def make_account(**overrides):
    """A lost account; ``customer=[reason, …]`` / ``team=[…]`` set the views, first = primary."""
    customer = overrides.pop("customer", ())
    team = overrides.pop("team", ())
    values = {
        "name": f"Account {next(_sequence)}",
        "kind": "former_customer",
        "status": "new",
        "lost_on": date(2026, 3, 1),
        "annual_value_lost": Decimal("12000.00"),
    }
    values.update(overrides)
    account = accounts.create_account(values, user=None)
    for view, chosen in (("customer", customer), ("team", team)):
        if chosen:
            ids = [reason.id for reason in chosen]
            accounts.set_view(account, view, ids, ids[0], "", None, None)
    return account


def make_contact(account, **overrides):
    """A contact at ``account``."""
    n = next(_sequence)
    values = {"name": f"Contact Person{n}", "email": f"contact{n}@customer.example"}
    values.update(overrides)
    return contacts.add(account, values, user=None)


def make_callback(account, user=None, due_on=None, **overrides):
    """An open call-back on ``account`` for ``user``; ``due_on`` may be in the past (overdue)."""
    from winback_app.outreach.callbacks.models import Callback

    values = {"kind": "manual", "note": "", "due_on": due_on or date.today()}
    values.update(overrides)
    callback = Callback(account_id=account.id, user_id=user.id if user else None, **values)
    db.session.add(callback)
    db.session.commit()
    return callback


def make_survey(questions=(), status="open", **overrides):
    """A survey with ``questions``: dicts of question values (kind, text, required, options;
    ``reasons=True`` binds a choice question to the loss reasons). Choice questions get the
    options A, B and C unless given. ``status`` is "open" unless told "draft" or "closed"."""
    from winback_app.discovery.surveys import services as surveys

    values = {
        "title": f"Survey {next(_sequence)}",
        "intro": "Tell us how it went, please.",
        "thank_you": "Thanks!",
        "expires_days": 30,
        "max_reminders": 2,
        "reminder_after_days": 7,
    }
    values.update(overrides)
    survey = surveys.create_survey(values, None)
    for wanted in questions:
        wanted = dict(wanted)
        bind = wanted.pop("reasons", False)
        choice = wanted["kind"] in surveys.CHOICE_KINDS
        wanted.setdefault("options", ["A", "B", "C"] if choice and not bind else [])
        surveys.add_question(survey, {"required": False, "bound_to_reasons": bind, **wanted})
    for step in {"draft": (), "open": ("open",), "closed": ("open", "closed")}[status]:
        surveys.set_status(survey, step)
    return survey


def make_invitation(survey, contact, token=None, expires_at=None):
    """An invitation of ``contact`` (at its account) to ``survey``, sent now; returns
    (invitation, token). ``expires_at`` defaults to 30 days from now."""
    from datetime import timedelta

    from winback_app import tokens
    from winback_app.discovery.invitations.models import Invitation
    from winback_app.models import utcnow

    token = token or tokens.new_token()
    invitation = Invitation(
        survey_id=survey.id,
        account_id=contact.account_id,
        contact_id=contact.id,
        token_hash=tokens.hash_token(token),
        expires_at=expires_at or utcnow() + timedelta(days=30),
        sent_at=utcnow(),
    )
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


# One question of each kind, the fourth bound to the loss reasons (which must exist first).
EVERY_KIND = (
    {"kind": "rating", "text": "How was our service?", "required": True},
    {"kind": "likelihood", "text": "How likely are you to come back?"},
    {"kind": "single", "text": "How often did you order?", "options": ["Weekly", "Monthly"]},
    {"kind": "multiple", "text": "Why did you leave?", "reasons": True},
    {"kind": "text", "text": "Anything else?"},
)


def make_guide(stages=("warm_up", "core", "sensitive"), name=None, budget_minutes=15):
    """A guide with one new question per stage given, in that order (2 minutes each)."""
    from winback_app.discovery.guides import services as guides

    guide = guides.create_guide(name or f"Guide {next(_sequence)}", "", budget_minutes, None)
    for stage in stages:
        guides.add_new_question(guide, f"A {stage} question {next(_sequence)}?", stage, 2)
    return guide


def make_interview(account=None, interviewer=None, guide=None, start=True, **overrides):
    """An interview with a contact of ``account`` (made when missing), started unless told."""
    from winback_app.discovery.interviews import services as interviews
    from winback_app.models import utcnow

    account = account or make_account()
    contact = account.contacts[0] if account.contacts else make_contact(account)
    interviewer = interviewer or make_user()
    values = {
        "contact_id": contact.id,
        "guide_id": (guide or make_guide()).id,
        "interviewer": interviewer,
        "partner": None,
        "when": utcnow(),
        "start": start,
    }
    values.update(overrides)
    return interviews.schedule(account, **values)


def make_plan(account=None, **overrides):
    """A typical plan of ``account``: every section filled, 3 solutions backed by approved
    evidence with metrics, and 3 action items (owner made when missing). ``author`` and
    ``sponsor`` default to new users; other overrides set Plan columns."""
    from datetime import timedelta

    from winback_app.discovery.interviews.models import ActionItem
    from winback_app.plans.evidence.models import Evidence
    from winback_app.plans.models import Plan, PlanSolution

    account = account or make_account()
    author = overrides.pop("author", None) or make_user(name="Rita Rep")
    sponsor = overrides.pop("sponsor", None) or make_user(name="Sam Sponsor")
    values = {
        "relationship_summary": "Seven years of weekly orders of print consumables, "
        "about 12,000 a year, served from our Leeds depot.",
        "cause_statement": "Deliveries arrived late three times last winter and two invoices "
        "were wrong, so you moved your orders to another supplier in March.",
        "new_needs": "Next-day delivery to two new sites and one consolidated monthly invoice.",
        "commitment": "One named account manager, a weekly delivery report and an invoice "
        "check before anything is sent to you.",
        "offer": "Three months at last year's prices and free next-day delivery to both sites.",
        "escalate_when": "If no decision by the end of the quarter.",
        "customer_relationship": "For seven years we delivered your print consumables every "
        "week from our Leeds depot.",
        "customer_cause": "Our deliveries were late three times last winter and two of our "
        "invoices were wrong. That was our failure.",
        "customer_needs": "Next-day delivery to your two new sites and one monthly invoice.",
        "customer_commitment": "One named account manager, a weekly delivery report and an "
        "invoice check before anything is sent to you.",
        "customer_offer": "Three months at last year's prices, and next-day delivery to both "
        "of your sites free of charge.",
    }
    values.update(overrides)
    plan = Plan(account_id=account.id, author_id=author.id, sponsor_id=sponsor.id, **values)
    db.session.add(plan)
    solutions = (
        ("Orders arrive when promised", "New routing", "late deliveries", "12", "1", "%"),
        ("Invoices you can trust", "Invoice checks", "invoice errors a month", "6", "0", ""),
        ("Next-day delivery to every site", "A second van", "sites served", "0", "4", ""),
    )
    for position, (text, title, name, before, after, unit) in enumerate(solutions):
        evidence = Evidence(
            title=title,
            what_changed=f"{title}: a change made in 2026 after reviewing every complaint.",
            effective_on=date(2026, 4, 1),
            metric_name=name,
            metric_before=Decimal(before),
            metric_after=Decimal(after),
            metric_unit=unit,
            proof_url="https://intranet.example/reports/q2",
            approved=True,
        )
        plan.solutions.append(PlanSolution(position=position, text=text, evidence=evidence))
    db.session.flush()
    for n, what in enumerate(("Send the delivery report", "Visit both sites", "Review prices")):
        db.session.add(
            ActionItem(
                account_id=account.id,
                plan_id=plan.id,
                what=what,
                owner_id=author.id,
                partner_id=sponsor.id,
                due_on=date(2026, 6, 1) + timedelta(days=7 * n),
            )
        )
    db.session.commit()
    return plan


def make_evidence(reasons=(), approved=True, **overrides):
    """A "what's different now" evidence item answering ``reasons``."""
    from winback_app.plans.evidence.models import Evidence

    values = {"title": f"Evidence {next(_sequence)}", "approved": approved}
    values.update(overrides)
    evidence = Evidence(reasons=list(reasons), **values)
    db.session.add(evidence)
    db.session.commit()
    return evidence
