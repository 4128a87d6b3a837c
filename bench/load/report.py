"""Reading a load test's results: locust's statistics, the server's log, the attempts
confirmed to the simulated people against those in the database, and the summary.

Plain functions on text and lists, so they can be checked without running a load test.
"""

import csv
import io
import re
from collections import Counter

PERCENTILES = {"p50": 0.50, "p95": 0.95, "p99": 0.99}
LOGIN = "/login"
# What in the server's log means a request went wrong, whatever the status it answered with.
PROBLEM = re.compile(
    r"database is locked|Traceback|OperationalError|\[ERROR\]|\[CRITICAL\]|WORKER TIMEOUT",
    re.IGNORECASE,
)


def percentile(times: dict[int, int], fraction: float) -> int | None:
    """The response time (ms) that ``fraction`` of the requests finished within, counted as
    locust counts it; None when there were no requests.

    ``times`` maps a (rounded) response time to the number of requests that took it.
    """
    count = sum(times.values())
    if not count:
        return None
    within, seen = int(count * fraction), 0
    for time in sorted(times, reverse=True):
        seen += times[time]
        if count - seen <= within:
            return time
    return 0


def _row(method: str, name: str, entries: list[dict], seconds: float) -> dict:
    times: Counter = Counter()
    for entry in entries:
        times.update({int(ms): n for ms, n in entry["response_times"].items()})
    requests = sum(entry["num_requests"] for entry in entries)
    return {
        "method": method,
        "name": name,
        "requests": requests,
        "failures": sum(entry["num_failures"] for entry in entries),
        "rps": round(requests / seconds, 2) if seconds > 0 else 0.0,
        **{key: percentile(times, fraction) for key, fraction in PERCENTILES.items()},
    }


def request_stats(entries: list[dict]) -> list[dict]:
    """Locust's JSON statistics (``--json-file``) as one row per request type, then the rows
    "overall, after logging in" (the day's work, without the one-off logins) and "overall".

    Each row has ``method``, ``name``, ``requests``, ``failures``, ``rps`` (over the whole
    run) and ``p50``, ``p95``, ``p99`` in milliseconds (None when there were no requests).
    """
    if not entries:
        return [_row("", "overall", [], 0)]
    starts = [entry["start_time"] for entry in entries]
    ends = [entry["last_request_timestamp"] or entry["start_time"] for entry in entries]
    seconds = max(ends) - min(starts)
    rows = [
        _row(entry["method"], entry["name"], [entry], seconds)
        for entry in sorted(entries, key=lambda e: (e["name"], e["method"]))
    ]
    work = [entry for entry in entries if entry["name"] != LOGIN]
    rows.append(_row("", "overall, after logging in", work, seconds))
    rows.append(_row("", "overall", entries, seconds))
    return rows


def failures(failures_csv: str) -> list[dict]:
    """Locust's ``*_failures.csv``: what failed, how often."""
    return [
        {
            "method": row["Method"],
            "name": row["Name"],
            "error": row["Error"],
            "occurrences": int(row["Occurrences"]),
        }
        for row in csv.DictReader(io.StringIO(failures_csv))
    ]


def exceptions(exceptions_csv: str) -> list[dict]:
    """Locust's ``*_exceptions.csv``: errors raised in the simulated people's own code, which
    stop a person without counting as a failed request."""
    return [
        {"count": int(row["Count"]), "message": row["Message"]}
        for row in csv.DictReader(io.StringIO(exceptions_csv))
    ]


def log_problems(log_text: str) -> list[str]:
    """The lines of the server's log that show an error ("database is locked", a traceback …)."""
    return [line for line in log_text.splitlines() if PROBLEM.search(line)]


def lost_attempts(confirmed: list[str], found: list[str]) -> list[str]:
    """Attempts the app confirmed to a simulated person but that are not in the database.

    ``found`` may hold more: an attempt saved while its person was being stopped at the end
    of the run never got its confirmation read, yet it is not lost.
    """
    return sorted(set(confirmed) - set(found))


def verdict(
    stats: list[dict], raised: list[dict], problems: list[str], lost: list[str], confirmed: int
) -> list[str]:
    """What makes the run fail; empty when it passed."""
    reasons = []
    overall = stats[-1] if stats else {"requests": 0, "failures": 0}
    if not overall["requests"]:
        reasons.append("no requests were made")
    if overall["failures"]:
        reasons.append(f"{overall['failures']} requests failed")
    if raised:
        reasons.append(f"{sum(e['count'] for e in raised)} errors in the simulated people's code")
    if problems:
        reasons.append(f"{len(problems)} error lines in the server's log")
    if not confirmed:
        reasons.append("no attempt was logged")
    if lost:
        reasons.append(f"{len(lost)} confirmed attempts are missing from the database")
    return reasons


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def table(stats: list[dict]) -> str:
    """The statistics as aligned text: requests/s, p50/p95/p99 in ms and failures per type."""
    lines = [
        f"{'request':<44} {'count':>7} {'fail':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    ]
    for row in stats:
        label = f"{row['method']} {row['name']}".strip()
        lines.append(
            f"{label:<44} {row['requests']:>7} {row['failures']:>5} {row['rps']:>7.2f}"
            f" {_ms(row['p50']):>6} {_ms(row['p95']):>6} {_ms(row['p99']):>6}"
        )
    return "\n".join(lines)
