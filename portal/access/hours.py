"""Who writes, reads and counts hours, and who sets the targets.

A casemanager or the ervaringsdeskundige writes her own time and sees only her own entries,
notes included; nobody else opens an entry, not even to correct it (a correction after the
edit window is hers, with a reason, and stays in the entry's history). Procesregie sees
totals per person, organisation, client number and kind, and the realisation against
target; never an entry's note. The procesregisseur sets the targets (she accounts to the
municipality for them); the beheerder keeps the list of activity kinds.
"""

from __future__ import annotations

from portal.access.dossiers import can_view_client
from portal.access.policy import roles_of as _roles
from portal.roles import Role

HOUR_WRITERS = frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE})


def can_write_hours(user) -> bool:
    return bool(_roles(user) & HOUR_WRITERS)


def capacity_of(user) -> str | None:
    """The capacity an entry is written in: casemanagement counts against the target."""
    roles = _roles(user)
    if Role.CASEMANAGER in roles:
        return "casemanagement"
    if Role.ERVARINGSDESKUNDIGE in roles:
        return "ervaringsdeskundige"
    return None


def can_see_entry(user, entry) -> bool:
    """Her own entries only (a deleted one too: it shows its history)."""
    return entry is not None and can_write_hours(user) and entry.user_id == user.id


def can_book_client(user, client) -> bool:
    """Time with this client: a writer of hours who may see the dossier."""
    return can_write_hours(user) and can_view_client(user, client)


def can_see_hour_totals(user) -> bool:
    return Role.PROCESREGISSEUR in _roles(user)


def can_manage_targets(user) -> bool:
    return Role.PROCESREGISSEUR in _roles(user)


def can_manage_activity_kinds(user) -> bool:
    return Role.BEHEERDER in _roles(user)
