"""Verantwoording: the stand van zaken for a period, computed from dated events, its
Woo-safe publication version, charts and exports (CSV, XLSX, Word)."""

from flask import Blueprint

bp = Blueprint("verantwoording", __name__, url_prefix="/verantwoording")
VIEWS = ("views", "grant_views")  # the modules whose routes register on bp
