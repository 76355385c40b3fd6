"""Network partners: contact persons and distribution lists."""

from flask import Blueprint

bp = Blueprint("partners", __name__, url_prefix="/partners")
VIEWS = ("views",)  # the modules whose routes register on bp
