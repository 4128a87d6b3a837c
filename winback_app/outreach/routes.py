"""Outreach views. The account page's outreach panel is here; Today, the calendar feed, the
planner, scripts and friendly losses live in the routes_*.py modules on the same blueprint."""

from flask import Blueprint

from . import models as _models  # noqa: F401  (tables)
from . import schedule as _schedule  # noqa: F401  (listens to account saves)

bp = Blueprint("outreach", __name__)


from . import panel as _panel  # noqa: E402, F401  (adds the account page panel)
from . import routes_account  # noqa: E402, F401  (registers its views)

# isort: split
from . import routes_feed, routes_today  # noqa: E402, F401  (register their views)

# isort: split
from . import routes_planner, routes_scripts  # noqa: E402, F401  (register their views)
