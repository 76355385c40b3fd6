"""Budget pages: who may do what, Dutch amounts refused with nothing changed, entries
corrected and removed with their history and audit events, the posts list of the beheerder."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.budget.models import BudgetEntry, BudgetEntryRevision, BudgetPost, Subsidy, SubsidyLine
from portal.extensions import db
from portal.roles import Role
from tests.conftest import csrf_from
from tests.factories import make_user
from tests.test_budget_figures import (
    ensure_budget_posts,
    make_entry,
    make_flex_traject,
    make_subsidy,
    post_id,
)

D = Decimal


def budget_sweep_objects() -> dict:
    """A subsidy, an entry and a post for the route sweeps (tests/test_access.py), made in
    the caller's app context."""
    regie = make_user(Role.PROCESREGISSEUR).id
    subsidy = make_subsidy(regie, casemanagement="1000")
    entry = make_entry(subsidy, regie, "10.00", on=date(2025, 3, 1))
    return {"subsidy_id": subsidy.id, "entry_id": entry.id,
            "post_id": post_id("casemanagement")}


def make_budget_objects(app) -> dict:
    with app.app_context():
        return budget_sweep_objects()


@pytest.fixture
def regie(app, account, login):
    """A signed-in procesregisseur (with the posts seeded)."""
    person = account(Role.PROCESREGISSEUR, name="Pieter Regie")
    with app.app_context():
        ensure_budget_posts()
    login(person)
    return person


def _subsidy_form(client, path: str, **changes) -> dict:
    page = client.get(path)
    assert page.status_code == 200
    with client.application.app_context():
        posts = {p.code: p.id for p in db.session.scalars(select(BudgetPost))}
    data = {"csrf_token": csrf_from(page), "name": "Stapteam Nijmegen 2025–2026",
            "funder": "Gemeente Nijmegen", "start_date": "2025-01-01",
            "end_date": "2026-12-31", "note": "",
            f"post_{posts['casemanagement']}": "520.000",
            f"post_{posts['flexbudget']}": "€ 40.000,00",
            f"post_{posts['time-out']}": "45000",
            f"post_{posts['instroomwoning']}": "30.000,00",
            f"post_{posts['activiteiten']}": "12000.00",
            f"post_{posts['overig']}": "6.503"}
    for name, value in changes.items():
        data[f"post_{posts[name]}" if name in posts else name] = value
    return data


def test_procesregie_makes_a_subsidy_with_dutch_amounts(app, client, regie):
    response = client.post("/budget/nieuw", data=_subsidy_form(client, "/budget/nieuw"))
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "€ 653.503,00 begroot, € 0,00 gerealiseerd, € 653.503,00 resterend" in page
    assert "€ 520.000,00" in page and "€ 6.503,00" in page
    with app.app_context():
        subsidy = db.session.scalar(select(Subsidy))
        assert sum(line.amount for line in subsidy.lines) == D("653503.00")
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "budget.subsidy_created"))
        assert event.detail["na"]["periode"] == "2025-01-01..2026-12-31"
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.event == "budget.subsidy_viewed")) == 1


@pytest.mark.parametrize(("value", "message"), [
    ("-100", "negatief getal kan hier niet"),
    ("1e9", "Vul een getal in"),
    ("1.000.000.000", "het hoogste dat hier kan"),
    ("12,505", "hoogstens twee cijfers achter de komma"),
    ("NaN", "Vul een getal in"),
])
def test_a_bad_begroting_is_refused_in_dutch_and_nothing_changes(app, client, regie, value,
                                                                  message):
    with app.app_context():
        subsidy = make_subsidy(regie.id, casemanagement="100")
    path = f"/budget/{subsidy.id}/bewerken"
    response = client.post(path, data=_subsidy_form(client, path, name="Gewijzigd",
                                                    casemanagement=value))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        again = db.session.get(Subsidy, subsidy.id)
        assert again.name == "Stapteam"
        assert [line.amount for line in again.lines] == [D("100.00")]
        assert not db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "budget.subsidy_changed"))


