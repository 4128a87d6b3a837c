"""The small lists the large tables refer to: the team, reasons, competitors, settings,
scripts, tone rules, surveys and evidence. Most go through the app's own services."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from flask import current_app
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from bench.seed import phrases, words
from winback_app.accounts.models import LossReason, ReasonCategory
from winback_app.accounts.taxonomy import defaults
from winback_app.accounts.taxonomy import services as taxonomy
from winback_app.auth.models import User
from winback_app.core.settings import services as team_settings
from winback_app.demo.surveys import QUESTIONS
from winback_app.discovery.surveys import services as surveys
from winback_app.extensions import db
from winback_app.outreach.scripts import services as scripts
from winback_app.plans.evidence.models import Evidence, evidence_reasons
from winback_app.tone import rules as tone

PASSWORD = "winback-bench"
ADMIN_EMAIL = "bench-admin@example.com"
MEMBERS, VIEWERS = 24, 4
# How often each default category is the reason, so the reports show a realistic mix.
CATEGORY_WEIGHTS = {
    "Price": 18,
    "Delivery problems": 12,
    "Service / support": 12,
    "Competitor's new product": 10,
    "Quality / defects": 8,
    "Budget cut": 8,
    "Billing errors": 7,
    "Relationship": 7,
    "Needs changed": 7,
    "Product gap": 6,
    "No decision": 4,
    "Other": 1,
}
SURVEYS = (
    ("Why did you leave us?", 30, 0.6),  # title, opened months ago, share of invitations
    ("A year on: would you consider us again?", 5, 0.4),
)


@dataclass
class Reason:
    """A loss reason with what the generator needs: its category and how common it is."""

    id: int
    name: str
    category_id: int
    category: str
    weight: float


@dataclass
class OpenSurvey:
    """An open survey: what its invitations need, and its share of them."""

    id: int
    opened_at: datetime
    expires_days: int
    reminder_after_days: int
    share: float
    # (question id, kind, [(option id, reason id or None), …]) in order
    questions: list[tuple[int, str, list[tuple[int, int | None]]]]


@dataclass
class Reference:
    """Ids, names and settings of the small lists, copied out of the ORM so the large
    stages run no queries of their own."""

    admin_ids: list[int]
    member_ids: list[int]
    reasons: list[Reason]
    competitors: list[tuple[int, str]]
    surveys: list[OpenSurvey]
    callback_start_percent: int
    callback_interval_months: int
    charities: list[str]
    evidence: dict[int, list[tuple[int, str]]] = field(default_factory=dict)


def _users(ctx) -> tuple[list[int], list[int]]:
    """Two admins, the reps and a few viewers, all with the same printed password."""
    password_hash = generate_password_hash(
        PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"]
    )
    team = [(ADMIN_EMAIL, "admin", words.USER_TITLES["admin"])]
    team.append(("bench-lead@example.com", "admin", words.USER_TITLES["lead"]))
    for n in range(1, MEMBERS + 1):
        title = words.USER_TITLES["member"][n % len(words.USER_TITLES["member"])]
        team.append((f"bench-rep{n}@example.com", "member", title))
    for n in range(1, VIEWERS + 1):
        title = words.USER_TITLES["viewer"][n % len(words.USER_TITLES["viewer"])]
        team.append((f"bench-viewer{n}@example.com", "viewer", title))
    names = ctx.rng.sample(
        [f"{first} {last}" for first in words.FIRST_NAMES for last in words.LAST_NAMES], len(team)
    )
    table = User.__table__
    ids = {"admin": [], "member": []}
    created = datetime.combine(ctx.today - timedelta(days=6 * 365 + 30), time(9), UTC)
    for (email, role, title), name in zip(team, names, strict=True):
        user_id = ctx.writer.new_id(table)
        ids.setdefault(role, []).append(user_id)
        ctx.writer.add(
            table,
            {
                "id": user_id,
                "email": email,
                "name": name,
                "title": title,
                "password_hash": password_hash,
                "role": role,
                "active": True,
                "auth_version": 1,
                "created_at": created,
                "last_login_at": None,
            },
        )
    ctx.writer.flush()
    return ids["admin"], ids["member"]


def _reasons() -> list[Reason]:
    rows = db.session.execute(
        select(LossReason.id, LossReason.name, ReasonCategory.id, ReasonCategory.name)
        .join(LossReason.category)
        .where(LossReason.retired.is_(False), ReasonCategory.retired.is_(False))
        .order_by(ReasonCategory.position, LossReason.position, LossReason.id)
    ).all()
    counts = {}
    for row in rows:
        counts[row[2]] = counts.get(row[2], 0) + 1
    return [
        Reason(rid, name, cid, category, CATEGORY_WEIGHTS.get(category, 5) / counts[cid])
        for rid, name, cid, category in rows
    ]


def _competitors() -> list[tuple[int, str]]:
    existing = {c.name.lower() for c in taxonomy.competitors(include_retired=True)}
    for name in words.EXTRA_COMPETITORS:
        if name.lower() not in existing:
            taxonomy.add_competitor(name)
    return [(c.id, c.name) for c in taxonomy.competitors()]


def _surveys(ctx, admin_id: int) -> list[OpenSurvey]:
    made = []
    for title, months_ago, share in SURVEYS:
        survey = surveys.create_survey(
            {
                "title": title,
                "intro": "You were a customer of ours, and we would like to learn why you "
                "left. Five questions, about two minutes.",
                "thank_you": "Thank you. We read every answer.",
                "expires_days": 30,
                "max_reminders": 2,
                "reminder_after_days": 7,
            },
            db.session.get(User, admin_id),
        )
        for values in QUESTIONS:
            surveys.add_question(survey, {"required": False, "options": [], **values})
        surveys.set_status(survey, "open")
        survey.opened_at = ctx.now - timedelta(days=30 * months_ago)
        survey.created_at = survey.opened_at - timedelta(days=3)
        db.session.commit()
        questions = [
            (q.id, q.kind, [(o.id, o.reason_id) for o in q.options]) for q in survey.questions
        ]
        made.append(
            OpenSurvey(
                survey.id,
                survey.opened_at,
                survey.expires_days,
                survey.reminder_after_days,
                share,
                questions,
            )
        )
    return made


def _evidence(ctx, ref: Reference, count: int) -> None:
    """Evidence items per category, each answering its category's reasons."""
    rng, table = ctx.rng, Evidence.__table__
    by_category: dict[str, list[Reason]] = {}
    for reason in ref.reasons:
        by_category.setdefault(reason.category, []).append(reason)
    categories = [c for c in by_category if c in phrases.EVIDENCE] or list(by_category)
    for n in range(count):
        category = categories[n % len(categories)]
        stem, changed, metric, before, after, unit = phrases.EVIDENCE.get(
            category, ("Process change", "We changed how we work.", "", None, None, "")
        )
        city = words.CITIES[(n // len(categories)) % len(words.CITIES)]
        round_ = n // (len(categories) * len(words.CITIES))
        title = f"{stem} in {city}" + (f" ({round_ + 1})" if round_ else "")
        effective = ctx.today - timedelta(days=rng.randrange(30, 5 * 365))
        approved, retired = rng.random() < 0.85, rng.random() < 0.04
        evidence_id = ctx.writer.new_id(table)
        spread = Decimal(str(round(rng.uniform(0.8, 1.2), 2)))
        ctx.writer.add(
            table,
            {
                "id": evidence_id,
                "title": title,
                "what_changed": changed,
                "effective_on": effective,
                "metric_name": metric,
                "metric_before": None if before is None else Decimal(str(before)) * spread,
                "metric_after": None if after is None else Decimal(str(after)) * spread,
                "metric_unit": unit,
                "proof_url": "",
                "proof_file": "",
                "proof_filename": "",
                "proof_content_type": "",
                "approved": approved,
                "retired": retired,
                "created_by_id": ref.admin_ids[0],
                "created_at": datetime.combine(effective, time(10), UTC),
                "updated_at": datetime.combine(effective, time(10), UTC),
            },
        )
        answered = by_category[category][:3]
        for reason in answered:
            ctx.writer.add(evidence_reasons, {"evidence_id": evidence_id, "reason_id": reason.id})
        if approved and not retired:
            ref.evidence.setdefault(answered[0].category_id, []).append((evidence_id, title))
    ctx.writer.flush()


def build(ctx, evidence_count: int) -> Reference:
    """Create the team and the small lists (services commit as they go)."""
    defaults.ensure_defaults()
    scripts.ensure_defaults()
    tone.ensure_defaults()
    settings = team_settings.get()
    if not settings.charities:
        settings = team_settings.update(charities=words.CHARITIES)
    charities = [line.strip() for line in settings.charities.splitlines() if line.strip()]
    admin_ids, member_ids = _users(ctx)
    ref = Reference(
        admin_ids=admin_ids,
        member_ids=member_ids,
        reasons=_reasons(),
        competitors=_competitors(),
        surveys=_surveys(ctx, admin_ids[0]),
        callback_start_percent=settings.callback_start_percent,
        callback_interval_months=settings.callback_interval_months,
        charities=charities,
    )
    _evidence(ctx, ref, evidence_count)
    return ref
