"""The team's settings row."""

from decimal import Decimal

from sqlalchemy import Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from winback_app.extensions import db


class TeamSettings(db.Model):
    """Settings the admin changes in the app (one row)."""

    __tablename__ = "team_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    # Contract-timed call-backs start at this share of the term and repeat every interval.
    # Server defaults fill these in for a settings row saved before they existed.
    callback_start_percent: Mapped[int] = mapped_column(default=50, server_default="50")
    callback_interval_months: Mapped[int] = mapped_column(default=6, server_default="6")
    nurture_interval_months: Mapped[int] = mapped_column(default=6, server_default="6")
    # The charities a contact may pick for a thank-you donation, one per line.
    charities: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The donation made for each contact who answers a survey and picks a charity.
    donation_amount: Mapped[Decimal] = mapped_column(
        Numeric(10, 2), default=Decimal("25"), server_default="25"
    )
