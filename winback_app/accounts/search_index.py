"""Indexes that make the accounts search quick at any size.

The search box finds a term anywhere in an account's name or in its contacts' names and
emails. A ``LIKE '%term%'`` scan reads every row, which at a hundred thousand accounts takes
most of a second, so each database gets a trigram index that answers the same question:

- SQLite: an FTS5 table ``account_search`` (trigram tokenizer) holding one document per
  account — its name, then each contact's name and email — kept current by triggers.
- PostgreSQL: ``pg_trgm`` GIN indexes on the lowercased columns the search reads.

Terms shorter than three characters have no trigram; they fall back to the plain scan.
The migration that introduced these holds its own copy of the statements below.
"""

from sqlalchemy import DDL, column, event, func, or_, select, table

from winback_app.accounts.models import POSTGRES_SORT_INDEXES, Account, Contact

SEARCH_TABLE = "account_search"
TRIGRAM_INDEXES = ("ix_accounts_name_trgm", "ix_contacts_name_trgm", "ix_contacts_email_trgm")

_search = table(SEARCH_TABLE, column("rowid"), column("doc"))


def _refresh(account_id: str) -> str:
    # Rebuild one account's document from its current name and contacts.
    return (
        f"DELETE FROM account_search WHERE rowid = {account_id}; "
        "INSERT INTO account_search (rowid, doc) SELECT accounts.id, accounts.name"
        " || coalesce((SELECT group_concat(' ' || contacts.name || ' ' || contacts.email, '')"
        " FROM contacts WHERE contacts.account_id = accounts.id), '')"
        f" FROM accounts WHERE accounts.id = {account_id};"
    )


SQLITE_ACCOUNTS = (
    "CREATE VIRTUAL TABLE account_search USING fts5(doc, tokenize='trigram')",
    "CREATE TRIGGER account_search_ai AFTER INSERT ON accounts BEGIN "
    + _refresh("new.id")
    + " END",
    "CREATE TRIGGER account_search_au AFTER UPDATE OF name ON accounts BEGIN "
    + _refresh("new.id")
    + " END",
    "CREATE TRIGGER account_search_ad AFTER DELETE ON accounts BEGIN "
    "DELETE FROM account_search WHERE rowid = old.id; END",
)
SQLITE_CONTACTS = (
    "CREATE TRIGGER account_search_contact_ai AFTER INSERT ON contacts BEGIN "
    + _refresh("new.account_id")
    + " END",
    "CREATE TRIGGER account_search_contact_au AFTER UPDATE OF name, email, account_id"
    " ON contacts BEGIN " + _refresh("old.account_id") + " " + _refresh("new.account_id") + " END",
    "CREATE TRIGGER account_search_contact_ad AFTER DELETE ON contacts BEGIN "
    + _refresh("old.account_id")
    + " END",
)
POSTGRES_ACCOUNTS = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_accounts_name_trgm ON accounts USING gin (lower(name) gin_trgm_ops)",
)
POSTGRES_CONTACTS = (
    "CREATE INDEX ix_contacts_name_trgm ON contacts USING gin (lower(name) gin_trgm_ops)",
    "CREATE INDEX ix_contacts_email_trgm ON contacts USING gin (lower(email) gin_trgm_ops)",
)


def _on_create(target, statements, dialect: str) -> None:
    for statement in statements:
        event.listen(target, "after_create", DDL(statement).execute_if(dialect=dialect))


# Tables made with create_all (the tests, a new database) get the same indexes as migrations.
_on_create(Account.__table__, SQLITE_ACCOUNTS, "sqlite")
_on_create(Contact.__table__, SQLITE_CONTACTS, "sqlite")
_on_create(Account.__table__, POSTGRES_ACCOUNTS, "postgresql")
_on_create(Contact.__table__, POSTGRES_CONTACTS, "postgresql")


def include_object(_object, name: str | None, type_: str, _reflected, _compare_to) -> bool:
    """Alembic's filter for comparing models and database: it leaves out the search table and
    indexes, which the models do not describe, and the list's PostgreSQL-only sort indexes,
    which the models describe but comparison would expect on SQLite too."""
    if type_ == "table":
        return not (name or "").startswith(SEARCH_TABLE)
    return not (
        type_ == "index"
        and (name in TRIGRAM_INDEXES or any(index.name == name for index in POSTGRES_SORT_INDEXES))
    )


def matching_ids(term: str, pattern: str, dialect: str):
    """The ids of accounts whose name, contact name or contact email contains ``term``.

    ``pattern`` is the escaped ``LIKE`` pattern for the same term.
    """
    if dialect == "sqlite" and len(term) >= 3:
        phrase = '"' + term.replace('"', '""') + '"'
        return select(_search.c.rowid).where(_search.c.doc.match(phrase))
    return (
        select(Account.id)
        .where(func.lower(Account.name).like(pattern, escape="\\"))
        .union(
            select(Contact.account_id).where(
                or_(
                    func.lower(Contact.name).like(pattern, escape="\\"),
                    func.lower(Contact.email).like(pattern, escape="\\"),
                )
            )
        )
    )
