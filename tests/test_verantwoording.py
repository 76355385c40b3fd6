"""Stand van zaken figures from dated events: a fixture with known events, each figure
asserted exactly (on SQLite and, with PORTAL_TEST_DATABASE_URL, on PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from portal.auth.models import User
from portal.clients.lifecycle import ClientStatus, TrajectKind
from portal.clients.models import (
    AssignmentChange,
    Client,
    StatusChange,
    Traject,
    client_casemanagers,
)
from portal.extensions import db
from portal.registrations import services as registration_services
from portal.registrations.lifecycle import RevocationReason
from portal.roles import Role
from portal.verantwoording import figures
from tests.database import counted_statements
from tests.factories import make_organisation, make_registration, make_user

S = ClientStatus
H1 = (date(2026, 1, 1), date(2026, 6, 30))
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))


def _moment(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def _history(client: Client, by: int, *changes: tuple[str, date]) -> None:
    previous = None
    for status, day in changes:
        db.session.add(StatusChange(client_id=client.id, from_status=previous, to_status=status,
                                    changed_on=day, reason="Vastgelegd in de test", by_id=by))
        previous = status
    client.status = previous


def _assign(client: Client, users, on: datetime) -> None:
    """Assigned casemanagers with the moment they were assigned (as the table records it)."""
    db.session.execute(client_casemanagers.insert(), [
        {"client_id": client.id, "user_id": user.id, "assigned_at": on} for user in users])


def _traject(client: Client, kind: TrajectKind, start: date | None, end: date | None) -> None:
    db.session.add(Traject(client_id=client.id, kind=kind.value, status="lopend",
                           start_date=start, end_date=end))


def build_world() -> dict:
    """Six women with known histories (see the test names for what each one proves)."""
    iris = make_organisation("Iriszorg")
    leger = make_organisation("Leger des Heils")
    ca = db.session.get(User, make_user(Role.CASEMANAGER, name="Carla Iris",
                                        organisation=iris).id)
    cb = db.session.get(User, make_user(Role.CASEMANAGER, name="Bram Leger",
                                        organisation=leger).id)
    names = ("Anna", "Bea", "Cato", "Dina", "Eva", "Fleur")
    women = {name: Client(werknaam=name, number=f"T-{n}") for n, name in enumerate(names)}
    db.session.add_all(women.values())
    db.session.flush()
    a, b, c, d, e, f = women.values()
    by = ca.id
    # Anna: active in December 2025 and in the first quarter of 2026, closed in March,
    # reopened in September: active in two periods.
    _history(a, by, (S.AANGEMELD, date(2025, 11, 1)), (S.ACTIEF, date(2025, 12, 1)),
             (S.AFGESLOTEN, date(2026, 3, 15)), (S.ACTIEF, date(2026, 9, 1)))
    # Bea: handed over in April and back with the Stapteam in May (a reversed handover).
    _history(b, by, (S.ACTIEF, date(2026, 2, 1)), (S.OVERGEDRAGEN_REGULIER, date(2026, 4, 10)),
             (S.ACTIEF, date(2026, 5, 1)))
    # Cato: from monitoring to another municipality; only the last outflow counts.
    _history(c, by, (S.ACTIEF, date(2025, 6, 1)), (S.MONITORING, date(2026, 2, 1)),
             (S.OVERGEDRAGEN_GEMEENTE, date(2026, 5, 1)))
    _history(d, by, (S.AANGEMELD, date(2026, 1, 10)))  # never active
    _history(e, by, (S.ACTIEF, date(2026, 6, 30)))  # active on the last day only
    # Fleur: closed on the first day of 2026: active in 2025, not in 2026.
    _history(f, by, (S.ACTIEF, date(2025, 1, 1)), (S.AFGESLOTEN, date(2026, 1, 1)))
    # Bea was with Carla (Iriszorg) on 30 June; Bram took over in July (after the period).
    _assign(b, [cb], _moment(2026, 7, 15))
    db.session.add(AssignmentChange(client_id=b.id, by_id=by, changed_at=_moment(2026, 7, 15),
                                    from_casemanagers="Carla Iris", to_casemanagers="Bram Leger"))
    # Eva: a handover to Bram in March, reversed to both in April; both hold on 30 June.
    _assign(e, [ca, cb], _moment(2026, 4, 1))
    db.session.add_all([
        AssignmentChange(client_id=e.id, by_id=by, changed_at=_moment(2026, 3, 1),
                         from_casemanagers="Carla Iris", to_casemanagers="Bram Leger"),
        AssignmentChange(client_id=e.id, by_id=by, changed_at=_moment(2026, 4, 1),
                         from_casemanagers="Bram Leger",
                         to_casemanagers="Bram Leger, Carla Iris")])
    _assign(a, [ca], _moment(2025, 12, 1))  # closed on 30 June: not in the caseload
    _traject(a, TrajectKind.INSTROOMWONING, date(2025, 10, 1), date(2026, 2, 15))  # spans start
    _traject(b, TrajectKind.INSTROOMWONING, date(2026, 6, 15), None)  # still running
    _traject(c, TrajectKind.TIME_OUT, date(2026, 6, 20), date(2026, 7, 10))  # spans the end
    _traject(e, TrajectKind.TIME_OUT, date(2025, 5, 1), date(2025, 12, 31))  # before
    _traject(c, TrajectKind.DIAGNOSTIEK, None, None)  # proposed, not started
    _traject(b, TrajectKind.DIAGNOSTIEK, date(2026, 7, 1), None)  # after
    _traject(b, TrajectKind.FLEXBUDGET, date(2026, 3, 1), date(2026, 3, 1))  # not reported
    db.session.commit()
    contact = make_user(Role.REGISTRATIECONTACTPERSOON).id
    make_registration(a, contact, status="verleend", requested_on=date(2025, 12, 1))
    make_registration(b, contact, status="ingetrokken", requested_on=date(2026, 2, 1))
    third = make_registration(c, contact, status="verleend", requested_on=date(2026, 3, 1))
    registration_services.revoke(db.session.get(User, contact), third, on=date(2026, 4, 1),
                                 reason=RevocationReason.VOORWAARDEN)
    return {"women": women, "casemanagers": (ca, cb)}


@pytest.fixture
def world(app, freeze_today):
    freeze_today(date(2026, 5, 20))  # the revocation "today" of make_registration
    with app.app_context():
        build_world()
    return app


def test_active_women_counts_a_status_at_any_moment_of_the_period(world):
    with world.app_context():
        assert figures.active_women(*H1) == 4  # Anna, Bea, Cato, Eva
        assert figures.active_women(*YEAR_2025) == 3  # Anna, Cato, Fleur


def test_a_woman_active_in_two_periods_counts_in_both_and_not_between(world):
    with world.app_context():
        assert figures.active_women(date(2026, 4, 1), date(2026, 8, 31)) == 2  # Bea, Eva
        assert figures.active_women(date(2026, 9, 1), date(2026, 12, 31)) == 3  # Anna, Bea, Eva
        assert figures.active_women(date(2026, 3, 16), date(2026, 3, 31)) == 1  # Bea only


def test_trajecten_overlapping_started_and_ended(world):
    with world.app_context():
        result = {t.kind: (t.overlapping, t.started, t.ended) for t in figures.trajecten(*H1)}
    assert result == {TrajectKind.INSTROOMWONING: (2, 1, 1), TrajectKind.TIME_OUT: (1, 1, 0),
                      TrajectKind.DIAGNOSTIEK: (0, 0, 0)}


def test_a_traject_spanning_the_boundary_counts_in_both_periods(world):
    with world.app_context():
        second = {t.kind: (t.overlapping, t.started, t.ended)
                  for t in figures.trajecten(date(2026, 7, 1), date(2026, 12, 31))}
    assert second[TrajectKind.TIME_OUT] == (1, 0, 1)
    assert second[TrajectKind.INSTROOMWONING] == (1, 0, 0)
    assert second[TrajectKind.DIAGNOSTIEK] == (1, 1, 0)


def test_overdrachten_count_the_last_outflow_and_not_a_reversed_handover(world):
    with world.app_context():
        report = figures.stand_van_zaken(*H1)
    assert report.overdrachten == {S.AFGESLOTEN: 2, S.OVERGEDRAGEN_REGULIER: 0,
                                   S.OVERGEDRAGEN_GEMEENTE: 1, S.MONITORING: 0}
    assert report.overdrachten_reversed == 1
    assert report.overdrachten_total == 3


def test_caseload_at_the_period_end_follows_the_handover_history(world):
    with world.app_context():
        report = figures.stand_van_zaken(*H1)
    # Bea with Carla (the July handover is later), Eva with both after the reversed handover.
    assert report.caseload == {"Iriszorg": 2, "Leger des Heils": 1}
    assert report.caseload_total == 2


def test_caseload_today_uses_the_current_assignment(world):
    with world.app_context():
        report = figures.stand_van_zaken(date(2026, 1, 1), date(2026, 12, 31))
    # Anna (reopened, Carla), Bea (now Bram), Eva (both).
    assert report.caseload == {"Iriszorg": 2, "Leger des Heils": 2}
    assert report.caseload_total == 3


def test_registrations_issued_and_revoked_by_their_dates(world):
    with world.app_context():
        first_half = figures.stand_van_zaken(*H1).registrations
        last_year = figures.registrations(*YEAR_2025)
    assert (first_half.issued, first_half.revoked_total, first_half.revoked_on_request) == \
        (2, 2, 1)
    assert first_half.revoked[RevocationReason.VOORWAARDEN] == 1
    assert (last_year.issued, last_year.revoked_total) == (1, 0)


def test_a_past_report_does_not_change_when_the_present_does(world):
    with world.app_context():
        before = figures.stand_van_zaken(*YEAR_2025)
        bea = db.session.query(Client).filter_by(werknaam="Bea").one()
        _history(bea, bea.casemanagers[0].id, (S.AFGESLOTEN, date(2026, 11, 1)))
        db.session.commit()
        after = figures.stand_van_zaken(*YEAR_2025)
    assert (before.active_women, before.overdrachten, before.caseload) == \
        (after.active_women, after.overdrachten, after.caseload)


def test_the_report_is_a_fixed_number_of_queries(world):
    with world.app_context():
        figures.stand_van_zaken(*H1)  # warm: ZRM domains, metadata
    with counted_statements(world) as small, world.app_context():
        figures.stand_van_zaken(*H1)
    with world.app_context():
        carla = db.session.query(User).filter(User.name == "Carla Iris").one()
        for n in range(30):
            extra = Client(werknaam=f"Extra {n}", number=f"X-{n}")
            db.session.add(extra)
            db.session.flush()
            _history(extra, carla.id, (S.ACTIEF, date(2026, 2, 1)),
                     (S.MONITORING, date(2026, 3, 1)), (S.ACTIEF, date(2026, 4, 1)))
            db.session.add(AssignmentChange(client_id=extra.id, by_id=carla.id,
                                            changed_at=_moment(2026, 8, 1),
                                            from_casemanagers="Carla Iris"))
            _traject(extra, TrajectKind.TIME_OUT, date(2026, 2, 1), None)
        db.session.commit()
    with counted_statements(world) as large, world.app_context():
        figures.stand_van_zaken(*H1)
    assert len(large) == len(small) <= 20


def test_reference_date_reports_from_the_first_of_january(world):
    with world.app_context():
        report = figures.for_reference_date(date(2026, 6, 30))
    assert (report.start, report.end, report.active_women) == (*H1, 4)


def test_hours_and_budget_absent_until_their_features_exist(world):
    from portal.plans.outcomes import outcomes_for_period

    with world.app_context():
        assert figures._optional("portal.bestaat_niet.figures", "x", *H1) is None
        assert figures._optional("portal.plans.outcomes", "outcomes_for_period", *H1) == \
            outcomes_for_period(*H1)
