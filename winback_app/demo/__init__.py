"""Demo data for `flask seed-demo`: a small team a newcomer can log in as.

Each domain adds its own sample data here, always by looking up before creating, so running
the command twice leaves the database as it was.
"""

from sqlalchemy import func, select

from winback_app.auth import services as users
from winback_app.auth.models import User
from winback_app.demo import accounts as accounts_demo
from winback_app.demo import evidence as evidence_demo
from winback_app.demo import incentives as incentive_demo
from winback_app.demo import interviews as discovery_demo
from winback_app.demo import outreach as outreach_demo
from winback_app.demo import plans as plans_demo
from winback_app.demo import surveys as survey_demo
from winback_app.extensions import db

DEMO_PASSWORD = "winback-demo"
TEAM = (
    ("admin@example.com", "Alex Morgan", "admin", "Head of Customer Success"),
    ("sam@example.com", "Sam Patel", "member", "Account Manager"),
    ("jo@example.com", "Jo Rivera", "member", "Account Manager"),
    ("viewer@example.com", "Casey Lee", "viewer", "Sales Director"),
)


def database_is_empty() -> bool:
    """True when no user exists yet."""
    return db.session.scalar(select(func.count(User.id))) == 0


def has_demo_team() -> bool:
    """True when the demo admin exists (the demo data was seeded before)."""
    return users.user_by_email(TEAM[0][0]) is not None


def logins() -> list[tuple[str, str, str]]:
    """The demo logins: email, password, role."""
    return [(email, DEMO_PASSWORD, role) for email, _, role, _ in TEAM]


def seed() -> list[tuple[str, str, str]]:
    """Create whatever demo data is missing; return the demo logins."""
    for email, name, role, title in TEAM:
        if users.user_by_email(email) is None:
            users.create_user(email, name, role, password=DEMO_PASSWORD, title=title)
    accounts_demo.seed()
    outreach_demo.seed()
    discovery_demo.seed()
    incentive_demo.seed()
    survey_demo.seed()
    evidence_demo.seed()
    plans_demo.seed()
    return logins()


def init_app(app) -> None:
    """Register `flask seed-demo`."""
    from winback_app.demo import cli

    app.cli.add_command(cli.seed_demo)
