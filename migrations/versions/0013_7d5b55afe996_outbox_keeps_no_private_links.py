"""outbox keeps no private links: stored survey emails get the placeholder in place of a token

Revision ID: 0013_7d5b55afe996
Revises: 0012_5eed5eed5eed
Create Date: 2026-12-03 21:58:06.874123

"""

import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0013_7d5b55afe996"
down_revision = "0012_5eed5eed5eed"
branch_labels = None
depends_on = None

# A survey link's token in a stored email: /s/<token> (the unsubscribe link adds /unsubscribe).
TOKEN = re.compile(r"/s/[A-Za-z0-9_-]{22,128}(?=[/\"'<>\s]|$)")
PLACEHOLDER = "/s/link-made-when-sent"

outbox = sa.table(
    "outbox_messages",
    sa.column("id", sa.Integer),
    sa.column("invitation_id", sa.Integer),
    sa.column("text_body", sa.Text),
    sa.column("html_body", sa.Text),
    sa.column("list_unsubscribe", sa.String),
)


def upgrade():
    # Emails stored before links were made at sending held the token itself. A queued one now
    # gets a fresh link when it is sent; a sent one keeps no usable link.
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(
            outbox.c.id, outbox.c.text_body, outbox.c.html_body, outbox.c.list_unsubscribe
        ).where(outbox.c.invitation_id.is_not(None))
    ).all()
    for row in rows:
        connection.execute(
            outbox.update()
            .where(outbox.c.id == row.id)
            .values(
                text_body=TOKEN.sub(PLACEHOLDER, row.text_body or ""),
                html_body=TOKEN.sub(PLACEHOLDER, row.html_body or ""),
                list_unsubscribe=TOKEN.sub(PLACEHOLDER, row.list_unsubscribe or ""),
            )
        )


def downgrade():
    # The tokens cannot be brought back: an email queued before the upgrade keeps the
    # placeholder.
    pass
