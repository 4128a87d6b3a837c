"""Plan and evidence views. The routes_*.py modules of this package register on these."""

from flask import Blueprint

from . import models as _models  # noqa: F401  (tables)

bp = Blueprint("plans", __name__, url_prefix="/plans")
evidence_bp = Blueprint("evidence", __name__, url_prefix="/evidence")
