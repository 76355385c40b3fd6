"""A service owns its transaction: a refusal leaves nothing half-done in the session."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.auth.models import Organisation
from portal.extensions import db
from portal.refusal import DomainError
from portal.transactions import service


@service
def add_then_refuse(name: str) -> None:
    db.session.add(Organisation(name=name, kind="partner"))
    db.session.flush()
    raise DomainError("Geweigerd.", field="name")


def test_a_refused_service_leaves_nothing_pending_or_stored(app):
    with app.app_context():
        with pytest.raises(DomainError):
            add_then_refuse("Halfweg")
        assert not db.session.new and not db.session.dirty
        db.session.commit()  # what a later commit in the same request would write
        assert db.session.scalar(select(func.count()).select_from(Organisation).where(
            Organisation.name == "Halfweg")) == 0


def test_a_refused_client_status_change_keeps_the_dossier_as_it_was(app, account):
    from datetime import date

    from portal.auth.models import User
    from portal.clients import services
    from portal.clients.lifecycle import ClientStatus
    from portal.roles import Role

    manager = account(Role.CASEMANAGER)
    with app.app_context():
        actor = db.session.get(User, manager.id)
        client = services.create_client(actor, werknaam="Noor", casemanager_ids=[actor.id])
        with pytest.raises(DomainError):
            services.change_status(client, actor, services.StatusRequest(
                to_status=ClientStatus.AFGESLOTEN, changed_on=date(2026, 1, 1), reason="",
                receiving_party="", warm_handover=None))
        assert not db.session.dirty
        assert client.status_enum is not ClientStatus.AFGESLOTEN
