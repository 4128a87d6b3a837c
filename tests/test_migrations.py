"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from tests import database
from winback_app import create_app
from winback_app.accounts.search_index import include_object
from winback_app.config import TestConfig
from winback_app.extensions import db


@pytest.fixture
def empty_app(tmp_path):
    """An app whose database has no tables at all."""
    app = create_app(TestConfig(database.url_for_test(tmp_path), str(tmp_path / "instance")))
    with app.app_context():
        if database.is_postgres():
            database.drop_everything()
        yield app
        if database.is_postgres():
            database.drop_everything()
        db.session.remove()
        db.engine.dispose()


def test_upgrade_builds_every_table_on_an_empty_database(empty_app):
    upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert {table.name for table in db.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_models_and_migrations_agree(empty_app):
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": include_object,
            },
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_to_base_and_upgrade_again(empty_app):
    upgrade()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert "users" in inspect(db.engine).get_table_names()


def test_upgrading_keeps_a_saved_settings_row_working(empty_app):
    from sqlalchemy import text

    upgrade(revision="5bcb5f15a545")  # accounts, before the call-back timing settings
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO team_settings (currency) VALUES ('GBP')"))
    upgrade()
    with db.engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT currency, callback_start_percent, callback_interval_months,"
                " nurture_interval_months FROM team_settings"
            )
        ).one()
    assert tuple(row) == ("GBP", 50, 6, 6)


def test_stepping_back_and_forth_keeps_the_rows_that_point_at_accounts(empty_app):
    from sqlalchemy import text

    upgrade()
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO accounts (id, kind, name, segment, status, competitor_terms,"
                " sales_history, friendly, do_not_contact, notes, customer_words, team_notes,"
                " views_disagree, version, created_at, updated_at) VALUES (1,"
                " 'former_customer', 'Acme', '', 'won_back', '', '', false, false, '', '', '',"
                " false, 1, '2026-05-04 10:00:00', '2026-05-04 10:00:00')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO attempts (account_id, channel, outcome, at, notes, created_at)"
                " VALUES (1, 'phone', 'reached', '2026-05-01 09:00:00', '',"
                " '2026-05-01 09:00:00')"
            )
        )
    # Stepping back over a column change rebuilds the accounts table on SQLite; the
    # attempts that point at it must survive, and the win-back gets its date again.
    downgrade(revision="12205624d3d2")  # before accounts.won_back_on
    upgrade()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM attempts")).scalar() == 1
        won_back_on = connection.execute(text("SELECT won_back_on FROM accounts")).scalar()
    assert str(won_back_on) == "2026-05-04"


def test_the_file_names_list_the_migrations_in_the_order_they_run():
    from alembic.script import ScriptDirectory

    versions = Path(__file__).parent.parent / "migrations" / "versions"
    chain = [
        Path(script.path).name
        for script in reversed(list(ScriptDirectory(str(versions.parent)).walk_revisions()))
    ]
    assert chain == sorted(path.name for path in versions.glob("*.py"))


def test_a_new_migration_takes_the_next_number(empty_app, tmp_path):
    from flask_migrate import revision

    copy = tmp_path / "migrations"
    shutil.copytree(Path(__file__).parent.parent / "migrations", copy)
    before = {path.name for path in (copy / "versions").glob("*.py")}
    revision(directory=str(copy), message="add a thing")
    (added,) = {path.name for path in (copy / "versions").glob("*.py")} - before
    highest = max(int(name[:4]) for name in before)
    assert added.startswith(f"{highest + 1:04d}_") and added.endswith("_add_a_thing.py")


def test_survey_promises_reword_the_default_invitation_and_the_internal_reasons(empty_app):
    from sqlalchemy import text

    from winback_app.discovery.invitations.mail import INVITATION_SCRIPT

    upgrade()
    downgrade(revision="0012_5eed5eed5eed")
    downgrade(revision="-1")  # before loss reasons had customer wordings
    old_subject = "{{ contact_first_name }}, 3 minutes to tell us where we fell short?"
    with db.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO reason_categories (name, position, retired)"
                " VALUES ('No decision', 0, false)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO loss_reasons (category_id, name, position, retired)"
                " SELECT id, :name, 0, false FROM reason_categories"
            ),
            [{"name": "Stayed with the status quo"}, {"name": "Budget cut"}],
        )
        connection.execute(
            text(
                "INSERT INTO scripts (kind, name, subject, body, created_at, updated_at)"
                " VALUES ('email', :n, :s, :b, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            [
                {"n": "Default", "s": old_subject, "b": OLD_DEFAULT_BODY},
                {"n": "Own", "s": "Our own", "b": "About 3 minutes: {{ survey_link }}"},
            ],
        )
    upgrade()
    with db.engine.connect() as connection:
        scripts = dict(connection.execute(text("SELECT name, body FROM scripts")).all())
        subjects = set(connection.execute(text("SELECT subject FROM scripts")).scalars())
        wordings = dict(
            connection.execute(text("SELECT name, customer_wording FROM loss_reasons")).all()
        )
    assert scripts["Default"] == INVITATION_SCRIPT["body"]  # the migration's text is the code's
    assert INVITATION_SCRIPT["subject"] in subjects and old_subject not in subjects
    assert scripts["Own"] == "About 3 minutes: {{ survey_link }}"  # a team's own words stay
    assert wordings == {
        "Stayed with the status quo": "We decided not to change anything",
        "Budget cut": "",
    }
    downgrade(revision="0011_c0ffee0c0ffe")
    with db.engine.connect() as connection:
        body = connection.execute(text("SELECT body FROM scripts WHERE name = 'Default'")).scalar()
    assert body == OLD_DEFAULT_BODY


OLD_DEFAULT_BODY = """Hi {{ contact_first_name }},

At {{ company_name }} we are doing a little research with former customers: what made them \
leave, and what we should change. How things went for {{ account_name }} would teach us more \
than anything we could work out on our own.

It is a short survey of a few questions, about 3 minutes, and it works on a phone:
{{ survey_link }}

There is no sales pitch at the end. {% if charity_list %}As a thank-you, we will make a \
donation to a charity you pick from this list:
{{ charity_list }}{% else %}As a thank-you, we will make a donation to a charity of your \
choice.{% endif %}

Thank you,
{{ sender_name }}{% if sender_title %}, {{ sender_title }}{% endif %}
{{ company_name }}
"""


def test_stored_survey_emails_lose_their_private_links_on_upgrade(empty_app):
    from tests.factories import make_account, make_contact, make_invitation, make_survey
    from winback_app.mail import outbox
    from winback_app.mail.models import OutboxMessage

    upgrade()
    survey = make_survey([{"kind": "text", "text": "What should we change?"}])
    invitation, _ = make_invitation(survey, make_contact(make_account(), email="ann@example.com"))
    token = "Zq3" * 10 + "x"
    link = f"https://winback.example.com/s/{token}"
    outbox.queue(
        "ann@example.com",
        "Three minutes?",
        f"Answer here:\n{link}\n",
        f'<p><a href="{link}">Answer</a></p>',
        f"{link}/unsubscribe",
        invitation=invitation,
    )
    db.session.commit()
    downgrade(revision="0012_5eed5eed5eed")  # as stored before links were made at sending
    upgrade()
    db.session.expire_all()
    message = db.session.scalars(db.select(OutboxMessage)).one()
    stored = message.text_body + message.html_body + message.list_unsubscribe
    assert token not in stored
    assert message.text_body == "Answer here:\nhttps://winback.example.com/s/link-made-when-sent\n"
    assert message.list_unsubscribe.endswith("/s/link-made-when-sent/unsubscribe")
    db.session.remove()
