"""`python -m bench.seed`: fill an empty, migrated database with the benchmark data set.

The database is the app's own (``DATABASE_URL``, or the SQLite file in the instance folder), as
for ``flask``. The generator lives here, beside the benchmark, not in the app.
"""

import click

from bench import seed as benchdata
from winback_app import create_app
from winback_app.rules import RuleViolation


@click.command("seed")
@click.option(
    "--accounts",
    "account_count",
    type=click.IntRange(min=benchdata.MINIMUM_ACCOUNTS),
    default=100_000,
    show_default=True,
    help="Accounts to create; contacts, attempts, call-backs, invitations and plans scale.",
)
@click.option(
    "--seed",
    "random_seed",
    type=int,
    default=1,
    show_default=True,
    help="Random seed: the same seed gives the same data (on the same day).",
)
def seed_bench(account_count, random_seed):
    """Fill an empty, migrated database with a large, realistic data set for benchmarks."""
    click.echo(f"Seeding {account_count:,} accounts (seed {random_seed}) …")
    try:
        benchdata.seed(account_count, random_seed, progress=click.echo)
    except RuleViolation as error:
        raise click.ClickException(error.message) from None
    click.echo("Benchmark data is in place. Log in with:")
    for email, password, role in benchdata.logins():
        click.echo(f"  {email:<44} {password:<16} ({role})")


def main() -> None:
    """Run ``seed`` inside the app's context."""
    with create_app().app_context():
        seed_bench(standalone_mode=True)


if __name__ == "__main__":
    main()
