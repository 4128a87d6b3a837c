"""Demo accounts for `flask seed-demo`: varied kinds, reasons (some disagreeing), competitors,
contracts and contacts, created through the services so each has a history."""

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from winback_app.accounts import services
from winback_app.accounts.contacts import services as contacts
from winback_app.accounts.models import Account, Competitor, LossReason
from winback_app.accounts.taxonomy import defaults
from winback_app.auth.models import User
from winback_app.dates import add_months
from winback_app.extensions import db
from winback_app.formatting import today_local

COMPANIES = [
    ("Harbor Logistics", "Logistics"),
    ("Greenfield Dental", "Healthcare"),
    ("Orion Print Works", "Printing"),
    ("Maple & Finch Law", "Legal"),
    ("Blue Fjord Seafood", "Food"),
    ("Quarry Stone Builders", "Construction"),
    ("Lumen Architects", "Architecture"),
    ("Sierra Vet Clinics", "Healthcare"),
    ("Copperline Foundry", "Manufacturing"),
    ("Tidewater Hotels", "Hospitality"),
    ("Nimbus Analytics", "Software"),
    ("Aster Schools Trust", "Education"),
    ("Redwood Insurance", "Finance"),
    ("Polar Cold Storage", "Logistics"),
    ("Kestrel Engineering", "Manufacturing"),
    ("Juniper Florists", "Retail"),
    ("Saffron Restaurants", "Hospitality"),
    ("Beacon Credit Union", "Finance"),
    ("Ironbridge Rail Parts", "Manufacturing"),
    ("Meadowbrook Care Homes", "Healthcare"),
    ("Atlas Freight", "Logistics"),
    ("Pinecrest Accountants", "Finance"),
    ("Solstice Fitness", "Leisure"),
    ("Cobalt Pharma Supply", "Healthcare"),
    ("Willow Lane Bakery", "Food"),
    ("Vertex Data Centres", "Software"),
    ("Brightwater Utilities", "Utilities"),
    ("Falcon Security", "Services"),
    ("Elm Street Opticians", "Retail"),
    ("Northgate Motors", "Automotive"),
    ("Crescent Packaging", "Manufacturing"),
    ("Summit Legal Partners", "Legal"),
    ("Riverside Clinics", "Healthcare"),
    ("Granite Office Parks", "Property"),
    ("Hollow Oak Wines", "Food"),
    ("Keystone Plumbing", "Construction"),
]
FIRST = [
    "Anna",
    "Ben",
    "Chloe",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Ines",
    "Jonas",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olga",
    "Priya",
    "Rafael",
    "Sofia",
    "Tom",
    "Yara",
]
LAST = [
    "Berg",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ito",
    "Jensen",
    "Keller",
    "Lopez",
    "Moreau",
    "Novak",
    "Okafor",
    "Peters",
    "Rossi",
    "Schmidt",
    "Weber",
]
TITLES = [
    "Operations Director",
    "Procurement Manager",
    "Office Manager",
    "CFO",
    "Head of Facilities",
    "Managing Partner",
]
WORDS = [
    "Honestly the price gap was too big to explain to our board.",
    "Three late deliveries in one quarter. We could not keep apologising to our own customers.",
    "The invoices were wrong twice and fixing them took weeks.",
    "Their new model does what we needed out of the box.",
    "Nobody called us back when the machine broke down.",
    "Our budget was cut by a third this year; it was nothing personal.",
    "We moved that work in-house after the reorganisation.",
]
TEAM_NOTES = [
    "We think the real issue was the relationship after our account manager left.",
    "Price was the stated reason, but the support tickets show months of frustration.",
    "Competitor offered a 12-month discount we did not match.",
    "Agree with the customer: the delivery problems were real (Q3 depot move).",
]
STATUS_WEIGHTS = [
    ("new", 6),
    ("researching", 5),
    ("contacting", 7),
    ("discovery", 4),
    ("plan_drafted", 3),
    ("plan_presented", 2),
    ("won_back", 3),
    ("nurture", 4),
    ("closed", 2),
]


