"""Notifications: what happened that concerns a person, shown only while she may see it."""

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/meldingen")
VIEWS = ("views",)  # the modules whose routes register on bp
