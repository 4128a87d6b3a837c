"""Test databases: a fresh SQLite file per test, or a clean PostgreSQL schema per test."""

import os

from sqlalchemy import text

from winback_app.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
_state = {"postgres_schema_built": False}


def is_postgres() -> bool:
    """True when the suite runs against PostgreSQL (TEST_DATABASE_URL)."""
    return TEST_DATABASE_URL.startswith(("postgres://", "postgresql"))


def url_for_test(tmp_path) -> str:
    """The database URL for one test."""
    return TEST_DATABASE_URL if is_postgres() else f"sqlite:///{tmp_path / 'test.sqlite3'}"


def drop_everything() -> None:
    """Empty the PostgreSQL schema completely (tables, types, Alembic's version table)."""
    with db.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    _state["postgres_schema_built"] = False


def prepare_schema() -> None:
    """Give the current app an empty database with every table.

    SQLite gets a new file per test. PostgreSQL builds the tables once, then empties them
    before each test, which is far quicker than rebuilding and just as clean.
    """
    if not is_postgres():
        db.create_all()
        return
    if not _state["postgres_schema_built"]:
        drop_everything()
        db.create_all()
        _state["postgres_schema_built"] = True
        return
    tables = ", ".join(f'"{table.name}"' for table in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
