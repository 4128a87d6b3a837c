"""The load test's reading of its results: statistics, the server's log, lost attempts, verdict.

The load test itself runs for minutes (`make load`); these check only how it judges a run.
"""

from bench.load import report


def entry(method, name, times, failures=0, start=100.0, end=160.0):
    """One request type as locust's --json-file writes it (times: {ms: count}, keys as text)."""
    return {
        "method": method,
        "name": name,
        "num_requests": sum(times.values()),
        "num_failures": failures,
        "response_times": {str(ms): n for ms, n in times.items()},
        "start_time": start,
        "last_request_timestamp": end,
    }


def test_percentiles_count_as_locust_does():
    times = {10: 90, 200: 9, 3000: 1}
    assert report.percentile(times, 0.50) == 10
    assert report.percentile(times, 0.95) == 200
    assert report.percentile(times, 0.98) == 200
    # One slow request in a hundred shows at p99, as in locust's own report.
    assert report.percentile(times, 0.99) == 3000
    assert report.percentile({}, 0.5) is None


def test_rows_per_request_type_then_the_work_without_logins_then_overall():
    rows = report.request_stats(
        [
            entry("POST", "/login", {4000: 50}),
            entry("GET", "/accounts/<id>", {40: 100, 90: 20}, failures=2, start=101.0),
            entry("POST", "/accounts/<id>/attempts", {60: 60}, end=160.0),
        ]
    )
    names = [(row["method"], row["name"]) for row in rows]
    assert names == [
        ("GET", "/accounts/<id>"),
        ("POST", "/accounts/<id>/attempts"),
        ("POST", "/login"),
        ("", "overall, after logging in"),
        ("", "overall"),
    ]
    account, _, login, work, overall = rows
    assert account == {
        "method": "GET",
        "name": "/accounts/<id>",
        "requests": 120,
        "failures": 2,
        "rps": 2.0,  # over the whole run's 60 seconds
        "p50": 40,
        "p95": 90,
        "p99": 90,
    }
    assert login["p50"] == 4000
    assert (work["requests"], work["failures"], work["p99"]) == (180, 2, 90)
    assert (overall["requests"], overall["rps"], overall["p95"]) == (230, 3.83, 4000)


def test_no_requests_at_all_fails_the_run():
    rows = report.request_stats([])
    assert rows[-1]["requests"] == 0 and rows[-1]["p50"] is None
    assert report.verdict(rows, [], [], [], 0) == [
        "no requests were made",
        "no attempt was logged",
    ]


def test_locked_database_and_tracebacks_in_the_servers_log_are_problems():
    log = "\n".join(
        [
            "[2026-11-22 16:31:44 +0000] [19181] [INFO] Starting gunicorn 27.0.1",
            "[2026-11-22 16:31:50 +0000] [19182] [ERROR] Exception on /accounts/7/attempts [POST]",
            "Traceback (most recent call last):",
            "sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) database is locked",
            "[2026-11-22 16:32:44 +0000] [19181] [INFO] Shutting down: Master",
        ]
    )
    assert report.log_problems(log) == log.splitlines()[1:4]
    assert report.log_problems("[INFO] Booting worker with pid: 1\n[INFO] Worker exiting") == []


def test_a_confirmed_attempt_missing_from_the_database_is_lost():
    confirmed = ["load r1 0 1", "load r1 0 2", "load r1 3 1"]
    # An attempt saved as its person was stopped was never confirmed: found, but not lost.
    found = ["load r1 0 1", "load r1 3 1", "load r1 4 9"]
    assert report.lost_attempts(confirmed, found) == ["load r1 0 2"]
    assert report.lost_attempts(confirmed, [*found, "load r1 0 2"]) == []


def test_verdict_names_every_reason_a_run_fails():
    rows = report.request_stats([entry("GET", "/accounts/", {30: 10}, failures=3)])
    raised = report.exceptions(
        "Count,Message,Traceback,Nodes\n2,'NoneType' object has no attribute 'group',tb,local\n"
    )
    reasons = report.verdict(rows, raised, ["Traceback"], ["load r1 0 2"], 5)
    assert reasons == [
        "3 requests failed",
        "2 errors in the simulated people's code",
        "1 error lines in the server's log",
        "1 confirmed attempts are missing from the database",
    ]
    clean = report.request_stats([entry("GET", "/accounts/", {30: 10})])
    assert report.verdict(clean, [], [], [], 5) == []


def test_failures_are_read_from_locusts_csv():
    text = (
        "Method,Name,Error,Occurrences\n"
        "POST,/plans/<id>/<section>,\"HTTPError('409 Client Error: CONFLICT')\",4\n"
    )
    assert report.failures(text) == [
        {
            "method": "POST",
            "name": "/plans/<id>/<section>",
            "error": "HTTPError('409 Client Error: CONFLICT')",
            "occurrences": 4,
        }
    ]


def test_the_table_shows_each_row_with_its_figures():
    rows = report.request_stats([entry("GET", "/accounts/", {30: 10})])
    lines = report.table(rows).splitlines()
    assert lines[0].split() == ["request", "count", "fail", "req/s", "p50", "p95", "p99"]
    assert lines[1].split() == ["GET", "/accounts/", "10", "0", "0.17", "30", "30", "30"]
    assert report.table(report.request_stats([])).splitlines()[1].split()[-3:] == ["—"] * 3
