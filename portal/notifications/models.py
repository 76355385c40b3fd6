"""A notification points at an object (client, document, registration, mailing); its text is
made when it is shown, so it never says more than the reader may see at that moment."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class Kind(StrEnum):
    ASSIGNED = "toegewezen"
    UNASSIGNED = "niet_meer_toegewezen"
    REPORT_RELEASED = "rapport_vrijgegeven"
    REFERRAL_ASSIGNED = "aanmelding_toegewezen"
    MAILING_FAILED = "verzending_mislukt"
    REGISTRATION_DECIDED = "registratie_besloten"


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                                  index=True)
    object_id: Mapped[int | None] = mapped_column(Integer)  # document, mailing or registration
    actor_name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NotificationPreference(db.Model):
    """Her choice of a daily e-mail digest (off unless she turns it on)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    daily_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
