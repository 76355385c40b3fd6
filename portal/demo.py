"""Fictional demo data: invented organisations' staff, one account per role."""

from __future__ import annotations

import io
from datetime import date, timedelta

from docx import Document as WordDocument
from sqlalchemy import func, select, update

from portal.admin import services as admin_services
from portal.auth import totp
from portal.auth.models import Organisation, User
from portal.clock import local_today
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


# Invented women, with werknamen only where a real dossier would also have little more.
CLIENTS = [
    {"werknaam": "Roos", "legal_name": "Rosalie Demo-Jansen", "preferred_language": "Nederlands",
     "woonsituatie": "maatschappelijke_opvang", "status": "actief", "traject": "time-out"},
    {"werknaam": "Lina", "legal_name": "Lina Voorbeeld", "preferred_language": "Roemeens",
     "woonsituatie": "dakloos", "status": "actief", "traject": "diagnostiek"},
    {"werknaam": "Mira", "legal_name": None, "preferred_language": "Engels",
     "woonsituatie": "briefadres", "status": "aangemeld", "traject": None},
    {"werknaam": "Jet", "legal_name": "Henriëtte Fictief", "preferred_language": "Nederlands",
     "woonsituatie": "zelfstandig", "status": "monitoring", "traject": "instroomwoning"},
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
    from portal.letters.templates import ensure_builtin_templates

    ensure_builtin_templates()
    seed_demo_clients()
    return users


def seed_demo_clients() -> int:
    """A few fictional dossiers so every role has something to look at."""
    from portal.clients import services as client_services
    from portal.clients.lifecycle import ClientStatus, TrajectKind
    from portal.clients.models import Client

    if db.session.scalar(select(func.count(Client.id))):
        return 0
    staff = {email: db.session.scalar(select(User).where(User.email == email))
             for _, email, _, _ in USERS}
    carla, lotte = staff["casemanager@demo.stapportaal.nl"], staff[
        "casemanager.ldh@demo.stapportaal.nl"]
    esra, marieke = staff["ervaring@demo.stapportaal.nl"], staff["psychiater@demo.stapportaal.nl"]
    clients = {}
    for number, spec in enumerate(CLIENTS):
        manager = carla if number % 2 == 0 else lotte
        client = client_services.create_client(
            manager, casemanager_ids=[manager.id], ervaringsdeskundige_id=esra.id,
            werknaam=spec["werknaam"], legal_name=spec["legal_name"],
            preferred_language=spec["preferred_language"], woonsituatie=spec["woonsituatie"])
        clients[spec["werknaam"]] = client
        _dossier_made_days_ago(client, 45)
        if spec["status"] != "aangemeld":
            client_services.change_status(client, manager, client_services.StatusRequest(
                ClientStatus.ACTIEF, local_today() - timedelta(days=30), "Intake gedaan"))
        if spec["status"] == "monitoring":
            client_services.change_status(client, manager, client_services.StatusRequest(
                ClientStatus.MONITORING, local_today(), "Stabiel; procesregie volgt"))
        if spec["traject"]:
            client_services.add_traject(client, manager, client_services.TrajectRequest(
                kind=TrajectKind(spec["traject"]),
                diagnosticus_id=marieke.id if spec["traject"] == "diagnostiek" else None))
        client_services.add_journal_entry(client, manager, entry_date=local_today(),
                                          text="Kennismaking op straat; afspraak gemaakt.",
                                          confidential=False)
    _seed_demo_referral(staff["partner@demo.stapportaal.nl"])
    _seed_demo_documents(carla, marieke)
    _seed_demo_partners()
    _seed_demo_leaflet(staff["beheer@demo.stapportaal.nl"])
    _seed_demo_registrations(staff["registratie@demo.stapportaal.nl"], clients)
    from portal.plans.demo import seed_demo_plans

    seed_demo_plans(carla, lotte, esra, clients)
    from portal.hours.demo import seed_demo_hours

    seed_demo_hours(staff, clients)
    from portal.budget.demo import seed_demo_budget

    seed_demo_budget(staff["procesregie@demo.stapportaal.nl"], carla, clients)
    from portal.verantwoording.demo import seed_demo_report

    seed_demo_report(staff, clients)
    from portal.main.demo import seed_demo_attention

    seed_demo_attention(staff, clients)
    from portal.privacy.demo import seed_demo_requests

    seed_demo_requests(staff, clients)
    return len(CLIENTS)


# Invented dates of birth, recorded at the contact person's intake.
DEMO_BIRTH_DATES = {"Roos": date(1994, 5, 17), "Jet": date(1988, 11, 2),
                    "Lina": date(1999, 3, 8)}


def _dossier_made_days_ago(client, days: int) -> None:
    """The demo is made today; its dossiers were opened earlier (their first status change
    is dated back, so the history stays in date order)."""
    from portal.clients.models import StatusChange

    db.session.execute(update(StatusChange).where(StatusChange.client_id == client.id)
                       .values(changed_on=local_today() - timedelta(days=days)))
    db.session.commit()


def _seed_demo_registrations(renate: User, clients: dict) -> None:
    """Roos: valid, ends within the reminder window; Jet: valid for months; Lina: a request
    in behandeling; and three evenings of anonymous day passes."""
    from datetime import timedelta

    from portal.registrations import daypasses
    from portal.registrations import services as registrations

    today = local_today()
    for werknaam, valid_days in (("Roos", 20), ("Jet", 200), ("Lina", None)):
        requested = today - timedelta(days=40)
        registrations.record_intake(renate, registrations.IntakeData(
            applicant=registrations.Applicant(werknaam, DEMO_BIRTH_DATES[werknaam]),
            applied_on=requested, reason="Zij meldt zich voor een registratie",
            id_check_document="Paspoort", id_check_date=requested), clients[werknaam])
        registration = registrations.request_registration(
            renate, clients[werknaam], registrations.RequestData(
                requested_on=requested, criterion="Meerderjarig, ingeschreven in Nijmegen",
                id_check_document="Paspoort", id_check_date=requested))
        registrations.start_processing(renate, registration, requested)
        if valid_days is None:
            continue
        decided = requested + timedelta(days=3)
        registrations.grant(renate, registration, registrations.Decision(
            decided_on=decided, decision_kenmerk=f"NIJ/TZ/{registration.id:03d}",
            valid_from=decided, valid_until=today + timedelta(days=valid_days)))
        registrations.pass_issued(renate, registration, decided)
    for days_ago, passes in ((1, 7), (2, 12), (5, 4)):
        daypasses.record_evening(renate, today - timedelta(days=days_ago), passes)


PARTNER_CONTACTS = [
    ("GGD Gelderland-Zuid", "Sanne Willems", "sanne.willems@ggd.demo.invalid"),
    ("Bindkracht10", "Youssef el Amrani", "y.elamrani@bindkracht.demo.invalid"),
    ("Politie Oost-Nederland", "Inge Koster", "inge.koster@politie.demo.invalid"),
    ("Gemeente Nijmegen", "Tom Hermsen", "t.hermsen@nijmegen.demo.invalid"),
    ("Pro Persona", "Noor Dekker", "n.dekker@propersona.demo.invalid"),
]
# Invented departments and postal addresses (Postbus numbers that belong to nobody known).
PARTNER_ADDRESSES = {"Sanne Willems": ("Team Seksuele Gezondheid", "Postbus 1100\n6500 HA Nijmegen",
                                       "Geachte mevrouw Willems"),
                     "Inge Koster": ("Team Zeden", "Postbus 1200\n6500 HB Nijmegen",
                                     "Geachte mevrouw Koster")}


def _seed_demo_partners() -> None:
    """Fictional partner contacts (reserved .invalid addresses) and the list Netwerkpartners."""
    from portal.auth.models import Organisation
    from portal.partners import services as partner_services

    contacts = []
    for organisation, name, email in PARTNER_CONTACTS:
        org = db.session.scalar(select(Organisation).where(Organisation.name == organisation))
        department, address, salutation = PARTNER_ADDRESSES.get(name, (None, None, None))
        contacts.append(partner_services.save_contact(
            None, organisation_id=org.id, name=name, email=email, active=True,
            department=department, postal_address=address, salutation=salutation))
    partner_services.save_list(None, name="Netwerkpartners",
                               description="Alle netwerkpartners van het Stapteam",
                               member_ids=[c.id for c in contacts])


LEAFLET_LINES = ("Stapteam Nijmegen (demo, fictief)",
                 "Wij zijn er voor vrouwen die op straat werken.",
                 "Dinsdagavond op de zone; bel of app ons op 024 329 9999.")


def _seed_demo_leaflet(beheerder: User) -> None:
    """A leaflet in the attachment library, to send with the Informatiebrief."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    from portal.letters import attachments

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)  # A4
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    text = " ".join(f"1 0 0 1 72 {760 - 28 * n} Tm ({line}) Tj"
                    for n, line in enumerate(LEAFLET_LINES))
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 14 Tf {text} ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    writer.add_metadata({"/Title": "Folder Stapteam (demo)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    buffer.seek(0)
    attachments.add(beheerder, title="Folder Stapteam (demo)", stream=buffer,
                    filename="folder-stapteam.pdf")


def _word_file(*paragraphs: str) -> io.BytesIO:
    document = WordDocument()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def _seed_demo_documents(casemanager: User, psychiatrist: User) -> None:
    """A consent form for Roos and an unreleased diagnostics report for Lina (both invented)."""
    from portal.clients.models import Client
    from portal.documents import services as document_services
    from portal.documents.models import DocumentKind

    roos = db.session.scalar(select(Client).where(Client.werknaam == "Roos"))
    lina = db.session.scalar(select(Client).where(Client.werknaam == "Lina"))
    document_services.upload(
        roos, casemanager, kind=DocumentKind.TOESTEMMINGSVERKLARING, title="Toestemming "
        "gegevensdeling", document_date=local_today(), note=None,
        file=document_services.Upload(_word_file(
            "Toestemmingsverklaring (demo)",
            "Roos geeft toestemming om haar gegevens te delen met de GGD en Bindkracht10."),
            "toestemming-roos.docx"))
    document_services.upload(
        lina, psychiatrist, kind=DocumentKind.DIAGNOSTIEKRAPPORT, title="Psychiatrisch "
        "onderzoek (concept)", document_date=local_today(), note=None,
        file=document_services.Upload(_word_file(
            "Diagnostiekrapport (demo, fictief)",
            "Bevindingen: geen; dit is een verzonnen voorbeeld voor de demo."),
            "onderzoek-lina.docx"))


def _seed_demo_referral(partner: User) -> None:
    from portal.referrals import services as referral_services
    from portal.referrals.models import ReferralKind

    referral_services.submit(
        partner, kind=ReferralKind.AANMELDING, werknaam="Noor",
        aanleiding="Zag haar drie avonden op rij op de tippelzone; zij oogt vermagerd.",
        doel="Contact leggen en zorg bespreken.", partners_involved="GGD, Bindkracht10")


def demo_logins() -> list[tuple[User, str]]:
    """Each demo account with its TOTP secret, for printing to a newcomer."""
    emails = [email for _, email, _, _ in USERS]
    users = db.session.scalars(select(User).where(User.email.in_(emails)).order_by(User.id))
    return [(user, totp.unseal(user.totp_secret)) for user in users if user.totp_secret]
