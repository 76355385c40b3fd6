"""The plan van aanpak over HTTP: goals linked to ZRM domains, actions with a team member or a
partner organisation, evaluations, vaststellen on a date agreed with the client, a new
version for every later change while the old one stays readable, refusals that store
nothing, who sees what, and the audit trail."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.extensions import db
from portal.plans.models import PlanAction, PlanEvaluation, PlanGoal, PlanVersion, ZrmDomain
from portal.roles import OrganisationKind, Role
from tests.conftest import csrf_token, log_in
from tests.factories import make_client, make_organisation
from tests.test_zrm import ensure_zrm_seed

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _frozen_today(freeze_today):
    freeze_today(TODAY)


@pytest.fixture
def world(app, account):
    cm = account(Role.CASEMANAGER, name="Carla Casemanager")
    ed = account(Role.ERVARINGSDESKUNDIGE, name="Eva Ervaring")
    other_ed = account(Role.ERVARINGSDESKUNDIGE, name="Fenna Ervaring")
    people = {role: account(role) for role in Role
              if role not in (Role.CASEMANAGER, Role.ERVARINGSDESKUNDIGE)}
    with app.app_context():
        ensure_zrm_seed()
        ggd = make_organisation("GGD Gelderland-Zuid", kind=OrganisationKind.PARTNER).id
        care = make_organisation("Zorg BV").id  # a zorgaanbieder, not a partner
        roos = make_client("Roos", casemanagers=[cm])
        finance = db.session.scalar(select(ZrmDomain.id).where(ZrmDomain.name == "Financiën"))
        return {"cm": cm, "ed": ed, "other_ed": other_ed, "people": people, "ref": roos.ref,
                "client_id": roos.id, "ggd": ggd, "care": care, "finance": finance}


def post(client, path, data):
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def plan_path(world, tail=""):
    return f"/clienten/{world['ref']}/plan{tail}"


def add_goal(client, world, own="Ik wil mijn schulden kwijt", team="Schuldhulp is gestart",
             goal_id=None):
    path = plan_path(world, "/doel" + (f"?id={goal_id}" if goal_id else ""))
    return post(client, path, {"domain_id": str(world["finance"]), "own_words": own,
                               "team_text": team})


def add_action(client, world, goal_id, owner, description="Aanmelden bij schuldhulp",
               action_id=None, status="open"):
    path = plan_path(world, "/actie" + (f"?id={action_id}" if action_id else ""))
    return post(client, path, {"goal_id": str(goal_id), "description": description,
                               "owner": owner, "due_on": "2026-07-01", "status": status})


def fix(client, world, day=TODAY, confirmed=True):
    data = {"agreed_on": day.isoformat()}
    if confirmed:
        data["confirmed"] = "y"
    return post(client, plan_path(world, "/vaststellen"), data)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_casemanager_makes_fixes_and_changes_a_plan_in_versions(app, client, world):
    log_in(client, world["cm"])
    assert "Er is nog geen plan van aanpak" in text_of(client.get(plan_path(world)))
    assert add_goal(client, world).status_code == 302
    with app.app_context():
        goal_id = db.session.scalar(select(PlanGoal.id))
    assert add_action(client, world, goal_id, f"gebruiker:{world['ed'].id}").status_code == 302
    assert add_action(client, world, goal_id, f"organisatie:{world['ggd']}",
                      "Huisarts bellen").status_code == 302
    page = text_of(client.get(plan_path(world)))
    assert "Doel 1: Financiën" in page and "Ik wil mijn schulden kwijt" in page
    assert "Eva Ervaring" in page and "GGD Gelderland-Zuid" in page and "Concept" in page

    assert fix(client, world, TODAY - timedelta(days=2)).status_code == 302
    page = text_of(client.get(plan_path(world)))
    assert "Vastgesteld op 13 juni 2026" in page

    # A change after vaststellen makes version 2; version 1 stays as it was agreed.
    assert add_goal(client, world, own="Ik wil helemaal schuldenvrij zijn",
                    goal_id=goal_id).status_code == 302
    with app.app_context():
        versions = db.session.scalars(select(PlanVersion).order_by(PlanVersion.number)).all()
        assert [(v.number, v.agreed_on) for v in versions] == [(1, date(2026, 6, 13)), (2, None)]
        assert versions[0].goals[0].own_words == "Ik wil mijn schulden kwijt"
        assert versions[1].goals[0].own_words == "Ik wil helemaal schuldenvrij zijn"
        assert [a.owner_label for a in versions[1].goals[0].actions] == [
            "Eva Ervaring", "GGD Gelderland-Zuid"]
        new_goal = versions[1].goals[0].id
    old = text_of(client.get(plan_path(world, "?versie=1")))
    assert "dit is versie 1, zoals die op 13 juni 2026 is vastgesteld" in old
    assert "Ik wil mijn schulden kwijt" in old and "schuldenvrij" not in old
    assert "schuldenvrij" in text_of(client.get(plan_path(world)))
    # More changes go into the same concept until it is vastgesteld.
    assert add_goal(client, world, own="Een eigen kamer").status_code == 302
    with app.app_context():
        assert count(PlanVersion) == 2 and count(PlanGoal) == 3
    assert fix(client, world).status_code == 302
    # A goal of an older version is not changed; the refusal leaves no version behind.
    stale = add_goal(client, world, own="Weer naar de tandarts", goal_id=goal_id)
    assert stale.status_code == 422
    assert "Kies een doel van de huidige versie van het plan." in text_of(stale)
    with app.app_context():
        assert count(PlanVersion) == 2
    assert add_goal(client, world, own="Weer naar de tandarts", goal_id=new_goal) \
        .status_code == 302
    with app.app_context():
        assert count(PlanVersion) == 3


def test_a_goal_of_a_fixed_version_is_changed_in_its_copy(app, client, world):
    log_in(client, world["cm"])
    add_goal(client, world)
    with app.app_context():
        goal_id = db.session.scalar(select(PlanGoal.id))
    add_action(client, world, goal_id, f"gebruiker:{world['cm'].id}")
    with app.app_context():
        action_id = db.session.scalar(select(PlanAction.id))
    fix(client, world)
    response = add_action(client, world, goal_id, f"organisatie:{world['ggd']}",
                          "Samen naar de GGD", action_id=action_id, status="gedaan")
    assert response.status_code == 302
    with app.app_context():
        old, new = db.session.scalars(select(PlanVersion).order_by(PlanVersion.number)).all()
        assert old.goals[0].actions[0].description == "Aanmelden bij schuldhulp"
        assert old.goals[0].actions[0].status == "open"
        changed = new.goals[0].actions[0]
        assert (changed.description, changed.status, changed.owner_organisation_id) == (
            "Samen naar de GGD", "gedaan", world["ggd"])


@pytest.mark.parametrize("owner, message", [
    ("gebruiker:999999", "Kies een lid van het team of een partnerorganisatie."),
    ("organisatie:{care}", "Kies een lid van het team of een partnerorganisatie."),
    ("gebruiker:{beheerder}", "Kies een lid van het team of een partnerorganisatie."),
    ("iemand", "Kies een lid van het team of een partnerorganisatie."),
])
def test_an_action_needs_a_team_member_or_partner(app, client, world, owner, message):
    log_in(client, world["cm"])
    add_goal(client, world)
    with app.app_context():
        goal_id = db.session.scalar(select(PlanGoal.id))
    owner = owner.format(care=world["care"], beheerder=world["people"][Role.BEHEERDER].id)
    response = add_action(client, world, goal_id, owner)
    assert response.status_code == 422 and message in text_of(response)
    with app.app_context():
        assert count(PlanAction) == 0


def test_refusals_store_nothing(app, client, world):
    log_in(client, world["cm"])
    refused = post(client, plan_path(world, "/doel"), {"domain_id": "999999",
                                                       "own_words": "x", "team_text": "y"})
    assert refused.status_code == 422 and "Kies een domein van de ZRM" in text_of(refused)
    empty = post(client, plan_path(world, "/doel"), {"own_words": " ", "team_text": "y"})
    assert empty.status_code == 422 and "Schrijf op wat zij wil bereiken." in text_of(empty)
    nothing = fix(client, world)
    assert nothing.status_code == 422 and "geen conceptversie" in text_of(nothing)
    with app.app_context():
        assert count(PlanVersion) == 0 and count(PlanGoal) == 0
    add_goal(client, world)
    unconfirmed = fix(client, world, confirmed=False)
    assert unconfirmed.status_code == 422 and "Bevestig" in text_of(unconfirmed)
    future = fix(client, world, TODAY + timedelta(days=1))
    assert future.status_code == 422 and "niet in de toekomst" in text_of(future)
    with app.app_context():
        assert db.session.scalar(select(PlanVersion.agreed_on)) is None


def test_evaluations_belong_to_the_version_and_travel_with_its_copy(app, client, world):
    log_in(client, world["cm"])
    add_goal(client, world)
    with app.app_context():
        goal_id = db.session.scalar(select(PlanGoal.id))
    add_action(client, world, goal_id, f"gebruiker:{world['ed'].id}")
    with app.app_context():
        action_id = db.session.scalar(select(PlanAction.id))
    fix(client, world)
    response = post(client, plan_path(world, "/evaluatie"), {
        "action_id": str(action_id), "evaluated_on": "2026-06-14",
        "result": "Aanmelding is gedaan", "next_step": "Eerste gesprek plannen"})
    assert response.status_code == 302
    with app.app_context():
        assert count(PlanVersion) == 1  # an evaluation does not change the agreed plan
    page = text_of(client.get(plan_path(world)))
    assert "Aanmelding is gedaan Volgende stap: Eerste gesprek plannen" in page
    add_goal(client, world, own="Nieuw doel")
    with app.app_context():
        assert count(PlanVersion) == 2 and count(PlanEvaluation) == 2
    future = post(client, plan_path(world, "/evaluatie"), {
        "action_id": str(action_id + 1), "evaluated_on": "2026-06-16", "result": "x"})
    assert future.status_code == 422 and "niet in de toekomst" in text_of(future)


def test_nothing_to_evaluate_or_fix_is_refused_in_dutch(app, client, world):
    log_in(client, world["cm"])
    for tail, message in (("/evaluatie", "Er zijn geen acties in het plan die u kunt evalueren."),
                          ("/vaststellen", "Er is geen conceptversie om vast te stellen.")):
        response = post(client, plan_path(world, tail), {})
        assert response.status_code == 422 and message in text_of(response)
        assert "alert--error" in response.get_data(as_text=True)
    with app.app_context():
        assert count(PlanVersion) == 0 and count(PlanEvaluation) == 0


def test_the_ervaringsdeskundige_reads_and_evaluates_her_own_actions(app, client, world):
    cm = app.test_client()
    log_in(cm, world["cm"])
    add_goal(cm, world)
    with app.app_context():
        goal_id = db.session.scalar(select(PlanGoal.id))
    add_action(cm, world, goal_id, f"gebruiker:{world['ed'].id}", "Samen koffie drinken")
    add_action(cm, world, goal_id, f"gebruiker:{world['cm'].id}", "Bellen met de bank")
    with app.app_context():
        mine, theirs = db.session.scalars(select(PlanAction.id).order_by(PlanAction.id)).all()
    log_in(client, world["ed"])
    page = text_of(client.get(plan_path(world)))
    assert "Ik wil mijn schulden kwijt" in page and "Bellen met de bank" in page
    assert page.count("Evaluatie toevoegen</a>") == 1
    form = text_of(client.get(plan_path(world, f"/evaluatie?actie={mine}")))
    assert "Samen koffie drinken" in form and "Bellen met de bank" not in form
    assert post(client, plan_path(world, "/evaluatie"), {
        "action_id": str(theirs), "evaluated_on": "2026-06-14",
        "result": "x"}).status_code == 404
    assert post(client, plan_path(world, "/evaluatie"), {
        "action_id": str(mine), "evaluated_on": "2026-06-14",
        "result": "Fijn gesprek"}).status_code == 302
    for tail in ("/doel", "/actie", "/vaststellen"):
        assert client.get(plan_path(world, tail)).status_code == 403
    with app.app_context():
        evaluation = db.session.scalar(select(PlanEvaluation))
        assert (evaluation.action_id, evaluation.by_id) == (mine, world["ed"].id)


def test_procesregie_sees_the_status_not_the_texts_and_others_nothing(app, client, world):
    cm = app.test_client()
    log_in(cm, world["cm"])
    add_goal(cm, world, own="Geheime wens", team="Geheime formulering")
    with app.app_context():
        goal_id = db.session.scalar(select(PlanGoal.id))
    add_action(cm, world, goal_id, f"organisatie:{world['ggd']}", "Geheime actie")
    fix(cm, world)
    log_in(client, world["people"][Role.PROCESREGISSEUR])
    page = text_of(client.get(plan_path(world)))
    assert "Vastgesteld op 15 juni 2026" in page and "Doel 1: Financiën" in page
    assert "1 actie: nog niet begonnen." in page
    for secret in ("Geheime wens", "Geheime formulering", "Geheime actie", "GGD"):
        assert secret not in page
    assert client.get(plan_path(world, "/evaluatie")).status_code == 403
    for role in (Role.BEHEERDER, Role.DIAGNOSTICUS, Role.REGISTRATIECONTACTPERSOON,
                 Role.PRIVACYFUNCTIONARIS, Role.NETWERKPARTNER):
        other = app.test_client()
        log_in(other, world["people"][role])
        assert other.get(plan_path(world)).status_code == 403, role


def test_a_form_showing_a_goal_is_an_audited_read(app, client, world):
    log_in(client, world["cm"])
    add_goal(client, world)
    with app.app_context():
        goal_id = db.session.scalar(select(PlanGoal.id))
    form = text_of(client.get(plan_path(world, f"/doel?id={goal_id}")))
    assert "Ik wil mijn schulden kwijt" in form and "Doel 1 wijzigen" in form
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "plans.plan_form_viewed"))
        assert (event.object_type, event.object_id, event.client_id) == (
            "plan_goal", str(goal_id), world["client_id"])


def test_unknown_versions_and_ids_answer_404(app, client, world):
    log_in(client, world["cm"])
    assert client.get(plan_path(world, "?versie=1")).status_code == 404
    assert client.get(plan_path(world, "?versie=abc")).status_code == 404
    assert client.get(plan_path(world, "/doel?id=99999999999")).status_code == 404
    assert client.get(plan_path(world, "/actie?id=1")).status_code == 404
    add_goal(client, world)
    with app.app_context():
        goal_id = db.session.scalar(select(PlanGoal.id))
        other_ref = make_client("Mira").ref
    assert client.get(f"/clienten/{other_ref}/plan/doel?id={goal_id}").status_code == 404


def test_every_plan_change_is_audited_in_its_transaction(app, client, world):
    log_in(client, world["cm"])
    add_goal(client, world)
    fix(client, world)
    add_goal(client, world, own="Tweede doel")
    client.get(plan_path(world))
    with app.app_context():
        events = db.session.scalars(select(AuditEvent.event).where(
            AuditEvent.event.like("plans.%")).order_by(AuditEvent.seq)).all()
    assert events == ["plans.version_created", "plans.goal_saved",
                      "plans.version_fixed", "plans.version_created", "plans.goal_saved",
                      "plans.plan_viewed"]


def test_the_demo_gives_roos_two_assessments_and_a_plan_and_lina_a_due_one(app):
    from portal.auth.models import User
    from portal.clients.models import Client
    from portal.demo import seed_demo
    from portal.plans.progress import due_assessments
    from portal.plans.services import latest_version

    with app.app_context():
        ensure_zrm_seed()
        seed_demo()
        roos = db.session.scalar(select(Client).where(Client.werknaam == "Roos"))
        lotte = db.session.scalar(select(User).where(
            User.email == "casemanager.ldh@demo.stapportaal.nl"))
        plan = latest_version(roos)
        assert (plan.number, plan.is_fixed, len(plan.goals)) == (1, True, 2)
        assert plan.goals[0].actions[0].evaluations[0].result.startswith("Twee brieven")
        assert db.session.scalar(select(func.count()).select_from(
            PlanVersion.__table__)) == 1
        assert [c.werknaam for c, _ in db.session.execute(due_assessments(lotte))] == ["Lina"]
