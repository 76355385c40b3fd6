"""Every role, every page of her menu plus the object pages (dossier, document, registration,
mailing and a few forms): axe-core finds no serious or critical WCAG 2.1 A/AA violation at
1280 or 375 px, and at 375 px no page scrolls sideways."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from portal import access
from portal.clients.models import ClientStatus
from portal.clients.services import StatusRequest, add_journal_entry, change_status
from portal.clock import local_today
from portal.extensions import db
from portal.letters.templates import ensure_builtin_templates
from portal.roles import Role
from tests.e2e.conftest import page_findings
from tests.e2e.test_dossier_journey import log_in
from tests.factories import (
    make_avg_request,
    make_client,
    make_destruction_list,
    make_destruction_record,
    make_document,
    make_inzage_pack,
    make_legal_hold,
    make_mailing,
    make_referral,
    make_registration,
)
from tests.test_hours import hours_sweep_objects

pytestmark = pytest.mark.e2e


def budget_pages(regie_id: int) -> dict:
    """A subsidy with an overspent post, a counted flexbudget, a corrected and a removed
    entry; the budget pages (name: (endpoint, path)) that show them."""
    from portal.auth.models import User
    from portal.budget import services as budget
    from tests.test_budget_figures import make_entry, make_flex_traject, make_subsidy, post_id

    regie = db.session.get(User, regie_id)
    subsidy = make_subsidy(regie_id, name="Stapteam Nijmegen 2025–2026 met een lange naam",
                           casemanagement="520000", flexbudget="100", activiteiten="12000")
    make_flex_traject("1250.00", local_today() - timedelta(days=10))
    kept = make_entry(subsidy, regie_id, "4250.00", on=date(2025, 11, 3),
                      description="Huiskamer en groepsactiviteiten in het najaar van 2025")
    budget.change_entry(kept, subsidy, regie, budget.EntryData(
        post_id("activiteiten"), date(2025, 11, 3), Decimal("4200.00"), kept.description),
        "Creditnota van de leverancier verwerkt")
    gone = make_entry(subsidy, regie_id, "99.00", on=date(2025, 11, 4))
    budget.remove_entry(gone, regie, "Dubbel geboekt")
    return {"subsidie": ("budget.subsidy", f"/budget/{subsidy.id}"),
            "subsidie bewerken": ("budget.subsidy_edit", f"/budget/{subsidy.id}/bewerken"),
            "nieuwe boeking": ("budget.entry_new", f"/budget/{subsidy.id}/boeking"),
            "boeking": ("budget.entry_edit", f"/budget/boekingen/{kept.id}"),
            "verwijderde boeking": ("budget.entry_edit", f"/budget/boekingen/{gone.id}"),
            "budgetpost": ("budget.post_edit", f"/budget/posten/{post_id('overig')}")}

ROLES = [Role.BEHEERDER, Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR,
         Role.REGISTRATIECONTACTPERSOON, Role.DIAGNOSTICUS, Role.PRIVACYFUNCTIONARIS,
         Role.NETWERKPARTNER]


def four_eyes_pages(people) -> str:
    """An open proposal on the approvers' page and a live enrolment link (its token)."""
    from portal.admin import services as admin_services
    from portal.admin.models import ProposalKind
    from portal.auth import enrolment
    from portal.auth.models import User

    beheerder = db.session.get(User, people[Role.BEHEERDER].id)
    partner = db.session.get(User, people[Role.NETWERKPARTNER].id)
    admin_services.propose_reset(partner, ProposalKind.TWEEDE_FACTOR, beheerder)
    token = enrolment.issue(partner, "wachtwoord").token
    db.session.commit()
    return token


