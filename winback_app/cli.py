"""App-wide CLI commands: demo data, benchmark data and backups."""

import sqlite3
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

from . import benchdata, demo
from .rules import RuleViolation


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no users yet.")
def seed_demo(if_empty):
    """Create a demo team and sample data; running it again changes nothing."""
    if if_empty and not demo.database_is_empty():
        if not demo.has_demo_team():
            click.echo("The database already has data; demo data not added.")
            return
        logins = demo.logins()
    else:
        logins = demo.seed()
    click.echo("Demo data is in place. Log in at http://127.0.0.1:5000/login with:")
    for email, password, role in logins:
        click.echo(f"  {email:<28} {password:<16} ({role})")


@click.command("seed-bench")
@click.option(
    "--accounts",
    "account_count",
    type=click.IntRange(min=benchdata.MINIMUM_ACCOUNTS),
    default=100_000,
    show_default=True,
    help="Accounts to create; contacts, attempts, call-backs, invitations and plans scale.",
)
@click.option(
    "--seed",
    "random_seed",
    type=int,
    default=1,
    show_default=True,
    help="Random seed: the same seed gives the same data (on the same day).",
)
def seed_bench(account_count, random_seed):
    """Fill an empty, migrated database with a large, realistic data set for benchmarks."""
    click.echo(f"Seeding {account_count:,} accounts (seed {random_seed}) …")
    try:
        benchdata.seed(account_count, random_seed, progress=click.echo)
    except RuleViolation as error:
        raise click.ClickException(error.message) from None
    click.echo("Benchmark data is in place. Log in with:")
    for email, password, role in benchdata.logins():
        click.echo(f"  {email:<44} {password:<16} ({role})")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup(path):
    """Write a consistent copy of the SQLite database to PATH while the app keeps running."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "This database is not SQLite: back it up with pg_dump (see README, Backups)."
        )
    target = Path(path)
    if target.exists():
        raise click.ClickException(f"{target} exists; choose a new file name.")
    # SQLite's online backup API copies a consistent snapshot even while others write.
    source = sqlite3.connect(url.database)
    destination = sqlite3.connect(target)
    try:
        with destination:
            source.backup(destination)
    finally:
        destination.close()
        source.close()
    click.echo(f"Backed up {url.database} to {target}.")
