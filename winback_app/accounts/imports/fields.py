"""The fields a CSV column can fill, the headers each one is recognised by, and reading one row
of a file into account values."""

from dataclasses import dataclass, field

from winback_app.accounts.contacts import services as contacts
from winback_app.accounts.export import unneutralise
from winback_app.accounts.imports import values as csv_values
from winback_app.accounts.models import KINDS, STATUSES
from winback_app.accounts.services import check_values
from winback_app.rules import RuleViolation

TEXT, NAME, DATE, MONEY, INT, BOOL, CHOICE, REF, REASONS, CONTACT = (
    "text",
    "name",
    "date",
    "money",
    "int",
    "bool",
    "choice",
    "ref",
    "reasons",
    "contact",
)
ACCOUNT, CONTRACT, WHY, PERSON = "Account", "Competitor and contract", "Why it was lost", "Contact"


@dataclass(frozen=True)
class Field:
    """A field a column can be mapped to: its label, its group and how its cells are read."""

    key: str
    label: str
    group: str
    kind: str


FIELDS = (
    Field("name", "Account name", ACCOUNT, NAME),
    Field("kind", "Kind", ACCOUNT, CHOICE),
    Field("status", "Win-back status", ACCOUNT, CHOICE),
    Field("owner", "Owner (email or name)", ACCOUNT, REF),
    Field("segment", "Segment", ACCOUNT, TEXT),
    Field("lost_on", "Lost on", ACCOUNT, DATE),
    Field("annual_value_lost", "Annual value lost", ACCOUNT, MONEY),
    Field("likelihood", "Likelihood to return (0–10)", ACCOUNT, INT),
    Field("friendly", "Friendly loss (yes/no)", ACCOUNT, BOOL),
    Field("do_not_contact", "Do not contact (yes/no)", ACCOUNT, BOOL),
    Field("notes", "Notes", ACCOUNT, TEXT),
    Field("sales_history", "Sales-history summary", ACCOUNT, TEXT),
    Field("competitor", "Lost to (competitor)", CONTRACT, REF),
    Field("competitor_terms", "Competitor's terms", CONTRACT, TEXT),
    Field("competitor_price", "Competitor's price", CONTRACT, MONEY),
    Field("contract_start", "Contract start", CONTRACT, DATE),
    Field("contract_term_months", "Contract term (months)", CONTRACT, INT),
    Field("customer_reason", "Customer's primary reason", WHY, REASONS),
    Field("customer_reasons", "Customer's other reasons", WHY, REASONS),
    Field("customer_words", "Customer's words", WHY, TEXT),
    Field("team_reason", "Team's primary reason", WHY, REASONS),
    Field("team_reasons", "Team's other reasons", WHY, REASONS),
    Field("team_notes", "Team's notes", WHY, TEXT),
    Field("contact_name", "Contact name", PERSON, CONTACT),
    Field("contact_email", "Contact email", PERSON, CONTACT),
    Field("contact_phone", "Contact phone", PERSON, CONTACT),
    Field("contact_title", "Contact's job title", PERSON, CONTACT),
)
# Other names CRMs and spreadsheets give these columns, besides the field's key and label.
HEADER_NAMES = {
    "name": "account, company, company name, customer, customer name, client, organisation",
    "kind": "type, account type",
    "status": "winback status",
    "owner": "account owner, owner email, owner name, rep, sales rep, account manager",
    "segment": "industry, sector, vertical",
    "lost_on": "lost date, closed lost date, close date, date lost, lost, churn date",
    "annual_value_lost": "amount, arr, annual value, value, deal value, acv",
    "likelihood": "likelihood to return, winback likelihood",
    "friendly": "friendly loss",
    "do_not_contact": "dnc, dont contact",
    "notes": "note, comments, comment, description",
    "sales_history": "sales history, history",
    "competitor": "lost to, competitor name, winning competitor",
    "competitor_terms": "competitor terms",
    "competitor_price": "competitor price",
    "contract_start": "contract start date, competitor contract start",
    "contract_term_months": "contract term, term, term months, contract length",
    "customer_reason": "customer reason, customer primary reason",
    "customer_reasons": "customer reasons",
    "customer_words": "customer words, customer comment, customer quote, in their words",
    "team_reason": "loss reason, reason, lost reason, closed lost reason, churn reason, "
    "team reason, team primary reason",
    "team_reasons": "team reasons",
    "team_notes": "team notes, internal notes",
    "contact_name": "contact, primary contact, primary contact name, contact person",
    "contact_email": "email, e mail, email address, primary contact email",
    "contact_phone": "phone, telephone, phone number, mobile, primary contact phone",
    "contact_title": "job title, contact title",
}
BY_KEY = {f.key: f for f in FIELDS}
GROUPS = {f.group: [g for g in FIELDS if g.group == f.group] for f in FIELDS}
# Every header name that points at a field, reduced the way headers are (normalise_header).
SYNONYMS = {
    csv_values.normalise_header(name): f.key
    for f in FIELDS
    for name in (f.key, f.label, *HEADER_NAMES[f.key].split(","))
}
CHOICE_WORDS = {
    "kind": {
        "former": "former_customer",
        "lapsed": "lapsed_customer",
        "lost opportunity": "lost_deal",
    },
    "status": {"won": "won_back"},
}
NO_COMPETITOR = {"no decision", "none", "n/a", "-"}