def test_a_period_ending_before_it_starts_is_refused(app, client, regie):
    data = _subsidy_form(client, "/budget/nieuw", start_date="2026-12-31",
                         end_date="2025-01-01")
    response = client.post("/budget/nieuw", data=data)
    assert response.status_code == 422
    assert "De einddatum ligt vóór de begindatum." in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(select(func.count()).select_from(Subsidy))


def test_a_period_that_would_leave_entries_outside_is_refused(app, client, regie):
    with app.app_context():
        subsidy = make_subsidy(regie.id, activiteiten="100")
        make_entry(subsidy, regie.id, "10.00", on=date(2025, 3, 1))
    path = f"/budget/{subsidy.id}/bewerken"
    response = client.post(path, data=_subsidy_form(client, path, start_date="2026-01-01"))
    assert response.status_code == 422
    assert "Er zijn boekingen van vóór of na deze looptijd" in response.get_data(as_text=True)


def test_emptying_a_post_removes_its_line_and_the_change_is_audited(app, client, regie):
    with app.app_context():
        subsidy = make_subsidy(regie.id, casemanagement="100", overig="5")
        case, overig = post_id("casemanagement"), post_id("overig")
    path = f"/budget/{subsidy.id}/bewerken"
    assert "100,00" in client.get(path).get_data(as_text=True)
    data = {name: "" if name.startswith("post_") else value
            for name, value in _subsidy_form(client, path).items()}
    assert client.post(path, data={**data, f"post_{case}": "250,50"}).status_code == 302
    with app.app_context():
        lines = db.session.scalars(select(SubsidyLine).where(
            SubsidyLine.subsidy_id == subsidy.id)).all()
        assert [(line.post_id, line.amount) for line in lines] == [(case, D("250.50"))]
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "budget.subsidy_changed"))
        assert event.detail["voor"]["begroot"] == {str(case): "100.00", str(overig): "5.00"}
        assert event.detail["na"]["begroot"] == {str(case): "250.50"}


def _post(app, code):
    with app.app_context():
        return post_id(code)


def _entry_data(client, path, **fields) -> dict:
    page = client.get(path)
    assert page.status_code == 200
    return {"csrf_token": csrf_from(page), "invoice_date": "2026-03-02",
            "post_id": str(_post(client.application, "activiteiten")), "amount": "1.250,50",
            "description": "Zomeractiviteit huiskamer", **fields}


def test_entries_are_booked_corrected_and_removed_with_their_history(app, client, regie):
    with app.app_context():
        subsidy = make_subsidy(regie.id, activiteiten="2000")
    new = f"/budget/{subsidy.id}/boeking"
    assert client.post(new, data=_entry_data(client, new)).status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(BudgetEntry))
    path = f"/budget/boekingen/{entry.id}"
    refused = client.post(path, data=_entry_data(client, path, amount="1.000,00"))
    assert refused.status_code == 422
    assert "Vul de reden van de wijziging in." in refused.get_data(as_text=True)
    changed = client.post(path, data=_entry_data(client, path, amount="1.000,00",
                                                 reason="Creditnota van de leverancier"))
    assert changed.status_code == 302
    page = client.get(path).get_data(as_text=True)
    assert "€ 1.250,50" in page and "€ 1.000,00" in page and "Creditnota" in page
    overview = client.get(f"/budget/{subsidy.id}").get_data(as_text=True)
    assert "€ 2.000,00 begroot, € 1.000,00 gerealiseerd, € 1.000,00 resterend" in overview
    token = csrf_from(client.get(path))
    assert client.post(f"{path}/verwijderen", data={"csrf_token": token,
                                                    "reason": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(BudgetEntry, entry.id).removed_at is None
    removed = client.post(f"{path}/verwijderen", data={"csrf_token": token,
                                                       "reason": "Dubbel geboekt"})
    assert removed.status_code == 302
    overview = client.get(f"/budget/{subsidy.id}").get_data(as_text=True)
    assert "€ 0,00 gerealiseerd" in overview and "Verwijderd (telt niet mee)" in overview
    page = client.get(path).get_data(as_text=True)
    assert "Dubbel geboekt" in page and "Wijziging opslaan" not in page
    again = client.post(path, data=_entry_data(client, path, amount="5,00", reason="x"))
    assert again.status_code == 422
    with app.app_context():
        revisions = db.session.scalars(select(BudgetEntryRevision).order_by(
            BudgetEntryRevision.version)).all()
        assert [(r.version, r.change, r.amount) for r in revisions] == [
            (1, "aangemaakt", D("1250.50")), (2, "gewijzigd", D("1000.00")),
            (3, "verwijderd", D("1000.00"))]
        events = [e.event for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "budget_entry", AuditEvent.action != "R"))]
        assert events == ["budget.entry_created", "budget.entry_changed",
                          "budget.entry_removed"]
        assert db.session.get(BudgetEntry, entry.id).amount == D("1000.00")


