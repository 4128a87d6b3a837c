"""Copies of the databases the load test runs on, so the originals are only ever read."""

import sqlite3
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

SQLITE_FILE = "winback.sqlite3"  # the file the app uses in its instance folder


def sqlite(source_folder: Path, folder: Path) -> str:
    """Copy the instance folder's database into ``folder``; the copy's URL."""
    source = source_folder / SQLITE_FILE
    if not source.is_file():
        raise SystemExit(f"{source} does not exist.")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / SQLITE_FILE
    target.unlink(missing_ok=True)
    reader, writer = sqlite3.connect(f"file:{source}?mode=ro", uri=True), sqlite3.connect(target)
    try:
        reader.backup(writer)
    finally:
        writer.close()
        reader.close()
    return f"sqlite:///{target}"


def _admin(url: str, *statements: str) -> None:
    server = make_url(url).set(drivername="postgresql", database="postgres")
    with psycopg.connect(server.render_as_string(hide_password=False), autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def postgresql(url: str, name: str = "", wait: float = 120) -> str:
    """``CREATE DATABASE name TEMPLATE <url's database>`` (name: ``<database>_load`` unless
    given); the copy's URL.

    PostgreSQL refuses while anyone is connected to the template, so it tries again for a while.
    """
    source = make_url(url)
    name = name or f"{source.database}_load"
    if name == source.database:
        raise SystemExit("The copy needs a name of its own: the original is never written to.")
    deadline = time.monotonic() + wait
    while True:
        try:
            _admin(url, f'DROP DATABASE IF EXISTS "{name}"')
            _admin(url, f'CREATE DATABASE "{name}" TEMPLATE "{source.database}"')
            return source.set(database=name).render_as_string(hide_password=False)
        except psycopg.errors.ObjectInUse:
            if time.monotonic() > deadline:
                raise SystemExit(f"{source.database} stayed in use; no copy was made.") from None
            time.sleep(3)


def drop_postgresql(url: str) -> None:
    """Drop the copy at ``url`` (its connections are ended first)."""
    _admin(url, f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
