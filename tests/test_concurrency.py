"""Many people writing to one account at once: nobody sees a 500 and nothing is lost.

Twenty writers, each with their own session, share one account for ``WINBACK_CONCURRENCY_SECONDS``
(30 by default): they log attempts, add call-backs and contacts, and save the account's facts
from the version they last saw. Appending never fails because someone else wrote meanwhile; a
save from an old version is either applied or answered with the edit-conflict message.
"""

import os
import re
import threading
import time
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from tests.factories import make_account, make_user
from tests.helpers import PARTIAL, logged_in_client
from winback_app.accounts.models import Account, AccountChange, Contact
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.outreach.attempts.models import Attempt
from winback_app.outreach.callbacks.models import Callback

WRITERS = 20
SECONDS = float(os.environ.get("WINBACK_CONCURRENCY_SECONDS", "30"))
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')
FACT_STATUSES = ("contacting", "discovery", "nurture")


class Writer(threading.Thread):
    """One person: a loop of the four actions, counting what the app said to each."""

    def __init__(self, app, user, account_id: int, number: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.due_on = (today_local() + timedelta(days=1 + number)).isoformat()
        self.client = logged_in_client(app, user)
        self.base = f"/accounts/{account_id}"
        self.number, self.stop = number, stop
        self.answers: Counter = Counter()
        self.server_errors: list[str] = []

    def run(self):
        step = self.number
        while not self.stop.is_set():
            action = (self.attempt, self.callback, self.contact, self.facts)[step % 4]
            step += 1
            try:
                action()
            except Exception as error:  # any crash of the app counts as a server error
                self.server_errors.append(f"{action.__name__}: {error!r}")

    def _post(self, name: str, path: str, data: dict):
        response = self.client.post(self.base + path, data=data, headers=PARTIAL)
        self.answers[name, response.status_code] += 1
        if response.status_code >= 500:
            self.server_errors.append(f"{name}: {response.status_code}")
        return response

    def attempt(self):
        self._post("attempt", "/attempts", {"channel": "phone", "outcome": "no_answer"})

    def callback(self):
        self._post("callback", "/callbacks", {"due_on": self.due_on, "note": "Try again"})

    def contact(self):
        self._post("contact", "/contacts", {"name": f"Writer {self.number}", "email": ""})

    def facts(self):
        page = self.client.get(self.base + "/facts/edit", headers=PARTIAL).get_data(as_text=True)
        match = VERSION.search(page)
        version = match.group(1) or match.group(2)
        status = FACT_STATUSES[self.number % len(FACT_STATUSES)]
        self._post(
            "facts",
            "/facts",
            {
                "name": "Shared Account",
                "kind": "former_customer",
                "status": status,
                "owner_id": "",
                "lost_on": "2026-01-15",
                "annual_value_lost": str(1000 + self.number),
                "version": version,
            },
        )


def test_twenty_writers_on_one_account_see_no_500_and_lose_nothing(app, app_ctx):
    account = make_account(name="Shared Account", status="new")
    users = [make_user(name=f"Writer {n}") for n in range(WRITERS)]
    stop = threading.Event()
    writers = [Writer(app, user, account.id, n, stop) for n, user in enumerate(users)]
    for writer in writers:
        writer.start()
    time.sleep(SECONDS)  # how long the writers work, not a wait for something to happen
    stop.set()
    for writer in writers:
        writer.join(timeout=120)
    assert not any(writer.is_alive() for writer in writers)

    answers = sum((writer.answers for writer in writers), Counter())
    errors = [error for writer in writers for error in writer.server_errors]
    print(f"{WRITERS} writers for {SECONDS:.0f} s: {sorted(answers.items())}")
    assert errors == [], f"{len(errors)} server errors, e.g. {errors[:5]}; answers {answers}"
    # Appending always succeeds: every attempt, call-back and contact posted is stored.
    for name in ("attempt", "callback", "contact"):
        assert {status for (kind, status) in answers if kind == name} == {200}, answers
    # A facts save is applied or refused as a conflict, never anything else.
    assert {status for (kind, status) in answers if kind == "facts"} <= {200, 409}, answers

    db.session.expire_all()
    account_id = account.id

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    assert count(Attempt, Attempt.account_id == account_id) == answers["attempt", 200]
    added = (Callback.account_id == account_id, Callback.kind == "manual")
    assert count(Callback, *added) == answers["callback", 200]
    assert count(Contact, Contact.account_id == account_id) == answers["contact", 200]
    assert answers["attempt", 200] >= WRITERS and answers["facts", 200] >= 1
    # Every added contact is in the history, and the history's versions never repeat for a
    # section field: each save moved the version on.
    history = db.session.scalars(
        select(AccountChange).where(AccountChange.account_id == account_id)
    ).all()
    assert sum(1 for change in history if change.field == "contact") == answers["contact", 200]
    stored = db.session.get(Account, account_id)
    assert stored.version >= max(change.version for change in history)
    assert stored.last_contact_at is not None
