"""The woman's own AVG rights: the requests register (inzage, correctie, verwijdering,
beperking, bezwaar), the inzage pack, erasure, and the retention run with its destruction
list and legal holds. The privacyfunctionaris handles them, with the casemanager."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/privacy")
# The modules whose routes register on bp.
VIEWS = ("request_views", "erasure_views", "inzage_views")
