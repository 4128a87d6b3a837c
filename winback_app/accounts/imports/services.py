"""Importing lost accounts from a CSV file, such as a CRM export: upload, column mapping, a
preview of every row, then one all-or-nothing transaction.

An upload is kept as an AccountImport owned by the user who sent it: the file's text, the
mapping and options chosen, and once imported, a summary. The rows are checked again when the
import runs, so the result reflects the database at that moment rather than at the preview.
"""

import json
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import select, update

from winback_app.accounts.export import neutralise
from winback_app.accounts.imports import fields as import_fields
from winback_app.accounts.imports import lookup as import_lookup
from winback_app.accounts.imports import values as csv_values
from winback_app.accounts.imports.lookup import NewCompetitor, NewReason
from winback_app.accounts.imports.models import AccountImport
from winback_app.accounts.imports.rows import Analysis, Row, add_account, changes, update_account
from winback_app.extensions import db
from winback_app.rules import RuleViolation

MAX_BYTES = 2 * 1024 * 1024
OPTIONS = {
    "date_order": tuple(csv_values.DATE_ORDERS),
    "duplicate_rule": ("name", "email"),
    "duplicate_action": ("skip", "update"),
}
DEFAULT_OPTIONS = {
    "date_order": "dmy",
    "duplicate_rule": "name",
    "duplicate_action": "skip",
    "create_unknown": False,
    "skip_invalid": False,
}


class NotReady(RuleViolation):
    """The import cannot run as chosen; ``analysis`` shows why."""

    def __init__(self, message: str, analysis: "Analysis"):
        super().__init__(message)
        self.analysis = analysis


class AlreadyImported(Exception):
    """The import ran before; it does not run twice."""


def get(import_id: int, user) -> AccountImport | None:
    """The user's own import with this id (other people's imports are not theirs to see)."""
    return db.session.scalar(
        select(AccountImport).where(AccountImport.id == import_id, AccountImport.user_id == user.id)
    )


def table(upload: AccountImport) -> tuple[list[str], list[list[str]]]:
    """The file's header row and data rows."""
    return csv_values.read_table(upload.content, upload.delimiter)


def columns(upload: AccountImport) -> list[str]:
    """The field chosen for each column ("" for columns that are ignored)."""
    return json.loads(upload.mapping)


def options(upload: AccountImport) -> dict:
    """The options chosen (date order, duplicates, unknown names, invalid rows)."""
    return DEFAULT_OPTIONS | json.loads(upload.options)


def summary(upload: AccountImport) -> dict:
    """What the import did (empty until it ran)."""
    return json.loads(upload.summary)


def upload(filename: str, data: bytes, user) -> AccountImport:
    """Keep an uploaded file, with the mapping and date order guessed from it."""
    text = csv_values.decode(data)
    delimiter = csv_values.sniff_delimiter(text)
    headers, rows = csv_values.read_table(text, delimiter)
    if not any(headers):
        raise RuleViolation("The first row of the file should name its columns.", "file")
    if not any(rows):
        raise RuleViolation("The file has no rows below its header row.", "file")
    guessed = import_fields.guess_columns(headers)
    dates = [i for i, key in enumerate(guessed) if key and import_fields.BY_KEY[key].kind == "date"]
    order = csv_values.guess_date_order(row[i] for row in rows for i in dates if i < len(row))
    record = AccountImport(
        user=user,
        filename=(filename or "upload.csv")[:255],
        content=text,
        delimiter=delimiter,
        mapping=json.dumps(guessed),
        options=json.dumps(DEFAULT_OPTIONS | {"date_order": order}),
    )
    db.session.add(record)
    db.session.commit()
    return record


@dataclass
class FileInfo:
    """What the mapping page shows of a file: its headers, a few values of each, its size."""

    headers: list[str]
    examples: list[list[str]]
    row_count: int


def describe(upload: AccountImport, count: int = 3) -> FileInfo:
    """The file's headers with the first few filled-in values of each column."""
    headers, rows = table(upload)
    examples = [
        list(islice((row[i] for row in rows if i < len(row) and row[i].strip()), count))
        for i in range(len(headers))
    ]
    return FileInfo(headers, examples, sum(1 for row in rows if row))


def save_mapping(upload: AccountImport, chosen_columns: list[str], chosen: dict, user) -> None:
    """Keep the column mapping and options; RuleViolation when the mapping cannot work."""
    headers, _ = table(upload)
    known = {"", *import_fields.BY_KEY}
    if len(chosen_columns) != len(headers) or not set(chosen_columns) <= known:
        raise RuleViolation("Choose a field or “ignore” for every column.")
    if "name" not in chosen_columns:
        raise RuleViolation("Choose the column that holds the account's name.")
    for index, key in enumerate(chosen_columns):
        first = chosen_columns.index(key)
        if key and first != index:
            label = import_fields.BY_KEY[key].label
            message = f"{label} is chosen for “{headers[first]}” already: choose it once."
            raise RuleViolation(message, f"column_{index}")
    for name, allowed in OPTIONS.items():
        if chosen.get(name) not in allowed:
            raise RuleViolation("Choose one of the listed options.", name)
    settings = {name: chosen[name] for name in OPTIONS}
    # Adding to the reason and competitor lists is the admin's job (Admin → Reasons).
    settings["create_unknown"] = bool(chosen.get("create_unknown")) and user.is_admin
    settings["skip_invalid"] = bool(chosen.get("skip_invalid"))
    upload.mapping = json.dumps(chosen_columns)
    upload.options = json.dumps(settings)
    upload.status = "mapped"
    db.session.commit()


