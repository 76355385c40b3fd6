"""Hours (time entries per client or team time) and targets per organisation, with the
realisation against target for procesregie and the stand van zaken."""

from flask import Blueprint

bp = Blueprint("hours", __name__, url_prefix="/uren")
VIEWS = ("entry_views", "figure_views")  # the modules whose routes register on bp
