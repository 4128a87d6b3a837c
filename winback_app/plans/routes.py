"""Plan and evidence views. The routes_*.py modules of this package register on these."""

from flask import Blueprint

from . import models as _models  # noqa: F401  (tables)

bp = Blueprint("plans", __name__, url_prefix="/plans")
evidence_bp = Blueprint("evidence", __name__, url_prefix="/evidence")

# isort: split
from . import panel as _panel  # noqa: E402, F401  (adds the account page panel)
from . import (  # noqa: E402, F401  (views registered on bp)
    routes_evidence,
    routes_plan_items,
    routes_plans,
)

# isort: split
from . import routes_print  # noqa: E402, F401  (views registered on bp)
