"""The start page and a health check for load balancers."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import text

from portal import access
from portal.extensions import db
from portal.main import bp


@bp.route("/")
def index():
    return render_template("main/index.html", menu=access.menu_for(current_user))


@bp.route("/gezondheid")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
