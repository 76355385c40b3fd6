"""ZRM 2017 assessments and the plan van aanpak of a client, measured over time."""

from flask import Blueprint

bp = Blueprint("plans", __name__, url_prefix="/clienten/<ref>")
VIEWS = ("zrm_views", "plan_views", "letter_views")  # the modules whose routes register on bp
