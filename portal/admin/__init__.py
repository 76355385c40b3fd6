"""Beheer of users and organisations."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/beheer")
VIEWS = ("views",)  # the modules whose routes register on bp
