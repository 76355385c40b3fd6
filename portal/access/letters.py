"""Who writes which letters and who reads the send log."""

from __future__ import annotations

from portal.access.documents import can_view_document
from portal.access.dossiers import can_view_client, had_intake
from portal.access.policy import roles_of
from portal.letters.models import Purpose
from portal.roles import Role

CLIENT_LETTER_PURPOSES = {Role.CASEMANAGER: Purpose.CLIENTBRIEF,
                          Role.REGISTRATIECONTACTPERSOON: Purpose.REGISTRATIEBRIEF}
SEND_LOG_READERS = frozenset({Role.PROCESREGISSEUR, Role.CASEMANAGER})


def client_letter_purposes(user, client) -> list[Purpose]:
    """A registration letter only for a client with a registration: it carries her legal
    name, which the contact person sees only then."""
    if not can_view_client(user, client):
        return []
    return [purpose for role, purpose in CLIENT_LETTER_PURPOSES.items()
            if role in roles_of(user)
            and (purpose != Purpose.REGISTRATIEBRIEF or had_intake(client))]


def can_see_partner_letter(user, letter) -> bool:
    """Partner letters carry no client data: the send-log readers may open them."""
    return letter is not None and letter.client_id is None and bool(
        roles_of(user) & SEND_LOG_READERS)


def can_hand_over(user, letter, client) -> bool:
    """Her own kind of client letter, and only when she may open the letter itself
    (a generated letter is a confidential document: author and assigned casemanagers)."""
    if letter is None or client is None:
        return False
    if letter.template_version.template.purpose_enum not in client_letter_purposes(user,
                                                                                   client):
        return False
    return can_view_document(user, letter.document, client)


def dossier_letter_purposes(user, client) -> list[Purpose]:
    """Letters written from the dossier. A registration letter is written from its
    registration, whose own number and dates fill it."""
    return [purpose for purpose in client_letter_purposes(user, client)
            if purpose != Purpose.REGISTRATIEBRIEF]
