"""The NEN 7513 audit trail."""

from flask import Blueprint

bp = Blueprint("audit", __name__, url_prefix="/audit")
VIEWS = ("views", "report_views")  # the modules whose routes register on bp
