"""Saving partner contacts and distribution lists; one audited commit each."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.audit.models import Action
from portal.audit.services import record
from portal.extensions import db
from portal.partners.models import DistributionList, PartnerContact
from portal.refusal import DomainError
from portal.transactions import service


def contacts() -> list[PartnerContact]:
    return list(db.session.scalars(select(PartnerContact).order_by(PartnerContact.name)))


def lists() -> list[DistributionList]:
    return list(db.session.scalars(select(DistributionList).order_by(DistributionList.name)))


@service
def save_contact(contact: PartnerContact | None, *, organisation_id: int, name: str,
                 email: str, active: bool, department: str | None = None,
                 postal_address: str | None = None, salutation: str | None = None
                 ) -> PartnerContact:
    created = contact is None
    contact = contact or PartnerContact()
    if salutation and any(mark in salutation for mark in "\r\n"):
        raise DomainError("Gebruik één regel voor de aanhef.", field="salutation")
    contact.department = (department or "").strip() or None
    contact.postal_address = "\n".join(line.strip() for line in (postal_address or "")
                                       .splitlines() if line.strip()) or None
    contact.salutation = (salutation or "").strip().rstrip(",") or None
    contact.organisation_id, contact.name = organisation_id, name.strip()
    contact.email, contact.active = email.strip().lower(), active
    db.session.add(contact)
    db.session.flush()
    record("partners.contact_saved", Action.CREATE if created else Action.UPDATE,
           object_type="partner_contact", object_id=contact.id)
    db.session.commit()
    return contact


@service
def save_list(dlist: DistributionList | None, *, name: str, description: str | None,
              member_ids: list[int]) -> DistributionList:
    clash = db.session.scalar(select(DistributionList.id).where(
        func.lower(DistributionList.name) == name.strip().lower(),
        DistributionList.id != (dlist.id if dlist else -1)))
    if clash:
        raise DomainError("Er bestaat al een verzendlijst met deze naam.", field="name")
    created = dlist is None
    dlist = dlist or DistributionList()
    dlist.name, dlist.description = name.strip(), (description or "").strip() or None
    dlist.members = list(db.session.scalars(
        select(PartnerContact).where(PartnerContact.id.in_(member_ids or []))))
    db.session.add(dlist)
    db.session.flush()
    record("partners.list_saved", Action.CREATE if created else Action.UPDATE,
           object_type="distribution_list", object_id=dlist.id,
           detail={"members": len(dlist.members)})
    db.session.commit()
    return dlist
