"""ZRM 2017 assessments over HTTP and in the services: the seeded domains and levels, scale
and domain validation (refused values get a Dutch message and store nothing), the 30-day
rule, difference scores, the charts, due dates with a frozen clock, a later ZRM version as
a data change, and who sees what. Runs on SQLite and, with PORTAL_TEST_DATABASE_URL set, on
PostgreSQL."""

from __future__ import annotations

import importlib.util
import re
from datetime import date, timedelta
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.plans import progress
from portal.plans.models import Assessment, AssessmentScore, ZrmDomain, ZrmLevel, ZrmVersion
from portal.plans.zrm import AssessmentData, DomainEntry, record_assessment
from portal.refusal import DomainError
from portal.roles import Role
from tests.conftest import csrf_token, log_in
from tests.factories import make_client

TODAY = date(2026, 6, 15)
MIGRATION = (Path(__file__).resolve().parent.parent / "migrations" / "versions"
             / "f7c2e34a0016_zrm_and_plan_van_aanpak.py")
DOMAINS = ["Financiën", "Werk & Opleiding", "Tijdsbesteding", "Huisvesting",
           "Huiselijke relaties", "Geestelijke gezondheid", "Lichamelijke gezondheid",
           "Middelengebruik", "Basale ADL", "Instrumentele ADL", "Sociaal netwerk",
           "Maatschappelijke participatie", "Justitie"]
LEVELS = ["acuut probleem", "niet zelfredzaam", "beperkt zelfredzaam", "voldoende zelfredzaam",
          "volledig zelfredzaam"]


def ensure_zrm_seed() -> None:
    """The migration seeds the ZRM; the PostgreSQL leg empties every table between tests,
    so put the migration's own seed back when it is gone (SQLite copies a migrated file)."""
    if db.session.scalar(select(func.count()).select_from(ZrmVersion)):
        return
    spec = importlib.util.spec_from_file_location("zrm_migration", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    migration.seed_zrm_2017(db.session.connection())
    db.session.commit()


@pytest.fixture(autouse=True)
def _frozen_today(freeze_today):
    freeze_today(TODAY)


@pytest.fixture
def world(app, account):
    cm = account(Role.CASEMANAGER, name="Carla Casemanager")
    other_cm = account(Role.CASEMANAGER, name="Olga Anders")
    people = {role: account(role) for role in Role if role != Role.CASEMANAGER}
    with app.app_context():
        ensure_zrm_seed()
        roos = make_client("Roos", casemanagers=[cm])
        domains = [d.id for d in db.session.scalars(
            select(ZrmDomain).order_by(ZrmDomain.version_id, ZrmDomain.position))]
        return {"cm": cm, "other_cm": other_cm, "people": people, "ref": roos.ref,
                "client_id": roos.id, "domains": domains}


def form_data(token, domains, scores, *, assessed=TODAY, information=TODAY, took_part=True,
              **extra):
    data = {"csrf_token": token, "assessed_on": assessed.isoformat(),
            "information_on": information.isoformat()}
    if took_part:
        data["client_took_part"] = "y"
    for domain_id, score in zip(domains, scores, strict=True):
        data[f"score_{domain_id}"] = str(score)
        data[f"note_{domain_id}"] = f"Toelichting {domain_id}"
    data.update(extra)
    return data


def post_assessment(client, ref, domains, scores, **kwargs):
    path = f"/clienten/{ref}/zrm/nieuw"
    return client.post(path, data=form_data(csrf_token(client, path), domains, scores, **kwargs))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def test_the_migration_seeds_the_zrm_2017_as_data(app):
    with app.app_context():
        ensure_zrm_seed()
        version = db.session.scalar(select(ZrmVersion).where(ZrmVersion.current.is_(True)))
        assert version.code == "ZRM 2017"
        assert [d.name for d in version.domains] == DOMAINS
        assert [(level.score, level.label) for level in version.levels] == list(
            enumerate(LEVELS, 1))


def test_casemanager_records_an_assessment_with_every_domain(app, client, world):
    log_in(client, world["cm"])
    form = client.get(f"/clienten/{world['ref']}/zrm/nieuw")
    html = text_of(form)
    assert form.status_code == 200
    assert html.count('<fieldset class="card zrm-domain">') == 13
    assert [unescape(n) for n in re.findall(r"<legend><strong>\d+\. ([^<]+)</strong>",
                                            form.get_data(as_text=True))] == DOMAINS
    assert "5 – volledig zelfredzaam" in html and "Niet gescoord" in html
    scores = [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, "ng"]
    response = post_assessment(client, world["ref"], world["domains"], scores,
                               **{f"reason_{world['domains'][-1]}": "Niet besproken"},
                               information=TODAY - timedelta(days=30))
    assert response.status_code == 302
    with app.app_context():
        assessment = db.session.scalar(select(Assessment))
        assert assessment.assessed_by_id == world["cm"].id and assessment.client_took_part
        stored = {s.domain_id: s for s in assessment.scores}
        assert [stored[d].score for d in world["domains"]] == [*scores[:12], None]
        assert stored[world["domains"][-1]].not_scored_reason == "Niet besproken"
        assert stored[world["domains"][0]].note == f"Toelichting {world['domains'][0]}"
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "plans.zrm_recorded"))
        assert event.client_id == world["client_id"] and event.detail["scored"] == 12


