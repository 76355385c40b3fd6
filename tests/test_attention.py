"""Vandaag: each role's start page lists what needs her attention, within her need-to-know."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import insert, update

from portal.audit.models import Action, AuditEvent, Outcome
from portal.audit.services import record
from portal.auth.models import User
from portal.clients.models import Client, JournalEntry, StatusChange, Traject, client_casemanagers
from portal.clock import local_today
from portal.database import utcnow
from portal.documents import services as document_services
from portal.extensions import db
from portal.letters.models import (
    Letter,
    LetterTemplate,
    Mailing,
    OutboxMessage,
    OutboxStatus,
    TemplateVersion,
)
from portal.registrations.models import DayPassEvening
from portal.roles import Role
from tests.conftest import csrf_token, log_in
from tests.database import counted_statements
from tests.factories import (
    make_client,
    make_document,
    make_referral,
    make_registration,
    make_user,
)


def failed_mailing(actor_id: int, recipients: int, failed: int, error: str = "Time-out"):
    """A mailing of `recipients` letters of which `failed` could not be delivered (rows only:
    the start page reads states, it renders nothing)."""
    template = LetterTemplate(name="Informatiebrief", purpose="partnerbrief")
    db.session.add(template)
    db.session.flush()
    version = TemplateVersion(template_id=template.id, number=1, fields=[], sha256="0" * 64,
                              storage_key=secrets.token_hex(8), size=1)
    db.session.add(version)
    db.session.flush()
    mailing = Mailing(template_version_id=version.id, subject="Stapteam 2.0", values={},
                      created_by_id=actor_id)
    db.session.add(mailing)
    db.session.flush()
    for n in range(recipients):
        letter = Letter(kenmerk=f"T/{secrets.token_hex(4)}", mailing_id=mailing.id,
                        template_version_id=version.id, subject="Stapteam 2.0",
                        letter_date=local_today(), values={}, storage_key=secrets.token_hex(8),
                        sha256="0" * 64, size=1, created_by_id=actor_id)
        db.session.add(letter)
        db.session.flush()
        db.session.add(OutboxMessage(
            letter_id=letter.id, recipient=f"partner{n}@example.org", subject="Stapteam 2.0",
            body="", message_id=secrets.token_hex(8), last_error=error if n < failed else None,
            status=(OutboxStatus.MISLUKT if n < failed else OutboxStatus.VERZONDEN).value))
    db.session.commit()
    return mailing


def page(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(html: str, key: str) -> str:
    """The HTML of one list on the start page."""
    start = html.index(f'aria-labelledby="{key}"')
    return html[start:html.index("</section>", start)]


def count_of(html: str, key: str) -> int:
    part = section(html, key)
    head = part[part.index("<h3"):part.index("</h3>")]
    return int(head.rsplit("(", 1)[1].split(")")[0])


def quiet(client_obj, days: int, author_id: int) -> None:
    db.session.add(JournalEntry(client_id=client_obj.id, author_id=author_id,
                                entry_date=local_today() - timedelta(days=days), text="Contact"))
    db.session.commit()


def test_casemanager_sees_her_lists_and_not_a_colleagues(app, client):
    with app.app_context():
        cm = make_user(Role.CASEMANAGER, name="Carla")
        other = make_user(Role.CASEMANAGER, name="Olga")
        doctor = make_user(Role.DIAGNOSTICUS, name="Dokter")
        desk = make_user(Role.REGISTRATIECONTACTPERSOON)
        roos = make_client("Roos", casemanagers=[cm], diagnosticus_id=doctor.id)
        lisa = make_client("Lisa", casemanagers=[other], diagnosticus_id=doctor.id)
        quiet(roos, 30, cm.id)
        quiet(lisa, 1, other.id)
        for owner in (roos, lisa):
            report = make_document(owner, doctor.id, kind="diagnostiekrapport",
                                   title=f"Rapport {owner.werknaam}")
            document_services.release(report, db.session.get(User, doctor.id))
        make_registration(roos, desk.id, status="verleend",
                          valid_until=local_today() + timedelta(days=10))
        make_registration(lisa, desk.id, status="verleend",
                          valid_until=local_today() + timedelta(days=10))
        db.session.add(Traject(client_id=roos.id, kind="time-out", status="lopend",
                               end_date=local_today() - timedelta(days=3)))
        db.session.add(Traject(client_id=lisa.id, kind="time-out", status="lopend",
                               end_date=local_today() - timedelta(days=3)))
        db.session.commit()
    log_in(client, cm)
    html = page(client)
    assert "Roos" in section(html, "cm_nieuw") and "Lisa" not in section(html, "cm_nieuw")
    assert "Rapport Roos" in section(html, "cm_rapporten")
    assert "Rapport Lisa" not in html  # a released report only of her own clients
    assert "Roos" in section(html, "cm_registraties")
    assert "Lisa" not in section(html, "cm_registraties")
    assert "einddatum" in section(html, "cm_trajecten")
    assert "Roos" in section(html, "cm_stil") and "Lisa" not in section(html, "cm_stil")
    assert count_of(html, "cm_rapporten") == 1
    # The menu count adds up the counted lists (new, report, registration, traject, quiet,
    # and the ZRM: Roos has never been assessed).
    assert '(6<span class="visually-hidden"> items vragen aandacht</span>)' in html


def test_quiet_setting_and_assignment_age_decide(app, make_app, client):
    app = make_app(ATTENTION_QUIET_DAYS=40)
    client = app.test_client()
    with app.app_context():
        cm = make_user(Role.CASEMANAGER)
        roos = make_client("Roos", casemanagers=[cm])
        quiet(roos, 30, cm.id)
        db.session.execute(update(client_casemanagers).values(
            assigned_at=utcnow() - timedelta(days=30)))
        db.session.commit()
    log_in(client, cm)
    html = page(client)
    assert count_of(html, "cm_stil") == 0
    assert count_of(html, "cm_nieuw") == 0


def test_failed_letters_she_sent(app, client):
    with app.app_context():
        cm = make_user(Role.CASEMANAGER)
        mailing = failed_mailing(cm.id, recipients=2, failed=1)
        letters = db.session.query(Letter).filter_by(mailing_id=mailing.id).all()
        kenmerk = letters[0].kenmerk
    log_in(client, cm)
    html = page(client)
    assert kenmerk in section(html, "cm_brieven")
    assert count_of(html, "cm_brieven") == 1
    assert f"/brieven/verzendingen/{mailing.id}" in section(html, "cm_brieven")


def test_ervaringsdeskundige_sees_her_quiet_clients(app, client):
    with app.app_context():
        ed = make_user(Role.ERVARINGSDESKUNDIGE)
        mine = make_client("Mira", ervaringsdeskundige_id=ed.id)
        make_client("Nora")
        make_client("Oda", ervaringsdeskundige_id=ed.id, status="afgesloten")
        quiet(mine, 20, ed.id)
    log_in(client, ed)
    html = page(client)
    part = section(html, "ed_stil")
    assert "Mira" in part and "Nora" not in part and "Oda" not in part
    assert "laatste contact" in part


def test_procesregisseur_lists(app, client):
    with app.app_context():
        pr = make_user(Role.PROCESREGISSEUR)
        partner = make_user(Role.NETWERKPARTNER)
        referral = make_referral(partner.id)
        referral.received_on = local_today() - timedelta(days=3)
        make_referral(partner.id, triage_outcome="advies")
        make_client("Zonder")
        make_client("Met", casemanagers=[make_user(Role.CASEMANAGER)])
        watched = make_client("Kijk", status="monitoring")
        db.session.add(StatusChange(client_id=watched.id, from_status="actief",
                                    to_status="monitoring", reason="Stabiel", by_id=pr.id,
                                    changed_on=local_today() - timedelta(days=100)))
        recent = make_client("Pas", status="monitoring")
        db.session.add(StatusChange(client_id=recent.id, from_status="actief",
                                    to_status="monitoring", reason="Stabiel", by_id=pr.id,
                                    changed_on=local_today() - timedelta(days=10)))
        mailing = failed_mailing(pr.id, recipients=4, failed=3)
        referral_id = referral.id
    log_in(client, pr)
    html = page(client)
    assert f"/aanmeldingen/{referral_id}" in section(html, "pr_triage")
    assert "wacht 3 dagen op triage" in section(html, "pr_triage")
    assert count_of(html, "pr_triage") == 1
    assert "Zonder" in section(html, "pr_zonder_cm")
    assert "Met" not in section(html, "pr_zonder_cm")
    assert "Kijk" in section(html, "pr_monitoring") and "Pas" not in section(html, "pr_monitoring")
    assert "3 ontvangers mislukt" in section(html, "pr_verzendingen")
    assert f"/brieven/verzendingen/{mailing.id}" in section(html, "pr_verzendingen")


def test_registration_desk_lists(app, client):
    with app.app_context():
        desk = make_user(Role.REGISTRATIECONTACTPERSOON)
        waiting = make_client("Wacht")
        ending = make_client("Loopt")
        ended = make_client("Klaar")
        make_registration(waiting, desk.id, status="in_behandeling")
        make_registration(ending, desk.id, status="verleend",
                          valid_until=local_today() + timedelta(days=5))
        revoked = make_registration(ended, desk.id, status="verleend")
        from portal.registrations import services
        from portal.registrations.lifecycle import RevocationReason

        actor = db.session.get(User, desk.id)
        services.pass_issued(actor, revoked, local_today() - timedelta(days=1))
        services.revoke(actor, revoked, on=local_today(), reason=RevocationReason.EIGEN_VERZOEK)
        db.session.add(DayPassEvening(evening=_tonight(app), passes=7, updated_by_id=desk.id))
        db.session.commit()
    log_in(client, desk)
    html = page(client)
    assert "Wacht" in section(html, "rc_aanvragen") and "Loopt" not in section(html,
                                                                                "rc_aanvragen")
    assert "Loopt" in section(html, "rc_aflopend")
    assert "Klaar" in section(html, "rc_passen") and "pas niet ingeleverd" in html
    assert "7 van 20 dagpassen uitgegeven" in section(html, "rc_dagpassen")


def _tonight(app):
    from portal.registrations.daypasses import default_evening

    return default_evening()


def test_diagnosticus_sees_only_her_own(app, client):
    with app.app_context():
        doctor = make_user(Role.DIAGNOSTICUS)
        colleague = make_user(Role.DIAGNOSTICUS)
        mine = make_client("Eigen", diagnosticus_id=doctor.id)
        theirs = make_client("Ander", diagnosticus_id=colleague.id)
        db.session.add(Traject(client_id=mine.id, kind="diagnostiek", status="voorgesteld",
                               diagnosticus_id=doctor.id))
        db.session.commit()
        make_document(mine, doctor.id, kind="diagnostiekrapport", title="Concept eigen")
        make_document(theirs, colleague.id, kind="diagnostiekrapport", title="Concept ander")
    log_in(client, doctor)
    html = page(client)
    assert "Concept eigen" in section(html, "di_concept")
    assert "Concept ander" not in html and "Ander" not in html
    assert "Eigen" in section(html, "di_trajecten")


def test_beheerder_and_privacyfunctionaris(app, client, make_app):
    with app.app_context():
        admin = make_user(Role.BEHEERDER)
        make_user(Role.CASEMANAGER, name="Zonder Factor", enrolled=False)
        sleeper = make_user(Role.CASEMANAGER, name="Slaper")
        db.session.execute(update(User).where(User.id == sleeper.id).values(
            last_login_at=utcnow() - timedelta(days=120)))
        failed_mailing(admin.id, recipients=1, failed=1, error="Server weigert")
        privacy = make_user(Role.PRIVACYFUNCTIONARIS)
        nosy = db.session.get(User, make_user(Role.CASEMANAGER, name="Nieuwsgierig").id)
        for _ in range(5):
            record("access.denied", Action.READ, outcome=Outcome.DENIED, user=nosy)
        record("registrations.figures_exported", Action.EXECUTE, user=nosy)
        nosy_email = nosy.email
        db.session.commit()
    log_in(client, admin)
    html = page(client)
    assert "Zonder Factor" in section(html, "bh_accounts")
    assert "Slaper" in section(html, "bh_accounts")
    assert "Server weigert" in section(html, "bh_outbox")
    client.post("/uitloggen", data={})
    other = app.test_client()
    log_in(other, privacy)
    html = page(other)
    assert f"{nosy_email}: 5 geweigerde toegangen" in section(html, "pf_weigeringen")
    assert "registratiecijfers geëxporteerd" in section(html, "pf_exports")


def test_start_page_audits_the_clients_it_names(app, client):
    with app.app_context():
        cm = make_user(Role.CASEMANAGER)
        roos = make_client("Roos", casemanagers=[cm])
        roos_id = roos.id
    log_in(client, cm)
    page(client)
    with app.app_context():
        event = db.session.query(AuditEvent).filter_by(event="main.attention_viewed").one()
        assert event.detail["client_ids"] == [roos_id]


def _many_clients(app, count: int, cm_id: int, ed_id: int, start: int) -> None:
    with app.app_context():
        today = local_today()
        rows = [{"werknaam": f"Werknaam {n:04d}", "number": f"C-2026-{n + 1:05d}",
                 "ref": f"ref{n:08d}", "status": ("actief", "aangemeld", "monitoring")[n % 3],
                 "ervaringsdeskundige_id": ed_id, "created_at": utcnow(),
                 "updated_at": utcnow(), "preferred_language": "Nederlands"}
                for n in range(start, start + count)]
        db.session.execute(insert(Client), rows)
        ids = [c.id for c in db.session.query(Client.id).filter(
            Client.number.in_([r["number"] for r in rows]))]
        db.session.execute(insert(client_casemanagers), [
            {"client_id": i, "user_id": cm_id, "assigned_at": utcnow()} for i in ids[::2]])
        db.session.execute(insert(Traject), [
            {"client_id": i, "kind": "time-out", "status": "lopend",
             "end_date": today - timedelta(days=2), "created_at": utcnow()} for i in ids])
        db.session.execute(insert(JournalEntry), [
            {"client_id": i, "author_id": cm_id, "entry_date": today - timedelta(days=i % 40),
             "text": "Contact", "confidential": False, "created_at": utcnow()} for i in ids])
        db.session.execute(insert(StatusChange), [
            {"client_id": i, "from_status": "actief", "to_status": "monitoring",
             "changed_on": today - timedelta(days=120), "reason": "Stabiel", "by_id": cm_id,
             "created_at": utcnow()} for i in ids])
        db.session.commit()


def test_statement_count_is_the_same_at_10_and_1000_clients(app, client):
    """Every role's start page: one statement per list, whatever the number of clients."""
    with app.app_context():
        everyone = make_user(*[r for r in Role if r != Role.NETWERKPARTNER])
        ed = make_user(Role.ERVARINGSDESKUNDIGE)
    log_in(client, everyone)
    page(client)  # warm up
    _many_clients(app, 10, everyone.id, ed.id, 0)
    from tests.database import counted_statements

    with counted_statements(app) as small:
        html_small = page(client)
    _many_clients(app, 990, everyone.id, ed.id, 10)
    with counted_statements(app) as large:
        html_large = page(client)
    assert len(large) == len(small), "\n".join(large)
    assert count_of(html_small, "cm_trajecten") == 5
    assert count_of(html_large, "cm_trajecten") == 500
    assert "De eerste 20 van 500 worden getoond." in html_large
    print(f"\nstart page statements: {len(small)} at 10 clients, {len(large)} at 1000 clients")


