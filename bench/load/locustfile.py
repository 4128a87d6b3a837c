"""The simulated people of the load test: a team working its lost accounts, and former
customers answering survey links.

``bench/load/run.py`` starts locust with this file. It reads what the people need from the
JSON file named by ``WINBACK_LOAD_FIXTURE`` (logins, one plan per team member, survey tokens,
search terms, account ids; see prepare.py) and writes the note of every attempt the app
confirmed, one per line, to ``WINBACK_LOAD_LEDGER``, so the runner can check afterwards that
every one of them is in the database.

The load generator stands where the reverse proxy stands in production (the server runs with
``WINBACK_PROXY_COUNT=1``):

- every simulated person sends its own ``X-Forwarded-For`` address, so the app's per-address
  limits see many people, as in production, not one loopback address;
- every request comes on a new connection (``Connection: close``), as a proxy with its default
  settings forwards them (nginx speaks HTTP/1.0 to the app). Reused connections would meet
  gunicorn's 2-second keep-alive timeout: a request sent as the server closes an idle
  connection is reset, which browsers and proxies retry without a word but locust counts as
  a failure.
"""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task
from locust.clients import HttpSession

FIXTURE = json.loads(Path(os.environ["WINBACK_LOAD_FIXTURE"]).read_text(encoding="utf-8"))
# Open for the whole run and line-buffered: a confirmed attempt is on disk at once, even if
# locust is stopped hard.
LEDGER = open(os.environ["WINBACK_LOAD_LEDGER"], "a", encoding="utf-8", buffering=1)  # noqa: SIM115
# The token is on every full page's <body> (for htmx) and in every form (without JS).
CSRF = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token"[^>]*? value="([^"]+)"')
VERSION_FIELD = re.compile(r'name="version" value="(\d+)"')
CONTACT_SELECT = re.compile(r'name="contact_id">(.*?)</select>', re.S)
OPTION_VALUE = re.compile(r'<option value="(\d+)"')
INPUT = re.compile(r'<input type="(radio|checkbox)" id="[^"]*" name="(q\d+)" value="(\d+)"')
TEXTAREA = re.compile(r'<textarea id="(q\d+)" name="q\d+"')
PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
SECTIONS = ("commitment", "offer", "needs")
CALLS = (("phone", "reached"), ("phone", "no_answer"), ("voicemail", "left_voicemail"))
ANSWERS = (
    "The new delivery times would make a difference for us.",
    "Price was the main thing; the service was fine.",
    "We might come back when our contract ends.",
)

team_numbers = itertools.count()
tokens = iter(FIXTURE["tokens"])
addresses = itertools.count(1)


def as_if_proxied(session) -> None:
    """Give a simulated person's session a new client address and one connection a request."""
    n = next(addresses)
    session.headers["X-Forwarded-For"] = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    session.headers["Connection"] = "close"


def csrf_token(page: str) -> str:
    """The page's CSRF token ("" when it has none: the request will then fail, as it should)."""
    found = CSRF.search(page)
    return (found.group(1) or found.group(2)) if found else ""


def survey_form(page: str) -> dict:
    """Answers to every question of a survey page: one choice per question, a few words."""
    answers: dict = {}
    for _kind, name, value in INPUT.findall(page):
        answers.setdefault(name, []).append(value)
    form = {name: random.choice(values) for name, values in answers.items()}
    form.update({name: random.choice(ANSWERS) for name in TEXTAREA.findall(page)})
    return form


class TeamMember(HttpUser):
    """A rep working through the day: the list, searches, accounts, calls and a plan."""

    weight = 9
    wait_time = between(1, 3)

    def on_start(self):
        self.number = next(team_numbers)
        login = FIXTURE["users"][self.number % len(FIXTURE["users"])]
        as_if_proxied(self.client)
        self.logged = itertools.count(1)
        form = self.client.get("/login", name="/login")
        with self.client.post(
            "/login",
            data={
                "csrf_token": csrf_token(form.text),
                "email": login["email"],
                "password": FIXTURE["password"],
            },
            name="/login",
            catch_response=True,
        ) as response:
            self.csrf = csrf_token(response.text)
            if response.url.split("?")[0].endswith("/login") or not self.csrf:
                response.failure("not logged in")

    def htmx_post(self) -> dict:
        """The headers of an htmx form post: the CSRF token from <body>, a partial request."""
        return {"X-CSRFToken": self.csrf, **PARTIAL}

    @task(5)
    def browse_list(self):
        """A page of the accounts list, as a bookmark or the pager opens it."""
        page = random.randint(1, min(FIXTURE["pages"], 40))
        sort = random.choice(("", "name", "value", "status"))
        params = {"page": page, **({"sort": sort} if sort else {})}
        self.client.get("/accounts/", params=params, name="/accounts/ (list page)")

    @task(4)
    def search(self):
        """Search as you type: the list's results block for a term from the data."""
        params = {"q": random.choice(FIXTURE["search_terms"])}
        self.client.get(
            "/accounts/", params=params, headers=PARTIAL, name="/accounts/ (search, partial)"
        )

    @task(6)
    def open_account(self):
        """An account's page."""
        account_id = random.choice(FIXTURE["account_ids"])
        self.client.get(f"/accounts/{account_id}", name="/accounts/<id>")

    @task(4)
    def log_attempt(self):
        """Open an account and log a call on it; remember its note once the app confirms."""
        account_id = random.choice(FIXTURE["account_ids"])
        page = self.client.get(f"/accounts/{account_id}", name="/accounts/<id>").text
        contacts = CONTACT_SELECT.search(page)
        contact = OPTION_VALUE.search(contacts.group(1)) if contacts else None
        channel, outcome = random.choice(CALLS)
        note = f"load {FIXTURE['run_id']} {self.number} {next(self.logged)}"
        data = {
            "contact_id": contact.group(1) if contact else "",
            "channel": channel,
            "outcome": outcome,
            "duration_minutes": str(random.randint(0, 15)),
            "notes": note,
        }
        if 'name="confirm_do_not_contact"' in page:
            data["confirm_do_not_contact"] = "y"
        with self.client.post(
            f"/accounts/{account_id}/attempts",
            data=data,
            headers=self.htmx_post(),
            name="/accounts/<id>/attempts",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and "accountChanged" in response.headers.get(
                "HX-Trigger", ""
            ):
                LEDGER.write(note + "\n")
            elif response.status_code == 200:
                response.failure("attempt not confirmed")

    @task(1)
    def edit_plan(self):
        """Open a section of the member's own plan and save new words in it."""
        plan_id = FIXTURE["plans"][self.number % len(FIXTURE["plans"])]
        section = random.choice(SECTIONS)
        url = f"/plans/{plan_id}/{section}"
        shown = self.client.get(url, headers=PARTIAL, name="/plans/<id>/<section>").text
        version = VERSION_FIELD.search(shown)
        field = {"needs": "new_needs"}.get(section, section)
        self.client.post(
            url,
            data={
                "version": version.group(1) if version else "",
                field: f"Revised by member {self.number}, edit {random.randint(1, 10**6)}.",
            },
            headers=self.htmx_post(),
            name="/plans/<id>/<section>",
        )


class FormerCustomer(HttpUser):
    """A former customer opening a private survey link from an email and answering it."""

    weight = 1
    wait_time = between(2, 6)

    @task
    def answer_survey(self):
        """GET the link, then send the answers (with or without JavaScript, it is one form)."""
        token = next(tokens, None)
        if token is None:
            return
        # Each link is opened by a different person: a fresh browser, from its own address.
        browser = HttpSession(self.host, self.environment.events.request, self)
        as_if_proxied(browser)
        page = browser.get(f"/s/{token}", name="/s/<token>").text
        browser.post(
            f"/s/{token}",
            data={"csrf_token": csrf_token(page), **survey_form(page)},
            name="/s/<token>",
        )
        browser.close()