@pytest.mark.parametrize("bad", ["3.5", "6", "0", "-1", "drie", "", "3,0", " 2"])
def test_refused_scores_get_a_dutch_message_and_store_nothing(app, client, world, bad):
    log_in(client, world["cm"])
    scores = [3] * 12 + [bad]
    response = post_assessment(client, world["ref"], world["domains"], scores)
    assert response.status_code == 422
    assert "Kies een" in text_of(response) and "score" in text_of(response)
    with app.app_context():
        assert count(Assessment) == 0 and count(AssessmentScore) == 0


def test_not_scored_needs_a_reason(app, client, world):
    log_in(client, world["cm"])
    response = post_assessment(client, world["ref"], world["domains"], [3] * 12 + ["ng"])
    assert response.status_code == 422
    assert "Justitie: geef een reden waarom dit domein niet is gescoord." in text_of(response)
    with app.app_context():
        assert count(Assessment) == 0


def test_information_older_than_30_days_warns_and_needs_confirmation(app, client, world):
    log_in(client, world["cm"])
    old = TODAY - timedelta(days=31)
    refused = post_assessment(client, world["ref"], world["domains"], [3] * 13,
                              information=old)
    assert refused.status_code == 422
    html = text_of(refused)
    assert "meer dan 30 dagen na de informatie" in html
    assert "Toch opslaan: de informatie is ouder dan 30 dagen" in html
    with app.app_context():
        assert count(Assessment) == 0
    accepted = post_assessment(client, world["ref"], world["domains"], [3] * 13,
                               information=old, accept_old_information="y")
    assert accepted.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Assessment.information_on)) == old


@pytest.mark.parametrize("assessed, information, message", [
    (TODAY + timedelta(days=1), TODAY, "Een meting kan niet in de toekomst liggen."),
    (TODAY, TODAY + timedelta(days=1), "De informatie kan niet van na de meetdatum zijn."),
])
def test_impossible_dates_are_refused(app, client, world, assessed, information, message):
    log_in(client, world["cm"])
    response = post_assessment(client, world["ref"], world["domains"], [3] * 13,
                               assessed=assessed, information=information)
    assert response.status_code == 422 and message in text_of(response)
    with app.app_context():
        assert count(Assessment) == 0


def _data(domains, scores, day=TODAY, **kwargs) -> AssessmentData:
    return AssessmentData(assessed_on=day, information_on=day, client_took_part=False,
                          entries=tuple(DomainEntry(d, s, **kwargs)
                                        for d, s in zip(domains, scores, strict=True)))


@pytest.mark.parametrize("scores, message", [
    ([3] * 12, "Vul voor elk domein"),  # a domain missing
    ([3.0] * 13, "kies een hele score"),  # not a whole number
    ([True] * 13, "kies een hele score"),
    ([7] * 13, "kies een hele score van 1 tot en met 5"),
])
def test_the_service_itself_refuses_what_the_form_would(app, world, scores, message):
    with app.app_context():
        actor, client = db.session.get(User, world["cm"].id), _client(world)
        domains = world["domains"][:len(scores)]
        with pytest.raises(DomainError, match=message):
            record_assessment(actor, client, _data(domains, scores))
        assert count(Assessment) == 0 and count(AssessmentScore) == 0


