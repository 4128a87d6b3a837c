"""Lost accounts, the two views of why they were lost, contacts, competitors and history."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.models import (
    ChangeRecord,
    UTCDateTime,
    account_link,
    creation_time,
    one_of,
    utcnow,
)

KINDS = {
    "former_customer": "Former customer",
    "lapsed_customer": "Lapsed customer",
    "lost_deal": "Lost deal",
}
STATUSES = {
    "new": "New",
    "researching": "Researching",
    "contacting": "Contacting",
    "discovery": "Discovery",
    "plan_drafted": "Plan drafted",
    "plan_presented": "Plan presented",
    "won_back": "Won back",
    "nurture": "Nurture",
    "closed": "Closed",
}
VIEWS = {"customer": "Customer's view", "team": "Team's view"}
CHANNELS = {"phone": "Phone", "email": "Email", "either": "Either"}


class Competitor(db.Model):
    """A competitor an account was lost to; retired instead of deleted once used."""

    __tablename__ = "competitors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = creation_time()


class ReasonCategory(db.Model):
    """The upper level of the loss-reason taxonomy (e.g. "Price")."""

    __tablename__ = "reason_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)

    reasons: Mapped[list["LossReason"]] = relationship(
        back_populates="category", order_by="LossReason.position"
    )


class LossReason(db.Model):
    """A reason within a category (e.g. Price → "Competitor undercut our price")."""

    __tablename__ = "loss_reasons"
    __table_args__ = (UniqueConstraint("category_id", "name", name="uq_loss_reasons_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("reason_categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    retired: Mapped[bool] = mapped_column(default=False)
    # What a customer reads in a survey; the team's name for a reason may be internal jargon.
    customer_wording: Mapped[str] = mapped_column(String(200), default="", server_default="")

    category: Mapped[ReasonCategory] = relationship(back_populates="reasons")

    @property
    def label(self) -> str:
        return f"{self.category.name} › {self.name}"

    @property
    def customer_text(self) -> str:
        """The reason in the customer's words: its wording, else its own name."""
        return self.customer_wording or self.name


class TaxonomyChange(db.Model):
    """A rename, retirement or reorder in the reason or competitor lists, kept for the record."""

    __tablename__ = "taxonomy_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    subject: Mapped[str] = mapped_column(String(40))  # category, reason, competitor
    subject_id: Mapped[int] = mapped_column(Integer)
    change: Mapped[str] = mapped_column(String(40))
    old_value: Mapped[str] = mapped_column(String(255), default="")
    new_value: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User | None] = relationship()


class Account(db.Model):
    """A lost account: a former customer, a lapsed customer or a lost deal."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint(one_of("kind", KINDS), name="kind"),
        CheckConstraint(one_of("status", STATUSES), name="status"),
        CheckConstraint("likelihood IS NULL OR likelihood BETWEEN 0 AND 10", name="likelihood"),
        CheckConstraint(
            "contract_term_months IS NULL OR contract_term_months BETWEEN 1 AND 240",
            name="contract_term",
        ),
        Index("ix_accounts_status_lost_on", "status", "lost_on"),
        # The list filtered by owner, status and kind: counted from the index alone, and
        # already in the default order (lost_on, then the rowid SQLite ends every index with).
        Index("ix_accounts_owner_status_kind_lost_on", "owner_id", "status", "kind", "lost_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="former_customer")
    name: Mapped[str] = mapped_column(String(200), index=True)
    segment: Mapped[str] = mapped_column(String(120), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    lost_on: Mapped[date | None] = mapped_column(Date, index=True)
    annual_value_lost: Mapped[Decimal | None] = mapped_column(Numeric(14, 2), index=True)
    # NULL competitor = lost to "no decision".
    competitor_id: Mapped[int | None] = mapped_column(ForeignKey("competitors.id"), index=True)
    competitor_terms: Mapped[str] = mapped_column(Text, default="")
    competitor_price: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    contract_start: Mapped[date | None] = mapped_column(Date)
    contract_term_months: Mapped[int | None] = mapped_column(Integer)
    sales_history: Mapped[str] = mapped_column(Text, default="")
    friendly: Mapped[bool] = mapped_column(default=False, index=True)
    do_not_contact: Mapped[bool] = mapped_column(default=False)
    likelihood: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    customer_words: Mapped[str] = mapped_column(Text, default="")
    team_notes: Mapped[str] = mapped_column(Text, default="")
    customer_primary_id: Mapped[int | None] = mapped_column(ForeignKey("loss_reasons.id"))
    team_primary_id: Mapped[int | None] = mapped_column(ForeignKey("loss_reasons.id"))
    # Kept in step with the two primary reasons by the service, so the list can filter on it.
    views_disagree: Mapped[bool] = mapped_column(default=False, index=True)
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Set when a plan wins the account back.
    value_recovered: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    # The day the account came back; kept in step with the status (reports count from it).
    won_back_on: Mapped[date | None] = mapped_column(Date, index=True)
    # Not a column: the next open call-back's day, filled in only by the friendly-losses list
    # (with_expression), so that list pages plain accounts.
    next_callback_on: Mapped[date | None] = query_expression()
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = creation_time()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship()
    competitor: Mapped[Competitor | None] = relationship()
    customer_primary: Mapped[LossReason | None] = relationship(foreign_keys=[customer_primary_id])
    team_primary: Mapped[LossReason | None] = relationship(foreign_keys=[team_primary_id])
    reasons: Mapped[list["AccountReason"]] = relationship(
        back_populates="account", cascade="all, delete-orphan"
    )
    contacts: Mapped[list["Contact"]] = relationship(
        back_populates="account",
        cascade="all, delete-orphan",
        order_by="(Contact.is_primary.desc(), Contact.name)",
    )
    history: Mapped[list["AccountChange"]] = relationship(
        back_populates="account",
        cascade="all, delete-orphan",
        order_by="AccountChange.id.desc()",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    def reasons_for(self, view: str) -> list["AccountReason"]:
        """This view's reasons, the primary first."""
        chosen = [r for r in self.reasons if r.view == view]
        return sorted(chosen, key=lambda r: (not r.is_primary, r.reason.category.position))


