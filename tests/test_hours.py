"""Hours over HTTP: booking with durations typed the Dutch way, refusals that store nothing,
the edit window on a frozen clock, late changes with a reason in the history and the audit
trail, soft deletes, the week view's totals, the dossier's quick form, and who sees what."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.hours.durations import DurationRefusal, format_duration, parse_duration
from portal.hours.kinds import ensure_default_kinds
from portal.hours.models import ActivityKind, TimeEntry, TimeEntryChange
from portal.roles import Role
from tests.conftest import csrf_token, log_in
from tests.factories import Person, make_client, make_team

TODAY = date(2026, 6, 17)  # a Wednesday


@pytest.mark.parametrize("text, minutes", [
    ("90", 90), ("1:30", 90), ("1,5 uur", 90), ("1.5", 90), ("1,5", 90), ("1u30", 90),
    ("1 uur 30 min", 90), ("1 uur en 30 minuten", 90), ("1h30m", 90), ("45 min", 45),
    ("2u", 120), ("2 uren", 120), ("0:45", 45), ("24:00", 1440), (" 15 ", 15),
    ("1,33 uur", 80), ("1 UUR", 60),
])
def test_durations_people_type(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text, message", [
    ("", "Vul de duur in"), ("-30", "niet negatief"), ("\u221230", "niet negatief"),
    ("0", "minstens 1 minuut"), ("0:00", "minstens 1 minuut"), ("25:00", "hoogstens 24 uur"),
    ("1441", "hoogstens 24 uur"), ("24,5 uur", "hoogstens 24 uur"), ("1:75", "0 tot en met 59"),
    ("1,5 uur 30", "minuten onder de 60"), ("1 uur 60", "minuten onder de 60"),
    ("abc", "Vul een duur in"), ("١٢٣", "Vul een duur in"), ("1e3", "Vul een duur in"),
    ("NaN", "Vul een duur in"), ("9" * 50, "Vul een duur in"), ("1,555", "Vul een duur in"),
])
def test_nonsense_durations_are_refused_in_dutch(text, message):
    with pytest.raises(DurationRefusal, match=message):
        parse_duration(text)


def test_durations_are_shown_as_hours_and_minutes():
    assert [format_duration(m) for m in (5, 90, 1440)] == ["0:05", "1:30", "24:00"]
    assert format_duration(None) == "—"


@pytest.fixture(autouse=True)
def _frozen_today(freeze_today):
    freeze_today(TODAY)


@pytest.fixture
def team(app):
    return team_world(app)


def team_world(app):
    """Lotte (casemanager, Leger des Heils) with Roos, Carla (Iriszorg), Esra (LdH,
    ervaringsdeskundige), Pieter (procesregie), Bea (beheerder) and the default kinds."""
    with app.app_context():
        ensure_default_kinds()
        people = make_team({
            "lotte": Person((Role.CASEMANAGER,), "Lotte Verbeek", "Leger des Heils"),
            "carla": Person((Role.CASEMANAGER,), "Carla de Wit", "Iriszorg"),
            "esra": Person((Role.ERVARINGSDESKUNDIGE,), "Esra Yilmaz", "Leger des Heils"),
            "pieter": Person((Role.PROCESREGISSEUR,), "Pieter Janssen", "ZVH"),
            "bea": Person((Role.BEHEERDER,), "Bea Hendriks", "Gemeente Nijmegen"),
        })
        roos = make_client("Roos", casemanagers=[people["lotte"]])
        kinds = {k.name: k.id for k in db.session.scalars(select(ActivityKind))}
    return people, roos.ref, roos.number, kinds


def signed_in(app, account):
    client = app.test_client()
    log_in(client, account)
    return client


def book(http, **fields):
    data = {"csrf_token": csrf_token(http, "/uren/nieuw"), "work_date": TODAY.isoformat(),
            "duration": "1:30", "kind_id": "", "client": "", "note": "", "reason": "",
            **fields}
    return http.post("/uren/nieuw", data=data)


def entries(app):
    with app.app_context():
        return list(db.session.scalars(select(TimeEntry).order_by(TimeEntry.id)))


def events(app, name):
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)
                                       .order_by(AuditEvent.seq)))


def body(response) -> str:
    return unescape(response.get_data(as_text=True))


def text(response) -> str:
    """The page as a reader sees it: no tags, single spaces."""
    return " ".join(re.sub(r"<[^>]+>", " ", body(response)).split())


def test_booking_time_with_a_client_copies_organisation_and_capacity(app, team):
    people, roos_ref, roos_number, kinds = team
    lotte = signed_in(app, people["lotte"])
    response = book(lotte, client=roos_ref, duration="1,5 uur",
                    kind_id=str(kinds["Face-to-face contact"]), note="Gesprek in de huiskamer")
    assert response.status_code == 302 and "/uren/week?datum=2026-06-17" in response.location
    [entry] = entries(app)
    with app.app_context():
        entry = db.session.get(TimeEntry, entry.id)
        assert (entry.minutes, entry.capacity, entry.organisation.name, entry.client.number) == (
            90, "casemanagement", "Leger des Heils", roos_number)
        [change] = entry.changes
        assert change.action == "aangemaakt" and not change.late
        assert change.changes["duur"] == [None, "1:30"]
    [event] = events(app, "hours.entry_created")
    assert event.user_id == people["lotte"].id and event.detail["minutes"] == 90
    assert "Gesprek" not in str(event.detail)  # the note stays out of the audit trail
    page = body(lotte.get("/uren/week?datum=2026-06-15"))
    assert "Gesprek in de huiskamer" in page and "Roos" in page and "1:30" in page


def test_a_later_move_of_the_person_does_not_rewrite_history(app, team):
    people, roos_ref, _, kinds = team
    esra = signed_in(app, people["esra"])
    book(esra, kind_id=str(kinds["Teamoverleg"]), duration="60")
    with app.app_context():
        user = db.session.get(User, people["esra"].id)
        iriszorg = db.session.get(User, people["carla"].id).organisation_id
        user.organisation_id = iriszorg
        db.session.commit()
        [entry] = db.session.scalars(select(TimeEntry)).all()
        assert entry.organisation.name == "Leger des Heils"
        assert entry.capacity == "ervaringsdeskundige" and entry.client_id is None


@pytest.mark.parametrize("fields, message", [
    ({"duration": "abc"}, "Vul een duur in zoals 90"),
    ({"duration": "-20"}, "niet negatief"),
    ({"duration": "25:00"}, "hoogstens 24 uur"),
    ({"duration": ""}, "Vul de duur in"),
    ({"work_date": (TODAY + timedelta(days=1)).isoformat()}, "nog moet komen"),
    ({"work_date": "2026-02-30"}, "Ongeldige datum"),
    ({"work_date": "2020-01-01"}, "meer dan 400 dagen"),
    ({"kind_id": "999999"}, "Kies een soort activiteit uit de lijst"),
    ({"kind_id": "abc"}, "Kies een soort activiteit uit de lijst"),
    ({"client": "onbekend"}, "Kies een cliënt uit de lijst"),
    ({"kind_id": "teamkind"}, "teamtijd: kies een andere soort of teamtijd"),
    ({"kind_id": "clientkind", "client": ""}, "cliënttijd: kies een andere soort of een cliënt"),
    ({"note": "x" * 201}, "Hoogstens 200 tekens"),
])
def test_refused_bookings_store_nothing(app, team, fields, message):
    people, roos_ref, _, kinds = team
    lotte = signed_in(app, people["lotte"])
    fields = dict(fields)
    if fields.get("kind_id") == "teamkind":
        fields.update(kind_id=str(kinds["Scholing"]), client=roos_ref)
    elif fields.get("kind_id") == "clientkind":
        fields["kind_id"] = str(kinds["Face-to-face contact"])
    response = book(lotte, **{"kind_id": str(kinds["Administratie"]), "client": roos_ref,
                              **fields})
    assert response.status_code == 422
    assert message in body(response)
    assert entries(app) == [] and events(app, "hours.entry_created") == []


def test_an_inactive_kind_is_not_offered_and_refused(app, team):
    people, _, _, kinds = team
    with app.app_context():
        db.session.get(ActivityKind, kinds["Reistijd"]).active = False
        db.session.commit()
    lotte = signed_in(app, people["lotte"])
    assert ">Reistijd<" not in body(lotte.get("/uren/nieuw"))
    assert book(lotte, kind_id=str(kinds["Reistijd"])).status_code == 422
    assert entries(app) == []


def test_only_hour_writers_book(app, team):
    people, _, _, _ = team
    pieter = signed_in(app, people["pieter"])
    assert pieter.get("/uren/nieuw").status_code == 403
    assert pieter.get("/uren/week").status_code == 403


def _edit(http, ref, **fields):
    page = http.get(f"/uren/boeking/{ref}/wijzigen")
    assert page.status_code == 200
    with_values = {"csrf_token": csrf_token(http, f"/uren/boeking/{ref}/wijzigen"), **fields}
    return http.post(f"/uren/boeking/{ref}/wijzigen", data=with_values)


def _booked(app, people, kinds, roos_ref, day=TODAY):
    lotte = signed_in(app, people["lotte"])
    response = book(lotte, client=roos_ref, work_date=day.isoformat(),
                    kind_id=str(kinds["Face-to-face contact"]), note="Eerste notitie",
                    reason="Vergeten te boeken" if (TODAY - day).days > 14 else "")
    assert response.status_code == 302, body(response)[:2000]
    return lotte, entries(app)[-1].ref


def _form(roos_ref, kinds, **changes):
    return {"work_date": TODAY.isoformat(), "duration": "1:30",
            "kind_id": str(kinds["Face-to-face contact"]), "client": roos_ref,
            "note": "Eerste notitie", "reason": "", **changes}


def test_within_the_window_she_changes_freely(app, team, freeze_today):
    people, roos_ref, _, kinds = team
    lotte, ref = _booked(app, people, kinds, roos_ref)
    freeze_today(TODAY + timedelta(days=14))
    response = _edit(lotte, ref, **_form(roos_ref, kinds, duration="2u",
                                         work_date=TODAY.isoformat()))
    assert response.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(TimeEntry).where(TimeEntry.ref == ref))
        assert entry.minutes == 120
        change = entry.changes[-1]
        assert (change.action, change.late, change.reason) == ("gewijzigd", False, None)
        assert change.changes == {"duur": ["1:30", "2:00"]}


def test_after_the_window_a_change_needs_a_reason_and_is_visible(app, team, freeze_today):
    people, roos_ref, _, kinds = team
    lotte, ref = _booked(app, people, kinds, roos_ref)
    freeze_today(TODAY + timedelta(days=15))
    refused = _edit(lotte, ref, **_form(roos_ref, kinds, duration="45"))
    assert refused.status_code == 422 and "geef een reden" in body(refused)
    with app.app_context():
        assert db.session.scalar(select(TimeEntry.minutes).where(TimeEntry.ref == ref)) == 90
    accepted = _edit(lotte, ref, **_form(roos_ref, kinds, duration="45",
                                         reason="Verkeerd overgenomen uit mijn agenda"))
    assert accepted.status_code == 302
    [event] = events(app, "hours.entry_changed")
    assert event.detail == {"fields": ["duur"], "late": True}
    page = body(lotte.get(f"/uren/boeking/{ref}"))
    assert "Verkeerd overgenomen uit mijn agenda" in page and "na termijn" in page
    assert "duur: 1:30 → 0:45" in page


def test_moving_an_entry_to_a_day_outside_the_window_needs_a_reason(app, team):
    people, roos_ref, _, kinds = team
    lotte, ref = _booked(app, people, kinds, roos_ref)
    old_day = (TODAY - timedelta(days=20)).isoformat()
    refused = _edit(lotte, ref, **_form(roos_ref, kinds, work_date=old_day))
    assert refused.status_code == 422 and "geef een reden" in body(refused)


def test_booking_a_day_long_ago_needs_a_reason(app, team):
    people, roos_ref, _, kinds = team
    lotte = signed_in(app, people["lotte"])
    day = (TODAY - timedelta(days=15)).isoformat()
    refused = book(lotte, work_date=day, kind_id=str(kinds["Administratie"]))
    assert refused.status_code == 422 and entries(app) == []
    assert book(lotte, work_date=day, kind_id=str(kinds["Administratie"]),
                reason="Na de vakantie bijgewerkt").status_code == 302
    with app.app_context():
        [change] = db.session.scalars(select(TimeEntryChange)).all()
        assert change.late and change.reason == "Na de vakantie bijgewerkt"


def test_saving_without_a_change_is_refused(app, team):
    people, roos_ref, _, kinds = team
    lotte, ref = _booked(app, people, kinds, roos_ref)
    response = _edit(lotte, ref, **_form(roos_ref, kinds))
    assert response.status_code == 422 and "niets gewijzigd" in body(response)


def test_deleting_keeps_the_record_and_leaves_the_totals(app, team, freeze_today):
    people, roos_ref, _, kinds = team
    lotte, ref = _booked(app, people, kinds, roos_ref)
    freeze_today(TODAY + timedelta(days=30))
    url = f"/uren/boeking/{ref}/verwijderen"
    refused = lotte.post(url, data={"csrf_token": csrf_token(lotte, url), "reason": ""})
    assert refused.status_code == 422 and "geef een reden" in body(refused)
    done = lotte.post(url, data={"csrf_token": csrf_token(lotte, url),
                                 "reason": "Dubbel geboekt"})
    assert done.status_code == 302
    with app.app_context():
        entry = db.session.scalar(select(TimeEntry).where(TimeEntry.ref == ref))
        assert entry.deleted_by_id == people["lotte"].id and entry.delete_reason == "Dubbel geboekt"
        assert [c.action for c in entry.changes] == ["aangemaakt", "verwijderd"]
    assert events(app, "hours.entry_deleted")[0].detail == {"late": True}
    week = text(lotte.get("/uren/week?datum=" + TODAY.isoformat()))
    assert "(verwijderd)" in week and "Totaal deze week: 0:00 uur" in week
    again = lotte.get(f"/uren/boeking/{ref}/wijzigen")
    assert again.status_code == 302  # a deleted entry cannot be changed
    assert "verwijderd" in body(lotte.get(f"/uren/boeking/{ref}"))


def test_week_view_totals_per_day_and_kind_and_navigation(app, team):
    people, roos_ref, _, kinds = team
    lotte = signed_in(app, people["lotte"])
    monday = TODAY - timedelta(days=2)
    for day, duration, kind, client in (
            (monday, "1:00", "Face-to-face contact", roos_ref),
            (monday, "30", "Administratie", ""),
            (TODAY, "2u", "Face-to-face contact", roos_ref),
            (monday - timedelta(days=1), "45", "Teamoverleg", "")):  # the Sunday before
        assert book(lotte, work_date=day.isoformat(), duration=duration,
                    kind_id=str(kinds[kind]), client=client).status_code == 302
    from portal.hours.queries import week_of
    with app.app_context():
        week = week_of(db.session.get(User, people["lotte"].id), monday)
    assert week.per_day[monday] == 90 and week.per_day[TODAY] == 120 and week.total == 210
    assert week.per_kind == {"Administratie": 30, "Face-to-face contact": 180}
    page = body(lotte.get(f"/uren/week?datum={TODAY.isoformat()}"))
    assert "Totaal deze week: 3:30 uur (3,50 uur)" in text(lotte.get("/uren/week"))
    assert "/uren/week?datum=2026-06-08" in page and "/uren/week?datum=2026-06-22" in page
    previous = text(lotte.get("/uren/week?datum=2026-06-08"))
    assert "Totaal deze week: 0:45 uur" in previous
    assert lotte.get("/uren/week?datum=kapot").status_code == 200


def test_quick_entry_from_the_dossier(app, team):
    people, roos_ref, _, kinds = team
    carla = signed_in(app, people["carla"])  # not assigned to Roos: the team works together
    dossier = body(carla.get(f"/clienten/{roos_ref}"))
    assert 'action="/uren/nieuw"' in dossier and f'value="{roos_ref}"' in dossier
    assert ">Teamoverleg<" not in dossier.split('id="uren-kop"')[1].split("</section>")[0]
    response = carla.post("/uren/nieuw", data={
        "csrf_token": csrf_token(carla, f"/clienten/{roos_ref}"), "client": roos_ref,
        "back": "dossier", "work_date": TODAY.isoformat(), "duration": "20",
        "kind_id": str(kinds["Telefonisch / digitaal contact"])})
    assert response.status_code == 302 and response.location.endswith(f"/clienten/{roos_ref}")
    [entry] = entries(app)
    assert entry.user_id == people["carla"].id and entry.minutes == 20
    with app.app_context():
        assert db.session.get(TimeEntry, entry.id).organisation.name == "Iriszorg"


def test_the_dossier_has_no_quick_form_for_who_does_not_book(app, team):
    people, roos_ref, _, _ = team
    pieter = signed_in(app, people["pieter"])
    page = body(pieter.get(f"/clienten/{roos_ref}"))
    assert 'id="uren-kop"' not in page


def test_another_persons_entry_is_hidden_and_the_denial_audited(app, team):
    people, roos_ref, _, kinds = team
    _, ref = _booked(app, people, kinds, roos_ref)
    carla = signed_in(app, people["carla"])
    for url in (f"/uren/boeking/{ref}", f"/uren/boeking/{ref}/wijzigen",
                f"/uren/boeking/{ref}/verwijderen"):
        assert carla.get(url).status_code == 404
    token = csrf_token(carla, "/uren/nieuw")
    assert carla.post(f"/uren/boeking/{ref}/verwijderen",
                      data={"csrf_token": token, "reason": "x"}).status_code == 404
    denials = [e for e in events(app, "access.denied") if e.object_type == "time_entry"]
    assert len(denials) == 4 and all(e.user_id == people["carla"].id for e in denials)
    assert "Eerste notitie" not in body(carla.get("/uren/week?datum=" + TODAY.isoformat()))
    with app.app_context():
        assert db.session.scalar(select(TimeEntry.deleted_at).where(TimeEntry.ref == ref)) is None
    pieter = signed_in(app, people["pieter"])
    assert pieter.get(f"/uren/boeking/{ref}").status_code == 403


def test_procesregie_sees_totals_without_notes(app, team):
    people, roos_ref, roos_number, kinds = team
    _booked(app, people, kinds, roos_ref)
    esra = signed_in(app, people["esra"])
    book(esra, duration="2u", kind_id=str(kinds["Outreach op de zone"]),
         note="Geheim: zij sliep in de auto")
    pieter = signed_in(app, people["pieter"])
    page = body(pieter.get("/uren/totalen?van=2026-06-01&tot=2026-06-30"))
    assert "Eerste notitie" not in page and "Geheim" not in page and "auto" not in page
    assert roos_number in page and "Roos" not in page  # client numbers, not names
    assert "Lotte Verbeek" in page and "Esra Yilmaz" in page
    assert "Alle geboekte uren in de periode: 3,50 uur" in text(
        pieter.get("/uren/totalen?van=2026-06-01&tot=2026-06-30"))
    person_rows = page.split("Per medewerker")[1].split("</table>")[0]
    assert "1,50" in person_rows and "2,00" in person_rows
    event = events(app, "hours.totals_viewed")[0]
    assert event.detail == {"van": "2026-06-01", "tot": "2026-06-30"}
    lotte = signed_in(app, people["lotte"])
    assert lotte.get("/uren/totalen").status_code == 403
    assert lotte.get("/uren/realisatie").status_code == 403


def test_totals_count_without_deleted_entries_in_a_fixed_number_of_queries(app, team):
    from portal.hours.queries import totals
    from tests.database import counted_statements

    people, roos_ref, roos_number, kinds = team
    _booked(app, people, kinds, roos_ref)
    lotte, ref = _booked(app, people, kinds, roos_ref)
    url = f"/uren/boeking/{ref}/verwijderen"
    lotte.post(url, data={"csrf_token": csrf_token(lotte, url), "reason": ""})
    with counted_statements(app) as statements, app.app_context():
        found = totals(date(2026, 6, 1), date(2026, 6, 30))
    assert len([s for s in statements if s.startswith("SELECT")]) == 4
    assert found.per_client == [(roos_number, 90, 1)] and found.total == 90
    assert found.per_kind == [("Face-to-face contact", 90)]
    assert found.per_organisation == [("Leger des Heils", 90, 0)]



def hours_sweep_objects(user_id: int | None) -> dict:
    """For the route sweeps (tests/test_access.py, test_robustness.py): a time entry of the
    sweeping user when she writes hours (else of another casemanager), a target and a kind.
    Runs inside the sweep's app context."""
    from decimal import Decimal

    from portal.access.hours import can_write_hours
    from portal.hours.models import HourTarget
    from tests.factories import make_user

    ensure_default_kinds()
    sweeper = db.session.get(User, user_id) if user_id is not None else None
    owner = sweeper if sweeper is not None and can_write_hours(sweeper) else db.session.get(
        User, make_user(Role.CASEMANAGER).id)
    kind = db.session.scalars(select(ActivityKind).order_by(ActivityKind.id)).first()
    entry = TimeEntry(user_id=owner.id, organisation_id=owner.organisation_id,
                      capacity="casemanagement", work_date=date.today(), minutes=30,
                      kind_id=kind.id, note="Notitie van de veger")
    target = HourTarget(organisation_id=owner.organisation_id, valid_from=date(2026, 1, 1),
                        weekly_hours=Decimal(20), hours_per_client=Decimal("1.5"),
                        created_by_id=owner.id)
    db.session.add_all([entry, target])
    db.session.commit()
    return {"entry_ref": entry.ref, "target_id": target.id, "kind_id": kind.id}


