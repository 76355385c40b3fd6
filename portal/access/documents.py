"""Which documents a user sees, adds, manages and releases (the diagnostics compartment)."""

from __future__ import annotations

from sqlalchemy import and_, false, or_, select, true

from portal.access.dossiers import (
    TEAM_WIDE,
    can_view_client,
    client_scope,
    had_intake,
    intake_clients,
)
from portal.access.policy import roles_of as _roles
from portal.clients.models import Client, client_casemanagers
from portal.documents.models import Document, DocumentKind
from portal.roles import Role

# --- Documents -------------------------------------------------------------------------------
# Which kinds each role may see and add. Diagnostics reports are a compartment on top of this:
# the author sees hers; an assigned casemanager sees one once it is released; nobody else.

_ALL_KINDS = frozenset(DocumentKind)
DOCUMENT_KINDS_VISIBLE: dict[Role, frozenset[DocumentKind]] = {
    Role.CASEMANAGER: _ALL_KINDS,
    Role.ERVARINGSDESKUNDIGE: frozenset({DocumentKind.BRIEF, DocumentKind.TOESTEMMINGSVERKLARING,
                                         DocumentKind.OVERIG}),
    Role.PROCESREGISSEUR: frozenset({DocumentKind.BRIEF, DocumentKind.OVERDRACHTSVERSLAG}),
    Role.REGISTRATIECONTACTPERSOON: frozenset({DocumentKind.REGISTRATIEDOCUMENT}),
    Role.DIAGNOSTICUS: frozenset({DocumentKind.DIAGNOSTIEKRAPPORT}),
}
DOCUMENT_KINDS_UPLOAD: dict[Role, frozenset[DocumentKind]] = {
    Role.CASEMANAGER: _ALL_KINDS - {DocumentKind.DIAGNOSTIEKRAPPORT},
    Role.PROCESREGISSEUR: frozenset({DocumentKind.BRIEF, DocumentKind.OVERDRACHTSVERSLAG}),
    Role.REGISTRATIECONTACTPERSOON: frozenset({DocumentKind.REGISTRATIEDOCUMENT}),
    Role.DIAGNOSTICUS: frozenset({DocumentKind.DIAGNOSTIEKRAPPORT}),
}


def _kinds(user, table) -> frozenset[DocumentKind]:
    kinds: set[DocumentKind] = set()
    for role in _roles(user):
        kinds |= table.get(role, frozenset())
    return frozenset(kinds)


def _intake_only(user) -> bool:
    """Registration documents reach this user only through the contact person's role, so only
    for clients with an intake."""
    roles = _roles(user)
    return Role.REGISTRATIECONTACTPERSOON in roles and Role.CASEMANAGER not in roles


def _needs_missing_intake(user, kind, client) -> bool:
    return (kind == DocumentKind.REGISTRATIEDOCUMENT and _intake_only(user)
            and not had_intake(client))


def upload_kinds(user, client) -> list[DocumentKind]:
    if not can_view_client(user, client):
        return []
    return [kind for kind in DocumentKind if kind in _kinds(user, DOCUMENT_KINDS_UPLOAD)
            and not _needs_missing_intake(user, kind, client)]


def _sees_document(user, document, client) -> bool:
    if document.kind == DocumentKind.DIAGNOSTIEKRAPPORT:
        return document.author_id == user.id or (
            document.released_at is not None and Role.CASEMANAGER in _roles(user)
            and client.is_assigned(user))
    if DocumentKind(document.kind) not in _kinds(user, DOCUMENT_KINDS_VISIBLE):
        return False
    if _needs_missing_intake(user, document.kind, client):
        return False
    if document.confidential:
        return (document.author_id == user.id or client.is_assigned(user)
                or _shared_registration_document(user, document.kind, client))
    return True


def _shared_registration_document(user, kind, client) -> bool:
    """Registration documents (confidential letters included) of a client with an intake are
    the contact persons' shared work: a colleague takes over when the author is away."""
    return (kind == DocumentKind.REGISTRATIEDOCUMENT
            and Role.REGISTRATIECONTACTPERSOON in _roles(user) and had_intake(client))


def can_view_document(user, document, client) -> bool:
    return (document is not None and document.deleted_at is None
            and can_view_client(user, client) and _sees_document(user, document, client))


def can_manage_document(user, document, client) -> bool:
    """New version, delete and restore: the author of a report; else whoever may add the kind."""
    if document is None or not can_view_client(user, client):
        return False
    if document.kind == DocumentKind.DIAGNOSTIEKRAPPORT:
        return document.author_id == user.id
    return (_sees_document(user, document, client)
            and DocumentKind(document.kind) in _kinds(user, DOCUMENT_KINDS_UPLOAD))


def can_release_document(user, document) -> bool:
    return (document is not None and document.kind == DocumentKind.DIAGNOSTIEKRAPPORT
            and document.author_id == user.id and document.deleted_at is None)


def document_scope(user):
    """SQL condition for documents this user may see (not deleted, kind, compartment)."""
    roles = _roles(user)
    visible = _kinds(user, DOCUMENT_KINDS_VISIBLE) - {DocumentKind.DIAGNOSTIEKRAPPORT}
    assigned = Document.client_id.in_(select(client_casemanagers.c.client_id).where(
        client_casemanagers.c.user_id == user.id)) if roles else false()
    shared = and_(Document.kind == DocumentKind.REGISTRATIEDOCUMENT.value,
                  Document.client_id.in_(intake_clients())) \
        if Role.REGISTRATIECONTACTPERSOON in roles else false()
    if _intake_only(user):  # registration documents only of clients with an intake
        visible -= {DocumentKind.REGISTRATIEDOCUMENT}
    plain = and_(Document.kind.in_([k.value for k in visible]),
                 or_(Document.confidential.is_(False), Document.author_id == user.id, assigned))
    reports = and_(Document.kind == DocumentKind.DIAGNOSTIEKRAPPORT.value, or_(
        Document.author_id == user.id,
        and_(Document.released_at.is_not(None), assigned) if Role.CASEMANAGER in roles
        else false()))
    return and_(Document.deleted_at.is_(None), _of_visible_clients(user),
                or_(plain, shared, reports))


def _of_visible_clients(user):
    """Team-wide roles see every client: no condition, so the planner need not list them."""
    if _roles(user) & TEAM_WIDE:
        return true()
    return Document.client_id.in_(select(Client.id).where(client_scope(user)))