def test_a_reason_does_not_go_with_a_score(app, world):
    with app.app_context():
        actor, client = db.session.get(User, world["cm"].id), _client(world)
        with pytest.raises(DomainError, match="hoort niet bij een score"):
            record_assessment(actor, client, _data(world["domains"], [3] * 13,
                                                   not_scored_reason="Geen tijd"))


def _client(world):
    from portal.clients.models import Client

    return db.session.get(Client, world["client_id"])


def _record(world, day, scores):
    actor, client = db.session.get(User, world["cm"].id), _client(world)
    entries = tuple(DomainEntry(d, None if s is None else s,
                                not_scored_reason="Niet besproken" if s is None else None)
                    for d, s in zip(world["domains"], scores, strict=True))
    return record_assessment(actor, client, AssessmentData(
        assessed_on=day, information_on=day, client_took_part=True, entries=entries))


def test_differences_between_first_and_latest_and_any_two(app, client, world):
    with app.app_context():
        first = _record(world, date(2026, 1, 10), [1] * 12 + [None])
        middle = _record(world, date(2026, 3, 10), [2] * 13)
        latest = _record(world, date(2026, 6, 10), [4, 1, 2] + [2] * 10)
        refs = first.ref, middle.ref, latest.ref
        diffs = progress.differences(progress.domains_of([first, latest]), first, latest)
        assert [d.change for d in diffs] == [3, 0, 1] + [1] * 9 + [None]
        assert [d.label for d in diffs][:3] == ["hoger (+3)", "gelijk (0)", "hoger (+1)"]
        assert diffs[-1].label == "niet te vergelijken"
        backwards = progress.differences(progress.domains_of([latest]), latest, middle)
        assert backwards[0].label == "lager (-2)"
    log_in(client, world["cm"])
    page = text_of(client.get(f"/clienten/{world['ref']}/zrm"))
    assert "Verschil van 10 januari 2026 naar 10 juni 2026" in page
    assert "hoger (+3)" in page and "niet te vergelijken" in page
    chosen = text_of(client.get(f"/clienten/{world['ref']}/zrm?van={refs[1]}&tot={refs[2]}"))
    assert "Verschil van 10 maart 2026 naar 10 juni 2026" in chosen and "lager (-1)" in chosen
    unknown = text_of(client.get(f"/clienten/{world['ref']}/zrm?van=onzin&tot=ook"))
    assert "Verschil van 10 januari 2026 naar 10 juni 2026" in unknown


def test_a_chart_per_domain_is_accessible_svg_with_the_numbers(app, client, world):
    with app.app_context():
        _record(world, date(2026, 1, 10), [1] * 12 + [None])
        _record(world, date(2026, 6, 10), [4] * 13)
    log_in(client, world["cm"])
    html = client.get(f"/clienten/{world['ref']}/zrm").get_data(as_text=True)
    assert html.count('role="img"') == 13 and html.count("<svg") == 13
    assert "Financiën, score per meting: 10 januari 2026: 1; 10 juni 2026: 4." in unescape(html)
    assert "Justitie, score per meting: 10 januari 2026: niet gescoord; 10 juni 2026: 4." \
        in unescape(html)
    assert "<script" not in html.split("<main")[1]
    # Financiën: score 1 at the left edge is the lowest point, 4 higher up (smaller y).
    finance = html.split(f'id="grafiek-{world["domains"][0]}"')[1].split("</li>")[0]
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', finance)
    assert len(circles) == 2 and float(circles[0][0]) < float(circles[1][0])
    assert float(circles[0][1]) > float(circles[1][1])
    justice = html.split(f'id="grafiek-{world["domains"][-1]}"')[1].split("</li>")[0]
    assert len(re.findall("<circle", justice)) == 1


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert progress.add_months(date(2026, 3, 15), 3) == date(2026, 6, 15)
    assert progress.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert progress.add_months(date(2027, 11, 30), 3) == date(2028, 2, 29)


def due(user, today=None) -> list[tuple]:
    return [(client.werknaam, last_on) for client, last_on in
            db.session.execute(progress.due_assessments(user, today))]


