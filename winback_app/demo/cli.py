"""`flask seed-demo`: the demo team and its sample data."""

import click

from winback_app import demo


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database has no users yet.")
def seed_demo(if_empty):
    """Create a demo team and sample data; running it again changes nothing."""
    if if_empty and not demo.database_is_empty():
        if not demo.has_demo_team():
            click.echo("The database already has data; demo data not added.")
            return
        logins = demo.logins()
    else:
        logins = demo.seed()
    click.echo("Demo data is in place. Log in at http://127.0.0.1:5000/login with:")
    for email, password, role in logins:
        click.echo(f"  {email:<28} {password:<16} ({role})")
