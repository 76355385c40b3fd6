"""What of her notifications a user may see now: one SQL condition for the list and the count.

A notification is shown only while its object is within the reader's access (client scope,
the diagnostics compartment, her own mailing, the registration desk); when her access ends,
it is no longer listed or counted.
"""

from __future__ import annotations

from sqlalchemy import and_, false, func, or_, select

from portal import access
from portal.clients.models import Client
from portal.documents.models import Document
from portal.extensions import db
from portal.letters.models import Mailing
from portal.notifications.models import Kind, Notification
from portal.registrations.models import Registration

CLIENT_KINDS = (Kind.ASSIGNED, Kind.UNASSIGNED, Kind.REFERRAL_ASSIGNED)
SHOWN = 50  # the newest notifications on the page


def _kind_rules(user) -> list:
    client_ok = Notification.client_id.in_(select(Client.id).where(access.client_scope(user)))
    report_ok = Notification.object_id.in_(select(Document.id).where(access.document_scope(user)))
    mailing_ok = Notification.object_id.in_(
        select(Mailing.id).where(Mailing.created_by_id == user.id)) \
        if access.may_open(user, "letters.mailing") else false()
    registration_ok = Notification.object_id.in_(
        select(Registration.id).join(Client, Client.id == Registration.client_id)
        .where(access.client_scope(user))) \
        if access.can_manage_registrations(user) else false()
    return [
        and_(Notification.kind.in_([k.value for k in CLIENT_KINDS]), client_ok),
        and_(Notification.kind == Kind.REPORT_RELEASED.value, client_ok, report_ok),
        and_(Notification.kind == Kind.MAILING_FAILED.value, mailing_ok),
        and_(Notification.kind == Kind.REGISTRATION_DECIDED.value, registration_ok),
    ]


def visible(user):
    """Her own notifications about what she may still see."""
    return and_(Notification.user_id == user.id, or_(*_kind_rules(user)))


def unread_count_query(user):
    """Her unread notifications that she may still see (the menu counts them)."""
    return select(func.count(Notification.id)).where(visible(user), Notification.read_at.is_(None))


def newest(user):
    """Her visible notifications with what their text needs, newest first (one statement)."""
    return db.session.execute(
        select(Notification, Client.ref, Client.werknaam, Client.number, Document.ref,
               Document.title, Registration.ref, Registration.number, Registration.status,
               Mailing.subject)
        .outerjoin(Client, Client.id == Notification.client_id)
        .outerjoin(Document, and_(Notification.kind == Kind.REPORT_RELEASED.value,
                                  Document.id == Notification.object_id))
        .outerjoin(Registration, and_(Notification.kind == Kind.REGISTRATION_DECIDED.value,
                                      Registration.id == Notification.object_id))
        .outerjoin(Mailing, and_(Notification.kind == Kind.MAILING_FAILED.value,
                                 Mailing.id == Notification.object_id))
        .where(visible(user))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(SHOWN)).all()
