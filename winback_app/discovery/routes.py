"""Discovery views. The routes_*.py modules of this package register on this blueprint."""

from flask import Blueprint

from . import models as _models  # noqa: F401  (tables)

bp = Blueprint("discovery", __name__, url_prefix="/discovery")

# isort: split
from . import routes_surveys  # noqa: E402, F401  (registers its views and the account panel)

# isort: split
from . import routes_guides, routes_hub, routes_interviews  # noqa: E402, F401  (register views)

# isort: split
from . import routes_incentives, routes_invitations  # noqa: E402, F401  (register their views)
