"""Aanmeldingen and signalen from partners and the team, triaged by procesregie."""

from flask import Blueprint

bp = Blueprint("referrals", __name__, url_prefix="/aanmeldingen")
VIEWS = ("views",)  # the modules whose routes register on bp
