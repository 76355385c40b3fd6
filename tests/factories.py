"""Small factories: organisations and users with a known password and TOTP secret."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import date

import pyotp

from portal.auth import passwords, totp
from portal.auth.models import Organisation, User
from portal.clock import local_today
from portal.extensions import db
from portal.roles import OrganisationKind, Role

PASSWORD = "Blauwe-fiets-op-de-Waalkade"
_counter = itertools.count(1)


@dataclass
class Account:
    """What a test needs to log in as someone: her id, e-mail, password and secret."""

    id: int
    email: str
    password: str
    secret: str | None
    roles: tuple[Role, ...] = ()
    used_steps: set[int] = field(default_factory=set)

    def next_code(self) -> str:
        """A valid code that this account has not used yet (replays are refused)."""
        current = int(time.time() // 30)
        for step in (current, current + 1):
            if step > max(self.used_steps, default=0):
                self.used_steps.add(step)
                return pyotp.TOTP(self.secret).at(step * 30)
        raise AssertionError("no unused TOTP step left in the allowed window")


def make_organisation(name: str | None = None,
                      kind: OrganisationKind = OrganisationKind.ZORGAANBIEDER) -> Organisation:
    organisation = Organisation(name=name or f"Organisatie {next(_counter)}", kind=kind.value)
    db.session.add(organisation)
    db.session.commit()
    return organisation


def make_user(*roles: Role, email: str | None = None, name: str | None = None,
              organisation: Organisation | None = None, enrolled: bool = True,
              password: str = PASSWORD, active: bool = True,
              must_change_password: bool = False) -> Account:
    number = next(_counter)
    organisation = organisation or make_organisation()
    secret = pyotp.random_base32() if enrolled else None
    user = User(name=name or f"Testgebruiker {number}",
                email=email or f"gebruiker{number}@test.stapportaal.nl",
                organisation_id=organisation.id, password_hash=passwords.hash_password(password),
                totp_secret=totp.seal(secret) if secret else None, active=active,
                must_change_password=must_change_password)
    user.set_roles(roles or [Role.CASEMANAGER])
    db.session.add(user)
    db.session.commit()
    return Account(user.id, user.email, password, secret, tuple(roles))


@dataclass(frozen=True)
class Person:
    """One member of a test's team: her roles, name and (by name) her organisation."""

    roles: tuple[Role, ...]
    name: str
    organisation: str | None = None
    email: str | None = None
    active: bool = True


def make_team(people: dict[str, Person],
              organisations: dict[str, OrganisationKind] | None = None) -> dict[str, Account]:
    """The users of a test's team, each with her own login; organisations named by the
    people are made once (kinds from `organisations`, zorgaanbieder otherwise)."""
    kinds = organisations or {}
    made: dict[str, Organisation] = {}

    def organisation_of(name: str | None) -> Organisation | None:
        if name is None:
            return None
        if name not in made:
            made[name] = make_organisation(name, kinds.get(name, OrganisationKind.ZORGAANBIEDER))
        return made[name]

    return {key: make_user(*person.roles, name=person.name, email=person.email,
                           organisation=organisation_of(person.organisation),
                           active=person.active)
            for key, person in people.items()}


def make_client(werknaam: str | None = None, *, casemanagers=(), diagnosticus_id=None,
                status: str = "actief", **fields):
    """A client (default status actief); with diagnosticus_id also a diagnostiek traject."""
    from portal.clients.models import Client, Traject
    from portal.clients.services import next_client_number

    number = next(_counter)
    client = Client(werknaam=werknaam or f"Cliënt {number}", number=next_client_number(2026),
                    status=status, **fields)
    client.casemanagers = [db.session.get(User, a.id if isinstance(a, Account) else a)
                           for a in casemanagers]
    if diagnosticus_id is not None:
        client.trajecten.append(Traject(kind="diagnostiek", status="lopend",
                                        diagnosticus_id=diagnosticus_id))
    db.session.add(client)
    db.session.commit()
    return client


