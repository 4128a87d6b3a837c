"""`flask users …`, `flask seed-demo` and `flask backup`."""

import sqlite3

import pytest

from tests import database
from winback_app import demo
from winback_app.auth import services
from winback_app.auth.models import User
from winback_app.extensions import db


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_users_create_prompts_for_the_password(app_ctx, runner):
    result = runner.invoke(
        args=["users", "create", "Kim@Example.com", "--name", "Kim Lee", "--role", "admin"],
        input="a good long password\na good long password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created kim@example.com (admin)." in result.output
    assert services.authenticate("kim@example.com", "a good long password").role == "admin"


def test_users_create_reads_the_password_from_a_file(app_ctx, runner, tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("from a file, long enough\n")
    result = runner.invoke(
        args=["users", "create", "kim@example.com", "--name", "Kim", "--password-file", str(secret)]
    )
    assert result.exit_code == 0, result.output
    assert services.authenticate("kim@example.com", "from a file, long enough").role == "member"


def test_users_create_refuses_bad_input(app_ctx, runner):
    short = runner.invoke(
        args=["users", "create", "kim@example.com", "--name", "Kim", "--password-file", "-"],
        input="short\n",
    )
    assert short.exit_code != 0 and "at least 10" in short.output
    role = runner.invoke(args=["users", "create", "x@example.com", "--name", "X", "--role", "boss"])
    assert role.exit_code != 0
    assert db.session.query(User).count() == 0


def test_users_list_and_set_password(runner, member):
    listing = runner.invoke(args=["users", "list"])
    assert "max@example.com" in listing.output and "member" in listing.output
    result = runner.invoke(
        args=["users", "set-password", "max@example.com"],
        input="another good password\nanother good password\n",
    )
    assert result.exit_code == 0, result.output
    assert services.authenticate("max@example.com", "another good password") is not None
    unknown = runner.invoke(args=["users", "set-password", "nobody@example.com"])
    assert unknown.exit_code != 0 and "No user" in unknown.output


def test_seed_demo_is_idempotent_and_prints_the_logins(app_ctx, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@example.com" in first.output and demo.DEMO_PASSWORD in first.output
    count = db.session.query(User).count()
    assert count >= 3
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert db.session.query(User).count() == count
    assert services.authenticate("admin@example.com", demo.DEMO_PASSWORD).role == "admin"


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner, member):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "already has data" in result.output
    assert services.user_by_email("admin@example.com") is None


def test_backup_writes_a_consistent_copy(runner, member, tmp_path):
    if database.is_postgres():
        result = runner.invoke(args=["backup", str(tmp_path / "copy.sqlite3")])
        assert result.exit_code != 0 and "pg_dump" in result.output
        return
    target = tmp_path / "copy.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT email FROM users").fetchall() == [("max@example.com",)]
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists" in again.output


def test_seed_demo_if_empty_shows_the_logins_again_once_seeded(app_ctx, runner):
    runner.invoke(args=["seed-demo"])
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "admin@example.com" in again.output and demo.DEMO_PASSWORD in again.output
