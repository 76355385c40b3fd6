"""Letters: Word templates, form-based entry, generation, sending and the send log."""

from flask import Blueprint

bp = Blueprint("letters", __name__, url_prefix="/brieven")
VIEWS = ("views",)  # the modules whose routes register on bp
