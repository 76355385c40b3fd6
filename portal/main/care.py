"""Vandaag lists of the care team: casemanager, ervaringsdeskundige and procesregie."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import Select, and_, func, or_, select

from portal import access
from portal.auth.models import Organisation
from portal.clients.lifecycle import ClientStatus, TrajectStatus
from portal.clients.models import Client, StatusChange, Traject, client_casemanagers
from portal.documents.models import Document, DocumentKind
from portal.letters.models import Letter, Mailing, OutboxMessage, OutboxStatus
from portal.main.items import (
    AttentionList,
    Context,
    Item,
    client_label,
    client_url,
    last_contact,
    mine,
    nl_date,
)
from portal.plans import progress
from portal.privacy.models import AvgRequest, RequestStatus
from portal.referrals.models import Referral
from portal.registrations import settings as registration_settings
from portal.registrations.lifecycle import RegistrationStatus
from portal.registrations.models import Registration
from portal.roles import Role

OPEN_CLIENT = (ClientStatus.AANGEMELD.value, ClientStatus.ACTIEF.value,
               ClientStatus.MONITORING.value)


# --- casemanager -----------------------------------------------------------------------------

def _new_assignments(ctx: Context) -> Select:
    return (select(Client, client_casemanagers.c.assigned_at)
            .join(client_casemanagers, client_casemanagers.c.client_id == Client.id)
            .where(client_casemanagers.c.user_id == ctx.user.id,
                   client_casemanagers.c.assigned_at >= ctx.recent,
                   access.client_scope(ctx.user))
            .order_by(client_casemanagers.c.assigned_at.desc(), Client.id))


def _new_assignment_item(row, ctx) -> Item:
    return Item(client_label(row[0]), client_url(row[0]),
                f"toegewezen op {nl_date(row[1])}")


def _released_reports(ctx: Context) -> Select:
    return (select(Document, Client).join(Client, Client.id == Document.client_id)
            .where(access.document_scope(ctx.user),
                   Document.kind == DocumentKind.DIAGNOSTIEKRAPPORT.value,
                   Document.released_at >= ctx.recent, Document.author_id != ctx.user.id)
            .order_by(Document.released_at.desc(), Document.id))


def _report_item(row, ctx) -> Item:
    document, client = row
    when = f"vrijgegeven op {nl_date(document.released_at)}" if document.released_at else \
        "nog niet vrijgegeven"
    return Item(f"{document.title} — {client_label(client)}",
                url_for("documents.detail", document_ref=document.ref), when,
                client_id=client.id)


def reminder_days() -> int:
    return registration_settings.current().reminder_days


def ending_registrations(ctx: Context, own_clients: bool) -> Select:
    query = (select(Registration, Client).join(Client, Client.id == Registration.client_id)
             .where(Registration.status == RegistrationStatus.VERLEEND.value,
                    Registration.valid_until >= ctx.today,
                    Registration.valid_until <= ctx.today + timedelta(days=reminder_days()),
                    access.client_scope(ctx.user))
             .order_by(Registration.valid_until, Registration.id))
    return query.where(mine(ctx.user)) if own_clients else query


def _ending_cm(ctx: Context) -> Select:
    return ending_registrations(ctx, own_clients=True)


def _ending_item_dossier(row, ctx) -> Item:
    registration, client = row
    return Item(client_label(client), client_url(client),
                f"registratie {registration.number} geldig tot en met "
                f"{nl_date(registration.valid_until)}",
                client_id=client.id)


def _trajecten(ctx: Context) -> Select:
    overdue = and_(Traject.status == TrajectStatus.LOPEND.value, Traject.end_date < ctx.today)
    waiting = and_(Traject.status == TrajectStatus.VOORGESTELD.value,
                   or_(Traject.start_date.is_(None), Traject.start_date <= ctx.today))
    return (select(Traject, Client).join(Client, Client.id == Traject.client_id)
            .where(mine(ctx.user, Traject.client_id), or_(overdue, waiting),
                   access.traject_kind_scope(ctx.user))
            .order_by(func.coalesce(Traject.end_date, Traject.start_date, ctx.today),
                      Traject.id))


def _traject_item(row, ctx) -> Item:
    traject, client = row
    if traject.status == TrajectStatus.LOPEND.value:
        detail = f"{traject.kind_label}: einddatum {nl_date(traject.end_date)} is voorbij"
    else:
        detail = f"{traject.kind_label}: wacht op start"
    return Item(client_label(client), client_url(client), detail,
                client_id=client.id)


def _quiet(ctx: Context, own) -> Select:
    last = last_contact()
    return (select(Client, last.label("last_contact"))
            .where(own, Client.status.in_(OPEN_CLIENT), access.client_scope(ctx.user),
                   or_(last.is_(None), last < ctx.days_ago(ctx.quiet_days)))
            .order_by(last.is_not(None), last, Client.id))


def _quiet_cm(ctx: Context) -> Select:
    return _quiet(ctx, mine(ctx.user))


def _quiet_ed(ctx: Context) -> Select:
    return _quiet(ctx, Client.ervaringsdeskundige_id == ctx.user.id)


def _quiet_item(row, ctx) -> Item:
    client, last = row
    detail = f"laatste contact {nl_date(last)}" if last else "nog geen contact vastgelegd"
    return Item(client_label(client), client_url(client), detail,
                client_id=client.id)


def _failed_letters(ctx: Context) -> Select:
    failed = select(OutboxMessage.letter_id).where(
        OutboxMessage.status == OutboxStatus.MISLUKT.value)
    return (select(Letter, Client).outerjoin(Client, Client.id == Letter.client_id)
            .where(Letter.created_by_id == ctx.user.id, Letter.id.in_(failed))
            .order_by(Letter.created_at.desc(), Letter.id))


def _failed_letter_item(row, ctx) -> Item:
    letter, client = row
    if letter.mailing_id:
        url = url_for("letters.mailing", mailing_id=letter.mailing_id)
    elif client is not None:
        url = client_url(client)
    else:
        url = url_for("letters.mailings")
    return Item(f"{letter.subject} ({letter.kenmerk})", url,
                f"gemaakt op {nl_date(letter.created_at)}; verzending mislukt",
                client_id=client.id if client else None)


def _reassessments(ctx: Context) -> Select:
    return progress.due_assessments(ctx.user, ctx.today)


def _reassessment_item(row, ctx) -> Item:
    client, last_on = row
    if last_on is None:
        detail = "nog geen ZRM-meting"
    else:
        detail = (f"laatste ZRM-meting {nl_date(last_on)}; nieuwe meting uiterlijk "
                  f"{nl_date(progress.next_due(last_on))}")
    return Item(client_label(client), url_for("plans.zrm", ref=client.ref), detail,
                client_id=client.id)


def _avg_requests(ctx: Context) -> Select:
    """Open AVG requests about her own clients: the privacyfunctionaris decides, with her."""
    due = func.coalesce(AvgRequest.extended_until, AvgRequest.deadline)
    return (select(AvgRequest, Client).join(Client, Client.id == AvgRequest.client_id)
            .join(client_casemanagers, client_casemanagers.c.client_id == Client.id)
            .where(client_casemanagers.c.user_id == ctx.user.id,
                   AvgRequest.status != RequestStatus.AFGEHANDELD.value)
            .order_by(due, AvgRequest.id))


def _avg_item(row, ctx) -> Item:
    request, client = row
    detail = f"termijn {nl_date(request.due_on)}" + (
        "" if request.casemanager_note else "; uw bijdrage ontbreekt nog")
    return Item(f"{client_label(client)}: {request.kind_enum.label.lower()}",
                url_for("privacy.request_detail", request_id=request.id), detail,
                client_id=client.id)


# --- procesregisseur -------------------------------------------------------------------------

def _waiting_referrals(ctx: Context) -> Select:
    return (select(Referral, Organisation.name)
            .join(Organisation, Organisation.id == Referral.organisation_id)
            .where(Referral.triage_outcome.is_(None), Referral.withdrawn_at.is_(None))
            .order_by(Referral.received_on, Referral.id))


def _referral_item(row, ctx) -> Item:
    referral, organisation = row
    days = (ctx.today - referral.received_on).days
    return Item(f"{referral.kind_label} van {organisation} ({nl_date(referral.received_on)})",
                url_for("referrals.detail", referral_id=referral.id),
                f"wacht {days} {'dag' if days == 1 else 'dagen'} op triage")


def _without_casemanager(ctx: Context) -> Select:
    return (select(Client).where(~Client.casemanagers.any(), Client.status.in_(OPEN_CLIENT),
                                 access.client_scope(ctx.user))
            .order_by(Client.created_at, Client.id))


def _plain_client_item(row, ctx) -> Item:
    client = row[0]
    return Item(client_label(client), client_url(client),
                f"dossier sinds {nl_date(client.created_at)}",
                client_id=client.id)


def _monitoring_since():
    return (select(func.max(StatusChange.changed_on))
            .where(StatusChange.client_id == Client.id,
                   StatusChange.to_status == ClientStatus.MONITORING.value).scalar_subquery())


def _monitoring_due(ctx: Context) -> Select:
    since = _monitoring_since()
    due = ctx.days_ago(current_app.config["ATTENTION_MONITORING_REVIEW_DAYS"])
    return (select(Client, since.label("since"))
            .where(Client.status == ClientStatus.MONITORING.value, since <= due,
                   access.client_scope(ctx.user))
            .order_by(since, Client.id))


def _monitoring_item(row, ctx) -> Item:
    client, since = row
    review = since + timedelta(days=current_app.config["ATTENTION_MONITORING_REVIEW_DAYS"])
    return Item(client_label(client), client_url(client),
                f"in monitoring sinds {nl_date(since)}; evaluatie was {nl_date(review)}",
                client_id=client.id)


def _failed_mailings(ctx: Context) -> Select:
    failed = func.count(OutboxMessage.id)
    return (select(Mailing.id, Mailing.subject, failed)
            .join(Letter, Letter.mailing_id == Mailing.id)
            .join(OutboxMessage, OutboxMessage.letter_id == Letter.id)
            .where(OutboxMessage.status == OutboxStatus.MISLUKT.value)
            .group_by(Mailing.id, Mailing.subject).order_by(Mailing.id.desc()))


def _mailing_item(row, ctx) -> Item:
    mailing_id, subject, failed = row
    return Item(subject, url_for("letters.mailing", mailing_id=mailing_id),
                f"{failed} {'ontvanger' if failed == 1 else 'ontvangers'} mislukt")


_CM, _ED, _PR = Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR
CARE_LISTS = (
    AttentionList("cm_nieuw", _CM, "Nieuw aan u toegewezen",
                  "Geen nieuwe cliënten aan u toegewezen.", _new_assignments,
                  _new_assignment_item),
    AttentionList("cm_rapporten", _CM, "Vrijgegeven diagnostiekrapporten",
                  "Geen nieuw vrijgegeven rapporten.", _released_reports, _report_item),
    AttentionList("cm_registraties", _CM, "Registraties die binnenkort aflopen",
                  "Geen registraties van uw cliënten die binnenkort aflopen.", _ending_cm,
                  _ending_item_dossier),
    AttentionList("cm_trajecten", _CM, "Trajecten over de einddatum of wachtend op start",
                  "Geen trajecten die aandacht vragen.", _trajecten, _traject_item),
    AttentionList("cm_stil", _CM, "Cliënten zonder recent journaalcontact",
                  "Alle cliënten hebben recent contact gehad.", _quiet_cm, _quiet_item),
    AttentionList("cm_zrm", _CM, "ZRM-meting nodig",
                  "Geen ZRM-metingen die nodig zijn.", _reassessments, _reassessment_item),
    AttentionList("cm_brieven", _CM, "Brieven waarvan de verzending mislukte",
                  "Geen mislukte verzendingen.", _failed_letters, _failed_letter_item),
    AttentionList("cm_avg", _CM, "AVG-verzoeken van uw cliënten",
                  "Geen open AVG-verzoeken van uw cliënten.", _avg_requests, _avg_item),
    AttentionList("ed_stil", _ED, "Uw cliënten zonder recent contact",
                  "Alle cliënten hebben recent contact gehad.", _quiet_ed, _quiet_item),
    AttentionList("pr_triage", _PR, "Aanmeldingen die wachten op triage",
                  "Geen aanmeldingen die wachten.", _waiting_referrals, _referral_item),
    AttentionList("pr_zonder_cm", _PR, "Dossiers zonder casemanager",
                  "Elk lopend dossier heeft een casemanager.", _without_casemanager,
                  _plain_client_item),
    AttentionList("pr_monitoring", _PR, "Monitoring: evaluatiedatum verstreken",
                  "Geen cliënten in monitoring met een verstreken evaluatiedatum.",
                  _monitoring_due, _monitoring_item),
    AttentionList("pr_verzendingen", _PR, "Verzendingen met mislukte ontvangers",
                  "Geen verzendingen met mislukte ontvangers.", _failed_mailings,
                  _mailing_item),
)
