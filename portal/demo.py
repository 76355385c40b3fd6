"""Fictional demo data: invented organisations' staff, one account per role."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.admin import services as admin_services
from portal.auth import totp
from portal.auth.models import Organisation, User
from portal.extensions import db
from portal.roles import OrganisationKind, Role

DEMO_PASSWORD = "Stapteam-demo-2026!"  # noqa: S105 - printed on purpose for the demo

ORGANISATIONS = [
    ("Iriszorg", OrganisationKind.ZORGAANBIEDER),
    ("Leger des Heils", OrganisationKind.ZORGAANBIEDER),
    ("Pro Persona", OrganisationKind.ZORGAANBIEDER),
    ("Gemeente Nijmegen", OrganisationKind.GEMEENTE),
    ("Zorg- en Veiligheidshuis Gelderland-Zuid", OrganisationKind.GEMEENTE),
    ("GGD Gelderland-Zuid", OrganisationKind.PARTNER),
    ("Bindkracht10", OrganisationKind.PARTNER),
    ("Politie Oost-Nederland", OrganisationKind.PARTNER),
]

# (name, e-mail, organisation, roles) - all invented people.
USERS = [
    ("Bea Hendriks", "beheer@demo.stapportaal.nl", "Gemeente Nijmegen", [Role.BEHEERDER]),
    ("Carla de Wit", "casemanager@demo.stapportaal.nl", "Iriszorg", [Role.CASEMANAGER]),
    ("Lotte Verbeek", "casemanager.ldh@demo.stapportaal.nl", "Leger des Heils",
     [Role.CASEMANAGER]),
    ("Esra Yilmaz", "ervaring@demo.stapportaal.nl", "Leger des Heils",
     [Role.ERVARINGSDESKUNDIGE]),
    ("Pieter Janssen", "procesregie@demo.stapportaal.nl",
     "Zorg- en Veiligheidshuis Gelderland-Zuid", [Role.PROCESREGISSEUR]),
    ("Renate Bos", "registratie@demo.stapportaal.nl", "Gemeente Nijmegen",
     [Role.REGISTRATIECONTACTPERSOON]),
    ("Dr. Marieke Smit", "psychiater@demo.stapportaal.nl", "Pro Persona", [Role.DIAGNOSTICUS]),
    ("Drs. Anouk Peters", "psycholoog@demo.stapportaal.nl", "Iriszorg", [Role.DIAGNOSTICUS]),
    ("Femke van Dijk", "privacy@demo.stapportaal.nl", "Gemeente Nijmegen",
     [Role.PRIVACYFUNCTIONARIS]),
    ("Sanne Willems", "partner@demo.stapportaal.nl", "GGD Gelderland-Zuid", [Role.NETWERKPARTNER]),
]


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(User.id)))


def seed_demo() -> list[User]:
    """Create the demo organisations and one pre-enrolled account per role."""
    organisations = {}
    for name, kind in ORGANISATIONS:
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == name))
        organisations[name] = organisation or admin_services.save_organisation(
            None, name=name, kind=kind.value)
    users = []
    for name, email, organisation, roles in USERS:
        if db.session.scalar(select(User).where(User.email == email)):
            continue
        users.append(admin_services.create_user(
            name=name, email=email, organisation_id=organisations[organisation].id, roles=roles,
            password=DEMO_PASSWORD, must_change_password=False,
            totp_secret=totp.seal(totp.new_secret())))
    return users


def demo_logins() -> list[tuple[User, str]]:
    """Each demo account with its TOTP secret, for printing to a newcomer."""
    emails = [email for _, email, _, _ in USERS]
    users = db.session.scalars(select(User).where(User.email.in_(emails)).order_by(User.id))
    return [(user, totp.unseal(user.totp_secret)) for user in users if user.totp_secret]
