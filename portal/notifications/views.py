"""The notifications page: the list, mark read, mark all read, the digest choice."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access.loaders import load_notification
from portal.audit.models import Action
from portal.audit.services import record_and_commit
from portal.auth.forms import ConfirmForm
from portal.main.attention import count_menu_afresh
from portal.notifications import bp, hooks, present, queries, services
from portal.notifications.forms import DigestForm

hooks.install()


@bp.route("/")
def index():
    items = present.shown(queries.newest(current_user))
    record_and_commit("notifications.viewed", Action.READ, object_type="notification",
                      detail={"shown": len(items)})
    count_menu_afresh(current_user)  # the menu's unread count agrees with this list
    form = DigestForm(daily_digest=services.preference(current_user).daily_digest)
    return render_template("notifications/index.html", items=items, confirm_form=ConfirmForm(),
                           digest_form=form)


@bp.route("/<int:notification_id>/gelezen", methods=["POST"])
def read(notification_id: int):
    notification = load_notification(notification_id)
    if ConfirmForm().validate_on_submit():
        services.mark_read(current_user._get_current_object(), notification)
        flash("De melding is als gelezen gemarkeerd.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/alles-gelezen", methods=["POST"])
def read_all():
    if ConfirmForm().validate_on_submit():
        count = services.mark_all_read(current_user._get_current_object())
        flash(f"{count} {'melding' if count == 1 else 'meldingen'} als gelezen gemarkeerd.",
              "success")
    return redirect(url_for("notifications.index"))


@bp.route("/samenvatting", methods=["POST"])
def digest():
    form = DigestForm()
    if form.validate_on_submit():
        services.set_digest(current_user._get_current_object(), form.daily_digest.data)
        flash("De dagelijkse samenvatting staat " + ("aan." if form.daily_digest.data
                                                    else "uit."), "success")
    return redirect(url_for("notifications.index"))
