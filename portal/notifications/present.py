"""The text and link of a notification, made from what the reader may see right now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for

from portal.notifications.models import Kind
from portal.registrations.lifecycle import RegistrationStatus

KIND_LABELS = {
    Kind.ASSIGNED: "toegewezen cliënten",
    Kind.UNASSIGNED: "toewijzingen die zijn beëindigd",
    Kind.REPORT_RELEASED: "vrijgegeven diagnostiekrapporten",
    Kind.REFERRAL_ASSIGNED: "aanmeldingen aan u toegewezen",
    Kind.MAILING_FAILED: "verzendingen met mislukte ontvangers",
    Kind.REGISTRATION_DECIDED: "besluiten over registratieaanvragen",
}


@dataclass(frozen=True)
class Shown:
    id: int
    text: str
    url: str
    created_at: datetime
    unread: bool


def _client(row) -> str:
    return f"{row[2]} ({row[3]})"


def _text_and_url(kind: Kind, row) -> tuple[str, str]:
    notification = row[0]
    by = f" door {notification.actor_name}" if notification.actor_name else ""
    client_url = url_for("clients.detail", ref=row[1]) if row[1] else ""
    if kind == Kind.ASSIGNED:
        return f"U bent toegewezen aan {_client(row)}{by}.", client_url
    if kind == Kind.UNASSIGNED:
        return f"U bent niet meer toegewezen aan {_client(row)}{by}.", client_url
    if kind == Kind.REFERRAL_ASSIGNED:
        return f"Een aanmelding is aan u toegewezen: {_client(row)}{by}.", client_url
    if kind == Kind.REPORT_RELEASED:
        return (f"Diagnostiekrapport vrijgegeven: {row[5]} over {_client(row)}.",
                url_for("documents.detail", document_ref=row[4]))
    if kind == Kind.MAILING_FAILED:
        return (f"Verzending ‘{row[9]}’ is niet bij alle ontvangers aangekomen.",
                url_for("letters.mailing", mailing_id=notification.object_id))
    status = RegistrationStatus(row[8]).label.lower()
    return (f"Besluit over registratie {row[7]}: {status}{by}.",
            url_for("registrations.detail", registration_ref=row[6]))


def shown(rows) -> list[Shown]:
    items = []
    for row in rows:
        notification = row[0]
        text, url = _text_and_url(Kind(notification.kind), row)
        items.append(Shown(notification.id, text, url, notification.created_at,
                           notification.read_at is None))
    return items
