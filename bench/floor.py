"""The floor: the least a page of this stack can cost, measured in the same run as the pages.

One SQLAlchemy query for 50 accounts, rendered by a minimal template, behind the same login
wall and request hooks as every other page. The blueprint is registered only by the benchmark,
never by the app itself.
"""

from flask import Blueprint, render_template
from sqlalchemy import select

from winback_app.accounts.models import Account
from winback_app.extensions import db

ENDPOINT = "bench_floor.accounts"
ROWS = 50

bp = Blueprint("bench_floor", __name__, template_folder="templates")


@bp.route("/bench/floor")
def accounts():
    """Fifty accounts in a plain table."""
    rows = db.session.scalars(select(Account).order_by(Account.id).limit(ROWS)).all()
    return render_template("bench_floor.html", accounts=rows)


def register(app) -> None:
    """Add the floor route to ``app`` (the benchmark's own app object only)."""
    app.register_blueprint(bp)
