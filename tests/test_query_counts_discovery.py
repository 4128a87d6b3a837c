"""Discovery, plans, evidence and the public survey pages run the same number of queries with
5 rows and with 50, and never more than 12 (see test_query_counts.py for how it is measured)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.test_query_counts import (
    Builder,
    Visit,
    account_with,
    accounts,
    add,
    check,
    guide,
    invite,
    make_site,
    people,
    person,
    plan,
    reasons,
    register,
    respond,
    survey,
)
from winback_app import tokens
from winback_app.accounts.models import Account
from winback_app.discovery.guides.models import GuideQuestion, Question
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.interviews.models import ActionItem, Interview, InterviewNote
from winback_app.discovery.invitations.models import Invitation
from winback_app.discovery.surveys.models import SurveyOption
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.scripts.models import Script
from winback_app.plans.evidence.models import Evidence
from winback_app.tone.models import ToneRule

PAGES: dict[str, Builder] = {}
site = pytest.fixture(scope="module", name="site")(make_site)


def interviews(made: list[Account], status: str, guide_id: int | None = None) -> list:
    """An interview with each account's first contact, by a new interviewer and partner,
    upcoming when scheduled, held yesterday otherwise."""
    guide_id = guide_id or guide().id
    team = people(2)
    now = utcnow()
    rows = [
        Interview(
            account_id=account.id,
            contact_id=account.contacts[0].id,
            guide_id=guide_id,
            interviewer_id=team[0].id,
            partner_id=team[1].id,
            status=status,
            scheduled_at=now + timedelta(days=i + 1 if status == "scheduled" else -1),
            ended_at=now - timedelta(hours=i) if status == "held" else None,
        )
        for i, account in enumerate(made)
    ]
    db.session.add_all(rows)
    db.session.flush()
    return rows


def open_items(made: list[Account], owner, **values) -> None:
    """An open action item on each account, owned by ``owner``, due from two days ago on."""
    team = people(1)
    db.session.add_all(
        ActionItem(
            account_id=account.id,
            what=f"Send the report to {account.name}",
            owner_id=owner.id,
            partner_id=team[0].id,
            due_on=date.today() + timedelta(days=i - 2),
            **values,
        )
        for i, account in enumerate(made)
    )


# --- Guides and interviews -----------------------------------------------------------------


@register(PAGES, "discovery overview")
def _hub(n):
    user = person()
    made = accounts(n)
    interviews(made, "scheduled")
    interviews(made, "held")
    for _ in range(n):
        guide()
    open_items(made, user)
    return Visit("/discovery/", user)


@register(PAGES, "guides")
def _guides(n):
    for _ in range(n):
        guide()
    return Visit("/discovery/guides/", person())


def _guide_in_use(n):
    """A guide of ``n`` questions used by ``n`` interviews, and ``n`` more in the bank."""
    made = guide(n)
    guide(n)
    interviews(accounts(n), "held", guide_id=made.id)
    return made


@register(PAGES, "guide")
def _guide(n):
    return Visit(f"/discovery/guides/{_guide_in_use(n).id}", person())


@register(PAGES, "guide question form")
def _guide_item(n):
    made = _guide_in_use(n)
    item = db.session.scalar(db.select(GuideQuestion).filter_by(guide_id=made.id).limit(1))
    return Visit(f"/discovery/guides/{made.id}/items/{item.id}/edit", person(), partial=True)


@register(PAGES, "question bank")
def _bank(n):
    guide(n)
    guide(n)
    return Visit("/discovery/guides/questions/", person())


@register(PAGES, "question bank, question form")
def _bank_question(n):
    guide(n)
    question = db.session.scalar(db.select(Question).limit(1))
    return Visit(f"/discovery/guides/questions/{question.id}/edit", person(), partial=True)


for _show in ("upcoming", "held", "all"):

    @register(PAGES, f"interviews, {_show}")
    def _interviews(n, show=_show):
        made = accounts(n)
        interviews(made, "scheduled")
        interviews(made, "held")
        return Visit(f"/discovery/interviews/?show={show}", person())


def _interview(n, status):
    """An interview on an account with ``n`` contacts and reasons, a guide of ``n`` questions
    with a note on each, ``n`` action items and ``n`` thank-yous; ``n`` people on the team."""
    user = person()
    account = account_with(n, user)
    asked = guide(n)
    team = people(n)
    now = utcnow()
    made = add(
        Interview(
            account_id=account.id,
            contact_id=account.contacts[0].id,
            guide_id=asked.id,
            interviewer_id=user.id,
            partner_id=team[0].id,
            status=status,
            scheduled_at=now - timedelta(minutes=20),
            started_at=now - timedelta(minutes=20),
            ended_at=now if status == "held" else None,
            summary="They would come back for next-day delivery." if status == "held" else "",
            follow_up_permission=True if status == "held" else None,
        )
    )
    db.session.add_all(
        InterviewNote(interview_id=made.id, question_id=item.question_id, text="Heard this.")
        for item in asked.items
    )
    open_items([account] * n, user, interview_id=made.id)
    db.session.add_all(
        Incentive(
            account_id=account.id,
            contact_id=account.contacts[i].id,
            interview_id=made.id,
            amount=Decimal("25"),
            charity="Oxfam",
        )
        for i in range(n)
    )
    return made, user


@register(PAGES, "interview, in progress")
def _interview_running(n):
    made, user = _interview(n, "in_progress")
    return Visit(f"/discovery/interviews/{made.id}", user)


@register(PAGES, "interview, held")
def _interview_held(n):
    made, user = _interview(n, "held")
    return Visit(f"/discovery/interviews/{made.id}", user)


@register(PAGES, "new interview, accounts found")
def _interview_accounts(n):
    accounts(n)
    return Visit("/discovery/interviews/new?q=account", person(), partial=True)


@register(PAGES, "new interview form")
def _interview_form(n):
    user = person()
    account = account_with(n, user)
    people(n)
    for _ in range(n):
        guide()
    return Visit(f"/discovery/interviews/new?account_id={account.id}", user)


# --- Surveys, invitations and thank-yous ----------------------------------------------------


@register(PAGES, "surveys")
def _surveys(n):
    made = accounts(2)
    for _ in range(n):
        asked = survey()
        db.session.add_all(invite(asked, a, a.contacts[0]) for a in made)
    return Visit("/discovery/surveys/", person())


def _survey_of(n, status="draft"):
    """A survey of ``n`` questions, one of them a choice bound to ``n`` loss reasons, and
    ``n`` email scripts to choose from."""
    asked = survey(n, status=status)
    bound = asked.questions[1]
    bound.bound_to_reasons = True
    bound.options = [
        SurveyOption(label=reason.name, position=i, reason_id=reason.id)
        for i, reason in enumerate(reasons(n))
    ]
    db.session.add_all(Script(kind="email", name=f"Invitation {i}", body="Hi") for i in range(n))
    db.session.flush()
    return asked


@register(PAGES, "survey")
def _survey(n):
    return Visit(f"/discovery/surveys/{_survey_of(n).id}", person())


@register(PAGES, "survey questions block")
def _survey_questions(n):
    return Visit(f"/discovery/surveys/{_survey_of(n).id}/questions", person(), partial=True)


@register(PAGES, "survey preview")
def _survey_preview(n):
    return Visit(f"/discovery/surveys/{_survey_of(n).id}/preview", person())


@register(PAGES, "survey form")
def _survey_form(n):
    return Visit(f"/discovery/surveys/{_survey_of(n).id}/edit", person())


@register(PAGES, "new survey form")
def _survey_new(n):
    _survey_of(n)
    return Visit("/discovery/surveys/new", person())


@register(PAGES, "survey question form")
def _survey_question(n):
    asked = _survey_of(n)
    url = f"/discovery/surveys/{asked.id}/questions/{asked.questions[1].id}/edit"
    return Visit(url, person(), partial=True)


def _invited(n) -> Invitation:
    """An open survey with ``n`` invitations in every state, some answered."""
    asked = survey()
    now = utcnow()
    states = (
        {"answered_at": now},
        {"opened_at": now},
        {"bounced_at": now},
        {"unsubscribed_at": now},
        {"reminders_sent": 1, "last_reminder_at": now - timedelta(days=9)},
        {"sent_at": now - timedelta(days=10)},
    )
    rows = [invite(asked, a, a.contacts[0]) for a in accounts(n)]
    for i, row in enumerate(rows):
        for name, value in states[i % len(states)].items():
            setattr(row, name, value)
    db.session.add_all(rows)
    db.session.flush()
    db.session.add_all(respond(row, asked) for row in rows if row.answered_at)
    return asked


@register(PAGES, "survey invitations")
def _survey_invitations(n):
    return Visit(f"/discovery/surveys/{_invited(n).id}/invitations", person())


@register(PAGES, "survey results")
def _survey_results(n):
    asked = _invited(n)
    return Visit(f"/discovery/surveys/{asked.id}/results", person())


@register(PAGES, "invite, chosen by filters")
def _invite_filtered(n):
    asked = survey()
    made = accounts(n)
    made[0].contacts[0].do_not_email = True
    db.session.add(invite(asked, made[1], made[1].contacts[0]))
    return Visit(f"/discovery/surveys/{asked.id}/invite?kind=former_customer", person())


@register(PAGES, "invite, ticked accounts")
def _invite_ticked(n):
    asked = survey()
    ids = "&".join(f"ids={a.id}" for a in accounts(n))
    return Visit(f"/discovery/surveys/{asked.id}/invite?{ids}", person())


@register(PAGES, "invite, choose a survey")
def _invite_start(n):
    for _ in range(n):
        survey()
    ids = "&".join(f"ids={a.id}" for a in accounts(2))
    return Visit(f"/discovery/invite?{ids}", person())


for _show in ("owed", "paid", "all"):

    @register(PAGES, f"thank-yous, {_show}")
    def _incentives(n, show=_show):
        made = accounts(n)
        db.session.add_all(
            Incentive(
                account_id=a.id,
                contact_id=a.contacts[0].id,
                amount=Decimal("50"),
                charity="Red Cross" if i % 2 else "",
                status=("offered", "pledged", "paid")[i % 3],
                pledged_at=utcnow() if i % 3 else None,
                paid_on=date.today() if i % 3 == 2 else None,
                reference="PAY-1" if i % 3 == 2 else "",
            )
            for i, a in enumerate(made)
        )
        return Visit(f"/discovery/incentives/?show={show}", person())


def _link(n, **values) -> str:
    """A private survey link to a survey of ``n`` questions."""
    asked = survey(n)
    account = accounts(1)[0]
    token = tokens.new_token()
    row = add(invite(asked, account, account.contacts[0], **values))
    row.token_hash = tokens.hash_token(token)
    if values.get("answered_at"):
        add(respond(row, asked))
    return token


@register(PAGES, "public survey")
def _public(n):
    return Visit(f"/s/{_link(n)}", None)


@register(PAGES, "public survey, answered")
def _public_answered(n):
    return Visit(f"/s/{_link(n, answered_at=utcnow())}", None)


@register(PAGES, "public unsubscribe")
def _public_unsubscribe(n):
    return Visit(f"/s/{_link(n)}/unsubscribe", None)


# --- Plans and evidence ------------------------------------------------------------------


@register(PAGES, "plans")
def _plans(n):
    user = person()
    for account in accounts(n, owner=user):
        plan(account, 2, user)
    return Visit("/plans/", user)


def _full_plan(n):
    """A plan with ``n`` solutions and action items, on an account with ``n`` reasons in each
    view; ``n`` writers, ``n`` tone rules and ``n`` pieces of evidence to pick from."""
    user = person()
    made = plan(account_with(n, user), n, user)
    people(n)
    db.session.add_all(
        ToneRule(phrase=f"phrase {i}", kind="competitor", suggestion="Say it kindly.")
        for i in range(n)
    )
    answered = reasons(2)
    db.session.add_all(
        Evidence(title=f"Pick {i}", approved=True, reasons=answered) for i in range(n)
    )
    db.session.flush()
    return made, user


@register(PAGES, "plan")
def _plan(n):
    made, user = _full_plan(n)
    return Visit(f"/plans/{made.id}", user)


@register(PAGES, "plan section block")
def _plan_section(n):
    made, user = _full_plan(n)
    return Visit(f"/plans/{made.id}/cause", user, partial=True)


@register(PAGES, "plan evidence picker")
def _plan_picker(n):
    made, user = _full_plan(n)
    return Visit(f"/plans/{made.id}/evidence-picker", user, partial=True)


@register(PAGES, "plan print view")
def _plan_print(n):
    made, user = _full_plan(n)
    return Visit(f"/plans/{made.id}/print", user)


@register(PAGES, "plan PDF")
def _plan_pdf(n):
    made, user = _full_plan(n)
    return Visit(f"/plans/{made.id}.pdf", user)


@register(PAGES, "tone rules")
def _tone_rules(n):
    db.session.add_all(ToneRule(phrase=f"phrase {i}", kind="argue") for i in range(n))
    return Visit("/plans/tone-rules/", person("admin"))


def _library(n) -> list[Evidence]:
    answered = reasons(3)
    made = [
        Evidence(
            title=f"Evidence {i}",
            what_changed="New machines.",
            metric_name="defects",
            metric_before=Decimal(40),
            metric_after=Decimal(2),
            metric_unit="%",
            proof_url="https://intranet.example/q2",
            approved=bool(i % 2),
            reasons=answered[: 1 + i % 3],
        )
        for i in range(n)
    ]
    db.session.add_all(made)
    db.session.flush()
    reasons(n)  # the filter offers every reason
    return made


@register(PAGES, "evidence library")
def _evidence(n):
    _library(n)
    return Visit("/evidence/", person())


@register(PAGES, "evidence library, filtered")
def _evidence_filtered(n):
    made = _library(n)
    return Visit(f"/evidence/?reason_id={made[0].reasons[0].id}&show=approved", person())


@register(PAGES, "new evidence form")
def _evidence_new(n):
    _library(n)
    return Visit("/evidence/new", person())


@register(PAGES, "evidence form")
def _evidence_form(n):
    made = _library(n)
    return Visit(f"/evidence/{made[0].id}/edit", person())


@pytest.mark.parametrize("name", list(PAGES))
def test_the_page_runs_as_many_queries_for_5_rows_as_for_50(site, name):
    check(site, PAGES[name])