def make_referral(submitted_by_id: int, **fields):

    from portal.referrals.models import Referral

    submitter = db.session.get(User, submitted_by_id)
    referral = Referral(kind=fields.pop("kind", "aanmelding"), submitted_by_id=submitter.id,
                        organisation_id=submitter.organisation_id, received_on=local_today(),
                        aanleiding=fields.pop("aanleiding", "Zorgen over haar gezondheid"),
                        doel=fields.pop("doel", "Contact leggen"), **fields)
    db.session.add(referral)
    db.session.commit()
    return referral


def make_document(client, author_id: int, kind: str = "brief", content: bytes | None = None,
                  **fields):
    """A stored, encrypted document with one version (content defaults to a tiny PDF)."""
    import hashlib
    import io

    from portal.documents import storage
    from portal.documents.models import Document, DocumentVersion

    content = content if content is not None else minimal_pdf()
    stored = storage.store(io.BytesIO(content))
    document = Document(client_id=client.id, kind=kind, title=fields.pop("title", "Verslag"),
                        author_id=author_id, **fields)
    document.versions.append(DocumentVersion(
        number=1, filename="verslag.pdf", mime_type="application/pdf", size=stored.size,
        sha256=hashlib.sha256(content).hexdigest(), storage_key=stored.key,
        uploaded_by_id=author_id))
    db.session.add(document)
    db.session.commit()
    return document


def minimal_pdf(text: str = "Testdocument") -> bytes:
    """A one-page PDF with the text on it, made with pypdf only."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=300, height=200)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"),
                             NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    stream = DecodedStreamObject()
    stream.set_data(f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_partner_list(count: int = 2, name: str | None = None, emails=None):
    """A distribution list with `count` active partner contacts."""
    from portal.partners import services as partner_services

    organisation = make_organisation(kind=OrganisationKind.PARTNER)
    emails = emails or [f"partner{next(_counter)}@partner.test" for _ in range(count)]
    contacts = [partner_services.save_contact(None, organisation_id=organisation.id,
                                              name=f"Contact {number}", email=email,
                                              active=True)
                for number, email in enumerate(emails, start=1)]
    return partner_services.save_list(None, name=name or f"Lijst {next(_counter)}",
                                      description=None, member_ids=[c.id for c in contacts])


INFORMATIEBRIEF_VALUES = {"onderwerp": "Stapteam 2.0", "contactpersoon": "Renate Bos",
                          "telefoon": "024 329 9999", "team": "Het Stapteam is er op dinsdag.",
                          "bijlagen": "geen"}


def make_mailing(actor_id: int, recipients: int = 1):
    """A queued mailing of the built-in Informatiebrief to a new list."""
    from sqlalchemy import select

    from portal.letters import services as letter_services
    from portal.letters.models import LetterTemplate
    from portal.letters.templates import ensure_builtin_templates

    ensure_builtin_templates()
    template = db.session.scalar(select(LetterTemplate).where(
        LetterTemplate.builtin_key == "informatiebrief-stapteam"))
    return letter_services.send_to_list(
        db.session.get(User, actor_id), letter_services.MailingRequest(
            version=template.current, values=INFORMATIEBRIEF_VALUES, subject="Stapteam 2.0",
            distribution_list=make_partner_list(recipients)))


def make_intake(client, actor, *, applied_on=None):
    """The contact person's intake for an existing client (sets a date of birth if none)."""

    from portal.registrations import services

    on = applied_on or local_today()
    return services.record_intake(actor, services.IntakeData(
        applicant=services.Applicant(client.werknaam, client.date_of_birth or date(1990, 1, 1)),
        applied_on=on, reason="Zij meldt zich voor een registratie",
        id_check_document="Paspoort", id_check_date=on), client)


