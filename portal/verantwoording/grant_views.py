"""The beheerder grants and revokes read access to the stand van zaken for named users."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from sqlalchemy import select
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from portal.access.verantwoording import may_be_granted
from portal.audit.models import Action
from portal.audit.services import record, record_and_commit
from portal.auth.models import User
from portal.extensions import db
from portal.forms import DutchForm, acting_user, form_page, show_domain_error
from portal.refusal import DomainError
from portal.transactions import service
from portal.verantwoording import bp
from portal.verantwoording.models import ReportGrant


class GrantForm(DutchForm):
    user_id = SelectField("Medewerker", coerce=int, validate_choice=False,
                          validators=[InputRequired("Kies een medewerker.")])


def grants() -> list[ReportGrant]:
    return list(db.session.scalars(select(ReportGrant).join(
        User, User.id == ReportGrant.user_id).order_by(User.name)))


def candidates(granted: list[ReportGrant]) -> list[User]:
    taken = {g.user_id for g in granted}
    users = db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
    return [u for u in users if u.id not in taken and may_be_granted(u)]


@service
def grant(actor: User, user_id: int) -> ReportGrant:
    user = db.session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None or not may_be_granted(user):
        raise DomainError("Kies een actieve medewerker die de stand van zaken nog niet kan "
                          "inzien (een netwerkpartner niet).", field="user_id")
    if db.session.scalar(select(ReportGrant.id).where(ReportGrant.user_id == user.id)):
        raise DomainError(f"{user.name} kan de stand van zaken al inzien.", field="user_id")
    row = ReportGrant(user_id=user.id, granted_by_id=actor.id)
    db.session.add(row)
    db.session.flush()
    record("verantwoording.access_granted", Action.CREATE, object_type="report_grant",
           object_id=row.id, detail={"user": user.id})
    db.session.commit()
    return row


@service
def revoke(row: ReportGrant) -> None:
    record("verantwoording.access_revoked", Action.DELETE, object_type="report_grant",
           object_id=row.id, detail={"user": row.user_id})
    db.session.delete(row)
    db.session.commit()


@bp.route("/toegang", methods=["GET", "POST"])
def grants_page():
    granted = grants()
    form = GrantForm()
    form.user_id.choices = [SelectChoice(0, "— kies —")] + [
        SelectChoice(u.id, f"{u.name} ({u.organisation.name})") for u in candidates(granted)]
    if form.validate_on_submit():
        try:
            row = grant(acting_user(), form.user_id.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            flash(f"{row.user.name} kan de stand van zaken nu inzien.", "success")
            return redirect(url_for(".grants_page"))
    if request.method == "GET":
        record_and_commit("verantwoording.access_viewed", Action.READ,
                          object_type="report_grant")
    return form_page("verantwoording/grants.html", form, grants=granted,
                     revoke_form=DutchForm())


@bp.route("/toegang/<int:grant_id>/intrekken", methods=["POST"])
def grant_revoke(grant_id: int):
    row = db.session.get(ReportGrant, grant_id)
    if row is None:
        abort(404)
    name = row.user.name
    revoke(row)
    flash(f"{name} kan de stand van zaken niet meer inzien.", "success")
    return redirect(url_for(".grants_page"))
