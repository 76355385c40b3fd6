"""Start page and health check."""

from flask import Blueprint

bp = Blueprint("main", __name__)
VIEWS = ("views",)  # the modules whose routes register on bp