@pytest.mark.parametrize(("fields", "message"), [
    ({"amount": "0"}, "Vul een bedrag in dat niet nul is."),
    ({"amount": "1.000.000,01"}, "het hoogste dat hier kan"),
    ({"amount": "-1.000.000,01"}, "Vul minstens"),
    ({"amount": "10,001"}, "hoogstens twee cijfers achter de komma"),
    ({"amount": ""}, "Vul een bedrag in."),
    ({"invoice_date": "2024-12-31"}, "buiten de looptijd van de subsidie"),
    ({"invoice_date": "2026-12-31"}, "ligt niet in de toekomst"),
    ({"description": " "}, "Vul een omschrijving in."),
])
def test_a_bad_entry_is_refused_in_dutch_and_nothing_is_booked(app, client, regie,
                                                              freeze_today, fields, message):
    freeze_today(date(2026, 6, 1))
    with app.app_context():
        subsidy = make_subsidy(regie.id, activiteiten="2000")
    new = f"/budget/{subsidy.id}/boeking"
    response = client.post(new, data=_entry_data(client, new, **fields))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalar(select(func.count()).select_from(BudgetEntry))


def test_an_inactive_post_cannot_be_chosen_for_a_new_entry(app, client, regie):
    with app.app_context():
        subsidy = make_subsidy(regie.id, activiteiten="2000")
        post = db.session.get(BudgetPost, post_id("overig"))
        post.active = False
        db.session.commit()
    new = f"/budget/{subsidy.id}/boeking"
    response = client.post(new, data=_entry_data(client, new, post_id=str(post.id)))
    assert response.status_code == 422
    with app.app_context():
        assert not db.session.scalar(select(func.count()).select_from(BudgetEntry))


def test_the_subsidy_page_shows_overspending_and_trajecten_by_client_number(app, client,
                                                                            regie):
    with app.app_context():
        subsidy = make_subsidy(regie.id, flexbudget="100")
        traject = make_flex_traject("150.00", date(2026, 2, 1))
        from portal.clients.models import Client

        holder = db.session.get(Client, traject.client_id)
        number, werknaam = holder.number, holder.werknaam
    page = client.get(f"/budget/{subsidy.id}").get_data(as_text=True)
    assert "Flexbudget/doorbraakbudget is overschreden met € 50,00" in page
    assert "€ -50,00" in page and "(overschreden)" in page
    assert number in page and werknaam not in page and "Schuld afgelost" not in page


def test_the_list_shows_each_subsidy_with_its_totals(app, client, regie):
    with app.app_context():
        make_subsidy(regie.id, name="Stapteam 2025", casemanagement="1000")
        second = make_subsidy(regie.id, name="Doorbraak 2026", overig="10")
        make_entry(second, regie.id, "12.50", code="overig")
    page = client.get("/budget/").get_data(as_text=True)
    assert "Stapteam 2025" in page and "€ 1.000,00" in page
    assert "€ -2,50 <strong>(overschreden)</strong>" in page


