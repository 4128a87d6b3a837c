"""The admin's user management: list, create with a one-time link, change role, deactivate."""

from flask import Blueprint, abort, flash, redirect, url_for

from winback_app import htmx
from winback_app.auth import services
from winback_app.auth.forms import RoleForm, UserForm
from winback_app.auth.models import User
from winback_app.extensions import db
from winback_app.forms import show_violation
from winback_app.rules import RuleViolation
from winback_app.security import admin_required

bp = Blueprint("users", __name__, url_prefix="/admin/users")
PAGE = "auth/users.html"


def _get_user(user_id: int) -> User:
    return db.session.get(User, user_id) or abort(404)


def _password_url(token: str) -> str:
    return url_for("auth.set_password", token=token, _external=True)


def _row(user: User, done: str | None = None, error: str | None = None):
    """The user's row after an inline action; without htmx, back to the list (PRG)."""
    if error is None and not htmx.is_partial():
        flash(done, "success")
        return redirect(url_for("users.index"), 303)
    return htmx.render(
        PAGE,
        block="user_row",
        status=422 if error else 200,
        user=user,
        row_errors={user.id: error} if error else {},
        users=services.list_users(),
        form=UserForm(),
    )


@bp.route("/")
@admin_required
def index():
    """List the team's users with a form to add one."""
    return htmx.render(PAGE, users=services.list_users(), form=UserForm())


@bp.route("/", methods=["POST"])
@admin_required
def create():
    """Add a user and show, once, the link they use to set their password."""
    form = UserForm()
    new_user, link = None, None
    if form.validate_on_submit():
        try:
            new_user = services.create_user(
                form.email.data, form.name.data, form.role.data, title=form.title.data or ""
            )
        except RuleViolation as violation:
            show_violation(form, violation, "email")
        else:
            link = _password_url(services.issue_password_link(new_user))
            form = UserForm(formdata=None)
    status = 201 if new_user else 422
    return htmx.render(
        PAGE,
        block="users_panel",
        status=status,
        users=services.list_users(),
        form=form,
        new_user=new_user,
        link=link,
    )


@bp.route("/<int:user_id>/role", methods=["POST"])
@admin_required
def change_role(user_id):
    """Change a user's role (keeping at least one active admin)."""
    user = _get_user(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _row(user, error="Choose one of the listed roles.")
    try:
        services.change_role(user, form.role.data)
    except RuleViolation as violation:
        db.session.refresh(user)
        return _row(user, error=violation.message)
    return _row(user, done=f"{user.name} is now {user.role}.")


@bp.route("/<int:user_id>/active", methods=["POST"])
@admin_required
def toggle_active(user_id):
    """Deactivate an active user (ending their sessions) or reactivate an inactive one."""
    user = _get_user(user_id)
    try:
        services.set_active(user, not user.active)
    except RuleViolation as violation:
        db.session.refresh(user)
        return _row(user, error=violation.message)
    state = "active again" if user.active else "deactivated"
    return _row(user, done=f"{user.name} is {state}.")


@bp.route("/<int:user_id>/password-link", methods=["POST"])
@admin_required
def password_link(user_id):
    """Make a new one-time password link for a user who forgot theirs."""
    user = _get_user(user_id)
    if not user.active:
        return _row(user, error="Reactivate the user before making a password link.")
    link = _password_url(services.issue_password_link(user))
    return htmx.render(
        PAGE,
        block="users_panel",
        status=201,
        users=services.list_users(),
        form=UserForm(),
        link_user=user,
        link=link,
    )
