"""Fictional dated trajecten for the demo dossiers (portal/demo.py), so the stand van zaken
of the current year shows time-out and instroomwoning trajecten beside the demo's status
changes, registrations, hours and budget."""

from __future__ import annotations

from datetime import date, timedelta

from portal.clients import services as client_services
from portal.clients.lifecycle import TrajectKind, TrajectStatus
from portal.clock import local_today


def _this_year(days_ago: int) -> date:
    """`days_ago` before today, but not before the first of January of this year."""
    today = local_today()
    return max(today - timedelta(days=days_ago), today.replace(month=1, day=1))


def seed_demo_report(staff: dict, clients: dict) -> None:
    """Roos: a finished time-out week; Mira: an instroomwoning that started this year."""
    carla = staff["casemanager@demo.stapportaal.nl"]
    roos, mira = clients.get("Roos"), clients.get("Mira")
    if roos is not None:
        time_out = client_services.add_traject(roos, carla, client_services.TrajectRequest(
            kind=TrajectKind.TIME_OUT, provider="Time-outvoorziening De Haven",
            start_date=_this_year(25)))
        client_services.change_traject_status(time_out, TrajectStatus.LOPEND, _this_year(25))
        client_services.change_traject_status(time_out, TrajectStatus.AFGEROND, _this_year(18))
    if mira is not None:
        home = client_services.add_traject(mira, carla, client_services.TrajectRequest(
            kind=TrajectKind.INSTROOMWONING, provider="Woningcorporatie Talis",
            start_date=_this_year(20)))
        client_services.change_traject_status(home, TrajectStatus.LOPEND, _this_year(20))
