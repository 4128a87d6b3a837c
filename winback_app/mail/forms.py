"""The Outbox list's filters in its address: a status, and the page."""

from wtforms import SelectChoice, SelectField

from winback_app.accounts.choices import options
from winback_app.forms import ListFilterForm, page_field
from winback_app.mail.models import STATUSES


class OutboxFilterForm(ListFilterForm):
    """Emails in one status (or all of them), a page at a time."""

    status = SelectField(choices=[SelectChoice("", "All"), *options(STATUSES)], default="")
    page = page_field()
