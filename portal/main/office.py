"""Vandaag lists of the registration desk, diagnostics, beheer and the privacyfunctionaris."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import Select, and_, func, literal, or_, select

from portal import access, checks
from portal.audit.labels import event_label
from portal.audit.models import AuditEvent, Outcome
from portal.auth.models import User
from portal.clients.lifecycle import TrajectKind, TrajectStatus
from portal.clients.models import Client, Traject
from portal.documents.models import Document, DocumentKind, DocumentVersion
from portal.documents.retention import past_retention
from portal.letters.models import OutboxMessage, OutboxStatus
from portal.main.care import ending_registrations
from portal.main.items import (
    AttentionList,
    Context,
    Item,
    client_label,
    client_url,
    nl_date,
    nl_datetime,
)
from portal.privacy.models import (
    AvgRequest,
    DestructionList,
    InzageDocument,
    InzagePack,
    RequestStatus,
)
from portal.registrations import settings as registration_settings
from portal.registrations.daypasses import default_evening
from portal.registrations.lifecycle import (
    ENDED_STATUSES,
    OPEN_REQUEST_STATUSES,
    RegistrationStatus,
)
from portal.registrations.models import DayPassEvening, Registration
from portal.roles import Role

# Audit events that take data out of the portal.
EXPORT_EVENTS = ("documents.downloaded", "letters.downloaded", "letters.pdf_downloaded",
                 "letters.attachment_downloaded", "letters.template_downloaded",
                 "plans.plan_letter_downloaded", "plans.plan_letter_pdf_downloaded",
                 "registrations.figures_exported", "verantwoording.report_exported",
                 "audit.log_exported", "audit.log_printed", "audit.access_report_downloaded")


# --- registratiecontactpersoon ---------------------------------------------------------------

def _registrations(ctx: Context) -> Select:
    return (select(Registration, Client).join(Client, Client.id == Registration.client_id)
            .where(access.client_scope(ctx.user)))


def _requests(ctx: Context) -> Select:
    return (_registrations(ctx)
            .where(Registration.status.in_([s.value for s in OPEN_REQUEST_STATUSES]))
            .order_by(Registration.requested_on, Registration.id))


def _request_item(row, ctx) -> Item:
    registration, client = row
    days = (ctx.today - registration.requested_on).days
    return Item(f"{registration.number} — {client.werknaam}",
                url_for("registrations.detail", registration_ref=registration.ref),
                f"{RegistrationStatus(registration.status).label}, aangevraagd op "
                f"{nl_date(registration.requested_on)} ({days} dagen)",
                client_id=client.id)


def _ending(ctx: Context) -> Select:
    return ending_registrations(ctx, own_clients=False)


def _ending_item(row, ctx) -> Item:
    registration, client = row
    return Item(f"{registration.number} — {client.werknaam}",
                url_for("registrations.detail", registration_ref=registration.ref),
                f"geldig tot en met {nl_date(registration.valid_until)}",
                client_id=client.id)


def _passes_out(ctx: Context) -> Select:
    return (_registrations(ctx)
            .where(Registration.status.in_(ENDED_STATUSES),
                   Registration.pass_issued_on.is_not(None),
                   Registration.pass_returned_on.is_(None))
            .order_by(Registration.ended_on, Registration.id))


def _pass_item(row, ctx) -> Item:
    registration, client = row
    return Item(f"{registration.number} — {client.werknaam}",
                url_for("registrations.detail", registration_ref=registration.ref),
                f"{RegistrationStatus(registration.status).label} op "
                f"{nl_date(registration.ended_on)}; pas niet ingeleverd",
                client_id=client.id)


def _day_passes(ctx: Context) -> Select:
    tonight = default_evening()
    counted = (select(DayPassEvening.passes).where(DayPassEvening.evening == tonight)
               .scalar_subquery())
    shown = registration_settings.current().day_pass_mode
    return select(literal(tonight).label("evening"),
                  func.coalesce(counted, 0).label("passes")).where(literal(shown))


def _day_pass_item(row, ctx) -> Item:
    cap = registration_settings.current().day_pass_max
    evening, passes = row[0], row[1]
    return Item(f"{passes} van {cap} dagpassen uitgegeven",
                url_for("registrations.day_passes"), f"avond van {nl_date(evening)}")


# --- diagnosticus ----------------------------------------------------------------------------

def _unreleased(ctx: Context) -> Select:
    """Her reports without a release, or with a newer version than the one released."""
    latest = (select(func.max(DocumentVersion.number))
              .where(DocumentVersion.document_id == Document.id).scalar_subquery())
    return (select(Document, Client).join(Client, Client.id == Document.client_id)
            .where(Document.author_id == ctx.user.id, access.document_scope(ctx.user),
                   Document.kind == DocumentKind.DIAGNOSTIEKRAPPORT.value,
                   or_(Document.released_at.is_(None), Document.released_version < latest))
            .order_by(Document.created_at, Document.id))


def _unreleased_item(row, ctx) -> Item:
    document, client = row
    return Item(f"{document.title} — {client_label(client)}",
                url_for("documents.detail", document_ref=document.ref),
                f"toegevoegd op {nl_date(document.created_at)}; nog niet vrijgegeven",
                client_id=client.id)


def _inzage_reports(ctx: Context) -> Select:
    """Her reports in an inzage pack that wait for her agreement (or refusal)."""
    return (select(InzageDocument, InzagePack).join(InzagePack)
            .where(InzageDocument.author_id == ctx.user.id, InzageDocument.needs_author,
                   InzageDocument.author_answer.is_(None), InzagePack.status == "te_beoordelen")
            .order_by(InzageDocument.id))


def _inzage_report_item(row, ctx) -> Item:
    item, pack = row
    return Item(f"{item.document.title} ({pack.client_number})",
                url_for("privacy.author_requests"),
                "inzageverzoek: gaat uw rapport mee?")


def _open_destruction_lists(ctx: Context) -> Select:
    return (select(DestructionList).where(DestructionList.executed_at.is_(None))
            .order_by(DestructionList.month))


def _destruction_list_item(row, ctx) -> Item:
    proposal = row[0]
    return Item(f"Vernietigingslijst {proposal.month_label}",
                url_for("privacy.destruction_list", retention_list_id=proposal.id),
                f"{len(proposal.items)} onderdeel/onderdelen voorgesteld")


def _new_diagnostics(ctx: Context) -> Select:
    return (select(Traject, Client).join(Client, Client.id == Traject.client_id)
            .where(Traject.kind == TrajectKind.DIAGNOSTIEK.value,
                   Traject.diagnosticus_id == ctx.user.id, access.client_scope(ctx.user),
                   or_(Traject.status == TrajectStatus.VOORGESTELD.value,
                       Traject.created_at >= ctx.recent))
            .order_by(Traject.created_at.desc(), Traject.id))


def _diagnostics_item(row, ctx) -> Item:
    traject, client = row
    return Item(client_label(client), client_url(client),
                f"diagnostiek {traject.status_label.lower()} sinds {nl_date(traject.created_at)}",
                client_id=client.id)


# --- beheerder -------------------------------------------------------------------------------

def _outbox_failures(ctx: Context) -> Select:
    return (select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.MISLUKT.value)
            .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id))


def _outbox_item(row, ctx) -> Item:
    message = row[0]
    return Item(f"{message.subject} aan {message.recipient}", None,
                f"{message.attempts} pogingen; {message.last_error or 'onbekende fout'}")


def _accounts(ctx: Context) -> Select:
    unused = ctx.now - timedelta(days=current_app.config["ATTENTION_UNUSED_ACCOUNT_DAYS"])
    return (select(User).where(User.active.is_(True), or_(
        User.totp_secret.is_(None),
        User.last_login_at < unused,
        and_(User.last_login_at.is_(None), User.created_at < unused)))
        .order_by(User.totp_secret.is_not(None), User.name, User.id))


def _account_item(row, ctx) -> Item:
    user = row[0]
    reason = "geen tweede factor" if user.totp_secret is None else \
        f"laatst ingelogd {nl_date(user.last_login_at) if user.last_login_at else 'nooit'}"
    return Item(user.name, url_for("admin.user_edit", user_id=user.id), reason)


def _checks(ctx: Context) -> Select:
    return checks.latest_runs()


def _check_item(row, ctx) -> Item:
    run = row[0]
    if run.ok:
        state, detail = "in orde", f"{run.checked} gecontroleerd"
    else:
        state = "NIET in orde"
        detail = f"{run.problems} {'probleem' if run.problems == 1 else 'problemen'} in " \
                 f"{run.checked} gecontroleerd"
    return Item(f"{run.kind_label}: {state}", url_for("admin.checks"),
                f"{detail}; uitgevoerd op {nl_datetime(run.ran_at)}")


# --- four eyes: procesregisseur or privacyfunctionaris ----------------------------------------

def _proposals(ctx: Context) -> Select:
    """Proposals she may decide: not her own, not about her, and only with an approver role."""
    from portal.access import powers
    from portal.admin.models import PowerProposal, ProposalStatus

    return (select(PowerProposal).where(
        PowerProposal.status == ProposalStatus.OPEN.value,
        PowerProposal.proposed_by_id != ctx.user.id, PowerProposal.user_id != ctx.user.id,
        literal(powers.may_decide_at_all(ctx.user)))
        .order_by(PowerProposal.proposed_at, PowerProposal.id))


def _proposals_pf(ctx: Context) -> Select:  # shown once to someone with both roles
    return _proposals(ctx).where(literal(not ctx.user.has_role(Role.PROCESREGISSEUR)))


def _proposal_item(row, ctx) -> Item:
    proposal = row[0]
    return Item(f"{proposal.kind_label}: {proposal.user.name}", url_for("admin.proposals"),
                f"voorgesteld door {proposal.proposed_by.name} op "
                f"{nl_date(proposal.proposed_at)}")


# --- privacyfunctionaris ---------------------------------------------------------------------

def _bursts(ctx: Context) -> Select:
    denied = func.count(AuditEvent.id)
    return (select(AuditEvent.user_name, denied.label("denied"),
                   func.max(AuditEvent.occurred_at).label("last"))
            .where(AuditEvent.outcome == Outcome.DENIED.value,
                   AuditEvent.occurred_at >= ctx.now - timedelta(days=7))
            .group_by(AuditEvent.user_name)
            .having(denied >= current_app.config["ATTENTION_DENIAL_BURST"])
            .order_by(denied.desc(), AuditEvent.user_name))


def _burst_item(row, ctx) -> Item:
    user_name, denied, last = row[0], row[1], row[2]
    return Item(f"{user_name or 'onbekend'}: {denied} geweigerde toegangen",
                url_for("audit.events", gebruiker=user_name or "",
                        uitkomst=Outcome.DENIED.value,
                        van=(ctx.today - timedelta(days=7)).isoformat()),
                f"laatste op {nl_date(last)}")


def _exports(ctx: Context) -> Select:
    return (select(AuditEvent).where(AuditEvent.event.in_(EXPORT_EVENTS),
                                     AuditEvent.occurred_at >= ctx.now - timedelta(days=30))
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id))


def _past_retention(ctx: Context) -> Select:
    """Documents past their retention date, per client: they wait for her destruction list."""
    oldest = func.min(Document.retention_until)
    return (select(Client.number, func.count(Document.id).label("documents"),
                   oldest.label("oldest"))
            .join(Client, Client.id == Document.client_id)
            .where(past_retention(ctx.today)).group_by(Client.number)
            .order_by(oldest, Client.number))


def _retention_item(row, ctx) -> Item:
    number, documents, oldest = row
    return Item(f"{number}: {documents} {'document' if documents == 1 else 'documenten'} "
                "voorbij de bewaartermijn", url_for("audit.retention"),
                f"bewaartermijn verstreken sinds {nl_date(oldest)}")


def _avg_due(ctx: Context) -> Select:
    """Open AVG requests whose term ends within a week or has passed, the nearest first."""
    due = func.coalesce(AvgRequest.extended_until, AvgRequest.deadline)
    return (select(AvgRequest).where(AvgRequest.status != RequestStatus.AFGEHANDELD.value,
                                     due <= ctx.today + timedelta(days=7))
            .order_by(due, AvgRequest.id))


def _avg_item(row, ctx) -> Item:
    request = row[0]
    left = (request.due_on - ctx.today).days
    when = f"{-left} dag(en) verstreken" if left < 0 else f"nog {left} dag(en)"
    return Item(f"{request.client_number}: {request.kind_enum.label.lower()}",
                url_for("privacy.request_detail", request_id=request.id),
                f"termijn {nl_date(request.due_on)}, {when}")


def _export_item(row, ctx) -> Item:
    event = row[0]
    day = event.occurred_at.date()
    return Item(f"{event.user_name or 'onbekend'}: {event_label(event.event).lower()}",
                url_for("audit.events", gebruiker=event.user_name or "", van=day.isoformat(),
                        tot=day.isoformat()),
                f"op {nl_date(event.occurred_at)}")


_RC, _DI, _BH, _PF = (Role.REGISTRATIECONTACTPERSOON, Role.DIAGNOSTICUS, Role.BEHEERDER,
                      Role.PRIVACYFUNCTIONARIS)
OFFICE_LISTS = (
    AttentionList("rc_aanvragen", _RC, "Aanvragen die wachten op een besluit",
                  "Geen aanvragen die wachten.", _requests, _request_item),
    AttentionList("rc_aflopend", _RC, "Registraties die binnenkort aflopen",
                  "Geen registraties die binnenkort aflopen.", _ending, _ending_item),
    AttentionList("rc_passen", _RC, "Passen niet ingeleverd na een einde",
                  "Alle passen van beëindigde registraties zijn ingeleverd.", _passes_out,
                  _pass_item),
    AttentionList("rc_dagpassen", _RC, "Dagpassen vanavond",
                  "De dagpasregistratie staat uit.", _day_passes, _day_pass_item,
                  counted=False),
    AttentionList("di_concept", _DI, "Rapporten nog niet vrijgegeven",
                  "Al uw rapporten zijn vrijgegeven.", _unreleased, _unreleased_item),
    AttentionList("di_inzage", _DI, "Inzageverzoeken: gaat uw rapport mee?",
                  "Geen inzageverzoeken voor uw rapporten.", _inzage_reports,
                  _inzage_report_item),
    AttentionList("di_trajecten", _DI, "Nieuwe diagnostiektrajecten op uw naam",
                  "Geen nieuwe diagnostiektrajecten.", _new_diagnostics, _diagnostics_item),
    AttentionList("bh_outbox", _BH, "Mislukte verzendingen in de outbox",
                  "Geen mislukte verzendingen.", _outbox_failures, _outbox_item),
    AttentionList("bh_accounts", _BH, "Accounts zonder tweede factor of lang niet gebruikt",
                  "Alle actieve accounts hebben een tweede factor en worden gebruikt.",
                  _accounts, _account_item),
    AttentionList("bh_controles", _BH, "Controles van opslag en auditketen",
                  "Nog geen controle uitgevoerd. De nachtelijke taak draait om 04:00; of start "
                  "'flask portal check-storage' en 'flask portal audit-verify'.",
                  _checks, _check_item, counted=False),
    AttentionList("ap_voorstellen", Role.PROCESREGISSEUR, "Voorstellen die wachten op uw "
                  "goedkeuring", "Geen voorstellen die wachten.", _proposals, _proposal_item),
    AttentionList("pf_voorstellen", _PF, "Voorstellen die wachten op uw goedkeuring",
                  "Geen voorstellen die wachten.", _proposals_pf, _proposal_item),
    AttentionList("pf_avg", _PF, "AVG-verzoeken met een termijn binnen 7 dagen of verstreken",
                  "Geen AVG-verzoeken met een naderende termijn.", _avg_due, _avg_item),
    AttentionList("pf_weigeringen", _PF, "Reeksen geweigerde toegang (7 dagen)",
                  "Geen opvallende reeksen geweigerde toegang.", _bursts, _burst_item),
    AttentionList("pf_exports", _PF, "Exports (30 dagen)", "Geen exports gemaakt.",
                  _exports, _export_item),
    AttentionList("pf_vernietigingslijst", _PF, "Vernietigingslijst wacht op uw besluit",
                  "Geen vernietigingslijst die wacht.", _open_destruction_lists,
                  _destruction_list_item),
    AttentionList("pf_bewaartermijn", _PF, "Voorbij de bewaartermijn: wacht op uw besluit",
                  "Geen documenten voorbij de bewaartermijn.", _past_retention,
                  _retention_item),
)
