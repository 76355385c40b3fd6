"""The configurable list of activity kinds: the beheerder adds kinds and (de)activates them;
a kind in use is never deleted, so old entries keep their kind."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.audit.models import Action
from portal.audit.services import record
from portal.extensions import db
from portal.hours.models import SCOPES, ActivityKind
from portal.refusal import DomainError
from portal.transactions import service

# The list the migration seeds (kept here too for databases emptied between tests).
DEFAULT_KINDS = (
    ("Face-to-face contact", "client"),
    ("Outreach op de zone", "beide"),
    ("Telefonisch / digitaal contact", "client"),
    ("Overleg over de cliënt", "client"),
    ("Administratie", "beide"),
    ("Reistijd", "beide"),
    ("Teamoverleg", "team"),
    ("Scholing", "team"),
)


def all_kinds() -> list[ActivityKind]:
    return list(db.session.scalars(select(ActivityKind).order_by(ActivityKind.position,
                                                                ActivityKind.id)))


def active_kinds(keep: int | None = None) -> list[ActivityKind]:
    """The kinds to choose from; `keep` adds an inactive kind an entry already has."""
    condition = ActivityKind.active.is_(True)
    if keep is not None:
        condition = condition | (ActivityKind.id == keep)
    return list(db.session.scalars(select(ActivityKind).where(condition)
                                   .order_by(ActivityKind.position, ActivityKind.id)))


def active_kind(kind_id: int | None, keep: int | None = None) -> ActivityKind | None:
    if kind_id is None:
        return None
    kind = db.session.get(ActivityKind, kind_id)
    if kind is None or not (kind.active or kind.id == keep):
        return None
    return kind


def ensure_default_kinds() -> None:
    """Seed the default list when the table is empty (demo, tests on an emptied database)."""
    if db.session.scalar(select(func.count(ActivityKind.id))):
        return
    db.session.add_all(ActivityKind(name=name, scope=scope, position=position)
                       for position, (name, scope) in enumerate(DEFAULT_KINDS, 1))
    db.session.commit()


@service
def add_kind(actor, name: str, scope: str) -> ActivityKind:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Vul een naam in.", field="name")
    if scope not in SCOPES:
        raise DomainError("Kies waarvoor de soort geldt.", field="scope")
    if db.session.scalar(select(ActivityKind.id).where(
            func.lower(ActivityKind.name) == name.lower())):
        raise DomainError("Die soort bestaat al.", field="name")
    position = (db.session.scalar(select(func.max(ActivityKind.position))) or 0) + 1
    kind = ActivityKind(name=name, scope=scope, position=position, active=True)
    db.session.add(kind)
    db.session.flush()
    record("hours.kind_added", Action.CREATE, object_type="activity_kind", object_id=kind.id,
           user=actor, detail={"name": name, "scope": scope})
    db.session.commit()
    return kind


@service
def set_kind_active(actor, kind: ActivityKind, active: bool) -> ActivityKind:
    kind.active = active
    record("hours.kind_" + ("activated" if active else "deactivated"), Action.UPDATE,
           object_type="activity_kind", object_id=kind.id, user=actor)
    db.session.commit()
    return kind
