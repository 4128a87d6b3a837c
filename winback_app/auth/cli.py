"""`flask users …`: manage the team's users from the shell."""

import click

from winback_app.auth import services
from winback_app.config import ROLES
from winback_app.rules import RuleViolation


def _read_password(password_file, prompt: str) -> str:
    if password_file is not None:
        # The first line only, so a trailing newline from `echo` is not part of the password.
        lines = password_file.read().splitlines()
        return lines[0] if lines else ""
    return click.prompt(prompt, hide_input=True, confirmation_prompt=True)


@click.group()
def users():
    """Create and list users, and set passwords."""


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's full name.")
@click.option("--role", type=click.Choice(ROLES), default="member", show_default=True)
@click.option("--title", default="", help="Job title, used in outreach emails.")
@click.option(
    "--password-file", type=click.File("r"), help="Read the password from this file (- for stdin)."
)
def create(email, name, role, title, password_file):
    """Add a user; asks for the password unless --password-file is given."""
    password = _read_password(password_file, "Password")
    try:
        user = services.create_user(email, name, role, password=password, title=title)
    except RuleViolation as violation:
        raise click.ClickException(violation.message) from None
    click.echo(f"Created {user.email} ({user.role}).")


@users.command("list")
def list_():
    """List users: email, name, role and whether they are active."""
    for user in services.list_users():
        state = "active" if user.active else "inactive"
        click.echo(f"{user.email:<40} {user.name:<30} {user.role:<8} {state}")


@users.command("set-password")
@click.argument("email")
@click.option(
    "--password-file", type=click.File("r"), help="Read the password from this file (- for stdin)."
)
def set_password(email, password_file):
    """Set a user's password (ends their other sessions)."""
    user = services.user_by_email(email)
    if user is None:
        raise click.ClickException(f"No user with email {email}.")
    password = _read_password(password_file, "New password")
    try:
        services.set_password(user, password)
    except RuleViolation as violation:
        raise click.ClickException(violation.message) from None
    click.echo(f"Password set for {user.email}.")
