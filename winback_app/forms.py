"""What every domain's forms share: showing a service's refusal where the user will see it, and
the version a section form was loaded from."""

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, FormField, HiddenField

from winback_app.rules import RuleViolation


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


class VersionedForm(FlaskForm):
    """A section form that remembers which version of its record it was loaded from, so that
    saving it over someone else's save is an edit conflict (``winback_app.sections``)."""

    version = HiddenField()

    @property
    def expected_version(self) -> int | None:
        value = str(self.version.data or "")
        return int(value) if value.isdigit() else None