# The list sorts with NULLs last and ties by id, both ways. PostgreSQL's btree puts NULLs last
# going up but first going down, so a column with NULLs needs an index per direction there.
# SQLite needs neither: its NULLs sort first, so DESC already puts them last, and every
# SQLite index ends in the rowid.
POSTGRES_SORT_INDEXES = tuple(
    Index(name, *columns).ddl_if(dialect="postgresql")
    for name, *columns in (
        ("ix_accounts_lost_on_asc_id", Account.lost_on.asc(), Account.id.asc()),
        ("ix_accounts_lost_on_desc_id", Account.lost_on.desc().nulls_last(), Account.id.desc()),
        ("ix_accounts_value_asc_id", Account.annual_value_lost.asc(), Account.id.asc()),
        (
            "ix_accounts_value_desc_id",
            Account.annual_value_lost.desc().nulls_last(),
            Account.id.desc(),
        ),
    )
)


class AccountReason(db.Model):
    """One reason in one view (customer's or team's) of why an account was lost."""

    __tablename__ = "account_reasons"
    __table_args__ = (
        UniqueConstraint("account_id", "view", "reason_id", name="uq_account_reasons_choice"),
        CheckConstraint(one_of("view", VIEWS), name="view"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_link()
    reason_id: Mapped[int] = mapped_column(ForeignKey("loss_reasons.id"), index=True)
    view: Mapped[str] = mapped_column(String(10))
    is_primary: Mapped[bool] = mapped_column(default=False)
    # Where the reason came from: typed by the team, an interview or a survey answer.
    source: Mapped[str] = mapped_column(String(20), default="manual")
    noted_on: Mapped[date | None] = mapped_column(Date)

    account: Mapped[Account] = relationship(back_populates="reasons")
    reason: Mapped[LossReason] = relationship()


class Contact(db.Model):
    """A person at an account."""

    __tablename__ = "contacts"
    __table_args__ = (CheckConstraint(one_of("preferred_channel", CHANNELS), name="channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_link()
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    phone: Mapped[str] = mapped_column(String(40), default="")
    preferred_channel: Mapped[str] = mapped_column(String(10), default="either")
    is_primary: Mapped[bool] = mapped_column(default=False)
    do_not_email: Mapped[bool] = mapped_column(default=False)
    # Set when the contact follows an unsubscribe link: no more survey emails, ever.
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = creation_time()

    account: Mapped[Account] = relationship(back_populates="contacts")

    @property
    def first_name(self) -> str:
        parts = self.name.split()
        return parts[0] if parts else self.name


class AccountChange(ChangeRecord, db.Model):
    """One change to an account: who, when, which field, old → new (as shown at the time)."""

    __tablename__ = "account_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = account_link()

    account: Mapped[Account] = relationship(back_populates="history")
    user: Mapped[User | None] = relationship()
