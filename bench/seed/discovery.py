"""Survey invitations, the responses to about a third of them, and the thank-yous promised.

Invitations go to contacts who may be emailed (an address, not "do not email", the account not
"do not contact"), at most once per survey; a contact who unsubscribed from the older survey
is not invited to the newer one. Answers to the question bound to the loss reasons pick the
reasons already in the account's customer view, so the two stay consistent.
"""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import bindparam, update

from bench.seed import phrases
from winback_app.accounts.models import Contact
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.invitations.models import Answer, Invitation, Response

SHARES = {"answered": 0.35, "opened": 0.15, "bounced": 0.04, "unsubscribed": 0.02}
RATINGS = {1: 15, 2: 25, 3: 30, 4: 20, 5: 10}
AMOUNTS = (Decimal(25), Decimal(50), Decimal(100))


def _answers(ctx, response_id: int, questions, seed) -> None:
    """The answers of one response: a rating always, the other questions mostly."""
    rng, table = ctx.rng, Answer.__table__
    chosen = []
    for question_id, kind, options in questions:
        if kind == "rating":
            chosen.append((question_id, rng.choices(list(RATINGS), RATINGS.values())[0], "", None))
        elif kind == "likelihood" and rng.random() < 0.8:
            chosen.append((question_id, min(10, int(rng.triangular(0, 11, 4))), "", None))
        elif kind == "text" and rng.random() < 0.55:
            chosen.append((question_id, None, rng.choice(phrases.SURVEY_TEXTS), ""))
        elif kind == "multiple" and any(reason for _, reason in options):
            picked = [oid for oid, reason in options if reason in seed.customer]
            chosen.extend((question_id, None, "", oid) for oid in picked)
        elif kind in ("single", "multiple") and options and rng.random() < 0.85:
            chosen.append((question_id, None, "", rng.choice(options)[0]))
    for question_id, number, text, option_id in chosen:
        ctx.writer.add(
            table,
            {
                "id": ctx.writer.new_id(table),
                "response_id": response_id,
                "question_id": question_id,
                "number": number,
                "text": text or "",
                "option_id": option_id or None,
            },
        )


def _incentive(ctx, seed, contact_id: int, invitation_id: int, answered) -> None:
    """A thank-you for an answered survey: offered, pledged to a charity, or paid."""
    rng, table = ctx.rng, Incentive.__table__
    charities = ctx.ref.charities
    status = rng.choices(("offered", "pledged", "paid"), weights=(20, 30, 50))[0]
    pledged = min(answered + timedelta(days=rng.randint(1, 5)), ctx.now)
    paid_on = min((pledged + timedelta(days=rng.randint(1, 30))).date(), ctx.today)
    ctx.writer.add(
        table,
        {
            "id": (incentive_id := ctx.writer.new_id(table)),
            "account_id": seed.id,
            "contact_id": contact_id,
            "interview_id": None,
            "invitation_id": invitation_id,
            "charity": rng.choice(charities) if status != "offered" and charities else "",
            "amount": rng.choice(AMOUNTS),
            "status": status,
            "offered_at": answered,
            "pledged_at": pledged if status != "offered" else None,
            "paid_on": paid_on if status == "paid" else None,
            "reference": f"DON-{incentive_id:06d}" if status == "paid" else "",
            "notes": "",
            "created_by_id": seed.owner_id or ctx.ref.admin_ids[0],
        },
    )


def _invite(ctx, survey, seed, contact_id: int, gone: dict) -> None:
    """One invitation, sent some time after the survey opened, and what became of it."""
    rng, now, writer = ctx.rng, ctx.now, ctx.writer
    earliest = max(survey.opened_at, seed.created_at + timedelta(days=1))
    sent = earliest + (now - timedelta(hours=1) - earliest) * rng.random()
    opened = sent + timedelta(minutes=rng.randint(10, 48 * 60))
    roll, state, threshold = rng.random(), "sent", 0.0
    for name, share in SHARES.items():
        threshold += share
        if roll < threshold:
            state = name
            break
    if opened + timedelta(minutes=30) > now and state != "bounced":
        state = "sent"
    answered = opened + timedelta(minutes=rng.randint(2, 20)) if state == "answered" else None
    weeks = (now - sent).days // survey.reminder_after_days
    reminders = 0 if state != "sent" else min(weeks, rng.choice((0, 1, 1, 2)))
    table = Invitation.__table__
    invitation_id = writer.new_id(table)
    writer.add(
        table,
        {
            "id": invitation_id,
            "survey_id": survey.id,
            "account_id": seed.id,
            "contact_id": contact_id,
            "token_hash": f"{rng.getrandbits(256):064x}",
            "created_at": sent - timedelta(minutes=rng.randint(1, 60)),
            "expires_at": sent + timedelta(days=survey.expires_days),
            "sent_at": sent,
            "opened_at": opened if state in ("answered", "opened", "unsubscribed") else None,
            "answered_at": answered,
            "bounced_at": sent + timedelta(minutes=2) if state == "bounced" else None,
            "unsubscribed_at": opened + timedelta(minutes=1) if state == "unsubscribed" else None,
            "reminders_sent": reminders,
            "last_reminder_at": (
                sent + timedelta(days=survey.reminder_after_days * reminders) if reminders else None
            ),
        },
    )
    if state == "unsubscribed":
        gone[contact_id] = opened + timedelta(minutes=1)
    if answered is None:
        return
    response_id = writer.new_id(Response.__table__)
    writer.add(
        Response.__table__,
        {"id": response_id, "invitation_id": invitation_id, "submitted_at": answered},
    )
    _answers(ctx, response_id, survey.questions, seed)
    if rng.random() < 0.4:
        _incentive(ctx, seed, contact_id, invitation_id, answered)


def build(ctx, seeds) -> None:
    """Invite accounts/5 contacts over the open surveys, oldest survey first."""
    rng, total = ctx.rng, len(seeds) // 5
    settled = ctx.now - timedelta(days=2)
    eligible = [
        (seed, contact_id)
        for seed in seeds
        if seed.created_at < settled
        for contact_id in seed.emailable
    ]
    gone: dict[int, object] = {}
    left = total
    for number, survey in enumerate(ctx.ref.surveys):
        count = left if number == len(ctx.ref.surveys) - 1 else round(total * survey.share)
        pool = [pair for pair in eligible if pair[1] not in gone]
        chosen = sorted(rng.sample(pool, min(count, len(pool))), key=lambda pair: pair[0].id)
        for seed, contact_id in chosen:
            _invite(ctx, survey, seed, contact_id, gone)
        left -= len(chosen)
    ctx.writer.flush()
    if gone:
        # The contact unsubscribed through the link: no more survey emails, from any survey.
        with ctx.writer.engine.begin() as connection:
            connection.execute(
                update(Contact.__table__)
                .where(Contact.__table__.c.id == bindparam("contact"))
                .values(unsubscribed_at=bindparam("at")),
                [{"contact": cid, "at": at} for cid, at in gone.items()],
            )
