"""Client documents: validated by content, encrypted at rest, versioned, searchable."""

from flask import Blueprint

bp = Blueprint("documents", __name__, url_prefix="/documenten")
VIEWS = ("views",)  # the modules whose routes register on bp
