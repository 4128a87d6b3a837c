"""Outreach views. The account page's outreach panel is here; Today, the calendar feed, the
planner, scripts and friendly losses live in the routes_*.py modules on the same blueprint."""

from flask import Blueprint

from winback_app.outreach import models as _models  # noqa: F401  (tables)

bp = Blueprint("outreach", __name__)


from winback_app.outreach import panel as _panel  # noqa: E402, F401  (adds the account page panel)

# isort: split

# isort: split
