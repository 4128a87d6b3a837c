"""Logging in and out, and setting a password through a one-time link."""

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user

from winback_app import htmx
from winback_app.auth import services
from winback_app.auth.forms import LoginForm, SetPasswordForm
from winback_app.extensions import limiter
from winback_app.forms import show_violation
from winback_app.rules import RuleViolation
from winback_app.security import public, safe_next_path, viewer_may_write

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "That email and password do not match an active account."


def _login_failed(response) -> bool:
    # Only failed attempts count towards the limits; a successful login redirects.
    return response.status_code == 422


def _start_session(user) -> None:
    # A permanent session lasts PERMANENT_SESSION_LIFETIME instead of ending with the browser.
    session.permanent = True
    login_user(user)


def _email_key() -> str:
    return "login-email:" + services.normalise_email(request.form.get("email", ""))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_PER_ADDRESS"],
    methods=["POST"],
    deduct_when=_login_failed,
)
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_PER_EMAIL"],
    key_func=_email_key,
    methods=["POST"],
    deduct_when=_login_failed,
)
def login():
    """Show the login form; log the user in and send them where they were going."""
    next_path = safe_next_path(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_path or url_for("core.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            _start_session(user)
            return redirect(next_path or url_for("core.home"), 303)
        form.form_errors.append(LOGIN_FAILED)
    status = 422 if request.method == "POST" else 200
    return htmx.render("auth/login.html", form=form, next_path=next_path, status=status)


@bp.route("/logout", methods=["GET", "POST"])
@viewer_may_write
def logout():
    """GET asks to confirm (a link cannot log out by itself); POST logs out."""
    if request.method == "GET":
        return htmx.render("auth/logout.html")
    logout_user()
    flash("You have logged out.", "success")
    return redirect(url_for("auth.login"), 303)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
@limiter.limit("30 per 10 minutes")
def set_password(token):
    """Let a user choose a password through the one-time link an admin gave them."""
    link = services.valid_password_link(token)
    if link is None:
        return htmx.render("auth/link_invalid.html", status=404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.use_password_link(link, form.password.data)
        except RuleViolation as violation:
            show_violation(form, violation, "password")
        else:
            _start_session(user)
            flash(f"Welcome, {user.first_name}. Your password is set.", "success")
            return redirect(url_for("core.home"), 303)
    status = 422 if request.method == "POST" else 200
    return htmx.render("auth/set_password.html", form=form, user=link.user, status=status)
