"""Test databases: a fresh SQLite file per test, or a clean PostgreSQL schema per test."""

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from winback_app.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
# Under pytest-xdist each worker process gets a database of its own, named after the worker.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_state = {"postgres_schema_built": False, "worker_database_ready": False}


def is_postgres() -> bool:
    """True when the suite runs against PostgreSQL (TEST_DATABASE_URL)."""
    return TEST_DATABASE_URL.startswith(("postgres://", "postgresql"))


def url_for_test(tmp_path) -> str:
    """The database URL for one test."""
    if not is_postgres():
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    if not WORKER:
        return TEST_DATABASE_URL
    url = make_url(TEST_DATABASE_URL)
    worker_url = url.set(database=f"{url.database}_{WORKER}")
    if not _state["worker_database_ready"]:
        _create_database(url, worker_url.database)
        _state["worker_database_ready"] = True
    return worker_url.render_as_string(hide_password=False)


def _create_database(url, name: str) -> None:
    # CREATE DATABASE cannot run inside a transaction, hence AUTOCOMMIT.
    engine = create_engine(url.set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


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
