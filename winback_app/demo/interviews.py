"""Demo discovery for `flask seed-demo`: the two standard guides (a lost-deal interview and
the leader call), one held interview with its notes and action items, and one to come."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from winback_app.accounts.models import Account
from winback_app.auth import services as users
from winback_app.discovery.guides import services as guides
from winback_app.discovery.guides.models import Guide, GuideQuestion, Question
from winback_app.discovery.interviews import notes
from winback_app.discovery.interviews import services as interviews
from winback_app.discovery.interviews.models import Interview
from winback_app.extensions import db
from winback_app.formatting import today_local

HELD_ON = "Harbor Logistics"
UPCOMING_WITH = "Orion Print Works"
NOTES = (
    "Operations director, Dana, and their buyer chose together. Were happy with us for six years.",
    "Wanted next-day deliveries to their three depots without calling anyone.",
    "Three late deliveries in one month before the peak season. That was the end of it.",
    "The account manager changed twice in a year; nobody knew their history.",
    "Proof that deliveries are on time now, and one named contact.",
    "About 8% cheaper, but price was not the reason. Said so twice.",
)
SUMMARY = (
    "They left over late deliveries before their peak season, not price. A single named "
    "contact and proof of on-time delivery would bring them back to the table."
)
QUOTES = "“We didn’t leave for the money. We left because we stopped trusting the deliveries.”"


def seed(today: date | None = None) -> None:
    """Add the guides and demo interviews that are missing."""
    today = today or today_local()
    _guides()
    if db.session.scalar(select(func.count(Interview.id))):
        return
    sam, jo = users.user_by_email("sam@example.com"), users.user_by_email("jo@example.com")
    guide = db.session.scalar(select(Guide).where(Guide.name == GUIDES[0][0]))
    account = db.session.scalar(select(Account).where(Account.name == HELD_ON))
    if sam and jo and account and account.contacts:
        _held(account, guide, sam, jo, today)
    upcoming = db.session.scalar(select(Account).where(Account.name == UPCOMING_WITH))
    if sam and jo and upcoming and upcoming.contacts and not upcoming.do_not_contact:
        leader_call = db.session.scalar(select(Guide).where(Guide.name == GUIDES[1][0]))
        when = datetime.combine(today + timedelta(days=2), time(14, 0), UTC)
        _schedule(upcoming, leader_call, (sam, jo), when)


def _guides() -> None:
    """The two standard guides, unless guides with their names exist."""
    existing = set(db.session.scalars(select(Guide.name)))
    for name, description, questions in GUIDES:
        if name in existing:
            continue
        guide = Guide(name=name, description=description, budget_minutes=guides.DEFAULT_BUDGET)
        for position, (stage, minutes, text, hint) in enumerate(questions):
            question = Question(text=text, stage=stage, minutes=Decimal(minutes), hint=hint)
            guide.items.append(GuideQuestion(question=question, position=position))
        db.session.add(guide)
    db.session.commit()


def _schedule(account, guide, people, when: datetime, **options) -> Interview:
    """An interview with the account's first contact, run by ``people`` (interviewer, partner)."""
    interviewer, partner = people
    return interviews.schedule(
        account,
        contact_id=account.contacts[0].id,
        guide_id=guide.id,
        interviewer=interviewer,
        partner=partner,
        when=when,
        **options,
    )


def _held(account, guide, sam, jo, today: date) -> None:
    """A lost-deal interview held last week, closed through the service like any other."""
    started = datetime.combine(today - timedelta(days=6), time(10, 0), UTC)
    interview = _schedule(account, guide, (sam, jo), started, confirm_do_not_contact=True)
    interview.started_at, interview.status = started, "in_progress"
    # Notes on the first questions; the interview ran short of time for the last ones.
    noted = zip([item.question_id for item in guide.items], NOTES, strict=False)
    notes.save_notes(interview, dict(noted))
    chosen = account.reasons_for("customer")
    interviews.close(
        interview,
        interviews.Closing(
            summary=SUMMARY,
            key_quotes=QUOTES,
            reason_ids=[r.reason_id for r in chosen],
            primary_id=next((r.reason_id for r in chosen if r.is_primary), None),
            words=account.customer_words,
            follow_up_permission=True,
            action_items=[
                ("Send the on-time delivery figures since the new routes", jo, sam, today),
                ("Introduce their single named contact", jo, sam, today + timedelta(days=5)),
            ],
        ),
        sam,
        today,
    )
    interview.ended_at = started + timedelta(minutes=16)
    db.session.commit()


# Written from the field's advice: about 15 minutes, easy questions first, price and discounts
# late, and the last question asks whether we may call again (a yes is a friendly loss).
GUIDES = (
    (
        "Lost-deal interview",
        "For a deal we lost: learn how the decision was made and what would have changed it.",
        (
            (
                "warm_up",
                "1.5",
                "Thank you for your time. How did you come to look for a "
                "new supplier, and who was involved in the decision?",
                "Open gently; they owe us nothing. Read the sales-history summary before the call.",
            ),
            ("warm_up", "1.5", "What were you hoping the new solution would do for you?", ""),
            (
                "core",
                "3",
                "What made the difference in the end?",
                "Listen; never argue with their reason. Play back what you heard.",
            ),
            (
                "core",
                "2.5",
                "Where did we fall short: the product, delivery, service, or "
                "the people you dealt with?",
                "Probe for an example.",
            ),
            ("core", "2", "What would we need to show you to be considered next time?", ""),
            (
                "sensitive",
                "2",
                "How did our price and terms compare with what you chose?",
                "Ask late, once there is trust.",
            ),
            ("sensitive", "1.5", "Did discounts or the contract length play a part?", ""),
            (
                "core",
                "1",
                "May we call you again, say when your contract comes up for renewal?",
                "A yes makes this a friendly loss. Offer the thank-you.",
            ),
        ),
    ),
    (
        "Leader call",
        "The four-step call a team lead makes to a customer who left. The leader listens; "
        "a teammate handles the logistics and the follow-ups.",
        (
            (
                "warm_up",
                "2",
                "Acknowledge that they left: “You moved your business away "
                "from us and I wanted to hear it from you. What happened?”",
                "Thank them for taking the call. The teammate takes the notes.",
            ),
            (
                "core",
                "4",
                "Listen and probe: “Tell me more. What did that cost you?” Then "
                "play back what you heard.",
                "Let them finish. Do not defend or explain.",
            ),
            (
                "sensitive",
                "2",
                "Was price or the terms we offered part of it?",
                "Only once they have told their story.",
            ),
            (
                "core",
                "3",
                "Ask whether they would accept our help, and offer concrete options.",
                "Have two or three options ready; never attack the competitor.",
            ),
            (
                "core",
                "2",
                "Close with thanks and the next steps: who does what by when, and "
                "may we call again?",
                "The teammate confirms the next steps in writing.",
            ),
        ),
    ),
)
