"""The one place where access rules live: the route table and the object checks.

Deny is the default: an endpoint missing from ROUTES is refused, and an exception raised
inside a check counts as a refusal. Objects a user may not see answer 404, never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import and_, false, or_, select, true

from portal.audit.models import Action, Outcome
from portal.audit.services import record_and_commit
from portal.clients.lifecycle import TrajectKind
from portal.clients.models import Client, Traject, client_casemanagers
from portal.documents.models import Document, DocumentKind
from portal.roles import Role


@dataclass(frozen=True)
class Rule:
    """Who may reach an endpoint: everyone, every signed-in user, or the named roles."""

    public: bool = False
    roles: frozenset[Role] | None = None

    def allows_role(self, role: Role | None) -> bool:
        if self.public:
            return True
        if role is None:
            return False
        return self.roles is None or role in self.roles

    def allows(self, user) -> bool:
        if self.public:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        return self.roles is None or bool(user.roles & self.roles)


PUBLIC = Rule(public=True)
SIGNED_IN = Rule()


def only(*roles: Role) -> Rule:
    return Rule(roles=frozenset(roles))


_DOCUMENT_READERS = (Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                     Role.REGISTRATIECONTACTPERSOON, Role.DIAGNOSTICUS)
_DOCUMENT_WRITERS = (Role.CASEMANAGER, Role.PROCESREGISSEUR, Role.REGISTRATIECONTACTPERSOON,
                     Role.DIAGNOSTICUS)

ROUTES: dict[str, Rule] = {
    "static": PUBLIC,
    "main.health": PUBLIC,
    "auth.login": PUBLIC,
    "auth.code": PUBLIC,
    "auth.enrol": PUBLIC,
    "auth.logout": SIGNED_IN,
    "auth.sessions": SIGNED_IN,
    "auth.end_session": SIGNED_IN,
    "auth.change_password": SIGNED_IN,
    "main.index": SIGNED_IN,
    "admin.users": only(Role.BEHEERDER),
    "admin.user_new": only(Role.BEHEERDER),
    "admin.user_edit": only(Role.BEHEERDER),
    "admin.user_set_active": only(Role.BEHEERDER),
    "admin.user_reset_totp": only(Role.BEHEERDER),
    "admin.user_reset_password": only(Role.BEHEERDER),
    "admin.organisations": only(Role.BEHEERDER),
    "admin.organisation_new": only(Role.BEHEERDER),
    "admin.organisation_edit": only(Role.BEHEERDER),
    "audit.events": only(Role.PRIVACYFUNCTIONARIS),
    # Client dossiers: the route admits the role, the object checks below decide per client.
    "clients.caseload": only(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.DIAGNOSTICUS),
    "clients.overview": only(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                             Role.REGISTRATIECONTACTPERSOON),
    "clients.new": only(Role.CASEMANAGER, Role.PROCESREGISSEUR),
    "clients.detail": only(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                           Role.REGISTRATIECONTACTPERSOON, Role.DIAGNOSTICUS),
    "clients.edit": only(Role.CASEMANAGER),
    "clients.change_status": only(Role.CASEMANAGER, Role.PROCESREGISSEUR),
    "clients.traject_new": only(Role.CASEMANAGER),
    "clients.traject_status": only(Role.CASEMANAGER),
    "clients.journal_new": only(Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE),
    # Documents: the route admits the roles; kind, compartment and client decide per object.
    "documents.upload": only(*_DOCUMENT_WRITERS),
    "documents.detail": only(*_DOCUMENT_READERS),
    "documents.download": only(*_DOCUMENT_READERS),
    "documents.find": only(*_DOCUMENT_READERS),
    "documents.new_version": only(*_DOCUMENT_WRITERS),
    "documents.delete": only(*_DOCUMENT_WRITERS),
    "documents.trash": only(*_DOCUMENT_WRITERS),
    "documents.restore": only(*_DOCUMENT_WRITERS),
    "documents.release": only(Role.DIAGNOSTICUS),
    # Aanmeldingen en signalen.
    "referrals.new": only(Role.NETWERKPARTNER, Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE,
                          Role.PROCESREGISSEUR),
    "referrals.mine": only(Role.NETWERKPARTNER, Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE,
                           Role.PROCESREGISSEUR),
    "referrals.detail": only(Role.NETWERKPARTNER, Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE,
                             Role.PROCESREGISSEUR),
    "referrals.withdraw": only(Role.NETWERKPARTNER, Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE,
                               Role.PROCESREGISSEUR),
    "referrals.index": only(Role.PROCESREGISSEUR),
    "referrals.triage": only(Role.PROCESREGISSEUR),
    "referrals.to_client": only(Role.PROCESREGISSEUR),
}

# Pages a signed-in user may still open while she must first choose a new password.
PASSWORD_CHANGE_ALLOWED = {"static", "main.health", "auth.change_password", "auth.logout"}


def rule_for(endpoint: str | None) -> Rule | None:
    return ROUTES.get(endpoint or "")


def may_open(user, endpoint: str) -> bool:
    """May this user reach this endpoint? Errors and unknown endpoints deny."""
    try:
        rule = rule_for(endpoint)
        return rule is not None and rule.allows(user)
    except Exception:  # noqa: BLE001 - a failing check must deny, never allow
        current_app.logger.exception("access check failed for %s", endpoint)
        return False


def can_end_session(user, session_row) -> bool:
    return session_row is not None and session_row.user_id == user.id and session_row.is_open


def check_object(allowed: Callable[[], bool], *, object_type: str, object_id,
                 client_id: int | None = None) -> None:
    """Abort with 404 (and an audit event) unless the check passes without error."""
    try:
        ok = bool(allowed())
    except Exception:  # noqa: BLE001
        current_app.logger.exception("object check failed for %s %s", object_type, object_id)
        ok = False
    if not ok:
        deny(404, object_type=object_type, object_id=object_id, client_id=client_id)


def deny(status: int, *, object_type: str | None = "route", object_id=None,
         client_id: int | None = None):
    record_and_commit("access.denied", Action.READ, outcome=Outcome.DENIED,
                      object_type=object_type, object_id=object_id or request.endpoint,
                      client_id=client_id,
                      detail={"path": request.path[:255], "method": request.method,
                              "status": status})
    abort(status)


def enforce_route_policy():
    """before_request: apply ROUTES to every request before any view code runs."""
    endpoint = request.endpoint
    if endpoint is None:  # no route matched: Flask answers 404 / 405 itself
        return None
    if may_open(current_user, endpoint):
        if _must_change_password() and endpoint not in PASSWORD_CHANGE_ALLOWED:
            flash("Kies eerst een nieuw wachtwoord.", "warning")
            return redirect(url_for("auth.change_password"))
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return deny(403)


def _must_change_password() -> bool:
    return current_user.is_authenticated and current_user.must_change_password


def menu_for(user) -> list[tuple[str, str]]:
    """The navigation entries this user may open, in display order."""
    entries = [
        ("main.index", "Start"),
        ("clients.caseload", "Mijn caseload"),
        ("clients.overview", "Cliënten"),
        ("referrals.index", "Aanmeldingen"),
        ("referrals.mine", "Mijn aanmeldingen"),
        ("documents.find", "Documenten zoeken"),
        ("admin.users", "Gebruikers"),
        ("admin.organisations", "Organisaties"),
        ("audit.events", "Auditlog"),
    ]
    return [(endpoint, label) for endpoint, label in entries if may_open(user, endpoint)]


# --- Client dossiers -------------------------------------------------------------------------
# Which roles see which part of a dossier. "basis": number, werknaam, language, status;
# "identiteit": legal name and date of birth; "contact": phone, woonsituatie, assigned staff.

SECTIONS: dict[str, frozenset[Role]] = {
    "basis": frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                        Role.REGISTRATIECONTACTPERSOON, Role.DIAGNOSTICUS}),
    "identiteit": frozenset({Role.CASEMANAGER, Role.REGISTRATIECONTACTPERSOON,
                             Role.DIAGNOSTICUS}),
    "contact": frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR}),
    "idcontrole": frozenset({Role.CASEMANAGER, Role.REGISTRATIECONTACTPERSOON}),
    "statushistorie": frozenset({Role.CASEMANAGER, Role.PROCESREGISSEUR}),
    "trajecten": frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                            Role.DIAGNOSTICUS}),
    "journaal": frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE}),
    "documenten": frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                             Role.REGISTRATIECONTACTPERSOON, Role.DIAGNOSTICUS}),
    "registratie": frozenset({Role.CASEMANAGER, Role.PROCESREGISSEUR,
                              Role.REGISTRATIECONTACTPERSOON}),
}

# Roles that see every client of the team (in part); a diagnosticus sees only her own.
TEAM_WIDE = frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                       Role.REGISTRATIECONTACTPERSOON})


def _roles(user) -> frozenset[Role]:
    return user.roles if getattr(user, "is_authenticated", False) else frozenset()


def client_scope(user):
    """SQL condition selecting the clients this user may see at all (deny by default)."""
    roles = _roles(user)
    if roles & TEAM_WIDE:
        return true()
    if Role.DIAGNOSTICUS in roles:
        return Client.id.in_(select(Traject.client_id).where(
            Traject.kind == TrajectKind.DIAGNOSTIEK.value, Traject.diagnosticus_id == user.id))
    return false()


def can_view_client(user, client) -> bool:
    if client is None:
        return False
    roles = _roles(user)
    if roles & TEAM_WIDE:
        return True
    return Role.DIAGNOSTICUS in roles and any(
        t.kind == TrajectKind.DIAGNOSTIEK and t.diagnosticus_id == user.id
        for t in client.trajecten)


def sections_for(user, client) -> frozenset[str]:
    """The dossier sections this user may see for this client."""
    if not can_view_client(user, client):
        return frozenset()
    roles = _roles(user)
    return frozenset(name for name, allowed in SECTIONS.items() if roles & allowed)


def can_see_traject(user, traject) -> bool:
    roles = _roles(user)
    if roles & {Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE}:
        return True
    if Role.DIAGNOSTICUS in roles and traject.diagnosticus_id == user.id:
        return True
    # Procesregie coordinates trajecten but sees no diagnostics.
    return Role.PROCESREGISSEUR in roles and traject.kind != TrajectKind.DIAGNOSTIEK


def visible_traject_kinds(user) -> list[TrajectKind]:
    """Trajectsoorten this user may see or filter on (procesregie never sees diagnostiek)."""
    roles = _roles(user)
    if roles & {Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE}:
        return list(TrajectKind)
    kinds = []
    if Role.PROCESREGISSEUR in roles:
        kinds += [k for k in TrajectKind if k != TrajectKind.DIAGNOSTIEK]
    if Role.DIAGNOSTICUS in roles and TrajectKind.DIAGNOSTIEK not in kinds:
        kinds.append(TrajectKind.DIAGNOSTIEK)
    return kinds


def can_see_journal_entry(user, entry, client) -> bool:
    roles = _roles(user)
    if entry.author_id == user.id:
        return bool(roles & {Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE})
    if Role.CASEMANAGER not in roles:
        return False  # the ervaringsdeskundige sees her own notes only
    return not entry.confidential or client.is_assigned(user)


def can_edit_client(user) -> bool:
    return Role.CASEMANAGER in _roles(user)


def can_change_status(user) -> bool:
    return bool(_roles(user) & {Role.CASEMANAGER, Role.PROCESREGISSEUR})


def can_manage_trajecten(user) -> bool:
    return Role.CASEMANAGER in _roles(user)


def can_write_journal(user) -> bool:
    return bool(_roles(user) & {Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE})


# --- Aanmeldingen ----------------------------------------------------------------------------

def can_see_referral(user, referral) -> bool:
    if referral is None:
        return False
    return referral.submitted_by_id == user.id or Role.PROCESREGISSEUR in _roles(user)


def can_withdraw_referral(user, referral) -> bool:
    """Only the submitter withdraws her own aanmelding (the service checks it is still open)."""
    return referral is not None and referral.submitted_by_id == user.id


def can_triage(user) -> bool:
    return Role.PROCESREGISSEUR in _roles(user)


def can_link_client(user) -> bool:
    """Team members may link an aanmelding to a known client; partners never see clients."""
    return bool(_roles(user) & TEAM_WIDE)


def visible_trajecten(user, client) -> list:
    return [t for t in client.trajecten if can_see_traject(user, t)]


def can_filter_by_team(user) -> bool:
    """Filtering on casemanager or organisation reveals who works with a client."""
    return bool(_roles(user) & SECTIONS["contact"])


def list_columns(user) -> frozenset[str]:
    """Columns of the client lists: each follows the dossier section it summarises."""
    roles = _roles(user)
    columns = set()
    if roles & (SECTIONS["trajecten"] - {Role.DIAGNOSTICUS}):
        columns.add("trajecten")
    if roles & SECTIONS["contact"]:
        columns.add("team")
    if roles & SECTIONS["statushistorie"]:
        columns.add("aandacht")
    return frozenset(columns)


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


def upload_kinds(user, client) -> list[DocumentKind]:
    if not can_view_client(user, client):
        return []
    return [kind for kind in DocumentKind if kind in _kinds(user, DOCUMENT_KINDS_UPLOAD)]


def _sees_document(user, document, client) -> bool:
    if document.kind == DocumentKind.DIAGNOSTIEKRAPPORT:
        return document.author_id == user.id or (
            document.released_at is not None and Role.CASEMANAGER in _roles(user)
            and client.is_assigned(user))
    if DocumentKind(document.kind) not in _kinds(user, DOCUMENT_KINDS_VISIBLE):
        return False
    if document.confidential:
        return document.author_id == user.id or client.is_assigned(user)
    return True


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
    plain = and_(Document.kind.in_([k.value for k in visible]),
                 or_(Document.confidential.is_(False), Document.author_id == user.id, assigned))
    reports = and_(Document.kind == DocumentKind.DIAGNOSTIEKRAPPORT.value, or_(
        Document.author_id == user.id,
        and_(Document.released_at.is_not(None), assigned) if Role.CASEMANAGER in roles
        else false()))
    in_scope = Document.client_id.in_(select(Client.id).where(client_scope(user)))
    return and_(Document.deleted_at.is_(None), in_scope, or_(plain, reports))