def test_the_beheerder_keeps_the_posts_list_without_seeing_amounts(app, client, account,
                                                                   login):
    with app.app_context():
        ensure_budget_posts()
        make_subsidy(make_user(Role.PROCESREGISSEUR).id, casemanagement="123456")
    login(account(Role.BEHEERDER))
    page = client.get("/budget/posten").get_data(as_text=True)
    assert "Casemanagement" in page and "123.456" not in page and "€" not in page
    assert client.get("/budget/").status_code == 403
    token = csrf_from(client.get("/budget/posten/nieuw"))
    assert client.post("/budget/posten/nieuw", data={"csrf_token": token, "label": "Scholing",
                                                     "active": "y"}).status_code == 302
    duplicate = client.post("/budget/posten/nieuw", data={"csrf_token": token,
                                                          "label": "  scholing "})
    assert duplicate.status_code == 422
    assert "Er is al een post met deze naam." in duplicate.get_data(as_text=True)
    with app.app_context():
        flex = post_id("flexbudget")
    renamed = client.post(f"/budget/posten/{flex}", data={"csrf_token": token,
                                                          "label": "Doorbraakbudget"})
    assert renamed.status_code == 302
    with app.app_context():
        post = db.session.get(BudgetPost, flex)
        assert (post.code, post.label, post.active) == ("flexbudget", "Doorbraakbudget", False)
        added = db.session.scalar(select(BudgetPost).where(BudgetPost.label == "Scholing"))
        assert added.code is None and added.position > post.position
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.object_type == "budget_post")) == 2


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PROCESREGISSEUR])
def test_nobody_else_opens_a_subsidy_or_an_entry(app, client, account, login, role):
    objects = make_budget_objects(app)
    login(account(role))
    for path in ("/budget/", f"/budget/{objects['subsidy_id']}",
                 f"/budget/boekingen/{objects['entry_id']}"):
        assert client.get(path).status_code == 403, path


def test_an_unknown_subsidy_or_entry_is_not_found_and_the_denial_is_audited(app, client,
                                                                            regie):
    assert client.get("/budget/999999").status_code == 404
    assert client.get("/budget/boekingen/999999").status_code == 404
    assert client.get("/budget/999999/bewerken").status_code == 404
    with app.app_context():
        types = {e.object_type for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.event == "access.denied"))}
        assert {"subsidy", "budget_entry"} <= types


def test_the_menu_names_the_budget_pages_for_their_roles(app, client, account, login):
    login(account(Role.PROCESREGISSEUR))
    page = client.get("/").get_data(as_text=True)
    assert 'href="/budget/"' in page and "/budget/posten" not in page


def test_an_unchanged_correction_and_a_second_removal_are_refused(app, client, regie):
    with app.app_context():
        subsidy = make_subsidy(regie.id, activiteiten="2000")
        entry = make_entry(subsidy, regie.id, "1250.50", on=date(2026, 3, 2),
                           description="Zomeractiviteit huiskamer")
    path = f"/budget/boekingen/{entry.id}"
    same = client.post(path, data=_entry_data(client, path, reason="Controle"))
    assert same.status_code == 422 and "Er is niets gewijzigd." in same.get_data(as_text=True)
    token = csrf_from(client.get(path))
    client.post(f"{path}/verwijderen", data={"csrf_token": token, "reason": "Dubbel"})
    again = client.post(f"{path}/verwijderen", data={"csrf_token": token, "reason": "Nog eens"},
                        follow_redirects=True)
    assert "Deze boeking is al verwijderd." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(BudgetEntryRevision)) == 2


def _subsidy_data(**changes):
    from portal.budget.services import SubsidyData

    values = {"name": "Proef", "funder": "Gemeente", "start_date": date(2026, 1, 1),
              "end_date": date(2026, 12, 31), "note": None, "amounts": {}}
    return SubsidyData(**{**values, **changes})


