"""Budget: subsidies with a begroting per post, their realisation and what remains (issue 15)."""

from flask import Blueprint

bp = Blueprint("budget", __name__, url_prefix="/budget")
VIEWS = ("views", "post_views")  # the modules whose routes register on bp