def test_the_services_guard_themselves(app, team):
    """What the forms and loaders already stop, the services refuse too."""
    from portal.hours import kinds as kind_services
    from portal.hours import services
    from portal.refusal import DomainError

    people, roos_ref, _, kinds = team
    _, ref = _booked(app, people, kinds, roos_ref)
    with app.app_context():
        lotte, carla, pieter, bea = (db.session.get(User, people[k].id)
                                     for k in ("lotte", "carla", "pieter", "bea"))
        entry = db.session.scalar(select(TimeEntry).where(TimeEntry.ref == ref))
        good = services.EntryData(TODAY, 30, kinds["Administratie"], None, None)
        refusals = [
            (services.record_entry, (pieter, good), "Alleen casemanagers"),
            (services.change_entry, (carla, entry, good), "alleen uw eigen boekingen"),
            (services.delete_entry, (carla, entry, None), "alleen uw eigen boekingen"),
            (services.record_entry, (lotte, services.EntryData(TODAY, 0, kinds["Administratie"],
                                                                None, None)), "minstens 1"),
            (services.record_entry, (lotte, services.EntryData(TODAY, 30, None, None, None)),
             "soort activiteit"),
            (services.record_entry, (lotte, services.EntryData(
                TODAY, 30, kinds["Administratie"], 999999, None)), "Kies een cliënt"),
            (kind_services.add_kind, (bea, "   ", "client"), "Vul een naam in"),
            (kind_services.add_kind, (bea, "Iets", "overal"), "waarvoor"),
        ]
        for function, args, message in refusals:
            with pytest.raises(DomainError, match=message):
                function(*args)
        services.delete_entry(lotte, entry, None)
        with pytest.raises(DomainError, match="verwijderd"):
            services.change_entry(lotte, entry, good)
        assert db.session.scalar(select(func.count(TimeEntry.id))) == 1
    lotte_web = signed_in(app, people["lotte"])
    assert lotte_web.get(f"/uren/boeking/{ref}/verwijderen").status_code == 302
