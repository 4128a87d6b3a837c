"""Measure Winback's main pages against the stack's floor, on the database the app is set up for.

    .venv/bin/python bench/benchmark.py [--iterations N] [--warmup N] [--json PATH]

The app is built as in production (settings from the environment: DATABASE_URL for
PostgreSQL, or the SQLite file in WINBACK_INSTANCE_PATH), and each page is requested in-process
through Flask's test client: the time is the server's (routing, views, queries, templates),
without a network or a WSGI server in between. Prints a table and the target checks, and
writes the same as JSON (by default bench/results/<database>.json). Exits with status 1 when
the benchmark cannot run (the message says why).
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ on the path, not the project: add it to import the app.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from flask import url_for  # noqa: E402

from bench import BenchmarkError, cases, floor, report, survey_links  # noqa: E402
from bench.measure import measure  # noqa: E402
from winback_app import create_app  # noqa: E402
from winback_app.extensions import db  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def build_app():
    """The app as production runs it, plus the floor route (in this process only)."""
    # A background sender would send queries of its own in the middle of the measurements.
    os.environ["MAIL_BACKGROUND_SENDER"] = "false"
    app = create_app()
    floor.register(app)
    return app


def run(app, iterations: int, warmup: int) -> tuple[list, cases.DataSet]:
    """Find the data, make the survey links, measure every page, remove the links again."""
    with app.app_context():
        data = cases.find_data_set()
        engine = db.engine
        links = survey_links.create(warmup + iterations)
    try:
        with app.test_request_context():
            rows = cases.build_cases(app, data, links)
            login_path = url_for("auth.login")
        results = measure(app, engine, rows, data.member_id, login_path, iterations, warmup)
    finally:
        with app.app_context():
            survey_links.remove(links)
    return results, data


def print_results(results, data, iterations: int, warmup: int) -> None:
    """The table, a check per page and the summary."""
    print(
        f"Winback benchmark on {data.database}: {data.accounts:,} accounts, "
        f"{data.attempts:,} attempts; median and p95 of {iterations} requests per page "
        f"after {warmup} warm-up, as {data.member_name}.\n"
    )
    print(report.table(results))
    lines, summary, _all_met = report.checks(results)
    print("\nTargets at 100k accounts: list, detail and Today ≤ 3× floor; survey page ≤ 2× floor;")
    print(
        f"Reports ≤ {report.REPORTS_MS} ms; every page a constant ≤ {report.MAX_QUERIES} queries."
    )
    print("\n".join(lines))
    print(f"\n{summary}")


def main(argv=None) -> int:
    """Run the benchmark from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=30, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="requests per page not counted")
    parser.add_argument("--json", type=Path, help="where to write the results as JSON")
    args = parser.parse_args(argv)
    if args.iterations < 1 or args.warmup < 0:
        parser.error("--iterations must be at least 1 and --warmup at least 0")
    app = build_app()
    try:
        results, data = run(app, args.iterations, args.warmup)
    except BenchmarkError as error:
        print(f"Benchmark stopped: {error}", file=sys.stderr)
        return 1
    print_results(results, data, args.iterations, args.warmup)
    path = args.json or RESULTS / f"{data.database}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    document = report.as_json(results, data, args.iterations, args.warmup)
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"Written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
