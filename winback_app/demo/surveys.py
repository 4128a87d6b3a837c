"""Demo survey for `flask seed-demo`: an open "Why did you leave us?" with one question of each
type (the multiple choice bound to the loss reasons), invitations to demo contacts, and a few
responses stored through the same service as real answers, so the results and the account
pages have something to show.

The demo links' tokens are not kept (only their hashes are stored), so they cannot be opened;
the builder's preview shows what a contact sees.
"""

from datetime import date, timedelta

from sqlalchemy import select

from winback_app import tokens
from winback_app.accounts.models import Account, Contact, LossReason
from winback_app.discovery.incentives import services as incentives
from winback_app.discovery.invitations.models import Invitation
from winback_app.discovery.public import services as survey_responses
from winback_app.discovery.surveys import services as surveys
from winback_app.discovery.surveys.models import Survey
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.models import utcnow

TITLE = "Why did you leave us?"
QUESTIONS = (
    {"kind": "rating", "text": "How would you rate the service you had from us?", "required": True},
    {"kind": "multiple", "text": "What made you leave?", "bound_to_reasons": True},
    {
        "kind": "single",
        "text": "Who decided to change supplier?",
        "options": ["I did", "My manager", "Purchasing", "Someone else"],
    },
    {"kind": "likelihood", "text": "How likely are you to work with us again?"},
    {"kind": "text", "text": "What would we have to change for you to come back?"},
)
# rating, reasons chosen, who decided (option index), likelihood, words
ANSWERS = (
    (2, ("Late deliveries",), 0, 6, "Get deliveries right for three months and call me."),
    (3, ("Price too high", "Competitor offered a discount"), 2, 4, ""),
    (
        1,
        ("Wrong invoices", "Slow credit notes"),
        1,
        3,
        "One contact who answers billing questions.",
    ),
    (4, ("Budget cut",), 0, 8, "Nothing: our budget is back next year."),
    (2, ("Slow support", "No single point of contact"), 0, 5, "A named engineer we can call."),
    (3, ("Competitor launched a better product",), 3, 2, ""),
    (2, ("Late deliveries", "Wrong or incomplete orders"), 1, 7, "Proof that the new depot works."),
)
INVITED = 14


def seed(today: date | None = None) -> None:
    """Add the demo survey, its invitations and responses unless the survey exists."""
    if db.session.scalar(select(Survey.id).where(Survey.title == TITLE)) is not None:
        return
    survey = surveys.create_survey(
        {
            "title": TITLE,
            "intro": "We would like to learn why you chose as you did, and what we should "
            "change. Thank you for your time.",
            "thank_you": "Thank you. We read every answer.",
            "expires_days": 30,
            "max_reminders": 2,
            "reminder_after_days": 7,
        },
        None,
    )
    # The reason question offers the few reasons the demo answers use, as a real one would.
    named = {name for _, chosen, *_ in ANSWERS for name in chosen}
    reason_ids = list(db.session.scalars(select(LossReason.id).where(LossReason.name.in_(named))))
    for values in QUESTIONS:
        surveys.add_question(
            survey, {"required": False, "options": [], "reason_ids": reason_ids, **values}
        )
    surveys.set_status(survey, "open")
    invitations = _invite(survey)
    offered = incentives.charities()
    for number, (invitation, (rating, reasons, who, likelihood, words)) in enumerate(
        zip(invitations, ANSWERS, strict=False)
    ):
        q = {question.kind: question for question in survey.questions}
        form = {
            f"q{q['rating'].id}": [str(rating)],
            f"q{q['multiple'].id}": [
                str(o.id) for o in q["multiple"].options if o.label in reasons
            ],
            f"q{q['single'].id}": [str(q["single"].options[who].id)],
            f"q{q['likelihood'].id}": [str(likelihood)],
            f"q{q['text'].id}": [words],
        }
        if offered and number % 3:
            form["charity"] = [offered[number % len(offered)]]
        answers, errors = survey_responses.read_answers(survey, form)
        if not errors:
            invitation.opened_at = invitation.sent_at + timedelta(hours=3)
            survey_responses.submit(invitation, answers, today or today_local())


def _invite(survey: Survey) -> list[Invitation]:
    """Invite the primary contact of the first demo accounts that may be emailed."""
    contacts = db.session.scalars(
        select(Contact)
        .join(Account, Contact.account_id == Account.id)
        .where(
            Contact.is_primary.is_(True),
            Contact.email != "",
            Contact.do_not_email.is_(False),
            Account.do_not_contact.is_(False),
        )
        .order_by(Account.id)
        .limit(INVITED)
    )
    now = utcnow()
    invitations = []
    for index, contact in enumerate(contacts):
        sent = now - timedelta(days=2 + index)
        invitation = Invitation(
            survey_id=survey.id,
            account_id=contact.account_id,
            contact_id=contact.id,
            token_hash=tokens.hash_token(tokens.new_token()),
            sent_at=sent,
            opened_at=sent + timedelta(hours=5) if index % 3 == 0 else None,
            expires_at=sent + timedelta(days=survey.expires_days),
        )
        db.session.add(invitation)
        invitations.append(invitation)
    db.session.commit()
    return invitations