MENU_COUNT = re.compile(r'\((\d+)<span class="visually-hidden"> items vragen aandacht</span>\)')


def menu_count_on(client, path: str = "/clienten/caseload") -> int:
    response = client.get(path)
    assert response.status_code == 200
    found = MENU_COUNT.search(response.get_data(as_text=True))
    return int(found.group(1)) if found else 0


def _is_menu_count(statement: str) -> bool:
    """The one statement of menu_count: a SELECT of one count per counted list."""
    return re.match(r"\s*SELECT \(SELECT count\(\*\)", statement, re.IGNORECASE) is not None


def _overdue_traject(client_id: int) -> None:
    db.session.add(Traject(client_id=client_id, kind="time-out", status="lopend",
                           end_date=local_today() - timedelta(days=3)))
    db.session.commit()


def test_the_menu_count_is_kept_for_a_while_and_recounted_after_her_own_form(app, client):
    """Counting every page would cost each page a statement over all her lists: the count
    is kept on her session, Vandaag shows the true one, and a form she sends recounts."""
    with app.app_context():
        cm = make_user(Role.CASEMANAGER)
        roos = make_client("Roos", casemanagers=[cm])
        lina = make_client("Lina", casemanagers=[cm])
        _overdue_traject(roos.id)
    log_in(client, cm)
    first = menu_count_on(client)
    with app.app_context():  # someone else's change: shown once the kept count is stale
        _overdue_traject(lina.id)
    with counted_statements(app) as statements:
        assert menu_count_on(client) == first
    assert not [s for s in statements if _is_menu_count(s)]  # nothing was counted again
    assert menu_count_on(client, "/") == first + 1  # Vandaag counts its lists
    assert menu_count_on(client) == first + 1
    with app.app_context():  # someone closes both trajecten
        db.session.execute(update(Traject).values(status="afgerond"))
        db.session.commit()
    sent = client.post(f"/clienten/{roos.ref}/journaal", data={
        "csrf_token": csrf_token(client, f"/clienten/{roos.ref}"),
        "entry_date": local_today().isoformat(), "text": "Gesproken op straat."})
    assert sent.status_code == 302
    after = menu_count_on(client)  # her journal note and the closed trajecten, both counted
    assert after == menu_count_on(client, "/") and after < first


def test_a_stale_count_is_counted_again(make_app):
    app = make_app(ATTENTION_COUNT_SECONDS=0)
    client = app.test_client()
    with app.app_context():
        cm = make_user(Role.CASEMANAGER)
        roos = make_client("Roos", casemanagers=[cm])
    log_in(client, cm)
    first = menu_count_on(client)
    with app.app_context():
        _overdue_traject(roos.id)
    assert menu_count_on(client) == first + 1
