"""Demo data for Vandaag: something on every role's start page (fictional, like the rest)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from portal import checks
from portal.audit.models import Action, Outcome
from portal.audit.services import record
from portal.auth.models import User
from portal.clients import services as client_services
from portal.clients.lifecycle import ClientStatus, TrajectKind
from portal.clients.models import Client, JournalEntry, StatusChange
from portal.clock import local_today
from portal.extensions import db
from portal.letters.models import OutboxMessage, OutboxStatus


def seed_demo_attention(staff: dict[str, User], clients: dict[str, Client]) -> None:
    """Noa without a casemanager; Mira quiet for three weeks; Jet in monitoring since long
    ago (her review is due); a released report about Roos by the psychologist; a failed
    delivery; refused attempts, an export and a document past retention (Eline, closed in
    2010) for the privacyfunctionaris to look at; the first storage and audit checks; a
    proposed second-factor reset waiting for approval."""
    carla = staff["casemanager@demo.stapportaal.nl"]
    today = local_today()
    client_services.create_client(carla, werknaam="Noa", preferred_language="Engels")
    db.session.execute(JournalEntry.__table__.update()
                       .where(JournalEntry.client_id == clients["Mira"].id)
                       .values(entry_date=today - timedelta(days=21)))
    _monitoring_since_long_ago(clients["Jet"], today)
    _release_report(staff["psycholoog@demo.stapportaal.nl"], clients["Roos"], carla)
    _pass_not_returned(staff["registratie@demo.stapportaal.nl"], clients["Jet"], today)
    _failed_delivery(staff["procesregie@demo.stapportaal.nl"])
    _audit_examples(staff["partner@demo.stapportaal.nl"],
                    staff["registratie@demo.stapportaal.nl"])
    _closed_long_ago(carla)
    db.session.commit()
    _proposal_waiting(staff["beheer@demo.stapportaal.nl"],
                      staff["casemanager.ldh@demo.stapportaal.nl"])
    checks.run_storage_check()
    checks.run_chain_check()


def _monitoring_since_long_ago(jet: Client, today) -> None:
    """Jet's history, dated back in order: aangemeld 180, actief 150, monitoring 120 days ago
    (so her review is due, and figures read from dates see her leave actief)."""
    days_ago = {ClientStatus.AANGEMELD.value: 180, ClientStatus.ACTIEF.value: 150,
                ClientStatus.MONITORING.value: 120}
    for change in db.session.scalars(select(StatusChange).where(
            StatusChange.client_id == jet.id)):
        if change.to_status in days_ago:
            change.changed_on = today - timedelta(days=days_ago[change.to_status])


def _release_report(psychologist: User, roos: Client, casemanager: User) -> None:
    """A diagnostiek traject for Roos naming the psychologist, and her released report."""
    from portal.demo import _word_file
    from portal.documents import services as document_services
    from portal.documents.models import DocumentKind

    client_services.add_traject(roos, casemanager, client_services.TrajectRequest(
        kind=TrajectKind.DIAGNOSTIEK, diagnosticus_id=psychologist.id))
    report = document_services.upload(
        roos, psychologist, kind=DocumentKind.DIAGNOSTIEKRAPPORT,
        title="Psychologisch onderzoek", document_date=local_today(), note=None,
        file=document_services.Upload(_word_file(
            "Diagnostiekrapport (demo, fictief)", "Een verzonnen voorbeeld voor de demo."),
            "onderzoek-roos.docx"))
    document_services.release(report, psychologist)


def _pass_not_returned(desk: User, jet: Client, today) -> None:
    """Jet moves away: her registration is revoked and her pass has not come back yet."""
    from portal.registrations import services as registrations
    from portal.registrations.lifecycle import RevocationReason
    from portal.registrations.models import Registration

    registration = db.session.scalar(select(Registration).where(Registration.client_id == jet.id))
    registrations.revoke(desk, registration, on=today, reason=RevocationReason.VERTREK)


def _proposal_waiting(beheerder: User, casemanager: User) -> None:
    """Lotte has a new phone: the beheerder proposes a new second factor, which waits for
    procesregie or the privacyfunctionaris to approve."""
    from portal.admin import services as admin_services
    from portal.admin.models import ProposalKind

    admin_services.propose_reset(casemanager, ProposalKind.TWEEDE_FACTOR, beheerder)


def _closed_long_ago(casemanager: User) -> None:
    """Eline's dossier was closed in 2010: with 15 years' retention her letter waits for the
    privacyfunctionaris' destruction decision. (Dated back by hand: the demo is made today.)"""
    from portal.demo import _word_file
    from portal.documents import services as document_services
    from portal.documents.models import DocumentKind

    eline = client_services.add_client(casemanager, werknaam="Eline")
    letter = document_services.upload(
        eline, casemanager, kind=DocumentKind.BRIEF, title="Brief over de overdracht",
        document_date=None, note=None, file=document_services.Upload(_word_file(
            "Brief (demo, fictief)", "Een verzonnen brief uit een afgesloten dossier."),
            "overdracht-eline.docx"))
    db.session.execute(update(StatusChange).where(StatusChange.client_id == eline.id)
                       .values(changed_on=date(2009, 9, 1)))
    db.session.add(StatusChange(client_id=eline.id, from_status=ClientStatus.AANGEMELD.value,
                                to_status=ClientStatus.AFGESLOTEN.value,
                                changed_on=date(2010, 5, 1), reason="Verhuisd (demo)",
                                by_id=casemanager.id))
    eline.status, eline.closed_at = ClientStatus.AFGESLOTEN.value, date(2010, 5, 1)
    letter.retention_until = document_services.retention_date(letter, eline)


def _failed_delivery(procesregisseur: User) -> None:
    """The Informatiebrief to one partner whose mailbox does not exist: the mailing has a
    failed recipient (procesregie) and the outbox a failure (beheer)."""
    from portal.letters import services as letter_services
    from portal.letters.models import LetterTemplate
    from portal.partners import services as partner_services
    from portal.partners.models import PartnerContact

    bindkracht = db.session.scalar(select(PartnerContact).where(
        PartnerContact.email == "y.elamrani@bindkracht.demo.invalid"))
    demo_list = partner_services.save_list(None, name="Bindkracht10 (demo)",
                                           description="Eén contactpersoon, om te oefenen",
                                           member_ids=[bindkracht.id])
    template = db.session.scalar(select(LetterTemplate).where(
        LetterTemplate.builtin_key == "informatiebrief-stapteam"))
    mailing = letter_services.send_to_list(procesregisseur, letter_services.MailingRequest(
        version=template.current, subject="Stapteam 2.0: wie we zijn (demo)",
        values={"onderwerp": "Stapteam 2.0", "contactpersoon": "Renate Bos",
                "telefoon": "024 329 9999", "team": "Het Stapteam is er op dinsdagavond."},
        distribution_list=demo_list))
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.letter_id.in_([letter.id for letter in mailing.letters])).values(
        status=OutboxStatus.MISLUKT.value, attempts=8,
        last_error="550 Mailbox bestaat niet (demo)"))


def _audit_examples(partner: User, desk: User) -> None:
    for _ in range(5):
        record("access.denied", Action.READ, outcome=Outcome.DENIED, user=partner,
               object_type="client", detail={"demo": True})
    record("registrations.figures_exported", Action.EXECUTE, user=desk,
           object_type="registration_figures", detail={"demo": True})