def analyse(upload: AccountImport) -> Analysis:
    """Read, check and match every row, without saving anything."""
    chosen, (_, rows) = options(upload), table(upload)
    mapping, lookup = columns(upload), import_lookup.Lookup()
    analysis = Analysis(chosen, chosen["create_unknown"] and upload.user.is_admin, lookup)
    for index, cells in enumerate(rows):
        if cells:
            read = import_fields.read_row(cells, mapping, chosen["date_order"])
            row = Row.resolve(index + 2, cells, read, lookup)
            for item in row.new_items():
                analysis.unknown[item] += 1
                if not analysis.may_create:
                    row.errors.append(f"Unknown {item.what} “{item.label}”.")
            analysis.rows.append(row)
    _match_existing(analysis)
    return analysis


def _match_existing(analysis: Analysis) -> None:
    """Mark duplicates (of an earlier row, or of an account already here) and updates."""
    by_email = analysis.options["duplicate_rule"] == "email"
    what = "contact email" if by_email else "name"
    rows = [row for row in analysis.rows if not row.errors]
    keys = {row: row.duplicate_key(by_email) for row in rows}
    find = import_lookup.accounts_by_contact_email if by_email else import_lookup.accounts_by_name
    existing = find({k for k in keys.values() if k})
    first_row: dict[str, int] = {}
    targets: dict[int, Row] = {}  # account id → the row that updates it
    for row in (row for row in rows if keys[row]):
        ids = existing.get(keys[row], [])
        if keys[row] in first_row:
            row.skip(f"Same {what} as row {first_row[keys[row]]}; only the first is imported.")
        elif ids and analysis.options["duplicate_action"] == "skip":
            row.skip(f"An account with this {what} is in Winback already.")
        elif len(ids) > 1:
            row.errors.append(f"{len(ids)} accounts have this {what}: update them in the app.")
        elif ids and ids[0] in targets:
            row.skip(f"Row {targets[ids[0]].number} updates the same account.")
        elif ids:
            targets[ids[0]] = row
        first_row.setdefault(keys[row], row.number)
    for account_id, account in import_lookup.load_accounts(set(targets)).items():
        row = targets[account_id]
        row.account = account
        row.changes = changes(row)
        row.status = "update" if row.changes else "unchanged"
    for row in analysis.rows:
        if row.errors:
            row.status = "invalid"


def run(upload: AccountImport, user) -> dict:
    """Import the rows in one transaction and keep the summary; nothing is saved on failure.

    Raises AlreadyImported when it ran before, NotReady when rows are invalid and the user
    did not choose to skip them (or nothing would change).
    """
    import_id = upload.id
    # End the transaction the request's reads began, so the claim below opens a new one: on
    # SQLite a second click then waits for the first import instead of failing.
    db.session.rollback()
    claim = (
        update(AccountImport)
        .where(AccountImport.id == import_id, AccountImport.status != "imported")
        .values(status="imported")
    )
    if db.session.execute(claim).rowcount == 0:
        db.session.rollback()
        raise AlreadyImported
    try:
        analysis = analyse(upload)
        problem = analysis.refusal()
        if problem:
            raise NotReady(problem, analysis)
        importing = [row for row in analysis.rows if row.status in ("new", "update")]
        needed = dict.fromkeys(item for row in importing for item in row.new_items())
        made = analysis.lookup.add_new(needed, user)
        for row in analysis.rows:
            if row.status == "new":
                add_account(row, user, made)
            elif row.status == "update":
                update_account(row, user, made)
        result = _summary(analysis, made)
        upload.summary = json.dumps(result)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result


def _summary(analysis: Analysis, made: dict) -> dict:
    counts = analysis.counts
    return {
        "created": counts["new"],
        "updated": counts["update"],
        "unchanged": counts["unchanged"],
        "duplicates": counts["duplicate"],
        "invalid": counts["invalid"],
        "new_competitors": [i.label for i in made if isinstance(i, NewCompetitor)],
        "new_reasons": [i.label for i in made if isinstance(i, NewReason)],
        "skipped_rows": [[row.number, row.message] for row in analysis.skipped()],
    }


def skipped_csv(upload: AccountImport) -> str:
    """The rows not imported, as the file had them, with an "errors" column saying why."""
    headers, rows = table(upload)
    if upload.status == "imported":
        skipped = summary(upload)["skipped_rows"]
    else:
        skipped = [[row.number, row.message] for row in analyse(upload).skipped()]
    width = len(headers)
    lines = [[*headers, "errors"]]
    lines += [[*rows[n - 2][:width], *[""] * (width - len(rows[n - 2])), why] for n, why in skipped]
    cells = [[neutralise(cell) for cell in line] for line in lines]
    return "\ufeff" + csv_values.write_csv(cells, upload.delimiter)