def test_assessments_due_after_the_interval_with_a_frozen_clock(app, world, account):
    with app.app_context():
        cm = db.session.get(User, world["cm"].id)
        make_client("Lina", casemanagers=[world["cm"]])
        make_client("Mira", casemanagers=[world["other_cm"]])  # not hers
        make_client("Jet", casemanagers=[world["cm"]], status="afgesloten")  # not in caseload
        _record(world, date(2026, 3, 15), [3] * 13)
        assert due(cm) == [("Lina", None), ("Roos", date(2026, 3, 15))]
        assert progress.next_due(date(2026, 3, 15)) == date(2026, 6, 15)
        assert due(cm, TODAY - timedelta(days=1)) == [("Lina", None)]
        app.config["ZRM_REASSESSMENT_MONTHS"] = 4
        assert due(cm) == [("Lina", None)]
        assert due(db.session.get(User, world["other_cm"].id)) == [("Mira", None)]
        partner = db.session.get(User, world["people"][Role.NETWERKPARTNER].id)
        assert due(partner) == []


def test_a_clamped_month_end_makes_every_later_day_due_together():
    """30 November + 3 months is 28 February, so 28, 29 and 30 November are all due then."""
    from flask import Flask

    with Flask(__name__).app_context() as ctx:
        ctx.app.config["ZRM_REASSESSMENT_MONTHS"] = 3
        assert progress.latest_due_cutoff(date(2027, 2, 28)) == date(2026, 11, 30)
        assert progress.latest_due_cutoff(date(2027, 2, 27)) == date(2026, 11, 27)
        assert progress.latest_due_cutoff(date(2026, 6, 15)) == date(2026, 3, 15)


def test_the_overview_says_when_the_next_assessment_is_due(app, client, world):
    with app.app_context():
        _record(world, date(2026, 3, 16), [3] * 13)
    log_in(client, world["cm"])
    assert "Volgende meting uiterlijk 16 juni 2026." in text_of(
        client.get(f"/clienten/{world['ref']}/zrm"))
    with app.app_context():
        _record(world, date(2026, 3, 1), [3] * 13)  # an older one recorded later
    assert "Volgende meting uiterlijk 16 juni 2026." in text_of(
        client.get(f"/clienten/{world['ref']}/zrm"))


def test_a_later_zrm_version_is_a_data_change(app, client, world):
    with app.app_context():
        old = _record(world, date(2026, 1, 10), [2] * 13)
        db.session.execute(ZrmVersion.__table__.update().values(current=False))
        version = ZrmVersion(code="ZRM 2030", name="Zelfredzaamheid-Matrix 2030", current=True)
        db.session.add(version)
        db.session.flush()
        db.session.add_all([ZrmDomain(version_id=version.id, position=1, name="Wonen"),
                            ZrmDomain(version_id=version.id, position=2, name="Geld")]
                           + [ZrmLevel(version_id=version.id, score=s, label=f"niveau {s}")
                              for s in range(1, 5)])
        db.session.commit()
        new_domains = [d.id for d in version.domains]
    log_in(client, world["cm"])
    form = text_of(client.get(f"/clienten/{world['ref']}/zrm/nieuw"))
    assert "1. Wonen" in form and "2. Geld" in form and "Financiën" not in form
    assert "4 – niveau 4" in form and "5 –" not in form
    refused = post_assessment(client, world["ref"], new_domains, [5, 4])
    assert refused.status_code == 422 and "1 tot en met 4" in text_of(refused)
    assert post_assessment(client, world["ref"], new_domains, [4, 3]).status_code == 302
    detail = text_of(client.get(f"/clienten/{world['ref']}/zrm/meting?id={old.ref}"))
    assert "Financiën" in detail and "2 – niet zelfredzaam" in detail


