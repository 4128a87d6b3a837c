"""The reports' filters as a form read from the query string: a period and, optionally, an
owner, a kind and a segment.

Presets (last month, this quarter, …) are turned into dates here. What cannot be used (an
unknown period or owner, a date that is not one, a range that runs backwards) gets a message
on its field and keeps the user's typing; the reports then show none of their figures.
"""

from datetime import date

from wtforms import SelectChoice, SelectField, StringField, ValidationError
from wtforms.validators import Length

from winback_app.accounts.choices import options
from winback_app.accounts.models import KINDS
from winback_app.dates import add_months
from winback_app.forms import QueryForm, trimmed
from winback_app.reports.filters import (
    DEFAULT_PERIOD,
    MAX_YEARS,
    PERIODS,
    SEGMENT_MAX,
    Filters,
    Owner,
    period_range,
)


def _period(value) -> str:
    return trimmed(40)(value) or DEFAULT_PERIOD


def _day(field, which: str) -> date:
    """The custom period's day in ``field``, or a message for the user."""
    if not field.data:
        raise ValidationError(f"Enter the {which} day of the period.")
    try:
        return date.fromisoformat(field.data)
    except ValueError:
        raise ValidationError(f"“{field.data}” is not a date: write it like 2026-03-31.") from None


class ReportFilterForm(QueryForm):
    """What the reports count: ``resolve`` turns it into ``Filters``, or None with messages."""

    period = SelectField(
        "Period",
        choices=options(PERIODS),
        # The monthly review is what a lead opens Reports for: no period means last month.
        default=DEFAULT_PERIOD,
        filters=[_period],
        invalid_choice_message="Choose one of the listed periods.",
    )
    # The address says from= and to=; Python cannot name a field "from".
    start = StringField("From", name="from", filters=[trimmed(40)])
    end = StringField("To", name="to", filters=[trimmed(40)])
    owner = SelectField(
        "Owner", filters=[trimmed(40)], invalid_choice_message="Choose an owner from the list."
    )
    kind = SelectField(
        "Kind",
        choices=[SelectChoice("", "Every kind"), *options(KINDS)],
        filters=[trimmed(40)],
        invalid_choice_message="Choose one of the listed kinds.",
    )
    segment = StringField(
        "Segment",
        filters=[trimmed(200)],
        validators=[
            Length(max=SEGMENT_MAX, message=f"A segment has at most {SEGMENT_MAX} characters.")
        ],
    )

    def __init__(self, today: date, owners: list[Owner], formdata=None):
        super().__init__(formdata)
        self.today = today
        self.owners = owners
        self.owner.choices = [SelectChoice("", "Everyone")] + [
            SelectChoice(str(o.id), o.name if o.active else f"{o.name} (inactive)") for o in owners
        ]

    @property
    def custom(self) -> bool:
        return self.period.data == "custom"

    @property
    def narrowed(self) -> bool:
        """True when an owner, a kind or a segment narrows the reports."""
        return bool(self.owner.data or self.kind.data or self.segment.data)

    @property
    def period_label(self) -> str:
        return PERIODS.get(self.period.data, "Custom dates")

    def validate_start(self, field):
        if self.custom:
            _day(field, "first")

    def validate_end(self, field):
        if self.custom:
            _day(field, "last")

    def resolve(self) -> Filters | None:
        """The filters the reports count by, or None when one cannot be used: each such field
        then carries its message, and a choice the list lacks stays chosen, as typed."""
        valid = self.validate()
        if self.period.data in PERIODS and not self.custom:
            span = period_range(self.period.data, self.today)
            self.start.data, self.end.data = span[0].isoformat(), span[1].isoformat()
        elif self.custom and not (self.start.errors or self.end.errors):
            span = date.fromisoformat(self.start.data), date.fromisoformat(self.end.data)
            valid = self._check_range(*span) and valid
        for field in (self.period, self.owner, self.kind):
            if field.errors:
                field.choices = [*field.choices, SelectChoice(field.data, field.data)]
        if not valid:
            return None
        owner_id = int(self.owner.data) if self.owner.data else None
        return Filters(
            span[0], span[1], owner_id, self.kind.data or None, self.segment.data or None
        )

    def _check_range(self, start: date, end: date) -> bool:
        if end < start:
            self.end.errors.append("The last day comes before the first day: swap them.")
        elif end > add_months(start, 12 * MAX_YEARS):
            self.end.errors.append(f"Choose a period of at most {MAX_YEARS} years.")
        return not self.end.errors

    def args(self, **overrides) -> dict:
        """Query-string arguments for these filters (the default period left out); a preset's
        dates follow from it, so only custom ones are carried."""
        values = super().args(**overrides)
        if values.get("period") != "custom":
            values.pop("from", None)
            values.pop("to", None)
        return values