def _lost_on(index: int, today: date, rng: random.Random) -> date:
    """A lost date relative to the day the demo is seeded: the first accounts fall one in each
    of this month and the 13 before it, so last month, this month and the last 12 months all
    have losses whatever the day; the rest spread over the last two years."""
    if index < 14:
        first = add_months(today.replace(day=1), -index)
        last = today if index == 0 else add_months(first, 1) - timedelta(days=1)
        return first + timedelta(days=rng.randint(0, (last - first).days))
    return today - timedelta(days=rng.randint(10, 700))


def seed(today: date | None = None) -> None:
    """Create the demo accounts that are missing."""
    defaults.ensure_defaults()
    today = today or today_local()
    rng = random.Random(7)
    owners = list(db.session.scalars(select(User).where(User.role != "viewer").order_by(User.id)))
    reasons = list(db.session.scalars(select(LossReason).order_by(LossReason.id)))
    competitors = list(db.session.scalars(select(Competitor).order_by(Competitor.id)))
    existing = set(db.session.scalars(select(Account.name)))
    statuses = [s for s, weight in STATUS_WEIGHTS for _ in range(weight)]
    for index, (name, segment) in enumerate(COMPANIES):
        if name in existing:
            rng.random()  # keep the sequence stable for the accounts after this one
            continue
        owner = owners[index % len(owners)] if owners else None
        lost_on = _lost_on(index, today, rng)
        kind = rng.choice(["former_customer", "former_customer", "lapsed_customer", "lost_deal"])
        account = services.create_account(
            {
                "name": name,
                "segment": segment,
                "kind": kind,
                "owner_id": owner and owner.id,
                "status": rng.choice(statuses),
                "lost_on": lost_on,
                "annual_value_lost": Decimal(rng.randrange(4_000, 180_000, 500)),
                "competitor_id": rng.choice(competitors).id if rng.random() > 0.15 else None,
                "likelihood": rng.randint(1, 9),
                "friendly": rng.random() < 0.35,
                "do_not_contact": rng.random() < 0.05,
            },
            owner,
        )
        if kind == "lost_deal" or rng.random() < 0.5:
            start = lost_on - timedelta(days=rng.randint(0, 60))
            services.update_section(
                account,
                "contract",
                {
                    "contract_start": start,
                    "contract_term_months": rng.choice([24, 36, 36, 60]),
                    "competitor_price": (account.annual_value_lost * Decimal("0.85")).quantize(
                        Decimal("1")
                    ),
                    "competitor_terms": "Fixed price for the term, free installation.",
                },
                None,
                owner,
            )
        customer = rng.sample(reasons, rng.randint(1, 2))
        # About a third of the accounts get a team view in another category.
        team = customer[:1] if rng.random() < 0.65 else rng.sample(reasons, 1)
        services.set_view(
            account,
            "customer",
            [r.id for r in customer],
            customer[0].id,
            rng.choice(WORDS),
            None,
            owner,
        )
        services.set_view(
            account, "team", [r.id for r in team], team[0].id, rng.choice(TEAM_NOTES), None, owner
        )
        services.update_section(
            account,
            "summary",
            {
                "sales_history": f"Customer for {rng.randint(2, 9)} years; bought service "
                f"contracts and consumables. Peak spend in {lost_on.year - 1}."
            },
            None,
            owner,
        )
        for n in range(rng.randint(1, 3)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            domain = name.lower().split()[0].replace("&", "") + ".example"
            contacts.add(
                account,
                {
                    "name": f"{first} {last}",
                    "title": rng.choice(TITLES),
                    "email": f"{first.lower()}.{last.lower()}@{domain}",
                    "phone": f"+44 20 7946 {rng.randint(1000, 9999)}",
                    "preferred_channel": rng.choice(["phone", "email", "either"]),
                    "is_primary": n == 0,
                },
                owner,
            )
