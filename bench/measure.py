"""Timing the pages: server time per request through the test client, and its SQL statements.

Each run requests every page once, in turn, so a slow moment of a shared machine falls on all
pages alike rather than on one. The first ``warmup`` runs fill caches (templates, the
database's pages, connections) and are not counted.
"""

import contextvars
import math
import re
import statistics
from dataclasses import dataclass, field
from time import perf_counter

from flask import session
from flask_login import login_user
from sqlalchemy import event

from bench import BenchmarkError
from bench.cases import Case
from winback_app.auth.models import User
from winback_app.extensions import db

CSRF_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


@dataclass
class Result:
    """What one page measured: seconds per request and SQL statements per request."""

    case: Case
    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.seconds) * 1000 if self.seconds else None

    @property
    def p95_ms(self) -> float | None:
        """The 95th percentile (nearest rank: the value 95% of the requests did not exceed)."""
        if not self.seconds:
            return None
        ordered = sorted(self.seconds)
        return ordered[math.ceil(0.95 * len(ordered)) - 1] * 1000

    @property
    def queries_constant(self) -> bool:
        return len(set(self.queries)) <= 1


class StatementCounter:
    """Counts the SQL statements an engine sends, while it is attached."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def _count(self, *_args):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


def logged_in_client(app, user_id: int):
    """A test client with the session a login gives ``user_id``, as auth.routes makes it."""
    client = app.test_client()
    # The same request environment as the client's, so the session's identifier matches it.
    with app.test_request_context(environ_base=client.environ_base):
        login_user(db.session.get(User, user_id))
        session.permanent = True
        values = dict(session)
    with client.session_transaction() as stored:
        stored.update(values)
    return client


def _csrf_token(client, login_path: str) -> str:
    """The CSRF token of ``client``'s session, read from a page that carries it."""
    page = client.get(login_path)
    found = CSRF_TOKEN.search(page.get_data(as_text=True))
    if page.status_code != 200 or found is None:
        raise BenchmarkError(f"GET {login_path} gave no CSRF token (status {page.status_code}).")
    return found.group(1)


def _prepared(cases: list[Case], clients: dict, login_path: str) -> dict:
    """The requests of each case with the CSRF token its client's session needs."""
    tokens = {}
    requests = {}
    for case in cases:
        if any(r["method"] != "GET" for r in case.requests) and case.client not in tokens:
            tokens[case.client] = _csrf_token(clients[case.client], login_path)
        requests[case.key] = [
            {**r, "data": {**r["data"], "csrf_token": tokens[case.client]}} if "data" in r else r
            for r in case.requests
        ]
    return requests


def _one(client, request: dict, case: Case, counter: StatementCounter) -> tuple[float, int]:
    before = counter.count
    start = perf_counter()
    response = client.open(**request)
    response.get_data()
    elapsed = perf_counter() - start
    queries = counter.count - before
    response.close()
    if response.status_code != case.expected:
        raise BenchmarkError(
            f"{case.name}: {request['method']} {case.path} answered {response.status_code}, "
            f"expected {case.expected}. Nothing more was measured."
        )
    return elapsed, queries


def _runs(cases, clients, requests, counter, warmup, iterations) -> list[Result]:
    results = [Result(case) for case in cases]
    for run in range(warmup + iterations):
        for result in results:
            case = result.case
            request = requests[case.key][run % len(requests[case.key])]
            seconds, queries = _one(clients[case.client], request, case, counter)
            if run >= warmup:
                result.seconds.append(seconds)
                result.queries.append(queries)
    return results


def _measure(app, engine, cases, user_id, login_path, iterations, warmup) -> list[Result]:
    clients = {"member": logged_in_client(app, user_id), "public": app.test_client()}
    requests = _prepared(cases, clients, login_path)
    with StatementCounter(engine) as counter:
        return _runs(cases, clients, requests, counter, warmup, iterations)


def measure(app, engine, cases, user_id, login_path, iterations, warmup) -> list[Result]:
    """Request every case ``warmup`` + ``iterations`` times; the results of each.

    One logged-in client serves every member page and one anonymous client the public ones,
    as one browser each would. Everything runs in an empty context, so no application
    context of the caller is shared with the requests: each gets its own database session,
    as a real request does.
    """
    return contextvars.Context().run(
        _measure, app, engine, cases, user_id, login_path, iterations, warmup
    )
