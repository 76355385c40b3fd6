"""Client dossiers: status lifecycle, trajecten, journaal, caseload and team overview."""

from flask import Blueprint

bp = Blueprint("clients", __name__, url_prefix="/clienten")
VIEWS = ("views", "activity_views")  # the modules whose routes register on bp
