"""Handover: changing a client's assigned casemanager(s) or ervaringsdeskundige is its own,
recorded event (who, when, from, to, note), told to the people added and removed."""

from __future__ import annotations

from portal.audit.models import Action
from portal.audit.services import record
from portal.auth.models import User
from portal.clients.models import AssignmentChange, Client
from portal.clients.services import apply_assignment
from portal.extensions import db
from portal.refusal import DomainError
from portal.transactions import service


def _user(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id else None


def _names(users) -> str:
    return ", ".join(sorted(u.name for u in users))


@service
def hand_over(client: Client, actor: User, *, casemanager_ids, ervaringsdeskundige_id,
              note: str) -> AssignmentChange:
    before_cm, before_ed = list(client.casemanagers), _user(client.ervaringsdeskundige_id)
    apply_assignment(client, casemanager_ids, ervaringsdeskundige_id)
    after_cm, after_ed = list(client.casemanagers), _user(client.ervaringsdeskundige_id)
    if {u.id for u in before_cm} == {u.id for u in after_cm} and before_ed == after_ed:
        raise DomainError("Er verandert niets aan de toewijzing.", field="casemanager_ids")
    if not (note or "").strip():
        raise DomainError("Schrijf kort waarom de toewijzing verandert.", field="note")
    change = AssignmentChange(
        client_id=client.id, by_id=actor.id, note=note.strip(),
        from_casemanagers=_names(before_cm), to_casemanagers=_names(after_cm),
        from_ervaringsdeskundige=before_ed.name if before_ed else "",
        to_ervaringsdeskundige=after_ed.name if after_ed else "")
    db.session.add(change)
    db.session.flush()
    people_before = {u.id for u in before_cm} | ({before_ed.id} if before_ed else set())
    people_after = {u.id for u in after_cm} | ({after_ed.id} if after_ed else set())
    added, removed = sorted(people_after - people_before), sorted(people_before - people_after)
    _tell(client, actor, added, removed)
    record("clients.handed_over", Action.UPDATE, object_type="client", object_id=client.id,
           client_id=client.id, detail={"added": added, "removed": removed,
                                        "change": change.id})
    db.session.commit()
    return change


def _tell(client: Client, actor: User, added: list[int], removed: list[int]) -> None:
    """Notify the people added and removed (the notifications feature decides how)."""
    from portal.notifications import services as notifications

    for user_id in added:
        notifications.notify(user_id, notifications.Kind.ASSIGNED, client_id=client.id,
                             actor=actor)
    for user_id in removed:
        notifications.notify(user_id, notifications.Kind.UNASSIGNED, client_id=client.id,
                             actor=actor)
