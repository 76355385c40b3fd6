"""Who sees which client, which part of her dossier, and which aanmeldingen."""

from __future__ import annotations

from sqlalchemy import exists, false, select, true

from portal.access.policy import roles_of as _roles
from portal.clients.lifecycle import TrajectKind
from portal.clients.models import Client, Traject
from portal.extensions import db
from portal.registrations.models import RegistrationIntake
from portal.roles import Role

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
    # The address and aanhef she chose for her letters (identity data: her own address).
    "briefadres": frozenset({Role.CASEMANAGER, Role.REGISTRATIECONTACTPERSOON}),
    "statushistorie": frozenset({Role.CASEMANAGER, Role.PROCESREGISSEUR}),
    "trajecten": frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                            Role.DIAGNOSTICUS}),
    "journaal": frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE}),
    "documenten": frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                             Role.REGISTRATIECONTACTPERSOON, Role.DIAGNOSTICUS}),
    "registratie": frozenset({Role.CASEMANAGER, Role.PROCESREGISSEUR,
                              Role.REGISTRATIECONTACTPERSOON}),
    # The aanmelding the dossier came from (aanleiding, doel, referrer, partners involved).
    "intake": frozenset({Role.CASEMANAGER, Role.PROCESREGISSEUR}),
}

# Roles that see every client of the team (in part); a diagnosticus sees only her own.
TEAM_WIDE = frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
                       Role.REGISTRATIECONTACTPERSOON})


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


def can_see_registration_status(user, client) -> bool:
    """Status, number and dates in the dossier: the contact person and procesregie for every
    client; a casemanager for the clients assigned to her."""
    roles = _roles(user)
    if roles & {Role.REGISTRATIECONTACTPERSOON, Role.PROCESREGISSEUR}:
        return can_view_client(user, client)
    return Role.CASEMANAGER in roles and client.is_assigned(user)


def had_intake(client) -> bool:
    """Does the contact person need this client's identity? Only once the woman applied to her
    in person and the intake was recorded (every registration starts with one)."""
    return bool(db.session.scalar(select(exists().where(
        RegistrationIntake.client_id == client.id))))


def intake_clients():
    """SQL: the ids of clients with a recorded intake."""
    return select(RegistrationIntake.client_id)


# Sections the registratiecontactpersoon sees only for a client with an intake.
REGISTRATION_IDENTITY = frozenset({"identiteit", "idcontrole", "briefadres"})


def sections_for(user, client) -> frozenset[str]:
    """The dossier sections this user may see for this client."""
    if not can_view_client(user, client):
        return frozenset()
    roles = _roles(user)
    sections = {name for name, allowed in SECTIONS.items() if roles & allowed}
    if "registratie" in sections and not can_see_registration_status(user, client):
        sections.discard("registratie")
    if (sections & REGISTRATION_IDENTITY and not roles & {Role.CASEMANAGER, Role.DIAGNOSTICUS}
            and not had_intake(client)):
        sections -= REGISTRATION_IDENTITY
    return frozenset(sections)


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


def traject_kind_scope(user):
    """SQL condition for the trajecten whose kind she may see; no condition when she sees
    every kind, so a query is not steered onto the kind index."""
    kinds = visible_traject_kinds(user)
    if len(kinds) == len(TrajectKind):
        return true()
    return Traject.kind.in_([kind.value for kind in kinds])


def can_see_journal_entry(user, entry, client) -> bool:
    roles = _roles(user)
    if entry.author_id == user.id:
        return bool(roles & {Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE})
    if Role.CASEMANAGER not in roles:
        return False  # the ervaringsdeskundige sees her own notes only
    return not entry.confidential or client.is_assigned(user)


def can_edit_client(user) -> bool:
    """Casemanagers edit dossiers; procesregie edits the basics and the assignment."""
    return bool(_roles(user) & {Role.CASEMANAGER, Role.PROCESREGISSEUR})


def can_change_status(user) -> bool:
    return bool(_roles(user) & {Role.CASEMANAGER, Role.PROCESREGISSEUR})


def traject_kinds_to_add(user, client) -> list[TrajectKind]:
    """A diagnostiek traject opens the dossier, legal name included, to the diagnosticus it
    names: only a casemanager assigned to the client proposes one."""
    if not can_manage_trajecten(user):
        return []
    return [kind for kind in TrajectKind
            if kind != TrajectKind.DIAGNOSTIEK or client.is_assigned(user)]


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


def can_change_assignment(user, client) -> bool:
    """Procesregie assigns; a casemanager only for a new client or one already assigned to her.

    Assignment opens confidential notes and released reports, so nobody assigns herself to
    someone else's client."""
    roles = _roles(user)
    if Role.PROCESREGISSEUR in roles:
        return True
    return Role.CASEMANAGER in roles and (client is None or client.is_assigned(user))


def editable_client_fields(user) -> set[str]:
    """Client fields this user may enter: identity and ID check only with those sections."""
    roles = _roles(user)
    fields = {"werknaam", "preferred_language", "phone", "woonsituatie"}
    if roles & SECTIONS["identiteit"] & {Role.CASEMANAGER}:
        fields |= {"legal_name", "date_of_birth"}
    if roles & SECTIONS["briefadres"] & {Role.CASEMANAGER}:
        fields |= {"letters_to", "postal_address", "salutation"}
    if roles & SECTIONS["idcontrole"] & {Role.CASEMANAGER}:
        fields |= {"id_check_document", "id_check_date"}
    return fields
