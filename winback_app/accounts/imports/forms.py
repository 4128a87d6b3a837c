"""Forms of the CSV import: the upload, and the column mapping with its options."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, RadioField, SelectChoice, SelectField

from winback_app.accounts.imports.fields import BY_KEY
from winback_app.accounts.imports.services import MAX_BYTES
from winback_app.accounts.imports.values import DATE_ORDERS

MAX_MB = MAX_BYTES // (1024 * 1024)
TOO_LARGE = (
    f"The file is larger than {MAX_MB} MB. Split it into smaller files "
    "and import them one after the other."
)


class UploadForm(FlaskForm):
    """A CSV file to import."""

    file = FileField(
        "CSV file",
        validators=[
            FileRequired("Choose a CSV file to upload."),
            FileSize(max_size=MAX_BYTES, message=TOO_LARGE),
        ],
        description=f"UTF-8, separated by commas or semicolons, up to {MAX_MB} MB.",
        render_kw={"accept": ".csv,text/csv,text/plain"},
    )


class OptionsForm(FlaskForm):
    """How to read dates, what a duplicate is and what to do with it, unknown names, bad rows."""

    date_order = RadioField(
        "Dates written with numbers only",
        choices=[SelectChoice(value, label) for value, label in DATE_ORDERS.items()],
    )
    duplicate_rule = RadioField(
        "An account is already in Winback when it has",
        choices=[
            SelectChoice("name", "the same name"),
            SelectChoice("email", "a contact with the same email"),
        ],
    )
    duplicate_action = RadioField(
        "Then",
        choices=[
            SelectChoice("skip", "skip the row"),
            SelectChoice("update", "update the account with the row's filled-in cells"),
        ],
    )
    create_unknown = BooleanField("Add the reasons and competitors Winback does not know yet")
    skip_invalid = BooleanField("Skip invalid rows and import the others")

    OPTION_NAMES = (
        "date_order",
        "duplicate_rule",
        "duplicate_action",
        "create_unknown",
        "skip_invalid",
    )
    column_count = 0  # set by mapping_form

    def columns(self) -> list[str]:
        """The field chosen for each column, in the file's order."""
        return [self[f"column_{i}"].data for i in range(self.column_count)]

    def options(self) -> dict:
        """The chosen options, by name."""
        return {name: self[name].data for name in self.OPTION_NAMES}


def mapping_form(headers: list[str], **kwargs) -> OptionsForm:
    """The options form with a field select for each column of the file."""

    class MappingForm(OptionsForm):
        column_count = len(headers)

    choices = [SelectChoice("", "Ignore this column")]
    choices += [SelectChoice(key, f.label) for key, f in BY_KEY.items()]
    for index, header in enumerate(headers):
        label = header or f"Column {index + 1}"
        setattr(MappingForm, f"column_{index}", SelectField(label, choices=choices, default=""))
    return MappingForm(**kwargs)