@pytest.fixture
def demo_world(app, account):
    """One person per role and the demo's kind of data, with long values where they occur."""
    from portal.auth.models import User

    people = {role: account(role, name=f"{role.label} Van den Berg-Hendriksen")
              for role in ROLES}
    today = local_today()
    with app.app_context():
        ensure_builtin_templates()
        casemanager = db.session.get(User, people[Role.CASEMANAGER].id)
        roos = make_client("Roos", casemanagers=[people[Role.CASEMANAGER]],
                           diagnosticus_id=people[Role.DIAGNOSTICUS].id,
                           ervaringsdeskundige_id=people[Role.ERVARINGSDESKUNDIGE].id,
                           legal_name="Rosalie Verzonnen", phone="06 1234 5678",
                           status="aangemeld")
        make_client("Lina", casemanagers=[people[Role.CASEMANAGER]], status="aangemeld")
        change_status(roos, casemanager, StatusRequest(
            to_status=ClientStatus.ACTIEF, changed_on=today - timedelta(days=40),
            reason="Intake gedaan in de huiskamer, zij wil graag verder met het Stapteam"))
        add_journal_entry(roos, casemanager, entry_date=today - timedelta(days=35),
                          text="Ontmoet bij de huiskamer; zij wil rust.", confidential=False)
        document = make_document(roos, people[Role.CASEMANAGER].id,
                                 title="Verslag van het eerste gesprek met de huisarts")
        registration = make_registration(roos, people[Role.REGISTRATIECONTACTPERSOON].id,
                                         status="verleend",
                                         valid_until=today + timedelta(days=20))
        mailing = make_mailing(people[Role.PROCESREGISSEUR].id, recipients=3)
        hours = hours_sweep_objects(people[Role.CASEMANAGER].id)  # her entry, a target
        referral = make_referral(people[Role.NETWERKPARTNER].id)
        budget = budget_pages(people[Role.PROCESREGISSEUR].id)
        enrolment_link = four_eyes_pages(people)
        officer_id = people[Role.PRIVACYFUNCTIONARIS].id
        avg_request = make_avg_request(roos, officer_id, kind="correctie")
        erasure_request = make_avg_request(roos, officer_id, kind="verwijdering")
        pack = make_inzage_pack(avg_request, officer_id, make_document(
            roos, people[Role.DIAGNOSTICUS].id, kind="diagnostiekrapport",
            title="Psychiatrisch onderzoek met een lange titel over de voorgeschiedenis"))
        make_legal_hold(roos, officer_id, reason="Klacht bij de geschillencommissie, "
                                                 "dossier opgevraagd door de inspectie")
        destruction = make_destruction_record(officer_id)
        retention_list = make_destruction_list(make_client(
            "Oud dossier", status="afgesloten", closed_at=today - timedelta(days=16 * 366)))
        urls = {"dossier": f"/clienten/{roos.ref}", "document": f"/documenten/{document.ref}",
                "registratie": f"/registraties/{registration.ref}",
                "verzending": f"/brieven/verzendingen/{mailing.id}"}
        template_id = mailing.template_version.template_id
        forms = {  # name: (endpoint, path); visited by the roles that may open the endpoint
            "dossier bewerken": ("clients.edit", f"/clienten/{roos.ref}/bewerken"),
            "nieuwe cliënt": ("clients.new", "/clienten/nieuw"),
            "document toevoegen": ("documents.upload", f"/documenten/client/{roos.ref}/nieuw"),
            "prullenbak": ("documents.trash", f"/documenten/client/{roos.ref}/prullenbak"),
            "brief in dossier": ("letters.client_letter", f"/brieven/client/{roos.ref}/nieuw"),
            "registratiebrief": ("registrations.letter",
                                 f"/registraties/{registration.ref}/brief"),
            "intrekken": ("registrations.change_status",
                          f"/registraties/{registration.ref}/status/ingetrokken"),
            "intake": ("registrations.intake", "/registraties/intake"),
            "intake uit dossier": ("registrations.intake",
                                   f"/registraties/intake?client={roos.ref}"),
            "aanmelding": ("referrals.detail", f"/aanmeldingen/{referral.id}"),
            "nieuwe aanmelding": ("referrals.new", "/aanmeldingen/nieuw"),
            "sjabloon": ("letters.template_detail", f"/brieven/sjablonen/{template_id}"),
            "nieuw sjabloon": ("letters.template_new", "/brieven/sjablonen/nieuw"),
            "briefbijlagen": ("letters.attachment_library", "/brieven/bijlagen"),
            "contactpersoon": ("partners.contact_edit", "/partners/contact/nieuw"),
            "verzendlijst": ("partners.list_edit", "/partners/lijsten/nieuw"),
            "gebruiker": ("admin.user_edit", f"/beheer/gebruikers/{people[Role.CASEMANAGER].id}"),
            "nieuwe gebruiker": ("admin.user_new", "/beheer/gebruikers/nieuw"),
            "activatielink": ("auth.activate", f"/account/activeren/{enrolment_link}"),
            "nieuwe organisatie": ("admin.organisation_new", "/beheer/organisaties/nieuw"),
            "zrm": ("plans.zrm", f"/clienten/{roos.ref}/zrm"),
            "plan van aanpak": ("plans.plan", f"/clienten/{roos.ref}/plan"),
            "plan als brief": ("plans.plan_letter", f"/clienten/{roos.ref}/plan/brief"),
            **budget,
            "tijd boeken": ("hours.new", f"/uren/nieuw?client={roos.ref}"),
            "boeking": ("hours.entry", f"/uren/boeking/{hours['entry_ref']}"),
            "boeking wijzigen": ("hours.edit", f"/uren/boeking/{hours['entry_ref']}/wijzigen"),
            "boeking verwijderen": ("hours.delete",
                                    f"/uren/boeking/{hours['entry_ref']}/verwijderen"),
            "urentotalen": ("hours.totals", "/uren/totalen"),
            "urennormen": ("hours.targets", "/uren/normen"),
            "urennorm wijzigen": ("hours.target_edit", f"/uren/normen/{hours['target_id']}"),
            "auditlog per cliënt": ("audit.events", f"/audit/?client={roos.number}"),
            "auditlog afdrukken": ("audit.print_view", f"/audit/afdrukken?client={roos.number}"),
            "ketencontrole": ("audit.chain", "/audit/keten"),
            "inzageverslag": ("audit.access_report", f"/audit/inzageverslag?client={roos.number}"),
            "avg-verzoek": ("privacy.request_detail", f"/privacy/verzoeken/{avg_request.id}"),
            "nieuw avg-verzoek": ("privacy.request_new", "/privacy/verzoeken/nieuw"),
            "verwijderverzoek": ("privacy.request_detail",
                                 f"/privacy/verzoeken/{erasure_request.id}"),
            "bewaarplicht": ("privacy.holds_page", "/privacy/bewaarplicht"),
            "inzagepakket": ("privacy.inzage_pack", f"/privacy/inzage/{pack.id}"),
            "vernietigingen": ("privacy.destructions", "/privacy/vernietigingen"),
            "vernietigingsverklaring": ("privacy.destruction_detail",
                                        f"/privacy/vernietigingen/{destruction.id}"),
            "vernietigingslijsten": ("privacy.destruction_lists", "/privacy/vernietigingslijst"),
            "vernietigingslijst": ("privacy.destruction_list",
                                   f"/privacy/vernietigingslijst/{retention_list.id}"),
            "sessies": ("auth.sessions", "/account/sessies"),
            "wachtwoord": ("auth.change_password", "/account/wachtwoord"),
            "stand van zaken voor publicatie": (
                "verantwoording.report", "/verantwoording/stand-van-zaken?versie=publicatie"),
        }
        extra = {role: [path for endpoint, path in forms.values()
                        if access.may_open(db.session.get(User, people[role].id), endpoint)]
                 for role in ROLES}
    return people, urls, extra


def test_every_page_of_every_role_passes_axe_at_desktop_and_phone_width(
        demo_world, live_server, open_page):
    people, urls, extra = demo_world
    findings: list[str] = []
    opened: dict[str, list[str]] = {name: [] for name in urls}
    checked = 0
    for role in ROLES:
        page = open_page()
        log_in(page, live_server, people[role])  # checks the login pages on the way
        menu = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link")
        targets = [link.get_attribute("href") for link in menu.all()]
        assert targets, f"{role}: geen menu"
        visits = ([(href, None) for href in targets] + [(url, name) for name, url in urls.items()]
                  + [(path, None) for path in extra[role]])
        for path, name in visits:
            response = page.goto(live_server + path)
            assert response.status in (200, 403, 404), (role, path, response.status)
            if name and response.status == 200:
                opened[name].append(role)
            findings += [f"{role} {path}: {line}" for line in page_findings(page)]
            checked += 1
        page.context.close()
    assert [name for name, roles in opened.items() if not roles] == []
    assert all(extra.values()) and checked > len(ROLES) * (len(urls) + 2)
    assert not findings, f"{len(findings)} bevindingen:\n" + "\n".join(findings)
