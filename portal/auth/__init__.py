"""Accounts, login with a second factor and server-side sessions."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/")
VIEWS = ("views",)  # the modules whose routes register on bp
