"""survey promises: loss reasons in the customer's words, the survey's donation amount

Revision ID: 0012_5eed5eed5eed
Revises: 0011_c0ffee0c0ffe
Create Date: 2026-12-03 19:24:41.222328

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0012_5eed5eed5eed"
down_revision = "0011_c0ffee0c0ffe"
branch_labels = None
depends_on = None

# The default reasons whose team names are internal shorthand, in the words a customer uses;
# every other reason reads fine to a customer as it is named.
WORDINGS = {
    "Competitor offered a discount": "Another supplier offered us a discount",
    "Discount ended": "Our discount ended",
    "Competitor launched a better product": "Another supplier had a better product",
    "Bundled offer": "Another supplier offered a package deal",
    "Did not integrate with their systems": "It did not work with our other systems",
    "Wrong or incomplete orders": "Orders arrived wrong or incomplete",
    "Defects and returns": "Too many defects and returns",
    "Slow credit notes": "Credit notes took too long",
    "No single point of contact": "We had no single person to talk to",
    "Key contact left": "Our main contact left",
    "Company downsized": "Our company got smaller",
    "Moved the work in-house": "We now do the work ourselves",
    "Project shelved": "The project was put on hold",
    "Stayed with the status quo": "We decided not to change anything",
}

# The default survey invitation as first added, and as it reads now: its minutes are counted
# from the survey, and it mentions a donation only when the team lists charities. A team's own
# edits are left alone.
OLD_SUBJECT = "{{ contact_first_name }}, 3 minutes to tell us where we fell short?"
NEW_SUBJECT = "{{ contact_first_name }}, {{ survey_minutes }} to tell us where we fell short?"
OLD_BODY = (
    "Hi {{ contact_first_name }},\n"
    "\n"
    "At {{ company_name }} we are doing a little research with former customers: what made them "
    "leave, and what we should change. How things went for {{ account_name }} would teach us "
    "more than anything we could work out on our own.\n"
    "\n"
    "It is a short survey of a few questions, about 3 minutes, and it works on a phone:\n"
    "{{ survey_link }}\n"
    "\n"
    "There is no sales pitch at the end. {% if charity_list %}As a thank-you, we will make a "
    "donation to a charity you pick from this list:\n"
    "{{ charity_list }}{% else %}As a thank-you, we will make a donation to a charity of your "
    "choice.{% endif %}\n"
    "\n"
    "Thank you,\n"
    "{{ sender_name }}{% if sender_title %}, {{ sender_title }}{% endif %}\n"
    "{{ company_name }}\n"
)
NEW_BODY = (
    "Hi {{ contact_first_name }},\n"
    "\n"
    "At {{ company_name }} we are doing a little research with former customers: what made them "
    "leave, and what we should change. How things went for {{ account_name }} would teach us "
    "more than anything we could work out on our own.\n"
    "\n"
    "It is a short survey of a few questions, about {{ survey_minutes }}, and it works on a "
    "phone:\n"
    "{{ survey_link }}\n"
    "\n"
    "There is no sales pitch at the end.{% if charity_list %} As a thank-you, we will make a "
    "donation to a charity you pick from this list:\n"
    "{{ charity_list }}{% endif %}\n"
    "\n"
    "Thank you,\n"
    "{{ sender_name }}{% if sender_title %}, {{ sender_title }}{% endif %}\n"
    "{{ company_name }}\n"
)


def _reword_scripts(subject_from, subject_to, body_from, body_to):
    scripts = sa.table("scripts", sa.column("subject", sa.String), sa.column("body", sa.Text))
    op.execute(scripts.update().where(scripts.c.subject == subject_from).values(subject=subject_to))
    op.execute(scripts.update().where(scripts.c.body == body_from).values(body=body_to))


def upgrade():
    with op.batch_alter_table("loss_reasons", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("customer_wording", sa.String(length=200), server_default="", nullable=False)
        )
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "donation_amount",
                sa.Numeric(precision=10, scale=2),
                server_default="25",
                nullable=False,
            )
        )
    reasons = sa.table("loss_reasons", sa.column("name", sa.String), sa.column("customer_wording"))
    for name, wording in WORDINGS.items():
        op.execute(reasons.update().where(reasons.c.name == name).values(customer_wording=wording))
    _reword_scripts(OLD_SUBJECT, NEW_SUBJECT, OLD_BODY, NEW_BODY)


def downgrade():
    _reword_scripts(NEW_SUBJECT, OLD_SUBJECT, NEW_BODY, OLD_BODY)
    with op.batch_alter_table("team_settings", schema=None) as batch_op:
        batch_op.drop_column("donation_amount")
    with op.batch_alter_table("loss_reasons", schema=None) as batch_op:
        batch_op.drop_column("customer_wording")