def make_registration(client, actor_id: int, *, status: str = "aangevraagd",
                      requested_on=None, valid_until=None, **details):
    """A registration made through the real services, moved on to `status`
    (aangevraagd, in_behandeling, verleend, afgewezen, ingetrokken, vervallen)."""
    from datetime import timedelta

    from portal.registrations import services
    from portal.registrations.lifecycle import RevocationReason

    actor = db.session.get(User, actor_id)
    today = local_today()
    requested_on = requested_on or today - timedelta(days=10)
    data = services.RequestData(requested_on=requested_on,
                                criterion=details.pop("criterion", "Meerderjarig, ingeschreven"),
                                id_check_document=details.pop("id_check_document", "Paspoort"),
                                id_check_date=details.pop("id_check_date", requested_on),
                                note=details.pop("note", None))
    make_intake(client, actor, applied_on=requested_on)
    registration = services.request_registration(actor, client, data)
    if status == "aangevraagd":
        return registration
    services.start_processing(actor, registration, requested_on)
    if status == "in_behandeling":
        return registration
    if status == "afgewezen":
        services.refuse(actor, registration, services.Decision(
            decided_on=today, reason="Voldoet niet aan het criterium"))
        return registration
    services.grant(actor, registration, services.Decision(
        decided_on=requested_on, valid_from=requested_on, valid_until=valid_until))
    if status == "ingetrokken":
        services.revoke(actor, registration, on=today,
                        reason=RevocationReason.EIGEN_VERZOEK)
    elif status == "vervallen":
        services.lapse(actor, registration, on=today, reason="Vervallen in test")
    return registration


def make_avg_request(client, created_by_id: int, *, kind: str = "inzage",
                     received_on: date | None = None):
    """An open request of the AVG register about this client."""
    from portal.clock import add_months, local_today
    from portal.privacy.models import AvgRequest

    received = received_on or local_today()
    row = AvgRequest(client_id=client.id, client_number=client.number, kind=kind,
                     received_on=received, received_via="mondeling", description="",
                     deadline=add_months(received, 1), created_by_id=created_by_id)
    db.session.add(row)
    db.session.commit()
    return row


def make_legal_hold(client, placed_by_id: int, reason: str = "Klacht in behandeling"):
    from portal.privacy.models import LegalHold

    hold = LegalHold(client_id=client.id, reason=reason, placed_by_id=placed_by_id)
    db.session.add(hold)
    db.session.commit()
    return hold


def make_destruction_record(approved_by_id: int, client_number: str = "C-2020-0001"):
    """A destruction record as erasure leaves it (counts and hashes, no content)."""
    from portal.privacy.models import DestructionRecord

    row = DestructionRecord(ground="verzoek", client_number=client_number,
                            counts={"dossier": 1, "documenten": 2},
                            file_hashes=["0" * 64, "f" * 64], approved_by_id=approved_by_id)
    db.session.add(row)
    db.session.commit()
    return row


def make_destruction_list(client, month=None):
    """A proposed destruction list with one item: this client's closed dossier."""
    from portal.privacy.models import DestructionItem, DestructionList

    proposal = DestructionList(month=month or local_today().replace(day=1), items=[
        DestructionItem(category="dossier", root_table="clients", root_id=client.id,
                        client_number=client.number, due_since=local_today(),
                        description="Dossier gesloten op 01-01-2011")])
    db.session.add(proposal)
    db.session.commit()
    return proposal


def make_inzage_pack(avg_request, created_by_id: int, document=None,
                     text: str = "Werknaam: Roos"):
    """An inzage pack waiting for review, with one passage and (optionally) one document
    whose author must agree first."""
    from portal.privacy.models import InzageDocument, InzagePack, InzagePassage

    pack = InzagePack(avg_request_id=avg_request.id, client_id=avg_request.client_id,
                      created_by_id=created_by_id, status="te_beoordelen", progress=100)
    pack.passages.append(InzagePassage(position=1, section="Basisgegevens", text=text))
    if document is not None:
        pack.documents.append(InzageDocument(document_id=document.id, include=False,
                                             needs_author=True, author_id=document.author_id))
    db.session.add(pack)
    db.session.commit()
    return pack
