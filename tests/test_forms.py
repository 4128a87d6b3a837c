"""The shared form helper: a refusal lands on the field it names, or above the form."""

from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, StringField

from winback_app.forms import show_violation
from winback_app.rules import RuleViolation


class _Row(FlaskForm):
    class Meta:
        csrf = False

    what = StringField()


class _Form(FlaskForm):
    class Meta:
        csrf = False

    name = StringField()
    rows = FieldList(FormField(_Row), min_entries=2)


def test_a_refusal_lands_on_its_field_then_the_default_then_above_the_form(app):
    with app.test_request_context():
        form = _Form()
        show_violation(form, RuleViolation("Taken.", "name"))
        show_violation(form, RuleViolation("Too long.", "rows-1-what"))
        show_violation(form, RuleViolation("Unknown field.", "nope"), default="name")
        show_violation(form, RuleViolation("Nothing to blame."))
        assert form.name.errors == ["Taken.", "Unknown field."]
        assert form.rows[1].what.errors == ["Too long."]
        assert not form.rows[0].what.errors
        assert form.form_errors == ["Nothing to blame."]
