"""accounts: indexes for the list's sorting and filters

Revision ID: 9f3c2a7d41e6
Revises: 35493a6bed48
Create Date: 2026-11-22 17:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "9f3c2a7d41e6"
down_revision = "35493a6bed48"
branch_labels = None
depends_on = None

# PostgreSQL only: its btree puts NULLs first going down, so the list's "NULLs last" order
# needs an index per direction. SQLite's DESC already puts NULLs last.
POSTGRES_SORTS = (
    ("ix_accounts_lost_on_asc_id", "lost_on ASC, id ASC"),
    ("ix_accounts_lost_on_desc_id", "lost_on DESC NULLS LAST, id DESC"),
    ("ix_accounts_value_asc_id", "annual_value_lost ASC, id ASC"),
    ("ix_accounts_value_desc_id", "annual_value_lost DESC NULLS LAST, id DESC"),
)


def upgrade():
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_accounts_owner_status_kind_lost_on",
            ["owner_id", "status", "kind", "lost_on"],
            unique=False,
        )
    if op.get_bind().dialect.name == "postgresql":
        for name, columns in POSTGRES_SORTS:
            op.execute(f"CREATE INDEX {name} ON accounts ({columns})")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name, _columns in POSTGRES_SORTS:
            op.execute(f"DROP INDEX {name}")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_accounts_owner_status_kind_lost_on")