@pytest.mark.parametrize(("changes", "message"), [
    ({"name": " "}, "Vul de naam"),
    ({"funder": ""}, "Vul de subsidiegever in."),
    ({"amounts": "1.005"}, "twee cijfers achter de komma"),
    ({"amounts": "-1"}, "kan niet negatief zijn"),
    ({"amounts": "10000000.01"}, "het hoogste dat hier kan"),
    ({"amounts": "NaN"}, "Vul een bedrag in"),
    ({"amounts": 12.5}, "Vul een bedrag in"),
])
def test_the_subsidy_service_guards_itself(app, changes, message):
    from portal.auth.models import User
    from portal.budget import services
    from portal.refusal import DomainError

    with app.app_context():
        ensure_budget_posts()
        actor = db.session.get(User, make_user(Role.PROCESREGISSEUR).id)
        if "amounts" in changes:
            raw = changes["amounts"]
            amount = raw if isinstance(raw, float) else D(raw)
            changes = {"amounts": {post_id("overig"): amount}}
        with pytest.raises(DomainError, match=message):
            services.save_subsidy(None, actor, _subsidy_data(**changes))
        assert not db.session.scalar(select(func.count()).select_from(Subsidy))


def test_the_entry_and_post_services_guard_themselves(app):
    from portal.auth.models import User
    from portal.budget import services
    from portal.refusal import DomainError

    with app.app_context():
        actor = db.session.get(User, make_user(Role.PROCESREGISSEUR).id)
        subsidy = make_subsidy(actor.id, overig="100")
        good = services.EntryData(post_id("overig"), date(2026, 1, 5), D("5.00"), "Factuur")
        with pytest.raises(DomainError, match="Kies een post"):
            services.add_entry(subsidy, actor, services.EntryData(
                999_999, good.invoice_date, good.amount, good.description))
        with pytest.raises(DomainError, match="Vul een omschrijving in."):
            services.add_entry(subsidy, actor, services.EntryData(
                good.post_id, good.invoice_date, good.amount, "  "))
        entry = services.add_entry(subsidy, actor, good)
        with pytest.raises(DomainError, match="Vul de reden van de wijziging in."):
            services.change_entry(entry, subsidy, actor, good, " ")
        services.remove_entry(entry, actor, "Dubbel")
        with pytest.raises(DomainError, match="kan niet meer worden gewijzigd"):
            services.change_entry(entry, subsidy, actor, good, "Te laat")
        with pytest.raises(DomainError, match="Vul de naam van de post in."):
            services.save_post(None, label="   ", active=True)
        assert db.session.get(BudgetEntry, entry.id).version == 2


def test_the_subsidy_and_entry_pages_run_a_fixed_number_of_queries(app, client, regie):
    from portal.auth.models import User
    from portal.budget import services
    from tests.database import counted_statements

    with app.app_context():
        subsidy = make_subsidy(regie.id, activiteiten="1000", flexbudget="10")
        entry = make_entry(subsidy, regie.id, "1.00")

    def grow() -> None:
        with app.app_context():
            for number in range(3):
                other = make_user(Role.PROCESREGISSEUR).id
                make_entry(db.session.get(Subsidy, subsidy.id), other, "2.00")
                make_flex_traject("3.00", date(2026, 2, 1))
                services.change_entry(db.session.get(BudgetEntry, entry.id),
                                      db.session.get(Subsidy, subsidy.id),
                                      db.session.get(User, other), services.EntryData(
                                          post_id("activiteiten"), date(2026, 3, 1),
                                          D(f"{number + 5}.00"), "Factuur"),
                                      "Correctie")

    def count(path: str) -> int:
        with counted_statements(app) as statements:
            assert client.get(path).status_code == 200
        return len(statements)

    pages = (f"/budget/{subsidy.id}", f"/budget/boekingen/{entry.id}", "/budget/")
    before = [count(path) for path in pages]
    grow()
    assert [count(path) for path in pages] == before