def guess_columns(headers: list[str]) -> list[str]:
    """The field each header most likely holds ("" to ignore it); each field used once."""
    guessed: list[str] = []
    for header in headers:
        key = SYNONYMS.get(csv_values.normalise_header(header), "")
        guessed.append("" if key in guessed else key)
    return guessed


def _choice(text: str, key: str) -> str:
    choices = KINDS if key == "kind" else STATUSES
    word = csv_values.normalise_header(text)
    for value, label in choices.items():
        if word in (csv_values.normalise_header(value), csv_values.normalise_header(label)):
            return value
    if word in CHOICE_WORDS[key]:
        return CHOICE_WORDS[key][word]
    raise ValueError(f"“{text}” is not one of: {', '.join(choices.values())}.")


PARSERS = {
    DATE: lambda text, order: csv_values.parse_date(text, order),
    MONEY: lambda text, order: csv_values.parse_money(text),
    INT: lambda text, order: csv_values.parse_int(text),
    BOOL: lambda text, order: csv_values.parse_bool(text),
}


@dataclass
class ReadRow:
    """One row's cells read into values, names still to look up, and what was wrong."""

    values: dict = field(default_factory=dict)  # account columns, parsed
    owner: str = ""
    competitor: str | None = None  # None: no column or an empty cell; "": "no decision"
    reasons: dict = field(default_factory=dict)  # view → reason names, primary first
    contact: dict | None = None
    errors: list[str] = field(default_factory=list)


def read_row(cells: list[str], columns: list[str], date_order: str) -> ReadRow:
    """Read one row by the column mapping; empty cells are left out (they change nothing)."""
    row = ReadRow()
    if any(cell.strip() for cell in cells[len(columns) :]):
        row.errors.append("This row has more cells than the file has columns.")
    cells = {key: unneutralise(cells[i]).strip() for i, key in enumerate(columns[: len(cells)])}
    row.values["name"] = " ".join(cells.get("name", "").split())
    contact = {}
    for key, text in cells.items():
        kind = BY_KEY[key].kind if key else None
        if not text or kind in (None, NAME):
            continue
        try:
            if kind in PARSERS:
                row.values[key] = PARSERS[kind](text, date_order)
            elif kind == CHOICE:
                row.values[key] = _choice(text, key)
            elif kind == TEXT:
                row.values[key] = text
            elif key == "owner":
                row.owner = text
            elif key == "competitor":
                row.competitor = "" if text.lower() in NO_COMPETITOR else text
            elif kind == CONTACT:
                contact[key.removeprefix("contact_")] = text
        except ValueError as problem:
            row.errors.append(f"{BY_KEY[key].label}: {problem}")
    for view in ("customer", "team"):
        names = csv_values.split_list(cells.get(f"{view}_reason", ""))
        names += csv_values.split_list(cells.get(f"{view}_reasons", ""))
        if names:
            row.reasons[view] = list(dict.fromkeys(names))
    for key, message in check_values(row.values).items():
        row.errors.append(f"{BY_KEY[key].label}: {message}")
    row.contact = _contact(contact, row.errors) if contact else None
    return row


def _contact(values: dict, errors: list[str]) -> dict | None:
    # A contact known only by email or phone is named after it, so the row is not refused.
    values.setdefault("name", values.get("email") or values.get("phone") or "")
    try:
        return contacts.check(values)
    except RuleViolation as problem:
        errors.append(f"{BY_KEY['contact_' + problem.field].label}: {problem.message}")
        return None


# The sample file offered on the upload page: the usual columns, and a few ways of writing
# dates and amounts that the import understands.
SAMPLE = (
    ("Name", "Kind", "Status", "Owner", "Segment", "Lost on", "Annual value lost", "Lost to",
     "Contract start", "Contract term (months)", "Customer primary reason", "Customer's words",
     "Team primary reason", "Team notes", "Contact name", "Contact email", "Contact phone",
     "Friendly", "Notes"),
    ("Harbour Foods Ltd", "Former customer", "New", "", "Food & drink", "2025-09-30",
     "48,000.00", "Brightline", "2025-10-01", "36", "Price: Price too high",
     "Your prices went up twice in one year.", "Delivery problems: Late deliveries",
     "Three late deliveries in the last quarter before they left.", "Dana Whitfield",
     "dana.whitfield@harbour-foods.example", "020 7946 0018", "yes", ""),
    ("Northgate Clinics", "Lost deal", "Researching", "", "Healthcare", "14/08/2025",
     "€ 12 500", "No decision", "", "", "", "", "No decision: Project shelved", "",
     "Priya Nair", "p.nair@northgate.example", "", "no", "Budget frozen until next year."),
)  # fmt: skip


def sample_csv() -> str:
    """The sample file's text (with a byte-order mark, so spreadsheets read it as UTF-8)."""
    return "\ufeff" + csv_values.write_csv(SAMPLE)
