"""Demo thank-yous for `flask seed-demo`: the team's charities, the survey invitation email,
and a few incentives in each state, so the incentives page shows what is owed."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from winback_app.accounts.models import Account
from winback_app.auth.models import User
from winback_app.core.settings import services as team_settings
from winback_app.discovery.incentives import services as incentives
from winback_app.discovery.incentives.models import Incentive
from winback_app.discovery.invitations import mail as invitation_mail
from winback_app.extensions import db
from winback_app.formatting import today_local

CHARITIES = "Médecins Sans Frontières\nWaterAid\nThe local food bank\nA children's hospital"
# Account, amount, charity, how far it got.
THANK_YOUS = (
    ("Harbor Logistics", "50", "WaterAid", "paid"),
    ("Greenfield Dental", "50", "The local food bank", "pledged"),
    ("Lumen Architects", "50", "Médecins Sans Frontières", "pledged"),
    ("Orion Print Works", "25", "", "offered"),
)


def seed(today: date | None = None) -> None:
    """Add the charities, the invitation email and demo incentives where they are missing."""
    today = today or today_local()
    if not team_settings.get().charities:
        team_settings.update(charities=CHARITIES)
    invitation_mail.ensure_invitation_script()
    if db.session.scalar(select(func.count(Incentive.id))):
        return
    recorder = db.session.scalar(select(User).where(User.email == "admin@example.com"))
    for name, amount, charity, status in THANK_YOUS:
        account = db.session.scalar(select(Account).where(Account.name == name))
        if account is None:
            continue
        contact = account.contacts[0] if account.contacts else None
        values = {"contact_id": contact.id if contact else None, "amount": Decimal(amount)}
        values["charity"] = charity
        first = "pledged" if status != "offered" else "offered"
        incentive = incentives.offer(account, values, recorder, first)
        if status == "paid":
            reference = f"DON-{today:%Y}-{incentive.id:04d}"
            incentives.pay(incentive, today - timedelta(days=3), reference, recorder, today)
