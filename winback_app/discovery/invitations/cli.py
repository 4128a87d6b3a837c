"""`flask surveys remind`: queue the survey reminders that are due (run it daily, e.g. cron)."""

import click
from flask import current_app

from winback_app.discovery.invitations import reminders

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


@click.group("surveys")
def surveys_cli():
    """Survey invitations and reminders."""


@surveys_cli.command("remind")
def remind():
    """Queue a reminder for every invitation owed one, in every open survey."""
    base_url = current_app.config["WINBACK_BASE_URL"]
    if not base_url:
        # Links in emails must point where people reach the app; only the setting knows.
        click.echo(f"WINBACK_BASE_URL is not set: links in reminders point to {DEFAULT_BASE_URL}.")
    report = reminders.send_reminders(base_url or DEFAULT_BASE_URL)
    for problem in report.problems:
        click.echo(problem, err=True)
    click.echo(f"{report.queued} reminder{'s' if report.queued != 1 else ''} queued in the outbox.")
