"""`flask outbox send` sends what is due once; `flask outbox worker` keeps sending."""

import threading

import click
from flask import current_app

from winback_app.mail import outbox, sender


@click.group("outbox")
def outbox_cli():
    """Send the emails waiting in the outbox."""


@outbox_cli.command("send")
def send():
    """Send every message that is due now, once (e.g. from cron)."""
    report = outbox.send_due()
    click.echo(f"Outbox: {report}.")


@outbox_cli.command("worker")
@click.option(
    "--interval",
    default=sender.WORKER_INTERVAL,
    show_default=True,
    type=click.FloatRange(min=0.5),
    help="Seconds between two rounds.",
)
def worker(interval):
    """Keep sending due messages until stopped (Ctrl+C, or SIGTERM from the service manager)."""
    app = current_app._get_current_object()
    click.echo(f"Sending due outbox messages every {interval:g} s; Ctrl+C stops.")
    try:
        sender.run_worker(app, outbox.send_due, interval, threading.Event())
    except KeyboardInterrupt:
        click.echo("Stopped.")
