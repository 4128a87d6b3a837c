"""A large data set that looks like years of a real team's losses, for benchmarks and load
tests (`flask seed-bench`).

Everything scales with the number of accounts: 2.5 contacts, 10 attempts and 3 call-backs per
account, an invitation for one account in five and a plan for one in ten. The same seed gives
the same data on the same day (dates count back from today). Rows are made in Python with
their ids and inserted in bulk, table by table, so the large tables take minutes, not hours.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, inspect, select

from bench.seed import accounts, bulk, clock, discovery, outreach, plans, reference
from winback_app.accounts.models import Account, AccountChange, AccountReason, Contact
from winback_app.auth.models import User
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.invitations.models import Answer, Invitation, Response
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.callbacks.models import Callback
from winback_app.plans.evidence.models import Evidence, evidence_reasons
from winback_app.plans.models import Plan, PlanChange, PlanSolution
from winback_app.rules import RuleViolation

MINIMUM_ACCOUNTS = 10
# Parents before children: a chunk of any table goes in after everything it may refer to.
TABLES = [
    User.__table__,
    Evidence.__table__,
    evidence_reasons,
    Account.__table__,
    Contact.__table__,
    AccountReason.__table__,
    AccountChange.__table__,
    Attempt.__table__,
    Callback.__table__,
    Invitation.__table__,
    Response.__table__,
    Answer.__table__,
    Incentive.__table__,
    Plan.__table__,
    PlanSolution.__table__,
    PlanChange.__table__,
]
STAGES = (
    ("accounts", ("accounts", "contacts", "account_reasons", "account_changes")),
    ("outreach", ("attempts", "callbacks")),
    ("discovery", ("invitations", "responses", "answers", "incentives")),
    ("plans", ("plans", "plan_solutions", "plan_changes")),
)


@dataclass
class Context:
    """What every stage works with: the random source, the clock, the writer, the lists."""

    rng: random.Random
    today: date
    now: datetime
    writer: bulk.Writer
    ref: reference.Reference | None = None


def check_empty() -> None:
    """Refuse a database that is not migrated, has accounts, or already has the team."""
    if not inspect(db.engine).has_table(Account.__tablename__):
        raise RuleViolation("The database has no tables: run `flask db upgrade` first.")
    if db.session.scalar(select(exists().where(Account.id.is_not(None)))):
        raise RuleViolation(
            "The database already has accounts. Seed benchmark data into an empty, "
            "migrated database."
        )
    if db.session.scalar(select(exists().where(User.email.like("bench-%@example.com")))):
        raise RuleViolation("The benchmark team already exists in this database.")


def seed(account_count: int, random_seed: int = 1, progress: Callable[[str], None] = print) -> dict:
    """Fill an empty database; return the row count of every table written.

    ``progress`` receives a line per table as each stage finishes, and the total time.
    """
    if account_count < MINIMUM_ACCOUNTS:
        raise RuleViolation(f"Seed at least {MINIMUM_ACCOUNTS} accounts.")
    check_empty()
    started = time.perf_counter()
    db.session.commit()  # ends the checks' read transaction before other connections write
    today = utcnow().date()
    ctx = Context(
        rng=random.Random(random_seed),
        today=today,
        now=clock.start_of(today),
        writer=bulk.Writer(db.engine, TABLES),
    )
    began = time.perf_counter()
    ctx.ref = reference.build(ctx, evidence_count=max(24, min(200, account_count // 500)))
    # The large stages use only the copied lists: no read transaction stays open meanwhile
    # (on SQLite it would keep the write-ahead log from being checkpointed).
    db.session.close()
    counts = ctx.writer.counts
    progress(f"{'users':<16}{counts['users']:>10,} rows")
    progress(
        f"{'evidence':<16}{counts['evidence']:>10,} rows{time.perf_counter() - began:>10.1f} s"
    )
    seeds = None
    for stage, tables in STAGES:
        began = time.perf_counter()
        if stage == "accounts":
            with bulk.contact_triggers_paused(db.engine):
                seeds = accounts.build(ctx, account_count)
                ctx.writer.flush()
        else:
            {"outreach": outreach, "discovery": discovery, "plans": plans}[stage].build(ctx, seeds)
        ctx.writer.flush()
        elapsed = time.perf_counter() - began
        for table in tables:
            took = f"{elapsed:>10.1f} s" if table == tables[-1] else ""
            progress(f"{table:<16}{counts[table]:>10,} rows{took}")
    ctx.writer.finish()
    began = time.perf_counter()
    bulk.analyze(db.engine)
    progress(f"{'statistics':<31}{time.perf_counter() - began:>10.1f} s")
    progress(f"{'total':<31}{time.perf_counter() - started:>10.1f} s")
    db.session.expire_all()
    return dict(counts)


def logins() -> list[tuple[str, str, str]]:
    """The logins to print: email, password, role."""
    return [
        ("bench-admin@example.com", reference.PASSWORD, "admin"),
        ("bench-rep1@example.com", reference.PASSWORD, "member"),
        (f"bench-rep2 … bench-rep{reference.MEMBERS}@example.com", reference.PASSWORD, "member"),
        (
            f"bench-viewer1 … bench-viewer{reference.VIEWERS}@example.com",
            reference.PASSWORD,
            "viewer",
        ),
    ]
