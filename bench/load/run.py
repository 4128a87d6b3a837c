"""The load test: the production server, about 50 simulated people, a minute, and the checks.

    .venv/bin/python -m bench.load.run --sqlite INSTANCE_FOLDER --postgresql URL

For each database given it works on a copy (the original is only read): SQLite's file is
copied with the online backup API, a PostgreSQL database with ``CREATE DATABASE … TEMPLATE``.
It then starts gunicorn with the README's production settings on a free loopback port
(plain HTTP, so secure cookies are off; ``WINBACK_PROXY_COUNT=1`` as in production, the load
generator standing in for the proxy, see locustfile.py), waits for /healthz, prepares what
the simulated people need (prepare.py), runs locust headless for the given time, stops the
server and checks: no failed request, no error in the server's log ("database is locked", a
traceback …), and every attempt the app confirmed is in the database. It prints requests/s and
p50/p95/p99 per request type and overall, and writes bench/results/load-<database>.json.
Every step has a time limit; whatever it started is stopped at the end. Exit status 1 when
a check fails.
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from . import copies, report

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LOCUST_SAW_ERRORS = 3  # locust's exit status when a request failed or the locustfile raised


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _stop(process: subprocess.Popen, grace: float) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def run_bounded(command: list, env: dict, limit: float, log: Path, allowed=(0,)) -> int:
    """Run ``command`` to its end, its output in ``log``; stop it all after ``limit`` seconds.

    An exit status outside ``allowed`` stops the load test; the status is returned."""
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            status = process.wait(limit)
        except subprocess.TimeoutExpired:
            _stop(process, 5)
            raise SystemExit(
                f"{command[0]} {command[1]} took over {limit:.0f} s; see {log}"
            ) from None
    if status not in allowed:
        raise SystemExit(f"{' '.join(map(str, command[:4]))} … failed ({status}); see {log}")
    return status


@contextmanager
def server(env: dict, port: int, log: Path, wait: float = 60):
    """gunicorn exactly as README.md's Production runs it, on ``port``; stopped on leaving."""
    command = [BIN / "gunicorn", "--workers", "3", "--threads", "4"]
    command += ["--bind", f"127.0.0.1:{port}", "wsgi:app"]
    with open(log, "ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"gunicorn did not answer /healthz; see {log}") from None
                time.sleep(0.5)
        yield process
    finally:
        _stop(process, 30)  # SIGTERM first: gunicorn lets its workers finish their requests


def machine(load_before: tuple) -> dict:
    """Where the figures were measured, and how busy the machine was before and after."""
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo") if "model name" in line),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "system": platform.platform(),
        # Other work on the same machine slows the figures down; this shows how much there was.
        "load_average_1_5_15_min_before": [round(n, 2) for n in load_before],
        "load_average_1_5_15_min_after": [round(n, 2) for n in os.getloadavg()],
    }


