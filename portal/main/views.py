"""The start page (Vandaag: what needs the reader's attention) and a health check."""

from flask import render_template
from flask_login import current_user
from sqlalchemy import text

from portal import access
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.extensions import db
from portal.main import bp
from portal.main.attention import count_menu_afresh, counted_total, sections_for


@bp.route("/")
def index():
    sections = sections_for(current_user)
    # The menu shows what these lists add up to.
    count_menu_afresh(current_user, waiting=counted_total(sections))
    client_ids = sorted({item.client_id for section in sections for item in section.items
                         if item.client_id})
    if client_ids:
        record_and_commit("main.attention_viewed", Action.READ, object_type="client",
                          detail={"lists": [s.spec.key for s in sections],
                                  "client_ids": client_ids})
    return render_template("main/index.html", sections=sections,
                           menu=access.menu_for(current_user))


@bp.route("/gezondheid")
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
