"""What every domain's forms share: showing a service's refusal where the user will see it,
the field for amounts of money, the email address check, the version a section form was loaded
from, and reading a list's or a report's filters from the query string."""

from decimal import Decimal

from flask import request
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    Field,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, ValidationError

from winback_app.addresses import AddressError, clean_address
from winback_app.money import MONEY_MAX, parse_money
from winback_app.rules import RuleViolation


class MoneyField(DecimalField):
    """An amount read by ``parse_money``: thousands separators and a currency sign are fine;
    text that is no amount, more than ``places`` decimals or more than ``maximum`` is refused
    next to the field. Whether an amount may be negative is the validators' rule; with a
    ``rounding`` (e.g. a filter's bound, which is no stored amount) extra decimals are rounded
    instead of refused."""

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        maximum: Decimal = MONEY_MAX,
        rounding: str | None = None,
        **kwargs,
    ):
        super().__init__(label, validators, **kwargs)
        self.maximum, self.rounding = maximum, rounding

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            # A MoneyError is a ValueError: WTForms shows its message as the field's error.
            self.data = parse_money(
                valuelist[0], places=self.places, maximum=self.maximum, rounding=self.rounding
            )


def _field_named(form: FlaskForm, name: str) -> Field | None:
    """The field whose HTML name is ``name``, looking into lists of sub-forms too."""
    if name in form._fields:
        return form._fields[name]
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                if entry.name == name:
                    return entry
                if isinstance(entry, FormField):
                    found = next((sub for sub in entry if sub.name == name), None)
                    if found is not None:
                        return found
    return None


def show_violation(form: FlaskForm, violation: RuleViolation, default: str | None = None) -> None:
    """Put a refused save's message on the field it names, else on ``default``, else above the
    form (``form.form_errors``), so the user sees it next to what they typed."""
    target = _field_named(form, violation.field) if violation.field else None
    if target is None and default is not None:
        target = form._fields.get(default)
    if target is None:
        form.form_errors.append(violation.message)
    else:
        # A field's errors are a tuple until it has been validated.
        target.errors = [*target.errors, violation.message]


def email_address(form, field) -> None:
    """WTForms validator: a usable email address (see addresses.py), stored normalised."""
    try:
        field.data = clean_address(field.data)
    except AddressError as error:
        raise ValidationError(error.message) from None


class VersionedForm(FlaskForm):
    """A section form that remembers which version of its record it was loaded from, so that
    saving it over someone else's save is an edit conflict (``winback_app.sections``)."""

    version = HiddenField()

    @property
    def expected_version(self) -> int | None:
        value = str(self.version.data or "")
        return int(value) if value.isdigit() else None


def _query_value(value) -> str:
    """A filter's value as the address writes it: 1 for ticked, amounts without trailing
    zeros (``value_max=0`` stays 0, as typed)."""
    if value is True:
        return "1"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


class QueryForm(FlaskForm):
    """Filters read from the query string: ``request.args`` unless ``formdata`` is given.

    There is no CSRF token: reading a list changes nothing, and its address must work as a
    bookmark. The address carries the whole state, so ``args`` writes it back into links.
    """

    class Meta:
        csrf = False

    def __init__(self, formdata=None, **kwargs):
        super().__init__(formdata=request.args if formdata is None else formdata, **kwargs)

    def args(self, **overrides) -> dict:
        """Query-string arguments for the filters as they stand, with ``overrides`` (by
        argument name), defaults left out so one state has one, short, address."""
        values = {field.name: field.data for field in self} | overrides
        defaults = {field.name: field.default for field in self}
        return {
            name: _query_value(value)
            for name, value in values.items()
            if value is not None
            and value is not False
            and value != ""
            and value != defaults.get(name)
        }


class ListFilterForm(QueryForm):
    """A list's filters. A value the list cannot use (a stale bookmark, an edited address) is
    dropped back to its default as the form is read, and shown so: the list still shows, and
    its controls, its links and what it lists agree."""

    def __init__(self, formdata=None, **kwargs):
        super().__init__(formdata, **kwargs)
        self.validate()
        for field in self:
            if field.errors:
                field.process(None)
                field.raw_data, field.errors = None, []

    @property
    def narrowed(self) -> bool:
        """True when a filter narrows the list (the page does not)."""
        return bool(self.args(page=None))


def trimmed(limit: int):
    """A field filter: the typed value stripped and cut to ``limit`` characters, so what an
    address can make a page show back stays short."""
    return lambda value: (value or "").strip()[:limit]


def page_field() -> IntegerField:
    """A paged list's ``page``: a whole number from 1; anything else is the first page."""
    return IntegerField(default=1, validators=[NumberRange(min=1)])


class PageForm(ListFilterForm):
    """The filters of a list that has only pages."""

    page = page_field()


def stripped(value):
    """A field filter: typed text without surrounding spaces or NUL characters (PostgreSQL
    refuses NUL in text, and nobody types one on purpose)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def at_most(limit: int) -> Length:
    """A length cap with the message every form uses."""
    return Length(max=limit, message=f"Use at most {limit} characters.")


def text_field(label: str, limit: int, *validators, area: bool = False, **kwargs):
    """A text box (``area`` for several lines) whose text is ``stripped`` and capped at
    ``limit`` characters, after ``validators``."""
    field = TextAreaField if area else StringField
    return field(label, filters=[stripped], validators=[*validators, at_most(limit)], **kwargs)
