"""Who sees and changes ZRM assessments and plans van aanpak.

Casemanagers of the team read and write both. The ervaringsdeskundige reads them (she often
takes part in the conversation) and writes evaluations on actions assigned to her.
Procesregie sees scores, dates and the plan's status, never a toelichting or a goal's text.
Everyone else sees nothing of either, not even that they exist.
"""

from __future__ import annotations

from sqlalchemy import false

from portal.access.dossiers import can_view_client, client_scope
from portal.access.policy import roles_of as _roles
from portal.roles import Role

ZRM_READERS = frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR})
TEXT_READERS = frozenset({Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE})
WRITERS = frozenset({Role.CASEMANAGER})


def zrm_client_scope(user):
    """SQL condition: the clients whose assessments this user may read."""
    return client_scope(user) if _roles(user) & ZRM_READERS else false()


def can_read_zrm(user, client) -> bool:
    """Scores and dates of this client's assessments (and the plan's status)."""
    return bool(_roles(user) & ZRM_READERS) and can_view_client(user, client)


def can_read_texts(user) -> bool:
    """Toelichtingen, reasons, goal texts, actions and evaluations."""
    return bool(_roles(user) & TEXT_READERS)


def can_write_zrm(user, client) -> bool:
    return bool(_roles(user) & WRITERS) and can_view_client(user, client)


def can_read_plan(user, client) -> bool:
    return can_read_zrm(user, client)


def can_write_plan(user, client) -> bool:
    return can_write_zrm(user, client)


def can_evaluate(user, action) -> bool:
    """A casemanager evaluates every action; the ervaringsdeskundige those assigned to her."""
    roles = _roles(user)
    if Role.CASEMANAGER in roles:
        return True
    return (Role.ERVARINGSDESKUNDIGE in roles and action is not None
            and action.owner_user_id == user.id)


def can_see_assessment(user, assessment, client) -> bool:
    return (assessment is not None and client is not None
            and assessment.client_id == client.id and can_read_zrm(user, client))
