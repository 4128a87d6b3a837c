"""Forms for logging in, setting a password and managing users."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from winback_app.auth.services import PASSWORD_MAX, PASSWORD_MIN
from winback_app.forms import email_address

ROLE_CHOICES = [
    SelectChoice("member", "Member — works accounts"),
    SelectChoice("viewer", "Viewer — reads only"),
    SelectChoice("admin", "Admin — manages users and settings"),
]


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])


class SetPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = PasswordField(
        "New password",
        validators=[
            DataRequired(),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=f"Use at least {PASSWORD_MIN} and at most {PASSWORD_MAX} characters.",
            ),
        ],
        description=f"At least {PASSWORD_MIN} characters. A short sentence is easy to remember.",
    )
    confirm = PasswordField(
        "Type it again",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )


class UserForm(FlaskForm):
    """A new team member."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        "Email",
        validators=[
            DataRequired(),
            Length(max=254),
            email_address,
        ],
    )
    title = StringField("Job title", validators=[Length(max=120)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="member")


class RoleForm(FlaskForm):
    """A user's new role."""

    role = SelectField("Role", choices=ROLE_CHOICES)
