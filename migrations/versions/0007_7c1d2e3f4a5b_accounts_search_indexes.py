"""accounts: trigram search indexes (SQLite FTS5, PostgreSQL pg_trgm)

Revision ID: 7c1d2e3f4a5b
Revises: e28545d44678
Create Date: 2026-11-22 17:10:00.000000

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "7c1d2e3f4a5b"
down_revision = "e28545d44678"
branch_labels = None
depends_on = None


def _refresh(account_id):
    return (
        f"DELETE FROM account_search WHERE rowid = {account_id}; "
        "INSERT INTO account_search (rowid, doc) SELECT accounts.id, accounts.name"
        " || coalesce((SELECT group_concat(' ' || contacts.name || ' ' || contacts.email, '')"
        " FROM contacts WHERE contacts.account_id = accounts.id), '')"
        f" FROM accounts WHERE accounts.id = {account_id};"
    )


SQLITE = (
    "CREATE VIRTUAL TABLE account_search USING fts5(doc, tokenize='trigram')",
    "INSERT INTO account_search (rowid, doc) SELECT accounts.id, accounts.name"
    " || coalesce((SELECT group_concat(' ' || contacts.name || ' ' || contacts.email, '')"
    " FROM contacts WHERE contacts.account_id = accounts.id), '') FROM accounts",
    "CREATE TRIGGER account_search_ai AFTER INSERT ON accounts BEGIN "
    + _refresh("new.id")
    + " END",
    "CREATE TRIGGER account_search_au AFTER UPDATE OF name ON accounts BEGIN "
    + _refresh("new.id")
    + " END",
    "CREATE TRIGGER account_search_ad AFTER DELETE ON accounts BEGIN "
    "DELETE FROM account_search WHERE rowid = old.id; END",
    "CREATE TRIGGER account_search_contact_ai AFTER INSERT ON contacts BEGIN "
    + _refresh("new.account_id")
    + " END",
    "CREATE TRIGGER account_search_contact_au AFTER UPDATE OF name, email, account_id"
    " ON contacts BEGIN " + _refresh("old.account_id") + " " + _refresh("new.account_id") + " END",
    "CREATE TRIGGER account_search_contact_ad AFTER DELETE ON contacts BEGIN "
    + _refresh("old.account_id")
    + " END",
)
POSTGRES = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_accounts_name_trgm ON accounts USING gin (lower(name) gin_trgm_ops)",
    "CREATE INDEX ix_contacts_name_trgm ON contacts USING gin (lower(name) gin_trgm_ops)",
    "CREATE INDEX ix_contacts_email_trgm ON contacts USING gin (lower(email) gin_trgm_ops)",
)
SQLITE_DROP = (
    "DROP TRIGGER account_search_contact_ad",
    "DROP TRIGGER account_search_contact_au",
    "DROP TRIGGER account_search_contact_ai",
    "DROP TRIGGER account_search_ad",
    "DROP TRIGGER account_search_au",
    "DROP TRIGGER account_search_ai",
    "DROP TABLE account_search",
)
POSTGRES_DROP = (
    "DROP INDEX ix_contacts_email_trgm",
    "DROP INDEX ix_contacts_name_trgm",
    "DROP INDEX ix_accounts_name_trgm",
)


def upgrade():
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRES:
        op.execute(statement)


def downgrade():
    for statement in SQLITE_DROP if op.get_bind().dialect.name == "sqlite" else POSTGRES_DROP:
        op.execute(statement)
