"""customer words for plans

Revision ID: 0011_c0ffee0c0ffe
Revises: 88c855c1f328
Create Date: 2026-12-03 19:24:46.087277

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0011_c0ffee0c0ffe"
down_revision = "88c855c1f328"
branch_labels = None
depends_on = None

# The printed sections, each with a text written for the customer.
COLUMNS = (
    "customer_relationship",
    "customer_cause",
    "customer_needs",
    "customer_commitment",
    "customer_offer",
)


def upgrade():
    # Existing plans start with empty customer texts: their team texts are internal and are
    # never copied across; the plan page warns about each empty one.
    with op.batch_alter_table("plans", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Text(), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
