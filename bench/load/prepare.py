"""What the load test's simulated people need, made through the app's own code, and the
attempts they logged, read back afterwards.

Run by bench/load/run.py with the same environment as the server under test:

    python -m bench.load.prepare fixture OUT.json --run-id ID --users N --tokens N ...
    python -m bench.load.prepare found OUT.txt --run-id ID

``fixture`` writes a JSON file for bench/load/locustfile.py: the logins (the data set's team
members and their known password), one plan per simulated team member (drafted with the
app's plan service, so their edits never conflict with each other), private survey links
with known tokens (the invitation rules choose the contacts, tokens.py makes and hashes the
tokens), words to search for and accounts to open. ``found`` writes the notes of the run's
attempts that are in the database, one per line.
"""

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy import exists, func, select
from werkzeug.security import check_password_hash

from bench.seed import reference
from winback_app import create_app
from winback_app.accounts.models import Account, Competitor
from winback_app.accounts.search import PER_PAGE
from winback_app.auth.models import User
from winback_app.discovery.invitations import services as invitations
from winback_app.discovery.surveys import services as surveys
from winback_app.discovery.surveys.models import Survey
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.attempts.models import Attempt
from winback_app.plans import services as plans
from winback_app.plans.models import Plan

ACCOUNT_SAMPLE = 2000
SEARCH_SAMPLE = 200


class NotReady(RuntimeError):
    """The data set lacks something the simulated people need."""


def team(email_like: str, password: str) -> list[User]:
    """The active members and admins whose email matches, after checking the password."""
    members = list(
        db.session.scalars(
            select(User)
            .where(User.email.like(email_like), User.active.is_(True))
            .where(User.role.in_(("admin", "member")))
            .order_by(User.id)
        )
    )
    if not members:
        raise NotReady(f"No active member or admin has an email like {email_like!r}.")
    if not check_password_hash(members[0].password_hash or "", password):
        raise NotReady(f"The password given does not open {members[0].email}.")
    return members


def draft_plans(members: list[User], count: int) -> list[int]:
    """One new plan for each simulated team member, on accounts that had none."""
    current = exists().where(Plan.account_id == Account.id, Plan.is_current.is_(True))
    accounts = list(
        db.session.scalars(select(Account).where(~current).order_by(func.random()).limit(count))
    )
    if len(accounts) < count:
        raise NotReady(f"Only {len(accounts)} accounts have no plan; {count} are needed.")
    return [
        plans.create_plan(account, members[n % len(members)]).id
        for n, account in enumerate(accounts)
    ]


def open_survey(author: User) -> Survey:
    """An open survey with questions; a short one is made and opened when there is none."""
    opened = db.session.scalars(select(Survey).where(Survey.status == "open").order_by(Survey.id))
    survey = next((s for s in opened if s.questions), None)
    if survey is not None:
        return survey
    survey = surveys.create_survey({"title": "How did we do?", "expires_days": 30}, author)
    surveys.add_question(survey, {"kind": "rating", "text": "How was working with us?"})
    surveys.add_question(survey, {"kind": "likelihood", "text": "Would you come back?"})
    surveys.add_question(survey, {"kind": "text", "text": "What should we change?"})
    return surveys.set_status(survey, "open")


def survey_tokens(survey: Survey, count: int) -> list[str]:
    """Invitations for ``count`` contacts the invitation rules let through, with known tokens.

    The invitations are marked sent, as if their emails had gone out; only the tokens' hashes
    are stored, as for any invitation.
    """
    ids = list(db.session.scalars(select(Account.id).order_by(func.random()).limit(count * 2)))
    now, made = utcnow(), []
    for start in range(0, len(ids), invitations.MAX_ACCOUNTS):
        chosen = invitations.preview(survey, ids=ids[start : start + invitations.MAX_ACCOUNTS])
        for candidate in chosen.invite[: count - len(made)]:
            invitation, token = invitations.new_invitation(
                survey, candidate.account.id, candidate.contact.id, now, sent=True
            )
            db.session.add(invitation)
            made.append(token)
        if len(made) >= count:
            break
    db.session.commit()
    if not made:
        raise NotReady("No contact may be invited to a survey (emails, do not contact …).")
    return made


def search_terms() -> list[str]:
    """Words people would type: the first word of account names, and competitors' names."""
    names = db.session.scalars(select(Account.name).order_by(func.random()).limit(SEARCH_SAMPLE))
    words = {name.split()[0] for name in names if name.split() and len(name.split()[0]) >= 3}
    words |= set(db.session.scalars(select(Competitor.name).where(Competitor.retired.is_(False))))
    return sorted(words)


def fixture(args) -> dict:
    """Everything the simulated people need, as the locustfile reads it."""
    members = team(args.email_like, args.password)
    total = db.session.scalar(select(func.count(Account.id)))
    return {
        "run_id": args.run_id,
        "password": args.password,
        "users": [{"email": member.email} for member in members],
        "plans": draft_plans(members, args.users),
        "tokens": survey_tokens(open_survey(members[0]), args.tokens),
        "search_terms": search_terms(),
        "account_ids": list(
            db.session.scalars(select(Account.id).order_by(func.random()).limit(ACCOUNT_SAMPLE))
        ),
        "accounts": total,
        "pages": max(1, -(-total // PER_PAGE)),
    }


def found_notes(run_id: str) -> list[str]:
    """The notes of this run's attempts that are in the database."""
    return list(
        db.session.scalars(select(Attempt.notes).where(Attempt.notes.like(f"load {run_id} %")))
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("fixture", "found"))
    parser.add_argument("out", type=Path)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--users", type=int, default=50, help="simulated people (plans made)")
    parser.add_argument("--tokens", type=int, default=1000, help="survey links to make")
    parser.add_argument("--email-like", default="bench-rep%@example.com")
    parser.add_argument("--password", default=reference.PASSWORD, help="the team's password")
    args = parser.parse_args(argv)
    with create_app().app_context():
        try:
            if args.command == "fixture":
                args.out.write_text(json.dumps(fixture(args)), encoding="utf-8")
            else:
                args.out.write_text("".join(f"{n}\n" for n in found_notes(args.run_id)))
        except NotReady as problem:
            print(f"The data set is not ready for the load test: {problem}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