def test_who_sees_what_of_an_assessment(app, client, world):
    with app.app_context():
        assessment = _record(world, date(2026, 6, 1), [3] * 13)
        db.session.get(AssessmentScore, assessment.scores[0].id).note = "Schulden bij de GGD"
        db.session.commit()
        ref = assessment.ref
    overview, detail = f"/clienten/{world['ref']}/zrm", f"/clienten/{world['ref']}/zrm/meting"
    for role in (Role.ERVARINGSDESKUNDIGE, Role.PROCESREGISSEUR):
        fresh = app.test_client()
        log_in(fresh, world["people"][role])
        assert fresh.get(overview).status_code == 200
        page = text_of(fresh.get(f"{detail}?id={ref}"))
        assert "3 – beperkt zelfredzaam" in page
        assert ("Schulden bij de GGD" in page) is (role == Role.ERVARINGSDESKUNDIGE)
        assert fresh.get(f"/clienten/{world['ref']}/zrm/nieuw").status_code == 403
    for role in (Role.BEHEERDER, Role.DIAGNOSTICUS, Role.REGISTRATIECONTACTPERSOON,
                 Role.PRIVACYFUNCTIONARIS, Role.NETWERKPARTNER):
        fresh = app.test_client()
        log_in(fresh, world["people"][role])
        assert fresh.get(overview).status_code == 403, role
        assert fresh.get(f"{detail}?id={ref}").status_code == 403, role
    log_in(client, world["cm"])
    assert client.get(f"{detail}?id=onbekend").status_code == 404
    with app.app_context():
        other = make_client("Mira")
        other_ref = other.ref
    assert client.get(f"/clienten/{other_ref}/zrm/meting?id={ref}").status_code == 404
    assert client.get("/clienten/onbekend/zrm").status_code == 404


def test_reading_an_assessment_is_audited(app, client, world):
    with app.app_context():
        assessment = _record(world, date(2026, 6, 1), [3] * 13)
        ref, assessment_id = assessment.ref, assessment.id
    log_in(client, world["cm"])
    client.get(f"/clienten/{world['ref']}/zrm/meting?id={ref}")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.event == "plans.zrm_viewed"))
        assert event.detail["assessment_id"] == assessment_id
        assert event.client_id == world["client_id"] and event.user_id == world["cm"].id


def test_outcomes_per_domain_against_known_answers(app, world):
    from decimal import Decimal

    from portal.plans.outcomes import domain_outcomes

    with app.app_context():
        cm = db.session.get(User, world["cm"].id)
        lina, mira = make_client("Lina"), make_client("Mira")
        eva = make_client("Eva")

        def assess(client, day, first_two, rest=3):
            entries = tuple(DomainEntry(d, s, None if s is not None else "Niet besproken")
                            for d, s in zip(world["domains"], [*first_two] + [rest] * 11,
                                            strict=True))
            record_assessment(cm, client, AssessmentData(day, day, True, entries))

        roos = _client(world)
        assess(roos, date(2026, 1, 5), (1, 2))
        assess(roos, date(2026, 3, 5), (2, 2))
        assess(roos, date(2026, 5, 5), (4, 2))        # Financiën +3, Werk 0
        assess(lina, date(2026, 2, 1), (3, None))
        assess(lina, date(2026, 4, 1), (2, 4))        # Financiën -1, Werk: one score only
        assess(mira, date(2026, 2, 1), (2, 1))
        assess(mira, date(2026, 6, 1), (3, 2))        # Financiën +1, Werk +1
        assess(eva, date(2026, 3, 1), (1, 1))         # one assessment: not counted
        assess(mira, date(2025, 12, 1), (5, 5))       # before the period: not counted
        finance, work, *others = domain_outcomes(date(2026, 1, 1), date(2026, 6, 10))
        assert (finance.domain, finance.clients, finance.rose, finance.stayed, finance.fell,
                finance.mean_difference) == ("Financiën", 3, 2, 0, 1, Decimal("1.00"))
        assert (work.clients, work.rose, work.stayed, work.fell, work.mean_difference) == (
            2, 1, 1, 0, Decimal("0.50"))
        assert finance.share(finance.rose) == Decimal("66.7")
        assert all((o.clients, o.stayed, o.mean_difference) == (3, 3, Decimal("0.00"))
                   for o in others)
        assert len(others) == 11 and others[-1].domain == "Justitie"
        # A past period keeps its answer when later assessments arrive.
        assess(lina, date(2026, 6, 14), (5, 5))
        assert domain_outcomes(date(2026, 1, 1), date(2026, 6, 10))[0] == finance
        empty = domain_outcomes(date(2020, 1, 1), date(2020, 12, 31))[0]
        assert (empty.clients, empty.mean_difference, empty.share(0)) == (0, None, None)
