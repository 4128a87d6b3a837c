"""`flask backup`: a consistent copy of the SQLite database while the app keeps running."""

import sqlite3
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url


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
