"""Attempts and call-backs, account by account.

Attempts fall between the day after the account was logged and its last contact (known from
the account stage), more of them early on. About half of the calls end in voicemail or no
answer and a third of all attempts reach someone. Call-backs follow the app's schedule
(contract timing, keep-in-touch for nurture) plus hand-made ones: done ones (many closed by an
attempt), overdue ones and ones still to come; won-back and closed accounts have none open.
"""

from datetime import UTC, datetime, time, timedelta

from bench.seed import clock, phrases, shares
from bench.seed.book import FINISHED
from winback_app.dates import months_between
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.callbacks.models import Callback
from winback_app.outreach.callbacks.services import contract_dates

# (channel, outcome, minutes on the line (low, high) or None) and how often each happens.
ATTEMPTS = {
    ("phone", "reached", (3, 30)): 45 * 30,
    ("phone", "declined", (1, 5)): 45 * 7,
    ("phone", "no_answer", None): 45 * 30,
    ("phone", "left_voicemail", None): 45 * 28,
    ("phone", "wrong_number", None): 45 * 5,
    ("voicemail", "left_voicemail", None): 15 * 100,
    ("email", "email_sent", None): 35 * 68,
    ("email", "replied", None): 35 * 22,
    ("email", "declined", None): 35 * 5,
    ("email", "bounced", None): 35 * 5,
    ("meeting", "reached", (30, 90)): 5 * 95,
    ("meeting", "declined", (15, 45)): 5 * 5,
}
KINDS = list(ATTEMPTS)
CUMULATIVE = shares.cumulative(ATTEMPTS.values())
NOTE_SHARE = 0.35
DONE_SHARE, OVERDUE_SHARE = 0.62, 0.08
RECENT = timedelta(days=90)


def _attempts(ctx, seed, members: list[int]) -> list[tuple[int, datetime]]:
    """The account's attempts (the latest at ``seed.last_at``), as (id, at) pairs."""
    rng, writer, table = ctx.rng, ctx.writer, Attempt.__table__
    last, first = seed.last_at, seed.created_at
    span = (last.date() - seed.start_day).days
    made = []
    for number, (channel, outcome, minutes) in enumerate(
        rng.choices(KINDS, cum_weights=CUMULATIVE, k=seed.attempts)
    ):
        if number == 0:
            at = last
        else:
            day = seed.start_day + timedelta(days=int(span * rng.random() ** 1.3))
            at = max(min(clock.at_work(rng, day, ctx.now), last), first)
        # Mostly the owner; teammates cover holidays and busy weeks.
        user_id = seed.owner_id if seed.owner_id and rng.random() < 0.85 else rng.choice(members)
        contacts = seed.contacts
        attempt_id = writer.new_id(table)
        writer.add(
            table,
            {
                "id": attempt_id,
                "account_id": seed.id,
                "contact_id": contacts[0] if rng.random() < 0.6 else rng.choice(contacts),
                "user_id": user_id,
                "channel": channel,
                "outcome": outcome,
                "at": at,
                "duration_minutes": minutes and rng.randint(*minutes),
                "notes": (
                    rng.choice(phrases.ATTEMPT_NOTES[outcome]) if rng.random() < NOTE_SHARE else ""
                ),
                "created_at": at,
            },
        )
        made.append((attempt_id, at))
    return made


def _callback(ctx, seed, due, kind: str, note: str, done_at=None, **extra) -> None:
    """Queue one call-back, created some days before it was due (never before the account)."""
    rng = ctx.rng
    created = datetime.combine(due - timedelta(days=rng.randint(1, 21)), time(9), UTC)
    created = min(max(created, seed.created_at), done_at or ctx.now, ctx.now)
    table = Callback.__table__
    ctx.writer.add(
        table,
        {
            "id": ctx.writer.new_id(table),
            "account_id": seed.id,
            "user_id": seed.owner_id,
            "due_on": due,
            "kind": kind,
            "note": note,
            "snoozed_from": extra.get("snoozed_from"),
            "done_at": done_at,
            "attempt_id": extra.get("attempt_id"),
            "created_at": created,
        },
    )


def _scheduled(ctx, seed) -> None:
    """Contract-timed and keep-in-touch call-backs, as the app's schedule makes them."""
    rng, today, ref = ctx.rng, ctx.today, ctx.ref
    finished = seed.status in FINISHED
    if seed.contract_start:
        term = seed.contract_term
        for due in contract_dates(
            seed.contract_start,
            term,
            ref.callback_start_percent,
            ref.callback_interval_months,
        ):
            if finished and due >= seed.end_day:
                continue
            months = months_between(seed.contract_start, due)
            note = f"{months} months into their {term}-month contract"
            # Older ones were handled; a few recent ones are still waiting.
            done = due < today and (finished or due < today - RECENT or rng.random() < 0.7)
            done_at = clock.at_work(rng, due + timedelta(days=rng.randrange(8)), ctx.now)
            _callback(ctx, seed, due, "contract", note, done_at if done else None)
    if seed.status == "nurture":
        for back in range(1, 1 + min(3, (seed.end_day - seed.start_day).days // 180)):
            due = max(today - timedelta(days=180 * back), seed.start_day)
            done_at = clock.at_work(rng, due + timedelta(days=rng.randrange(5)), ctx.now)
            _callback(ctx, seed, due, "nurture", phrases.NURTURE_NOTE, done_at)
        if rng.random() < 0.85:
            due = today + timedelta(days=rng.randint(1, 180))
        else:
            due = max(today - timedelta(days=rng.randint(1, 60)), seed.start_day)
        _callback(ctx, seed, due, "nurture", phrases.NURTURE_NOTE)


def _by_hand(ctx, seed, attempts: list[tuple[int, datetime]]) -> None:
    """Hand-made and planner call-backs: done (often by an attempt), overdue, or to come."""
    rng, today = ctx.rng, ctx.today
    finished = seed.status in FINISHED
    for _ in range(seed.callbacks):
        note = rng.choice(phrases.CALLBACK_NOTES) if rng.random() < 0.7 else ""
        roll = 0.0 if finished else rng.random()
        if roll < DONE_SHARE:
            if attempts and rng.random() < 0.7:
                attempt_id, at = rng.choice(attempts)
                _callback(ctx, seed, at.date(), "manual", note, at, attempt_id=attempt_id)
            else:
                last = min(seed.end_day, today - timedelta(days=1))
                due = clock.day_between(rng, seed.start_day, last)
                _callback(ctx, seed, due, "manual", note, clock.at_work(rng, due, ctx.now))
            continue
        if roll < DONE_SHARE + OVERDUE_SHARE:
            due = min(max(today - timedelta(days=rng.randint(1, 90)), seed.start_day), today)
        else:
            due = today + timedelta(days=rng.randint(0, 45))
        kind = "planner" if rng.random() < 0.15 else "manual"
        snoozed = due - timedelta(days=7) if rng.random() < 0.1 else None
        _callback(ctx, seed, due, kind, note, snoozed_from=snoozed)


def build(ctx, seeds) -> None:
    """Every account's attempts and call-backs."""
    members = ctx.ref.member_ids
    for seed in seeds:
        attempts = _attempts(ctx, seed, members) if seed.attempts else []
        _scheduled(ctx, seed)
        _by_hand(ctx, seed, attempts)