def _read(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def measure(kind: str, url: str, args, work: Path) -> dict:
    """Prepare, load and check one database (already a copy); the summary."""
    run_id = secrets.token_hex(4)
    instance = work / f"instance-{kind}"
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": url,
        "WINBACK_INSTANCE_PATH": str(instance),
        "SECRET_KEY": secrets.token_hex(32),
        # Plain HTTP on loopback: a Secure cookie would never come back from the client.
        "WINBACK_SECURE_COOKIES": "false",
        "WINBACK_PROXY_COUNT": "1",
        "MAIL_BACKGROUND_SENDER": "false",
        "HTMX_SOURCE": "local",
    }
    log, tool_log = work / f"gunicorn-{kind}.log", work / f"tools-{kind}.log"
    fixture, ledger = work / f"fixture-{kind}.json", work / f"confirmed-{kind}.txt"
    prepare = [BIN / "python", "-m", "bench.load.prepare"]
    run_bounded([BIN / "flask", "db", "upgrade"], env, 600, tool_log)
    port = free_port()
    with server(env, port, log):
        run_bounded(
            [*prepare, "fixture", fixture, "--run-id", run_id, "--users", str(args.users)]
            + ["--tokens", str(args.tokens), "--email-like", args.email_like]
            + (["--password", args.password] if args.password else []),
            env,
            600,
            tool_log,
        )
        ledger.write_text("")
        csv_prefix = work / f"locust-{kind}"
        locust = [BIN / "locust", "-f", ROOT / "bench/load/locustfile.py", "--headless"]
        locust += ["-u", str(args.users), "-r", str(args.spawn_rate)]
        locust += ["--run-time", f"{args.run_time}s", "--stop-timeout", "10"]
        locust += ["--host", f"http://127.0.0.1:{port}", "--only-summary"]
        # The JSON holds the final statistics; the CSV files are kept for the failures and
        # the errors raised in the locustfile.
        locust += ["--json-file", csv_prefix, "--csv", csv_prefix]
        locust += ["--exit-code-on-error", str(LOCUST_SAW_ERRORS)]
        load_env = {**env, "WINBACK_LOAD_FIXTURE": str(fixture), "WINBACK_LOAD_LEDGER": str(ledger)}
        locust_log, load_before = work / f"locust-{kind}.log", os.getloadavg()
        allowed = (0, LOCUST_SAW_ERRORS)
        saw_errors = run_bounded(locust, load_env, args.run_time + 120, locust_log, allowed)
    found = work / f"found-{kind}.txt"
    run_bounded([*prepare, "found", found, "--run-id", run_id], env, 300, tool_log)

    stats = report.request_stats(json.loads(Path(f"{csv_prefix}.json").read_text()))
    confirmed, in_database = ledger.read_text().splitlines(), found.read_text().splitlines()
    lost = report.lost_attempts(confirmed, in_database)
    problems = report.log_problems(log.read_text(errors="replace"))
    raised = report.exceptions(Path(f"{csv_prefix}_exceptions.csv").read_text())
    reasons = report.verdict(stats, raised, problems, lost, len(confirmed))
    if saw_errors and not (raised or stats[-1]["failures"]):
        reasons.append(f"locust saw errors; see {locust_log}")
    return {
        "database": kind,
        "accounts": json.loads(fixture.read_text())["accounts"],
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(load_before),
        "server": "gunicorn --workers 3 --threads 4 (README.md, Production)",
        "users": args.users,
        "spawn_rate": args.spawn_rate,
        "run_time_s": args.run_time,
        "requests": stats,
        "failures": report.failures(Path(f"{csv_prefix}_failures.csv").read_text()),
        "exceptions": raised,
        "log_problems": problems[:50],
        "attempts": {
            "confirmed": len(confirmed),
            "found": len(in_database),
            "lost": len(lost),
            "lost_examples": lost[:20],
        },
        "passed": not reasons,
        "problems": reasons,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sqlite", type=Path, help="an instance folder with winback.sqlite3")
    parser.add_argument("--postgresql", help="postgresql://… of the database to copy")
    parser.add_argument("--pg-copy", default="", help="name of the copy (default: <db>_load)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=int, default=10)
    parser.add_argument("--run-time", type=int, default=60, help="seconds")
    parser.add_argument("--tokens", type=int, default=300, help="survey links to make")
    parser.add_argument("--email-like", default="bench-rep%@example.com")
    parser.add_argument(
        "--password", help="the team's (default: the one python -m bench.seed sets)"
    )
    parser.add_argument("--results", type=Path, default=ROOT / "bench/results")
    parser.add_argument("--work", type=Path, help="where copies and logs go (default: a new temp)")
    parser.add_argument("--keep", action="store_true", help="keep the copies and logs")
    args = parser.parse_args(argv)
    if not (args.sqlite or args.postgresql):
        parser.error("give --sqlite, --postgresql or both")
    work = args.work or Path(tempfile.mkdtemp(prefix="winback-load-"))
    work.mkdir(parents=True, exist_ok=True)
    args.results.mkdir(parents=True, exist_ok=True)
    failed = False
    for kind, source in (("sqlite", args.sqlite), ("postgresql", args.postgresql)):
        if not source:
            continue
        if kind == "sqlite":
            url = copies.sqlite(source, work / "instance-sqlite")
        else:
            url = copies.postgresql(source, args.pg_copy)
        try:
            summary = measure(kind, url, args, work)
        finally:
            if kind == "postgresql" and not args.keep:
                copies.drop_postgresql(url)
        out = args.results / f"load-{kind}.json"
        out.write_text(json.dumps(summary, indent=2) + "\n")
        failed |= not summary["passed"]
        print(f"\n{kind}: {summary['accounts']} accounts, {args.users} users, {args.run_time} s")
        print(report.table(summary["requests"]))
        attempts = summary["attempts"]
        print(f"attempts confirmed {attempts['confirmed']}, in the database {attempts['found']},")
        print(f"lost {attempts['lost']}; server log errors {len(summary['log_problems'])}")
        print(f"{'PASSED' if summary['passed'] else 'FAILED: ' + '; '.join(summary['problems'])}")
        print(f"summary: {out}")
    if args.keep or failed or args.work:
        print(f"logs and copies: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
