"""Tippelzone registrations: records with their lifecycle, day passes, figures and letters."""

from flask import Blueprint

bp = Blueprint("registrations", __name__, url_prefix="/registraties")
VIEWS = ("views", "overview_views", "intake_views")  # the modules whose routes register on bp
